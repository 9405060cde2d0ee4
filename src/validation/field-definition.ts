/**
 * Column refinements shared by `asset_category_spec_defs` and `cmdb_ci_type_attr_defs` (same
 * columns, `fieldDefinitionColumns()`). Whole-definition rules live in `validateFieldDefinition`.
 */
import { z } from "zod";
import { NUMERIC_MAX_PRECISION, TEXT_COLUMN_LENGTH } from "./columns.js";
import {
  actorUserId,
  anyDecimal,
  fieldKey,
  intRange,
  json,
  nonNegativeInt,
  opt,
  positiveInt,
  req,
  TEXT_NAME_MAX,
  trimmed,
} from "./refinements.js";

/** A regular expression source that compiles (JavaScript `u` flag, the flag the validator uses). */
export const regexSource = () =>
  z
    .string()
    .min(1, "must not be empty")
    .max(TEXT_NAME_MAX, `must be at most ${TEXT_NAME_MAX} characters`)
    .refine((source) => {
      try {
        new RegExp(source, "u");
        return true;
      } catch {
        return false;
      }
    }, "must be a valid regular expression");

/** `enum_values` (jsonb, so no column length to take): each value bounded as a text column's. */
export const enumValueList = () =>
  z
    .array(trimmed(TEXT_COLUMN_LENGTH), "must be a list of strings")
    .min(1, "must list at least one value")
    .refine((values) => new Set(values).size === values.length, "must not repeat a value");

export const fieldDefinitionRefine = {
  key: req(fieldKey()),
  label: req(trimmed),
  unit: opt(trimmed(50)),
  enumValues: opt(enumValueList()),
  pattern: opt(regexSource()),
  minLen: opt(nonNegativeInt),
  maxLen: opt(nonNegativeInt),
  minValue: opt(anyDecimal()),
  maxValue: opt(anyDecimal()),
  stepValue: opt(anyDecimal()),
  precision: opt(intRange(1, NUMERIC_MAX_PRECISION)),
  scale: opt(intRange(0, NUMERIC_MAX_PRECISION)),
  defaultValue: opt(json),
  helpText: opt(trimmed(TEXT_NAME_MAX * 4)),
  sortOrder: opt(intRange(-1_000_000, 1_000_000)),
};

/** The version tables of those definitions (`asset_category_spec_versions`, `cmdb_ci_type_versions`). */
export const definitionVersionRefine = {
  version: req(positiveInt),
  createdBy: opt(actorUserId()),
};
