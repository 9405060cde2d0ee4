/**
 * Validation schemas of the assets domain (vendors, locations, categories and specs, assets,
 * inventory): the tables' schemas from their column rules, then every operation's input derived
 * from them (src/queries/assets, src/queries/inventory).
 */
import { z } from "zod";
import {
  ASSET_STATUSES,
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
} from "../../schema/assets/tables.js";
import { columnFields, columnRule, prefixOf, tableSchemas } from "../factory.js";
import { definitionVersionRefine, fieldDefinitionRefine } from "../field-definition.js";
import {
  actorUserId,
  code,
  correlationId,
  email,
  inet,
  intRange,
  isoDate,
  jsonObject,
  mac,
  mimeType,
  nonNegativeInt,
  opt,
  positiveInt,
  req,
  TEXT_NAME_MAX,
  trimmed,
  uuid,
  vlanId,
} from "../refinements.js";

const vendorRefine = {
  name: req(trimmed),
  taxCode: opt(code),
  phone: opt((max: number) =>
    trimmed(max).regex(/^[+\d][\d\s().-]*$/, "must be a phone number (digits, spaces, + ( ) . -)"),
  ),
  email: opt(email),
};
export const {
  insert: insertVendorSchema,
  update: updateVendorSchema,
  select: selectVendorSchema,
} = tableSchemas(vendors, vendorRefine);

const locationRefine = {
  name: req(trimmed),
  path: opt(
    trimmed(2000).regex(
      /^\/([^/]+\/)*$|^\/([^/]+\/)*[^/]+$/,
      "must be an absolute path such as /site/building/",
    ),
  ),
};
export const {
  insert: insertLocationSchema,
  update: updateLocationSchema,
  select: selectLocationSchema,
} = tableSchemas(locations, locationRefine);

const assetCategoryRefine = { name: req(trimmed) };
export const {
  insert: insertAssetCategorySchema,
  update: updateAssetCategorySchema,
  select: selectAssetCategorySchema,
} = tableSchemas(assetCategories, assetCategoryRefine);

export const {
  insert: insertAssetCategorySpecVersionSchema,
  update: updateAssetCategorySpecVersionSchema,
  select: selectAssetCategorySpecVersionSchema,
} = tableSchemas(assetCategorySpecVersions, definitionVersionRefine);

/** Column-level checks only; `validateFieldDefinition` (dynamic.ts) checks the definition as a whole. */
export const {
  insert: insertAssetCategorySpecDefSchema,
  update: updateAssetCategorySpecDefSchema,
  select: selectAssetCategorySpecDefSchema,
} = tableSchemas(assetCategorySpecDefs, fieldDefinitionRefine);

const assetModelRefine = {
  brand: opt(trimmed),
  model: req(trimmed),
  spec: opt(jsonObject()),
};
/** `spec` is checked against its spec version with `buildFieldsSchema(await activeSpecDefs(...))`. */
export const {
  insert: insertAssetModelSchema,
  update: updateAssetModelSchema,
  select: selectAssetModelSchema,
} = tableSchemas(assetModels, assetModelRefine);

const assetRefine = {
  assetCode: req(code),
  serialNo: opt(code),
  macAddress: opt(mac),
  mgmtIp: opt(inet()),
  hostname: opt((max: number) =>
    trimmed(max).regex(
      /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.?$/i,
      "must be a host name (letters, digits, hyphens, dot-separated labels)",
    ),
  ),
  vlanId: opt(vlanId()),
  switchName: opt(trimmed),
  switchPort: opt(trimmed),
  purchaseDate: opt(isoDate()),
  warrantyEnd: opt(isoDate()),
  notes: opt(trimmed(TEXT_NAME_MAX * 20)),
};
export const {
  insert: insertAssetSchema,
  update: updateAssetSchema,
  select: selectAssetSchema,
} = tableSchemas(assets, assetRefine);

const assignmentRefine = {
  assigneeId: req(trimmed),
  assigneeName: req(trimmed),
  note: opt(trimmed(1000)),
};
export const {
  insert: insertAssetAssignmentSchema,
  update: updateAssetAssignmentSchema,
  select: selectAssetAssignmentSchema,
} = tableSchemas(assetAssignments, assignmentRefine);

const assetEventRefine = {
  eventType: req(code),
  payload: opt(jsonObject()),
};
export const {
  insert: insertAssetEventSchema,
  update: updateAssetEventSchema,
  select: selectAssetEventSchema,
} = tableSchemas(assetEvents, assetEventRefine);

const assetAttachmentRefine = {
  fileName: opt(trimmed(TEXT_NAME_MAX)),
  mimeType: opt(mimeType),
  storageKey: opt(trimmed(1024)),
  sizeBytes: opt(nonNegativeInt),
  version: req(positiveInt),
};
export const {
  insert: insertAssetAttachmentSchema,
  update: updateAssetAttachmentSchema,
  select: selectAssetAttachmentSchema,
} = tableSchemas(assetAttachments, assetAttachmentRefine);

const inventorySessionRefine = {
  name: req(trimmed(TEXT_NAME_MAX)),
  createdBy: opt(actorUserId()),
  correlationId: opt(correlationId()),
};
export const {
  insert: insertInventorySessionSchema,
  update: updateInventorySessionSchema,
  select: selectInventorySessionSchema,
} = tableSchemas(inventorySessions, inventorySessionRefine);

export const {
  insert: insertInventoryItemSchema,
  update: updateInventoryItemSchema,
  select: selectInventoryItemSchema,
} = tableSchemas(inventoryItems, { note: opt(trimmed(1000)) });

// Operation inputs (src/queries/assets, src/queries/inventory) -------------------------------------
// Every field that writes (or looks up) a column is that column's rule, taken from the table's
// schema; only ids (required here) and fields that map to no column are declared here.

/** Who did it and which request it belongs to, carried into asset_events. */
export const actorFields = columnFields(insertAssetEventSchema, "actorUserId", "correlationId");

export const createAssetModelInput = insertAssetModelSchema.omit({
  id: true,
  createdAt: true,
  specVersionId: true,
});

export const createAssetInput = insertAssetSchema
  .omit({ id: true, createdAt: true, updatedAt: true, status: true })
  .extend(actorFields);

export const assetCodeInput = z.strictObject({ assetCode: columnRule(insertAssetSchema, "assetCode") });

export const assignAssetInput = z.strictObject({
  assetId: uuid(),
  ...columnFields(insertAssetAssignmentSchema, "assigneeType", "assigneeId", "assigneeName", "note"),
  ...actorFields,
});

export const returnAssetInput = z.strictObject({
  assetId: uuid(),
  ...columnFields(insertAssetAssignmentSchema, "note"),
  ...actorFields,
});

export const moveAssetInput = z.strictObject({ assetId: uuid(), locationId: uuid(), ...actorFields });

export const transitionAssetStatusInput = z.strictObject({
  assetId: uuid(),
  to: z.enum(ASSET_STATUSES),
  /** Why (kept in the event's payload). */
  reason: trimmed(1000).optional(),
  ...actorFields,
  /** Extra data for the status_changed event. */
  payload: columnFields(insertAssetEventSchema, "payload").payload,
});

export const SEARCH_PAGE_MAX = 500;

export const searchAssetsInput = z.strictObject({
  /** asset_code prefix, case-insensitive (a prefix need not match the whole code's pattern). */
  code: prefixOf(assets.assetCode).optional(),
  /** hostname prefix, case-insensitive. */
  hostname: prefixOf(assets.hostname).optional(),
  /** serial_no, exact (case-insensitive). */
  serial: prefixOf(assets.serialNo).optional(),
  /** A host address (exact match) or a CIDR (every address inside it). */
  ip: columnRule(insertAssetSchema, "mgmtIp").optional(),
  /** Any accepted notation (aa:bb:.., aa-bb-.., aabb.ccdd.eeff, aabbccddeeff). */
  mac: columnRule(insertAssetSchema, "macAddress").optional(),
  status: z.array(z.enum(ASSET_STATUSES)).min(1).optional(),
  /** This location and everything under it. */
  locationId: uuid().optional(),
  categoryId: uuid().optional(),
  limit: intRange(1, SEARCH_PAGE_MAX).default(50),
  /** The opaque cursor of the previous page. */
  cursor: z.string().max(2000).optional(),
});

export const createLocationInput = z.strictObject({
  ...columnFields(insertLocationSchema, "name"),
  parentId: uuid().nullish(),
});

export const moveLocationInput = z.strictObject({
  locationId: uuid(),
  /** New parent; null makes it a root. */
  parentId: uuid().nullable(),
});

/** A new name: the location's segment in the paths of its whole subtree changes with it. */
export const renameLocationInput = z.strictObject({
  locationId: uuid(),
  ...columnFields(insertLocationSchema, "name"),
});

export const startInventoryInput = z.strictObject({
  ...columnFields(insertInventorySessionSchema, "name", "createdBy", "correlationId"),
  locationId: uuid(),
});

export const scanInventoryInput = z.strictObject({
  sessionId: uuid(),
  /** What the scanner read: an asset_code, or else a serial number (the longer of the two rules). */
  code: columnRule(insertAssetSchema, "serialNo"),
  /** Where the asset was seen. */
  locationId: uuid(),
  ...columnFields(insertInventoryItemSchema, "note"),
});
