/**
 * db:reset: refuses non-local hosts (before connecting anywhere) and protected databases; resets
 * a scratch server database and a scratch PGlite directory to freshly migrated (and seeded, when
 * seed/index.ts exists).
 */

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, rows } from "../../src/db.js";
import { EXIT } from "../../src/errors/exit-codes.js";
import { ResetRefusedError } from "../../src/errors/index.js";
import { readCatalog } from "../../src/migrate/catalog.js";
import { readHistory } from "../../src/migrate/history.js";
import { readJournal } from "../../src/migrate/journal.js";
import { assertResettable, resetDatabase } from "../../src/migrate/reset.js";
import { isLocalUrl } from "../../src/migrate/server.js";
import { createEmptyDatabase, onServer } from "../support/test-db.js";
import { cli } from "./support.js";

const disposers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const d of disposers.reverse()) await d();
});

const seedExists = existsSync(resolve("seed/index.ts"));

describe("refusals", () => {
  it("refuses a non-local host unless forced, and the server's own databases always", () => {
    expect(() => assertResettable("postgres://app:pw@db.prod.example.com:5432/netops")).toThrow(
      ResetRefusedError,
    );
    expect(() => assertResettable("postgres://app:pw@db.prod.example.com:5432/netops")).toThrow(
      /not a local host/,
    );
    expect(() => assertResettable("postgres://app:pw@db.prod.example.com:5432/netops", true)).not.toThrow();
    expect(() => assertResettable("postgres://postgres@127.0.0.1:5432/postgres", true)).toThrow(
      /postgres database/,
    );
    expect(() => assertResettable("postgres://postgres@localhost/")).toThrow(/names no database/);
    expect(isLocalUrl("postgres://u@localhost/x")).toBe(true);
    expect(isLocalUrl("postgres://u@[::1]:5432/x")).toBe(true);
    expect(isLocalUrl("postgres://u@db.internal/x?host=/var/run/postgresql")).toBe(true);
    expect(isLocalUrl("postgres://u@10.0.0.5/x")).toBe(false);
  });

  it("npm run db:reset exits 7 for a remote DATABASE_URL without touching it, and hides the password", async () => {
    const result = await cli(["reset"], {
      DATABASE_URL: "postgres://app:s3cret@db.prod.example.com:5432/netops",
    });
    expect(result.code).toBe(EXIT.refused);
    expect(result.stderr).toContain("refusing to reset postgres://app:***@db.prod.example.com:5432/netops");
    expect(result.stderr).not.toContain("s3cret");
  });
});

describe.runIf(onServer())("reset of a scratch server database", () => {
  it("drops leftovers, recreates and migrates", async () => {
    const scratch = await createEmptyDatabase("reset");
    disposers.push(scratch.drop);
    const before = await createDb({ url: scratch.url, max: 1 });
    await before.db.execute(sql`CREATE TABLE leftover (id integer)`);
    await before.close();

    const lines: string[] = [];
    const result = await resetDatabase({ url: scratch.url, seed: false, log: (l) => lines.push(l) });
    expect(result.applied).toEqual(readJournal().map((m) => m.tag));
    expect(result.seeded).toBe(false);
    expect(lines[0]).toMatch(/^dropped and recreated postgres:\/\/.*\/netops_reset_/);

    const after = await createDb({ url: scratch.url, max: 1 });
    try {
      const catalog = await readCatalog(after.db);
      expect(catalog.has("leftover")).toBe(false);
      expect(catalog.size).toBe(45);
      expect((await readHistory(after.db)).length).toBe(readJournal().length);
    } finally {
      await after.close();
    }

    // The CLI does the same (works even though the database is in use: DROP ... WITH (FORCE)).
    const cliRun = await cli(["reset", "--no-seed"], { DATABASE_URL: scratch.url });
    expect(cliRun.code, cliRun.stderr).toBe(EXIT.ok);
    expect(cliRun.stdout).toContain(`${readJournal().length} migration(s) applied`);
  });
});

describe.runIf(onServer())("reset seeds through seed/index.ts", () => {
  it("calls seedReference(db) when seed/index.ts exists, and says so when it does not", async () => {
    const scratch = await createEmptyDatabase("reset_seed");
    disposers.push(scratch.drop);
    const lines: string[] = [];
    const result = await resetDatabase({ url: scratch.url, log: (l) => lines.push(l) });
    expect(result.seeded).toBe(seedExists);
    expect(lines).toContain(
      seedExists
        ? "seeded reference data (seed/index.ts seedReference)"
        : "note: seed/index.ts not found; skipped seeding",
    );
  });
});

describe("reset of a scratch PGlite directory", () => {
  it("deletes the data directory and rebuilds it", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "netops-reset-")), "pglite");
    disposers.push(async () => rmSync(dir, { recursive: true, force: true }));
    const first = await createDb({ dataDir: dir });
    await first.db.execute(sql`CREATE TABLE leftover (id integer)`);
    await first.close();

    const result = await resetDatabase({ dataDir: dir, seed: false });
    expect(result.target).toBe(`pglite:${dir}`);
    expect(result.applied).toEqual(readJournal().map((m) => m.tag));
    const after = await createDb({ dataDir: dir });
    try {
      const [found] = await rows<{ ok: boolean }>(
        after.db,
        sql`SELECT to_regclass('public.leftover') IS NULL AS ok`,
      );
      expect(found?.ok).toBe(true);
      expect((await readHistory(after.db)).length).toBe(readJournal().length);
    } finally {
      await after.close();
    }
  });
});
