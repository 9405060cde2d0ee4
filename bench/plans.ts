/**
 * Which tables a query reads, and how: the package's own statements are captured as they are sent
 * (postgres.js `debug` hook under a drizzle instance), then planned with EXPLAIN (FORMAT JSON) and
 * the same parameters. A scan of a big table is served by an index when the index bounds it (Index
 * Cond / Recheck Cond), or when it is an ordered index scan under a Limit with no filter (a keyset
 * page). Anything else reads the table, or the whole of an index, row by row.
 */
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Database } from "../src/db.js";
import * as schema from "../src/schema/index.js";

/** Tables that grow with the estate (thousands of rows at factor 0.01, up to millions at 1). */
export const BIG_TABLES = new Set([
  "assets",
  "asset_events",
  "asset_assignments",
  "locations",
  "cmdb_cis",
  "cmdb_ci_attr_values",
  "cmdb_relationships",
  "stock_documents",
  "stock_document_lines",
  "spare_part_movements",
]);

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  "Recheck Cond"?: string;
  Filter?: string;
  Plans?: PlanNode[];
}

export interface Scan {
  table: string;
  node: string;
  index: string | null;
  /** The condition that bounds it, or null. */
  bound: string | null;
  filter: string | null;
  indexed: boolean;
  /** The node above it ("Limit" when the index order alone serves a LIMIT: no Sort between). */
  parent: string | null;
}

const SCANS = new Set(["Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Bitmap Index Scan"]);

/** Scans of big tables in a plan tree, each judged. */
export function bigTableScans(root: PlanNode): Scan[] {
  const out: Scan[] = [];
  const walk = (node: PlanNode, parent: PlanNode | null) => {
    const table = node["Relation Name"];
    if (SCANS.has(node["Node Type"]) && table && BIG_TABLES.has(table)) {
      const bound = node["Index Cond"] ?? node["Recheck Cond"] ?? null;
      const keysetPage =
        node["Node Type"] !== "Seq Scan" && !node.Filter && parent?.["Node Type"] === "Limit";
      out.push({
        table,
        node: node["Node Type"],
        index: node["Index Name"] ?? null,
        bound,
        filter: node.Filter ?? null,
        indexed: node["Node Type"] !== "Seq Scan" && (bound !== null || keysetPage),
        parent: parent?.["Node Type"] ?? null,
      });
    }
    for (const child of node.Plans ?? []) walk(child, node);
  };
  walk(root, null);
  return out;
}

export interface PlannedStatement {
  sql: string;
  scans: Scan[];
}

const NOT_PLANNABLE = /^\s*(begin|commit|rollback|savepoint|release|set|show)\b/i;

/**
 * Run `operation` on a drizzle database whose every statement is recorded, then EXPLAIN each
 * recorded statement with its parameters on another connection.
 */
export async function planOf(
  url: string,
  operation: (db: Database) => Promise<unknown>,
): Promise<PlannedStatement[]> {
  const sent: { query: string; params: unknown[] }[] = [];
  const client = postgres(url, {
    max: 1,
    onnotice: () => {},
    debug: (_connection, query, params) => {
      if (!NOT_PLANNABLE.test(query)) sent.push({ query, params: [...params] });
    },
  });
  const explain = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await operation(drizzle(client, { schema }) as unknown as Database);
    const out: PlannedStatement[] = [];
    for (const s of sent) {
      const [row] = await explain.unsafe<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>(
        `EXPLAIN (FORMAT JSON) ${s.query}`,
        s.params as postgres.ParameterOrJSON<never>[],
      );
      const plan = row?.["QUERY PLAN"][0]?.Plan;
      if (plan) out.push({ sql: s.query, scans: bigTableScans(plan) });
    }
    return out;
  } finally {
    await Promise.all([client.end(), explain.end()]);
  }
}

/** The scans of big tables not served by an index, over every statement of an operation. */
export const unindexed = (statements: PlannedStatement[]) =>
  statements.flatMap((s) => s.scans.filter((x) => !x.indexed));

export function describeScan(s: Scan): string {
  const how = s.index ? `${s.node} on ${s.index}` : s.node;
  const why = s.filter ? ` filter ${s.filter}` : s.bound ? ` bound ${s.bound}` : "";
  return `${s.table}: ${how}${why}`;
}

export interface PlanFinding {
  name: string;
  indexed: boolean;
  unindexed: string[];
}

/** The plan of every read case (first sample input) and of both impact directions. */
export async function benchPlans(url: string): Promise<PlanFinding[]> {
  const { READ_CASES, readSamples } = await import("./reads.js");
  const { impactRoots, oursImpact } = await import("./impact.js");
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const samples = await readSamples(sql, 3);
    const roots = await impactRoots(sql, 1);
    const findings: PlanFinding[] = [];
    const record = async (name: string, operation: (db: Database) => Promise<unknown>) => {
      const bad = unindexed(await planOf(url, operation)).map(describeScan);
      findings.push({ name, indexed: bad.length === 0, unindexed: [...new Set(bad)] });
    };
    for (const c of READ_CASES) {
      const [input] = c.inputs(samples);
      if (input !== undefined) await record(c.name, (db) => c.ours(db, input));
    }
    const { latestReceiptCosts } = await import("../src/queries/warehouse/repair-orders.js");
    const [receipt] = await sql<{ warehouse_id: string; part_id: string }[]>`
      SELECT warehouse_id, part_id FROM spare_part_movements
       WHERE movement_type = 'in' AND unit_cost IS NOT NULL ORDER BY created_at DESC LIMIT 1`;
    if (receipt) {
      await record("repair.latest_receipt_cost", (db) =>
        latestReceiptCosts(db, receipt.warehouse_id, [receipt.part_id]),
      );
    }
    await record("impact.dependents.d4", (db) =>
      oursImpact(db, "dependents", roots.dependents[0] ?? roots.hub.id),
    );
    await record("impact.dependencies.d4", (db) =>
      oursImpact(db, "dependencies", roots.dependencies[0] ?? roots.hub.id),
    );
    return findings;
  } finally {
    await sql.end();
  }
}
