/**
 * The asset lifecycle table, pair by pair: every declared transition succeeds (its guard met) and
 * writes its status_changed event; every other pair, and every failed guard, is refused with
 * IllegalTransitionError and changes nothing.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { NotFoundError, ValidationError } from "../../../src/errors/index.js";
import {
  ASSET_TRANSITIONS,
  type AssetStatus,
  IllegalTransitionError,
  transitionAssetStatus,
} from "../../../src/queries/index.js";
import { ASSET_STATUSES, assetAssignments, assetEvents, assets } from "../../../src/schema/index.js";
import { useTestDatabase } from "../../support/test-db.js";
import { forceStatus, newAsset, uniq } from "./fixtures.js";

const t = useTestDatabase();

async function assetIn(status: AssetStatus, assigned: boolean) {
  const asset = await newAsset(t.db);
  await forceStatus(t.db, asset.id, status);
  if (assigned) {
    await t.db
      .insert(assetAssignments)
      .values({ assetId: asset.id, assigneeType: "person", assigneeId: uniq("u"), assigneeName: "U" });
  }
  return asset;
}

const statusChanges = (assetId: string) =>
  t.db
    .select()
    .from(assetEvents)
    .where(and(eq(assetEvents.assetId, assetId), eq(assetEvents.eventType, "status_changed")));

const pairs = ASSET_STATUSES.flatMap((from) => ASSET_STATUSES.map((to) => [from, to] as const));

describe.each(pairs)("%s -> %s", (from, to) => {
  const guard = ASSET_TRANSITIONS[from][to];
  if (guard === undefined) {
    it("is refused and changes nothing", async () => {
      const asset = await assetIn(from, false);
      const error = await transitionAssetStatus(t.db, { assetId: asset.id, to }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IllegalTransitionError);
      expect(error).toMatchObject({ code: "INVALID_STATE", from, to });
      const [row] = await t.db.select().from(assets).where(eq(assets.id, asset.id));
      expect(row?.status).toBe(from);
      expect(await statusChanges(asset.id)).toHaveLength(0);
    });
    return;
  }
  it(`is allowed (guard: ${guard}) and writes a status_changed event`, async () => {
    const asset = await assetIn(from, guard === "assigned");
    const updated = await transitionAssetStatus(t.db, {
      assetId: asset.id,
      to,
      reason: "test",
      actorUserId: "tester",
      correlationId: "corr-1",
      payload: { ticket: "T-1" },
    });
    expect(updated.status).toBe(to);
    const events = await statusChanges(asset.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      payload: { from, to, reason: "test", ticket: "T-1" },
      actorUserId: "tester",
      correlationId: "corr-1",
    });
  });
  if (guard !== "any") {
    it(`is refused when the guard (${guard}) fails`, async () => {
      const asset = await assetIn(from, guard === "unassigned");
      await expect(transitionAssetStatus(t.db, { assetId: asset.id, to })).rejects.toBeInstanceOf(
        IllegalTransitionError,
      );
      expect(await statusChanges(asset.id)).toHaveLength(0);
    });
  }
});

describe("transitionAssetStatus", () => {
  it("disposed is terminal", () => {
    expect(Object.keys(ASSET_TRANSITIONS.disposed)).toEqual([]);
  });

  it("refuses in_stock -> in_use without an open assignment (the brief's example)", async () => {
    const asset = await newAsset(t.db);
    await expect(transitionAssetStatus(t.db, { assetId: asset.id, to: "in_use" })).rejects.toThrow(
      /needs an open assignment/,
    );
  });

  it("rolls back with the caller's transaction: no status change, no event", async () => {
    const asset = await newAsset(t.db);
    await t.db
      .transaction(async (tx) => {
        await transitionAssetStatus(tx, { assetId: asset.id, to: "in_repair" });
        throw new Error("caller fails later");
      })
      .catch(() => {});
    const [row] = await t.db.select().from(assets).where(eq(assets.id, asset.id));
    expect(row?.status).toBe("in_stock");
    expect(await statusChanges(asset.id)).toHaveLength(0);
  });

  it("refuses an unknown asset and invalid input", async () => {
    await expect(
      transitionAssetStatus(t.db, { assetId: "7d3c5a52-3f0e-4a7e-9d43-4d2f4f0f3a11", to: "lost" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      transitionAssetStatus(t.db, { assetId: "nope", to: "flying" as AssetStatus }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
