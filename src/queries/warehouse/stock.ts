/** Stock reads and reservations: current level, reserve/release, low-stock report, ledger check. */
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { type DbOrTx, rows } from "../../db.js";
import { parseInput, withDbErrors } from "../../errors/index.js";
import { sparePartMovements, sparePartStock, spareParts, warehouses } from "../../schema/warehouse/tables.js";
import { lowStockInput, reservationInput, stockKeyInput } from "../../validation/warehouse/schemas.js";
import { preparedPer } from "../shared/prepared.js";
import { one } from "../shared/rows.js";
import { applyMovements, MOVEMENT_EFFECT, type MovementType, type StockLevel } from "./ledger.js";

const stockLevelQuery = preparedPer(
  "netops_stock_level",
  (db, name) =>
    db
      .select({
        warehouseId: sparePartStock.warehouseId,
        partId: sparePartStock.partId,
        onHand: sql<number>`coalesce(${sparePartStock.onHand}, 0)`.mapWith(Number),
        reserved: sql<number>`coalesce(${sparePartStock.reserved}, 0)`.mapWith(Number),
      })
      .from(sparePartStock)
      .where(
        and(
          eq(sparePartStock.warehouseId, sql.placeholder("warehouseId")),
          eq(sparePartStock.partId, sql.placeholder("partId")),
        ),
      )
      .prepare(name),
  { read: true },
);

/** Stock of one part in one warehouse (zeros when it has never been stocked there). */
export async function getStockLevel(
  db: DbOrTx,
  input: { warehouseId: string; partId: string },
): Promise<StockLevel & { available: number }> {
  return withDbErrors("getStockLevel", async () => {
    const key = parseInput(stockKeyInput, input);
    const [row] = await stockLevelQuery(db).execute(key);
    const onHand = row?.onHand ?? 0;
    const reserved = row?.reserved ?? 0;
    return { ...key, onHand, reserved, available: onHand - reserved };
  });
}

export type ReservationInput = z.input<typeof reservationInput>;

async function reservation(
  db: DbOrTx,
  input: ReservationInput,
  movementType: MovementType,
  operation: string,
): Promise<StockLevel> {
  const r = parseInput(reservationInput, input);
  return withDbErrors(operation, () =>
    db.transaction(async (tx) => {
      const level = one(
        await applyMovements(
          tx,
          [{ warehouseId: r.warehouseId, partId: r.partId, movementType, qty: r.qty }],
          {
            refType: r.refType ?? null,
            refId: r.refId ?? null,
            actorUserId: r.actorUserId ?? null,
            correlationId: r.correlationId ?? null,
          },
        ),
      );
      return level;
    }),
  );
}

/** Reserve free stock (reserved += qty, on_hand unchanged); InsufficientStockError when not free. */
export function reserveStock(db: DbOrTx, input: ReservationInput): Promise<StockLevel> {
  return reservation(db, input, "reserve", "reserveStock");
}

/** Release a reservation (reserved -= qty); ReleaseExceedsReservedError beyond what is reserved. */
export function releaseStock(db: DbOrTx, input: ReservationInput): Promise<StockLevel> {
  return reservation(db, input, "release", "releaseStock");
}

export interface LowStockRow {
  warehouseId: string;
  warehouseCode: string;
  partId: string;
  partCode: string;
  partName: string;
  onHand: number;
  reserved: number;
  available: number;
  minLevel: number;
  /** min_level - available: how many to order to reach the minimum. */
  shortage: number;
}

const available = sql<number>`coalesce(${sparePartStock.onHand}, 0) - coalesce(${sparePartStock.reserved}, 0)`;

const lowStockQuery = preparedPer(
  "netops_low_stock",
  (db, name) =>
    db
      .select({
        warehouseId: sql<string>`${warehouses.id}`,
        warehouseCode: warehouses.code,
        partId: sql<string>`${spareParts.id}`,
        partCode: spareParts.partCode,
        partName: spareParts.name,
        onHand: sql<number>`coalesce(${sparePartStock.onHand}, 0)`.mapWith(Number),
        reserved: sql<number>`coalesce(${sparePartStock.reserved}, 0)`.mapWith(Number),
        available: available.mapWith(Number),
        minLevel: sql<number>`coalesce(${spareParts.minLevel}, 0)`.mapWith(Number),
        shortage: sql<number>`coalesce(${spareParts.minLevel}, 0) - (${available})`.mapWith(Number),
      })
      .from(sparePartStock)
      .innerJoin(spareParts, eq(spareParts.id, sparePartStock.partId))
      .innerJoin(warehouses, eq(warehouses.id, sparePartStock.warehouseId))
      .where(
        and(
          sql`${available} < coalesce(${spareParts.minLevel}, 0)`,
          sql`(${sql.placeholder("warehouseId")}::uuid IS NULL OR ${sparePartStock.warehouseId} = ${sql.placeholder("warehouseId")}::uuid)`,
        ),
      )
      .orderBy(sql`10 DESC`, warehouses.code, spareParts.partCode)
      .prepare(name),
  { read: true },
);

/**
 * Stock rows whose free stock (on_hand - reserved) is below the part's min_level, biggest
 * shortage first. Only (warehouse, part) pairs that have a stock row are considered.
 */
export async function lowStockReport(db: DbOrTx, input?: { warehouseId?: string }): Promise<LowStockRow[]> {
  return withDbErrors("lowStockReport", async () => {
    const filter = parseInput(lowStockInput, input);
    return lowStockQuery(db).execute({ warehouseId: filter?.warehouseId ?? null });
  });
}

export interface LedgerViolation {
  warehouseId: string;
  partId: string;
  /** null when the ledger has movements but no stock row exists. */
  onHand: number | null;
  reserved: number | null;
  /** Signed sum of the movements. */
  ledgerOnHand: number;
  ledgerReserved: number;
  problems: ("on_hand_mismatch" | "reserved_mismatch" | "negative" | "reserved_exceeds_on_hand")[];
}

/** CASE expression summing one effect of the movement types, from MOVEMENT_EFFECT (one definition). */
function signedSum(effect: "onHand" | "reserved"): SQL {
  const branches = (Object.keys(MOVEMENT_EFFECT) as MovementType[])
    .filter((t) => MOVEMENT_EFFECT[t][effect] !== 0)
    .map((t) => sql.raw(`WHEN '${t}' THEN ${MOVEMENT_EFFECT[t][effect]} * qty`));
  return sql`coalesce(sum(CASE movement_type ${sql.join(branches, sql` `)} ELSE 0 END), 0)::int`;
}

/**
 * Every (warehouse, part) where spare_part_stock disagrees with the ledger: on_hand must equal the
 * signed sum of in/adjust_in/transfer_in minus out/adjust_out/transfer_out, reserved the sum of
 * reserve minus release; neither may be negative nor reserved exceed on_hand. Empty = consistent.
 */
export async function checkLedgerInvariant(db: DbOrTx): Promise<LedgerViolation[]> {
  return withDbErrors("checkLedgerInvariant", async () => {
    const result = await rows<{
      warehouse_id: string;
      part_id: string;
      on_hand: number | null;
      reserved: number | null;
      ledger_on_hand: number;
      ledger_reserved: number;
    }>(
      db,
      sql`
        WITH ledger AS (
          SELECT warehouse_id, part_id, ${signedSum("onHand")} AS on_hand, ${signedSum("reserved")} AS reserved
            FROM ${sparePartMovements}
           GROUP BY warehouse_id, part_id
        )
        SELECT coalesce(s.warehouse_id, l.warehouse_id) AS warehouse_id,
               coalesce(s.part_id, l.part_id) AS part_id,
               s.on_hand, s.reserved,
               coalesce(l.on_hand, 0) AS ledger_on_hand, coalesce(l.reserved, 0) AS ledger_reserved
          FROM ${sparePartStock} s
          FULL JOIN ledger l ON l.warehouse_id = s.warehouse_id AND l.part_id = s.part_id
         WHERE coalesce(s.on_hand, 0) <> coalesce(l.on_hand, 0)
            OR coalesce(s.reserved, 0) <> coalesce(l.reserved, 0)
            OR s.on_hand < 0 OR s.reserved < 0 OR s.reserved > s.on_hand
         ORDER BY 1, 2`,
    );
    return result.map((r) => {
      const onHand = r.on_hand === null ? null : Number(r.on_hand);
      const reserved = r.reserved === null ? null : Number(r.reserved);
      const ledgerOnHand = Number(r.ledger_on_hand);
      const ledgerReserved = Number(r.ledger_reserved);
      const problems: LedgerViolation["problems"] = [];
      if ((onHand ?? 0) !== ledgerOnHand) problems.push("on_hand_mismatch");
      if ((reserved ?? 0) !== ledgerReserved) problems.push("reserved_mismatch");
      if ((onHand ?? 0) < 0 || (reserved ?? 0) < 0) problems.push("negative");
      if ((reserved ?? 0) > (onHand ?? 0)) problems.push("reserved_exceeds_on_hand");
      return {
        warehouseId: r.warehouse_id,
        partId: r.part_id,
        onHand,
        reserved,
        ledgerOnHand,
        ledgerReserved,
        problems,
      };
    });
  });
}
