/**
 * db:reset: refuses non-local hosts (judged on where postgres.js would connect, before connecting
 * anywhere) and protected databases; an empty DATABASE_URL is an error; resets
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
import { cli, run } from "./support.js";

const disposers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const d of disposers.reverse()) await d();
});

const seedExists = existsSync(resolve("seed/index.ts"));

/** Run `fn` with these environment variables (undefined = unset), restoring them after. */
function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (v: Record<string, string | undefined>) => {
    for (const [k, value] of Object.entries(v)) {
      if (value === undefined) delete process.env[k];
      else process.env[k] = value;
    }
  };
  apply(vars);
  try {
    return fn();
  } finally {
    apply(saved);
  }
}

describe("refusals", () => {
  it("refuses a non-local host unless forced, and the server's own databases always", () => {
    expect(() => assertResettable("postgres://app:pw@db.prod.example.com:5432/netops")).toThrow(
      ResetRefusedError,
    );
    expect(() => assertResettable("postgres://app:pw@db.prod.example.com:5432/netops")).toThrow(
      /the driver would connect to db\.prod\.example\.com, not only loopback addresses/,
    );
    expect(() => assertResettable("postgres://app:pw@db.prod.example.com:5432/netops", true)).not.toThrow();
    expect(() => assertResettable("postgres://postgres@127.0.0.1:5432/postgres", true)).toThrow(
      /postgres database/,
    );
    expect(() => assertResettable("postgres://postgres@localhost/")).toThrow(/names no database/);
  });

  it("judges the hosts postgres.js will connect to: environment fallbacks, every host, sockets, loopback only", () => {
    const local = (url: string, env: Record<string, string | undefined> = {}) =>
      withEnv({ PGHOST: undefined, PGPORT: undefined, ...env }, () => isLocalUrl(url));
    expect(local("postgres://u@localhost/x")).toBe(true);
    expect(local("postgres://u@127.0.0.1:5432/x")).toBe(true);
    expect(local("postgres://u@127.1.2.3/x")).toBe(true);
    expect(local("postgres:///appdb")).toBe(true); // no host, no PGHOST: postgres.js uses localhost
    expect(local("postgres://u@localhost,127.0.0.1:5433/x")).toBe(true);
    // No host in the URL: postgres.js connects to PGHOST.
    expect(local("postgres:///appdb", { PGHOST: "db.prod.example" })).toBe(false);
    expect(local("postgres:///appdb", { PGHOST: "/var/run/postgresql" })).toBe(true);
    // A host in the URL wins over PGHOST.
    expect(local("postgres://u@127.0.0.1/x", { PGHOST: "db.prod.example" })).toBe(true);
    // Every host of a multi-host URL counts, not the first or the last.
    expect(local("postgres://u@db.prod.example,127.0.0.1/x")).toBe(false);
    expect(local("postgres://u@127.0.0.1,db.prod.example/x")).toBe(false);
    // Only `localhost` itself; names under .localhost resolve wherever DNS says.
    expect(local("postgres://u@prod-db.localhost/x")).toBe(false);
    expect(local("postgres://u@10.0.0.5/x")).toBe(false);
    // `?host=` is sent to the server as a setting by postgres.js, not used as a socket: the URL's host counts.
    expect(local("postgres://u@db.internal/x?host=/var/run/postgresql")).toBe(false);
    // postgres.js 3.4.9 splits hosts on ':' and cannot use a bracketed IPv6 literal ("[").
    expect(local("postgres://u@[::1]:5432/x")).toBe(false);
    expect(local("not a url")).toBe(false);
  });

  it("npm run db:reset exits 7 for a remote DATABASE_URL without touching it, and hides the password", async () => {
    const result = await cli(["reset"], {
      DATABASE_URL: "postgres://app:s3cret@db.prod.example.com:5432/netops",
    });
    expect(result.code).toBe(EXIT.refused);
    expect(result.stderr).toContain("refusing to reset postgres://app:***@db.prod.example.com:5432/netops");
    expect(result.stderr).not.toContain("s3cret");
  });

  it("npm run db:reset exits 7 for postgres:///appdb when PGHOST names a remote server", async () => {
    const result = await cli(["reset"], { DATABASE_URL: "postgres:///appdb", PGHOST: "db.prod.example" });
    expect(result.code, result.stdout + result.stderr).toBe(EXIT.refused);
    expect(result.stderr).toContain("the driver would connect to db.prod.example");
  });

  it("an empty DATABASE_URL is one error line and exit 1, for every command", async () => {
    for (const command of ["reset", "migrate", "status"]) {
      const result = await cli([command], { DATABASE_URL: "" });
      expect(result.code, `${command}: ${result.stdout}${result.stderr}`).toBe(EXIT.error);
      expect(result.stderr.trim()).toBe(
        "error: DATABASE_URL is set but empty: set it to postgres://user:password@host:5432/database, or unset it to use the embedded database",
      );
      expect(result.stdout).toBe("");
    }
    // drizzle.config.ts: the same for the drizzle-kit commands that connect (generate needs no database).
    const kit = await run("npx", ["drizzle-kit", "migrate"], { DATABASE_URL: "" });
    expect(kit.code, kit.stdout + kit.stderr).toBe(1);
    expect(kit.stderr).toContain("error: DATABASE_URL is set but empty");
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
