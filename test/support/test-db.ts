/**
 * One private database per test file: a clone of the migrated template on a server, or a fresh
 * in-memory PGlite database migrated on the spot.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, inject } from "vitest";
import { createDb, type Database, type Driver } from "../../src/db.js";
import { migrate } from "../../src/migrate/runner.js";
import { createDatabaseSql, dropDatabaseSql, maintenance, withDatabase } from "../../src/migrate/server.js";

export interface TestDatabase {
  db: Database;
  driver: Driver;
  /** postgres:// URL of this database (server backend only). */
  url?: string;
  /** Open another independent connection pool to the same database (server backend only). */
  connect(max?: number): Promise<{ db: Database; close(): Promise<void> }>;
  close(): Promise<void>;
}

export const backend = () => inject("backend");
/** True when tests run against a real server (several connections, advisory locks, CREATE DATABASE). */
export const onServer = () => backend().kind === "server";

/** CREATE/DROP DATABASE on the test server (server backend only). */
function onAdmin(statements: string[]): Promise<void> {
  const b = backend();
  if (b.kind !== "server") throw new Error("needs a server backend");
  return maintenance(b.adminUrl, statements);
}

/** A database name unique to this run, dropped by the global teardown if a test leaves it. */
export function scratchName(label: string): string {
  return `netops_${label}_${backend().runId}_${randomBytes(3).toString("hex")}`;
}

/** An empty database (no migrations) on the server; caller migrates or loads what it needs. */
export async function createEmptyDatabase(label = "empty"): Promise<{ url: string; drop(): Promise<void> }> {
  const b = backend();
  if (b.kind !== "server") throw new Error("createEmptyDatabase needs a server backend");
  const name = scratchName(label);
  await onAdmin([createDatabaseSql(name)]);
  return {
    url: withDatabase(b.adminUrl, name),
    drop: () => onAdmin([dropDatabaseSql(name)]),
  };
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const b = backend();
  if (b.kind === "server") {
    const name = scratchName("t");
    await onAdmin([createDatabaseSql(name, b.template)]);
    const url = withDatabase(b.adminUrl, name);
    const handle = await createDb({ url, max: 4 });
    return {
      db: handle.db,
      driver: "postgres",
      url,
      connect: async (max = 2) => {
        const other = await createDb({ url, max });
        return { db: other.db, close: other.close };
      },
      close: async () => {
        await handle.close();
        await onAdmin([dropDatabaseSql(name)]);
      },
    };
  }
  const handle = await createDb({ dataDir: "memory://" });
  await migrate(handle.db);
  return {
    db: handle.db,
    driver: "pglite",
    connect: () => Promise.reject(new Error("PGlite has a single connection; run this test on a server")),
    close: handle.close,
  };
}

/**
 * The per-file fixture: `const t = useTestDatabase();` at the top of a test file creates this
 * file's private database before its tests (createTestDatabase) and closes it after them. `t` is
 * usable inside tests and hooks registered after it (vitest runs beforeAll hooks in order and
 * afterAll hooks in reverse, so the database outlives the file's own hooks).
 */
export function useTestDatabase(): TestDatabase {
  let current: TestDatabase | undefined;
  const get = (): TestDatabase => {
    if (!current) throw new Error("useTestDatabase(): the database exists only inside tests and hooks");
    return current;
  };
  beforeAll(async () => {
    current = await createTestDatabase();
  });
  afterAll(() => current?.close());
  return {
    get db() {
      return get().db;
    },
    get driver() {
      return get().driver;
    },
    get url() {
      return get().url;
    },
    connect: (max) => get().connect(max),
    close: () => get().close(),
  };
}
