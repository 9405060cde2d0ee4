/**
 * Asset management: vendors, the location tree, categories with versioned spec definitions,
 * models, assets and their assignments/events/attachments, inventory sessions (seed 001).
 */
import { type SQL, sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  check,
  date,
  index,
  inet,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import {
  constraintsOf,
  createdAt,
  DEFINITION_VERSION_STATUSES,
  FIELD_TYPES,
  fieldDefinitionColumns,
  id,
  type JsonObject,
  jsonObject,
  timestamptz,
  updatedAt,
} from "../_helpers.js";

export const ASSET_STATUSES = ["in_stock", "in_use", "in_repair", "retired", "disposed", "lost"] as const;
export const ASSIGNEE_TYPES = ["person", "department", "system"] as const;
export const INVENTORY_SESSION_STATUSES = ["draft", "in_progress", "closed", "canceled"] as const;
export const INVENTORY_ITEM_STATUSES = ["found", "missing", "moved", "unknown"] as const;
export const SPEC_VERSION_STATUSES = DEFINITION_VERSION_STATUSES;

export const vendors = pgTable("vendors", {
  id: id(),
  name: varchar("name", { length: 255 }).notNull(),
  taxCode: varchar("tax_code", { length: 100 }),
  phone: varchar("phone", { length: 50 }),
  email: varchar("email", { length: 255 }),
  address: text("address"),
  createdAt: createdAt(),
});

const locationsC = constraintsOf("locations");
/** Hierarchical: `path` is the materialised ancestry ('/site/building/...'), kept by the app. */
export const locations = pgTable(
  "locations",
  {
    id: id(),
    name: varchar("name", { length: 255 }).notNull(),
    parentId: uuid("parent_id"),
    path: text("path").notNull().default("/"),
    createdAt: createdAt(),
  },
  (t) => [
    locationsC.fk(t.parentId, t.id, "set null"),
    // A CHECK over two columns, named here (the constraintsOf helpers name one-column checks only).
    check("locations_parent_not_self_check", sql`${t.parentId} <> ${t.id}`),
    index("idx_locations_parent_id").on(t.parentId),
    // text_pattern_ops serves `path LIKE '/a/b/%'` (subtree filters) under any collation.
    index("idx_locations_path").on(t.path.op("text_pattern_ops")),
  ],
);

export const assetCategories = pgTable("asset_categories", {
  id: id(),
  name: varchar("name", { length: 255 }).notNull(),
  createdAt: createdAt(),
});

const specVersionsC = constraintsOf("asset_category_spec_versions");
export const assetCategorySpecVersions = pgTable(
  "asset_category_spec_versions",
  {
    id: id(),
    categoryId: uuid("category_id"),
    version: integer("version").notNull(),
    status: text("status", { enum: SPEC_VERSION_STATUSES }).notNull(),
    createdBy: text("created_by"),
    createdAt: createdAt(),
  },
  (t) => [
    specVersionsC.fk(t.categoryId, assetCategories.id, "cascade"),
    specVersionsC.unique(t.categoryId, t.version),
    specVersionsC.oneOf(t.status, SPEC_VERSION_STATUSES),
  ],
);

const specDefsC = constraintsOf("asset_category_spec_defs");
export const assetCategorySpecDefs = pgTable(
  "asset_category_spec_defs",
  {
    id: id(),
    versionId: uuid("version_id"),
    ...fieldDefinitionColumns(),
  },
  (t) => [
    specDefsC.fk(t.versionId, assetCategorySpecVersions.id, "cascade"),
    specDefsC.unique(t.versionId, t.key),
    specDefsC.oneOf(t.fieldType, FIELD_TYPES),
  ],
);

const modelsC = constraintsOf("asset_models");
export const assetModels = pgTable(
  "asset_models",
  {
    id: id(),
    categoryId: uuid("category_id"),
    specVersionId: uuid("spec_version_id"),
    vendorId: uuid("vendor_id"),
    brand: varchar("brand", { length: 255 }),
    model: varchar("model", { length: 255 }).notNull(),
    spec: jsonb("spec").$type<JsonObject>().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    modelsC.fk(t.categoryId, assetCategories.id, "set null"),
    modelsC.fk(t.specVersionId, assetCategorySpecVersions.id, "set null"),
    modelsC.fk(t.vendorId, vendors.id, "set null"),
    index("idx_asset_models_category_id").on(t.categoryId),
    index("idx_asset_models_spec_version_id").on(t.specVersionId),
    index("idx_asset_models_vendor_id").on(t.vendorId),
  ],
);

const assetsC = constraintsOf("assets");
export const assets = pgTable(
  "assets",
  {
    id: id(),
    assetCode: varchar("asset_code", { length: 100 }).notNull(),
    modelId: uuid("model_id"),
    serialNo: varchar("serial_no", { length: 255 }),
    macAddress: varchar("mac_address", { length: 50 }),
    mgmtIp: inet("mgmt_ip"),
    hostname: varchar("hostname", { length: 255 }),
    vlanId: integer("vlan_id"),
    switchName: varchar("switch_name", { length: 255 }),
    switchPort: varchar("switch_port", { length: 100 }),
    locationId: uuid("location_id"),
    status: varchar("status", { length: 20, enum: ASSET_STATUSES }).default("in_stock"),
    purchaseDate: date("purchase_date", { mode: "string" }),
    warrantyEnd: date("warranty_end", { mode: "string" }),
    vendorId: uuid("vendor_id"),
    notes: text("notes"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    assetsC.unique(t.assetCode),
    assetsC.fk(t.modelId, assetModels.id, "set null"),
    assetsC.fk(t.locationId, locations.id, "set null"),
    assetsC.fk(t.vendorId, vendors.id, "set null"),
    assetsC.oneOf(t.status, ASSET_STATUSES),
    index("idx_assets_status").on(t.status),
    index("idx_assets_location_id").on(t.locationId),
    index("idx_assets_mgmt_ip").on(t.mgmtIp),
    // IEEE 802.1Q: 0 and 4095 are reserved, usable VLAN ids are 1..4094.
    assetsC.check(t.vlanId, sql`${t.vlanId} >= 1 AND ${t.vlanId} <= 4094`),
    index("idx_assets_model_id").on(t.modelId),
    index("idx_assets_vendor_id").on(t.vendorId),
    // The reads of searchAssets (issue 15), each served at 1 M assets; built CONCURRENTLY by their
    // migration. Case-insensitive serial; case-insensitive prefixes (text_pattern_ops: byte order,
    // whatever the collation); MAC in any notation; status filter walked in keyset order.
    index("idx_assets_serial_no_lower").on(sql`lower(${t.serialNo})`),
    index("idx_assets_asset_code_lower").on(sql`lower(${t.assetCode}) text_pattern_ops`),
    index("idx_assets_hostname_lower").on(sql`lower(${t.hostname}) text_pattern_ops`),
    index("idx_assets_mac_hex").on(macHex(t.macAddress)),
    index("idx_assets_status_asset_code").on(t.status, t.assetCode, t.id),
  ],
);

/** A MAC's bare hex digits in lower case, whatever its notation: what idx_assets_mac_hex indexes. */
export function macHex(column: AnyPgColumn | SQL): SQL {
  return sql`lower(regexp_replace(${column}, '[^0-9A-Fa-f]', '', 'g'))`;
}

const assignmentsC = constraintsOf("asset_assignments");
export const assetAssignments = pgTable(
  "asset_assignments",
  {
    id: id(),
    assetId: uuid("asset_id"),
    assigneeType: varchar("assignee_type", { length: 20, enum: ASSIGNEE_TYPES }).notNull(),
    assigneeId: varchar("assignee_id", { length: 255 }).notNull(),
    assigneeName: varchar("assignee_name", { length: 255 }).notNull(),
    assignedAt: timestamptz("assigned_at").defaultNow(),
    returnedAt: timestamptz("returned_at"),
    note: text("note"),
  },
  (t) => [
    assignmentsC.fk(t.assetId, assets.id, "cascade"),
    assignmentsC.oneOf(t.assigneeType, ASSIGNEE_TYPES),
    index("idx_asset_assignments_asset_id").on(t.assetId),
    // At most one open (not yet returned) assignment per asset: concurrent assigns cannot both win.
    uniqueIndex("idx_asset_assignments_asset_id_open").on(t.assetId).where(sql`${t.returnedAt} IS NULL`),
  ],
);

const eventsC = constraintsOf("asset_events");
export const assetEvents = pgTable(
  "asset_events",
  {
    id: id(),
    assetId: uuid("asset_id"),
    eventType: varchar("event_type", { length: 50 }).notNull(),
    payload: jsonObject("payload"),
    actorUserId: varchar("actor_user_id", { length: 255 }),
    correlationId: varchar("correlation_id", { length: 100 }),
    createdAt: createdAt(),
  },
  (t) => [
    eventsC.fk(t.assetId, assets.id, "cascade"),
    index("idx_asset_events_asset").on(t.assetId, t.createdAt.desc().nullsFirst()),
  ],
);

const assetAttachmentsC = constraintsOf("asset_attachments");
export const assetAttachments = pgTable(
  "asset_attachments",
  {
    id: id(),
    assetId: uuid("asset_id"),
    fileName: text("file_name"),
    mimeType: text("mime_type"),
    storageKey: text("storage_key"),
    sizeBytes: bigint("size_bytes", { mode: "number" }), // file sizes stay far below 2^53
    version: integer("version").notNull(),
    uploadedBy: text("uploaded_by"),
    correlationId: text("correlation_id"),
    createdAt: createdAt(),
  },
  (t) => [
    assetAttachmentsC.fk(t.assetId, assets.id, "cascade"),
    index("idx_asset_attachments_asset_id").on(t.assetId),
  ],
);

const inventorySessionsC = constraintsOf("inventory_sessions");
export const inventorySessions = pgTable(
  "inventory_sessions",
  {
    id: id(),
    name: text("name").notNull(),
    locationId: uuid("location_id"),
    status: text("status", { enum: INVENTORY_SESSION_STATUSES }).notNull(),
    startedAt: timestamptz("started_at"),
    closedAt: timestamptz("closed_at"),
    createdBy: text("created_by"),
    correlationId: text("correlation_id"),
    createdAt: createdAt(),
  },
  (t) => [
    inventorySessionsC.fk(t.locationId, locations.id, "set null"),
    inventorySessionsC.oneOf(t.status, INVENTORY_SESSION_STATUSES),
    index("idx_inventory_sessions_location_id").on(t.locationId),
  ],
);

const inventoryItemsC = constraintsOf("inventory_items");
export const inventoryItems = pgTable(
  "inventory_items",
  {
    id: id(),
    sessionId: uuid("session_id"),
    assetId: uuid("asset_id"),
    expectedLocationId: uuid("expected_location_id"),
    scannedLocationId: uuid("scanned_location_id"),
    scannedAt: timestamptz("scanned_at"),
    status: text("status", { enum: INVENTORY_ITEM_STATUSES }).notNull(),
    note: text("note"),
  },
  (t) => [
    inventoryItemsC.fk(t.sessionId, inventorySessions.id, "cascade"),
    inventoryItemsC.fk(t.assetId, assets.id, "set null"),
    inventoryItemsC.fk(t.expectedLocationId, locations.id, "set null"),
    inventoryItemsC.fk(t.scannedLocationId, locations.id, "set null"),
    inventoryItemsC.oneOf(t.status, INVENTORY_ITEM_STATUSES),
    // An asset is counted once per session (NULL asset_id = unknown scans, any number of them).
    inventoryItemsC.unique(t.sessionId, t.assetId),
    index("idx_inventory_items_asset_id").on(t.assetId),
    index("idx_inventory_items_expected_location_id").on(t.expectedLocationId),
    index("idx_inventory_items_scanned_location_id").on(t.scannedLocationId),
  ],
);
