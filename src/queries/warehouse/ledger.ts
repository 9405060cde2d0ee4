/**
 * The one place that changes spare_part_stock is the SQL function netops_apply_movements (migration
 * `ledger_functions`): every writer (posting, canceling, reserving) hands it a list of movements; it
 * locks the touched stock rows in (warehouse_id, part_id) order, checks free stock, updates the rows
 * and appends the ledger rows, in one statement. One code path keeps "on_hand = signed sum of
 * movements" true by construction. Posting a document is one statement too
 * (netops_post_stock_document: lock the document, derive the movements from its lines, apply them,
 * mark it posted), so a post costs one round trip (issue 15): the server holds the hot stock row's
 * lock for the statement and its commit only, never across client round trips.
 *
 * The functions raise SQLSTATEs of class NS with a JSON DETAIL (identifiers and counts only);
 * `ledgerError` turns them into the typed errors callers have always had.
 */
import { sql } from "drizzle-orm";
import { type DbOrTx, driverError } from "../../db.js";
import {
  DocumentNotDraftError,
  InsufficientStockError,
  ReleaseExceedsReservedError,
} from "../../errors/domain.js";
import { InvalidStateError, type NetOpsError, NotFoundError, ValidationError } from "../../errors/index.js";
import type { MOVEMENT_TYPES } from "../../schema/warehouse/tables.js";
import { INT32_MAX } from "../../validation/refinements.js";
import { preparedPer } from "../shared/prepared.js";

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

// Array parameters as PostgreSQL array literals: every driver (postgres.js, PGlite) passes a text
// parameter through unchanged, and uuids, integers, movement types and validated money amounts need
// no quoting inside one.
const arrayLiteral = (values: readonly (string | number | null | undefined)[]) =>
  `{${values.map((v) => (v === null || v === undefined ? "NULL" : String(v))).join(",")}}`;

const applyStatement = preparedPer(
  "netops_apply_movements",
  (db, name) =>
    db
      .select({
        warehouseId: sql<string>`a.warehouse_id`,
        partId: sql<string>`a.part_id`,
        onHand: sql<number>`a.on_hand`.mapWith(Number),
        reserved: sql<number>`a.reserved`.mapWith(Number),
      })
      .from(
        sql`netops_apply_movements(${sql.placeholder("warehouseIds")}::uuid[], ${sql.placeholder("partIds")}::uuid[],
            ${sql.placeholder("types")}::text[], ${sql.placeholder("qtys")}::integer[], ${sql.placeholder("unitCosts")}::numeric[],
            ${sql.placeholder("refType")}::text, ${sql.placeholder("refId")}::uuid, ${sql.placeholder("actorUserId")}::text,
            ${sql.placeholder("correlationId")}::text) AS a`,
      )
      .prepare(name),
  { read: false }, // it writes the ledger: the primary
);

/**
 * Apply movements atomically: one statement, so it needs no transaction of its own (inside the
 * caller's, it is part of it). Throws InsufficientStockError or ReleaseExceedsReservedError, with
 * nothing written, when a row would go short. Returns each touched (warehouse, part) after the
 * change, in lock order.
 */
export async function applyMovements(
  tx: DbOrTx,
  movements: MovementInput[],
  meta: MovementMeta = {},
): Promise<StockLevel[]> {
  if (movements.length === 0) return [];
  try {
    return await applyStatement(tx).execute({
      warehouseIds: arrayLiteral(movements.map((m) => m.warehouseId)),
      partIds: arrayLiteral(movements.map((m) => m.partId)),
      types: arrayLiteral(movements.map((m) => m.movementType)),
      qtys: arrayLiteral(movements.map((m) => m.qty)),
      unitCosts: arrayLiteral(movements.map((m) => m.unitCost)),
      refType: meta.refType ?? null,
      refId: meta.refId ?? null,
      actorUserId: meta.actorUserId ?? null,
      correlationId: meta.correlationId ?? null,
    });
  } catch (error) {
    throw ledgerError(error) ?? error;
  }
}

/** What the functions put in DETAIL, per SQLSTATE (see the migration's header). */
interface LedgerErrorDetail {
  warehouseId: string;
  partId: string;
  requested: number;
  available: number;
  reserved: number;
  entity: string;
  id: string;
  documentId: string;
  status: string;
}

/** The typed error for an NS-class error raised by the ledger functions; undefined for any other. */
export function ledgerError(error: unknown): NetOpsError | undefined {
  const e = driverError(error) as { code?: unknown; message?: unknown; detail?: unknown };
  // on_hand and reserved are integer columns: a movement that would take them past int32 is the
  // quantity's fault, named as such instead of PostgreSQL's bare "integer out of range".
  if (typeof e === "object" && e !== null && e.code === "22003") {
    return new ValidationError([
      { path: "qty", message: `would take the stock of a part above ${INT32_MAX}` },
    ]);
  }
  if (typeof e !== "object" || e === null || typeof e.code !== "string" || !e.code.startsWith("NS")) {
    return undefined;
  }
  const message = typeof e.message === "string" ? e.message : "";
  const d = (typeof e.detail === "string" && e.detail ? JSON.parse(e.detail) : {}) as LedgerErrorDetail;
  switch (e.code) {
    case "NS001":
      return new InsufficientStockError(d.warehouseId, d.partId, d.requested, d.available);
    case "NS002":
      return new ReleaseExceedsReservedError(d.warehouseId, d.partId, d.requested, d.reserved);
    case "NS003":
      return new NotFoundError(d.entity, d.id);
    case "NS004":
      return new DocumentNotDraftError(d.documentId, d.status);
    default:
      return new InvalidStateError(message);
  }
}
