/** Validation schemas of the workflow domain (requests, reminders, tickets, attachments, ops events). */
import {
  attachments,
  maintenanceTickets,
  opsEvents,
  reminders,
  workflowRequests,
} from "../schema/workflow/tables.js";
import { createInsertSchema, createSelectSchema, createUpdateSchema } from "./factory.js";
import {
  code,
  jsonObject,
  nonNegativeInt,
  opt,
  positiveInt,
  req,
  TEXT_NAME_MAX,
  trimmed,
} from "./refinements.js";

const workflowRequestRefine = {
  fromDept: opt(trimmed(255)),
  toDept: opt(trimmed(255)),
  requestedBy: opt(trimmed(255)),
  approvedBy: opt(trimmed(255)),
  payload: opt(jsonObject()),
};
export const insertWorkflowRequestSchema = createInsertSchema(
  workflowRequests,
  workflowRequestRefine,
).strict();
export const updateWorkflowRequestSchema = createUpdateSchema(
  workflowRequests,
  workflowRequestRefine,
).strict();
export const selectWorkflowRequestSchema = createSelectSchema(workflowRequests);

const reminderRefine = { channel: opt(code(50)) };
export const insertReminderSchema = createInsertSchema(reminders, reminderRefine).strict();
export const updateReminderSchema = createUpdateSchema(reminders, reminderRefine).strict();
export const selectReminderSchema = createSelectSchema(reminders);

const ticketRefine = {
  title: req(trimmed(255)),
  diagnosis: opt(trimmed(TEXT_NAME_MAX * 20)),
  resolution: opt(trimmed(TEXT_NAME_MAX * 20)),
  createdBy: opt(trimmed(255)),
  correlationId: opt(trimmed(100)),
};
export const insertMaintenanceTicketSchema = createInsertSchema(maintenanceTickets, ticketRefine).strict();
export const updateMaintenanceTicketSchema = createUpdateSchema(maintenanceTickets, ticketRefine).strict();
export const selectMaintenanceTicketSchema = createSelectSchema(maintenanceTickets);

const attachmentRefine = {
  fileName: req(trimmed(TEXT_NAME_MAX)),
  mimeType: req(trimmed(255).regex(/^[\w.+-]+\/[\w.+-]+$/, "must be a MIME type such as application/pdf")),
  storageKey: req(trimmed(1024)),
  sizeBytes: opt(nonNegativeInt(Number.MAX_SAFE_INTEGER)),
  version: opt(positiveInt()),
};
export const insertAttachmentSchema = createInsertSchema(attachments, attachmentRefine).strict();
export const updateAttachmentSchema = createUpdateSchema(attachments, attachmentRefine).strict();
export const selectAttachmentSchema = createSelectSchema(attachments);

const opsEventRefine = { eventType: req(code(100)), payload: opt(jsonObject()) };
export const insertOpsEventSchema = createInsertSchema(opsEvents, opsEventRefine).strict();
export const updateOpsEventSchema = createUpdateSchema(opsEvents, opsEventRefine).strict();
export const selectOpsEventSchema = createSelectSchema(opsEvents);
