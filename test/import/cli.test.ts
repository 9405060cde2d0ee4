/**
 * `npm run db:import -- cis|relationships ...` as the operator runs it: the CLI as a child process
 * (`node scripts/cli.mjs src/import/cli.ts`, what the npm script runs), its exit codes (0 loaded or
 * already present, 9 rows rejected, 1 error, 2 usage), the rejects on stdout and in the report file
 * (every one, with the file's line numbers and the outcome), --dry-run and --all-or-nothing writing
 * nothing. Server only. Each run starts a process (the tsx loader when the bundle is stale: seconds
 * each under load), hence the tests' own timeouts.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows } from "../../src/db.js";
import { run as runProcess } from "../migrate/support.js";
import { makeCi, makeCiType, makeRelType } from "../queries/cmdb/fixtures.js";
import { onServer, useTestDatabase } from "../support/test-db.js";

const t = useTestDatabase();
let dir: string;
let typeCode: string;
let typeId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "netops-import-cli-"));
  if (!onServer()) return;
  const type = await makeCiType(t.db, [
    { key: "cpu_cores", label: "CPU cores", fieldType: "number", required: true, minValue: "1" },
  ]);
  typeId = type.typeId;
  typeCode = (
    await rows<{ code: string }>(t.db, sql`SELECT code FROM cmdb_ci_types WHERE id = ${typeId}`)
  )[0]!.code;
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The import CLI as the npm script runs it (`node scripts/cli.mjs src/import/cli.ts ...`). */
const run = (args: string[], env: Record<string, string | undefined> = { DATABASE_URL: t.url }) =>
  runProcess(process.execPath, ["scripts/cli.mjs", "src/import/cli.ts", ...args], env);

const file = (name: string, lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
};

const cisLike = async (prefix: string) =>
  (
    await rows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int AS n FROM cmdb_cis WHERE ci_code LIKE ${`${prefix}%`}`,
    )
  )[0]!.n;

describe.runIf(onServer())("db:import CLI (cis, relationships)", () => {
  it("cis: --all-or-nothing exits 9 writing nothing; then a load exits 9 with the rejects by line; a re-run reports skips and exits 0", async () => {
    const p = `CLI-${randomUUID().slice(0, 6)}-`;
    const path = file("cis.csv", [
      "ci_code,name,type_id,attributes",
      `${p}1,one,${typeCode},"{""cpu_cores"": 4}"`, // 2
      `${p}2,two,${typeCode},"{""cpu_cores"": 0}"`, // 3: below the minimum
      `${p}3,three,no_such_type,`, // 4: unknown type
      `"${p}4","four, with a comma",${typeCode},"{""cpu_cores"": 2}"`, // 5
    ]);
    const report = join(dir, "cis-report.csv");
    const none = await run(["cis", path, "--all-or-nothing", "--report", report]);
    expect(none.code).toBe(9);
    expect(none.stdout).toMatch(/^line 3, attributes\.cpu_cores: must be at least 1$/m);
    expect(none.stdout).toMatch(/^line 4, type_id: no CI type has this code/m);
    expect(none.stdout).toMatch(/nothing written \(--all-or-nothing and rows were rejected\)/);
    expect(await cisLike(p)).toBe(0);
    expect(readFileSync(report, "utf8").trim().split("\n")).toEqual([
      "line,field,reason,outcome",
      "3,attributes.cpu_cores,must be at least 1,rejected",
      "4,type_id,no CI type has this code (give its code or id),rejected",
    ]);

    const loaded = await run(["cis", path]); // report next to the file
    expect(loaded.code).toBe(9);
    expect(loaded.stdout).toMatch(/cis: 4 rows read, 2 inserted, 0 already present, 2 rejected/);
    expect(await cisLike(p)).toBe(2);
    expect(readFileSync(`${path}.rejects.csv`, "utf8")).toMatch(/^3,attributes\.cpu_cores,/m);

    const again = await run(["cis", path]);
    expect(again.code).toBe(9); // the two bad rows are still bad
    expect(again.stdout).toMatch(/2 already present, 2 rejected/);
    // Rows refused while streaming come first, then the set-wise outcomes: compare in line order.
    const lines = readFileSync(`${path}.rejects.csv`, "utf8").trim().split("\n").slice(1);
    const outcomes = lines.map((l) => [l.split(",")[0], l.split(",").at(-1)]);
    expect(outcomes.sort((x, y) => Number(x[0]) - Number(y[0]))).toEqual([
      ["2", "skipped"],
      ["3", "rejected"],
      ["4", "rejected"],
      ["5", "skipped"],
    ]);
    const clean = file("cis-clean.csv", [
      "ci_code,name,type_id,attributes",
      `${p}1,one,${typeCode},"{""cpu_cores"": 4}"`,
    ]);
    expect((await run(["cis", clean])).code).toBe(0); // only skips: nothing to fix
  }, 300_000);

  it("relationships: --dry-run exits 9 and writes nothing; a clean file exits 0; usage and errors exit 2 and 1", async () => {
    const [a, b] = [`RCLI-${randomUUID().slice(0, 6)}`, `RCLI-${randomUUID().slice(0, 6)}`];
    await makeCi(t.db, typeId, a);
    await makeCi(t.db, typeId, b);
    const rel = await makeRelType(t.db);
    const count = async () =>
      (
        await rows<{ n: number }>(
          t.db,
          sql`SELECT count(*)::int AS n FROM cmdb_relationships WHERE rel_type_id = ${rel.id}`,
        )
      )[0]!.n;
    const path = file("rels.csv", [
      "rel_type_id,from_ci_id,to_ci_id,note",
      `${rel.code},${a},${b},`, // 2
      `${rel.code},${a},${a},`, // 3: itself
      `${rel.code},${a},"NO
SUCH",`, // 4-5: a quoted field with a line break: no such CI; the row starts on line 4
      `${rel.code},${b},${a},reverse`, // 6
    ]);
    const dry = await run(["relationships", path, "--dry-run"]);
    expect(dry.code).toBe(9);
    expect(dry.stdout).toMatch(/^line 3, to_ci_id: a CI cannot be related to itself$/m);
    expect(dry.stdout).toMatch(/^line 4, to_ci_id: no CI has this ci_code/m);
    expect(dry.stdout).toMatch(/nothing written \(dry run; 2 would be inserted\)/);
    expect(await count()).toBe(0);

    const good = file("rels-good.csv", ["rel_type_id,from_ci_id,to_ci_id", `${rel.code},${a},${b}`]);
    const ok = await run(["relationships", good]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/relationships: 1 rows read, 1 inserted, 0 already present, 0 rejected/);
    expect(await count()).toBe(1);

    expect((await run(["relationships"])).code).toBe(2);
    expect((await run(["no_such_kind", good])).code).toBe(2);
    expect((await run(["relationships", join(dir, "missing.csv")])).code).toBe(2);
    const badHeader = file("rels-bad-header.csv", [
      "rel_type_id,from_ci_id,to_ci_id,status",
      `${rel.code},${b},${a},active`,
    ]);
    const refused = await run(["relationships", badHeader]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/unknown column "status".*\(nothing written\)/);
    expect((await run(["relationships", good], { DATABASE_URL: "" })).code).toBe(1);
    expect(await count()).toBe(1);
  }, 300_000);
});
