/**
 * Reminder generation, idempotent: each candidate is inserted with ON CONFLICT DO NOTHING against
 * reminders_asset_id_reminder_type_due_at_key (one reminder per asset, type and due date), so a
 * second run creates none, and two runs at once neither fail nor duplicate (the later insert waits
 * for the earlier one's commit, then skips).
 */
import { sql } from "drizzle-orm";
import type { z } from "zod";
import { type DbOrTx, rows } from "../../db.js";
import { parseInput, withDbErrors } from "../../errors/index.js";
import { assets, maintenanceTickets, reminders } from "../../schema/index.js";
import { generateRemindersInput } from "../../validation/workflow/schemas.js";

/** Assets that get no reminders: nobody maintains or claims warranty on them any more. */
const INACTIVE = sql`('retired', 'disposed', 'lost')`;

export type GenerateRemindersInput = z.input<typeof generateRemindersInput>;

export interface GenerateRemindersResult {
  warrantyExpiring: number;
  maintenanceDue: number;
}

/** Create the pending reminders that do not exist yet; returns how many of each were created. */
export async function generateReminders(
  db: DbOrTx,
  input: GenerateRemindersInput = {},
): Promise<GenerateRemindersResult> {
  const q = parseInput(generateRemindersInput, input);
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
