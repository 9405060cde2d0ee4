import { relations } from "drizzle-orm";
import { cmdbCis } from "../cmdb/tables.js";
import { repairOrders } from "../warehouse/tables.js";
import { maintenanceTickets, reminders, workflowRequests } from "../workflow/tables.js";
import {
  assetAssignments,
  assetAttachments,
  assetCategories,
  assetCategorySpecDefs,
  assetCategorySpecVersions,
  assetEvents,
  assetModels,
  assets,
  inventoryItems,
  inventorySessions,
  locations,
  vendors,
} from "./tables.js";

export const vendorsRelations = relations(vendors, ({ many }) => ({
  models: many(assetModels),
  assets: many(assets),
}));

export const locationsRelations = relations(locations, ({ one, many }) => ({
  parent: one(locations, {
    fields: [locations.parentId],
    references: [locations.id],
    relationName: "location_parent",
  }),
  children: many(locations, { relationName: "location_parent" }),
  assets: many(assets),
}));

export const assetCategoriesRelations = relations(assetCategories, ({ many }) => ({
  specVersions: many(assetCategorySpecVersions),
  models: many(assetModels),
}));

export const assetCategorySpecVersionsRelations = relations(assetCategorySpecVersions, ({ one, many }) => ({
  category: one(assetCategories, {
    fields: [assetCategorySpecVersions.categoryId],
    references: [assetCategories.id],
  }),
  defs: many(assetCategorySpecDefs),
  models: many(assetModels),
}));

export const assetCategorySpecDefsRelations = relations(assetCategorySpecDefs, ({ one }) => ({
  version: one(assetCategorySpecVersions, {
    fields: [assetCategorySpecDefs.versionId],
    references: [assetCategorySpecVersions.id],
  }),
}));

export const assetModelsRelations = relations(assetModels, ({ one, many }) => ({
  category: one(assetCategories, {
    fields: [assetModels.categoryId],
    references: [assetCategories.id],
  }),
  specVersion: one(assetCategorySpecVersions, {
    fields: [assetModels.specVersionId],
    references: [assetCategorySpecVersions.id],
  }),
  vendor: one(vendors, { fields: [assetModels.vendorId], references: [vendors.id] }),
  assets: many(assets),
}));

export const assetsRelations = relations(assets, ({ one, many }) => ({
  model: one(assetModels, { fields: [assets.modelId], references: [assetModels.id] }),
  location: one(locations, { fields: [assets.locationId], references: [locations.id] }),
  vendor: one(vendors, { fields: [assets.vendorId], references: [vendors.id] }),
  assignments: many(assetAssignments),
  events: many(assetEvents),
  attachments: many(assetAttachments),
  inventoryItems: many(inventoryItems),
  cis: many(cmdbCis),
  repairOrders: many(repairOrders),
  maintenanceTickets: many(maintenanceTickets),
  reminders: many(reminders),
  workflowRequests: many(workflowRequests),
}));

export const assetAssignmentsRelations = relations(assetAssignments, ({ one }) => ({
  asset: one(assets, { fields: [assetAssignments.assetId], references: [assets.id] }),
}));

export const assetEventsRelations = relations(assetEvents, ({ one }) => ({
  asset: one(assets, { fields: [assetEvents.assetId], references: [assets.id] }),
}));

export const assetAttachmentsRelations = relations(assetAttachments, ({ one }) => ({
  asset: one(assets, { fields: [assetAttachments.assetId], references: [assets.id] }),
}));

export const inventorySessionsRelations = relations(inventorySessions, ({ one, many }) => ({
  location: one(locations, { fields: [inventorySessions.locationId], references: [locations.id] }),
  items: many(inventoryItems),
}));

export const inventoryItemsRelations = relations(inventoryItems, ({ one }) => ({
  session: one(inventorySessions, {
    fields: [inventoryItems.sessionId],
    references: [inventorySessions.id],
  }),
  asset: one(assets, { fields: [inventoryItems.assetId], references: [assets.id] }),
  expectedLocation: one(locations, {
    fields: [inventoryItems.expectedLocationId],
    references: [locations.id],
    relationName: "inventory_item_expected_location",
  }),
  scannedLocation: one(locations, {
    fields: [inventoryItems.scannedLocationId],
    references: [locations.id],
    relationName: "inventory_item_scanned_location",
  }),
}));
