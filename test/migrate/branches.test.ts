/**
 * Parallel branches, as a team works them, in a scratch git repository made here (a copy of the
 * project's package files, src/, scripts/, drizzle/ and drizzle.config.ts; node_modules linked):
 * branch `a` adds assets.rack_unit, branch `b` adds assets.asset_tag_rfid plus a custom trigger
 * migration, branch `c` adds a column, a custom backfill and a NOT NULL, each through
 * `npm run db:generate`. Merging one into another conflicts in drizzle/meta as git decides; then
 * `npm run db:rebase` must leave one linear chain that drizzle-kit agrees with and that migrates a
 * real database to a drift-free head. Also: the gates fail on the naive resolution and on a
 * rename drizzle-kit cannot ask about; drizzle-kit's own exit-0 behaviour is shown alongside.
 */
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows } from "../../src/db.js";
import { EXIT } from "../../src/errors/exit-codes.js";
import { checkChain, type Journal, numberOf, snapshotPath } from "../../src/migrate/chain.js";
import { checkDrift, type ReferenceTarget } from "../../src/migrate/drift.js";
import { readJournal } from "../../src/migrate/journal.js";
import { migrate } from "../../src/migrate/runner.js";
import { formatStatus, migrationStatus, statusExitCode } from "../../src/migrate/status.js";
import { onServer, scratchName } from "../support/test-db.js";
import { type CliRun, type FreshDatabase, freshDatabase, npmIn, run } from "./support.js";

const ROOT = resolve(".");
/** How many migrations the project has now (the tests never assume which). */
const N = readJournal().length;
const TABLES = "src/schema/assets/tables.ts";
const EXTERNAL_ADDRESS = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === "IPv4" && !i.internal)?.address;
const HAS_SCRIPT = (() => {
  try {
    execFileSync("script", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
const snap = (i: number) => `meta/${numberOf(i)}_snapshot.json`;

let repo: string;
const scratch: string[] = [];
const databases: FreshDatabase[] = [];

const git = (...args: string[]) =>
  execFileSync("git", args, { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
/** git that may fail (a merge with conflicts): its exit code and output. */
const gitStatus = (...args: string[]) => run("git", args, {}, repo);

const npm = npmIn(() => repo);
const drizzleKit = (args: string[] = []): Promise<CliRun> =>
  run(
    process.execPath,
    [join(ROOT, "node_modules/drizzle-kit/bin.cjs"), "generate", ...args],
    { DATABASE_URL: undefined },
    repo,
  );

/** Insert a line into the `assets` table definition, after the line holding `anchor`. */
function addToAssets(anchor: string, line: string): void {
  const path = join(repo, TABLES);
  const text = readFileSync(path, "utf8");
  const table = text.indexOf("export const assets = pgTable(");
  const at = text.indexOf(anchor, table);
  expect(table >= 0 && at > table, `anchor ${anchor} in the assets table`).toBe(true);
  const end = text.indexOf("\n", at) + 1;
  writeFileSync(path, `${text.slice(0, end)}    ${line}\n${text.slice(end)}`);
}
const replaceInAssets = (from: string, to: string) => {
  const path = join(repo, TABLES);
  const text = readFileSync(path, "utf8");
  expect(text.includes(from)).toBe(true);
  writeFileSync(path, text.replace(from, to));
};

const folder = () => join(repo, "drizzle");
const journal = () => JSON.parse(readFileSync(join(folder(), "meta/_journal.json"), "utf8")) as Journal;
const tags = () => journal().entries.map((e) => e.tag);
const fileAt = (ref: string, path: string) => execFileSync("git", ["show", `${ref}:${path}`], { cwd: repo });

/** `git archive` of a ref's drizzle/ into a folder of its own, for migrating a database to that state. */
function migrationsAt(ref: string): string {
  const dir = mkdtempSync(join(tmpdir(), "netops-branches-ref-"));
  scratch.push(dir);
  execFileSync("sh", ["-c", `git archive ${ref} drizzle | tar -x -C ${dir}`], { cwd: repo });
  return join(dir, "drizzle");
}

async function database(label: string): Promise<FreshDatabase> {
  const d = await freshDatabase(label);
  databases.push(d);
  return d;
}
const reference = (d: FreshDatabase): ReferenceTarget =>
  d.url ? { driver: "postgres", url: d.url } : { driver: "pglite" };
const drift = (d: FreshDatabase, migrationsFolder: string) =>
  checkDrift(d.handle.db, reference(d), {
    migrationsFolder,
    ...(onServer() ? { scratchName: scratchName("branchref") } : {}),
  });

const CUSTOM_TRIGGER = `-- Custom: RFID tags are stored upper case, whatever the client sends.
CREATE FUNCTION assets_rfid_upper() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.asset_tag_rfid := upper(NEW.asset_tag_rfid);
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER assets_rfid_upper BEFORE INSERT OR UPDATE OF asset_tag_rfid ON assets
  FOR EACH ROW EXECUTE FUNCTION assets_rfid_upper();
`;
const CUSTOM_TRIGGER_DOWN = `DROP TRIGGER assets_rfid_upper ON assets;
--> statement-breakpoint
DROP FUNCTION assets_rfid_upper();
`;
const CUSTOM_BACKFILL = `UPDATE "assets" SET "rack_position" = 0 WHERE "rack_position" IS NULL;\n`;

/** Plain `drizzle-kit generate` (branch c: the wrapper is covered by a and b), the tag it wrote. */
async function kitGenerate(args: string[]): Promise<string> {
  const r = await drizzleKit(args);
  const written = /Your SQL migration file ➜ drizzle\/(\S+)\.sql/.exec(r.stdout);
  expect(written, r.stdout + r.stderr).not.toBeNull();
  return written![1]!;
}

async function generate(args: string[]): Promise<string> {
  const r = await npm("db:generate", args);
  expect(r.code, r.stderr).toBe(0);
  const written = /wrote drizzle\/(\S+)\.sql/.exec(r.stdout);
  expect(written, r.stdout).not.toBeNull();
  return written![1]!;
}

beforeAll(async () => {
  repo = mkdtempSync(join(tmpdir(), "netops-branches-"));
  scratch.push(repo);
  for (const f of ["package.json", "tsconfig.json", "drizzle.config.ts", "src", "scripts", "drizzle"])
    cpSync(join(ROOT, f), join(repo, f), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(repo, "node_modules"));
  writeFileSync(join(repo, ".gitignore"), "node_modules\n.data/\n");
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "base");

  git("checkout", "-qb", "a");
  addToAssets('hostname: varchar("hostname"', 'rackUnit: integer("rack_unit"),');
  expect(await generate(["--name", "add_rack_unit"])).toBe(`${numberOf(N)}_add_rack_unit`);
  git("add", "-A");
  git("commit", "-qm", "a: rack_unit");

  git("checkout", "-q", "main");
  git("checkout", "-qb", "b");
  addToAssets('notes: text("notes")', 'assetTagRfid: varchar("asset_tag_rfid", { length: 64 }),');
  await generate(["--name", "add_asset_tag_rfid"]);
  const trigger = await generate(["--custom", "--name", "rfid_upper_trigger"]);
  expect(trigger).toBe(`${numberOf(N + 1)}_rfid_upper_trigger`);
  writeFileSync(join(folder(), `${trigger}.sql`), CUSTOM_TRIGGER);
  // Its down, by hand (db:generate wrote a template), recorded by db:generate (issue 13).
  writeFileSync(join(folder(), `${trigger}.down.sql`), CUSTOM_TRIGGER_DOWN);
  expect((await npm("db:generate")).code).toBe(0);
  git("add", "-A");
  git("commit", "-qm", "b: asset_tag_rfid + trigger");
}, 180_000);

afterAll(async () => {
  for (const d of databases) await d.dispose();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** The merge of a into b as git leaves it, then resolved "the obvious way" (issue 17), and the gates on it. */
async function naiveResolution(): Promise<void> {
  expect(git("diff", "--name-only", "--diff-filter=U").split("\n").sort()).toEqual([
    `drizzle/meta/${numberOf(N)}_snapshot.json`,
    "drizzle/meta/_downs.json",
    "drizzle/meta/_journal.json",
  ]);
  const conflicted = await npm("migrations:check");
  expect(conflicted.code).toBe(1);
  expect(conflicted.stderr).toContain("meta/_journal.json holds merge conflict markers");

  // Resolved "the obvious way": both journal entries kept, a's migration renumbered after b's.
  const moved = `${numberOf(N + 2)}_add_rack_unit`;
  const naive = JSON.parse(fileAt("b", "drizzle/meta/_journal.json").toString()) as Journal;
  const theirs = (JSON.parse(fileAt("a", "drizzle/meta/_journal.json").toString()) as Journal).entries.at(
    -1,
  )!;
  naive.entries.push({ ...theirs, idx: N + 2, tag: moved });
  writeFileSync(join(folder(), "meta/_journal.json"), JSON.stringify(naive, null, 2));
  writeFileSync(join(folder(), snap(N)), fileAt("b", `drizzle/${snap(N)}`));
  writeFileSync(join(folder(), snapshotPath(moved)), fileAt("a", `drizzle/${snap(N)}`));
  git("mv", `drizzle/${numberOf(N)}_add_rack_unit.sql`, `drizzle/${moved}.sql`);
  git("add", "-A", "drizzle");

  const upstream = await drizzleKit();
  expect(upstream.code).toBe(0); // drizzle-kit 0.31: prints the collision, writes nothing, exits 0
  expect(upstream.stdout).toContain("which is a collision");

  const gate = await npm("migrations:check");
  expect(gate.code).toBe(1);
  expect(gate.stderr).toContain(
    `fork             meta/${numberOf(N)}_snapshot.json and meta/${numberOf(N + 2)}_snapshot.json have the same parent (meta/${numberOf(N - 1)}_snapshot.json)`,
  );
  expect(gate.stderr).toContain(`when             journal "when" of ${moved}`);
  expect(gate.stderr).toContain("npm run db:rebase");
  const generateToo = await npm("db:generate", ["--name", "anything"]);
  expect(generateToo.code).toBe(1);
}

describe("the gates", () => {
  it("drizzle-kit exits 0 on the naive resolution of a conflicting merge; migrations:check fails naming the files", async () => {
    const merge = await gitStatus("merge", "-q", "a");
    expect(merge.code).not.toBe(0);
    try {
      await naiveResolution();
    } finally {
      git("merge", "--abort");
    }
    expect(git("status", "--porcelain")).toBe("");
  }, 60_000);

  it("db:generate and migrations:check fail on a rename drizzle-kit cannot ask about; drizzle-kit exits 0", async () => {
    git("checkout", "-q", "main");
    replaceInAssets('notes: text("notes")', 'remarks: text("remarks")');
    try {
      const upstream = await drizzleKit();
      expect(upstream.code).toBe(0);
      expect(upstream.stderr).toContain("Interactive prompts require a TTY terminal");

      const generated = await npm("db:generate", ["--name", "rename_notes"]);
      expect(generated.code).toBe(1);
      expect(generated.stderr).toContain("drizzle-kit needs an answer");
      expect(generated.stderr).toContain("nothing was written");
      const check = await npm("migrations:check");
      expect(check.code).toBe(1);
      expect(check.stderr).toContain('did not report "No schema changes"');
      expect(git("status", "--porcelain", "--", "drizzle")).toBe("");
    } finally {
      git("checkout", "-q", "--", TABLES);
    }
  }, 60_000);
  // util-linux `script` gives the command a terminal; Enter answers drizzle-kit's prompt (create).
  it.runIf(HAS_SCRIPT)(
    "on a terminal, db:generate lets drizzle-kit ask about the rename and reports what it wrote",
    async () => {
      git("checkout", "-q", "main");
      replaceInAssets('notes: text("notes")', 'remarks: text("remarks")');
      try {
        const child = spawn(
          "script",
          ["-qec", "npm run --silent db:generate -- --name notes_to_remarks", "/dev/null"],
          {
            cwd: repo,
            // No DATABASE_URL at all: an empty one is refused since the runner's empty-URL check.
            env: Object.fromEntries(
              Object.entries({ ...process.env, CI: "" }).filter(([k]) => k !== "DATABASE_URL"),
            ),
            stdio: ["pipe", "pipe", "pipe"],
          },
        );
        let output = "";
        child.stdout.on("data", (d: Buffer) => {
          output += d.toString();
        });
        const enter = setInterval(() => child.stdin.write("\r"), 1000);
        const code = await new Promise<number>((ok) => child.on("close", (c) => ok(c ?? -1)));
        clearInterval(enter);
        expect(code, output).toBe(0);
        expect(output).toContain(`db:generate: wrote drizzle/${numberOf(N)}_notes_to_remarks.sql`);
        expect(tags().at(-1)).toBe(`${numberOf(N)}_notes_to_remarks`);
      } finally {
        git("checkout", "-q", "--", ".");
        git("clean", "-qfd", "--", "drizzle");
      }
    },
    60_000,
  );
});

describe("db:rebase", () => {
  let devDb: FreshDatabase;

  it("refuses before the base is merged, and while other files conflict", async () => {
    git("checkout", "-q", "b");
    const notMerged = await npm("db:rebase", ["--onto", "a"]);
    expect(notMerged.code).toBe(EXIT.refused);
    expect(notMerged.stderr).toContain("merge it first");

    const noBase = await npm("db:rebase", [], { CI: "true" });
    expect(noBase.code).toBe(EXIT.usage);
    expect(noBase.stderr).toContain("origin/main does not exist");

    // A migration file no commit knows would be lost by rebuilding drizzle/: refused.
    expect((await gitStatus("merge", "-q", "a")).code).not.toBe(0);
    try {
      writeFileSync(join(folder(), `${numberOf(N + 7)}_stray.sql`), "SELECT 1;");
      const stray = await npm("db:rebase", ["--onto", "a"]);
      expect(stray.code).toBe(EXIT.refused);
      expect(stray.stderr).toContain(`drizzle/${numberOf(N + 7)}_stray.sql belong(s) to no migration`);
    } finally {
      rmSync(join(folder(), `${numberOf(N + 7)}_stray.sql`), { force: true });
      git("merge", "--abort");
    }

    git("checkout", "-q", "-b", "b-conflict");
    replaceInAssets(
      'assetTagRfid: varchar("asset_tag_rfid", { length: 64 })',
      'assetTagRfid: text("asset_tag_rfid")',
    );
    git("commit", "-qam", "conflicting schema edit");
    git("checkout", "-q", "-b", "a-conflict", "a");
    replaceInAssets(
      'notes: text("notes"),',
      'notes: text("notes"),\n    assetTagRfid: varchar("asset_tag_rfid", { length: 32 }),',
    );
    git("commit", "-qam", "the same column, differently");
    expect((await gitStatus("merge", "-q", "b-conflict")).code).not.toBe(0);
    try {
      const schemaConflict = await npm("db:rebase", ["--onto", "a-conflict"]);
      expect(schemaConflict.code).toBe(EXIT.refused);
      expect(schemaConflict.stderr).toContain(TABLES);
    } finally {
      git("merge", "--abort");
      git("checkout", "-q", "b");
    }
  }, 60_000);

  // Needs an address of this machine that is not loopback, to reach the server the way a shared one is.
  it.runIf(onServer() && EXTERNAL_ADDRESS)(
    "refuses when a shared (non-local) database ran a branch migration",
    async () => {
      const address = EXTERNAL_ADDRESS!;
      const shared = await database("rebase_shared");
      await migrate(shared.handle.db, { migrationsFolder: migrationsAt("b") });
      // A TCP relay on a non-loopback address: the same server, reached the way a shared one is.
      const target = new URL(shared.url!);
      const server: Server = createServer((client) =>
        relay(client, target.hostname, Number(target.port || 5432)),
      );
      await new Promise<void>((ok) => server.listen(0, address, ok));
      try {
        const port = (server.address() as { port: number }).port;
        const url = new URL(shared.url!);
        url.hostname = address;
        url.port = String(port);
        expect((await gitStatus("merge", "-q", "a")).code).not.toBe(0);
        const before = git("status", "--porcelain");
        const refused = await npm("db:rebase", ["--onto", "a"], { DATABASE_URL: url.toString() });
        expect(refused.code, refused.stdout + refused.stderr).toBe(EXIT.refused);
        expect(refused.stderr).toContain(
          `already ran ${numberOf(N)}_add_asset_tag_rfid, ${numberOf(N + 1)}_rfid_upper_trigger`,
        );
        expect(git("status", "--porcelain")).toBe(before);
      } finally {
        server.close();
        if (existsSync(join(repo, ".git/MERGE_HEAD"))) git("merge", "--abort");
      }
    },
    60_000,
  );

  it("rebuilds the chain of a conflicting merge: base kept exactly, branch renumbered, custom SQL byte-identical", async () => {
    git("checkout", "-q", "b");
    // A developer database that ran b's migrations before the merge.
    devDb = await database("rebase_dev");
    await migrate(devDb.handle.db, { migrationsFolder: migrationsAt("b") });

    expect((await gitStatus("merge", "-q", "a")).code).not.toBe(0);
    const rebased = await npm("db:rebase", ["--onto", "a"], devDb.url ? { DATABASE_URL: devDb.url } : {});
    expect(rebased.code, rebased.stdout + rebased.stderr).toBe(0);
    const rfid = `${numberOf(N + 1)}_add_asset_tag_rfid`;
    const trigger = `${numberOf(N + 2)}_rfid_upper_trigger`;
    expect(rebased.stdout).toMatch(
      new RegExp(
        `${numberOf(N)}_add_asset_tag_rfid\\s+-> ${rfid}\\s+generated from the schema code, SQL identical`,
      ),
    );
    expect(rebased.stdout).toMatch(
      new RegExp(
        `${numberOf(N + 1)}_rfid_upper_trigger\\s+-> ${trigger}\\s+custom, SQL carried over byte for byte`,
      ),
    );
    if (devDb.url) expect(rebased.stdout).toContain("their SQL is unchanged, so it counts them as applied");

    // One linear chain, numbered 0..N+2: the base's N+1 migrations, then b's two.
    const report = checkChain(folder());
    expect(report.problems).toEqual([]);
    const base = (JSON.parse(fileAt("a", "drizzle/meta/_journal.json").toString()) as Journal).entries.map(
      (e) => e.tag,
    );
    expect(tags()).toEqual([...base, rfid, trigger]);
    expect(tags().map((t) => t.slice(0, 4))).toEqual(tags().map((_, i) => numberOf(i)));
    for (const path of execFileSync("git", ["ls-tree", "-r", "--name-only", "a", "--", "drizzle"], {
      cwd: repo,
      encoding: "utf8",
    })
      .trim()
      .split("\n")) {
      if (path.endsWith("_journal.json") || path.endsWith("_downs.json")) continue;
      expect(readFileSync(join(repo, path)).equals(fileAt("a", path)), path).toBe(true);
    }
    expect(
      readFileSync(join(folder(), `${trigger}.sql`)).equals(
        fileAt("b", `drizzle/${numberOf(N + 1)}_rfid_upper_trigger.sql`),
      ),
    ).toBe(true);
    expect(readFileSync(join(folder(), `${trigger}.sql`), "utf8")).toBe(CUSTOM_TRIGGER);
    // The downs moved with their migrations, and so did their review record (issue 13).
    expect(readFileSync(join(folder(), `${trigger}.down.sql`), "utf8")).toBe(CUSTOM_TRIGGER_DOWN);
    const downRecord = JSON.parse(readFileSync(join(folder(), "meta/_downs.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(Object.keys(downRecord).slice(-3)).toEqual([`${numberOf(N)}_add_rack_unit`, rfid, trigger]);

    // drizzle-kit itself has nothing to write, and the resolved merge passes the CI gate.
    const upstream = await drizzleKit();
    expect(upstream.stdout).toContain("No schema changes, nothing to migrate");
    // All staged (git add -A drizzle), so the merge can be committed as it is.
    expect(git("diff", "--name-only", "--", "drizzle")).toBe("");
    expect(git("ls-files", "--others", "--exclude-standard", "--", "drizzle")).toBe("");
    git("commit", "-qm", "merge a into b");
    const gate = await npm("migrations:check");
    expect(gate.code, gate.stderr).toBe(0);

    // Running it again finds nothing to do.
    const again = await npm("db:rebase", ["--onto", "a"]);
    expect(again.stdout).toContain("nothing to do");
    expect(git("status", "--porcelain")).toBe("");
  }, 120_000);

  it("a database at the base migrates to the merged head, drift-free, trigger working", async () => {
    const merged = migrationsAt("HEAD");
    const d = await database("rebase_base");
    await migrate(d.handle.db, { migrationsFolder: migrationsAt("a") });
    const status = await migrationStatus(d.handle.db, { migrationsFolder: merged });
    expect(status.migrations.filter((m) => m.state === "pending").map((m) => m.tag)).toEqual(
      tags().slice(N + 1),
    );
    await migrate(d.handle.db, { migrationsFolder: merged });
    expect(await drift(d, merged)).toEqual([]);
    await d.handle.db.execute(
      sql`INSERT INTO assets (asset_code, asset_tag_rfid, rack_unit) VALUES ('A-1', 'e200abc', 12)`,
    );
    const [row] = await rows<{ asset_tag_rfid: string; rack_unit: number }>(
      d.handle.db,
      sql`SELECT asset_tag_rfid, rack_unit FROM assets WHERE asset_code = 'A-1'`,
    );
    expect(row).toEqual({ asset_tag_rfid: "E200ABC", rack_unit: 12 });
  }, 120_000);

  it("the developer database that ran the branch's old numbers catches up with db:migrate", async () => {
    const merged = migrationsAt("HEAD");
    const status = await migrationStatus(devDb.handle.db, { migrationsFolder: merged });
    // Same SQL = same hash: b's migrations count as applied under their new numbers; a's is pending.
    expect(status.unknown).toEqual([]);
    expect(status.migrations.filter((m) => m.state === "pending").map((m) => m.tag)).toEqual([
      `${numberOf(N)}_add_rack_unit`,
    ]);
    await migrate(devDb.handle.db, { migrationsFolder: merged });
    expect(await drift(devDb, merged)).toEqual([]);

    // A history row no file has (the branch's old SQL, when regenerating changed it): exit 5 and the hint.
    await devDb.handle.db.execute(
      sql`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('0badc0de', 1)`,
    );
    const stale = await migrationStatus(devDb.handle.db, { migrationsFolder: merged });
    expect(statusExitCode(stale)).toBe(EXIT.unknownRecorded);
    expect(formatStatus(stale)).toContain("npm run db:reset");
  }, 120_000);

  it("keeps several generated migrations apart: a custom backfill between two of them stays in between", async () => {
    git("checkout", "-q", "main");
    git("checkout", "-qb", "c");
    addToAssets('notes: text("notes")', 'rackPosition: integer("rack_position"),');
    const g1 = await kitGenerate(["--name", "add_rack_position"]);
    // Down files (issue 13's `<tag>.down.sql`) travel with their migration.
    writeFileSync(join(folder(), `${g1}.down.sql`), 'ALTER TABLE "assets" DROP COLUMN "rack_position";\n');
    git("add", "-A");
    git("commit", "-qm", "c: rack_position");
    const c1 = await kitGenerate(["--custom", "--name", "backfill_rack_position"]);
    writeFileSync(join(folder(), `${c1}.sql`), CUSTOM_BACKFILL);
    git("add", "-A");
    git("commit", "-qm", "c: backfill");
    replaceInAssets('integer("rack_position")', 'integer("rack_position").notNull().default(0)');
    const g2 = await kitGenerate(["--name", "rack_position_not_null"]);
    git("add", "-A");
    git("commit", "-qm", "c: not null");

    expect((await gitStatus("merge", "-q", "a")).code).not.toBe(0);
    const rebased = await npm("db:rebase", ["--onto", "a"]);
    expect(rebased.code, rebased.stdout + rebased.stderr).toBe(0);
    expect(tags().slice(N + 1)).toEqual([
      `${numberOf(N + 1)}_add_rack_position`,
      `${numberOf(N + 2)}_backfill_rack_position`,
      `${numberOf(N + 3)}_rack_position_not_null`,
    ]);
    expect(rebased.stdout).toMatch(
      /add_rack_position\s+->\s+\S+\s+replayed on the base by drizzle-kit's differ, SQL identical/,
    );
    for (const [from, to] of [
      [g1, tags()[N + 1]],
      [c1, tags()[N + 2]],
      [g2, tags()[N + 3]],
    ])
      expect(
        readFileSync(join(folder(), `${to}.sql`)).equals(fileAt("c", `drizzle/${from}.sql`)),
        `${from} -> ${to}`,
      ).toBe(true);
    expect(
      readFileSync(join(folder(), `${tags()[N + 1]}.down.sql`)).equals(fileAt("c", `drizzle/${g1}.down.sql`)),
    ).toBe(true);
    expect(existsSync(join(folder(), `${g1}.down.sql`))).toBe(false);
    expect(checkChain(folder()).problems).toEqual([]);
    git("commit", "-qm", "merge a into c");

    // A base database with rows: the backfill runs before the NOT NULL, as on the branch.
    const d = await database("rebase_backfill");
    await migrate(d.handle.db, { migrationsFolder: migrationsAt("a") });
    await d.handle.db.execute(sql`INSERT INTO assets (asset_code) VALUES ('B-1'), ('B-2')`);
    const merged = migrationsAt("HEAD");
    await migrate(d.handle.db, { migrationsFolder: merged });
    const positions = await rows<{ rack_position: number }>(
      d.handle.db,
      sql`SELECT rack_position FROM assets`,
    );
    expect(positions).toEqual([{ rack_position: 0 }, { rack_position: 0 }]);
    expect(await drift(d, merged)).toEqual([]);
  }, 150_000);
});

/** Pipe a client socket to host:port both ways (the relay of the shared-database test). */
function relay(client: Socket, host: string, port: number): Socket {
  const upstream = connect(port, host);
  client.pipe(upstream).pipe(client);
  client.on("error", () => upstream.destroy());
  upstream.on("error", () => client.destroy());
  return upstream;
}
