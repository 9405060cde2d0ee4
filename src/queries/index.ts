/** Typed domain operations for app code: each takes `(db: Database | Transaction, input)`. */
export * from "../errors/domain.js";
export * from "./assets/index.js";
export * from "./cmdb/index.js";
export * from "./core/index.js";
export * from "./inventory/index.js";
export * from "./shared/index.js";
export * from "./warehouse/index.js";
export * from "./workflow/index.js";
