/**
 * Opening stock through the ledger (`npm run db:import -- stock <file.csv> [--ref <ref>]`): the
 * header names `warehouse_id` (the warehouse's id or code), `part_id` (the part's id or
 * part_code), `qty`, and optionally the receipt line's `unit_cost`, `serial_no`, `note`. Each line
 * is checked by the receipt line's own insert schema (qty a positive integer, unit_cost money...).
 *
 * The good rows become, per warehouse, ONE receipt stock document coded `<ref>:<warehouse code>`
 * with one line per row, created as a draft and posted by `netops_post_stock_document` (the
 * posting path of postStockDocument: movements, stock rows and the ledger invariant stay
 * consistent), all in the import's one transaction.
 *
 * Natural key: (warehouse, part): the same pair twice in the file is rejected on its later lines.
 * Idempotency is per document: rows of a warehouse whose receipt `<ref>:<warehouse code>` already
 * exists (posted, or canceled since) are skipped, so re-running a file with the same ref adds
 * nothing. Stock added later needs another ref. The CLI's ref defaults to the file's name without
 * its extension.
 */
import type { Readable } from "node:stream";
import { pgTable, uuid } from "drizzle-orm/pg-core";
import type { DbOrTx } from "../db.js";
import { ValidationError } from "../errors/index.js";
import { DOCUMENT_REF_TYPE } from "../queries/warehouse/documents.js";
import { stockDocumentLines } from "../schema/warehouse/tables.js";
import { insertStockDocumentLineSchema, insertStockDocumentSchema } from "../validation/index.js";
import {
  ImportFormatError,
  type ImportOptions,
  type ImportResult,
  type ImportSpec,
  runImport,
} from "./engine.js";

export interface ImportStockOptions extends ImportOptions {
  /** Names the import: each warehouse's receipt is coded `<ref>:<warehouse code>`. */
  ref: string;
}

/** The file's column beyond the line's (never created: its name and type for the staging table). */
const stockFileColumns = pgTable("stock_import_file", { warehouseId: uuid("warehouse_id") });

const ql = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The receipt's code for a warehouse id (SQL). */
const documentCode = (ref: string, warehouseId: string) =>
  `(${ql(`${ref}:`)} || (SELECT dw.code FROM warehouses dw WHERE dw.id = ${warehouseId}))`;

export function stockImport(ref: string): ImportSpec {
  const checked = insertStockDocumentSchema.shape.code.safeParse(ref);
  if (!checked.success) {
    const issue = ValidationError.fromZod(checked.error).issues[0];
    throw new ImportFormatError(
      `the import's ref (the receipts' code prefix) ${issue?.message ?? "is invalid"}`,
    );
  }
  return {
    table: stockDocumentLines,
    schema: insertStockDocumentLineSchema,
    naturalKey: "(warehouse_id, part_id)",
    naturalKeyColumns: ["warehouse_id", "part_id"],
    excluded: ["id", "document_id", "adjust_direction"],
    references: {
      warehouse_id: { table: "warehouses", key: "code", label: "warehouse", required: true },
      part_id: { table: "spare_parts", key: "part_code", label: "spare part", required: true },
    },
    idColumn: "id",
    extraColumns: stockFileColumns,
    existing: (col) =>
      `EXISTS (SELECT 1 FROM stock_documents d WHERE d.code = ${documentCode(ref, col("warehouse_id"))})`,
    skippedReason: `this warehouse's receipt ${ref}:<warehouse code> already exists: skipped`,
    // One draft receipt per warehouse, then its lines (the rows), in one statement.
    insert: (good, columns) => {
      const lineColumns = columns.filter((c) => c !== "document_id").map((c) => `"${c}"`);
      return `WITH g AS MATERIALIZED (SELECT * FROM ${good}),
        docs AS (
          INSERT INTO stock_documents (doc_type, code, status, warehouse_id, note)
          SELECT 'receipt', ${documentCode(ref, "w.id")}, 'draft', w.id, 'opening stock (import)'
            FROM warehouses w WHERE w.id IN (SELECT g.warehouse_id FROM g)
          RETURNING id, warehouse_id)
        INSERT INTO stock_document_lines (document_id, ${lineColumns.join(", ")})
        SELECT docs.id, ${lineColumns.map((c) => `g.${c}`).join(", ")} FROM g JOIN docs USING (warehouse_id)`;
    },
    // Posted as postStockDocument posts: netops_post_stock_document, one call per receipt.
    afterInsert: (inserted) => `SELECT p.movements
      FROM stock_documents d CROSS JOIN LATERAL netops_post_stock_document(d.id, ${ql(DOCUMENT_REF_TYPE)}, NULL, NULL, NULL) p
     WHERE d.status = 'draft' AND d.code IN (SELECT DISTINCT ${documentCode(ref, "inserted.warehouse_id")} FROM ${inserted})`,
  };
}

export function importStock(db: DbOrTx, input: Readable, options: ImportStockOptions): Promise<ImportResult> {
  const { ref, ...rest } = options;
  let spec: ImportSpec;
  try {
    spec = stockImport(ref);
  } catch (error) {
    input.destroy();
    return Promise.reject(error);
  }
  return runImport(db, spec, input, rest);
}
