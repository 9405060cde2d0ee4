/** Workflow: request state machine, idempotent reminders, maintenance tickets. */
export * from "./reminders.js";
export * from "./requests.js";
export * from "./tickets.js";
