/** Maintenance tickets: open, start, close (or cancel), each refused outside its declared states. */
import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "../../db.js";
import { IllegalTransitionError } from "../../errors/domain.js";
import { NotFoundError, parseInput, withDbErrors } from "../../errors/index.js";
import {
  type MAINTENANCE_TICKET_STATUSES,
  type MaintenanceTicket,
  maintenanceTickets,
} from "../../schema/workflow/index.js";
import {
  openMaintenanceTicketInput,
  transitionMaintenanceTicketInput,
} from "../../validation/workflow/schemas.js";
import { one } from "../shared/rows.js";

export type MaintenanceTicketStatus = (typeof MAINTENANCE_TICKET_STATUSES)[number];

export const TICKET_TRANSITIONS: {
  readonly [F in MaintenanceTicketStatus]: readonly MaintenanceTicketStatus[];
} = {
  open: ["in_progress", "closed", "canceled"],
  in_progress: ["closed", "canceled"],
  closed: [],
  canceled: [],
};

export type OpenMaintenanceTicketInput = z.input<typeof openMaintenanceTicketInput>;

/** Open a ticket against an asset (status open, opened_at now()). */
export async function openMaintenanceTicket(
  db: DbOrTx,
  input: OpenMaintenanceTicketInput,
): Promise<MaintenanceTicket> {
  const values = parseInput(openMaintenanceTicketInput, input);
  return withDbErrors("openMaintenanceTicket", async () => {
    const row = one(
      await db
        .insert(maintenanceTickets)
        .values({ ...values, status: "open" })
        .returning(),
    );
    return row;
  });
}

export type TransitionMaintenanceTicketInput = z.input<typeof transitionMaintenanceTicketInput>;

/** Move a ticket along TICKET_TRANSITIONS; closing or canceling stamps closed_at. */
export async function transitionMaintenanceTicket(
  db: DbOrTx,
  input: TransitionMaintenanceTicketInput,
): Promise<MaintenanceTicket> {
  const { ticketId, to, diagnosis, resolution } = parseInput(transitionMaintenanceTicketInput, input);
  return withDbErrors("transitionMaintenanceTicket", () =>
    db.transaction(async (tx) => {
      const [ticket] = await tx
        .select()
        .from(maintenanceTickets)
        .where(eq(maintenanceTickets.id, ticketId))
        .for("update");
      if (!ticket) throw new NotFoundError("maintenance ticket", ticketId);
      const from = ticket.status ?? "open";
      if (!TICKET_TRANSITIONS[from].includes(to)) {
        throw new IllegalTransitionError("maintenance ticket", ticketId, from, to);
      }
      const row = one(
        await tx
          .update(maintenanceTickets)
          .set({
            status: to,
            ...(to === "closed" || to === "canceled" ? { closedAt: sql`now()` } : {}),
            ...(diagnosis !== undefined ? { diagnosis } : {}),
            ...(resolution !== undefined ? { resolution } : {}),
          })
          .where(eq(maintenanceTickets.id, ticketId))
          .returning(),
      );
      return row;
    }),
  );
}

/** Close a ticket (from open or in_progress) with its resolution. */
export const closeMaintenanceTicket = (
  db: DbOrTx,
  input: { ticketId: string; resolution?: string; diagnosis?: string },
) => transitionMaintenanceTicket(db, { ...input, to: "closed" });
