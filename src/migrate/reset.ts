/**
 * `db:reset` for development: drop and recreate the database, migrate, seed. A server database is
 * dropped and recreated from a maintenance connection (the `postgres` database of the same server);
 * the embedded PGlite database is its data directory, deleted. Non-local hosts are refused unless
 * `force`, so a production DATABASE_URL left in a shell cannot be wiped by accident.
 */

import { existsSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { EMBEDDED_DATA_DIR, MIGRATIONS_FOLDER } from "../config.js";
import { createDb, type Database, redactUrl } from "../db.js";
import { ResetRefusedError } from "../errors/operational.js";
import { migrate } from "./runner.js";
import {
  createDatabaseSql,
  databaseOf,
  describeTargets,
  dropDatabaseSql,
  isLocalUrl,
  maintenance,
  withDatabase,
} from "./server.js";

export interface ResetOptions {
  /** Server database to reset; default DATABASE_URL; neither = the embedded PGlite database. */
  url?: string | undefined;
  /** PGlite data directory (default .data/pglite); used when there is no URL. */
  dataDir?: string;
  /** Allow a non-local host. */
  force?: boolean;
  /** Run seed/index.ts's seedReference(db) after migrating (default true). */
  seed?: boolean;
  migrationsFolder?: string;
  log?: (line: string) => void;
}

export interface ResetResult {
  target: string;
  applied: string[];
  seeded: boolean;
}

/** Databases a reset never drops: the server's own and the maintenance connection's. */
const PROTECTED = new Set(["postgres", "template0", "template1"]);

const SEED_MODULE = new URL("../../seed/index.ts", import.meta.url);

type SeedModule = { seedReference?: (db: Database) => Promise<unknown> };

/**
 * seed/index.ts is optional: when the import fails because it is not there, reset skips seeding. The
 * import names it literally, so the CLI's bundle (scripts/build-cli.mjs) contains it.
 */
async function runSeed(db: Database, log: (line: string) => void): Promise<boolean> {
  let mod: SeedModule;
  try {
    mod = (await import("../../seed/index.js")) as SeedModule;
  } catch (error) {
    if (
      (error as { code?: unknown }).code === "ERR_MODULE_NOT_FOUND" &&
      !existsSync(fileURLToPath(SEED_MODULE))
    ) {
      log("note: seed/index.ts not found; skipped seeding");
      return false;
    }
    throw error;
  }
  if (typeof mod.seedReference !== "function") {
    log("note: seed/index.ts exports no seedReference(db); skipped seeding");
    return false;
  }
  await mod.seedReference(db);
  log("seeded reference data (seed/index.ts seedReference)");
  return true;
}

/** Throws ResetRefusedError before touching anything when the target is not safe to drop. */
export function assertResettable(url: string, force = false): void {
  const name = databaseOf(url);
  if (!name) throw new ResetRefusedError("DATABASE_URL names no database to reset");
  if (PROTECTED.has(name)) throw new ResetRefusedError(`refusing to drop the ${name} database`);
  if (!isLocalUrl(url) && !force) {
    throw new ResetRefusedError(
      `refusing to reset ${redactUrl(url)}: the driver would connect to ${describeTargets(url)}, ` +
        "not only loopback addresses, localhost or a Unix socket (PGHOST/PGPORT included). " +
        "Pass --force if you really mean to drop it.",
    );
  }
}

export async function resetDatabase(options: ResetOptions = {}): Promise<ResetResult> {
  const log = options.log ?? (() => {});
  const url = options.dataDir ? undefined : (options.url ?? process.env.DATABASE_URL);
  const migrationsFolder = options.migrationsFolder ?? MIGRATIONS_FOLDER;
  let target: string;
  if (url) {
    assertResettable(url, options.force);
    const name = databaseOf(url);
    target = redactUrl(url);
    // From the server's `postgres` database: the one being dropped cannot host the connection.
    await maintenance(withDatabase(url, "postgres"), [dropDatabaseSql(name), createDatabaseSql(name)]);
    log(`dropped and recreated ${target}`);
  } else {
    const dataDir = options.dataDir ?? EMBEDDED_DATA_DIR;
    if (!dataDir.startsWith("memory://")) rmSync(dataDir, { recursive: true, force: true });
    target = `pglite:${dataDir}`;
    log(`deleted ${dataDir}`);
  }
  const handle = url
    ? await createDb({ url, max: 2 })
    : await createDb({ dataDir: options.dataDir ?? EMBEDDED_DATA_DIR });
  try {
    const applied = await migrate(handle.db, { migrationsFolder, log });
    const seeded = options.seed === false ? false : await runSeed(handle.db, log);
    return { target, applied: applied.map((a) => a.tag), seeded };
  } finally {
    await handle.close();
  }
}
