/**
 * Bulk import of CI relationships (`npm run db:import -- relationships <file.csv>`): the header
 * names columns of `cmdb_relationships` (`rel_type_id`, `from_ci_id`, `to_ci_id` required;
 * `since_date`, `note` optional). `rel_type_id` takes the relationship type's id or code; the CIs
 * their id or ci_code. Natural key: (rel_type_id, from_ci_id, to_ci_id) on the resolved ids.
 *
 * relateCis's refusals, set-wise: a CI related to itself, a CI type the relationship type does not
 * allow at that end, unknown CIs or types; the same triple twice in the file (the later lines
 * rejected). A triple already in the table is skipped, whatever its status: a re-run adds nothing,
 * and a retired relationship stays retired (relateCis revives it; the import does not).
 * Relationships are created active, as relateCis creates them (`status` is not taken from the file).
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
  skippedReason: "relationship (rel_type_id, from_ci_id, to_ci_id) already in cmdb_relationships: skipped",
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
