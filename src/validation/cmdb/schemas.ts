/**
 * Validation schemas of the CMDB domain (CI types and versions, CIs, relationships, services): the
 * tables' schemas from their column rules, then every operation's input derived from them
 * (src/queries/cmdb).
 */
import { z } from "zod";
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
} from "../../schema/cmdb/tables.js";
import { columnFields, columnRule, tableSchemas } from "../factory.js";
import { definitionVersionRefine, fieldDefinitionRefine } from "../field-definition.js";
import {
  code,
  fieldKey,
  intRange,
  isoDate,
  json,
  opt,
  req,
  TEXT_NAME_MAX,
  trimmed,
  uuid,
} from "../refinements.js";

const ciTypeRefine = {
  code: req(code()),
  name: req(trimmed),
  description: opt(trimmed(TEXT_NAME_MAX * 4)),
};
export const {
  insert: insertCmdbCiTypeSchema,
  update: updateCmdbCiTypeSchema,
  select: selectCmdbCiTypeSchema,
} = tableSchemas(cmdbCiTypes, ciTypeRefine);

export const {
  insert: insertCmdbCiTypeVersionSchema,
  update: updateCmdbCiTypeVersionSchema,
  select: selectCmdbCiTypeVersionSchema,
} = tableSchemas(cmdbCiTypeVersions, definitionVersionRefine);

/** Column-level checks only; `validateFieldDefinition` (dynamic.ts) checks the definition as a whole. */
export const {
  insert: insertCmdbCiTypeAttrDefSchema,
  update: updateCmdbCiTypeAttrDefSchema,
  select: selectCmdbCiTypeAttrDefSchema,
} = tableSchemas(cmdbCiTypeAttrDefs, fieldDefinitionRefine);

const ciRefine = {
  name: req(trimmed),
  ciCode: req(code()),
  ownerTeam: opt(trimmed),
  notes: opt(trimmed(TEXT_NAME_MAX * 20)),
};
export const {
  insert: insertCmdbCiSchema,
  update: updateCmdbCiSchema,
  select: selectCmdbCiSchema,
} = tableSchemas(cmdbCis, ciRefine);

/** `value` is checked against the CI type's attr defs with `buildFieldsSchema(await activeAttrDefs(...))`. */
const ciAttrValueRefine = {
  key: req(fieldKey()),
  value: opt(json),
};
export const {
  insert: insertCmdbCiAttrValueSchema,
  update: updateCmdbCiAttrValueSchema,
  select: selectCmdbCiAttrValueSchema,
} = tableSchemas(cmdbCiAttrValues, ciAttrValueRefine);

const relationshipTypeRefine = {
  code: req(code()),
  name: req(trimmed),
  reverseName: opt(trimmed),
};
export const {
  insert: insertCmdbRelationshipTypeSchema,
  update: updateCmdbRelationshipTypeSchema,
  select: selectCmdbRelationshipTypeSchema,
} = tableSchemas(cmdbRelationshipTypes, relationshipTypeRefine);

const relationshipRefine = {
  sinceDate: opt(isoDate()),
  note: opt(trimmed(TEXT_NAME_MAX * 4)),
};
export const {
  insert: insertCmdbRelationshipSchema,
  update: updateCmdbRelationshipSchema,
  select: selectCmdbRelationshipSchema,
} = tableSchemas(cmdbRelationships, relationshipRefine);

const serviceRefine = {
  code: req(code()),
  name: req(trimmed),
  criticality: opt(trimmed(50)),
  owner: opt(trimmed),
  sla: opt(trimmed),
  status: opt(trimmed(50)),
};
export const {
  insert: insertCmdbServiceSchema,
  update: updateCmdbServiceSchema,
  select: selectCmdbServiceSchema,
} = tableSchemas(cmdbServices, serviceRefine);

const serviceMemberRefine = { role: opt(trimmed(100)) };
export const {
  insert: insertCmdbServiceMemberSchema,
  update: updateCmdbServiceMemberSchema,
  select: selectCmdbServiceMemberSchema,
} = tableSchemas(cmdbServiceMembers, serviceMemberRefine);

// Operation inputs (src/queries/cmdb) ------------------------------------------------------------

export const createCiInput = insertCmdbCiSchema.omit({ id: true, createdAt: true, updatedAt: true }).extend({
  typeId: uuid(),
  /** Attribute values by key, validated against the type's active version (defaults applied). */
  attributes: z.record(z.string(), json).optional(),
});

export const updateCiInput = updateCmdbCiSchema
  .omit({ id: true, createdAt: true, updatedAt: true, typeId: true })
  .extend({
    ciId: uuid(),
    /** Keys to set (merged over the stored values); null removes a key. */
    attributes: z.record(z.string(), json.nullable()).optional(),
  });

export const relateCisInput = z
  .strictObject({
    /** The relationship type, by id or by code (exactly one). */
    relTypeId: uuid().optional(),
    relTypeCode: columnRule(insertCmdbRelationshipTypeSchema, "code").optional(),
    fromCiId: uuid(),
    toCiId: uuid(),
    ...columnFields(insertCmdbRelationshipSchema, "sinceDate", "note"),
  })
  .refine((r) => (r.relTypeId === undefined) !== (r.relTypeCode === undefined), {
    message: "give relTypeId or relTypeCode",
    path: ["relTypeId"],
  });

export const IMPACT_DIRECTIONS = ["dependencies", "dependents"] as const;
export type ImpactDirection = (typeof IMPACT_DIRECTIONS)[number];
export const DEFAULT_MAX_DEPTH = 5;
export const MAX_DEPTH_LIMIT = 20;

const maxDepth = intRange(1, MAX_DEPTH_LIMIT).default(DEFAULT_MAX_DEPTH);

export const impactInput = z.strictObject({
  ciId: uuid(),
  direction: z.enum(IMPACT_DIRECTIONS),
  maxDepth,
});

export const serviceMapInput = z.strictObject({ serviceId: uuid(), maxDepth });
