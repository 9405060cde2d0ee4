/**
 * Bulk import of CI relationships (`npm run db:import -- relationships <file.csv>`): the header
 * names columns of `cmdb_relationships` (`rel_type_id`, `from_ci_id`, `to_ci_id` required;
 * `since_date`, `note` optional). `rel_type_id` takes the relationship type's id or code; the CIs
 * their id or ci_code. Natural key: (rel_type_id, from_ci_id, to_ci_id) on the resolved ids.
 *
 * relateCis's refusals, set-wise: a CI related to itself, a CI type the relationship type does not
 * allow at that end, unknown CIs or types; the same triple twice in the file (the later lines
 * rejected). Relationships are created active, as relateCis creates them (`status` is not taken
 * from the file).
 *
 * A line states that the relationship holds, so the import does what relateCis does with it (one
 * lifecycle rule, README "Relationships"): an active triple is skipped (a re-run adds nothing); a
 * retired one is revived, made active again with the line's since_date and note when given (the
 * stored ones otherwise), after the same checks as a new one, and counted in `inserted` (rows
 * loaded). A triple made active by a concurrent writer after the checks is left as it is (not
 * counted): the file's relationship holds either way.
 */
import type { Readable } from "node:stream";
import type { DbOrTx } from "../db.js";
import { cmdbRelationships } from "../schema/cmdb/tables.js";
import { insertCmdbRelationshipSchema } from "../validation/index.js";
import { type ImportOptions, type ImportResult, type ImportSpec, runImport } from "./engine.js";

export const relationshipImport: ImportSpec = {
  table: cmdbRelationships,
  schema: insertCmdbRelationshipSchema,
  naturalKey: "(rel_type_id, from_ci_id, to_ci_id)",
  naturalKeyColumns: ["rel_type_id", "from_ci_id", "to_ci_id"],
  excluded: ["id", "created_at", "status"],
  references: {
    rel_type_id: {
      table: "cmdb_relationship_types",
      key: "code",
      label: "relationship type",
      required: true,
    },
    from_ci_id: { table: "cmdb_cis", key: "ci_code", label: "CI", required: true },
    to_ci_id: { table: "cmdb_cis", key: "ci_code", label: "CI", required: true },
  },
  idColumn: "id",
  existing: (col) => `EXISTS (SELECT 1 FROM cmdb_relationships t
     WHERE t.rel_type_id = ${col("rel_type_id")} AND t.from_ci_id = ${col("from_ci_id")}
       AND t.to_ci_id = ${col("to_ci_id")} AND t.status <> 'retired')`,
  skippedReason:
    "relationship (rel_type_id, from_ci_id, to_ci_id) already active in cmdb_relationships: skipped",
  // New triples inserted, retired ones revived as relateCis revives them: one statement, whose row
  // count is both (the unique key on the triple is the arbiter).
  insert: (good, columns) => {
    const cols = columns.map((c) => `"${c}"`).join(", ");
    const keep = (c: string) => (columns.includes(c) ? `, ${c} = coalesce(excluded.${c}, r.${c})` : "");
    return `INSERT INTO cmdb_relationships AS r (${cols}) SELECT ${cols} FROM ${good}
      ON CONFLICT (rel_type_id, from_ci_id, to_ci_id)
      DO UPDATE SET status = 'active'${keep("since_date")}${keep("note")} WHERE r.status = 'retired'`;
  },
  checks: (col) => {
    // relateCis: RelationshipNotAllowedError when the type names a CI type for that end and the CI
    // is of another type.
    const notAllowed = (end: "from" | "to", ci: string) =>
      `EXISTS (SELECT 1 FROM cmdb_relationship_types rt JOIN cmdb_cis c ON c.id = ${ci}
                WHERE rt.id = ${col("rel_type_id")} AND rt.allowed_${end}_type_id IS NOT NULL
                  AND rt.allowed_${end}_type_id IS DISTINCT FROM c.type_id)`;
    return [
      [`${col("from_ci_id")} = ${col("to_ci_id")}`, "to_ci_id", "a CI cannot be related to itself"],
      [
        notAllowed("from", col("from_ci_id")),
        "from_ci_id",
        "the relationship type does not allow this CI's type at its from end",
      ],
      [
        notAllowed("to", col("to_ci_id")),
        "to_ci_id",
        "the relationship type does not allow this CI's type at its to end",
      ],
    ];
  },
};

export function importRelationships(
  db: DbOrTx,
  input: Readable,
  options?: ImportOptions,
): Promise<ImportResult> {
  return runImport(db, relationshipImport, input, options);
}
