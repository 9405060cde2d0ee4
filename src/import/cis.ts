/**
 * Bulk import of configuration items (`npm run db:import -- cis <file.csv>`): the header names
 * columns of `cmdb_cis` plus an optional `attributes` column; natural key `ci_code`.
 *
 * - `type_id` (required, as createCi requires it) takes the CI type's id or its code; `asset_id`
 *   an asset's id or asset_code; `location_id` a location's id or path.
 * - `attributes` holds one JSON object of attribute values by key (`{"cpu_cores": 8}`; in CSV,
 *   quoted with its quotes doubled). Each row's object is checked by the function createCi uses
 *   (`ciAttributesValidator`: the type's active version, defaults applied, required keys, unknown
 *   keys refused); a bad value is rejected with the field `attributes.<key>`, like createCi. An
 *   empty or missing `attributes` is `{}` (so a type with required attributes rejects the row).
 *   The values are written to `cmdb_ci_attr_values`, stamped with the version that checked them.
 *   Each type's active version is read once, before the import's transaction.
 */
import type { Readable } from "node:stream";
import { jsonb, pgTable, uuid } from "drizzle-orm/pg-core";
import type { DbOrTx } from "../db.js";
import { NetOpsError, ValidationError } from "../errors/index.js";
import { ciAttributesValidator } from "../queries/cmdb/cis.js";
import type { JsonObject } from "../schema/_helpers.js";
import { cmdbCis, cmdbCiTypes } from "../schema/cmdb/tables.js";
import { createCiInput } from "../validation/cmdb/schemas.js";
import {
  type ImportOptions,
  type ImportResult,
  type ImportSpec,
  type RowCheck,
  runImport,
} from "./engine.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The file's columns beyond cmdb_cis's (never created: names and types for the staging table). */
const ciFileColumns = pgTable("cmdb_ci_import_file", {
  attributes: jsonb("attributes"),
  /** Filled per row: the type version the attributes were checked against. */
  attributesVersionId: uuid("attributes_version_id"),
});

/** Each type's attribute check, prepared once; rows of an unknown type are left to the reference check. */
async function attributeCheck(db: DbOrTx): Promise<RowCheck> {
  const types = await db.select({ id: cmdbCiTypes.id, code: cmdbCiTypes.code }).from(cmdbCiTypes);
  const byCode = new Map<string, string>();
  const validators = new Map<string, Awaited<ReturnType<typeof ciAttributesValidator>>>();
  for (const t of types) {
    byCode.set(t.code, t.id);
    validators.set(t.id, await ciAttributesValidator(db, t.id));
  }
  const attributesRule = createCiInput.shape.attributes;
  return ({ text, extra }) => {
    const ref = text("type_id").trim();
    const typeId = UUID.test(ref) ? ref.toLowerCase() : byCode.get(ref);
    const validate = typeId ? validators.get(typeId) : undefined;
    if (!validate) return { values: {} }; // no type or an unknown one: rejected set-wise
    const given = extra.attributes === undefined ? {} : extra.attributes;
    const shape = attributesRule.safeParse(given);
    if (!shape.success) {
      return {
        issues: ValidationError.fromZod(shape.error).issues.map((i) => ({
          field: i.path ? `attributes.${i.path}` : "attributes",
          reason: `${i.message} (a JSON object of attribute values)`,
        })),
      };
    }
    try {
      const { values, versionId } = validate((shape.data ?? {}) as JsonObject);
      return { values: { attributes: values, attributes_version_id: versionId } };
    } catch (error) {
      if (error instanceof ValidationError)
        return { issues: error.issues.map((i) => ({ field: i.path || "attributes", reason: i.message })) };
      if (error instanceof NetOpsError) return { issues: [{ field: "attributes", reason: error.message }] };
      throw error;
    }
  };
}

export const ciImport: ImportSpec = {
  table: cmdbCis,
  // createCi's own input rules; the type may come by code, so the engine resolves and requires it.
  schema: createCiInput.omit({ attributes: true }).partial({ typeId: true }),
  naturalKey: "ci_code",
  excluded: ["id", "created_at", "updated_at"],
  references: {
    type_id: { table: "cmdb_ci_types", key: "code", label: "CI type", required: true },
    asset_id: { table: "assets", key: "asset_code", label: "asset" },
    location_id: { table: "locations", key: "path", label: "location" },
  },
  idColumn: "id",
  extraColumns: ciFileColumns,
  rowCheck: attributeCheck,
  // As createCi's writeAttributes: one row per key with a value, stamped with the version.
  afterInsert: (inserted) => `INSERT INTO cmdb_ci_attr_values (ci_id, version_id, key, value)
    SELECT inserted.id, inserted.attributes_version_id, a.key, a.value
      FROM ${inserted} CROSS JOIN LATERAL jsonb_each(inserted.attributes) a
     WHERE inserted.attributes_version_id IS NOT NULL AND jsonb_typeof(a.value) <> 'null'`,
};

export function importCis(db: DbOrTx, input: Readable, options?: ImportOptions): Promise<ImportResult> {
  return runImport(db, ciImport, input, options);
}
