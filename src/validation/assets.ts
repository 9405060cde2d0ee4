/** Validation schemas of the assets domain (vendors, locations, categories and specs, assets, inventory). */
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
} from "../schema/assets/tables.js";
import { createInsertSchema, createSelectSchema, createUpdateSchema } from "./factory.js";
import { fieldDefinitionRefine } from "./field-definition.js";
import {
  code,
  email,
  inet,
  isoDate,
  jsonObject,
  mac,
  nonNegativeInt,
  opt,
  positiveInt,
  req,
  TEXT_NAME_MAX,
  trimmed,
  vlanId,
} from "./refinements.js";

const vendorRefine = {
  name: req(trimmed(255)),
  taxCode: opt(code(100)),
  phone: opt(trimmed(50).regex(/^[+\d][\d\s().-]*$/, "must be a phone number (digits, spaces, + ( ) . -)")),
  email: opt(email(255)),
};
export const insertVendorSchema = createInsertSchema(vendors, vendorRefine).strict();
export const updateVendorSchema = createUpdateSchema(vendors, vendorRefine).strict();
export const selectVendorSchema = createSelectSchema(vendors);

const locationRefine = {
  name: req(trimmed(255)),
  path: opt(
    trimmed(2000).regex(
      /^\/([^/]+\/)*$|^\/([^/]+\/)*[^/]+$/,
      "must be an absolute path such as /site/building/",
    ),
  ),
};
export const insertLocationSchema = createInsertSchema(locations, locationRefine).strict();
export const updateLocationSchema = createUpdateSchema(locations, locationRefine).strict();
export const selectLocationSchema = createSelectSchema(locations);

const assetCategoryRefine = { name: req(trimmed(255)) };
export const insertAssetCategorySchema = createInsertSchema(assetCategories, assetCategoryRefine).strict();
export const updateAssetCategorySchema = createUpdateSchema(assetCategories, assetCategoryRefine).strict();
export const selectAssetCategorySchema = createSelectSchema(assetCategories);

const specVersionRefine = {
  version: req(positiveInt()),
  createdBy: opt(trimmed(255)),
};
export const insertAssetCategorySpecVersionSchema = createInsertSchema(
  assetCategorySpecVersions,
  specVersionRefine,
).strict();
export const updateAssetCategorySpecVersionSchema = createUpdateSchema(
  assetCategorySpecVersions,
  specVersionRefine,
).strict();
export const selectAssetCategorySpecVersionSchema = createSelectSchema(assetCategorySpecVersions);

/** Column-level checks only; `validateFieldDefinition` (dynamic.ts) checks the definition as a whole. */
export const insertAssetCategorySpecDefSchema = createInsertSchema(
  assetCategorySpecDefs,
  fieldDefinitionRefine,
).strict();
export const updateAssetCategorySpecDefSchema = createUpdateSchema(
  assetCategorySpecDefs,
  fieldDefinitionRefine,
).strict();
export const selectAssetCategorySpecDefSchema = createSelectSchema(assetCategorySpecDefs);

const assetModelRefine = {
  brand: opt(trimmed(255)),
  model: req(trimmed(255)),
  spec: opt(jsonObject()),
};
/** `spec` is checked against its spec version with `buildFieldsSchema(await activeSpecDefs(...))`. */
export const insertAssetModelSchema = createInsertSchema(assetModels, assetModelRefine).strict();
export const updateAssetModelSchema = createUpdateSchema(assetModels, assetModelRefine).strict();
export const selectAssetModelSchema = createSelectSchema(assetModels);

const assetRefine = {
  assetCode: req(code(100)),
  serialNo: opt(code(255)),
  macAddress: opt(mac()),
  mgmtIp: opt(inet()),
  hostname: opt(
    trimmed(255).regex(
      /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.?$/i,
      "must be a host name (letters, digits, hyphens, dot-separated labels)",
    ),
  ),
  vlanId: opt(vlanId()),
  switchName: opt(trimmed(255)),
  switchPort: opt(trimmed(100)),
  purchaseDate: opt(isoDate()),
  warrantyEnd: opt(isoDate()),
  notes: opt(trimmed(TEXT_NAME_MAX * 20)),
};
export const insertAssetSchema = createInsertSchema(assets, assetRefine).strict();
export const updateAssetSchema = createUpdateSchema(assets, assetRefine).strict();
export const selectAssetSchema = createSelectSchema(assets);

const assignmentRefine = {
  assigneeId: req(trimmed(255)),
  assigneeName: req(trimmed(255)),
};
export const insertAssetAssignmentSchema = createInsertSchema(assetAssignments, assignmentRefine).strict();
export const updateAssetAssignmentSchema = createUpdateSchema(assetAssignments, assignmentRefine).strict();
export const selectAssetAssignmentSchema = createSelectSchema(assetAssignments);

const assetEventRefine = {
  eventType: req(code(50)),
  payload: opt(jsonObject()),
};
export const insertAssetEventSchema = createInsertSchema(assetEvents, assetEventRefine).strict();
export const updateAssetEventSchema = createUpdateSchema(assetEvents, assetEventRefine).strict();
export const selectAssetEventSchema = createSelectSchema(assetEvents);

const assetAttachmentRefine = {
  fileName: opt(trimmed(TEXT_NAME_MAX)),
  mimeType: opt(trimmed(255).regex(/^[\w.+-]+\/[\w.+-]+$/, "must be a MIME type such as application/pdf")),
  storageKey: opt(trimmed(1024)),
  sizeBytes: opt(nonNegativeInt(Number.MAX_SAFE_INTEGER)),
  version: req(positiveInt()),
};
export const insertAssetAttachmentSchema = createInsertSchema(
  assetAttachments,
  assetAttachmentRefine,
).strict();
export const updateAssetAttachmentSchema = createUpdateSchema(
  assetAttachments,
  assetAttachmentRefine,
).strict();
export const selectAssetAttachmentSchema = createSelectSchema(assetAttachments);

const inventorySessionRefine = { name: req(trimmed(TEXT_NAME_MAX)) };
export const insertInventorySessionSchema = createInsertSchema(
  inventorySessions,
  inventorySessionRefine,
).strict();
export const updateInventorySessionSchema = createUpdateSchema(
  inventorySessions,
  inventorySessionRefine,
).strict();
export const selectInventorySessionSchema = createSelectSchema(inventorySessions);

export const insertInventoryItemSchema = createInsertSchema(inventoryItems).strict();
export const updateInventoryItemSchema = createUpdateSchema(inventoryItems).strict();
export const selectInventoryItemSchema = createSelectSchema(inventoryItems);
