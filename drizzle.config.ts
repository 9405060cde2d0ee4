/**
 * drizzle-kit picks its database the same way createDb() does: DATABASE_URL (postgres.js) when it
 * is set, otherwise the embedded PGlite database in .data/pglite (set but empty is an error, as for
 * every command of src/cli.ts, for the drizzle-kit commands that connect). `npx drizzle-kit migrate` and `DATABASE_URL=postgres://... npx drizzle-kit migrate`
 * therefore both work, except when a pending migration is a `-- migrate:no-transaction` one: see below.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { defineConfig } from "drizzle-kit";
import { EMBEDDED_DATA_DIR, envDatabaseUrl, MIGRATIONS_FOLDER } from "./src/config.js";
import { readJournal } from "./src/migrate/journal.js";

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}

/** The drizzle-kit command (generate, migrate, ...): its first argument that is not an option. */
const command = process.argv.slice(2).find((arg) => !arg.startsWith("-"));
/** Commands that connect; generate/check/up/export only read files and never touch a database. */
const CONNECTS = new Set(["migrate", "push", "pull", "introspect", "studio"]);

let url: string | undefined;
try {
  url = envDatabaseUrl();
} catch (error) {
  if (command !== undefined && CONNECTS.has(command)) fail((error as Error).message);
  url = undefined;
}

/**
 * drizzle-kit migrate runs every pending migration inside one transaction (drizzle-orm's
 * PgDialect.migrate, node_modules/drizzle-orm/pg-core/dialect.js: `session.transaction(...)` around
 * all of them) and has no way to run one outside it: drizzle-orm#860
 * (https://github.com/drizzle-team/drizzle-orm/issues/860, open; PR #6133 proposes it). A pending
 * `-- migrate:no-transaction` migration (CREATE INDEX CONCURRENTLY) would fail there ("cannot run
 * inside a transaction block"), so `drizzle-kit migrate` is refused up front while one is pending,
 * with the command that can run it. Pending is decided by this project's own status (by hash), in a
 * child process because drizzle-kit loads this file synchronously; when the status cannot be read,
 * it refuses too (fail closed).
 */
function refuseNoTransactionMigrate(): void {
  const loose = readJournal(MIGRATIONS_FOLDER).filter((f) => f.noTransaction);
  if (loose.length === 0) return;
  const status = spawnSync(
    process.execPath,
    ["--import", "tsx", "src/cli.ts", "status", "--json", "--migrations", MIGRATIONS_FOLDER],
    { encoding: "utf8", env: process.env },
  );
  let pending: string[];
  try {
    const report = JSON.parse(status.stdout) as { migrations: { tag: string; state: string }[] };
    const tags = new Set(loose.map((f) => f.tag));
    pending = report.migrations.filter((m) => m.state === "pending" && tags.has(m.tag)).map((m) => m.tag);
  } catch {
    const reason = (status.stderr || status.stdout || String(status.error ?? "")).trim().split("\n")[0];
    fail(
      `drizzle-kit migrate cannot run ${loose.map((f) => f.tag).join(", ")} (-- migrate:no-transaction) and could not ` +
        `check whether they are pending (${reason}); use \`npm run db:migrate\`. Nothing was applied.`,
    );
  }
  if (pending.length > 0) {
    fail(
      `drizzle-kit migrate cannot apply ${pending.join(", ")}: its first line is -- migrate:no-transaction and ` +
        "drizzle-kit runs every pending migration in one transaction (drizzle-orm#860). " +
        "Use `npm run db:migrate`. Nothing was applied.",
    );
  }
}

if (command === "migrate") refuseNoTransactionMigrate();

// PGlite creates its data directory but not the missing parent (.data/).
if (!url) mkdirSync(EMBEDDED_DATA_DIR, { recursive: true });

export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/index.ts",
  out: MIGRATIONS_FOLDER,
  strict: true,
  verbose: true,
  migrations: { table: "__drizzle_migrations", schema: "drizzle" },
  ...(url ? { dbCredentials: { url } } : { driver: "pglite", dbCredentials: { url: EMBEDDED_DATA_DIR } }),
});
