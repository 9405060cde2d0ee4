/** Where the embedded default database lives, relative to the working directory. */
export const EMBEDDED_DATA_DIR = "./.data/pglite";
/** drizzle's own bookkeeping; drizzle-kit migrate and src/migrate read and write the same table. */
export const MIGRATIONS_SCHEMA = "drizzle";
export const MIGRATIONS_TABLE = "__drizzle_migrations";
export const MIGRATIONS_FOLDER = "./drizzle";
