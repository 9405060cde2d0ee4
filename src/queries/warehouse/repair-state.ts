/**
 * What other modules need to know about repair orders without importing their operations (the
 * asset lifecycle and stock documents both consult it): which statuses are open, the open order
 * holding an asset, and parts_cost, recomputed from the parts still consumed.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db.js";
import type { RepairOrder } from "../../schema/warehouse/index.js";
import { repairOrderParts, repairOrders, stockDocuments } from "../../schema/warehouse/tables.js";
import { one, takeFirst } from "../shared/rows.js";

/** Statuses in which work (parts, status changes, close) can still happen. */
export const OPEN_REPAIR_STATUSES = ["open", "diagnosing", "waiting_parts", "repaired"] as const;
export type OpenRepairStatus = (typeof OPEN_REPAIR_STATUSES)[number];
export const isOpenRepairStatus = (s: string): s is OpenRepairStatus =>
  (OPEN_REPAIR_STATUSES as readonly string[]).includes(s);

/** The open repair order of an asset (at most one: opening one moves the asset to in_repair). */
export async function openRepairOrderOfAsset(
  db: DbOrTx,
  assetId: string,
): Promise<Pick<RepairOrder, "id" | "code"> | null> {
  const order = takeFirst(
    await db
      .select({ id: repairOrders.id, code: repairOrders.code })
      .from(repairOrders)
      .where(and(eq(repairOrders.assetId, assetId), inArray(repairOrders.status, [...OPEN_REPAIR_STATUSES])))
      .limit(1),
  );
  return order ?? null;
}

/**
 * parts_cost = sum(qty * unit_cost) of the order's parts that are still consumed: a part whose
 * issue document was canceled went back to stock and costs nothing (a part recorded without a
 * document, by older code, still counts).
 */
export async function recomputePartsCost(tx: DbOrTx, repairOrderId: string): Promise<RepairOrder> {
  return one(
    await tx
      .update(repairOrders)
      .set({
        partsCost: sql`(SELECT coalesce(sum(p.qty * coalesce(p.unit_cost, 0)), 0)
                          FROM ${repairOrderParts} p
                          LEFT JOIN ${stockDocuments} d ON d.id = p.stock_document_id
                         WHERE p.repair_order_id = ${repairOrderId}
                           AND (p.stock_document_id IS NULL OR d.status = 'posted'))`,
      })
      .where(eq(repairOrders.id, repairOrderId))
      .returning(),
  );
}
