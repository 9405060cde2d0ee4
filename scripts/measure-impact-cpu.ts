/**
 * Client CPU per call of impactAnalysis against the bench's bare postgres.js recursive CTEs
 * (bench/impact.ts, "bfs" and "paths"), timed as the bench times them: one call at a time, each by
 * `process.cpuUsage()` (user + system), the sides in an order rotating per root, over the bench's
 * roots at depth 4, each root read once untimed by every side first. A round is one pass over the
 * roots; per round and side the median per-call CPU is taken, and the report gives, per side, the
 * median of those over the rounds and the median per-round ratio to the cheaper bare variant.
 *
 * The per-call figure is what the bench's `.client_cpu` rows report. It depends on more than the
 * instructions a call runs: between two calls of one side the other sides (and the server, and
 * whatever else shares the cores) run, so a call starts with cold caches and pays for every cache
 * line of code and data it touches; a call loop of one side alone hides that.
 *
 *   npx tsx scripts/measure-impact-cpu.ts <url> [rounds] [--src <dir of src>]...
 *
 * Each `--src /path/to/other/checkout/src` adds that checkout's impactAnalysis as one more side
 * (before/after in one process, on its own connection). Not part of CI: a measurement.
 */
import postgres from "postgres";
import { bareImpact, IMPACT_DEPTH, type ImpactRoots, impactRoots, sameImpact } from "../bench/impact.js";
import { JIT_WARMUP_CALLS, warmUp } from "../bench/measure.js";
import { EXIT } from "../src/errors/exit-codes.js";
import type { ImpactDirection } from "../src/queries/index.js";

const args = process.argv.slice(2);
const srcs: string[] = [];
for (let at = args.indexOf("--src"); at >= 0; at = args.indexOf("--src")) {
  srcs.push(...args.splice(at, 2).slice(1));
}
const [url, roundsArg] = args;
if (!url) {
  console.error("usage: npx tsx scripts/measure-impact-cpu.ts <url> [rounds] [--src dir]...");
  process.exit(EXIT.usage);
}
const rounds = Number(roundsArg ?? 3);

type Impact = (
  db: never,
  input: { ciId: string; direction: ImpactDirection; maxDepth: number },
) => Promise<{
  reached: { ciId: string; depth: number; relationshipId: string }[];
}>;
interface Package {
  name: string;
  db: unknown;
  impactAnalysis: Impact;
  close: () => Promise<void>;
}
const packages: Package[] = [];
for (const [i, base] of ["../src", ...srcs.map((s) => s.replace(/\/$/, ""))].entries()) {
  const { createDb } = (await import(`${base}/db.js`)) as typeof import("../src/db.js");
  const q = (await import(`${base}/queries/index.js`)) as typeof import("../src/queries/index.js");
  const handle = await createDb({ url, max: 1 });
  packages.push({
    name: i === 0 ? "ours" : `src${i}`,
    db: handle.db,
    impactAnalysis: q.impactAnalysis as unknown as Impact,
    close: handle.close,
  });
}
const sql = postgres(url, { max: 1, onnotice: () => {} });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

try {
  const roots: ImpactRoots = await impactRoots(sql, 100);
  for (const direction of ["dependents", "dependencies"] as const) {
    const inputs = roots[direction];
    const sides = new Map<string, (root: string) => Promise<unknown>>();
    for (const p of packages) {
      sides.set(
        p.name,
        async (root) =>
          (await p.impactAnalysis(p.db as never, { ciId: root, direction, maxDepth: IMPACT_DEPTH })).reached,
      );
    }
    sides.set("bfs", (root) => bareImpact(sql, "bfs", direction, root));
    sides.set("paths", (root) => bareImpact(sql, "paths", direction, root));
    const names = [...sides.keys()];
    // Same results, then the bench's JIT warm-up.
    for (const root of inputs.slice(0, 20)) {
      const bare = await bareImpact(sql, "bfs", direction, root);
      for (const p of packages) {
        sameImpact(root, (await sides.get(p.name)?.(root)) as Awaited<ReturnType<Impact>>["reached"], bare);
      }
    }
    await warmUp(inputs, JIT_WARMUP_CALLS, async (root) => {
      for (const name of names) await sides.get(name)?.(root);
    });
    const perRound = new Map(names.map((n) => [n, [] as number[]]));
    const ratios = new Map(names.map((n) => [n, [] as number[]]));
    for (let round = 0; round < rounds; round++) {
      const cpu = new Map(names.map((n) => [n, [] as number[]]));
      for (const [i, root] of inputs.entries()) {
        for (const name of names) await sides.get(name)?.(root);
        for (let k = 0; k < names.length; k++) {
          const name = names[(i + k) % names.length] as string;
          const start = process.cpuUsage();
          await sides.get(name)?.(root);
          const used = process.cpuUsage(start);
          cpu.get(name)?.push((used.user + used.system) / 1000);
        }
      }
      const p50 = new Map(names.map((n) => [n, median(cpu.get(n) ?? [])]));
      const best = Math.min(p50.get("bfs") ?? Number.NaN, p50.get("paths") ?? Number.NaN);
      for (const n of names) {
        perRound.get(n)?.push(p50.get(n) ?? Number.NaN);
        ratios.get(n)?.push((p50.get(n) ?? Number.NaN) / best);
      }
    }
    console.log(
      `${direction.padEnd(12)} ${names
        .map(
          (n) =>
            `${n} ${median(perRound.get(n) ?? []).toFixed(3)} ms (${median(ratios.get(n) ?? []).toFixed(2)})`,
        )
        .join(" | ")}   [per-round ratios of ${packages.map((p) => p.name).join(", ")}: ${packages
        .map((p) => (ratios.get(p.name) ?? []).map((r) => r.toFixed(2)).join(" "))
        .join(" / ")}]`,
    );
  }
} finally {
  await Promise.all([...packages.map((p) => p.close()), sql.end()]);
}
