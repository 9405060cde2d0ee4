/**
 * The one place that changes spare_part_stock: every writer (posting, canceling, reserving) hands a
 * list of movements to applyMovements(), which locks the touched stock rows in a deterministic
 * order, checks free stock, updates the rows and appends the ledger rows, inside the caller's
 * transaction. One code path keeps "on_hand = signed sum of movements" true by construction.
 */
import { and, eq, or, type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db.js";
import { ValidationError } from "../../errors.js";
import { type MOVEMENT_TYPES, sparePartMovements, sparePartStock } from "../../schema/warehouse/tables.js";
import { INT32_MAX } from "../../validation/refinements.js";
import { InsufficientStockError, ReleaseExceedsReservedError } from "./errors.js";

export type MovementType = (typeof MOVEMENT_TYPES)[number];

/** Sign of each movement type on on_hand and on reserved (the ledger's definition). */
export const MOVEMENT_EFFECT: Record<MovementType, { onHand: -1 | 0 | 1; reserved: -1 | 0 | 1 }> = {
  in: { onHand: 1, reserved: 0 },
  adjust_in: { onHand: 1, reserved: 0 },
  transfer_in: { onHand: 1, reserved: 0 },
  out: { onHand: -1, reserved: 0 },
  adjust_out: { onHand: -1, reserved: 0 },
  transfer_out: { onHand: -1, reserved: 0 },
  reserve: { onHand: 0, reserved: 1 },
  release: { onHand: 0, reserved: -1 },
};

/** The movement that undoes another one (used by cancel). */
export const REVERSE_MOVEMENT: Record<MovementType, MovementType> = {
  in: "out",
  out: "in",
  adjust_in: "adjust_out",
  adjust_out: "adjust_in",
  transfer_in: "transfer_out",
  transfer_out: "transfer_in",
  reserve: "release",
  release: "reserve",
};

export interface MovementInput {
  warehouseId: string;
  partId: string;
  movementType: MovementType;
  qty: number;
  unitCost?: string | null;
}

export interface MovementMeta {
  refType?: string | null;
  refId?: string | null;
  actorUserId?: string | null;
  correlationId?: string | null;
}

export interface StockLevel {
  warehouseId: string;
  partId: string;
  onHand: number;
  reserved: number;
}

interface Delta {
  warehouseId: string;
  partId: string;
  onHand: number;
  reserved: number;
}

const keyOf = (warehouseId: string, partId: string) => `${warehouseId}/${partId}`;
const uuidArray = (ids: string[]) => sql`${`{${ids.join(",")}}`}::uuid[]`;
const intArray = (ns: number[]) => sql`${`{${ns.join(",")}}`}::int[]`;

/** Net change per (warehouse, part), sorted by (warehouse_id, part_id): the lock order. */
function netDeltas(movements: MovementInput[]): Delta[] {
  const byKey = new Map<string, Delta>();
  for (const m of movements) {
    const key = keyOf(m.warehouseId, m.partId);
    const d = byKey.get(key) ?? { warehouseId: m.warehouseId, partId: m.partId, onHand: 0, reserved: 0 };
    d.onHand += MOVEMENT_EFFECT[m.movementType].onHand * m.qty;
    d.reserved += MOVEMENT_EFFECT[m.movementType].reserved * m.qty;
    byKey.set(key, d);
  }
  // Same collation-free ordering as PostgreSQL's uuid ordering (lowercase hex compares bytewise).
  return [...byKey.values()].sort((a, b) =>
    a.warehouseId === b.warehouseId ? cmp(a.partId, b.partId) : cmp(a.warehouseId, b.warehouseId),
  );
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Apply movements atomically (call inside a transaction). Throws InsufficientStockError or
 * ReleaseExceedsReservedError before writing anything when a row would go short; the caller's
 * transaction then rolls back whatever it wrote before.
 */
export async function applyMovements(
  tx: DbOrTx,
  movements: MovementInput[],
  meta: MovementMeta = {},
): Promise<StockLevel[]> {
  if (movements.length === 0) return [];
  const deltas = netDeltas(movements);

  // Rows that gain stock may not exist yet; create them (zero) first, in lock order, so the
  // FOR UPDATE below sees them. ON CONFLICT DO NOTHING: a concurrent creator wins, harmlessly.
  const growing = deltas.filter((d) => d.onHand > 0 || d.reserved > 0);
  if (growing.length > 0) {
    await tx
      .insert(sparePartStock)
      .values(growing.map((d) => ({ warehouseId: d.warehouseId, partId: d.partId, onHand: 0, reserved: 0 })))
      .onConflictDoNothing({ target: [sparePartStock.warehouseId, sparePartStock.partId] })
      .prepare("netops_stock_create")
      .execute();
  }

  // Lock every touched row in (warehouse_id, part_id) order: concurrent posters queue on the same
  // rows in the same order, so they never deadlock and never lose an update.
  const match: SQL | undefined =
    deltas.length === 1
      ? and(
          eq(sparePartStock.warehouseId, deltas[0]!.warehouseId),
          eq(sparePartStock.partId, deltas[0]!.partId),
        )
      : or(
          ...deltas.map((d) =>
            and(eq(sparePartStock.warehouseId, d.warehouseId), eq(sparePartStock.partId, d.partId)),
          ),
        );
  const locked = await tx
    .select({
      warehouseId: sparePartStock.warehouseId,
      partId: sparePartStock.partId,
      onHand: sql<number>`coalesce(${sparePartStock.onHand}, 0)`.mapWith(Number),
      reserved: sql<number>`coalesce(${sparePartStock.reserved}, 0)`.mapWith(Number),
    })
    .from(sparePartStock)
    .where(match)
    .orderBy(sparePartStock.warehouseId, sparePartStock.partId)
    .for("update")
    .prepare("netops_stock_lock")
    .execute();
  const current = new Map(locked.map((r) => [keyOf(r.warehouseId!, r.partId!), r]));

  for (const d of deltas) {
    const row = current.get(keyOf(d.warehouseId, d.partId));
    const onHand = row?.onHand ?? 0;
    const reserved = row?.reserved ?? 0;
    if (reserved + d.reserved < 0) {
      throw new ReleaseExceedsReservedError(d.warehouseId, d.partId, -d.reserved, reserved);
    }
    // Free stock (on_hand - reserved) may not go negative; only decreases of it are checked, so a
    // receipt into a row that is (wrongly) short already still goes through.
    const freeChange = d.onHand - d.reserved;
    if (freeChange < 0 && onHand - reserved + freeChange < 0) {
      throw new InsufficientStockError(d.warehouseId, d.partId, -freeChange, onHand - reserved);
    }
    // on_hand and reserved are integer columns: refuse before PostgreSQL's bare "integer out of range".
    if (onHand + d.onHand > INT32_MAX || reserved + d.reserved > INT32_MAX) {
      throw new ValidationError([
        {
          path: "qty",
          message: `would take the stock of part ${d.partId} in warehouse ${d.warehouseId} above ${INT32_MAX}`,
        },
      ]);
    }
  }

  // One statement for every row; prepared (postgres.js then keeps a server-side plan per
  // connection), as are the other statements of this hot path.
  const v = sql.raw("v");
  await tx
    .update(sparePartStock)
    .set({
      onHand: sql`coalesce(${sparePartStock.onHand}, 0) + ${v}.d_on`,
      reserved: sql`coalesce(${sparePartStock.reserved}, 0) + ${v}.d_res`,
      updatedAt: sql`now()`,
    })
    .from(
      sql`unnest(${uuidArray(deltas.map((d) => d.warehouseId))}, ${uuidArray(deltas.map((d) => d.partId))}, ${intArray(deltas.map((d) => d.onHand))}, ${intArray(deltas.map((d) => d.reserved))}) AS v(w, p, d_on, d_res)`,
    )
    .where(sql`${sparePartStock.warehouseId} = ${v}.w AND ${sparePartStock.partId} = ${v}.p`)
    .prepare("netops_stock_apply")
    .execute();

  await tx
    .insert(sparePartMovements)
    .values(
      movements.map((m) => ({
        warehouseId: m.warehouseId,
        partId: m.partId,
        movementType: m.movementType,
        qty: m.qty,
        unitCost: m.unitCost ?? null,
        refType: meta.refType ?? null,
        refId: meta.refId ?? null,
        actorUserId: meta.actorUserId ?? null,
        correlationId: meta.correlationId ?? null,
      })),
    )
    .prepare("netops_movements_insert")
    .execute();

  return deltas.map((d) => {
    const row = current.get(keyOf(d.warehouseId, d.partId));
    return {
      warehouseId: d.warehouseId,
      partId: d.partId,
      onHand: (row?.onHand ?? 0) + d.onHand,
      reserved: (row?.reserved ?? 0) + d.reserved,
    };
  });
}
