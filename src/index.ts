/**
 * Package entry: the database factory, typed errors, and the migration operations for app start-up
 * and deploy gates. Tables, validation, domain operations and seeds have their own entry points
 * (`@netopsai/db/schema`, `/validation`, `/queries`, `/seed`) so their names never collide.
 */
export * from "./db.js";
export * from "./errors.js";
export { baseline } from "./migrate/baseline.js";
export { checkDrift } from "./migrate/drift.js";
export { type MigrateOptions, MigrationError, ModifiedMigrationError, migrate } from "./migrate/runner.js";
export {
  type Blocker,
  LockTimeoutError,
  type SessionOptions,
  withMigrationSession,
} from "./migrate/session.js";
export { migrationStatus } from "./migrate/status.js";
