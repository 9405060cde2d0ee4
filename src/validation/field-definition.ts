/**
 * Column refinements shared by `asset_category_spec_defs` and `cmdb_ci_type_attr_defs` (same
 * columns, `fieldDefinitionColumns()`). Whole-definition rules live in `validateFieldDefinition`.
 */
import { z } from "zod";
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
  trimmed,
} from "./refinements.js";

/** A regular expression source that compiles (JavaScript `u` flag, the flag the validator uses). */
export const regexSource = () =>
  z
    .string()
    .min(1, "must not be empty")
    .max(500, "must be at most 500 characters")
    .refine((source) => {
      try {
        new RegExp(source, "u");
        return true;
      } catch {
        return false;
      }
    }, "must be a valid regular expression");

export const enumValueList = () =>
  z
    .array(trimmed(255), "must be a list of strings")
    .min(1, "must list at least one value")
    .refine((values) => new Set(values).size === values.length, "must not repeat a value");

export const fieldDefinitionRefine = {
  key: req(fieldKey()),
  label: req(trimmed(255)),
  unit: opt(trimmed(50)),
  enumValues: opt(enumValueList()),
  pattern: opt(regexSource()),
  minLen: opt(nonNegativeInt),
  maxLen: opt(nonNegativeInt),
  minValue: opt(anyDecimal()),
  maxValue: opt(anyDecimal()),
  stepValue: opt(anyDecimal()),
  precision: opt(intRange(1, 1000)),
  scale: opt(intRange(0, 1000)),
  defaultValue: opt(json),
  helpText: opt(trimmed(2000)),
  sortOrder: opt(intRange(-1_000_000, 1_000_000)),
};

/** The version tables of those definitions (`asset_category_spec_versions`, `cmdb_ci_type_versions`). */
export const definitionVersionRefine = {
  version: req(positiveInt),
  createdBy: opt(actorUserId()),
};
