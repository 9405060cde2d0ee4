import { EmptyDatabaseUrlError } from "./errors/operational.js";

/** Where the embedded default database lives, relative to the working directory. */
export const EMBEDDED_DATA_DIR = "./.data/pglite";
/** drizzle's own bookkeeping; drizzle-kit migrate and src/migrate read and write the same table. */
export const MIGRATIONS_SCHEMA = "drizzle";
export const MIGRATIONS_TABLE = "__drizzle_migrations";
export const MIGRATIONS_FOLDER = "./drizzle";

/**
 * DATABASE_URL, or undefined when it is not set (the embedded database). Set but empty (or blank) is
 * an error rather than "not set": `DATABASE_URL=` from a missing deploy secret would otherwise
 * migrate the embedded database and report success.
 */
export function envDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env.DATABASE_URL;
  if (value === undefined) return undefined;
  if (value.trim() === "") throw new EmptyDatabaseUrlError();
  return value;
}
