/** Package entry: the database factory and its types. The schema is exported from "./schema". */
export * from "./db.js";
export { MigrationError, migrate } from "./migrate/runner.js";
