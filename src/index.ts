/**
 * Package entry: the database factory, typed errors, and the migration operations for app start-up
 * and deploy gates. Tables, validation, domain operations and seeds have their own entry points
 * (`@netopsai/db/schema`, `/validation`, `/queries`, `/seed`) so their names never collide.
 */
export * from "./db.js";
export * from "./errors/index.js";
export {
  ImportFormatError,
  type ImportOptions,
  type ImportReject,
  type ImportResult,
  type ImportStockOptions,
  importAssets,
  importCis,
  importRelationships,
  importSpareParts,
  importStock,
} from "./import/index.js";
export { baseline } from "./migrate/baseline.js";
export type { DataLoss } from "./migrate/data-loss.js";
export { checkDrift } from "./migrate/drift.js";
export {
  type RollbackOptions,
  type RollbackReport,
  rollback,
} from "./migrate/rollback.js";
export { type MigrateOptions, migrate } from "./migrate/runner.js";
export { type Blocker, type SessionOptions, withMigrationSession } from "./migrate/session.js";
export { migrationStatus } from "./migrate/status.js";
export { APPEND_ONLY_TABLES, type AppendOnlyTable } from "./security/append-only.js";
export {
  hashPassword,
  needsRehash,
  PasswordHashFormatError,
  type ScryptParams,
  verifyPassword,
} from "./security/passwords.js";
export { applyRetention, RetentionError } from "./security/retention.js";
export {
  APP_ROLE,
  ensureRoles,
  GROUP_ROLES,
  OWNER_ROLE,
  READONLY_ROLE,
  RoleSetupError,
} from "./security/roles.js";
export {
  EncryptionKeyError,
  getProviderApiKey,
  keyringFromEnv,
  parseKeyring,
  rotateProviderApiKeys,
  SecretDecryptionError,
  setProviderApiKey,
} from "./security/secrets.js";
