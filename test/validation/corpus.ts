/**
 * A corpus of bad inputs across the five domains. Each entry is a valid base row of one table with
 * exactly one thing wrong (`field`); `db` says how the database itself reacts when the same row is
 * sent straight to it, bypassing zod: the typed error and constraint, or null where the schema has
 * no constraint for it (the validation layer is then the only guard).
 */
import type { PgTable } from "drizzle-orm/pg-core";
import type { z } from "zod";
import {
  CheckViolationError,
  InvalidTextRepresentationError,
  NotNullViolationError,
  OutOfRangeError,
  ValueTooLongError,
} from "../../src/errors/index.js";
import * as s from "../../src/schema/index.js";
import * as v from "../../src/validation/index.js";

type DbErrorClass =
  | typeof CheckViolationError
  | typeof InvalidTextRepresentationError
  | typeof NotNullViolationError
  | typeof OutOfRangeError
  | typeof ValueTooLongError;

export interface BadInput {
  name: string;
  domain: "core" | "assets" | "cmdb" | "warehouse" | "workflow";
  table: PgTable;
  schema: z.ZodType;
  input: Record<string, unknown>;
  /** The issue path the validator must report (and the only one). */
  field: string;
  db: { error: DbErrorClass; constraint?: string; columns?: string[] } | null;
}

const UUID = "5b0e3c1e-8a43-4f55-9d0e-0c9a1d6c1f00";
const long = (n: number) => "x".repeat(n);

/** Valid rows, one per table used below (each passes its insert schema and the database). */
export const bases = {
  users: {
    table: s.users,
    schema: v.insertUserSchema,
    row: {
      email: "ops@example.com",
      name: "Ops",
      // The shape hashPassword writes (src/security/passwords.ts): 16-byte salt, 32-byte key, base64.
      passwordHash: `$scrypt$ln=17,r=8,p=1$${"A".repeat(22)}$${"B".repeat(43)}`,
    },
  },
  sessions: {
    table: s.sessions,
    schema: v.insertSessionSchema,
    row: {
      token: "tok-1",
      refreshToken: "ref-1",
      expiresAt: new Date("2030-01-01T00:00:00Z"),
      refreshExpiresAt: new Date("2030-02-01T00:00:00Z"),
    },
  },
  modelConfigs: {
    table: s.modelConfigs,
    schema: v.insertModelConfigSchema,
    row: { id: "test/model", provider: "openai", tier: 1 },
  },
  messages: { table: s.messages, schema: v.insertMessageSchema, row: { role: "user", content: "hello" } },
  aiProviders: {
    table: s.aiProviders,
    schema: v.insertAiProviderSchema,
    row: { id: "prov", name: "Provider" },
  },
  usageLogs: { table: s.usageLogs, schema: v.insertUsageLogSchema, row: { userId: "u1", tier: 1 } },
  userTokenStats: {
    table: s.userTokenStats,
    schema: v.insertUserTokenStatSchema,
    row: { userId: "u1", date: "2025-01-01", model: "m", provider: "p" },
  },
  vendors: { table: s.vendors, schema: v.insertVendorSchema, row: { name: "Acme" } },
  locations: { table: s.locations, schema: v.insertLocationSchema, row: { name: "HQ", path: "/HQ/" } },
  specVersions: {
    table: s.assetCategorySpecVersions,
    schema: v.insertAssetCategorySpecVersionSchema,
    row: { version: 1, status: "active" },
  },
  specDefs: {
    table: s.assetCategorySpecDefs,
    schema: v.insertAssetCategorySpecDefSchema,
    row: { key: "port_count", label: "Ports", fieldType: "number" },
  },
  assets: { table: s.assets, schema: v.insertAssetSchema, row: { assetCode: "SW-0001" } },
  assignments: {
    table: s.assetAssignments,
    schema: v.insertAssetAssignmentSchema,
    row: { assigneeType: "person", assigneeId: "u1", assigneeName: "User One" },
  },
  inventorySessions: {
    table: s.inventorySessions,
    schema: v.insertInventorySessionSchema,
    row: { name: "Count", status: "draft" },
  },
  inventoryItems: { table: s.inventoryItems, schema: v.insertInventoryItemSchema, row: { status: "found" } },
  ciTypes: {
    table: s.cmdbCiTypes,
    schema: v.insertCmdbCiTypeSchema,
    row: { code: "server", name: "Server" },
  },
  cis: { table: s.cmdbCis, schema: v.insertCmdbCiSchema, row: { name: "web-01", ciCode: "CI-0001" } },
  attrValues: {
    table: s.cmdbCiAttrValues,
    schema: v.insertCmdbCiAttrValueSchema,
    row: { key: "hostname", value: "web-01" },
  },
  relTypes: {
    table: s.cmdbRelationshipTypes,
    schema: v.insertCmdbRelationshipTypeSchema,
    row: { code: "depends_on", name: "depends on" },
  },
  relationships: {
    table: s.cmdbRelationships,
    schema: v.insertCmdbRelationshipSchema,
    row: { status: "active" },
  },
  services: {
    table: s.cmdbServices,
    schema: v.insertCmdbServiceSchema,
    row: { code: "SVC-1", name: "Portal" },
  },
  warehouses: { table: s.warehouses, schema: v.insertWarehouseSchema, row: { code: "WH-1", name: "Main" } },
  spareParts: {
    table: s.spareParts,
    schema: v.insertSparePartSchema,
    row: { partCode: "SP-1", name: "SFP" },
  },
  stock: { table: s.sparePartStock, schema: v.insertSparePartStockSchema, row: { onHand: 5, reserved: 0 } },
  documents: {
    table: s.stockDocuments,
    schema: v.insertStockDocumentSchema,
    row: { docType: "receipt", code: "SD-1", status: "draft" },
  },
  lines: { table: s.stockDocumentLines, schema: v.insertStockDocumentLineSchema, row: { qty: 1 } },
  movements: {
    table: s.sparePartMovements,
    schema: v.insertSparePartMovementSchema,
    row: { movementType: "in", qty: 1 },
  },
  repairOrders: {
    table: s.repairOrders,
    schema: v.insertRepairOrderSchema,
    row: { code: "RO-1", title: "Broken fan", severity: "low", status: "open", repairType: "internal" },
  },
  repairParts: {
    table: s.repairOrderParts,
    schema: v.insertRepairOrderPartSchema,
    row: { action: "replace", qty: 1 },
  },
  requests: {
    table: s.workflowRequests,
    schema: v.insertWorkflowRequestSchema,
    row: { requestType: "assign", status: "submitted" },
  },
  reminders: {
    table: s.reminders,
    schema: v.insertReminderSchema,
    row: { reminderType: "warranty_expiring", dueAt: new Date("2030-01-01T00:00:00Z"), status: "pending" },
  },
  tickets: {
    table: s.maintenanceTickets,
    schema: v.insertMaintenanceTicketSchema,
    row: { title: "Noisy fan", severity: "low" },
  },
  attachments: {
    table: s.attachments,
    schema: v.insertAttachmentSchema,
    row: {
      entityType: "repair_order",
      entityId: UUID,
      fileName: "report.pdf",
      mimeType: "application/pdf",
      storageKey: "k/1",
    },
  },
  opsEvents: {
    table: s.opsEvents,
    schema: v.insertOpsEventSchema,
    row: { entityType: "repair_order", entityId: UUID, eventType: "created" },
  },
} satisfies Record<string, { table: PgTable; schema: z.ZodType; row: Record<string, unknown> }>;

type BaseKey = keyof typeof bases;

const check = (constraint: string, columns?: string[]) => ({
  error: CheckViolationError,
  constraint,
  ...(columns ? { columns } : {}),
});
const syntax = { error: InvalidTextRepresentationError };
const tooLong = { error: ValueTooLongError };
const notNull = (column: string) => ({ error: NotNullViolationError, columns: [column] });
const range = { error: OutOfRangeError };

/** One wrong field on top of a base row (`undefined` = the field is missing). */
function bad(
  domain: BadInput["domain"],
  base: BaseKey,
  name: string,
  field: string,
  value: unknown,
  db: BadInput["db"],
): BadInput {
  const { table, schema, row } = bases[base];
  const input: Record<string, unknown> = { ...row };
  if (value === undefined) delete input[field];
  else input[field] = value;
  return { name, domain, table, schema, input, field, db };
}

export const corpus: BadInput[] = [
  // core
  bad("core", "users", "email without @", "email", "not-an-email", null),
  bad("core", "users", "email with SQL", "email", "a@b.c' OR '1'='1", null),
  bad("core", "users", "missing password hash", "passwordHash", undefined, notNull("password_hash")),
  bad("core", "users", "plaintext password as hash", "passwordHash", "hunter2", null),
  bad("core", "users", "unknown user role", "role", "root", check("users_role_check", ["role"])),
  bad("core", "users", "overlong name", "name", long(256), tooLong),
  bad("core", "users", "extra key", "isAdmin", true, null),
  bad("core", "sessions", "bad IP", "ipAddress", "999.1.1.1", null),
  bad("core", "sessions", "empty token", "token", "   ", null),
  bad("core", "modelConfigs", "tier out of range", "tier", 5, check("model_configs_tier_check", ["tier"])),
  bad("core", "modelConfigs", "tier wrong type", "tier", "two", syntax),
  bad("core", "modelConfigs", "negative cost", "costPer1kInput", "-0.5", null),
  bad("core", "modelConfigs", "cost not a number", "costPer1kInput", "cheap", syntax),
  bad("core", "modelConfigs", "zero context window", "contextWindow", 0, null),
  bad("core", "messages", "unknown message role", "role", "robot", check("messages_role_check", ["role"])),
  bad("core", "messages", "negative tokens", "promptTokens", -1, null),
  bad("core", "aiProviders", "endpoint not a URL", "apiEndpoint", "not a url", null),
  bad("core", "usageLogs", "missing tier", "tier", undefined, notNull("tier")),
  bad("core", "userTokenStats", "impossible date", "date", "2024-02-30", range),

  // assets
  bad("assets", "assets", "empty asset code", "assetCode", "", null),
  bad(
    "assets",
    "assets",
    "asset code with spaces and SQL",
    "assetCode",
    "SW-1'; DROP TABLE assets; --",
    null,
  ),
  bad("assets", "assets", "overlong asset code", "assetCode", long(101), tooLong),
  bad("assets", "assets", "MAC too short", "macAddress", "00:11:22:33:44", null),
  bad("assets", "assets", "MAC not hex", "macAddress", "zz:zz:zz:zz:zz:zz", null),
  bad("assets", "assets", "IPv4 out of range", "mgmtIp", "300.1.1.1", syntax),
  bad("assets", "assets", "CIDR prefix too long", "mgmtIp", "10.0.0.1/33", syntax),
  bad("assets", "assets", "IP with SQL", "mgmtIp", "10.0.0.1'; DROP TABLE assets; --", syntax),
  bad("assets", "assets", "VLAN 0", "vlanId", 0, check("assets_vlan_id_check", ["vlan_id"])),
  bad("assets", "assets", "VLAN 4095", "vlanId", 4095, check("assets_vlan_id_check", ["vlan_id"])),
  bad("assets", "assets", "VLAN as text", "vlanId", "10", null),
  bad("assets", "assets", "unknown status", "status", "broken", check("assets_status_check", ["status"])),
  bad("assets", "assets", "impossible purchase date", "purchaseDate", "2023-02-29", range),
  bad("assets", "assets", "purchase date not a date", "purchaseDate", "not-a-date", syntax),
  bad("assets", "assets", "model id not a uuid", "modelId", "model-1", syntax),
  bad("assets", "vendors", "vendor email", "email", "sales at acme", null),
  bad("assets", "vendors", "blank vendor name", "name", "   ", null),
  bad("assets", "vendors", "missing vendor name", "name", undefined, notNull("name")),
  bad("assets", "locations", "relative path", "path", "no-leading-slash", null),
  bad(
    "assets",
    "specVersions",
    "unknown version status",
    "status",
    "published",
    check("asset_category_spec_versions_status_check", ["status"]),
  ),
  bad("assets", "specVersions", "version 0", "version", 0, null),
  bad(
    "assets",
    "specDefs",
    "unknown field type",
    "fieldType",
    "json",
    check("asset_category_spec_defs_field_type_check", ["field_type"]),
  ),
  bad("assets", "specDefs", "key not snake_case", "key", "Port Count", null),
  bad("assets", "specDefs", "invalid regex pattern", "pattern", "([", null),
  bad(
    "assets",
    "assignments",
    "unknown assignee type",
    "assigneeType",
    "robot",
    check("asset_assignments_assignee_type_check", ["assignee_type"]),
  ),
  bad(
    "assets",
    "inventorySessions",
    "unknown session status",
    "status",
    "open",
    check("inventory_sessions_status_check", ["status"]),
  ),
  bad(
    "assets",
    "inventoryItems",
    "unknown item status",
    "status",
    "stolen",
    check("inventory_items_status_check", ["status"]),
  ),

  // cmdb
  bad("cmdb", "ciTypes", "empty code", "code", "", null),
  bad("cmdb", "ciTypes", "missing name", "name", undefined, notNull("name")),
  bad(
    "cmdb",
    "cis",
    "unknown environment",
    "environment",
    "staging",
    check("cmdb_cis_environment_check", ["environment"]),
  ),
  bad("cmdb", "cis", "unknown CI status", "status", "deleted", check("cmdb_cis_status_check", ["status"])),
  bad("cmdb", "cis", "CI code with SQL", "ciCode", "CI-1; DELETE FROM cmdb_cis", null),
  bad("cmdb", "attrValues", "attribute key with spaces", "key", "Bad Key!", null),
  bad(
    "cmdb",
    "relationships",
    "unknown relationship status",
    "status",
    "inactive",
    check("cmdb_relationships_status_check", ["status"]),
  ),
  bad("cmdb", "relationships", "impossible since date", "sinceDate", "2024-13-01", range),
  bad("cmdb", "relTypes", "blank name", "name", "", null),
  bad("cmdb", "services", "overlong service code", "code", long(101), null),

  // warehouse
  bad("warehouse", "movements", "zero quantity", "qty", 0, check("spare_part_movements_qty_check", ["qty"])),
  bad(
    "warehouse",
    "movements",
    "negative quantity",
    "qty",
    -3,
    check("spare_part_movements_qty_check", ["qty"]),
  ),
  bad("warehouse", "movements", "fractional quantity", "qty", 1.5, syntax),
  bad(
    "warehouse",
    "movements",
    "unknown movement type",
    "movementType",
    "teleport",
    check("spare_part_movements_movement_type_check", ["movement_type"]),
  ),
  bad("warehouse", "movements", "too many decimals", "unitCost", "12.345", null),
  bad("warehouse", "movements", "unit cost not a number", "unitCost", "abc", syntax),
  bad("warehouse", "lines", "zero line quantity", "qty", 0, check("stock_document_lines_qty_check", ["qty"])),
  bad(
    "warehouse",
    "lines",
    "unknown adjust direction",
    "adjustDirection",
    "up",
    check("stock_document_lines_adjust_direction_check", ["adjust_direction"]),
  ),
  bad(
    "warehouse",
    "documents",
    "unknown document type",
    "docType",
    "gift",
    check("stock_documents_doc_type_check", ["doc_type"]),
  ),
  bad(
    "warehouse",
    "documents",
    "unknown document status",
    "status",
    "approved",
    check("stock_documents_status_check", ["status"]),
  ),
  bad(
    "warehouse",
    "stock",
    "negative on hand",
    "onHand",
    -1,
    { error: CheckViolationError }, // also breaks reserved <= on_hand: either check may report
  ),
  bad(
    "warehouse",
    "stock",
    "negative reserved",
    "reserved",
    -1,
    check("spare_part_stock_reserved_check", ["reserved"]),
  ),
  bad("warehouse", "spareParts", "negative min level", "minLevel", -2, null),
  bad(
    "warehouse",
    "repairOrders",
    "unknown severity",
    "severity",
    "urgent",
    check("repair_orders_severity_check", ["severity"]),
  ),
  bad("warehouse", "repairOrders", "negative labor cost", "laborCost", "-100", null),
  bad(
    "warehouse",
    "repairOrders",
    "unknown repair type",
    "repairType",
    "external",
    check("repair_orders_repair_type_check", ["repair_type"]),
  ),
  bad(
    "warehouse",
    "repairParts",
    "unknown part action",
    "action",
    "destroy",
    check("repair_order_parts_action_check", ["action"]),
  ),
  bad(
    "warehouse",
    "repairParts",
    "zero part quantity",
    "qty",
    0,
    check("repair_order_parts_qty_check", ["qty"]),
  ),
  bad("warehouse", "warehouses", "warehouse code with spaces", "code", "WH 01", null),

  // workflow
  bad(
    "workflow",
    "requests",
    "unknown request type",
    "requestType",
    "steal",
    check("workflow_requests_request_type_check", ["request_type"]),
  ),
  bad(
    "workflow",
    "requests",
    "unknown request status",
    "status",
    "pending",
    check("workflow_requests_status_check", ["status"]),
  ),
  bad(
    "workflow",
    "reminders",
    "unknown reminder type",
    "reminderType",
    "birthday",
    check("reminders_reminder_type_check", ["reminder_type"]),
  ),
  bad("workflow", "reminders", "missing due date", "dueAt", undefined, notNull("due_at")),
  bad("workflow", "reminders", "due date not a date", "dueAt", "next week", null),
  bad(
    "workflow",
    "tickets",
    "unknown ticket severity",
    "severity",
    "meh",
    check("maintenance_tickets_severity_check", ["severity"]),
  ),
  bad("workflow", "tickets", "overlong ticket title", "title", long(300), tooLong),
  bad(
    "workflow",
    "attachments",
    "unknown entity type",
    "entityType",
    "asset",
    check("attachments_entity_type_check", ["entity_type"]),
  ),
  bad("workflow", "attachments", "MIME type without subtype", "mimeType", "pdf", null),
  bad("workflow", "attachments", "negative size", "sizeBytes", -1, null),
  bad(
    "workflow",
    "opsEvents",
    "unknown ops entity type",
    "entityType",
    "user",
    check("ops_events_entity_type_check", ["entity_type"]),
  ),
  bad("workflow", "opsEvents", "entity id not a uuid", "entityId", "123", syntax),
];
