import postgres from "postgres";
import { createDb, type Database } from "../src/db.js";
import { type ImpactDirection, impactAnalysis } from "../src/queries/index.js";
import { latency, type Measure, now, quantile, warmUp, warmupCalls } from "./measure.js";

export const IMPACT_DEPTH = 4;

const SELECT_REACHED = `
    SELECT c.id AS ci_id, c.ci_code, c.name, t.code AS type_code, c.status, c.environment,
           x.depth, x.rel_id, rt.code AS rel_code, x.via_ci_id
      FROM reached x
      JOIN cmdb_cis c ON c.id = x.ci_id
      LEFT JOIN cmdb_ci_types t ON t.id = c.type_id
      LEFT JOIN cmdb_relationship_types rt ON rt.id = x.rel_type_id
     ORDER BY x.depth, c.ci_code`;

/** The breadth-first bare query (parameters: root, max depth). */
export function bfsImpactSql(direction: ImpactDirection): string {
  const [near, far] = direction === "dependencies" ? ["from_ci_id", "to_ci_id"] : ["to_ci_id", "from_ci_id"];
  return `
    WITH RECURSIVE walk(ci_id, depth, rel_id, rel_type_id, via_ci_id) AS (
      SELECT r.${far}, 1, r.id, r.rel_type_id, r.${near} FROM cmdb_relationships r
       WHERE r.${near} = $1 AND r.${far} <> $1 AND coalesce(r.status, 'active') = 'active'
      UNION
      SELECT r.${far}, w.depth + 1, r.id, r.rel_type_id, r.${near} FROM walk w
        JOIN cmdb_relationships r ON r.${near} = w.ci_id
       WHERE w.depth < $2 AND r.${far} <> $1 AND coalesce(r.status, 'active') = 'active'
    ), reached AS (
      SELECT DISTINCT ON (ci_id) ci_id, depth, rel_id, rel_type_id, via_ci_id FROM walk ORDER BY ci_id, depth, rel_id
    )${SELECT_REACHED}`;
}

/** The path-carrying bare query: each walk carries its path and never re-enters a CI on it. */
export function pathsImpactSql(direction: ImpactDirection): string {
  const [near, far] = direction === "dependencies" ? ["from_ci_id", "to_ci_id"] : ["to_ci_id", "from_ci_id"];
  return `
    WITH RECURSIVE walk(ci_id, depth, path, rel_id, rel_type_id, via_ci_id) AS (
      SELECT r.${far}, 1, ARRAY[r.${near}, r.${far}], r.id, r.rel_type_id, r.${near} FROM cmdb_relationships r
       WHERE r.${near} = $1::uuid AND r.${far} <> r.${near} AND coalesce(r.status, 'active') = 'active'
      UNION ALL
      SELECT r.${far}, w.depth + 1, w.path || r.${far}, r.id, r.rel_type_id, r.${near} FROM walk w
        JOIN cmdb_relationships r ON r.${near} = w.ci_id
       WHERE w.depth < $2::int AND r.${far} <> ALL (w.path) AND coalesce(r.status, 'active') = 'active'
    ), reached AS (
      SELECT DISTINCT ON (ci_id) ci_id, depth, rel_id, rel_type_id, via_ci_id FROM walk ORDER BY ci_id, depth, rel_id
    )${SELECT_REACHED}`;
}

interface BareRow {
  ci_id: string;
  depth: number;
  rel_id: string;
}

export type BareVariant = "bfs" | "paths";

export async function bareImpact(
  sql: postgres.Sql,
  variant: BareVariant,
  direction: ImpactDirection,
  root: string,
  depth = IMPACT_DEPTH,
) {
  const text = variant === "bfs" ? bfsImpactSql(direction) : pathsImpactSql(direction);
  return sql.unsafe<BareRow[]>(text, [root, depth], { prepare: true });
}

export async function oursImpact(
  db: Database,
  direction: ImpactDirection,
  root: string,
  depth = IMPACT_DEPTH,
) {
  return (await impactAnalysis(db, { ciId: root, direction, maxDepth: depth })).reached;
}

/** Same CIs at the same depths through the same relationships. */
export function sameImpact(
  root: string,
  ours: Awaited<ReturnType<typeof oursImpact>>,
  bare: BareRow[],
): void {
  const key = (id: string, depth: number, rel: string) => `${id}/${depth}/${rel}`;
  const a = ours.map((r) => key(r.ciId, r.depth, r.relationshipId)).sort();
  const b = bare.map((r) => key(r.ci_id, Number(r.depth), r.rel_id)).sort();
  if (a.join() !== b.join()) {
    throw new Error(
      `impact from ${root}: the package reached ${a.length} CIs, the bare query ${b.length}, or they differ`,
    );
  }
}

export interface ImpactRoots {
  dependencies: string[];
  dependents: string[];
  hub: { id: string; inDegree: number };
}

/** Roots spread over the graph (lowest ids among CIs with edges that way) and the CI with most dependents. */
export async function impactRoots(sql: postgres.Sql, n: number): Promise<ImpactRoots> {
  const ends = async (column: "from_ci_id" | "to_ci_id") =>
    (
      await sql.unsafe<{ id: string }[]>(
        `SELECT c.id FROM cmdb_cis c WHERE EXISTS (SELECT 1 FROM cmdb_relationships r WHERE r.${column} = c.id AND coalesce(r.status, 'active') = 'active') ORDER BY c.id LIMIT ${Number(n)}`,
      )
    ).map((r) => r.id);
  const [hub] = await sql<{ id: string; n: number }[]>`
    SELECT to_ci_id AS id, count(*)::int AS n FROM cmdb_relationships
     WHERE coalesce(status, 'active') = 'active' GROUP BY to_ci_id ORDER BY count(*) DESC, to_ci_id LIMIT 1`;
  if (!hub) throw new Error("the data set has no relationships");
  return {
    dependencies: await ends("from_ci_id"),
    dependents: await ends("to_ci_id"),
    hub: { id: hub.id, inDegree: hub.n },
  };
}

type Sides<T> = { ours: T; bfs: T; paths: T };

/** Timed passes over the roots (each root once per side per pass), within IMPACT_BUDGET_MS. */
export const IMPACT_PASSES = 5;
const IMPACT_BUDGET_MS = 30_000;

/**
 * Time the package and both bare variants on each root, each side on a connection of its own, the
 * order rotating per root and pass. A depth-4 walk from most roots is a few rows read in 0.4-1 ms,
 * and one pass over 100 roots moved the ratio of p50s by 0.1-0.3 between runs of the same code;
 * IMPACT_PASSES passes give each side as many samples per root. Each call's client CPU too
 * (`process.cpuUsage()`): on a loaded machine the wall-clock p50 is mostly waiting for a core,
 * while the client's own work per call (statement building, row decoding and mapping) is what the
 * package adds to the same server work.
 */
async function timeImpact(
  db: Database,
  bare: { bfs: postgres.Sql; paths: postgres.Sql },
  direction: ImpactDirection,
  roots: string[],
  warmup: number,
  passes: number,
): Promise<Sides<number[]> & { cpu: Sides<number[]>; reached: number }> {
  let reached = 0;
  const run = (side: keyof Sides<unknown>, root: string) =>
    side === "ours" ? oursImpact(db, direction, root) : bareImpact(bare[side], side, direction, root);
  // JIT warm-up: see paired() in measure.ts.
  await warmUp(roots, warmup, async (root, first) => {
    const a = await oursImpact(db, direction, root);
    const bfs = await bareImpact(bare.bfs, "bfs", direction, root);
    const paths = await bareImpact(bare.paths, "paths", direction, root);
    if (first) {
      sameImpact(root, a, bfs);
      sameImpact(root, a, paths);
    }
    reached = a.length;
  });
  const t: Sides<number[]> = { ours: [], bfs: [], paths: [] };
  const cpu: Sides<number[]> = { ours: [], bfs: [], paths: [] };
  const sides = ["ours", "bfs", "paths"] as const;
  const started = now();
  timing: for (let pass = 0; pass < passes; pass++) {
    for (const [i, root] of roots.entries()) {
      if ((pass > 0 || i >= 10) && now() - started > IMPACT_BUDGET_MS) break timing;
      const order = sides.map((_, k) => sides[(i + pass + k) % sides.length] as (typeof sides)[number]);
      // On the first pass each connection reads the root once, untimed, in the timed order (see
      // paired()): no side's timed call follows its own untimed one.
      if (pass === 0) for (const side of order) await run(side, root);
      for (const side of order) {
        const cpuStart = process.cpuUsage();
        const start = now();
        await run(side, root);
        t[side].push(now() - start);
        const used = process.cpuUsage(cpuStart);
        cpu[side].push((used.user + used.system) / 1000);
      }
    }
  }
  return { ...t, cpu, reached };
}

/** Dependents and dependencies from `samples` roots each, and a few walks from the hub. */
export async function benchImpact(url: string, samples: number): Promise<Measure[]> {
  const handle = await createDb({ url, max: 1 });
  const bare = {
    bfs: postgres(url, { max: 1, onnotice: () => {} }),
    paths: postgres(url, { max: 1, onnotice: () => {} }),
  };
  try {
    const roots = await impactRoots(bare.bfs, samples);
    const measures: Measure[] = [];
    const cases: [string, ImpactDirection, string[]][] = [
      ["impact.dependents.d4", "dependents", roots.dependents],
      ["impact.dependencies.d4", "dependencies", roots.dependencies],
      ["impact.hub", "dependents", Array.from({ length: 5 }, () => roots.hub.id)],
    ];
    for (const [name, direction, inputs] of cases) {
      const hub = name === "impact.hub";
      const t = await timeImpact(
        handle.db,
        bare,
        direction,
        inputs,
        hub ? 1 : warmupCalls(inputs.length),
        hub ? 1 : IMPACT_PASSES,
      );
      const bfsWins = quantile(t.bfs, 0.5) <= quantile(t.paths, 0.5);
      const detail =
        name === "impact.hub"
          ? `dependents of the CI with most dependents (${roots.hub.inDegree} direct, ${t.reached} reached); `
          : "";
      const other = quantile(bfsWins ? t.paths : t.bfs, 0.5);
      const baseline = bfsWins ? "bfs" : "paths";
      measures.push(
        latency(
          name,
          t.ours,
          t[baseline],
          `${detail}baseline: bare ${bfsWins ? "breadth-first UNION" : "path-carrying"} CTE (the other: ${other.toFixed(2)} ms)`,
        ),
        latency(
          `${name}.client_cpu`,
          t.cpu.ours,
          t.cpu[baseline],
          "client CPU per call (process.cpuUsage), against the same baseline on bare postgres.js",
        ),
      );
    }
    return measures;
  } finally {
    await Promise.all([handle.close(), bare.bfs.end(), bare.paths.end()]);
  }
}
