/**
 * Picks the database for the whole run, in docs/design.md's order:
 *   1. TEST_DATABASE_URL: a server you already run (CI uses the local PostgreSQL 15);
 *   2. Testcontainers: a postgres:15 container, when a Docker engine answers;
 *   3. PGlite: in-process PostgreSQL (tests needing several connections are skipped and say so).
 * On a server, the migrations run once into a template database; each test file then clones it
 * with CREATE DATABASE ... TEMPLATE (tens of milliseconds) and never shares state.
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { TestProject } from "vitest/node";
import { createDb, rows } from "../../src/db.js";
import { migrate } from "../../src/migrate/runner.js";
import { createDatabaseSql, dropDatabaseSql, maintenance, withDatabase } from "../../src/migrate/server.js";
import type { TestBackend } from "./backend.js";

const runId = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
let stop: (() => Promise<void>) | undefined;

async function startContainer(): Promise<string | undefined> {
  try {
    const { PostgreSqlContainer } = await import("@testcontainers/postgresql");
    const container = await new PostgreSqlContainer("postgres:15-alpine").start();
    stop = async () => {
      await container.stop();
    };
    return container.getConnectionUri();
  } catch (error) {
    console.warn(
      `[test db] no TEST_DATABASE_URL and Testcontainers could not start a container (${(error as Error).message.split("\n")[0]}); using PGlite`,
    );
    return undefined;
  }
}

async function prepareTemplate(adminUrl: string, template: string): Promise<void> {
  await maintenance(adminUrl, [createDatabaseSql(template)]);
  const handle = await createDb({ url: withDatabase(adminUrl, template), max: 1 });
  try {
    await migrate(handle.db);
  } finally {
    await handle.close();
  }
}

async function dropRunDatabases(adminUrl: string): Promise<void> {
  const admin = await createDb({ url: adminUrl, max: 1 });
  let leftovers: { datname: string }[];
  try {
    leftovers = await rows<{ datname: string }>(
      admin.db,
      sql`SELECT datname FROM pg_database WHERE datname LIKE ${`netops_%${runId}%`}`,
    );
  } finally {
    await admin.close();
  }
  await maintenance(
    adminUrl,
    leftovers.map((d) => dropDatabaseSql(d.datname)),
  );
}

export default async function setup(project: TestProject) {
  let backend: TestBackend;
  const configured = process.env.TEST_DATABASE_URL;
  const adminUrl = configured ?? (await startContainer());
  if (adminUrl) {
    const template = `netops_tpl_${runId}`;
    await prepareTemplate(adminUrl, template);
    backend = {
      kind: "server",
      source: configured ? "TEST_DATABASE_URL" : "testcontainers",
      adminUrl,
      template,
      runId,
    };
    console.log(`[test db] ${backend.source}: migrated template ${template}`);
  } else {
    backend = { kind: "pglite", runId };
  }
  project.provide("backend", backend);

  return async () => {
    if (backend.kind === "server") await dropRunDatabases(backend.adminUrl);
    await stop?.();
  };
}
