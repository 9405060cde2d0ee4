/**
 * Reminder generation, idempotent: each candidate is inserted with ON CONFLICT DO NOTHING against
 * reminders_asset_id_reminder_type_due_at_key (one reminder per asset, type and due date), so a
 * second run creates none, and two runs at once neither fail nor duplicate (the later insert waits
 * for the earlier one's commit, then skips).
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import { type DbOrTx, rows } from "../../db.js";
import { parseInput, withDbErrors } from "../../errors.js";
import { assets, maintenanceTickets, reminders } from "../../schema/index.js";
import { code, positiveInt, timestamp, trimmed } from "../../validation/refinements.js";

/** Assets that get no reminders: nobody maintains or claims warranty on them any more. */
const INACTIVE = sql`('retired', 'disposed', 'lost')`;

const generateInput = z.strictObject({
  /** "Now" of the run (default: the database's now()). */
  asOf: timestamp().optional(),
  /** Warranty ending within this many days (from asOf) gets a warranty_expiring reminder. */
  warrantyWithinDays: positiveInt(3650).default(30),
  /** Maintenance is due this many days after the last closed ticket (or purchase, or creation). */
  maintenanceIntervalDays: positiveInt(3650).default(180),
  /** Maintenance due within this many days (from asOf) gets a maintenance_due reminder. */
  maintenanceWithinDays: positiveInt(3650).default(14),
  channel: code(50).default("ui"),
  correlationId: trimmed(100).optional(),
});
export type GenerateRemindersInput = z.input<typeof generateInput>;

export interface GenerateRemindersResult {
  warrantyExpiring: number;
  maintenanceDue: number;
}

/** Create the pending reminders that do not exist yet; returns how many of each were created. */
export async function generateReminders(
  db: DbOrTx,
  input: GenerateRemindersInput = {},
): Promise<GenerateRemindersResult> {
  const q = parseInput(generateInput, input);
  const asOf = q.asOf ? sql`${q.asOf.toISOString()}::timestamptz` : sql`now()`;
  const today = sql`(${asOf} AT TIME ZONE 'UTC')::date`;
  const corr = q.correlationId ?? null;
  return withDbErrors("generateReminders", () =>
    db.transaction(async (tx) => {
      const warranty = await rows(
        tx,
        sql`
        INSERT INTO ${reminders} (reminder_type, asset_id, due_at, status, channel, correlation_id)
        SELECT 'warranty_expiring', a.id, a.warranty_end::timestamp AT TIME ZONE 'UTC', 'pending',
               ${q.channel}, ${corr}
        FROM ${assets} a
        WHERE a.warranty_end BETWEEN ${today} AND ${today} + ${q.warrantyWithinDays}::int
          AND coalesce(a.status, 'in_stock') NOT IN ${INACTIVE}
        ON CONFLICT (asset_id, reminder_type, due_at) DO NOTHING
        RETURNING id`,
      );
      const maintenance = await rows(
        tx,
        sql`
        INSERT INTO ${reminders} (reminder_type, asset_id, due_at, status, channel, correlation_id)
        SELECT 'maintenance_due', a.id, last.at + make_interval(days => ${q.maintenanceIntervalDays}::int),
               'pending', ${q.channel}, ${corr}
        FROM ${assets} a
        CROSS JOIN LATERAL (
          SELECT coalesce(
            (SELECT max(t.closed_at) FROM ${maintenanceTickets} t
              WHERE t.asset_id = a.id AND t.status = 'closed'),
            a.purchase_date::timestamp AT TIME ZONE 'UTC',
            a.created_at) AS at
        ) last
        WHERE coalesce(a.status, 'in_stock') NOT IN ${INACTIVE}
          AND NOT EXISTS (SELECT 1 FROM ${maintenanceTickets} o
                          WHERE o.asset_id = a.id AND o.status IN ('open', 'in_progress'))
          AND last.at + make_interval(days => ${q.maintenanceIntervalDays}::int)
              <= ${asOf} + make_interval(days => ${q.maintenanceWithinDays}::int)
        ON CONFLICT (asset_id, reminder_type, due_at) DO NOTHING
        RETURNING id`,
      );
      return { warrantyExpiring: warranty.length, maintenanceDue: maintenance.length };
    }),
  );
}
