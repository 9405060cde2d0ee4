import { relations } from "drizzle-orm";
import { assets, locations } from "../assets/tables.js";
import { repairOrders } from "../warehouse/tables.js";
import {
  cmdbCiAttrValues,
  cmdbCis,
  cmdbCiTypeAttrDefs,
  cmdbCiTypes,
  cmdbCiTypeVersions,
  cmdbRelationships,
  cmdbRelationshipTypes,
  cmdbServiceMembers,
  cmdbServices,
} from "./tables.js";

export const cmdbCiTypesRelations = relations(cmdbCiTypes, ({ many }) => ({
  versions: many(cmdbCiTypeVersions),
  cis: many(cmdbCis),
  relationshipTypesFrom: many(cmdbRelationshipTypes, { relationName: "rel_type_allowed_from" }),
  relationshipTypesTo: many(cmdbRelationshipTypes, { relationName: "rel_type_allowed_to" }),
}));

export const cmdbCiTypeVersionsRelations = relations(cmdbCiTypeVersions, ({ one, many }) => ({
  type: one(cmdbCiTypes, { fields: [cmdbCiTypeVersions.typeId], references: [cmdbCiTypes.id] }),
  attrDefs: many(cmdbCiTypeAttrDefs),
  attrValues: many(cmdbCiAttrValues),
}));

export const cmdbCiTypeAttrDefsRelations = relations(cmdbCiTypeAttrDefs, ({ one }) => ({
  version: one(cmdbCiTypeVersions, {
    fields: [cmdbCiTypeAttrDefs.versionId],
    references: [cmdbCiTypeVersions.id],
  }),
}));

export const cmdbCisRelations = relations(cmdbCis, ({ one, many }) => ({
  type: one(cmdbCiTypes, { fields: [cmdbCis.typeId], references: [cmdbCiTypes.id] }),
  asset: one(assets, { fields: [cmdbCis.assetId], references: [assets.id] }),
  location: one(locations, { fields: [cmdbCis.locationId], references: [locations.id] }),
  attrValues: many(cmdbCiAttrValues),
  outgoing: many(cmdbRelationships, { relationName: "relationship_from" }),
  incoming: many(cmdbRelationships, { relationName: "relationship_to" }),
  serviceMemberships: many(cmdbServiceMembers),
  repairOrders: many(repairOrders),
}));

export const cmdbCiAttrValuesRelations = relations(cmdbCiAttrValues, ({ one }) => ({
  ci: one(cmdbCis, { fields: [cmdbCiAttrValues.ciId], references: [cmdbCis.id] }),
  version: one(cmdbCiTypeVersions, {
    fields: [cmdbCiAttrValues.versionId],
    references: [cmdbCiTypeVersions.id],
  }),
}));

export const cmdbRelationshipTypesRelations = relations(cmdbRelationshipTypes, ({ one, many }) => ({
  allowedFromType: one(cmdbCiTypes, {
    fields: [cmdbRelationshipTypes.allowedFromTypeId],
    references: [cmdbCiTypes.id],
    relationName: "rel_type_allowed_from",
  }),
  allowedToType: one(cmdbCiTypes, {
    fields: [cmdbRelationshipTypes.allowedToTypeId],
    references: [cmdbCiTypes.id],
    relationName: "rel_type_allowed_to",
  }),
  relationships: many(cmdbRelationships),
}));

export const cmdbRelationshipsRelations = relations(cmdbRelationships, ({ one }) => ({
  relType: one(cmdbRelationshipTypes, {
    fields: [cmdbRelationships.relTypeId],
    references: [cmdbRelationshipTypes.id],
  }),
  fromCi: one(cmdbCis, {
    fields: [cmdbRelationships.fromCiId],
    references: [cmdbCis.id],
    relationName: "relationship_from",
  }),
  toCi: one(cmdbCis, {
    fields: [cmdbRelationships.toCiId],
    references: [cmdbCis.id],
    relationName: "relationship_to",
  }),
}));

export const cmdbServicesRelations = relations(cmdbServices, ({ many }) => ({
  members: many(cmdbServiceMembers),
}));

export const cmdbServiceMembersRelations = relations(cmdbServiceMembers, ({ one }) => ({
  service: one(cmdbServices, {
    fields: [cmdbServiceMembers.serviceId],
    references: [cmdbServices.id],
  }),
  ci: one(cmdbCis, { fields: [cmdbServiceMembers.ciId], references: [cmdbCis.id] }),
}));
