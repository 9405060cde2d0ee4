/**
 * CMDB: CI types with versioned attribute definitions, configuration items and their attribute
 * values, typed relationships between CIs, business services and their member CIs (seed 001).
 */
import { sql } from "drizzle-orm";
import { check, date, index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import {
  constraintsOf,
  createdAt,
  DEFINITION_VERSION_STATUSES,
  FIELD_TYPES,
  fieldDefinitionColumns,
  id,
  type Json,
  updatedAt,
} from "../_helpers.js";
import { assets, locations } from "../assets/tables.js";

export const CI_TYPE_VERSION_STATUSES = DEFINITION_VERSION_STATUSES;
export const CI_STATUSES = ["active", "planned", "maintenance", "retired"] as const;
export const CI_ENVIRONMENTS = ["prod", "uat", "dev"] as const;
export const RELATIONSHIP_STATUSES = ["active", "retired"] as const;

const ciTypesC = constraintsOf("cmdb_ci_types");
export const cmdbCiTypes = pgTable(
  "cmdb_ci_types",
  {
    id: id(),
    code: text("code").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    createdAt: createdAt(),
  },
  (t) => [ciTypesC.unique(t.code)],
);

const ciTypeVersionsC = constraintsOf("cmdb_ci_type_versions");
export const cmdbCiTypeVersions = pgTable(
  "cmdb_ci_type_versions",
  {
    id: id(),
    typeId: uuid("type_id"),
    version: integer("version").notNull(),
    status: text("status", { enum: CI_TYPE_VERSION_STATUSES }).notNull(),
    createdBy: text("created_by"),
    createdAt: createdAt(),
  },
  (t) => [
    ciTypeVersionsC.fk(t.typeId, cmdbCiTypes.id, "cascade"),
    ciTypeVersionsC.unique(t.typeId, t.version),
    ciTypeVersionsC.oneOf(t.status, CI_TYPE_VERSION_STATUSES),
  ],
);

const attrDefsC = constraintsOf("cmdb_ci_type_attr_defs");
/** Same field-definition columns as asset_category_spec_defs (the spec: "similar to"). */
export const cmdbCiTypeAttrDefs = pgTable(
  "cmdb_ci_type_attr_defs",
  {
    id: id(),
    versionId: uuid("version_id"),
    ...fieldDefinitionColumns(),
  },
  (t) => [
    attrDefsC.fk(t.versionId, cmdbCiTypeVersions.id, "cascade"),
    attrDefsC.unique(t.versionId, t.key),
    attrDefsC.oneOf(t.fieldType, FIELD_TYPES),
  ],
);

const cisC = constraintsOf("cmdb_cis");
export const cmdbCis = pgTable(
  "cmdb_cis",
  {
    id: id(),
    typeId: uuid("type_id"),
    name: text("name").notNull(),
    ciCode: text("ci_code").notNull(),
    status: text("status", { enum: CI_STATUSES }).default("active"),
    environment: text("environment", { enum: CI_ENVIRONMENTS }).default("prod"),
    assetId: uuid("asset_id"),
    locationId: uuid("location_id"),
    ownerTeam: text("owner_team"),
    notes: text("notes"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // RESTRICT: a CI type cannot be deleted while CIs of that type exist.
    cisC.fk(t.typeId, cmdbCiTypes.id, "restrict"),
    cisC.unique(t.ciCode),
    cisC.fk(t.assetId, assets.id, "set null"),
    cisC.fk(t.locationId, locations.id, "set null"),
    cisC.oneOf(t.status, CI_STATUSES),
    cisC.oneOf(t.environment, CI_ENVIRONMENTS),
    index("idx_cmdb_cis_type").on(t.typeId),
    index("idx_cmdb_cis_asset").on(t.assetId),
    index("idx_cmdb_cis_location_id").on(t.locationId),
  ],
);

const attrValuesC = constraintsOf("cmdb_ci_attr_values");
export const cmdbCiAttrValues = pgTable(
  "cmdb_ci_attr_values",
  {
    id: id(),
    ciId: uuid("ci_id"),
    versionId: uuid("version_id"),
    key: text("key").notNull(),
    value: jsonb("value").$type<Json>(),
    updatedAt: updatedAt(),
  },
  (t) => [
    attrValuesC.fk(t.ciId, cmdbCis.id, "cascade"),
    // RESTRICT: a type version cannot disappear while values recorded against it exist.
    attrValuesC.fk(t.versionId, cmdbCiTypeVersions.id, "restrict"),
    attrValuesC.unique(t.ciId, t.key),
    index("idx_cmdb_ci_attr_values_version_id").on(t.versionId),
  ],
);

const relTypesC = constraintsOf("cmdb_relationship_types");
export const cmdbRelationshipTypes = pgTable(
  "cmdb_relationship_types",
  {
    id: id(),
    code: text("code").notNull(),
    name: text("name").notNull(),
    reverseName: text("reverse_name"),
    // NULL = any CI type may stand at that end.
    allowedFromTypeId: uuid("allowed_from_type_id"),
    allowedToTypeId: uuid("allowed_to_type_id"),
  },
  (t) => [
    relTypesC.unique(t.code),
    relTypesC.fk(t.allowedFromTypeId, cmdbCiTypes.id, "set null"),
    relTypesC.fk(t.allowedToTypeId, cmdbCiTypes.id, "set null"),
    index("idx_cmdb_relationship_types_allowed_from_type_id").on(t.allowedFromTypeId),
    index("idx_cmdb_relationship_types_allowed_to_type_id").on(t.allowedToTypeId),
  ],
);

const relationshipsC = constraintsOf("cmdb_relationships");
export const cmdbRelationships = pgTable(
  "cmdb_relationships",
  {
    id: id(),
    relTypeId: uuid("rel_type_id"),
    fromCiId: uuid("from_ci_id"),
    toCiId: uuid("to_ci_id"),
    status: text("status", { enum: RELATIONSHIP_STATUSES }).default("active"),
    sinceDate: date("since_date", { mode: "string" }),
    note: text("note"),
    createdAt: createdAt(),
  },
  (t) => [
    relationshipsC.fk(t.relTypeId, cmdbRelationshipTypes.id, "cascade"),
    relationshipsC.fk(t.fromCiId, cmdbCis.id, "cascade"),
    relationshipsC.fk(t.toCiId, cmdbCis.id, "cascade"),
    relationshipsC.oneOf(t.status, RELATIONSHIP_STATUSES),
    index("idx_cmdb_relationships_from").on(t.fromCiId),
    // Upward impact analysis (what depends on a CI) walks to_ci_id.
    index("idx_cmdb_relationships_to_ci_id").on(t.toCiId),
    // A CHECK over two columns, named here (the constraintsOf helpers name one-column checks only).
    check("cmdb_relationships_not_self_check", sql`${t.fromCiId} <> ${t.toCiId}`),
    // One relationship per (type, from, to); also covers lookups by rel_type_id.
    relationshipsC.unique(t.relTypeId, t.fromCiId, t.toCiId),
  ],
);

export const cmdbServices = pgTable(
  "cmdb_services",
  {
    id: id(),
    code: text("code").notNull(),
    name: text("name").notNull(),
    criticality: text("criticality"),
    owner: text("owner"),
    sla: text("sla"),
    status: text("status"),
    createdAt: createdAt(),
  },
  (t) => [constraintsOf("cmdb_services").unique(t.code)],
);

const serviceMembersC = constraintsOf("cmdb_service_members");
/** Seed 000 calls this cmdb_service_cis; seed 001 (the data model) names it cmdb_service_members. */
export const cmdbServiceMembers = pgTable(
  "cmdb_service_members",
  {
    id: id(),
    serviceId: uuid("service_id"),
    ciId: uuid("ci_id"),
    role: text("role"),
    createdAt: createdAt(),
  },
  (t) => [
    serviceMembersC.fk(t.serviceId, cmdbServices.id, "cascade"),
    serviceMembersC.fk(t.ciId, cmdbCis.id, "cascade"),
    index("idx_cmdb_service_members_service_id").on(t.serviceId),
    index("idx_cmdb_service_members_ci_id").on(t.ciId),
  ],
);
