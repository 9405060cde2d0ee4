/**
 * Dynamic-field values for the scale data set: the generic generator (seed/generate.ts valuesFor)
 * checked by the validation layer's schema for those definitions (buildFieldsSchema, the schema
 * parseFields uses), built once per definition set instead of once per row.
 */

import { ValidationError } from "../../src/errors/index.js";
import type { JsonObject } from "../../src/schema/_helpers.js";
import { buildFieldsSchema, type FieldDefinition } from "../../src/validation/dynamic.js";

export function fieldsParser(defs: readonly FieldDefinition[]): (value: unknown) => JsonObject {
  const schema = buildFieldsSchema(defs);
  return (value) => {
    const result = schema.safeParse(value);
    if (!result.success) throw ValidationError.fromZod(result.error);
    return result.data;
  };
}
