/** Repair orders: asset lifecycle on open/close, parts consumed through posted issue documents. */
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "../../../src/db.js";
import { IllegalTransitionError } from "../../../src/errors/domain.js";
import {
  InsufficientStockError,
  InvalidStateError,
  NotFoundError,
  RepairOrderClosedError,
} from "../../../src/errors/index.js";
import {
  addRepairParts,
  cancelRepairOrder,
  checkLedgerInvariant,
  closeRepairOrder,
  createStockDocument,
  getStockLevel,
  openRepairOrder,
  postStockDocument,
  progressRepairOrder,
} from "../../../src/queries/warehouse/index.js";
import { assetAssignments, assetEvents, assets } from "../../../src/schema/assets/tables.js";
import { repairOrderParts, repairOrders, stockDocuments } from "../../../src/schema/warehouse/tables.js";
import { useTestDatabase } from "../../support/test-db.js";
import { makePart, makeWarehouse } from "./fixtures.js";

const t = useTestDatabase();

async function makeAsset(status: "in_stock" | "in_use" | "disposed" = "in_stock"): Promise<string> {
  const [row] = await t.db
    .insert(assets)
    .values({ assetCode: `A-${randomUUID().slice(0, 8)}`, status })
    .returning();
  if (status === "in_use") {
    await t.db
      .insert(assetAssignments)
      .values({ assetId: row!.id, assigneeType: "person", assigneeId: "u1", assigneeName: "User One" });
  }
  return row!.id;
}

const statusOf = async (assetId: string) =>
  (await t.db.select({ s: assets.status }).from(assets).where(eq(assets.id, assetId)))[0]!.s;
const eventsOf = (assetId: string) =>
  t.db.select().from(assetEvents).where(eq(assetEvents.assetId, assetId)).orderBy(assetEvents.createdAt);

async function stocked(qty: number, unitCost: string) {
  const wh = await makeWarehouse(t.db);
  const part = await makePart(t.db);
  const doc = await createStockDocument(t.db, {
    docType: "receipt",
    warehouseId: wh,
    lines: [{ partId: part, qty, unitCost }],
  });
  await postStockDocument(t.db, { documentId: doc.id });
  return { wh, part };
}

describe("repair orders", () => {
  it("open sends the asset to in_repair with an event naming the order", async () => {
    const asset = await makeAsset();
    const order = await openRepairOrder(t.db, {
      assetId: asset,
      title: "PSU dead",
      severity: "high",
      actorUserId: "tech",
    });
    expect(order).toMatchObject({
      status: "open",
      repairType: "internal",
      assetId: asset,
      partsCost: "0.00",
    });
    expect(order.code).toMatch(/^RO-\d{8}-/);
    expect(await statusOf(asset)).toBe("in_repair");
    const events = await eventsOf(asset);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      eventType: "status_changed",
      actorUserId: "tech",
      payload: { from: "in_stock", to: "in_repair", repairOrderId: order.id },
    });
  });

  it("refuses an asset already in repair, a disposed one and a missing one; no order is left", async () => {
    const asset = await makeAsset();
    await openRepairOrder(t.db, { assetId: asset, title: "first", severity: "low" });
    await expect(
      openRepairOrder(t.db, { assetId: asset, title: "second", severity: "low" }),
    ).rejects.toBeInstanceOf(IllegalTransitionError);
    const disposed = await makeAsset("disposed");
    await expect(
      openRepairOrder(t.db, { assetId: disposed, title: "x", severity: "low" }),
    ).rejects.toBeInstanceOf(IllegalTransitionError);
    await expect(
      openRepairOrder(t.db, { assetId: "00000000-0000-4000-8000-000000000000", title: "x", severity: "low" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const left = await t.db.select().from(repairOrders).where(eq(repairOrders.assetId, disposed));
    expect(left).toEqual([]);
    expect(await t.db.select().from(repairOrders).where(eq(repairOrders.assetId, asset))).toHaveLength(1);
  });

  it("consumes parts through a posted issue document; parts_cost = sum(qty * unit_cost)", async () => {
    const { wh, part } = await stocked(10, "25.00");
    const other = await makePart(t.db);
    const receipt = await createStockDocument(t.db, {
      docType: "receipt",
      warehouseId: wh,
      lines: [{ partId: other, qty: 2 }],
    });
    await postStockDocument(t.db, { documentId: receipt.id });
    const order = await openRepairOrder(t.db, {
      assetId: await makeAsset(),
      title: "fans",
      severity: "medium",
    });
    const first = await addRepairParts(t.db, {
      repairOrderId: order.id,
      warehouseId: wh,
      parts: [
        { partId: part, qty: 3 }, // latest receipt cost 25.00
        { partId: other, qty: 1, unitCost: 40, action: "add" },
      ],
    });
    expect(first.repairOrder.partsCost).toBe("115.00");
    expect(first.issue.document).toMatchObject({
      docType: "issue",
      status: "posted",
      refType: "repair_order",
      refId: order.id,
    });
    expect(first.parts.every((p) => p.stockDocumentId === first.issue.document.id)).toBe(true);
    expect(first.parts.map((p) => [p.unitCost, p.qty, p.action]).sort()).toEqual([
      ["25.00", 3, "replace"],
      ["40.00", 1, "add"],
    ]);
    expect(first.parts[0]!.partName).toMatch(/^Part /);
    const second = await addRepairParts(t.db, {
      repairOrderId: order.id,
      warehouseId: wh,
      parts: [{ partId: part, qty: 2, unitCost: "30.50" }],
    });
    expect(second.repairOrder.partsCost).toBe("176.00");
    const [sum] = await rows<{ total: string }>(
      t.db,
      sql`select sum(qty * unit_cost)::numeric(12,2)::text total from repair_order_parts where repair_order_id = ${order.id}`,
    );
    expect(sum!.total).toBe(second.repairOrder.partsCost);
    expect(await getStockLevel(t.db, { warehouseId: wh, partId: part })).toMatchObject({ onHand: 5 });
    expect(await checkLedgerInvariant(t.db)).toEqual([]);
  });

  it("a part's default cost is its latest receipt with a cost in that warehouse (transfers in count)", async () => {
    const receive = async (warehouseId: string, partId: string, unitCost?: string) =>
      postStockDocument(t.db, {
        documentId: (
          await createStockDocument(t.db, {
            docType: "receipt",
            warehouseId,
            lines: [{ partId, qty: 1, unitCost }],
          })
        ).id,
      });
    const { wh, part } = await stocked(2, "10.00");
    await receive(wh, part, "25.00"); // newer: this one
    await receive(wh, part); // newer still, no cost: does not hide 25.00
    const elsewhere = await makeWarehouse(t.db);
    await receive(elsewhere, part, "99.00"); // newest, another warehouse
    const moved = await makePart(t.db);
    await receive(elsewhere, moved, "7.00");
    await receive(wh, moved, "5.00");
    const transfer = await createStockDocument(t.db, {
      docType: "transfer",
      warehouseId: elsewhere,
      targetWarehouseId: wh,
      lines: [{ partId: moved, qty: 1, unitCost: "6.00" }],
    });
    await postStockDocument(t.db, { documentId: transfer.id }); // transfer_in at wh: newest receipt of `moved`
    const never = await makePart(t.db);
    await receive(elsewhere, never, "3.00");
    const order = await openRepairOrder(t.db, {
      assetId: await makeAsset(),
      title: "costs",
      severity: "low",
    });
    const added = await addRepairParts(t.db, {
      repairOrderId: order.id,
      warehouseId: wh,
      parts: [
        { partId: part, qty: 1 },
        { partId: moved, qty: 1 },
      ],
    });
    expect(Object.fromEntries(added.parts.map((p) => [p.partId, p.unitCost]))).toEqual({
      [part]: "25.00",
      [moved]: "6.00",
    });
    await expect(
      addRepairParts(t.db, {
        repairOrderId: order.id,
        warehouseId: elsewhere,
        parts: [{ partId: never, qty: 1 }],
      }),
    ).resolves.toMatchObject({ parts: [{ partId: never, unitCost: "3.00" }] });
  });

  it("insufficient stock leaves no document, no part rows and the cost unchanged", async () => {
    const { wh, part } = await stocked(1, "10.00");
    const order = await openRepairOrder(t.db, { assetId: await makeAsset(), title: "disk", severity: "low" });
    const docsBefore = await t.db.select().from(stockDocuments).where(eq(stockDocuments.refId, order.id));
    await expect(
      addRepairParts(t.db, { repairOrderId: order.id, warehouseId: wh, parts: [{ partId: part, qty: 2 }] }),
    ).rejects.toBeInstanceOf(InsufficientStockError);
    expect(await t.db.select().from(stockDocuments).where(eq(stockDocuments.refId, order.id))).toEqual(
      docsBefore,
    );
    expect(
      await t.db.select().from(repairOrderParts).where(eq(repairOrderParts.repairOrderId, order.id)),
    ).toEqual([]);
    expect((await t.db.select().from(repairOrders).where(eq(repairOrders.id, order.id)))[0]!.partsCost).toBe(
      "0.00",
    );
  });

  it("close returns an assigned asset to in_use and an unassigned one to in_stock, with events", async () => {
    const held = await makeAsset("in_use");
    const spare = await makeAsset("in_stock");
    const o1 = await openRepairOrder(t.db, { assetId: held, title: "screen", severity: "low" });
    const o2 = await openRepairOrder(t.db, { assetId: spare, title: "screen", severity: "low" });
    await progressRepairOrder(t.db, { repairOrderId: o1.id, status: "diagnosing", diagnosis: "cable" });
    await progressRepairOrder(t.db, { repairOrderId: o1.id, status: "repaired" });
    const closed = await closeRepairOrder(t.db, {
      repairOrderId: o1.id,
      resolution: "replaced cable",
      laborCost: 12.5,
    });
    expect(closed).toMatchObject({
      status: "closed",
      resolution: "replaced cable",
      laborCost: "12.50",
      diagnosis: "cable",
    });
    expect(closed.closedAt).toBeInstanceOf(Date);
    expect(closed.downtimeMinutes).toBe(0);
    await closeRepairOrder(t.db, { repairOrderId: o2.id, downtimeMinutes: 90 });
    expect(await statusOf(held)).toBe("in_use");
    expect(await statusOf(spare)).toBe("in_stock");
    expect((await eventsOf(held)).map((e) => [e.payload?.from, e.payload?.to])).toEqual([
      ["in_use", "in_repair"],
      ["in_repair", "in_use"],
    ]);
    expect((await eventsOf(spare)).at(-1)?.payload).toMatchObject({ to: "in_stock", repairOrderId: o2.id });
  });

  it("a closed order refuses parts, progress and a second close", async () => {
    const { wh, part } = await stocked(5, "1.00");
    const order = await openRepairOrder(t.db, { assetId: await makeAsset(), title: "x", severity: "low" });
    await closeRepairOrder(t.db, { repairOrderId: order.id });
    await expect(
      addRepairParts(t.db, { repairOrderId: order.id, warehouseId: wh, parts: [{ partId: part, qty: 1 }] }),
    ).rejects.toBeInstanceOf(RepairOrderClosedError);
    await expect(closeRepairOrder(t.db, { repairOrderId: order.id })).rejects.toMatchObject({
      status: "closed",
    });
    await expect(
      progressRepairOrder(t.db, { repairOrderId: order.id, status: "repaired" }),
    ).rejects.toBeInstanceOf(InvalidStateError);
    expect(await getStockLevel(t.db, { warehouseId: wh, partId: part })).toMatchObject({ onHand: 5 });
  });

  it("refuses backward progress; cancel only without consumed parts", async () => {
    const { wh, part } = await stocked(5, "1.00");
    const asset = await makeAsset();
    const order = await openRepairOrder(t.db, { assetId: asset, title: "x", severity: "low" });
    await progressRepairOrder(t.db, { repairOrderId: order.id, status: "repaired" });
    await expect(
      progressRepairOrder(t.db, { repairOrderId: order.id, status: "diagnosing" }),
    ).rejects.toBeInstanceOf(InvalidStateError);
    await addRepairParts(t.db, {
      repairOrderId: order.id,
      warehouseId: wh,
      parts: [{ partId: part, qty: 1 }],
    });
    await expect(cancelRepairOrder(t.db, { repairOrderId: order.id })).rejects.toBeInstanceOf(
      InvalidStateError,
    );

    const other = await makeAsset();
    const o2 = await openRepairOrder(t.db, { assetId: other, title: "x", severity: "low" });
    expect(await cancelRepairOrder(t.db, { repairOrderId: o2.id })).toMatchObject({ status: "canceled" });
    expect(await statusOf(other)).toBe("in_stock");
    const parts = await t.db
      .select()
      .from(repairOrderParts)
      .where(and(eq(repairOrderParts.repairOrderId, order.id)));
    expect(parts).toHaveLength(1);
  });
});
