/**
 * Repair orders can no longer be stuck open (issue 10, item 2). The rules:
 * - an asset under an open repair order leaves in_repair only through that order (close or cancel);
 * - a cancel with parts still consumed is refused unless `returnParts`, which cancels their issue
 *   documents (reversing movements put the parts back in stock);
 * - canceling such an issue document directly works while the order is open, and parts_cost then
 *   counts only the parts still consumed; a closed order's documents cannot be canceled;
 * - an order whose asset left in_repair some other way (older rows) still closes and cancels.
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { IllegalTransitionError, InvalidStateError } from "../../../src/errors/index.js";
import { transitionAssetStatus } from "../../../src/queries/assets/index.js";
import {
  addRepairParts,
  cancelRepairOrder,
  cancelStockDocument,
  checkLedgerInvariant,
  closeRepairOrder,
  createStockDocument,
  getStockLevel,
  openRepairOrder,
  postStockDocument,
} from "../../../src/queries/warehouse/index.js";
import { assets } from "../../../src/schema/assets/tables.js";
import { repairOrders } from "../../../src/schema/warehouse/tables.js";
import { useTestDatabase } from "../../support/test-db.js";
import { makePart, makeWarehouse } from "../warehouse/fixtures.js";

const t = useTestDatabase();

const statusOf = async (assetId: string) =>
  (await t.db.select({ s: assets.status }).from(assets).where(eq(assets.id, assetId)))[0]?.s;
const orderOf = async (id: string) =>
  (await t.db.select().from(repairOrders).where(eq(repairOrders.id, id)))[0];

/** An in_stock asset under an open repair order that consumed 2 parts at 10.00 from 5 in stock. */
async function orderWithParts() {
  const wh = await makeWarehouse(t.db);
  const part = await makePart(t.db);
  const receipt = await createStockDocument(t.db, {
    docType: "receipt",
    warehouseId: wh,
    lines: [{ partId: part, qty: 5, unitCost: "10.00" }],
  });
  await postStockDocument(t.db, { documentId: receipt.id });
  const [asset] = await t.db
    .insert(assets)
    .values({ assetCode: `RO-${randomUUID().slice(0, 8)}`, status: "in_stock" })
    .returning();
  const order = await openRepairOrder(t.db, { assetId: asset!.id, title: "PSU", severity: "high" });
  const { issue } = await addRepairParts(t.db, {
    repairOrderId: order.id,
    warehouseId: wh,
    parts: [{ partId: part, qty: 2 }],
  });
  expect((await orderOf(order.id))?.partsCost).toBe("20.00");
  return { wh, part, assetId: asset!.id, order, issueId: issue.document.id };
}

describe("an asset under an open repair order", () => {
  it("cannot leave in_repair through the lifecycle (in_stock, retired, lost); the order then closes", async () => {
    const { assetId, order } = await orderWithParts();
    for (const to of ["in_stock", "retired", "lost"] as const) {
      const err = await transitionAssetStatus(t.db, { assetId, to }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IllegalTransitionError);
      expect(String((err as Error).message)).toContain(`repair order ${order.code} is open`);
    }
    expect(await statusOf(assetId)).toBe("in_repair");
    expect(await closeRepairOrder(t.db, { repairOrderId: order.id })).toMatchObject({
      status: "closed",
      partsCost: "20.00",
    });
    expect(await statusOf(assetId)).toBe("in_stock");
    // Once closed, the lifecycle is the asset's own again.
    await transitionAssetStatus(t.db, { assetId, to: "retired" });
  });
});

describe("canceling an order that consumed parts", () => {
  it("is refused without returnParts, and nothing changes", async () => {
    const { wh, part, order, assetId } = await orderWithParts();
    await expect(cancelRepairOrder(t.db, { repairOrderId: order.id })).rejects.toBeInstanceOf(
      InvalidStateError,
    );
    expect((await orderOf(order.id))?.status).toBe("open");
    expect(await statusOf(assetId)).toBe("in_repair");
    expect((await getStockLevel(t.db, { warehouseId: wh, partId: part })).onHand).toBe(3);
  });

  it("with returnParts puts the parts back in stock, parts_cost 0, asset back in service", async () => {
    const { wh, part, order, assetId } = await orderWithParts();
    const canceled = await cancelRepairOrder(t.db, { repairOrderId: order.id, returnParts: true });
    expect(canceled).toMatchObject({ status: "canceled", partsCost: "0.00" });
    expect((await getStockLevel(t.db, { warehouseId: wh, partId: part })).onHand).toBe(5);
    expect(await statusOf(assetId)).toBe("in_stock");
    expect(await checkLedgerInvariant(t.db)).toEqual([]);
  });

  it("works after the issue document was canceled first (the documented way out), cost follows", async () => {
    const { wh, part, order, issueId, assetId } = await orderWithParts();
    await cancelStockDocument(t.db, { documentId: issueId });
    expect((await orderOf(order.id))?.partsCost).toBe("0.00");
    expect((await getStockLevel(t.db, { warehouseId: wh, partId: part })).onHand).toBe(5);
    expect(await cancelRepairOrder(t.db, { repairOrderId: order.id })).toMatchObject({ status: "canceled" });
    expect(await statusOf(assetId)).toBe("in_stock");
  });

  it("a closed order's issue document cannot be canceled (its cost is final)", async () => {
    const { wh, part, order, issueId } = await orderWithParts();
    await closeRepairOrder(t.db, { repairOrderId: order.id });
    await expect(cancelStockDocument(t.db, { documentId: issueId })).rejects.toBeInstanceOf(
      InvalidStateError,
    );
    expect((await getStockLevel(t.db, { warehouseId: wh, partId: part })).onHand).toBe(3);
    expect((await orderOf(order.id))?.partsCost).toBe("20.00");
  });
});

describe("orders whose asset already left in_repair (rows written before the rule)", () => {
  it.each(["in_stock", "disposed"] as const)(
    "asset %s: close and cancel still end the order",
    async (status) => {
      const a = await orderWithParts();
      await t.db.update(assets).set({ status }).where(eq(assets.id, a.assetId));
      expect(await closeRepairOrder(t.db, { repairOrderId: a.order.id })).toMatchObject({ status: "closed" });
      expect(await statusOf(a.assetId)).toBe(status);
      const b = await orderWithParts();
      await t.db.update(assets).set({ status }).where(eq(assets.id, b.assetId));
      await cancelRepairOrder(t.db, { repairOrderId: b.order.id, returnParts: true });
      expect((await orderOf(b.order.id))?.status).toBe("canceled");
      expect(await statusOf(b.assetId)).toBe(status);
    },
  );
});
