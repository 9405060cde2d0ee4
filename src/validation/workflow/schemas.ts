/**
 * Validation schemas of the workflow domain (requests, reminders, tickets, attachments, ops
 * events): the tables' schemas from their column rules, then every operation's input derived from
 * them (src/queries/workflow).
 */
import { z } from "zod";
import {
  attachments,
  MAINTENANCE_TICKET_STATUSES,
  maintenanceTickets,
  opsEvents,
  reminders,
  WORKFLOW_REQUEST_STATUSES,
  workflowRequests,
} from "../../schema/workflow/tables.js";
import { columnFields, columnRule, tableSchemas } from "../factory.js";
import {
  actorUserId,
  code,
  correlationId,
  jsonObject,
  mimeType,
  nonNegativeInt,
  opt,
  positiveInt,
  req,
  TEXT_NAME_MAX,
  timestamp,
  trimmed,
  uuid,
} from "../refinements.js";

const workflowRequestRefine = {
  fromDept: opt(trimmed),
  toDept: opt(trimmed),
  requestedBy: opt(trimmed),
  approvedBy: opt(actorUserId()),
  payload: opt(jsonObject()),
};
export const {
  insert: insertWorkflowRequestSchema,
  update: updateWorkflowRequestSchema,
  select: selectWorkflowRequestSchema,
} = tableSchemas(workflowRequests, workflowRequestRefine);

const reminderRefine = { channel: opt(code(50)), correlationId: opt(correlationId()) };
export const {
  insert: insertReminderSchema,
  update: updateReminderSchema,
  select: selectReminderSchema,
} = tableSchemas(reminders, reminderRefine);

const ticketRefine = {
  title: req(trimmed),
  diagnosis: opt(trimmed(TEXT_NAME_MAX * 20)),
  resolution: opt(trimmed(TEXT_NAME_MAX * 20)),
  createdBy: opt(trimmed),
  correlationId: opt(trimmed),
};
export const {
  insert: insertMaintenanceTicketSchema,
  update: updateMaintenanceTicketSchema,
  select: selectMaintenanceTicketSchema,
} = tableSchemas(maintenanceTickets, ticketRefine);

const attachmentRefine = {
  fileName: req(trimmed(TEXT_NAME_MAX)),
  mimeType: req(mimeType),
  storageKey: req(trimmed(1024)),
  sizeBytes: opt(nonNegativeInt),
  version: opt(positiveInt),
};
export const {
  insert: insertAttachmentSchema,
  update: updateAttachmentSchema,
  select: selectAttachmentSchema,
} = tableSchemas(attachments, attachmentRefine);

const opsEventRefine = { eventType: req(code(100)), payload: opt(jsonObject()) };
export const {
  insert: insertOpsEventSchema,
  update: updateOpsEventSchema,
  select: selectOpsEventSchema,
} = tableSchemas(opsEvents, opsEventRefine);

// Operation inputs (src/queries/workflow) --------------------------------------------------------

export const createWorkflowRequestInput = insertWorkflowRequestSchema.omit({
  id: true,
  status: true,
  approvedBy: true,
  createdAt: true,
  updatedAt: true,
});

export const transitionWorkflowRequestInput = z.strictObject({
  requestId: uuid(),
  to: z.enum(WORKFLOW_REQUEST_STATUSES),
  /** Who decided; stored as approved_by on approve and reject. */
  actor: columnFields(insertWorkflowRequestSchema, "approvedBy").approvedBy,
});

export const generateRemindersInput = z.strictObject({
  /** "Now" of the run (default: the database's now()). */
  asOf: timestamp().optional(),
  /** Warranty ending within this many days (from asOf) gets a warranty_expiring reminder. */
  warrantyWithinDays: positiveInt(3650).default(30),
  /** Maintenance is due this many days after the last closed ticket (or purchase, or creation). */
  maintenanceIntervalDays: positiveInt(3650).default(180),
  /** Maintenance due within this many days (from asOf) gets a maintenance_due reminder. */
  maintenanceWithinDays: positiveInt(3650).default(14),
  channel: columnRule(insertReminderSchema, "channel").default("ui"),
  ...columnFields(insertReminderSchema, "correlationId"),
});

export const openMaintenanceTicketInput = insertMaintenanceTicketSchema
  .omit({ id: true, status: true, openedAt: true, closedAt: true, resolution: true })
  .extend({ assetId: uuid() });

export const transitionMaintenanceTicketInput = z.strictObject({
  ticketId: uuid(),
  to: z.enum(MAINTENANCE_TICKET_STATUSES),
  ...columnFields(insertMaintenanceTicketSchema, "diagnosis", "resolution"),
});
