/** cmdb domain: value lists, tables, relations and row types. */
export * from "./relations.js";
export * from "./tables.js";

import type {
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

export type CmdbCiType = typeof cmdbCiTypes.$inferSelect;
export type NewCmdbCiType = typeof cmdbCiTypes.$inferInsert;
export type CmdbCiTypeVersion = typeof cmdbCiTypeVersions.$inferSelect;
export type NewCmdbCiTypeVersion = typeof cmdbCiTypeVersions.$inferInsert;
export type CmdbCiTypeAttrDef = typeof cmdbCiTypeAttrDefs.$inferSelect;
export type NewCmdbCiTypeAttrDef = typeof cmdbCiTypeAttrDefs.$inferInsert;
export type CmdbCi = typeof cmdbCis.$inferSelect;
export type NewCmdbCi = typeof cmdbCis.$inferInsert;
export type CmdbCiAttrValue = typeof cmdbCiAttrValues.$inferSelect;
export type NewCmdbCiAttrValue = typeof cmdbCiAttrValues.$inferInsert;
export type CmdbRelationshipType = typeof cmdbRelationshipTypes.$inferSelect;
export type NewCmdbRelationshipType = typeof cmdbRelationshipTypes.$inferInsert;
export type CmdbRelationship = typeof cmdbRelationships.$inferSelect;
export type NewCmdbRelationship = typeof cmdbRelationships.$inferInsert;
export type CmdbService = typeof cmdbServices.$inferSelect;
export type NewCmdbService = typeof cmdbServices.$inferInsert;
export type CmdbServiceMember = typeof cmdbServiceMembers.$inferSelect;
export type NewCmdbServiceMember = typeof cmdbServiceMembers.$inferInsert;
