/** Maintenance tickets: open, start, close (or cancel), each refused outside its declared states. */
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "../../db.js";
import { NotFoundError, parseInput, withDbErrors } from "../../errors.js";
import {
  MAINTENANCE_TICKET_STATUSES,
  type MaintenanceTicket,
  maintenanceTickets,
} from "../../schema/workflow/index.js";
import { TEXT_NAME_MAX, trimmed } from "../../validation/refinements.js";
import { insertMaintenanceTicketSchema } from "../../validation/workflow.js";
import { uuid } from "../assets/inputs.js";
import { IllegalTransitionError } from "../shared/errors.js";

export type MaintenanceTicketStatus = (typeof MAINTENANCE_TICKET_STATUSES)[number];

export const TICKET_TRANSITIONS: {
  readonly [F in MaintenanceTicketStatus]: readonly MaintenanceTicketStatus[];
} = {
  open: ["in_progress", "closed", "canceled"],
  in_progress: ["closed", "canceled"],
  closed: [],
  canceled: [],
};

const openInput = insertMaintenanceTicketSchema
  .omit({ id: true, status: true, openedAt: true, closedAt: true, resolution: true })
  .extend({ assetId: uuid() });
export type OpenMaintenanceTicketInput = z.input<typeof openInput>;

/** Open a ticket against an asset (status open, opened_at now()). */
export async function openMaintenanceTicket(
  db: DbOrTx,
  input: OpenMaintenanceTicketInput,
): Promise<MaintenanceTicket> {
  const values = parseInput(openInput, input);
  return withDbErrors("openMaintenanceTicket", async () => {
    const [row] = await db
      .insert(maintenanceTickets)
      .values({ ...values, status: "open" })
      .returning();
    return row as MaintenanceTicket;
  });
}

const transitionInput = z.strictObject({
  ticketId: uuid(),
  to: z.enum(MAINTENANCE_TICKET_STATUSES),
  diagnosis: trimmed(TEXT_NAME_MAX * 20).optional(),
  resolution: trimmed(TEXT_NAME_MAX * 20).optional(),
});
export type TransitionMaintenanceTicketInput = z.input<typeof transitionInput>;

/** Move a ticket along TICKET_TRANSITIONS; closing or canceling stamps closed_at. */
export async function transitionMaintenanceTicket(
  db: DbOrTx,
  input: TransitionMaintenanceTicketInput,
): Promise<MaintenanceTicket> {
  const { ticketId, to, diagnosis, resolution } = parseInput(transitionInput, input);
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
      const [row] = await tx
        .update(maintenanceTickets)
        .set({
          status: to,
          ...(to === "closed" || to === "canceled" ? { closedAt: sql`now()` } : {}),
          ...(diagnosis !== undefined ? { diagnosis } : {}),
          ...(resolution !== undefined ? { resolution } : {}),
        })
        .where(eq(maintenanceTickets.id, ticketId))
        .returning();
      return row as MaintenanceTicket;
    }),
  );
}

/** Close a ticket (from open or in_progress) with its resolution. */
export const closeMaintenanceTicket = (
  db: DbOrTx,
  input: { ticketId: string; resolution?: string; diagnosis?: string },
) => transitionMaintenanceTicket(db, { ...input, to: "closed" });
