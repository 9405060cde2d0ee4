/** Scratch migration folders, fresh databases on either backend, and the legacy dump loader. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import postgres from "postgres";
import { collect, type ProgramOutcome } from "../../bench/programs.js";
import { MIGRATIONS_FOLDER } from "../../src/config.js";
import { createDb, type DbHandle } from "../../src/db.js";
import { readJournal } from "../../src/migrate/journal.js";
import { createEmptyDatabase, onServer } from "../support/test-db.js";

export interface ScratchMigration {
  tag: string;
  when: number;
  sql: string;
}

/** Write a drizzle-kit shaped folder (meta/_journal.json + <tag>.sql) in journal order. */
export function writeMigrationsFolder(migrations: ScratchMigration[], folder?: string): string {
  const dir = folder ?? mkdtempSync(join(tmpdir(), "netops-issue4-"));
  mkdirSync(join(dir, "meta"), { recursive: true });
  for (const m of migrations) writeFileSync(join(dir, `${m.tag}.sql`), m.sql);
  const entries = migrations.map((m, idx) => ({
    idx,
    version: "7",
    when: m.when,
    tag: m.tag,
    breakpoints: true,
  }));
  writeFileSync(
    join(dir, "meta", "_journal.json"),
    JSON.stringify({ version: "7", dialect: "postgresql", entries }, null, 2),
  );
  return dir;
}

/** The committed migration 0000 as a ScratchMigration (same text, so the same hash). */
export function committedMigration(idx = 0): ScratchMigration {
  const file = readJournal(MIGRATIONS_FOLDER)[idx];
  if (!file) throw new Error(`no committed migration #${idx}`);
  return { tag: file.tag, when: file.when, sql: readFileSync(file.path, "utf8") };
}

export interface FreshDatabase {
  handle: DbHandle;
  url?: string;
  dispose(): Promise<void>;
}

/** An empty database: a new database on the server, an in-memory PGlite otherwise. */
export async function freshDatabase(label: string): Promise<FreshDatabase> {
  if (onServer()) {
    const empty = await createEmptyDatabase(label);
    const handle = await createDb({ url: empty.url, max: 2 });
    return {
      handle,
      url: empty.url,
      dispose: async () => {
        await handle.close();
        await empty.drop();
      },
    };
  }
  const handle = await createDb({ dataDir: "memory://" });
  return { handle, dispose: () => handle.close() };
}

export const LEGACY_DUMP = resolve("test/fixtures/legacy/legacy-schema.sql");

/**
 * Load a pg_dump file the way psql would, over its own connection (the dump empties search_path for
 * its session). psql meta-commands (`\restrict`, which pg_dump >= 15.14 writes) are skipped.
 */
export async function loadDump(url: string, text: string): Promise<void> {
  const body = text
    .split("\n")
    .filter((line) => !line.startsWith("\\"))
    .join("\n");
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client.unsafe(body);
  } finally {
    await client.end();
  }
}

export type CliRun = Pick<ProgramOutcome, "code" | "stdout" | "stderr">;

/** `npx tsx src/cli.ts ...` (or any command) as a separate process; `env` adds to (or, undefined, removes from) this one's. */
export function run(
  command: string,
  args: string[],
  env: Record<string, string | undefined> = {},
  cwd: string = process.cwd(),
): Promise<CliRun> {
  const merged: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) merged[k] = v;
  return collect(command, args, { env: merged, cwd });
}

export const cli = (args: string[], env: Record<string, string | undefined> = {}) =>
  run("npx", ["tsx", "src/cli.ts", ...args], env);

/** `npm run <script> -- <args>` in another checkout (a scratch repository), never on a terminal, no DATABASE_URL or CI unless given. */
export const npmIn =
  (cwd: () => string) =>
  (script: string, args: string[] = [], env: Record<string, string | undefined> = {}): Promise<CliRun> =>
    run(
      "npm",
      ["run", "--silent", script, "--", ...args],
      { DATABASE_URL: undefined, CI: undefined, ...env },
      cwd(),
    );

/** A journal `when` (ms) for the n-th scratch migration: increasing, as drizzle-kit migrate needs. */
export const when = (n: number) => 1_700_000_000_000 + n * 60_000;
