/**
 * Opening stock through the ledger (`npm run db:import -- stock <file.csv> [--ref <ref>]`): the
 * header names `warehouse_id` (the warehouse's id or code), `part_id` (the part's id or
 * part_code), `qty`, and optionally the receipt line's `unit_cost`, `serial_no`, `note`. Each line
 * is checked by the receipt line's own insert schema (qty a positive integer, unit_cost money...).
 *
 * The good rows become, per warehouse, receipt stock documents of at most STOCK_DOCUMENT_MAX_LINES
 * (1,000) lines each, the bound createStockDocument puts on a document: the first coded
 * `<ref>:<warehouse code>`, the next `<ref>:<warehouse code>:2`, `:3`... (rows in file order). They
 * are created as drafts and posted together by `netops_post_receipts` (migration 0012): the ledger of
 * postStockDocument (movements `in`, stock rows, the invariant) in a few set-wise statements instead
 * of netops_apply_movements' loop per (warehouse, part); all in the import's one transaction.
 *
 * Natural key: (warehouse, part): the same pair twice in the file is rejected on its later lines.
 * Idempotency is per document: rows of a warehouse whose receipt `<ref>:<warehouse code>` already
 * exists for that warehouse (posted, or canceled since) are skipped, so re-running a file with the same ref adds
 * nothing. Stock added later needs another ref. The CLI's ref defaults to the file's name without
 * its extension.
 */
import type { Readable } from "node:stream";
import { pgTable, uuid } from "drizzle-orm/pg-core";
import type { DbOrTx } from "../db.js";
import { ValidationError } from "../errors/index.js";
import { DOCUMENT_REF_TYPE } from "../queries/warehouse/documents.js";
import { stockDocumentLines } from "../schema/warehouse/tables.js";
import {
  insertStockDocumentLineSchema,
  insertStockDocumentSchema,
  STOCK_DOCUMENT_MAX_LINES,
} from "../validation/index.js";
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
    // The warehouse too: a document of another warehouse that happens to bear the code (warehouse
    // `A:2` and the second receipt of warehouse `A`) is no reason to skip; the insert then fails on
    // the code's unique key, and nothing is written.
    existing: (col) =>
      `EXISTS (SELECT 1 FROM stock_documents d WHERE d.code = ${documentCode(ref, col("warehouse_id"))} AND d.warehouse_id = ${col("warehouse_id")})`,
    skippedReason: `this warehouse's receipt ${ref}:<warehouse code> already exists: skipped`,
    // Draft receipts of at most STOCK_DOCUMENT_MAX_LINES lines per warehouse (file order), then
    // their lines (the rows), in one statement.
    insert: (good, columns) => {
      const lineColumns = columns.filter((c) => c !== "document_id").map((c) => `"${c}"`);
      const part = `(row_number() OVER (PARTITION BY warehouse_id ORDER BY __line) - 1) / ${STOCK_DOCUMENT_MAX_LINES} + 1`;
      return `WITH g AS MATERIALIZED (
          SELECT i.*, ${documentCode(ref, "i.warehouse_id")} || CASE WHEN i.__part > 1 THEN ':' || i.__part ELSE '' END AS __code
            FROM (SELECT inserted.*, ${part} AS __part FROM ${good}) i),
        docs AS (
          INSERT INTO stock_documents (doc_type, code, status, warehouse_id, note)
          SELECT DISTINCT 'receipt', g.__code, 'draft', g.warehouse_id, 'opening stock (import)' FROM g
          RETURNING id, code)
        INSERT INTO stock_document_lines (document_id, ${lineColumns.join(", ")})
        SELECT docs.id, ${lineColumns.map((c) => `g.${c}`).join(", ")} FROM g JOIN docs ON docs.code = g.__code`;
    },
    // Posted together, set-wise, as postStockDocument would post each (netops_post_receipts): the
    // receipts are those holding the rows' lines (their ids are the staged ids).
    afterInsert: (inserted) => `SELECT count(*) FROM netops_post_receipts(
      (SELECT array_agg(DISTINCT l.document_id) FROM stock_document_lines l WHERE l.id IN (SELECT inserted.id FROM ${inserted})),
      ${ql(DOCUMENT_REF_TYPE)}, NULL, NULL, NULL)`,
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
