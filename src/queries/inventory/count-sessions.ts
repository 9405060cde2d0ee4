/**
 * Inventory sessions: the assets expected in a location subtree are snapshotted as items when the
 * session starts (status `missing` with scanned_at NULL until someone scans them), scans mark them
 * found or moved (or record an unknown code), closing freezes what was never scanned as missing.
 */
import { and, eq, isNull, ne, or, sql } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "../../db.js";
import { InvalidStateError, NotFoundError, parseInput, withDbErrors } from "../../errors/index.js";
import {
  assets,
  type INVENTORY_ITEM_STATUSES,
  type InventoryItem,
  type InventorySession,
  inventoryItems,
  inventorySessions,
  locations,
} from "../../schema/assets/index.js";
import { scanInventoryInput, startInventoryInput } from "../../validation/assets/schemas.js";
import { idInput } from "../../validation/refinements.js";
import { likePrefix } from "../shared/like.js";
import { one } from "../shared/rows.js";

export type InventoryItemStatus = (typeof INVENTORY_ITEM_STATUSES)[number];

/** Assets that are no longer physically expected anywhere are not snapshotted. */
const NOT_EXPECTED = ["disposed", "lost"] as const;

export type StartInventoryInput = z.input<typeof startInventoryInput>;

/** Start a session for a location subtree; returns it with the number of expected assets. */
export async function startInventorySession(
  db: DbOrTx,
  input: StartInventoryInput,
): Promise<{ session: InventorySession; expected: number }> {
  const { name, locationId, createdBy, correlationId } = parseInput(startInventoryInput, input);
  return withDbErrors("startInventorySession", () =>
    db.transaction(async (tx) => {
      const [root] = await tx.select().from(locations).where(eq(locations.id, locationId));
      if (!root) throw new NotFoundError("location", locationId);
      const session = one(
        await tx
          .insert(inventorySessions)
          .values({
            name,
            locationId,
            status: "in_progress",
            startedAt: sql`now()`,
            createdBy: createdBy ?? null,
            correlationId: correlationId ?? null,
          })
          .returning(),
      );
      const s = session;
      await tx.execute(sql`
        INSERT INTO ${inventoryItems} (session_id, asset_id, expected_location_id, status)
        SELECT ${s.id}, a.id, a.location_id, 'missing'
        FROM ${assets} a JOIN ${locations} l ON l.id = a.location_id
        WHERE l.path LIKE ${likePrefix(root.path)}
          AND coalesce(a.status, 'in_stock') NOT IN (${sql.join(
            NOT_EXPECTED.map((v) => sql`${v}`),
            sql`, `,
          )})`);
      return { session: s, expected: await countItems(tx, s.id) };
    }),
  );
}

async function countItems(db: DbOrTx, sessionId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(inventoryItems)
    .where(eq(inventoryItems.sessionId, sessionId));
  return row?.n ?? 0;
}

/** The session row locked (FOR SHARE for scans, which may run side by side; FOR UPDATE to close). */
async function lockOpenSession(
  db: DbOrTx,
  sessionId: string,
  mode: "share" | "update",
): Promise<InventorySession> {
  const [session] = await db
    .select()
    .from(inventorySessions)
    .where(eq(inventorySessions.id, sessionId))
    .for(mode === "share" ? "share" : "update");
  if (!session) throw new NotFoundError("inventory session", sessionId);
  if (session.status !== "in_progress") {
    throw new InvalidStateError(`inventory session ${sessionId} is ${session.status}, not in_progress`);
  }
  return session;
}

export type ScanInput = z.input<typeof scanInventoryInput>;

const sessionIdInput = idInput("sessionId");

/**
 * Record a scan: `found` when the asset is where it was expected, `moved` when it is seen in another
 * location (or was not expected in this subtree at all), `unknown` when the code matches no asset.
 * Scanning an asset again updates its item (the last scan wins).
 */
export async function scanInventoryItem(db: DbOrTx, input: ScanInput): Promise<InventoryItem> {
  const { sessionId, code, locationId, note } = parseInput(scanInventoryInput, input);
  return withDbErrors("scanInventoryItem", () =>
    db.transaction(async (tx) => {
      await lockOpenSession(tx, sessionId, "share");
      const [place] = await tx
        .select({ id: locations.id })
        .from(locations)
        .where(eq(locations.id, locationId));
      if (!place) throw new NotFoundError("location", locationId);
      // asset_code is unique; serial numbers are not, so a code wins over a serial.
      const matches = await tx
        .select({
          id: assets.id,
          locationId: assets.locationId,
          byCode: sql<boolean>`${assets.assetCode} = ${code}`,
        })
        .from(assets)
        .where(or(eq(assets.assetCode, code), eq(assets.serialNo, code)))
        .orderBy(sql`${assets.assetCode} = ${code} DESC`)
        .limit(2);
      const [first, second] = matches;
      if (first && second && !first.byCode) {
        throw new InvalidStateError(`serial ${code} matches several assets; scan the asset code instead`);
      }
      if (!first) {
        const item = one(
          await tx
            .insert(inventoryItems)
            .values({
              sessionId,
              assetId: null,
              scannedLocationId: locationId,
              scannedAt: sql`now()`,
              status: "unknown",
              note: note ? `scanned code ${code}: ${note}` : `scanned code ${code}`,
            })
            .returning(),
        );
        return item;
      }
      const [existing] = await tx
        .select()
        .from(inventoryItems)
        .where(and(eq(inventoryItems.sessionId, sessionId), eq(inventoryItems.assetId, first.id)))
        .for("update");
      const expectedLocationId = existing ? existing.expectedLocationId : first.locationId;
      const status: InventoryItemStatus = existing && expectedLocationId === locationId ? "found" : "moved";
      const scanned = {
        scannedLocationId: locationId,
        scannedAt: sql`now()`,
        status,
        ...(note !== undefined ? { note } : {}),
      };
      if (existing) {
        return one(
          await tx.update(inventoryItems).set(scanned).where(eq(inventoryItems.id, existing.id)).returning(),
        );
      }
      // An asset not in the snapshot: concurrent scans of it race to insert its item. The loser
      // of the race records its scan on the winner's row (last scan wins, as for any rescan),
      // judged against the expected location that row holds.
      return one(
        await tx
          .insert(inventoryItems)
          .values({ sessionId, assetId: first.id, expectedLocationId, ...scanned })
          .onConflictDoUpdate({
            target: [inventoryItems.sessionId, inventoryItems.assetId],
            set: {
              scannedLocationId: sql`excluded.scanned_location_id`,
              scannedAt: sql`excluded.scanned_at`,
              status: sql`CASE WHEN ${inventoryItems.expectedLocationId} = excluded.scanned_location_id
                               THEN 'found' ELSE 'moved' END`,
              ...(note !== undefined ? { note: sql`excluded.note` } : {}),
            },
          })
          .returning(),
      );
    }),
  );
}

export type InventorySummary = {
  sessionId: string;
  status: InventorySession["status"];
  /** Items snapshotted at start or added by scans, unknown codes excluded. */
  expected: number;
  /** Expected items not scanned yet (0 once closed: they are then counted as missing). */
  unscanned: number;
} & Record<InventoryItemStatus, number>;

/** Counts per item status of one session. */
export async function inventorySummary(db: DbOrTx, input: { sessionId: string }): Promise<InventorySummary> {
  const { sessionId } = parseInput(sessionIdInput, input);
  return withDbErrors("inventorySummary", async () => {
    const [session] = await db.select().from(inventorySessions).where(eq(inventorySessions.id, sessionId));
    if (!session) throw new NotFoundError("inventory session", sessionId);
    const [c] = await db
      .select({
        found: sql<number>`count(*) FILTER (WHERE ${inventoryItems.status} = 'found')::int`,
        moved: sql<number>`count(*) FILTER (WHERE ${inventoryItems.status} = 'moved')::int`,
        unknown: sql<number>`count(*) FILTER (WHERE ${inventoryItems.status} = 'unknown')::int`,
        unscanned: sql<number>`count(*) FILTER (WHERE ${inventoryItems.scannedAt} IS NULL)::int`,
        missing: sql<number>`count(*) FILTER (WHERE ${inventoryItems.status} = 'missing')::int`,
        expected: sql<number>`count(*) FILTER (WHERE ${inventoryItems.status} <> 'unknown')::int`,
      })
      .from(inventoryItems)
      .where(eq(inventoryItems.sessionId, sessionId));
    const counts = c ?? { found: 0, moved: 0, unknown: 0, unscanned: 0, missing: 0, expected: 0 };
    return {
      sessionId,
      status: session.status,
      ...counts,
      unscanned: session.status === "in_progress" ? counts.unscanned : 0,
    };
  });
}

/** Close an in_progress session: unscanned items become (stay) missing; returns the final summary. */
export async function closeInventorySession(
  db: DbOrTx,
  input: { sessionId: string },
): Promise<InventorySummary> {
  const { sessionId } = parseInput(sessionIdInput, input);
  return withDbErrors("closeInventorySession", () =>
    db.transaction(async (tx) => {
      await lockOpenSession(tx, sessionId, "update");
      await tx
        .update(inventoryItems)
        .set({ status: "missing" })
        .where(
          and(
            eq(inventoryItems.sessionId, sessionId),
            isNull(inventoryItems.scannedAt),
            ne(inventoryItems.status, "missing"),
          ),
        );
      await tx
        .update(inventorySessions)
        .set({ status: "closed", closedAt: sql`now()` })
        .where(eq(inventorySessions.id, sessionId));
      return inventorySummary(tx, { sessionId });
    }),
  );
}
