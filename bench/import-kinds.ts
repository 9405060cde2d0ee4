/**
 * Rate of the CI, relationship and opening-stock imports against `psql -1` running `\copy` of the
 * same rows into the bare tables (no validation, no reference resolution, no posting):
 * - cis: importCis (type by code, two attributes per row checked by createCi's validator, values
 *   written to cmdb_ci_attr_values) vs \copy of cmdb_cis (ids given) then cmdb_ci_attr_values;
 * - relationships: importRelationships (type by code, CIs by ci_code) vs \copy of the uuids;
 * - stock: importStock (warehouse by code, part by part_code; one receipt per warehouse posted
 *   through netops_post_stock_document) vs \copy of the lines into one draft document (not posted).
 * Each side twice on its own rows, alternating (bare, ours, ours, bare); the mean of each side. Per
 * run also the CPU its server backend used (utime + stime from /proc/<pid>/stat, when the server is
 * local): on a shared, loaded machine the wall-clock rate swings, the CPU a backend spends much less.
 * The load average before and after is printed with the results.
 *
 * `DATABASE_URL=postgres://... npx tsx bench/import-kinds.ts [rows]` (default 20,000) on a migrated
 * database (a clone of the scale data set makes the probes realistic). Rows it creates are coded
 * BX-* and are left in place: run it on a throw-away clone.
 */
import { randomUUID } from "node:crypto";
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { sql as dsql } from "drizzle-orm";
import postgres from "postgres";
import { createDb, rows as dbRows } from "../src/db.js";
import { type ImportResult, importCis, importRelationships, importStock } from "../src/import/index.js";
import { psql } from "./programs.js";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("set DATABASE_URL");
const rows = Number(process.argv[2] ?? 20_000);
const tag = Date.now().toString(36);
const dir = mkdtempSync(join(tmpdir(), "netops-bench-importx-"));
const sql = postgres(url, { max: 1, onnotice: () => {} });

/** CPU (user + system, ms) a server backend has used so far, or null when its /proc is not readable. */
function backendCpu(pid: number): number | null {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(f[11]) + Number(f[12])) * (1000 / 100); // utime + stime, in clock ticks of 10 ms
  } catch {
    return null; // a remote server
  }
}

/** Runs the commands in one psql transaction; the CPU its backend used (from its /proc at the end). */
async function psqlCpu(commands: string[]): Promise<number | null> {
  const { stdout } = await psql(url!, [
    ...commands,
    // The backend's CPU, read by psql's shell escape while the backend still lives.
    "SELECT pg_backend_pid() AS pid \\gset",
    "\\setenv BACKEND_PID :pid",
    "\\! cat /proc/$BACKEND_PID/stat 2>/dev/null || true",
  ]);
  const f = stdout.trim().split("\n").pop()?.split(") ")[1]?.split(" ");
  return f ? (Number(f[11]) + Number(f[12])) * 10 : null;
}

const file = (name: string, body: string) => {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
};

/** Rows/s of one run, and the server CPU (ms) it cost: `cpu` measures ours, psql reports bare's. */
interface Run {
  rate: number;
  /** Server CPU of the run, ms (null: the server's /proc is not readable here). */
  cpu: number | null;
}

async function timed(fn: () => Promise<number | null | unknown>, pid?: number): Promise<Run> {
  const before = pid === undefined ? null : backendCpu(pid);
  const start = performance.now();
  const reported = await fn();
  const rate = rows / ((performance.now() - start) / 1000);
  if (pid === undefined) return { rate, cpu: typeof reported === "number" ? reported : null };
  const after = backendCpu(pid);
  return { rate, cpu: before === null || after === null ? null : after - before };
}

function expectAll(kind: string, result: ImportResult) {
  if (result.inserted !== rows || result.rejected > 0)
    throw new Error(
      `${kind}: ${result.inserted} of ${rows} inserted, ${result.rejected} rejected: ${JSON.stringify(result.rejects.slice(0, 3))}`,
    );
}

async function main() {
  // Fixtures: a CI type with two attributes, four relationship types, four warehouses, parts.
  const [type] = await sql<
    { id: string }[]
  >`INSERT INTO cmdb_ci_types (code, name) VALUES (${`bx_${tag}`}, 'bench') RETURNING id`;
  const [version] = await sql<
    { id: string }[]
  >`INSERT INTO cmdb_ci_type_versions (type_id, version, status) VALUES (${type!.id}, 1, 'active') RETURNING id`;
  await sql`INSERT INTO cmdb_ci_type_attr_defs (version_id, key, label, field_type, required, min_value, max_value)
            VALUES (${version!.id}, 'cpu_cores', 'CPU cores', 'number', true, 1, 256)`;
  await sql`INSERT INTO cmdb_ci_type_attr_defs (version_id, key, label, field_type, enum_values)
            VALUES (${version!.id}, 'os', 'OS', 'enum', '["linux","windows"]'::jsonb)`;
  const relTypes = await sql<{ id: string; code: string }[]>`
    INSERT INTO cmdb_relationship_types (code, name) SELECT 'bx_' || ${tag} || '_' || i, 'bench' FROM generate_series(0, 3) i RETURNING id, code`;
  const whs = await sql<{ id: string; code: string }[]>`
    INSERT INTO warehouses (code, name) SELECT 'BXW-' || ${tag} || '-' || i, 'bench' FROM generate_series(0, 3) i RETURNING id, code`;
  const partsPerWarehouse = Math.ceil(rows / whs.length);
  const parts = await sql<{ id: string; part_code: string }[]>`
    INSERT INTO spare_parts (part_code, name) SELECT 'BXP-' || ${tag} || '-' || i, 'bench' FROM generate_series(0, ${partsPerWarehouse - 1}) i RETURNING id, part_code`;

  const handle = await createDb({ url: url!, max: 1, statementTimeout: 0 });
  // The handle has one connection: the backend every import of this run uses.
  const [{ pid }] = (await dbRows<{ pid: number }>(handle.db, dsql`SELECT pg_backend_pid() AS pid`)) as [
    { pid: number },
  ];
  const loadBefore = loadavg();
  const rates: Record<string, { ours: Run[]; bare: Run[] }> = {
    cis: { ours: [], bare: [] },
    relationships: { ours: [], bare: [] },
    stock: { ours: [], bare: [] },
  };
  const ciSets: { ids: string[]; codes: string[] }[] = [];
  try {
    const order = ["bare", "ours", "ours", "bare"] as const;
    // CIs (their rows are the relationships' ends).
    for (const [run, side] of order.entries()) {
      const codes = Array.from({ length: rows }, (_, k) => `BX-${tag}-${run}-${k}`);
      if (side === "ours") {
        let body = "ci_code,name,type_id,attributes\n";
        for (const [k, c] of codes.entries())
          body += `${c},ci ${k},bx_${tag},"{""cpu_cores"": ${(k % 64) + 1}, ""os"": ""linux""}"\n`;
        const path = file(`cis${run}.csv`, body);
        rates.cis!.ours.push(
          await timed(async () => expectAll("cis", await importCis(handle.db, createReadStream(path))), pid),
        );
        const ids = await sql<
          { id: string; ci_code: string }[]
        >`SELECT id, ci_code FROM cmdb_cis WHERE ci_code LIKE ${`BX-${tag}-${run}-%`}`;
        const byCode = new Map(ids.map((r) => [r.ci_code, r.id]));
        ciSets.push({ ids: codes.map((c) => byCode.get(c)!), codes });
      } else {
        const ids = codes.map(() => randomUUID());
        let cis = "";
        let values = "";
        for (const [k, c] of codes.entries()) {
          cis += `${ids[k]},${c},ci ${k},${type!.id}\n`;
          values += `${ids[k]},${version!.id},cpu_cores,${(k % 64) + 1}\n${ids[k]},${version!.id},os,"""linux"""\n`;
        }
        const a = file(`cis${run}.bare.csv`, cis);
        const b = file(`cis${run}.values.csv`, values);
        rates.cis!.bare.push(
          await timed(() =>
            psqlCpu([
              `\\copy cmdb_cis (id, ci_code, name, type_id) FROM '${a}' WITH (FORMAT csv)`,
              `\\copy cmdb_ci_attr_values (ci_id, version_id, key, value) FROM '${b}' WITH (FORMAT csv)`,
            ]),
          ),
        );
        ciSets.push({ ids, codes });
      }
    }
    // Relationships: CI k -> CI k+1 of one set (wrapping), a type of their own per run.
    for (const [run, side] of order.entries()) {
      const set = ciSets[run]!;
      const rel = relTypes[run]!;
      if (side === "ours") {
        let body = "rel_type_id,from_ci_id,to_ci_id\n";
        for (let k = 0; k < rows; k++) body += `${rel.code},${set.codes[k]},${set.codes[(k + 1) % rows]}\n`;
        const path = file(`rels${run}.csv`, body);
        rates.relationships!.ours.push(
          await timed(
            async () =>
              expectAll("relationships", await importRelationships(handle.db, createReadStream(path))),
            pid,
          ),
        );
      } else {
        let body = "";
        for (let k = 0; k < rows; k++) body += `${rel.id},${set.ids[k]},${set.ids[(k + 1) % rows]}\n`;
        const path = file(`rels${run}.bare.csv`, body);
        rates.relationships!.bare.push(
          await timed(() =>
            psqlCpu([
              `\\copy cmdb_relationships (rel_type_id, from_ci_id, to_ci_id) FROM '${path}' WITH (FORMAT csv)`,
            ]),
          ),
        );
      }
    }
    // Opening stock: every (warehouse, part) pair once per run.
    for (const [run, side] of order.entries()) {
      const pairs: [number, number][] = [];
      for (let w = 0; w < whs.length && pairs.length < rows; w++)
        for (let p = 0; p < parts.length && pairs.length < rows; p++) pairs.push([w, p]);
      if (side === "ours") {
        let body = "warehouse_id,part_id,qty,unit_cost\n";
        for (const [w, p] of pairs) body += `${whs[w]!.code},${parts[p]!.part_code},${(p % 20) + 1},9.99\n`;
        const path = file(`stock${run}.csv`, body);
        rates.stock!.ours.push(
          await timed(
            async () =>
              expectAll(
                "stock",
                await importStock(handle.db, createReadStream(path), { ref: `bx-${tag}-${run}` }),
              ),
            pid,
          ),
        );
      } else {
        const docId = randomUUID();
        let body = "";
        for (const [, p] of pairs) body += `${docId},${parts[p]!.id},${(p % 20) + 1},9.99\n`;
        const path = file(`stock${run}.bare.csv`, body);
        rates.stock!.bare.push(
          await timed(() =>
            psqlCpu([
              `INSERT INTO stock_documents (id, doc_type, code, status, warehouse_id) VALUES ('${docId}', 'receipt', 'bx-${tag}-bare-${run}', 'draft', '${whs[0]!.id}');`,
              `\\copy stock_document_lines (document_id, part_id, qty, unit_cost) FROM '${path}' WITH (FORMAT csv)`,
            ]),
          ),
        );
      }
    }
  } finally {
    await handle.close();
    await sql.end();
    rmSync(dir, { recursive: true, force: true });
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const cpu = (xs: Run[]) => (xs.some((x) => x.cpu === null) ? null : mean(xs.map((x) => x.cpu!)));
  console.log(
    `${rows} rows per run; load average ${loadBefore.map((l) => l.toFixed(1)).join(" ")} before, ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} after. Per run: rows/s and the server backend's CPU (ms); mean ratios ours/bare`,
  );
  for (const [kind, r] of Object.entries(rates)) {
    const ratio = mean(r.ours.map((x) => x.rate)) / mean(r.bare.map((x) => x.rate));
    const [ours, bare] = [cpu(r.ours), cpu(r.bare)];
    const show = (xs: Run[]) => xs.map((x) => `${Math.round(x.rate)}/s ${x.cpu ?? "?"} ms`).join(", ");
    console.log(
      `import.${kind}: ours ${show(r.ours)} | bare ${show(r.bare)}  rate ratio ${ratio.toFixed(3)} (bare is ${(1 / ratio).toFixed(1)}x faster)` +
        (ours && bare ? `; server CPU bare/ours ${(bare / ours).toFixed(3)}` : ""),
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
