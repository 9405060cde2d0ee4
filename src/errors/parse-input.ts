/** Input validation at the edge of every operation: zod's result, or one ValidationError. */
import type { z } from "zod";
import { INPUT_MAX_SIZE, inputShapeIssues, stringProblem } from "../validation/input-shape.js";
import { passThroughTest } from "../validation/refinements.js";
import { ValidationError } from "./base.js";

/** The parsed (and normalised) value, or a ValidationError listing every field-level issue. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  // The input's structure first (__proto__ keys, depth, size, NUL): a schema must never see
  // JSON deep enough to overflow its recursion.
  const shape = inputShapeIssues(input);
  if (shape.length > 0) throw new ValidationError(shape);
  const result = schema.safeParse(input);
  if (!result.success) throw ValidationError.fromZod(result.error);
  return result.data;
}

/** What zod's object parse needs to know of one field (`_zod.optin`/`optout`: may it be absent). */
interface FieldInternals {
  _zod: { optin?: string; optout?: string };
}

/**
 * {@link parseInput} for an operation called thousands of times a second (look-ups, searches,
 * posting: issue 15), on an object schema. In place, the structure walk and zod's object parse cost
 * more client CPU than the prepared statement they guard. The common input, a plain object of own
 * data properties holding strings, numbers or booleans, each a field of the schema, is parsed field by
 * field with the schema's own field rules, and assembled as zod's object parse assembles it (shape
 * order; an absent optional field left out). It is only taken when parseInput would accept the input
 * and give the same value: the structure walk's checks on such an input (no `__proto__` or unknown
 * key, no NUL or lone surrogate, the size bound) are made here; anything else (a nested value, an
 * absent field with a default or without `.optional()`, a field its rule refuses, a schema with
 * object-level checks) goes through parseInput, so every error is the one parseInput gives.
 */
export function inputParser<S extends z.ZodObject>(schema: S): (input: unknown) => z.output<S> {
  const shape = schema.shape as Record<string, z.ZodType & FieldInternals>;
  const keys = Object.keys(shape);
  const fields = keys.map((key) => {
    const field = shape[key] as z.ZodType & FieldInternals;
    return {
      key,
      field,
      unchanged: passThroughTest(field),
      omitWhenAbsent: field._zod.optin === "optional" && field._zod.optout === "optional",
    };
  });
  const known = new Set(keys);
  const objectChecks = (schema as unknown as { _zod: { def: { checks?: unknown[] } } })._zod.def.checks;
  const fastPathOk = !(objectChecks && objectChecks.length > 0);

  const fast = (input: unknown): { value: z.output<S> } | undefined => {
    if (typeof input !== "object" || input === null || Object.getPrototypeOf(input) !== Object.prototype) {
      return undefined;
    }
    const given = Object.keys(input);
    let size = 0;
    for (const key of given) {
      if (!known.has(key)) return undefined; // unknown keys, __proto__ among them: parseInput says so
      const property = Object.getOwnPropertyDescriptor(input, key);
      if (!property || !("value" in property)) return undefined; // a getter is read by parseInput
      const value: unknown = property.value;
      size += key.length;
      if (typeof value === "string") {
        if (stringProblem(value) !== null) return undefined;
        size += value.length;
      } else if (typeof value === "number" || typeof value === "boolean") {
        size += 8;
      } else {
        return undefined;
      }
    }
    if (size > INPUT_MAX_SIZE) return undefined;
    const out: Record<string, unknown> = {};
    const values = input as Record<string, unknown>;
    for (const { key, field, unchanged, omitWhenAbsent } of fields) {
      if (!given.includes(key)) {
        // Absent (zod's `key in input`: a non-enumerable or inherited one is there for zod).
        if (omitWhenAbsent && !(key in values)) continue;
        return undefined; // a default, a missing required field: zod decides
      }
      const value = values[key];
      if (unchanged?.(value)) {
        out[key] = value; // what the rule would return (its pass-through test)
        continue;
      }
      const result = field.safeParse(value);
      if (!result.success) return undefined;
      out[key] = result.data;
    }
    return { value: out as z.output<S> };
  };

  return (input) => {
    const parsed = fastPathOk ? fast(input) : undefined;
    return parsed ? parsed.value : parseInput(schema, input);
  };
}
