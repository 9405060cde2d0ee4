/** Validation schemas of the CMDB domain (CI types and versions, CIs, relationships, services). */
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
} from "../schema/cmdb/tables.js";
import { createInsertSchema, createSelectSchema, createUpdateSchema } from "./factory.js";
import { fieldDefinitionRefine } from "./field-definition.js";
import {
  code,
  fieldKey,
  isoDate,
  json,
  opt,
  positiveInt,
  req,
  TEXT_NAME_MAX,
  trimmed,
} from "./refinements.js";

const ciTypeRefine = {
  code: req(code()),
  name: req(trimmed(255)),
  description: opt(trimmed(TEXT_NAME_MAX * 4)),
};
export const insertCmdbCiTypeSchema = createInsertSchema(cmdbCiTypes, ciTypeRefine).strict();
export const updateCmdbCiTypeSchema = createUpdateSchema(cmdbCiTypes, ciTypeRefine).strict();
export const selectCmdbCiTypeSchema = createSelectSchema(cmdbCiTypes);

const ciTypeVersionRefine = {
  version: req(positiveInt()),
  createdBy: opt(trimmed(255)),
};
export const insertCmdbCiTypeVersionSchema = createInsertSchema(
  cmdbCiTypeVersions,
  ciTypeVersionRefine,
).strict();
export const updateCmdbCiTypeVersionSchema = createUpdateSchema(
  cmdbCiTypeVersions,
  ciTypeVersionRefine,
).strict();
export const selectCmdbCiTypeVersionSchema = createSelectSchema(cmdbCiTypeVersions);

/** Column-level checks only; `validateFieldDefinition` (dynamic.ts) checks the definition as a whole. */
export const insertCmdbCiTypeAttrDefSchema = createInsertSchema(
  cmdbCiTypeAttrDefs,
  fieldDefinitionRefine,
).strict();
export const updateCmdbCiTypeAttrDefSchema = createUpdateSchema(
  cmdbCiTypeAttrDefs,
  fieldDefinitionRefine,
).strict();
export const selectCmdbCiTypeAttrDefSchema = createSelectSchema(cmdbCiTypeAttrDefs);

const ciRefine = {
  name: req(trimmed(255)),
  ciCode: req(code()),
  ownerTeam: opt(trimmed(255)),
  notes: opt(trimmed(TEXT_NAME_MAX * 20)),
};
export const insertCmdbCiSchema = createInsertSchema(cmdbCis, ciRefine).strict();
export const updateCmdbCiSchema = createUpdateSchema(cmdbCis, ciRefine).strict();
export const selectCmdbCiSchema = createSelectSchema(cmdbCis);

/** `value` is checked against the CI type's attr defs with `buildFieldsSchema(await activeAttrDefs(...))`. */
const ciAttrValueRefine = {
  key: req(fieldKey()),
  value: opt(json),
};
export const insertCmdbCiAttrValueSchema = createInsertSchema(cmdbCiAttrValues, ciAttrValueRefine).strict();
export const updateCmdbCiAttrValueSchema = createUpdateSchema(cmdbCiAttrValues, ciAttrValueRefine).strict();
export const selectCmdbCiAttrValueSchema = createSelectSchema(cmdbCiAttrValues);

const relationshipTypeRefine = {
  code: req(code()),
  name: req(trimmed(255)),
  reverseName: opt(trimmed(255)),
};
export const insertCmdbRelationshipTypeSchema = createInsertSchema(
  cmdbRelationshipTypes,
  relationshipTypeRefine,
).strict();
export const updateCmdbRelationshipTypeSchema = createUpdateSchema(
  cmdbRelationshipTypes,
  relationshipTypeRefine,
).strict();
export const selectCmdbRelationshipTypeSchema = createSelectSchema(cmdbRelationshipTypes);

const relationshipRefine = {
  sinceDate: opt(isoDate()),
  note: opt(trimmed(TEXT_NAME_MAX * 4)),
};
export const insertCmdbRelationshipSchema = createInsertSchema(
  cmdbRelationships,
  relationshipRefine,
).strict();
export const updateCmdbRelationshipSchema = createUpdateSchema(
  cmdbRelationships,
  relationshipRefine,
).strict();
export const selectCmdbRelationshipSchema = createSelectSchema(cmdbRelationships);

const serviceRefine = {
  code: req(code()),
  name: req(trimmed(255)),
  criticality: opt(trimmed(50)),
  owner: opt(trimmed(255)),
  sla: opt(trimmed(255)),
  status: opt(trimmed(50)),
};
export const insertCmdbServiceSchema = createInsertSchema(cmdbServices, serviceRefine).strict();
export const updateCmdbServiceSchema = createUpdateSchema(cmdbServices, serviceRefine).strict();
export const selectCmdbServiceSchema = createSelectSchema(cmdbServices);

const serviceMemberRefine = { role: opt(trimmed(100)) };
export const insertCmdbServiceMemberSchema = createInsertSchema(
  cmdbServiceMembers,
  serviceMemberRefine,
).strict();
export const updateCmdbServiceMemberSchema = createUpdateSchema(
  cmdbServiceMembers,
  serviceMemberRefine,
).strict();
export const selectCmdbServiceMemberSchema = createSelectSchema(cmdbServiceMembers);
