/** Input validation at the edge of every operation: zod's result, or one ValidationError. */
import type { z } from "zod";
import { ValidationError } from "./base.js";

/** The parsed (and normalised) value, or a ValidationError listing every field-level issue. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw ValidationError.fromZod(result.error);
  return result.data;
}
