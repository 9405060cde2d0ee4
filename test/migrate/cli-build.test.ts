/**
 * The operator commands' launcher (scripts/cli.mjs) and build (scripts/build-cli.mjs), in a scratch
 * copy of the package (package files, src/, seed/, scripts/, drizzle/; node_modules linked): without a
 * build the TypeScript source runs; after `npm run build` the bundle runs; after any edit of a file
 * the bundle was built from (even one whose old mtime is put back) the source runs again, never the
 * old bundle; and the bundled commands do what the source does (db:reset migrates and seeds, db:status
 * then reports up to date).
 *
 * Which one ran is observed through the usage text src/cli.ts prints: the bundle's copy of it is
 * edited after the build (the launcher checks the bundle's inputs, not its output).
 */
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/errors/exit-codes.js";
import { readJournal } from "../../src/migrate/journal.js";
import { createEmptyDatabase, onServer } from "../support/test-db.js";
import { npmIn, run } from "./support.js";

const ROOT = resolve(".");
const USAGE = "usage: tsx src/cli.ts <command>";
let repo: string;
const disposers: (() => Promise<void>)[] = [];
const npm = npmIn(() => repo);

/** `node scripts/cli.mjs src/cli.ts` with no command: the usage text on stderr, exit 2. */
async function usageText(): Promise<string> {
  const r = await run(process.execPath, ["scripts/cli.mjs", "src/cli.ts"], { DATABASE_URL: undefined }, repo);
  expect(r.code, r.stderr).toBe(EXIT.usage);
  return r.stderr;
}

const build = async () => {
  const r = await run(process.execPath, ["scripts/build-cli.mjs"], {}, repo);
  expect(r.code, r.stderr).toBe(0);
};

/** Mark the bundle's usage line, so a run through the bundle is told from a run of the source. */
function markBundle(marker: string): void {
  const manifest = JSON.parse(readFileSync(join(repo, "dist/manifest.json"), "utf8")) as {
    entries: Record<string, string>;
  };
  const entry = manifest.entries["src/cli.ts"];
  expect(entry).toBeDefined();
  const path = join(repo, entry!);
  const text = readFileSync(path, "utf8");
  const line = /usage: [^<`]*<command>/;
  expect(text).toMatch(line);
  writeFileSync(path, text.replace(line, `usage: ${marker} <command>`));
}

function edit(path: string, from: string, to: string): void {
  const full = join(repo, path);
  const text = readFileSync(full, "utf8");
  expect(text).toContain(from);
  writeFileSync(full, text.replace(from, to));
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "netops-cli-build-"));
  disposers.push(async () => rmSync(repo, { recursive: true, force: true }));
  for (const f of ["package.json", "tsconfig.json", "drizzle.config.ts", "src", "seed", "scripts", "drizzle"])
    cpSync(join(ROOT, f), join(repo, f), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(repo, "node_modules"));
});

afterAll(async () => {
  for (const d of disposers.reverse()) await d();
});

describe("scripts/cli.mjs runs the bundle only while it is up to date", () => {
  // Builds and tsx runs of the source, one after another: minutes on a loaded machine.
  it("runs the source without a build, the bundle after one, the source again after an edit", {
    timeout: 240_000,
  }, async () => {
    expect(await usageText()).toContain(USAGE);

    await build();
    const manifest = JSON.parse(readFileSync(join(repo, "dist/manifest.json"), "utf8")) as {
      entries: Record<string, string>;
      files: Record<string, unknown>;
    };
    expect(Object.keys(manifest.entries).sort()).toEqual(["src/cli.ts", "src/import/cli.ts"]);
    // The sources it was built from, lazily loaded ones included, and what decides the output.
    for (const f of [
      "src/cli.ts",
      "src/migrate/runner.ts",
      "seed/commands.ts",
      "seed/index.ts",
      "package.json",
    ])
      expect(Object.keys(manifest.files)).toContain(f);

    markBundle("BUNDLE");
    expect(await usageText()).toContain("usage: BUNDLE <command>");

    // An edited entry: the source runs, with the edit.
    edit("src/cli.ts", USAGE, "usage: EDITED <command>");
    expect(await usageText()).toContain("usage: EDITED <command>");

    // Rebuilt: the bundle has the edit, and runs again.
    await build();
    const rebuilt = readFileSync(join(repo, "dist/cli.mjs"), "utf8");
    expect(rebuilt).toContain("usage: EDITED <command>");
    expect(rebuilt).not.toContain(USAGE);
    markBundle("REBUILT");
    expect(await usageText()).toContain("usage: REBUILT <command>");

    // A module deep in the graph rewritten, its mtime put back (cp -p, tar, an editor's backup):
    // still stale, since the check compares ctime, which only the kernel sets. (Whole seconds, so
    // utimes can put the very same mtime back.)
    const deep = join(repo, "src/errors/operational.ts");
    const second = Math.floor(Date.now() / 1000) - 3600;
    utimesSync(deep, second, second);
    await build();
    markBundle("DEEP");
    expect(await usageText()).toContain("usage: DEEP <command>");
    writeFileSync(deep, `${readFileSync(deep, "utf8")}\n// edited\n`);
    utimesSync(deep, second, second);
    expect(statSync(deep).mtimeMs).toBe(second * 1000);
    expect(await usageText()).toContain("usage: EDITED <command>");
  });

  it("the bundled db:reset migrates and seeds, and db:status then reports up to date", {
    timeout: 240_000,
  }, async () => {
    await build();
    markBundle("BUNDLED");
    expect(await usageText()).toContain("usage: BUNDLED <command>");
    let env: Record<string, string | undefined> = {};
    if (onServer()) {
      const db = await createEmptyDatabase("cli_build");
      disposers.push(db.drop);
      env = { DATABASE_URL: db.url };
    }
    const reset = await npm("db:reset", [], env);
    expect(reset.code, reset.stderr).toBe(EXIT.ok);
    expect(reset.stdout).toContain(`${readJournal().length} migration(s) applied`);
    expect(reset.stdout).toContain("seeded reference data (seed/index.ts seedReference)");
    const status = await npm("db:status", [], env);
    expect(status.code, status.stdout + status.stderr).toBe(EXIT.ok);
    const again = await npm("db:migrate", [], env);
    expect(again.code, again.stderr).toBe(EXIT.ok);
    expect(again.stdout).toContain("database is up to date; nothing to apply");
    // db:import's bundle starts too (no arguments: its usage, exit 2).
    const importUsage = await npm("db:import", [], env);
    expect(importUsage.code).toBe(EXIT.usage);
    expect(importUsage.stderr).toContain("usage: npm run db:import");
  });
});
