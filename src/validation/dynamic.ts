/**
 * Dynamic specifications: the field definitions of an asset category spec version
 * (`asset_category_spec_defs`) or a CI type version (`cmdb_ci_type_attr_defs`, same columns) become a
 * zod schema for `asset_models.spec` / a CI's attribute values; and the definitions themselves are
 * checked before they are stored.
 *
 * Semantics chosen where the spec is silent:
 * - `pattern` is a JavaScript regular expression with the `u` flag, tested as written (anchor it
 *   with ^...$ for a whole-value match); it applies to string-like types (string, ip, mac).
 * - `min_len`/`max_len` count characters of string-like values.
 * - numbers: `min_value`/`max_value` inclusive; `step_value` = value - (min_value ?? 0) is a multiple
 *   of the step (exact decimal arithmetic); `precision`/`scale` as numeric(p, s).
 * - an optional field may be absent or null; an absent field with `default_value` gets the default.
 * - inactive definitions (`is_active` false) are not part of the schema: their keys are rejected.
 */
import { and, asc, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "../db.js";
import { ValidationError, type ValidationIssue } from "../errors/index.js";
import { FIELD_TYPES, type FieldType, type Json, type JsonObject } from "../schema/_helpers.js";
import {
  type AssetCategorySpecDef,
  assetCategorySpecDefs,
  assetCategorySpecVersions,
} from "../schema/assets/index.js";
import { type CmdbCiTypeAttrDef, cmdbCiTypeAttrDefs, cmdbCiTypeVersions } from "../schema/cmdb/index.js";
import { NUMERIC_MAX_PRECISION } from "./columns.js";
import { fieldDefinitionRefine } from "./field-definition.js";
import { fitsNumeric, inet, isoDate, mac } from "./refinements.js";

/** The columns a validator reads; rows of either definition table (or their insert values) fit. */
export interface FieldDefinition {
  key: string;
  label?: string | null;
  fieldType: FieldType;
  required?: boolean | null;
  enumValues?: string[] | null;
  pattern?: string | null;
  minLen?: number | null;
  maxLen?: number | null;
  minValue?: string | number | null;
  maxValue?: string | number | null;
  stepValue?: string | number | null;
  precision?: number | null;
  scale?: number | null;
  defaultValue?: Json | null | undefined;
  isActive?: boolean | null;
}

/** Types whose values are strings, so `pattern` and `min_len`/`max_len` make sense. */
export const STRING_LIKE_FIELD_TYPES: readonly FieldType[] = ["string", "ip", "mac"];
const isStringLike = (t: FieldType) => STRING_LIKE_FIELD_TYPES.includes(t);
const present = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;

/** Exact decimal as (digits, scale): "12.50" -> [1250n, 2]. */
function toScaled(value: string | number): [bigint, number] {
  const text = typeof value === "number" ? String(value) : value.trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`not a decimal: ${text}`);
  const fraction = m[3] ?? "";
  return [BigInt(`${m[1]}${m[2]}${fraction}`), fraction.length];
}

function isMultipleOf(value: number, step: string | number, base: string | number): boolean {
  const parts = [toScaled(String(value)), toScaled(step), toScaled(base)];
  const scale = Math.max(...parts.map(([, s]) => s));
  const [v, s, b] = parts.map(([d, sc]) => d * 10n ** BigInt(scale - sc)) as [bigint, bigint, bigint];
  return s !== 0n && (v - b) % s === 0n;
}

const decimalNumber = (v: string | number) => Number(typeof v === "number" ? v : v.trim());

/** The zod schema of one field's value (without required/default handling). */
function valueSchema(def: FieldDefinition): z.ZodType {
  const label = def.label ?? def.key;
  switch (def.fieldType) {
    case "string":
    case "ip":
    case "mac": {
      let s = z.string("must be a string");
      if (present(def.minLen)) s = s.min(def.minLen, `must be at least ${def.minLen} characters`);
      if (present(def.maxLen)) s = s.max(def.maxLen, `must be at most ${def.maxLen} characters`);
      if (present(def.pattern)) {
        const re = new RegExp(def.pattern, "u");
        s = s.refine((v) => re.test(v), `must match the pattern of ${label}`);
      }
      if (def.fieldType === "ip") return s.pipe(inet());
      if (def.fieldType === "mac") return s.pipe(mac());
      return s;
    }
    case "number": {
      let n = z.number("must be a number").refine(Number.isFinite, "must be a finite number");
      const min = def.minValue;
      const max = def.maxValue;
      const step = def.stepValue;
      if (present(min)) n = n.refine((v) => v >= decimalNumber(min), `must be at least ${min}`);
      if (present(max)) n = n.refine((v) => v <= decimalNumber(max), `must be at most ${max}`);
      if (present(step)) {
        n = n.refine(
          (v) => /^-?\d+(\.\d+)?$/.test(String(v)) && isMultipleOf(v, step, min ?? 0),
          `must be a multiple of ${step}${present(min) ? ` from ${min}` : ""}`,
        );
      }
      if (present(def.precision)) {
        const p = def.precision;
        const sc = def.scale ?? 0;
        n = n.refine(
          (v) => fitsNumeric(String(v), p, sc),
          `must have at most ${p - sc} integer and ${sc} decimal digits`,
        );
      } else if (present(def.scale)) {
        const sc = def.scale;
        n = n.refine(
          (v) => fitsNumeric(String(v), NUMERIC_MAX_PRECISION, sc),
          `must have at most ${sc} decimal digits`,
        );
      }
      return n;
    }
    case "boolean":
      return z.boolean("must be true or false");
    case "enum": {
      const values = def.enumValues ?? [];
      return z
        .string("must be a string")
        .refine((v) => values.includes(v), `must be one of: ${values.join(", ")}`);
    }
    case "date":
      return isoDate();
  }
}

/** The schema of one field as it appears in an object: required/optional, default applied. */
function fieldSchema(def: FieldDefinition): z.ZodType {
  const value = valueSchema(def);
  const hasDefault = def.defaultValue !== undefined && def.defaultValue !== null;
  if (hasDefault)
    return value.optional().transform((v) => (v === undefined ? (def.defaultValue as Json) : v));
  // A missing required field says so, rather than "must be a number" (the type's message).
  if (def.required) {
    // The predicate narrows refine's output to "anything but undefined"; the field's schema takes it.
    const given = z.unknown().refine((v) => v !== undefined, "is required");
    return given.pipe(value as unknown as z.ZodType<unknown, z.output<typeof given>>);
  }
  return value.nullable().optional();
}

/**
 * A strict zod object for values described by `defs`: each active definition is a key, unknown keys
 * are rejected. Use it on `asset_models.spec` or on a CI's attribute values gathered as an object.
 */
export function buildFieldsSchema(defs: readonly FieldDefinition[]): z.ZodType<JsonObject> {
  const shape: Record<string, z.ZodType> = {};
  const ordered = [...defs].filter((d) => d.isActive !== false);
  for (const def of ordered) shape[def.key] = fieldSchema(def);
  return z.strictObject(shape) as unknown as z.ZodType<JsonObject>;
}

/** Schemas built by parseFields, per definitions array (a bulk import validates many rows against one). */
const fieldsSchemas = new WeakMap<readonly FieldDefinition[], z.ZodType<JsonObject>>();

/**
 * Parse `value` against the definitions: the normalised object (MACs, defaults) or a ValidationError.
 * `at` is where the object sits in the caller's input ("spec", "attributes"): issue paths start
 * with it, so they name the input's field ("attributes.cpu_cores").
 */
export function parseFields(defs: readonly FieldDefinition[], value: unknown, at?: string): JsonObject {
  let schema = fieldsSchemas.get(defs);
  if (!schema) {
    schema = buildFieldsSchema(defs);
    fieldsSchemas.set(defs, schema);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const { issues } = ValidationError.fromZod(result.error);
    throw new ValidationError(
      at ? issues.map((i) => ({ ...i, path: i.path ? `${at}.${i.path}` : at })) : issues,
    );
  }
  return result.data;
}

/** The column rules of a definition, as the insert schemas of both tables have them (null allowed). */
const columnRule = (key: Exclude<keyof typeof fieldDefinitionRefine, "key">) =>
  fieldDefinitionRefine[key](assetCategorySpecDefs[key]).nullable().optional();

/** Column-level rules of a definition: the drizzle-zod schemas' rules of these columns, taken from them. */
const definitionColumns = z.looseObject({
  key: fieldDefinitionRefine.key(assetCategorySpecDefs.key),
  label: columnRule("label"),
  fieldType: z.enum(FIELD_TYPES, `must be one of: ${FIELD_TYPES.join(", ")}`),
  required: z.boolean().nullable().optional(),
  enumValues: columnRule("enumValues"),
  pattern: columnRule("pattern"),
  minLen: columnRule("minLen"),
  maxLen: columnRule("maxLen"),
  minValue: columnRule("minValue"),
  maxValue: columnRule("maxValue"),
  stepValue: columnRule("stepValue"),
  precision: columnRule("precision"),
  scale: columnRule("scale"),
});

/**
 * Problems of one field definition (empty = valid): column rules, then the rules between columns:
 * a pattern/length only on string-like types, `enum` needs `enum_values` (and only enum has them),
 * bounds/step/precision only on numbers, min <= max, step > 0, scale <= precision, and a default
 * that satisfies its own field.
 */
export function validateFieldDefinition(def: FieldDefinition): ValidationIssue[] {
  const parsed = definitionColumns.safeParse(def);
  if (!parsed.success) return ValidationError.fromZod(parsed.error).issues;
  const issues: ValidationIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const t = def.fieldType;
  if (!isStringLike(t)) {
    if (present(def.pattern))
      add("pattern", `is only allowed on ${STRING_LIKE_FIELD_TYPES.join("/")} fields`);
    if (present(def.minLen)) add("minLen", `is only allowed on ${STRING_LIKE_FIELD_TYPES.join("/")} fields`);
    if (present(def.maxLen)) add("maxLen", `is only allowed on ${STRING_LIKE_FIELD_TYPES.join("/")} fields`);
  }
  if (t === "enum" && !(def.enumValues && def.enumValues.length > 0)) {
    add("enumValues", "is required for an enum field");
  }
  if (t !== "enum" && present(def.enumValues)) add("enumValues", "is only allowed on enum fields");
  if (t !== "number") {
    for (const k of ["minValue", "maxValue", "stepValue", "precision", "scale"] as const) {
      if (present(def[k])) add(k, "is only allowed on number fields");
    }
  }
  if (present(def.minLen) && present(def.maxLen) && def.minLen > def.maxLen) {
    add("maxLen", "must not be less than minLen");
  }
  if (
    present(def.minValue) &&
    present(def.maxValue) &&
    decimalNumber(def.minValue) > decimalNumber(def.maxValue)
  ) {
    add("maxValue", "must not be less than minValue");
  }
  if (present(def.stepValue) && !(decimalNumber(def.stepValue) > 0))
    add("stepValue", "must be greater than 0");
  if (present(def.precision) && present(def.scale) && def.scale > def.precision) {
    add("scale", "must not exceed precision");
  }
  if (issues.length === 0 && present(def.defaultValue)) {
    const result = valueSchema(def).safeParse(def.defaultValue);
    if (!result.success) {
      for (const i of result.error.issues)
        add("defaultValue", `does not satisfy its own field: ${i.message}`);
    }
  }
  return issues;
}

/** Problems of a whole definition set (one version): each definition's, prefixed by its index, plus duplicate keys. */
export function validateFieldDefinitions(defs: readonly FieldDefinition[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  defs.forEach((def, i) => {
    for (const issue of validateFieldDefinition(def)) {
      issues.push({ path: issue.path ? `${i}.${issue.path}` : String(i), message: issue.message });
    }
    if (seen.has(def.key)) issues.push({ path: `${i}.key`, message: "duplicates another definition's key" });
    seen.add(def.key);
  });
  return issues;
}

/** Throw a ValidationError unless the definition is valid. */
export function assertValidFieldDefinition(def: FieldDefinition): void {
  const issues = validateFieldDefinition(def);
  if (issues.length > 0) throw new ValidationError(issues);
}

/** The active version of a definition set and its definitions, in sort order. */
export interface ActiveDefinitions<D> {
  versionId: string;
  version: number;
  defs: D[];
}

/** The active spec version (highest when several) of an asset category, or null when it has none. */
export async function activeSpecDefs(
  db: DbOrTx,
  categoryId: string,
): Promise<ActiveDefinitions<AssetCategorySpecDef> | null> {
  const [version] = await db
    .select({ id: assetCategorySpecVersions.id, version: assetCategorySpecVersions.version })
    .from(assetCategorySpecVersions)
    .where(
      and(
        eq(assetCategorySpecVersions.categoryId, categoryId),
        eq(assetCategorySpecVersions.status, "active"),
      ),
    )
    .orderBy(desc(assetCategorySpecVersions.version))
    .limit(1);
  if (!version) return null;
  return { versionId: version.id, version: version.version, defs: await specDefsOfVersion(db, version.id) };
}

/** The definitions of one spec version (e.g. the one an asset model points at). */
export function specDefsOfVersion(db: DbOrTx, versionId: string): Promise<AssetCategorySpecDef[]> {
  return db
    .select()
    .from(assetCategorySpecDefs)
    .where(eq(assetCategorySpecDefs.versionId, versionId))
    .orderBy(asc(assetCategorySpecDefs.sortOrder), asc(assetCategorySpecDefs.key));
}

/** The active version (highest when several) of a CI type, or null when it has none. */
export async function activeAttrDefs(
  db: DbOrTx,
  typeId: string,
): Promise<ActiveDefinitions<CmdbCiTypeAttrDef> | null> {
  const [version] = await db
    .select({ id: cmdbCiTypeVersions.id, version: cmdbCiTypeVersions.version })
    .from(cmdbCiTypeVersions)
    .where(and(eq(cmdbCiTypeVersions.typeId, typeId), eq(cmdbCiTypeVersions.status, "active")))
    .orderBy(desc(cmdbCiTypeVersions.version))
    .limit(1);
  if (!version) return null;
  return { versionId: version.id, version: version.version, defs: await attrDefsOfVersion(db, version.id) };
}

/** The definitions of one CI type version. */
export function attrDefsOfVersion(db: DbOrTx, versionId: string): Promise<CmdbCiTypeAttrDef[]> {
  return db
    .select()
    .from(cmdbCiTypeAttrDefs)
    .where(eq(cmdbCiTypeAttrDefs.versionId, versionId))
    .orderBy(asc(cmdbCiTypeAttrDefs.sortOrder), asc(cmdbCiTypeAttrDefs.key));
}
