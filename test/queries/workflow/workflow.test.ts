/** Workflow: the request state machine pair by pair, idempotent reminders (also run concurrently), tickets. */
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { NotFoundError, ValidationError } from "../../../src/errors/index.js";
import {
  closeMaintenanceTicket,
  createWorkflowRequest,
  generateReminders,
  IllegalTransitionError,
  openMaintenanceTicket,
  REQUEST_TRANSITIONS,
  transitionMaintenanceTicket,
  transitionWorkflowRequest,
  type WorkflowRequestStatus,
} from "../../../src/queries/index.js";
import { reminders, WORKFLOW_REQUEST_STATUSES, workflowRequests } from "../../../src/schema/index.js";
import { onServer, useTestDatabase } from "../../support/test-db.js";
import { forceStatus, newAsset } from "../assets/fixtures.js";

const t = useTestDatabase();

/** A request put straight into `status` (set-up only). */
async function requestIn(status: WorkflowRequestStatus) {
  const request = await createWorkflowRequest(t.db, { requestType: "repair", requestedBy: "bob" });
  await t.db.update(workflowRequests).set({ status }).where(eq(workflowRequests.id, request.id));
  return request;
}

describe("workflow request state machine", () => {
  it("a new request is submitted", async () => {
    const asset = await newAsset(t.db);
    const r = await createWorkflowRequest(t.db, {
      requestType: "assign",
      assetId: asset.id,
      payload: { to: "ops" },
    });
    expect(r.status).toBe("submitted");
    await expect(createWorkflowRequest(t.db, { requestType: "steal" as "assign" })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it("the declared machine is the brief's", () => {
    expect(REQUEST_TRANSITIONS).toEqual({
      submitted: ["approved", "rejected", "canceled"],
      approved: ["in_progress", "canceled"],
      in_progress: ["done", "canceled"],
      rejected: [],
      done: [],
      canceled: [],
    });
  });

  const pairs = WORKFLOW_REQUEST_STATUSES.flatMap((from) =>
    WORKFLOW_REQUEST_STATUSES.map((to) => [from, to] as const),
  );
  it.each(pairs)("%s -> %s", async (from, to) => {
    const request = await requestIn(from);
    const attempt = transitionWorkflowRequest(t.db, { requestId: request.id, to, actor: "carol" });
    if (REQUEST_TRANSITIONS[from].includes(to)) {
      const updated = await attempt;
      expect(updated.status).toBe(to);
      if (to === "approved" || to === "rejected") expect(updated.approvedBy).toBe("carol");
    } else {
      await expect(attempt).rejects.toBeInstanceOf(IllegalTransitionError);
      const [row] = await t.db.select().from(workflowRequests).where(eq(workflowRequests.id, request.id));
      expect(row?.status).toBe(from);
    }
  });

  it("refuses an unknown request", async () => {
    await expect(
      transitionWorkflowRequest(t.db, { requestId: "9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", to: "approved" }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("reminders", () => {
  const asOf = new Date("2030-06-01T12:00:00Z");

  it("are generated idempotently: a second run creates none", async () => {
    const expiring = await newAsset(t.db, { warrantyEnd: "2030-06-20" });
    await newAsset(t.db, { warrantyEnd: "2030-09-01" }); // outside the 30-day window
    const retired = await newAsset(t.db, { warrantyEnd: "2030-06-10" });
    await forceStatus(t.db, retired.id, "retired");
    const due = await newAsset(t.db, { purchaseDate: "2029-11-01" }); // + 180 days = 2030-04-30: due
    const first = await generateReminders(t.db, { asOf });
    expect(first.warrantyExpiring).toBe(1);
    expect(first.maintenanceDue).toBeGreaterThanOrEqual(1);
    const [w] = await t.db.select().from(reminders).where(eq(reminders.assetId, expiring.id));
    expect(w).toMatchObject({ reminderType: "warranty_expiring", status: "pending", channel: "ui" });
    expect(w?.dueAt.toISOString()).toBe("2030-06-20T00:00:00.000Z");
    const [m] = await t.db.select().from(reminders).where(eq(reminders.assetId, due.id));
    expect(m?.reminderType).toBe("maintenance_due");
    expect(m?.dueAt.toISOString()).toBe("2030-04-30T00:00:00.000Z");

    expect(await generateReminders(t.db, { asOf })).toEqual({ warrantyExpiring: 0, maintenanceDue: 0 });
  });

  it("a closed maintenance ticket moves the next maintenance date; an open one suppresses it", async () => {
    const asset = await newAsset(t.db, { purchaseDate: "2020-01-01" });
    const ticket = await openMaintenanceTicket(t.db, {
      assetId: asset.id,
      title: "Fan noise",
      severity: "low",
    });
    await generateReminders(t.db, { asOf });
    // Without the open ticket, a 2020 purchase would be long due.
    expect(await t.db.select().from(reminders).where(eq(reminders.assetId, asset.id))).toHaveLength(0);
    await closeMaintenanceTicket(t.db, { ticketId: ticket.id, resolution: "cleaned" });
    // Closed "now" (the real clock), so the next one is due 180 days later: within a run a year on.
    const later = new Date(Date.now() + 365 * 86_400_000);
    await generateReminders(t.db, { asOf: later });
    const after = await t.db.select().from(reminders).where(eq(reminders.assetId, asset.id));
    expect(after).toHaveLength(1);
  });

  it("refuses bad options", async () => {
    await expect(generateReminders(t.db, { warrantyWithinDays: 0 })).rejects.toBeInstanceOf(ValidationError);
  });

  it.skipIf(!onServer())(
    "runs at once on four connections create each reminder exactly once (server only)",
    async () => {
      const at = new Date("2031-03-01T00:00:00Z");
      const created = [];
      for (let i = 0; i < 20; i++) created.push(await newAsset(t.db, { warrantyEnd: "2031-03-15" }));
      const clients = await Promise.all([1, 2, 3, 4].map(() => t.connect(1)));
      try {
        const results = await Promise.all(
          clients.map((c) =>
            generateReminders(c.db, { asOf: at, maintenanceWithinDays: 1, maintenanceIntervalDays: 3650 }),
          ),
        );
        expect(results.reduce((n, r) => n + r.warrantyExpiring, 0)).toBe(20);
        const [count] = await t.db
          .select({ n: sql<number>`count(*)::int` })
          .from(reminders)
          .where(sql`${reminders.dueAt} = '2031-03-15T00:00:00Z'::timestamptz`);
        expect(count?.n).toBe(20);
      } finally {
        await Promise.all(clients.map((c) => c.close()));
      }
    },
  );
});

describe("maintenance tickets", () => {
  it("open then close stamps closed_at; closing again is refused", async () => {
    const asset = await newAsset(t.db);
    const ticket = await openMaintenanceTicket(t.db, {
      assetId: asset.id,
      title: "PSU failure",
      severity: "high",
      diagnosis: "PSU 2 dead",
      createdBy: "noc",
    });
    expect(ticket).toMatchObject({ status: "open", closedAt: null });
    expect(ticket.openedAt).toBeInstanceOf(Date);
    const started = await transitionMaintenanceTicket(t.db, { ticketId: ticket.id, to: "in_progress" });
    expect(started.status).toBe("in_progress");
    const closed = await closeMaintenanceTicket(t.db, { ticketId: ticket.id, resolution: "PSU replaced" });
    expect(closed).toMatchObject({ status: "closed", resolution: "PSU replaced" });
    expect(closed.closedAt).toBeInstanceOf(Date);
    await expect(closeMaintenanceTicket(t.db, { ticketId: ticket.id })).rejects.toBeInstanceOf(
      IllegalTransitionError,
    );
    await expect(
      transitionMaintenanceTicket(t.db, { ticketId: ticket.id, to: "open" }),
    ).rejects.toBeInstanceOf(IllegalTransitionError);
  });

  it("refuses bad input and unknown tickets or assets", async () => {
    const asset = await newAsset(t.db);
    await expect(
      openMaintenanceTicket(t.db, { assetId: asset.id, title: "x", severity: "apocalyptic" as "low" }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      openMaintenanceTicket(t.db, {
        assetId: "6f5e4d3c-2b1a-4098-8765-43210fedcba9",
        title: "x",
        severity: "low",
      }),
    ).rejects.toMatchObject({ code: "FOREIGN_KEY_VIOLATION" });
    await expect(
      closeMaintenanceTicket(t.db, { ticketId: "6f5e4d3c-2b1a-4098-8765-43210fedcba9" }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
