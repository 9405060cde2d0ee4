/**
 * drizzle-kit picks its database the same way createDb() does: DATABASE_URL (postgres.js) when it
 * is set, otherwise the embedded PGlite database in .data/pglite. `npx drizzle-kit migrate` and
 * `DATABASE_URL=postgres://... npx drizzle-kit migrate` therefore both work.
 */
import { mkdirSync } from "node:fs";
import { defineConfig } from "drizzle-kit";
import { EMBEDDED_DATA_DIR } from "./src/config.js";

const url = process.env.DATABASE_URL;
// PGlite creates its data directory but not the missing parent (.data/).
if (!url) mkdirSync(EMBEDDED_DATA_DIR, { recursive: true });

export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/index.ts",
  out: "./drizzle",
  strict: true,
  verbose: true,
  migrations: { table: "__drizzle_migrations", schema: "drizzle" },
  ...(url ? { dbCredentials: { url } } : { driver: "pglite", dbCredentials: { url: EMBEDDED_DATA_DIR } }),
});
