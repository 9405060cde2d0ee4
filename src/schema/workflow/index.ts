/** workflow domain: value lists, tables, relations and row types. */
export * from "./relations.js";
export * from "./tables.js";

import type { attachments, maintenanceTickets, opsEvents, reminders, workflowRequests } from "./tables.js";

export type WorkflowRequest = typeof workflowRequests.$inferSelect;
export type NewWorkflowRequest = typeof workflowRequests.$inferInsert;
export type Reminder = typeof reminders.$inferSelect;
export type NewReminder = typeof reminders.$inferInsert;
export type MaintenanceTicket = typeof maintenanceTickets.$inferSelect;
export type NewMaintenanceTicket = typeof maintenanceTickets.$inferInsert;
export type Attachment = typeof attachments.$inferSelect;
export type NewAttachment = typeof attachments.$inferInsert;
export type OpsEvent = typeof opsEvents.$inferSelect;
export type NewOpsEvent = typeof opsEvents.$inferInsert;
