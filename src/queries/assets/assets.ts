/**
 * Assets: models whose spec must satisfy the category's active spec version, asset creation,
 * prepared look-ups, assignment, return and moves, each with its asset_events row.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "../../db.js";
import {
  InvalidStateError,
  inputParser,
  NotFoundError,
  parseInput,
  withDbErrors,
} from "../../errors/index.js";
import {
  type Asset,
  type AssetAssignment,
  type AssetModel,
  assetAssignments,
  assetModels,
  assets,
  locations,
} from "../../schema/assets/index.js";
import {
  assetCodeInput,
  assignAssetInput,
  createAssetInput,
  createAssetModelInput,
  moveAssetInput,
  returnAssetInput,
} from "../../validation/assets/schemas.js";
import { activeSpecDefs, parseFields } from "../../validation/dynamic.js";
import { idInput } from "../../validation/refinements.js";
import { preparedRows } from "../shared/prepared.js";
import { one, takeFirst } from "../shared/rows.js";
import { lockAsset, statusOf, transitionAssetStatus, writeAssetEvent } from "./lifecycle.js";

export type CreateAssetModelInput = z.input<typeof createAssetModelInput>;

/**
 * Create a model. With a category that has an active spec version, `spec` is validated (and
 * normalised: defaults, MAC notation) against it and the version is recorded in spec_version_id.
 */
export async function createAssetModel(db: DbOrTx, input: CreateAssetModelInput): Promise<AssetModel> {
  const values = parseInput(createAssetModelInput, input);
  return withDbErrors("createAssetModel", () =>
    db.transaction(async (tx) => {
      let spec = values.spec ?? {};
      let specVersionId: string | null = null;
      if (values.categoryId) {
        const active = await activeSpecDefs(tx, values.categoryId);
        if (active) {
          spec = parseFields(active.defs, spec, "spec");
          specVersionId = active.versionId;
        }
      }
      const row = one(
        await tx
          .insert(assetModels)
          .values({ ...values, spec, specVersionId })
          .returning(),
      );
      return row;
    }),
  );
}

export type CreateAssetInput = z.input<typeof createAssetInput>;

/**
 * Create an asset (always in_stock: in_use needs an assignment). Its model's spec is checked against
 * the category's active spec version, so assets are not created from a model the current spec
 * rejects (ValidationError with paths under `model.spec`). Writes a `created` event.
 */
export async function createAsset(db: DbOrTx, input: CreateAssetInput): Promise<Asset> {
  const { actorUserId, correlationId, ...values } = parseInput(createAssetInput, input);
  return withDbErrors("createAsset", () =>
    db.transaction(async (tx) => {
      if (values.modelId) {
        const [model] = await tx.select().from(assetModels).where(eq(assetModels.id, values.modelId));
        if (!model) throw new NotFoundError("asset model", values.modelId);
        if (model.categoryId) {
          const active = await activeSpecDefs(tx, model.categoryId);
          if (active) {
            parseFields(active.defs, model.spec ?? {}, "model.spec");
          }
        }
      }
      const asset = one(
        await tx
          .insert(assets)
          .values({ ...values, status: "in_stock" })
          .returning(),
      );
      const created = asset;
      await writeAssetEvent(
        tx,
        created.id,
        "created",
        { assetCode: created.assetCode, status: "in_stock" },
        { actorUserId, correlationId },
      );
      return created;
    }),
  );
}

const assetById = preparedRows<Asset>(
  "asset_by_id",
  (db, name) =>
    db
      .select()
      .from(assets)
      .where(eq(assets.id, sql.placeholder("id")))
      .prepare(name),
  { read: true },
);
const assetByCode = preparedRows<Asset>(
  "asset_by_code",
  (db, name) =>
    db
      .select()
      .from(assets)
      .where(eq(assets.assetCode, sql.placeholder("code")))
      .prepare(name),
  { read: true },
);

// Built once: a zod schema built per call costs more than the query it guards (issue 15); the
// common input then skips the schema's object parse (inputParser).
const parseGetAssetInput = inputParser(idInput("id"));
const parseAssetCodeInput = inputParser(assetCodeInput);

/** Hot path (prepared): the asset with that id, or null. */
export async function getAsset(db: DbOrTx, input: { id: string }): Promise<Asset | null> {
  const { id } = parseGetAssetInput(input);
  const [row] = await withDbErrors("getAsset", () => assetById(db, { id }));
  return row ?? null;
}

/** Hot path (prepared): the asset with that asset_code (exact), or null. */
export async function findAssetByCode(db: DbOrTx, input: { assetCode: string }): Promise<Asset | null> {
  const { assetCode } = parseAssetCodeInput(input);
  const [row] = await withDbErrors("findAssetByCode", () => assetByCode(db, { code: assetCode }));
  return row ?? null;
}

export type AssignAssetInput = z.input<typeof assignAssetInput>;

/**
 * Hand an in_stock asset to a person, department or system: opens an assignment and moves the
 * asset to in_use, with `assigned` and `status_changed` events. The asset row is locked first, so
 * of two concurrent assigns exactly one wins; the other gets InvalidStateError (and the partial
 * unique index idx_asset_assignments_asset_id_open backs this up for writers that skip the lock).
 */
export async function assignAsset(
  db: DbOrTx,
  input: AssignAssetInput,
): Promise<{ asset: Asset; assignment: AssetAssignment }> {
  const { assetId, actorUserId, correlationId, ...who } = parseInput(assignAssetInput, input);
  return withDbErrors("assignAsset", () =>
    db.transaction(async (tx) => {
      const asset = await lockAsset(tx, assetId);
      const status = statusOf(asset);
      if (status !== "in_stock") {
        throw new InvalidStateError(`asset ${assetId} is ${status}; only an in_stock asset can be assigned`);
      }
      const assignment = one(
        await tx
          .insert(assetAssignments)
          .values({ assetId, ...who })
          .returning(),
      );
      await writeAssetEvent(
        tx,
        assetId,
        "assigned",
        { assignmentId: assignment?.id ?? null, assigneeType: who.assigneeType, assigneeId: who.assigneeId },
        { actorUserId, correlationId },
      );
      const updated = await transitionAssetStatus(tx, {
        assetId,
        to: "in_use",
        reason: "assigned",
        ...(actorUserId ? { actorUserId } : {}),
        ...(correlationId ? { correlationId } : {}),
      });
      return { asset: updated, assignment: assignment };
    }),
  );
}

export type ReturnAssetInput = z.input<typeof returnAssetInput>;

/**
 * Close the open assignment (returned_at = now()); an in_use asset goes back to in_stock (an asset
 * in repair or lost keeps its status). InvalidStateError when nothing is assigned.
 */
export async function returnAsset(
  db: DbOrTx,
  input: ReturnAssetInput,
): Promise<{ asset: Asset; assignment: AssetAssignment }> {
  const { assetId, note, actorUserId, correlationId } = parseInput(returnAssetInput, input);
  return withDbErrors("returnAsset", () =>
    db.transaction(async (tx) => {
      let asset = await lockAsset(tx, assetId);
      const assignment = takeFirst(
        await tx
          .update(assetAssignments)
          .set({
            returnedAt: sql`now()`,
            ...(note ? { note: sql`concat_ws(E'\n', ${assetAssignments.note}, ${note}::text)` } : {}),
          })
          .where(and(eq(assetAssignments.assetId, assetId), isNull(assetAssignments.returnedAt)))
          .returning(),
      );
      if (!assignment) throw new InvalidStateError(`asset ${assetId} has no open assignment to return`);
      await writeAssetEvent(
        tx,
        assetId,
        "returned",
        { assignmentId: assignment.id, assigneeId: assignment.assigneeId },
        { actorUserId, correlationId },
      );
      if (statusOf(asset) === "in_use") {
        asset = await transitionAssetStatus(tx, {
          assetId,
          to: "in_stock",
          reason: "returned",
          ...(actorUserId ? { actorUserId } : {}),
          ...(correlationId ? { correlationId } : {}),
        });
      }
      return { asset, assignment };
    }),
  );
}

export type MoveAssetInput = z.input<typeof moveAssetInput>;

/** Move an asset to another location, with a `moved` event {from, to}. Disposed assets do not move. */
export async function moveAsset(db: DbOrTx, input: MoveAssetInput): Promise<Asset> {
  const { assetId, locationId, actorUserId, correlationId } = parseInput(moveAssetInput, input);
  return withDbErrors("moveAsset", () =>
    db.transaction(async (tx) => {
      const asset = await lockAsset(tx, assetId);
      if (statusOf(asset) === "disposed") throw new InvalidStateError(`asset ${assetId} is disposed`);
      const [target] = await tx
        .select({ id: locations.id })
        .from(locations)
        .where(eq(locations.id, locationId));
      if (!target) throw new NotFoundError("location", locationId);
      if (asset.locationId === locationId) {
        throw new InvalidStateError(`asset ${assetId} is already at location ${locationId}`);
      }
      const updated = one(
        await tx.update(assets).set({ locationId }).where(eq(assets.id, assetId)).returning(),
      );
      await writeAssetEvent(
        tx,
        assetId,
        "moved",
        { from: asset.locationId, to: locationId },
        { actorUserId, correlationId },
      );
      return updated;
    }),
  );
}
