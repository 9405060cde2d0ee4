/**
 * Repair orders: opening one sends the asset to in_repair; parts are consumed through a posted
 * issue document (repair_order_parts.stock_document_id); parts_cost is always recomputed from
 * repair_order_parts (sum of qty * unit_cost); closing puts the asset back in service (in_use when
 * it has an open assignment, in_stock otherwise). Asset status changes go through
 * transitionAssetStatus, which writes the asset_events rows, in the same transaction.
 */
import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "../../db.js";
import {
  InvalidStateError,
  NotFoundError,
  parseInput,
  RepairOrderClosedError,
  withDbErrors,
} from "../../errors/index.js";
import { literalList } from "../../schema/_helpers.js";
import { assets } from "../../schema/assets/tables.js";
import type { RepairOrder, RepairOrderPart } from "../../schema/warehouse/index.js";
import {
  RECEIPT_MOVEMENT_TYPES,
  repairOrderParts,
  repairOrders,
  sparePartMovements,
  spareParts,
  stockDocuments,
} from "../../schema/warehouse/tables.js";
import {
  addRepairPartsInput,
  cancelRepairOrderInput,
  closeRepairOrderInput,
  openRepairOrderInput,
  progressRepairOrderInput,
} from "../../validation/warehouse/schemas.js";
import { serviceStatusOf, transitionAssetStatus } from "../assets/lifecycle.js";
import { generateCode } from "../shared/codes.js";
import { one, takeFirst } from "../shared/rows.js";
import { cancelStockDocument, createStockDocument, type PostResult, postStockDocument } from "./documents.js";
import {
  isOpenRepairStatus,
  type OpenRepairStatus,
  openRepairOrderOfAsset,
  recomputePartsCost,
} from "./repair-state.js";

export { OPEN_REPAIR_STATUSES } from "./repair-state.js";

const isOpen = isOpenRepairStatus;

export type OpenRepairOrderInput = z.input<typeof openRepairOrderInput>;

async function lockOrder(tx: DbOrTx, repairOrderId: string): Promise<RepairOrder> {
  const [order] = await tx
    .select()
    .from(repairOrders)
    .where(eq(repairOrders.id, repairOrderId))
    .for("update");
  if (!order) throw new NotFoundError("repair order", repairOrderId);
  return order;
}

/**
 * Open a repair order: the order row plus the asset's transition to in_repair (IllegalTransitionError
 * when the lifecycle forbids it, e.g. an asset already in repair or disposed).
 */
export async function openRepairOrder(db: DbOrTx, input: OpenRepairOrderInput): Promise<RepairOrder> {
  const o = parseInput(openRepairOrderInput, input);
  return withDbErrors("openRepairOrder", () =>
    db.transaction(async (tx) => {
      // The id is chosen here so the asset transition (which refuses a missing asset or a forbidden
      // move with a typed error) runs first and its event can name the order.
      const id = randomUUID();
      const code = o.code ?? generateCode("repairOrder");
      await transitionAssetStatus(tx, {
        assetId: o.assetId,
        to: "in_repair",
        reason: `repair order ${code} opened`,
        actorUserId: o.actorUserId,
        correlationId: o.correlationId,
        payload: { repairOrderId: id, repairOrderCode: code },
      });
      const order = one(
        await tx
          .insert(repairOrders)
          .values({
            id,
            assetId: o.assetId,
            ciId: o.ciId ?? null,
            code,
            title: o.title,
            description: o.description ?? null,
            severity: o.severity,
            status: "open",
            repairType: o.repairType,
            technicianName: o.technicianName ?? null,
            vendorId: o.vendorId ?? null,
            createdBy: o.createdBy ?? null,
            correlationId: o.correlationId ?? null,
          })
          .returning(),
      );
      return order;
    }),
  );
}

export type AddRepairPartsInput = z.input<typeof addRepairPartsInput>;

export interface AddRepairPartsResult {
  repairOrder: RepairOrder;
  parts: RepairOrderPart[];
  /** The posted issue document that took the parts out of stock. */
  issue: PostResult;
}

/**
 * Latest receipt cost of each part in the warehouse (the default unit cost of consumed parts): per
 * part, the newest receipt with a cost, `ORDER BY created_at DESC LIMIT 1` in a LATERAL, which
 * idx_spare_part_movements_receipt_cost answers with one index entry however long the part's
 * history (a DISTINCT ON over the pair's movements visits all of them: docs/scaling.md). The
 * receipt types are written as literals, so even a generic plan proves the index's predicate.
 */
export async function latestReceiptCosts(
  tx: DbOrTx,
  warehouseId: string,
  partIds: readonly string[],
): Promise<Map<string, string>> {
  if (partIds.length === 0) return new Map();
  const m = sparePartMovements;
  const latest = tx
    .select({ unitCost: m.unitCost })
    .from(m)
    .where(
      and(
        eq(m.warehouseId, warehouseId),
        sql`${m.partId} = p.part_id`,
        sql`${m.movementType} IN (${literalList(RECEIPT_MOVEMENT_TYPES)})`,
        isNotNull(m.unitCost),
      ),
    )
    .orderBy(desc(m.createdAt))
    .limit(1)
    .as("latest");
  const parts = sql.join(
    partIds.map((id) => sql`(${id}::uuid)`),
    sql`, `,
  );
  const found = await tx
    .select({ partId: sql<string>`p.part_id`, unitCost: latest.unitCost })
    .from(sql`(VALUES ${parts}) AS p(part_id)`)
    .crossJoinLateral(latest);
  return new Map(found.flatMap((r) => (r.unitCost === null ? [] : [[r.partId, r.unitCost] as const])));
}

/**
 * Consume parts for an open repair order: one issue document (ref_type repair_order) created and
 * posted, the repair_order_parts rows pointing at it, parts_cost recomputed; all or nothing
 * (InsufficientStockError leaves no trace).
 */
export async function addRepairParts(db: DbOrTx, input: AddRepairPartsInput): Promise<AddRepairPartsResult> {
  const r = parseInput(addRepairPartsInput, input);
  return withDbErrors("addRepairParts", () =>
    db.transaction(async (tx) => {
      const order = await lockOrder(tx, r.repairOrderId);
      if (!isOpen(order.status)) throw new RepairOrderClosedError(order.id, order.status);
      const partIds = [...new Set(r.parts.map((p) => p.partId))];
      const costs = await latestReceiptCosts(tx, r.warehouseId, partIds);
      const lines = r.parts.map((p) => ({ ...p, unitCost: p.unitCost ?? costs.get(p.partId) ?? "0.00" }));
      const doc = await createStockDocument(tx, {
        docType: "issue",
        warehouseId: r.warehouseId,
        refType: "repair_order",
        refId: order.id,
        note: `parts for repair order ${order.code}`,
        createdBy: r.actorUserId,
        correlationId: r.correlationId ?? order.correlationId ?? undefined,
        lines: lines.map((l) => ({
          partId: l.partId,
          qty: l.qty,
          unitCost: l.unitCost,
          serialNo: l.serialNo,
          note: l.note,
        })),
      });
      const issue = await postStockDocument(tx, {
        documentId: doc.id,
        actorUserId: r.actorUserId,
        correlationId: r.correlationId,
      });
      const names = await tx
        .select({ id: spareParts.id, name: spareParts.name })
        .from(spareParts)
        .where(inArray(spareParts.id, partIds));
      const parts = await tx
        .insert(repairOrderParts)
        .values(
          lines.map((l) => ({
            repairOrderId: order.id,
            partId: l.partId,
            partName: names.find((n) => n.id === l.partId)?.name ?? null,
            warehouseId: r.warehouseId,
            action: l.action,
            qty: l.qty,
            unitCost: l.unitCost,
            serialNo: l.serialNo ?? null,
            note: l.note ?? null,
            stockDocumentId: doc.id,
          })),
        )
        .returning();
      const repairOrder = await recomputePartsCost(tx, order.id);
      return { repairOrder, parts, issue };
    }),
  );
}

/** Forward-only progress between the open statuses. */
const PROGRESS: Record<OpenRepairStatus, readonly OpenRepairStatus[]> = {
  open: ["diagnosing", "waiting_parts", "repaired"],
  diagnosing: ["waiting_parts", "repaired"],
  waiting_parts: ["diagnosing", "repaired"],
  repaired: [],
};

export type ProgressRepairOrderInput = z.input<typeof progressRepairOrderInput>;

/** Move an open order to diagnosing / waiting_parts / repaired (InvalidStateError otherwise). */
export async function progressRepairOrder(db: DbOrTx, input: ProgressRepairOrderInput): Promise<RepairOrder> {
  const r = parseInput(progressRepairOrderInput, input);
  return withDbErrors("progressRepairOrder", () =>
    db.transaction(async (tx) => {
      const order = await lockOrder(tx, r.repairOrderId);
      if (!isOpen(order.status)) throw new RepairOrderClosedError(order.id, order.status);
      if (!PROGRESS[order.status].includes(r.status)) {
        throw new InvalidStateError(
          `repair order ${order.id}: cannot go from ${order.status} to ${r.status}`,
        );
      }
      const updated = one(
        await tx
          .update(repairOrders)
          .set({ status: r.status, ...(r.diagnosis ? { diagnosis: r.diagnosis } : {}) })
          .where(eq(repairOrders.id, order.id))
          .returning(),
      );
      return updated;
    }),
  );
}

export type CloseRepairOrderInput = z.input<typeof closeRepairOrderInput>;

/**
 * Close an open order: status closed, closed_at now, parts_cost recomputed, and the asset back in
 * service (in_use with an open assignment, else in_stock) with its status_changed event.
 */
export async function closeRepairOrder(db: DbOrTx, input: CloseRepairOrderInput): Promise<RepairOrder> {
  const r = parseInput(closeRepairOrderInput, input);
  return withDbErrors("closeRepairOrder", () =>
    db.transaction(async (tx) => {
      const order = await lockOrder(tx, r.repairOrderId);
      if (!isOpen(order.status)) throw new RepairOrderClosedError(order.id, order.status);
      await recomputePartsCost(tx, order.id);
      const closed = one(
        await tx
          .update(repairOrders)
          .set({
            status: "closed",
            closedAt: sql`now()`,
            resolution: r.resolution ?? order.resolution,
            ...(r.laborCost !== undefined ? { laborCost: r.laborCost } : {}),
            downtimeMinutes:
              r.downtimeMinutes ??
              sql`greatest(0, floor(extract(epoch FROM now() - coalesce(${repairOrders.openedAt}, now())) / 60))::int`,
          })
          .where(eq(repairOrders.id, order.id))
          .returning(),
      );
      if (order.assetId) await backInService(tx, order, "closed", r);
      return closed;
    }),
  );
}

async function backInService(
  tx: DbOrTx,
  order: RepairOrder,
  outcome: "closed" | "canceled",
  meta: { actorUserId?: string | undefined; correlationId?: string | undefined },
): Promise<void> {
  const assetId = order.assetId!;
  // Only an asset this order holds in repair goes back in service. Rows written before the rule
  // that an asset under repair changes status only through its order may have left in_repair
  // already (sold off, lost): the order still closes, and the asset keeps the status it has.
  const asset = takeFirst(
    await tx.select({ status: assets.status }).from(assets).where(eq(assets.id, assetId)),
  );
  if (asset?.status !== "in_repair") return;
  const holder = await openRepairOrderOfAsset(tx, assetId);
  if (holder && holder.id !== order.id) return;
  await transitionAssetStatus(
    tx,
    {
      assetId,
      to: await serviceStatusOf(tx, assetId),
      reason: `repair order ${order.code} ${outcome}`,
      actorUserId: meta.actorUserId,
      correlationId: meta.correlationId ?? order.correlationId ?? undefined,
      payload: { repairOrderId: order.id, repairOrderCode: order.code },
    },
    { repairOrderId: order.id },
  );
}

export type CancelRepairOrderInput = z.input<typeof cancelRepairOrderInput>;

/**
 * Cancel an open order; the asset goes back in service. Parts it consumed (on issue documents still
 * posted) are a stock decision: refused unless `returnParts`, which cancels those documents in the
 * same transaction (their reversing movements return the parts; parts_cost drops to what is still
 * consumed, i.e. 0). Canceling an order's issue document yourself first works too.
 */
export async function cancelRepairOrder(db: DbOrTx, input: CancelRepairOrderInput): Promise<RepairOrder> {
  const r = parseInput(cancelRepairOrderInput, input);
  return withDbErrors("cancelRepairOrder", () =>
    db.transaction(async (tx) => {
      const order = await lockOrder(tx, r.repairOrderId);
      if (!isOpen(order.status)) throw new RepairOrderClosedError(order.id, order.status);
      const consumed = await tx
        .selectDistinct({ documentId: repairOrderParts.stockDocumentId })
        .from(repairOrderParts)
        .innerJoin(stockDocuments, eq(stockDocuments.id, repairOrderParts.stockDocumentId))
        .where(and(eq(repairOrderParts.repairOrderId, order.id), eq(stockDocuments.status, "posted")));
      if (consumed.length > 0 && !r.returnParts) {
        throw new InvalidStateError(
          `repair order ${order.id} has consumed parts: close it, or cancel it with returnParts to put them back in stock`,
        );
      }
      for (const { documentId } of consumed) {
        if (documentId === null) continue; // inner join: never null
        await cancelStockDocument(tx, {
          documentId,
          actorUserId: r.actorUserId,
          correlationId: r.correlationId,
        });
      }
      await recomputePartsCost(tx, order.id);
      const canceled = one(
        await tx
          .update(repairOrders)
          .set({ status: "canceled", closedAt: sql`now()` })
          .where(eq(repairOrders.id, order.id))
          .returning(),
      );
      if (order.assetId) await backInService(tx, order, "canceled", r);
      return canceled;
    }),
  );
}
