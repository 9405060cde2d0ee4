/**
 * Stock documents: created as drafts with lines, then posted (movements + stock in one
 * transaction) or canceled (a posted one by reversing movements). A posted document never
 * changes otherwise.
 */
import { asc, eq, getTableColumns, inArray, type SQL, sql } from "drizzle-orm";
import { type PgPreparedQuery, PgTransaction, type PreparedQueryConfig } from "drizzle-orm/pg-core";
import type { z } from "zod";
import type { DbOrTx } from "../../db.js";
import { DocumentAlreadyCanceledError, DocumentNotDraftError } from "../../errors/domain.js";
import {
  dbErrorOf,
  InvalidStateError,
  inputParser,
  NotFoundError,
  parseInput,
  ValidationError,
  withDbErrors,
} from "../../errors/index.js";
import type { StockDocument, StockDocumentLine } from "../../schema/warehouse/index.js";
import {
  repairOrderParts,
  repairOrders,
  sparePartMovements,
  spareParts,
  stockDocumentLines,
  stockDocuments,
  warehouses,
} from "../../schema/warehouse/tables.js";
import {
  cancelStockDocumentInput,
  createStockDocumentInput,
  documentIdInput,
  lineDirectionIssues,
  postStockDocumentInput,
  type stockDocumentLinesInput,
  updateDraftInput,
} from "../../validation/warehouse/schemas.js";
import { generateCode } from "../shared/codes.js";
import { preparedPer, preparedRows } from "../shared/prepared.js";
import { one } from "../shared/rows.js";
import {
  applyMovements,
  ledgerError,
  type MovementInput,
  REVERSE_MOVEMENT,
  type StockLevel,
} from "./ledger.js";
import { isOpenRepairStatus, recomputePartsCost } from "./repair-state.js";

/** ref_type of the movements a document posts, and of those its cancel posts. */
export const DOCUMENT_REF_TYPE = "stock_document";
export const DOCUMENT_CANCEL_REF_TYPE = "stock_document_cancel";

export type CreateStockDocumentInput = z.input<typeof createStockDocumentInput>;

export interface StockDocumentWithLines extends StockDocument {
  lines: StockDocumentLine[];
}

async function assertExist(tx: DbOrTx, warehouseIds: string[], partIds: string[]): Promise<void> {
  const wanted = [...new Set(warehouseIds)];
  const found = await tx.select({ id: warehouses.id }).from(warehouses).where(inArray(warehouses.id, wanted));
  const missingWarehouse = wanted.find((id) => !found.some((r) => r.id === id));
  if (missingWarehouse) throw new NotFoundError("warehouse", missingWarehouse);
  const parts = [...new Set(partIds)];
  const foundParts = await tx
    .select({ id: spareParts.id })
    .from(spareParts)
    .where(inArray(spareParts.id, parts));
  const missingPart = parts.find((id) => !foundParts.some((r) => r.id === id));
  if (missingPart) throw new NotFoundError("spare part", missingPart);
}

/** Create a draft document with its lines. */
export async function createStockDocument(
  db: DbOrTx,
  input: CreateStockDocumentInput,
): Promise<StockDocumentWithLines> {
  const doc = parseInput(createStockDocumentInput, input);
  return withDbErrors("createStockDocument", () =>
    db.transaction(async (tx) => {
      await assertExist(
        tx,
        doc.targetWarehouseId ? [doc.warehouseId, doc.targetWarehouseId] : [doc.warehouseId],
        doc.lines.map((l) => l.partId),
      );
      const header = one(
        await tx
          .insert(stockDocuments)
          .values({
            docType: doc.docType,
            code: doc.code ?? generateCode(doc.docType),
            status: "draft",
            warehouseId: doc.warehouseId,
            targetWarehouseId: doc.targetWarehouseId ?? null,
            ...(doc.docDate ? { docDate: doc.docDate } : {}),
            refType: doc.refType ?? null,
            refId: doc.refId ?? null,
            note: doc.note ?? null,
            createdBy: doc.createdBy ?? null,
            correlationId: doc.correlationId ?? null,
          })
          .returning(),
      );
      const lines = await insertLines(tx, header.id, doc.lines);
      return { ...header, lines };
    }),
  );
}

function insertLines(tx: DbOrTx, documentId: string, lines: z.output<typeof stockDocumentLinesInput>) {
  return tx
    .insert(stockDocumentLines)
    .values(
      lines.map((l) => ({
        documentId,
        partId: l.partId,
        qty: l.qty,
        unitCost: l.unitCost ?? null,
        serialNo: l.serialNo ?? null,
        note: l.note ?? null,
        adjustDirection: l.adjustDirection ?? null,
      })),
    )
    .returning();
}

const documentById = preparedPer(
  "netops_document_by_id",
  (db, name) =>
    db
      .select()
      .from(stockDocuments)
      .where(eq(stockDocuments.id, sql.placeholder("id")))
      .prepare(name),
  { read: true },
);
const linesOfDocument = preparedPer(
  "netops_document_lines_by_id",
  (db, name) =>
    db
      .select()
      .from(stockDocumentLines)
      .where(eq(stockDocumentLines.documentId, sql.placeholder("id")))
      .orderBy(asc(stockDocumentLines.id))
      .prepare(name),
  { read: true },
);

/** The document and its lines (ordered by line id; insertion order is not kept). */
export async function getStockDocument(
  db: DbOrTx,
  input: { documentId: string },
): Promise<StockDocumentWithLines> {
  return withDbErrors("getStockDocument", async () => {
    const { documentId } = parseInput(documentIdInput, input);
    const [header] = await documentById(db).execute({ id: documentId });
    if (!header) throw new NotFoundError("stock document", documentId);
    const lines = await linesOfDocument(db).execute({ id: documentId });
    return { ...header, lines };
  });
}

export type UpdateDraftInput = z.input<typeof updateDraftInput>;

/** Edit a draft (note, date, lines); anything but a draft is refused with DocumentNotDraftError. */
export async function updateStockDocumentDraft(
  db: DbOrTx,
  input: UpdateDraftInput,
): Promise<StockDocumentWithLines> {
  const change = parseInput(updateDraftInput, input);
  return withDbErrors("updateStockDocumentDraft", () =>
    db.transaction(async (tx) => {
      const header = await lockDocument(tx, change.documentId);
      if (header.status !== "draft") throw new DocumentNotDraftError(header.id, header.status);
      const issues = change.lines ? lineDirectionIssues(header.docType, change.lines) : [];
      if (issues.length > 0) throw new ValidationError(issues);
      const updated = one(
        await tx
          .update(stockDocuments)
          .set({
            ...(change.note !== undefined ? { note: change.note } : {}),
            ...(change.docDate ? { docDate: change.docDate } : {}),
          })
          .where(eq(stockDocuments.id, header.id))
          .returning(),
      );
      let lines: StockDocumentLine[];
      if (change.lines) {
        await assertExist(
          tx,
          [],
          change.lines.map((l) => l.partId),
        );
        await tx.delete(stockDocumentLines).where(eq(stockDocumentLines.documentId, header.id));
        lines = await insertLines(tx, header.id, change.lines);
      } else {
        lines = await tx
          .select()
          .from(stockDocumentLines)
          .where(eq(stockDocumentLines.documentId, header.id));
      }
      return { ...updated, lines };
    }),
  );
}

async function lockDocument(tx: DbOrTx, documentId: string): Promise<StockDocument> {
  const [header] = await tx
    .select()
    .from(stockDocuments)
    .where(eq(stockDocuments.id, documentId))
    .for("update");
  if (!header) throw new NotFoundError("stock document", documentId);
  return header;
}

export type PostStockDocumentInput = z.input<typeof postStockDocumentInput>;

export interface PostResult {
  document: StockDocument;
  movements: number;
  /** Stock of every touched (warehouse, part) after posting. */
  stock: StockLevel[];
}

// The posted document's columns, read back from the function's composite result and decoded by the
// schema's own column types (timestamps to Date, ...), so no column is listed twice.
const documentColumns = Object.entries(getTableColumns(stockDocuments));
const postedDocumentColumns = Object.fromEntries(
  documentColumns.map(([key, column]) => [key, sql`doc.${sql.identifier(column.name)}`.mapWith(column)]),
) as Record<keyof StockDocument, SQL>;

interface PostedRow extends StockDocument {
  movements: number;
  stock: StockLevel[] | string | null;
}

/**
 * One statement (see ledger.ts): netops_post_stock_document, prepared once per database handle and
 * sent straight to postgres.js (preparedRows: the client CPU of a post, issue 15).
 */
const postStatement = preparedRows<PostedRow>(
  "netops_post_stock_document",
  (db, name) =>
    db
      .select({
        ...postedDocumentColumns,
        movements: sql<number>`p.movements`.mapWith(Number),
        stock: sql<StockLevel[] | string | null>`p.stock`,
      })
      .from(
        sql`netops_post_stock_document(${sql.placeholder("documentId")}::uuid, ${DOCUMENT_REF_TYPE}::text,
            ${sql.placeholder("approvedBy")}::text, ${sql.placeholder("actorUserId")}::text,
            ${sql.placeholder("correlationId")}::text) AS p, LATERAL (SELECT (p.document).*) AS doc`,
      )
      .prepare(name) as unknown as PgPreparedQuery<PreparedQueryConfig & { execute: PostedRow[] }>,
  { read: false }, // it posts: the primary, also on a handle with replicas
);

// The common call (`{ documentId }`, a canonical id) skips zod's object parse (inputParser): client
// CPU per post, issue 15.
const parsePostInput = inputParser(postStockDocumentInput);

/**
 * Post a draft: movements written and stock updated atomically, in one round trip (a savepoint
 * around it inside a caller's transaction, so a refusal leaves that transaction usable).
 * InsufficientStockError (nothing written) when a decrease exceeds free stock; DocumentNotDraftError
 * unless draft (so a retry of a post that committed never posts twice).
 */
export async function postStockDocument(db: DbOrTx, input: PostStockDocumentInput): Promise<PostResult> {
  const req = parsePostInput(input);
  const post = async (handle: DbOrTx): Promise<PostResult> => {
    const [row] = await postStatement(handle, {
      documentId: req.documentId,
      approvedBy: req.approvedBy ?? null,
      actorUserId: req.actorUserId ?? null,
      correlationId: req.correlationId ?? null,
    });
    const { movements, stock, ...document } = row as PostedRow;
    return {
      document,
      movements,
      stock: typeof stock === "string" ? (JSON.parse(stock) as StockLevel[]) : (stock ?? []),
    };
  };
  try {
    return await (db instanceof PgTransaction ? db.transaction(post) : post(db));
  } catch (error) {
    throw ledgerError(error) ?? (await dbErrorOf(error, "postStockDocument"));
  }
}

export type CancelStockDocumentInput = z.input<typeof cancelStockDocumentInput>;

/**
 * Cancel a document. A draft just becomes canceled; a posted one gets the reverse of every
 * movement it posted (ref_type stock_document_cancel), which can fail with InsufficientStockError
 * when the received stock has been consumed since.
 */
export async function cancelStockDocument(db: DbOrTx, input: CancelStockDocumentInput): Promise<PostResult> {
  const req = parseInput(cancelStockDocumentInput, input);
  return withDbErrors("cancelStockDocument", () =>
    db.transaction(async (tx) => {
      // A repair order's issue document: the order is locked first (the order -> document lock
      // order of the repair-order operations), only an open order's parts go back, and its
      // parts_cost then counts only the parts still consumed.
      const orders = await tx
        .select({ id: repairOrders.id, status: repairOrders.status })
        .from(repairOrders)
        .where(
          inArray(
            repairOrders.id,
            tx
              .select({ id: repairOrderParts.repairOrderId })
              .from(repairOrderParts)
              .where(eq(repairOrderParts.stockDocumentId, req.documentId)),
          ),
        )
        .orderBy(repairOrders.id)
        .for("update");
      const closed = orders.find((o) => !isOpenRepairStatus(o.status));
      if (closed) {
        throw new InvalidStateError(
          `stock document ${req.documentId} holds the parts of repair order ${closed.id}, which is ${closed.status}`,
        );
      }
      const header = await lockDocument(tx, req.documentId);
      if (header.status === "canceled") throw new DocumentAlreadyCanceledError(header.id);
      let stock: StockLevel[] = [];
      let count = 0;
      if (header.status === "posted") {
        // Reverse what was actually posted (the ledger), not what the lines say now.
        const posted = await tx
          .select()
          .from(sparePartMovements)
          .where(
            sql`${sparePartMovements.refType} = ${DOCUMENT_REF_TYPE} AND ${sparePartMovements.refId} = ${header.id}`,
          );
        const reversal: MovementInput[] = posted.map((m) => ({
          warehouseId: m.warehouseId!,
          partId: m.partId!,
          movementType: REVERSE_MOVEMENT[m.movementType],
          qty: m.qty,
          unitCost: m.unitCost,
        }));
        stock = await applyMovements(tx, reversal, {
          refType: DOCUMENT_CANCEL_REF_TYPE,
          refId: header.id,
          actorUserId: req.actorUserId ?? null,
          correlationId: req.correlationId ?? header.correlationId,
        });
        count = reversal.length;
      }
      const document = one(
        await tx
          .update(stockDocuments)
          .set({ status: "canceled" })
          .where(eq(stockDocuments.id, header.id))
          .returning(),
      );
      for (const order of orders) await recomputePartsCost(tx, order.id);
      return { document: document, movements: count, stock };
    }),
  );
}
