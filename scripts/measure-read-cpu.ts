/**
 * Client CPU per call of the package's asset reads against the bench's bare postgres.js statements
 * (bench/reads.ts), interleaved in one process on one connection each: for every case, rounds of
 * `calls` calls of one side then the other (the order alternating per round), each timed by
 * `process.cpuUsage()` (user + system). Prints, per side, the minimum and the median per-call CPU
 * over the rounds, and the ratios of both. CPU resists the shared machine's load better than
 * wall-clock latency, and the minimum best: other processes only ever add to a round's CPU (cache
 * and scheduler contention), never take from it.
 *
 *   npx tsx scripts/measure-read-cpu.ts <url> [rounds] [calls] [case,case...] [--src <dir of src>]
 *
 * `--src /path/to/other/checkout/src` measures another checkout's package with the same driver
 * script (before/after). Not part of CI: a measurement.
 */
import postgres from "postgres";
import { EXIT } from "../src/errors/exit-codes.js";

const args = process.argv.slice(2);
const srcAt = args.indexOf("--src");
const src = srcAt >= 0 ? args.splice(srcAt, 2)[1] : undefined;
const [url, roundsArg, callsArg, only] = args;
if (!url) {
  console.error("usage: npx tsx scripts/measure-read-cpu.ts <url> [rounds] [calls] [cases] [--src dir]");
  process.exit(EXIT.usage);
}
const rounds = Number(roundsArg ?? 30);
const calls = Number(callsArg ?? 100);
const base = src ? `${src.replace(/\/$/, "")}` : "../src";

const { createDb } = (await import(`${base}/db.js`)) as typeof import("../src/db.js");
// The cases' `ours` call the package of this checkout; with --src, rebuild them on the other one.
const reads = (await import("../bench/reads.js")) as typeof import("../bench/reads.js");
const pkg = (await import(`${base}/queries/index.js`)) as typeof import("../src/queries/index.js");

const handle = await createDb({ url, max: 1 });
const sql = postgres(url, { max: 1, onnotice: () => {} });
const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

try {
  const samples = await reads.readSamples(sql, 200);
  const wanted = only ? new Set(only.split(",")) : undefined;
  for (const c of reads.READ_CASES) {
    if (wanted && !wanted.has(c.name)) continue;
    const inputs = c.inputs(samples);
    if (inputs.length === 0) continue;
    const ours = src ? oursOn(c.name, pkg) : c.ours;
    const run = async (side: "ours" | "bare") => {
      const start = cpu();
      for (let i = 0; i < calls; i++) {
        const input = inputs[i % inputs.length];
        await (side === "ours" ? ours(handle.db, input) : c.bare(sql, input));
      }
      return (cpu() - start) / calls;
    };
    await run("ours");
    await run("bare");
    const o: number[] = [];
    const b: number[] = [];
    const r: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const first = i % 2 === 0 ? "ours" : "bare";
      const x = await run(first);
      const y = await run(first === "ours" ? "bare" : "ours");
      const [ou, ba] = first === "ours" ? [x, y] : [y, x];
      o.push(ou);
      b.push(ba);
      r.push(ou / ba);
    }
    const min = (xs: number[]) => Math.min(...xs);
    console.log(
      `${c.name.padEnd(24)} min ours ${min(o).toFixed(1).padStart(6)} bare ${min(b).toFixed(1).padStart(6)} us ratio ${(min(o) / min(b)).toFixed(2)} | median ours ${median(o).toFixed(1).padStart(6)} bare ${median(b).toFixed(1).padStart(6)} us, ratio ${median(r).toFixed(2)}`,
    );
  }
} finally {
  await Promise.all([handle.close(), sql.end()]);
}

/** The case's package call on another checkout's query functions (the same inputs as bench/reads.ts). */
function oursOn(
  name: string,
  q: typeof import("../src/queries/index.js"),
): (db: unknown, input: unknown) => Promise<unknown> {
  const fns: Record<string, (db: never, input: never) => Promise<unknown>> = {
    "asset.get": (db, a: { id: string }) => q.getAsset(db, { id: a.id }),
    "asset.by_code": (db, a: { code: string }) => q.findAssetByCode(db, { assetCode: a.code }),
    "search.serial": (db, a: { serial: string }) =>
      q.searchAssets(db, { serial: a.serial.toLowerCase(), limit: 50 }),
    "list.page": (db, a: { code: string; id: string }) =>
      q.searchAssets(db, { cursor: q.encodeCursor([a.code, a.id]), limit: 50 }),
  };
  const fn = fns[name];
  if (!fn) throw new Error(`--src: no call for ${name}`);
  return fn as (db: unknown, input: unknown) => Promise<unknown>;
}
