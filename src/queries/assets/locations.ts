/**
 * The location tree. `path` is the materialised ancestry: a location's path is its parent's path
 * plus its own segment and "/" ('/hq/', '/hq/building-a/'), so a subtree is `path LIKE '<path>%'`
 * (served by idx_locations_path). Moving a location rewrites the path of its whole subtree.
 */
import { and, eq, ne, sql } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "../../db.js";
import { InvalidStateError, NotFoundError, parseInput, withDbErrors } from "../../errors/index.js";
import { advisoryXactLock, LOCK_KEYS } from "../../locks.js";
import { type Location, locations } from "../../schema/assets/index.js";
import {
  createLocationInput,
  moveLocationInput,
  renameLocationInput,
} from "../../validation/assets/schemas.js";
import { likePrefix } from "../shared/like.js";
import { one } from "../shared/rows.js";

/** Path segment of a location name: '/' would split it, so it becomes '-'. */
const segmentOf = (name: string) => name.trim().replaceAll("/", "-");

export type CreateLocationInput = z.input<typeof createLocationInput>;

async function getLocation(db: DbOrTx, id: string, lock = false): Promise<Location> {
  const query = db.select().from(locations).where(eq(locations.id, id));
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw new NotFoundError("location", id);
  return row;
}

async function refuseTakenPath(db: DbOrTx, path: string, exceptId?: string): Promise<void> {
  const [taken] = await db
    .select({ id: locations.id })
    .from(locations)
    .where(exceptId ? and(eq(locations.path, path), ne(locations.id, exceptId)) : eq(locations.path, path))
    .limit(1);
  // Same-named siblings would share a path and make subtree filters ambiguous.
  if (taken) throw new InvalidStateError(`a location with path ${path} already exists`);
}

/** Create a location under `parentId` (or a root), its path derived from the parent's. */
export async function createLocation(db: DbOrTx, input: CreateLocationInput): Promise<Location> {
  const { name, parentId } = parseInput(createLocationInput, input);
  return withDbErrors("createLocation", () =>
    db.transaction(async (tx) => {
      await advisoryXactLock(tx, LOCK_KEYS.locationTree);
      const parentPath = parentId ? (await getLocation(tx, parentId)).path : "/";
      const path = `${parentPath.endsWith("/") ? parentPath : `${parentPath}/`}${segmentOf(name)}/`;
      await refuseTakenPath(tx, path);
      const row = one(
        await tx
          .insert(locations)
          .values({ name, parentId: parentId ?? null, path })
          .returning(),
      );
      return row;
    }),
  );
}

export type MoveLocationInput = z.input<typeof moveLocationInput>;

/**
 * Re-parent a location and rewrite the path of its whole subtree in one UPDATE. Refused
 * (InvalidStateError) when the new parent is the location itself or inside its subtree.
 * Returns the moved location and how many paths were rewritten (itself included).
 */
export async function moveLocation(
  db: DbOrTx,
  input: MoveLocationInput,
): Promise<{ location: Location; rewritten: number }> {
  const { locationId, parentId } = parseInput(moveLocationInput, input);
  return withDbErrors("moveLocation", () =>
    db.transaction(async (tx) => {
      await advisoryXactLock(tx, LOCK_KEYS.locationTree);
      const location = await getLocation(tx, locationId, true);
      const oldPath = location.path;
      let parentPath = "/";
      if (parentId) {
        const parent = await getLocation(tx, parentId);
        if (parent.id === location.id || parent.path.startsWith(oldPath)) {
          throw new InvalidStateError(
            `location ${locationId} cannot move under ${parentId}: that is inside its own subtree`,
          );
        }
        parentPath = parent.path.endsWith("/") ? parent.path : `${parent.path}/`;
      }
      // Keep the location's own segment (whatever scheme wrote it); only the ancestry changes.
      const segment = oldPath.replace(/\/$/, "").split("/").pop() || segmentOf(location.name);
      const newPath = `${parentPath}${segment}/`;
      if (newPath !== oldPath) await refuseTakenPath(tx, newPath, locationId);
      const rewritten = await rewriteSubtree(tx, oldPath, newPath);
      const row = one(
        await tx
          .update(locations)
          .set({ parentId: parentId ?? null })
          .where(eq(locations.id, locationId))
          .returning(),
      );
      return { location: row, rewritten };
    }),
  );
}

/** Replace the `oldPath` prefix of a subtree's paths by `newPath`; returns how many rows changed. */
async function rewriteSubtree(tx: DbOrTx, oldPath: string, newPath: string): Promise<number> {
  const rewritten = await tx
    .update(locations)
    // The old prefix is cut by PostgreSQL's own length of it (characters): a JavaScript length
    // counts UTF-16 units, two for a character outside the BMP (an emoji in a name).
    .set({ path: sql`${newPath}::text || substr(${locations.path}, char_length(${oldPath}::text) + 1)` })
    .where(sql`${locations.path} LIKE ${likePrefix(oldPath)}`)
    .returning({ id: locations.id });
  return rewritten.length;
}

export type RenameLocationInput = z.input<typeof renameLocationInput>;

/**
 * Rename a location: its name, and its segment in the path of its whole subtree (one UPDATE).
 * InvalidStateError when a sibling already has that path. Returns the location and how many paths
 * were rewritten (itself included; 0 when the segment does not change).
 */
export async function renameLocation(
  db: DbOrTx,
  input: RenameLocationInput,
): Promise<{ location: Location; rewritten: number }> {
  const { locationId, name } = parseInput(renameLocationInput, input);
  return withDbErrors("renameLocation", () =>
    db.transaction(async (tx) => {
      await advisoryXactLock(tx, LOCK_KEYS.locationTree);
      const location = await getLocation(tx, locationId, true);
      const oldPath = location.path;
      const parentPath = oldPath.replace(/[^/]*\/$/, "");
      const newPath = `${parentPath}${segmentOf(name)}/`;
      let rewritten = 0;
      if (newPath !== oldPath) {
        await refuseTakenPath(tx, newPath, locationId);
        rewritten = await rewriteSubtree(tx, oldPath, newPath);
      }
      const row = one(
        await tx.update(locations).set({ name }).where(eq(locations.id, locationId)).returning(),
      );
      return { location: row, rewritten };
    }),
  );
}

/** Ids of a location and everything under it (a path-prefix scan). */
export async function locationSubtreeIds(db: DbOrTx, locationId: string): Promise<string[]> {
  return withDbErrors("locationSubtreeIds", async () => {
    const root = await getLocation(db, locationId);
    const rows = await db
      .select({ id: locations.id })
      .from(locations)
      .where(sql`${locations.path} LIKE ${likePrefix(root.path)}`);
    return rows.map((r) => r.id);
  });
}
