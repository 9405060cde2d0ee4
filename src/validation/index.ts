/**
 * Validation layer, per domain (`<domain>/schemas.ts`): drizzle-zod insert/update/select schemas
 * for every table (`insert<Row>Schema`, ...), built by `tableSchemas` from each column's rule
 * (refinements.ts), then every domain operation's input derived from them; dynamic spec/attribute
 * validators (dynamic.ts).
 *
 * Insert and update schemas are strict (unknown keys are rejected) plain zod objects without
 * object-level refinements, so callers can `.pick()`, `.omit()`, `.extend()` them. Validate with
 * `parseInput(schema, input)` from src/errors/ (throws ValidationError with field-level issues).
 */
export * from "./assets/schemas.js";
export * from "./cmdb/schemas.js";
export * from "./core/schemas.js";
export * from "./dynamic.js";
export * from "./field-definition.js";
export * from "./refinements.js";
export * from "./warehouse/schemas.js";
export * from "./workflow/schemas.js";
