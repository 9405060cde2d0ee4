/**
 * importAssets / `npm run db:import -- assets`: a file with good rows and each kind of bad row,
 * re-runs, --all-or-nothing, --dry-run, and a process killed half-way. Needs a server (COPY FROM
 * STDIN), so it is skipped on PGlite, where importAssets refuses with ImportFormatError.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows } from "../../src/db.js";
import { UniqueViolationError } from "../../src/errors/index.js";
import { ImportFormatError, type ImportReject, importAssets } from "../../src/import/index.js";
import { createAsset, createAssetModel, createLocation } from "../../src/queries/index.js";
import { vendors } from "../../src/schema/index.js";
import { createTestDatabase, onServer, type TestDatabase } from "../support/test-db.js";
import { csv } from "./support.js";

let t: TestDatabase;
let dir: string;
let refs: { modelId: string; model: string; locationPath: string; locationId: string; vendor: string };

beforeAll(async () => {
  t = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), "netops-import-"));
  const tag = randomUUID().slice(0, 6);
  const model = await createAssetModel(t.db, { model: `C9300-${tag}` });
  // Two models share a name: a reference by that name is ambiguous.
  await createAssetModel(t.db, { model: `twin-${tag}` });
  await createAssetModel(t.db, { model: `twin-${tag}` });
  const site = await createLocation(t.db, { name: `site-${tag}` });
  const room = await createLocation(t.db, { name: "room-1", parentId: site.id });
  await t.db.insert(vendors).values({ name: `Cisco-${tag}` });
  refs = {
    modelId: model.id,
    model: model.model,
    locationPath: room.path,
    locationId: room.id,
    vendor: `Cisco-${tag}`,
  };
});

afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function count(prefix: string): Promise<{ assets: number; events: number }> {
  const [c] = await rows<{ assets: number; events: number }>(
    t.db,
    sql`SELECT (SELECT count(*)::int FROM assets WHERE asset_code LIKE ${`${prefix}%`}) AS assets,
               (SELECT count(*)::int FROM asset_events e JOIN assets a ON a.id = e.asset_id
                 WHERE a.asset_code LIKE ${`${prefix}%`} AND e.event_type = 'created') AS events`,
  );
  return c!;
}

describe.runIf(onServer())("importAssets", () => {
  /** The mixed file: header = line 1; each bad line named in `expected`. */
  function mixedFile(p: string): { text: string; expected: Omit<ImportReject, "reason">[]; good: string[] } {
    const lines = [
      "asset_code,model_id,location_id,vendor_id,mac_address,mgmt_ip,status,vlan_id,notes",
      `${p}-01,${refs.model},${refs.locationPath},${refs.vendor},0011.2233.4455,10.0.0.1,in_use,10,"two\nlines"`, // 2-3
      `${p}-02,${refs.modelId},${refs.locationId},,,,,,`, // 4: references by id
      `${p}-03,no-such-model,,,,,,,`, // 5: unknown reference by name
      `${p}-04,${randomUUID()},,,,,,,`, // 6: unknown reference by id
      `${p}-05,,/no/such/path/,,,,,,`, // 7: unknown location path
      `${p}-06,twin-${refs.model.split("-").pop()},,,,,,,`, // 8: ambiguous model name
      `${p}-07,,,,,,broken,,`, // 9: not in the status value list
      `${p}-01,,,,,,,,`, // 10: duplicate of line 2 in the file
      `${p}-EXISTING,,,,,,,,`, // 11: already in the table
      `${p}-09,,,,`, // 12: malformed (5 fields of 9)
      `${p}-10,,,,,,,,bad\0byte`, // 13: NUL byte
      `${"X".repeat(101)},,,,,,,,`, // 14: asset_code longer than varchar(100)
      `${p}-11,,,,aa:bb,,,4095,`, // 15: bad MAC, VLAN outside 1..4094
      `${p}-12,,,,,,retired,,`, // 16: good
    ];
    return {
      text: `${lines.join("\n")}\n`,
      expected: [
        { line: 5, field: "model_id" },
        { line: 6, field: "model_id" },
        { line: 7, field: "location_id" },
        { line: 8, field: "model_id" },
        { line: 9, field: "status" },
        { line: 10, field: "asset_code" },
        { line: 12, field: null },
        { line: 13, field: "notes" },
        { line: 14, field: "asset_code" },
        { line: 15, field: "mac_address" },
        { line: 15, field: "vlan_id" },
      ],
      good: [`${p}-01`, `${p}-02`, `${p}-12`],
    };
  }

  it("loads the good rows, reports each bad one with its line, column and reason; a re-run adds nothing", async () => {
    const p = `IMP-${randomUUID().slice(0, 6)}`;
    await createAsset(t.db, { assetCode: `${p}-EXISTING` });
    const { text, expected, good } = mixedFile(p);
    const seen: ImportReject[] = [];
    const result = await importAssets(t.db, csv(text), { onReject: (r) => seen.push(r) });

    const rejects = seen.filter((r) => !r.skipped);
    expect(rejects.map(({ line, field }) => ({ line, field })).sort((a, b) => a.line - b.line)).toEqual(
      expected,
    );
    for (const r of rejects) expect(r.reason).toMatch(/\S/);
    const reason = (line: number, field: string | null) =>
      rejects.find((r) => r.line === line && r.field === field)?.reason;
    expect(reason(5, "model_id")).toMatch(/no asset model has this model/);
    expect(reason(6, "model_id")).toMatch(/no asset model has this id/);
    expect(reason(8, "model_id")).toMatch(/ambiguous: 2 asset models/);
    expect(reason(10, "asset_code")).toMatch(/duplicate asset_code in the file \(first on line 2\)/);
    expect(reason(12, null)).toMatch(/malformed CSV/);
    expect(reason(13, "notes")).toMatch(/NUL byte/);
    expect(reason(14, "asset_code")).toMatch(/at most 100 characters/);
    expect(seen.filter((r) => r.skipped)).toEqual([
      { line: 11, field: "asset_code", reason: "asset_code already in assets: skipped", skipped: true },
    ]);
    expect(result).toMatchObject({ read: 14, inserted: 3, existing: 1, rejected: 10, committed: true });

    const loaded = await rows<{
      asset_code: string;
      mac_address: string | null;
      notes: string | null;
      status: string;
      model: boolean;
      location: boolean;
      vendor: boolean;
    }>(
      t.db,
      sql`SELECT asset_code, mac_address, notes, status, model_id IS NOT NULL AS model, coalesce(location_id = ${refs.locationId}, false) AS location, vendor_id IS NOT NULL AS vendor
            FROM assets WHERE asset_code IN (${sql.join(
              good.map((g) => sql`${g}`),
              sql`, `,
            )}) ORDER BY asset_code`,
    );
    expect(loaded).toEqual([
      // The single-row path's normalisation (MAC to colon form), references resolved by name and path.
      {
        asset_code: `${p}-01`,
        mac_address: "00:11:22:33:44:55",
        notes: "two\nlines",
        status: "in_use",
        model: true,
        location: true,
        vendor: true,
      },
      {
        asset_code: `${p}-02`,
        mac_address: null,
        notes: null,
        status: "in_stock",
        model: true,
        location: true,
        vendor: false,
      },
      {
        asset_code: `${p}-12`,
        mac_address: null,
        notes: null,
        status: "retired",
        model: false,
        location: false,
        vendor: false,
      },
    ]);
    expect(await count(p)).toEqual({ assets: 4, events: 4 }); // 3 imported + the existing one, each with its created event

    const again = await importAssets(t.db, csv(text));
    expect(again).toMatchObject({ inserted: 0, existing: 4, rejected: 10, committed: true });
    expect(await count(p)).toEqual({ assets: 4, events: 4 });
  });

  it("--all-or-nothing writes nothing when a row is bad; --dry-run writes nothing and says what it would insert", async () => {
    const p = `AON-${randomUUID().slice(0, 6)}`;
    const bad = `asset_code,status\n${p}-1,in_stock\n${p}-2,broken\n`;
    const all = await importAssets(t.db, csv(bad), { allOrNothing: true });
    expect(all).toMatchObject({ inserted: 0, rejected: 1, committed: false });
    expect(await count(p)).toEqual({ assets: 0, events: 0 });

    const dry = await importAssets(t.db, csv(bad), { dryRun: true });
    expect(dry).toMatchObject({ inserted: 1, rejected: 1, committed: false });
    expect(await count(p)).toEqual({ assets: 0, events: 0 });

    const good = await importAssets(t.db, csv(`asset_code\n${p}-1\n`), { allOrNothing: true });
    expect(good).toMatchObject({ inserted: 1, rejected: 0, committed: true });
    expect(await count(p)).toEqual({ assets: 1, events: 1 });
  });

  it("a concurrent writer inserting one of the file's codes after the check: UniqueViolationError, nothing written", async () => {
    const p = `RACE-${randomUUID().slice(0, 6)}`;
    const other = await t.connect(1);
    try {
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      // The other writer inserts -2 and keeps its transaction open until the import waits on it.
      const writer = other.db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO assets (asset_code) VALUES (${`${p}-2`})`);
        await held;
      });
      await new Promise((r) => setTimeout(r, 100));
      const running = importAssets(t.db, csv(`asset_code\n${p}-1\n${p}-2\n${p}-3\n`));
      // The import's INSERT waits for the writer's uncommitted row with the same code.
      for (let i = 0; i < 400; i++) {
        const [w] = await rows<{ n: number }>(
          t.db,
          sql`SELECT count(*)::int AS n FROM pg_stat_activity
               WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO "assets"%'`,
        );
        if (w?.n) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      release();
      await writer;
      await expect(running).rejects.toBeInstanceOf(UniqueViolationError);
      expect(await count(p)).toEqual({ assets: 1, events: 0 }); // the writer's row only
    } finally {
      await other.close();
    }
  });

  it("a file of many chunks: each reject keeps its line and reason, the good rows all load", async () => {
    // 6,000 rows (about 250 kB: many 64 kB COPY chunks) fed in 777-byte pieces that cut rows, quoted
    // fields and a two-byte character; every 10th row has a two-line note, so lines and rows differ.
    const p = `CHK-${randomUUID().slice(0, 6)}`;
    const bad = new Map<number, { field: string | null; reason: RegExp; text: string }>([
      [10, { field: "status", reason: /expected one of "in_stock"/, text: `${p}-10,broken,` }],
      [2500, { field: "mac_address", reason: /must be a MAC address/, text: `${p}-2500,in_stock,,zz:zz` }],
      [
        4100,
        {
          field: "asset_code",
          reason: /duplicate asset_code in the file \(first on line 2\)/,
          text: `${p}-0,in_stock,`,
        },
      ],
      [
        5000,
        {
          field: null,
          reason: /malformed CSV: Invalid Record Length: expect 4, got 2/,
          text: `${p}-5000,in_stock`,
        },
      ],
      [5999, { field: "status", reason: /expected one of "in_stock"/, text: `${p}-5999,gone,,` }],
    ]);
    const lines = ["asset_code,status,notes,mac_address"];
    const expected: { line: number; field: string | null }[] = [];
    let line = 2;
    for (let i = 0; i < 6000; i++) {
      const b = bad.get(i);
      if (b) {
        expected.push({ line, field: b.field });
        lines.push(b.text.split(",").length === 3 ? `${b.text},` : b.text);
        line += 1;
      } else if (i % 10 === 0) {
        lines.push(`${p}-${i},in_use,"note ${i}\nsecond line, é",`);
        line += 2;
      } else {
        lines.push(`${p}-${i},in_stock,,`);
        line += 1;
      }
    }
    const bytes = Buffer.from(`${lines.join("\n")}\n`);
    const pieces: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 777) pieces.push(bytes.subarray(at, at + 777));
    const seen: ImportReject[] = [];
    const result = await importAssets(t.db, Readable.from(pieces), { onReject: (r) => seen.push(r) });
    expect(seen.map(({ line, field }) => ({ line, field })).sort((a, b) => a.line - b.line)).toEqual(
      expected,
    );
    for (const r of seen) {
      const b = [...bad.values()][expected.findIndex((e) => e.line === r.line)];
      expect(r.reason).toMatch(b?.reason ?? /^$/);
    }
    expect(result).toMatchObject({ read: 6000, inserted: 5995, rejected: 5, committed: true });
    expect(await count(p)).toEqual({ assets: 5995, events: 5995 });
    const [note] = await rows<{ notes: string }>(
      t.db,
      sql`SELECT notes FROM assets WHERE asset_code = ${`${p}-4990`}`,
    );
    expect(note?.notes).toBe("note 4990\nsecond line, é");
  });

  it("refuses a header naming an unknown or generated column, or lacking asset_code, before reading rows", async () => {
    await expect(importAssets(t.db, csv("asset_code,colour\nA,red\n"))).rejects.toThrow(
      /unknown column "colour"/,
    );
    await expect(importAssets(t.db, csv("asset_code,id\nA,x\n"))).rejects.toThrow(/unknown column "id"/);
    await expect(importAssets(t.db, csv("serial_no\nS1\n"))).rejects.toThrow(ImportFormatError);
    await expect(importAssets(t.db, csv(""))).rejects.toThrow(/empty/);
  });

  it("the CLI: rejects on stdout and in the report file, exit 9; a process killed half-way leaves no row", async () => {
    const p = `CLI-${randomUUID().slice(0, 6)}`;
    const small = join(dir, "small.csv");
    writeFileSync(small, `asset_code,status\n${p}-1,in_stock\n${p}-2,broken\n`);
    const cli = (args: string[]) =>
      spawn(process.execPath, ["--import", "tsx", "src/import/cli.ts", ...args], {
        env: { ...process.env, DATABASE_URL: t.url },
        stdio: ["ignore", "pipe", "pipe"],
      });
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = cli(args);
        let stdout = "";
        child.stdout.on("data", (d: Buffer) => {
          stdout += d.toString();
        });
        child.on("exit", (code) => resolve({ code, stdout }));
      });
    const out = await run(["assets", small]);
    expect(out.code).toBe(9);
    expect(out.stdout).toMatch(/^line 3, status: /m);
    expect(readFileSync(`${small}.rejects.csv`, "utf8").split("\n")[1]).toMatch(/^3,status,.*,rejected$/);
    expect(await count(p)).toEqual({ assets: 1, events: 1 });

    // 300,000 rows: killed (SIGKILL) once the COPY is under way; the transaction never commits.
    const big = join(dir, "big.csv");
    const k = `${p}-BIG`;
    let body = "asset_code,status,notes\n";
    for (let i = 0; i < 300_000; i++) body += `${k}-${i},in_stock,row ${i}\n`;
    writeFileSync(big, body);
    const child = cli(["assets", big]);
    const deadline = Date.now() + 60_000;
    let copying = false;
    while (!copying && Date.now() < deadline && child.exitCode === null) {
      const [progress] = await rows<{ n: number }>(
        t.db,
        sql`SELECT coalesce(max(tuples_processed), 0)::int AS n FROM pg_stat_progress_copy WHERE datname = current_database()`,
      );
      copying = (progress?.n ?? 0) > 0;
      if (!copying) await new Promise((r) => setTimeout(r, 20));
    }
    expect(copying).toBe(true);
    child.kill("SIGKILL");
    // The server notices the closed connection and rolls back; wait for its backend to go.
    for (let i = 0; i < 200; i++) {
      const [left] = await rows<{ n: number }>(
        t.db,
        sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
              AND query ILIKE '%import_staging%'`,
      );
      if (left?.n === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await count(k)).toEqual({ assets: 0, events: 0 });
  });
});

describe.runIf(!onServer())("importAssets on PGlite", () => {
  it("refuses: PGlite has no COPY FROM STDIN", async () => {
    await expect(importAssets(t.db, csv("asset_code\nA\n"))).rejects.toThrow(ImportFormatError);
  });
});
