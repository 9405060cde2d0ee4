/**
 * Validation layer: drizzle-zod insert/update/select schemas for every table, per domain
 * (`insert<Row>Schema`, `update<Row>Schema`, `select<Row>Schema`), refined beyond the column types
 * (refinements.ts), and dynamic spec/attribute validators (dynamic.ts).
 *
 * Insert and update schemas are strict (unknown keys are rejected) plain zod objects without
 * object-level refinements, so callers can `.pick()`, `.omit()`, `.extend()` them. Validate with
 * `parseInput(schema, input)` from src/errors.ts (throws ValidationError with field-level issues).
 */
export * from "./assets/schemas.js";
export * from "./cmdb/schemas.js";
export * from "./core/schemas.js";
export * from "./dynamic.js";
export * from "./field-definition.js";
export * from "./refinements.js";
export * from "./warehouse/schemas.js";
export * from "./workflow/schemas.js";
