/**
 * Asset lifecycle: ONE declared transition table, checked under a row lock, every change written
 * with its asset_events row in the same transaction.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "../../db.js";
import { IllegalTransitionError } from "../../errors/domain.js";
import { NotFoundError, parseInput, withDbErrors } from "../../errors/index.js";
import type { JsonObject } from "../../schema/_helpers.js";
import {
  type ASSET_STATUSES,
  type Asset,
  assetAssignments,
  assetEvents,
  assets,
} from "../../schema/assets/index.js";
import { transitionAssetStatusInput } from "../../validation/assets/schemas.js";
import { one } from "../shared/rows.js";
import { openRepairOrderOfAsset } from "../warehouse/repair-state.js";

export type AssetStatus = (typeof ASSET_STATUSES)[number];

/**
 * What a transition needs besides being listed: `assigned` = the asset has an open assignment
 * (in_use means someone holds it), `unassigned` = it has none (stock, retirement and disposal need
 * the asset back first), `any` = no condition (a held laptop can go to repair or be lost).
 */
export type TransitionGuard = "any" | "assigned" | "unassigned";

/** The lifecycle: from -> { to: guard }. Anything not listed is refused; disposed is terminal. */
export const ASSET_TRANSITIONS: {
  readonly [From in AssetStatus]: Readonly<Partial<Record<AssetStatus, TransitionGuard>>>;
} = {
  in_stock: { in_use: "assigned", in_repair: "any", retired: "unassigned", lost: "any" },
  in_use: { in_stock: "unassigned", in_repair: "any", lost: "any" },
  in_repair: { in_stock: "unassigned", in_use: "assigned", retired: "unassigned", lost: "any" },
  retired: { in_stock: "unassigned", disposed: "unassigned" },
  lost: { in_stock: "unassigned", in_use: "assigned", retired: "unassigned", disposed: "unassigned" },
  disposed: {},
};

/** A NULL status (legacy rows; the column is nullable in 0000) counts as its default, in_stock. */
export const statusOf = (asset: Pick<Asset, "status">): AssetStatus => asset.status ?? "in_stock";

export interface EventMeta {
  actorUserId?: string | undefined;
  correlationId?: string | undefined;
}

/** Append one asset_events row (inside the caller's transaction). */
export async function writeAssetEvent(
  db: DbOrTx,
  assetId: string,
  eventType: string,
  payload: JsonObject,
  meta: EventMeta = {},
): Promise<void> {
  await db.insert(assetEvents).values({
    assetId,
    eventType,
    payload,
    actorUserId: meta.actorUserId ?? null,
    correlationId: meta.correlationId ?? null,
  });
}

/** The asset row locked FOR UPDATE until the end of the transaction, or NotFoundError. */
export async function lockAsset(db: DbOrTx, assetId: string): Promise<Asset> {
  const [row] = await db.select().from(assets).where(eq(assets.id, assetId)).for("update");
  if (!row) throw new NotFoundError("asset", assetId);
  return row;
}

/** True when the asset has an assignment that is not returned. */
export async function hasOpenAssignment(db: DbOrTx, assetId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: assetAssignments.id })
    .from(assetAssignments)
    .where(and(eq(assetAssignments.assetId, assetId), isNull(assetAssignments.returnedAt)))
    .limit(1);
  return row !== undefined;
}

/** in_use when someone holds the asset, in_stock otherwise: where a repaired or found asset goes back. */
export async function serviceStatusOf(db: DbOrTx, assetId: string): Promise<"in_use" | "in_stock"> {
  return (await hasOpenAssignment(db, assetId)) ? "in_use" : "in_stock";
}

export type TransitionAssetStatusInput = z.input<typeof transitionAssetStatusInput>;

/**
 * Check `from -> to` against ASSET_TRANSITIONS and its guard with the asset row locked, update the
 * status and write a `status_changed` event ({from, to, reason, ...payload}), in one transaction
 * (a savepoint inside a caller's transaction). Refusals: NotFoundError, IllegalTransitionError.
 */
export async function transitionAssetStatus(
  db: DbOrTx,
  input: TransitionAssetStatusInput,
  /** Set only by the repair-order operations: the order this change is made for. */
  on?: { repairOrderId: string },
): Promise<Asset> {
  const { assetId, to, reason, actorUserId, correlationId, payload } = parseInput(
    transitionAssetStatusInput,
    input,
  );
  return withDbErrors("transitionAssetStatus", () =>
    db.transaction(async (tx) => {
      const asset = await lockAsset(tx, assetId);
      const from = statusOf(asset);
      // An asset under an open repair order leaves in_repair only through that order (close or
      // cancel): otherwise the order could never be closed, and its parts would stay consumed.
      if (from === "in_repair") {
        const order = await openRepairOrderOfAsset(tx, assetId);
        if (order && order.id !== on?.repairOrderId) {
          throw new IllegalTransitionError(
            "asset",
            assetId,
            from,
            to,
            `repair order ${order.code} is open: close or cancel it`,
          );
        }
      }
      const guard = ASSET_TRANSITIONS[from][to];
      if (guard === undefined) {
        throw new IllegalTransitionError(
          "asset",
          assetId,
          from,
          to,
          from === "disposed" ? "disposed is terminal" : "not in the lifecycle table",
        );
      }
      if (guard !== "any") {
        const assigned = await hasOpenAssignment(tx, assetId);
        if (guard === "assigned" && !assigned) {
          throw new IllegalTransitionError("asset", assetId, from, to, "needs an open assignment");
        }
        if (guard === "unassigned" && assigned) {
          throw new IllegalTransitionError("asset", assetId, from, to, "the asset must be returned first");
        }
      }
      const updated = one(
        await tx.update(assets).set({ status: to }).where(eq(assets.id, assetId)).returning(),
      );
      await writeAssetEvent(
        tx,
        assetId,
        "status_changed",
        { ...(payload ?? {}), from, to, ...(reason ? { reason } : {}) },
        { actorUserId, correlationId },
      );
      return updated;
    }),
  );
}
