/** assets domain: value lists, tables, relations and row types. */
export * from "./relations.js";
export * from "./tables.js";

import type {
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

export type Vendor = typeof vendors.$inferSelect;
export type NewVendor = typeof vendors.$inferInsert;
export type Location = typeof locations.$inferSelect;
export type NewLocation = typeof locations.$inferInsert;
export type AssetCategory = typeof assetCategories.$inferSelect;
export type NewAssetCategory = typeof assetCategories.$inferInsert;
export type AssetCategorySpecVersion = typeof assetCategorySpecVersions.$inferSelect;
export type NewAssetCategorySpecVersion = typeof assetCategorySpecVersions.$inferInsert;
export type AssetCategorySpecDef = typeof assetCategorySpecDefs.$inferSelect;
export type NewAssetCategorySpecDef = typeof assetCategorySpecDefs.$inferInsert;
export type AssetModel = typeof assetModels.$inferSelect;
export type NewAssetModel = typeof assetModels.$inferInsert;
export type Asset = typeof assets.$inferSelect;
export type NewAsset = typeof assets.$inferInsert;
export type AssetAssignment = typeof assetAssignments.$inferSelect;
export type NewAssetAssignment = typeof assetAssignments.$inferInsert;
export type AssetEvent = typeof assetEvents.$inferSelect;
export type NewAssetEvent = typeof assetEvents.$inferInsert;
export type AssetAttachment = typeof assetAttachments.$inferSelect;
export type NewAssetAttachment = typeof assetAttachments.$inferInsert;
export type InventorySession = typeof inventorySessions.$inferSelect;
export type NewInventorySession = typeof inventorySessions.$inferInsert;
export type InventoryItem = typeof inventoryItems.$inferSelect;
export type NewInventoryItem = typeof inventoryItems.$inferInsert;
