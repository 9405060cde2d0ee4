/** Inventory sessions: snapshot of a subtree, scans (found / moved / unknown), close, summary. */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { InvalidStateError, NotFoundError, ValidationError } from "../../../src/errors/index.js";
import {
  closeInventorySession,
  inventorySummary,
  scanInventoryItem,
  startInventorySession,
} from "../../../src/queries/index.js";
import { inventoryItems } from "../../../src/schema/index.js";
import { useTestDatabase } from "../../support/test-db.js";
import { forceStatus, locationTree, newAsset, uniq } from "../assets/fixtures.js";

const t = useTestDatabase();

async function scene() {
  const tree = await locationTree(t.db);
  const inA = await newAsset(t.db, { locationId: tree.a.id, serialNo: uniq("SER") });
  const inB = await newAsset(t.db, { locationId: tree.b.id });
  const inB2 = await newAsset(t.db, { locationId: tree.b.id });
  const inC = await newAsset(t.db, { locationId: tree.c.id }); // outside the a-subtree
  const disposed = await newAsset(t.db, { locationId: tree.a.id });
  await forceStatus(t.db, disposed.id, "disposed");
  return { tree, inA, inB, inB2, inC, disposed };
}

describe("inventory session", () => {
  it("start snapshots the expected assets of the subtree (disposed ones excluded)", async () => {
    const s = await scene();
    const { session, expected } = await startInventorySession(t.db, {
      name: "Q1 count",
      locationId: s.tree.a.id,
    });
    expect(session.status).toBe("in_progress");
    expect(session.startedAt).toBeInstanceOf(Date);
    expect(expected).toBe(3);
    const items = await t.db.select().from(inventoryItems).where(eq(inventoryItems.sessionId, session.id));
    expect(items.map((i) => i.assetId).sort()).toEqual([s.inA.id, s.inB.id, s.inB2.id].sort());
    expect(await inventorySummary(t.db, { sessionId: session.id })).toMatchObject({
      expected: 3,
      unscanned: 3,
      found: 0,
      moved: 0,
      unknown: 0,
    });
  });

  it("scan: found where expected (by code or serial), moved elsewhere, unknown for no asset; close marks missing", async () => {
    const s = await scene();
    const { session } = await startInventorySession(t.db, { name: "count", locationId: s.tree.a.id });
    const sessionId = session.id;
    const found = await scanInventoryItem(t.db, {
      sessionId,
      code: s.inA.serialNo!,
      locationId: s.tree.a.id,
    });
    expect(found).toMatchObject({ assetId: s.inA.id, status: "found", scannedLocationId: s.tree.a.id });
    const moved = await scanInventoryItem(t.db, {
      sessionId,
      code: s.inB.assetCode,
      locationId: s.tree.a.id,
    });
    expect(moved).toMatchObject({ assetId: s.inB.id, status: "moved", expectedLocationId: s.tree.b.id });
    // An asset from outside the subtree turns up here: moved, with where it was recorded.
    const stray = await scanInventoryItem(t.db, {
      sessionId,
      code: s.inC.assetCode,
      locationId: s.tree.b.id,
    });
    expect(stray).toMatchObject({ assetId: s.inC.id, status: "moved", expectedLocationId: s.tree.c.id });
    const unknown = await scanInventoryItem(t.db, {
      sessionId,
      code: "NO-SUCH-TAG",
      locationId: s.tree.b.id,
    });
    expect(unknown).toMatchObject({ assetId: null, status: "unknown" });
    expect(unknown.note).toContain("NO-SUCH-TAG");
    // A rescan updates the same item.
    const rescanned = await scanInventoryItem(t.db, {
      sessionId,
      code: s.inB.assetCode,
      locationId: s.tree.b.id,
    });
    expect(rescanned).toMatchObject({ id: moved.id, status: "found" });

    expect(await inventorySummary(t.db, { sessionId })).toMatchObject({
      status: "in_progress",
      expected: 4,
      found: 2,
      moved: 1,
      unknown: 1,
      unscanned: 1,
      missing: 1,
    });
    const summary = await closeInventorySession(t.db, { sessionId });
    expect(summary).toMatchObject({
      status: "closed",
      found: 2,
      moved: 1,
      unknown: 1,
      missing: 1,
      unscanned: 0,
    });
    const [missing] = await t.db
      .select()
      .from(inventoryItems)
      .where(and(eq(inventoryItems.sessionId, sessionId), eq(inventoryItems.assetId, s.inB2.id)));
    expect(missing?.status).toBe("missing");
    expect(missing?.scannedAt).toBeNull();
  });

  it("refuses scans and a second close once closed, and unknown sessions or locations", async () => {
    const s = await scene();
    const { session } = await startInventorySession(t.db, { name: "count", locationId: s.tree.b.id });
    await expect(
      scanInventoryItem(t.db, {
        sessionId: session.id,
        code: s.inB.assetCode,
        locationId: "0e6a3b1c-8d2f-4c5a-9b7e-1f2d3c4b5a69",
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await closeInventorySession(t.db, { sessionId: session.id });
    await expect(
      scanInventoryItem(t.db, { sessionId: session.id, code: s.inB.assetCode, locationId: s.tree.b.id }),
    ).rejects.toBeInstanceOf(InvalidStateError);
    await expect(closeInventorySession(t.db, { sessionId: session.id })).rejects.toBeInstanceOf(
      InvalidStateError,
    );
    await expect(
      startInventorySession(t.db, { name: "x", locationId: "0e6a3b1c-8d2f-4c5a-9b7e-1f2d3c4b5a69" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      inventorySummary(t.db, { sessionId: "0e6a3b1c-8d2f-4c5a-9b7e-1f2d3c4b5a69" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(startInventorySession(t.db, { name: "", locationId: s.tree.b.id })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it("refuses a serial number shared by several assets (scan the code instead)", async () => {
    const s = await scene();
    const serial = uniq("DUPSER");
    await newAsset(t.db, { locationId: s.tree.b.id, serialNo: serial });
    await newAsset(t.db, { locationId: s.tree.b.id, serialNo: serial });
    const { session } = await startInventorySession(t.db, { name: "count", locationId: s.tree.b.id });
    await expect(
      scanInventoryItem(t.db, { sessionId: session.id, code: serial, locationId: s.tree.b.id }),
    ).rejects.toThrow(/several assets/);
  });
});
