/**
 * The whole NetOpsAI schema: every table, relation, value list and row type. drizzle.config.ts
 * points here, and createDb() passes it to drizzle so `db.query.<table>` knows every relation.
 */
export * from "./_helpers.js";
export * from "./assets/index.js";
export * from "./cmdb/index.js";
export * from "./core/index.js";
export * from "./warehouse/index.js";
export * from "./workflow/index.js";
