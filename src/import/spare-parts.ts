/**
 * Bulk import of the spare-parts catalogue (`npm run db:import -- spare_parts <file.csv>`): the
 * header names columns of `spare_parts`; natural key `part_code`. Opening stock is not imported
 * here: it has to be posted through the ledger (a receipt per warehouse), which this does not do.
 */
import type { Readable } from "node:stream";
import type { DbOrTx } from "../db.js";
import { spareParts } from "../schema/warehouse/tables.js";
import { insertSparePartSchema } from "../validation/index.js";
import { type ImportOptions, type ImportResult, type ImportSpec, runImport } from "./engine.js";

export const sparePartImport: ImportSpec = {
  table: spareParts,
  schema: insertSparePartSchema,
  naturalKey: "part_code",
  idColumn: "id",
  excluded: ["id", "created_at"],
  references: {},
};

export function importSpareParts(
  db: DbOrTx,
  input: Readable,
  options?: ImportOptions,
): Promise<ImportResult> {
  return runImport(db, sparePartImport, input, options);
}
