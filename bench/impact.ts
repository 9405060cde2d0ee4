/**
 * Impact-analysis latency on a demo-sized CMDB graph (~500 CIs in 5 layers, each CI depending on
 * 1-3 CIs of the next layers, plus a few back edges that make cycles), through impactAnalysis and
 * through the bare recursive SQL (the same text impactAnalysis prepares) on postgres.js.
 */
import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { prng } from "../seed/generate.js";
import { createDb, type Database } from "../src/db.js";
import { type ImpactDirection, impactAnalysis, impactSql } from "../src/queries/cmdb/index.js";
import { cmdbCis, cmdbCiTypes, cmdbRelationships, cmdbRelationshipTypes } from "../src/schema/index.js";
import { fmt, now, summarize } from "./stats.js";

const LAYERS = [
  { type: "application", count: 100 },
  { type: "vm", count: 150 },
  { type: "host", count: 100 },
  { type: "network", count: 100 },
  { type: "facility", count: 50 },
] as const;
const REL_CODES = ["depends_on", "runs_on", "hosted_on", "connected_to"] as const;

export interface DemoGraph {
  layers: string[][];
  cis: number;
  relationships: number;
}

export async function buildDemoGraph(db: Database, seed = 42): Promise<DemoGraph> {
  const random = prng(seed).next;
  const types = await db
    .insert(cmdbCiTypes)
    .values(LAYERS.map((l) => ({ code: `bench_${l.type}`, name: l.type })))
    .returning();
  const relTypes = await db
    .insert(cmdbRelationshipTypes)
    .values(REL_CODES.map((code) => ({ code: `bench_${code}`, name: code })))
    .returning();
  const layers: string[][] = [];
  for (const [i, l] of LAYERS.entries()) {
    const rows = await db
      .insert(cmdbCis)
      .values(
        Array.from({ length: l.count }, (_, n) => ({
          typeId: types[i]!.id,
          name: `${l.type}-${n}`,
          ciCode: `BENCH-${l.type.toUpperCase()}-${String(n).padStart(3, "0")}`,
        })),
      )
      .returning({ id: cmdbCis.id });
    layers.push(rows.map((r) => r.id));
  }
  const edges = new Map<string, { relTypeId: string; fromCiId: string; toCiId: string }>();
  const add = (from: string, to: string) => {
    if (from === to) return;
    const relTypeId = relTypes[Math.floor(random() * relTypes.length)]!.id;
    edges.set(`${from}>${to}`, { relTypeId, fromCiId: from, toCiId: to });
  };
  const pick = (xs: string[]) => xs[Math.floor(random() * xs.length)]!;
  for (let i = 0; i < layers.length - 1; i++) {
    for (const ci of layers[i]!) {
      const fanOut = 1 + Math.floor(random() * 3);
      for (let k = 0; k < fanOut; k++) {
        // Mostly the next layer, sometimes two layers down.
        const target = i + 2 < layers.length && random() < 0.2 ? layers[i + 2]! : layers[i + 1]!;
        add(ci, pick(target));
      }
    }
  }
  // Back edges (about 3% of CIs): cycles the walk must survive.
  const all = layers.flat();
  for (let k = 0; k < Math.round(all.length * 0.03); k++) {
    const low = 2 + Math.floor(random() * (layers.length - 2));
    add(pick(layers[low]!), pick(layers[Math.floor(random() * low)]!));
  }
  const list = [...edges.values()];
  for (let i = 0; i < list.length; i += 500)
    await db.insert(cmdbRelationships).values(list.slice(i, i + 500));
  await db.execute(sql`ANALYZE cmdb_relationships; ANALYZE cmdb_cis`);
  return { layers, cis: all.length, relationships: list.length };
}

export interface ImpactBenchResult {
  direction: ImpactDirection;
  maxDepth: number;
  meanReached: number;
  oursMs: ReturnType<typeof summarize>;
  rawMs: ReturnType<typeof summarize>;
}

export interface ImpactCase {
  label: string;
  direction: ImpactDirection;
  roots: string[];
}

/** Cases on the synthetic graph: applications' dependencies, facilities' dependents. */
export function demoGraphCases(graph: DemoGraph, samples: number): ImpactCase[] {
  const pick = (pool: string[]) => Array.from({ length: samples }, (_, i) => pool[(i * 7) % pool.length]!);
  return [
    { label: "synthetic graph", direction: "dependencies", roots: pick(graph.layers[0]!) },
    {
      label: "synthetic graph",
      direction: "dependents",
      roots: pick(graph.layers[graph.layers.length - 1]!),
    },
  ];
}

export async function benchImpact(
  url: string,
  cases: ImpactCase[],
  maxDepth = 5,
): Promise<ImpactBenchResult[]> {
  const handle = await createDb({ url, max: 1 });
  const raw = postgres(url, { max: 1, onnotice: () => {} });
  const dialect = new PgDialect();
  const results: ImpactBenchResult[] = [];
  try {
    for (const { label, direction, roots } of cases) {
      const query = (root: string) =>
        dialect.sqlToQuery(impactSql(direction, sql`${root}::uuid`, sql`${maxDepth}::int`));
      // Warm-up: plan caches and prepared statements on both connections.
      for (const root of roots.slice(0, 5)) {
        await impactAnalysis(handle.db, { ciId: root, direction, maxDepth });
        const q = query(root);
        await raw.unsafe(q.sql, q.params as never[], { prepare: true });
      }
      const ours: number[] = [];
      const bare: number[] = [];
      let reached = 0;
      for (const root of roots) {
        const q = query(root);
        let t = now();
        const rows = await raw.unsafe(q.sql, q.params as never[], { prepare: true });
        bare.push(now() - t);
        t = now();
        const r = await impactAnalysis(handle.db, { ciId: root, direction, maxDepth });
        ours.push(now() - t);
        if (r.reached.length !== rows.length) throw new Error(`result mismatch for ${root}`);
        reached += r.reached.length;
      }
      const result = {
        direction,
        maxDepth,
        meanReached: reached / roots.length,
        oursMs: summarize(ours),
        rawMs: summarize(bare),
      };
      console.log(
        `  ${label}: impact ${direction}, depth ${maxDepth}, ${roots.length} roots, ${fmt(result.meanReached, 1)} CIs reached on average: ` +
          `ours p50 ${fmt(result.oursMs.p50)} ms / p95 ${fmt(result.oursMs.p95)} ms, ` +
          `bare SQL p50 ${fmt(result.rawMs.p50)} ms / p95 ${fmt(result.rawMs.p95)} ms, ` +
          `ours/raw (mean) ${fmt(result.oursMs.mean / result.rawMs.mean)}`,
      );
      results.push(result);
    }
  } finally {
    await raw.end();
    await handle.close();
  }
  return results;
}
