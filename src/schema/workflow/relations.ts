import { relations } from "drizzle-orm";
import { assets } from "../assets/tables.js";
import { maintenanceTickets, reminders, workflowRequests } from "./tables.js";

// attachments and ops_events are polymorphic (entity_type, entity_id): no foreign key, no relation.
export const workflowRequestsRelations = relations(workflowRequests, ({ one }) => ({
  asset: one(assets, { fields: [workflowRequests.assetId], references: [assets.id] }),
}));

export const remindersRelations = relations(reminders, ({ one }) => ({
  asset: one(assets, { fields: [reminders.assetId], references: [assets.id] }),
}));

export const maintenanceTicketsRelations = relations(maintenanceTickets, ({ one }) => ({
  asset: one(assets, { fields: [maintenanceTickets.assetId], references: [assets.id] }),
}));
