/**
 * Workflow requests and their state machine: submitted -> approved | rejected; approved ->
 * in_progress -> done; canceled from any open state. Everything else is refused.
 */
import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "../../db.js";
import { IllegalTransitionError } from "../../errors/domain.js";
import { NotFoundError, parseInput, withDbErrors } from "../../errors/index.js";
import {
  type WORKFLOW_REQUEST_STATUSES,
  type WorkflowRequest,
  workflowRequests,
} from "../../schema/workflow/index.js";
import {
  createWorkflowRequestInput,
  transitionWorkflowRequestInput,
} from "../../validation/workflow/schemas.js";
import { one } from "../shared/rows.js";

export type WorkflowRequestStatus = (typeof WORKFLOW_REQUEST_STATUSES)[number];

/** The declared state machine: from -> allowed targets. rejected, done and canceled are terminal. */
export const REQUEST_TRANSITIONS: {
  readonly [F in WorkflowRequestStatus]: readonly WorkflowRequestStatus[];
} = {
  submitted: ["approved", "rejected", "canceled"],
  approved: ["in_progress", "canceled"],
  in_progress: ["done", "canceled"],
  rejected: [],
  done: [],
  canceled: [],
};

export type CreateWorkflowRequestInput = z.input<typeof createWorkflowRequestInput>;

/** Submit a request (status submitted). */
export async function createWorkflowRequest(
  db: DbOrTx,
  input: CreateWorkflowRequestInput,
): Promise<WorkflowRequest> {
  const values = parseInput(createWorkflowRequestInput, input);
  return withDbErrors("createWorkflowRequest", async () => {
    const row = one(
      await db
        .insert(workflowRequests)
        .values({ ...values, status: "submitted" })
        .returning(),
    );
    return row;
  });
}

export type TransitionWorkflowRequestInput = z.input<typeof transitionWorkflowRequestInput>;

/** Move a request along REQUEST_TRANSITIONS under a row lock; IllegalTransitionError otherwise. */
export async function transitionWorkflowRequest(
  db: DbOrTx,
  input: TransitionWorkflowRequestInput,
): Promise<WorkflowRequest> {
  const { requestId, to, actor } = parseInput(transitionWorkflowRequestInput, input);
  return withDbErrors("transitionWorkflowRequest", () =>
    db.transaction(async (tx) => {
      const [request] = await tx
        .select()
        .from(workflowRequests)
        .where(eq(workflowRequests.id, requestId))
        .for("update");
      if (!request) throw new NotFoundError("workflow request", requestId);
      if (!REQUEST_TRANSITIONS[request.status].includes(to)) {
        throw new IllegalTransitionError("workflow request", requestId, request.status, to);
      }
      const decided = (to === "approved" || to === "rejected") && actor ? { approvedBy: actor } : {};
      const row = one(
        await tx
          .update(workflowRequests)
          .set({ status: to, ...decided })
          .where(eq(workflowRequests.id, requestId))
          .returning(),
      );
      return row;
    }),
  );
}

type Decision = { requestId: string; actor?: string };
export const approveWorkflowRequest = (db: DbOrTx, i: Decision) =>
  transitionWorkflowRequest(db, { ...i, to: "approved" });
export const rejectWorkflowRequest = (db: DbOrTx, i: Decision) =>
  transitionWorkflowRequest(db, { ...i, to: "rejected" });
export const startWorkflowRequest = (db: DbOrTx, i: Decision) =>
  transitionWorkflowRequest(db, { ...i, to: "in_progress" });
export const completeWorkflowRequest = (db: DbOrTx, i: Decision) =>
  transitionWorkflowRequest(db, { ...i, to: "done" });
export const cancelWorkflowRequest = (db: DbOrTx, i: Decision) =>
  transitionWorkflowRequest(db, { ...i, to: "canceled" });
