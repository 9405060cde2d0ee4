/** Input validation at the edge of every operation: zod's result, or one ValidationError. */
import type { z } from "zod";
import { inputShapeIssues } from "../validation/input-shape.js";
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
