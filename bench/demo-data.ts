/** Impact analysis on the project's demo data set (seed/demo.ts) loaded into the scratch database. */
import { sql } from "drizzle-orm";
import { seedDemo } from "../seed/index.js";
import { rows } from "../src/db.js";
import { benchImpact } from "./impact.js";
import type { Scratch } from "./scratch.js";

export async function benchDemoData(scratch: Scratch, depth: number, samples: number): Promise<void> {
  try {
    // force: the scratch database was created by this run, whatever the server's host.
    await seedDemo(scratch.handle.db, { url: scratch.url, force: true });
  } catch (error) {
    console.log(`  demo data set: skipped (${error instanceof Error ? error.message : String(error)})`);
    return;
  }
  const [counts] = await rows<{ cis: number; rels: number }>(
    scratch.handle.db,
    sql`select (select count(*)::int from cmdb_cis) cis, (select count(*)::int from cmdb_relationships) rels`,
  );
  const ends = async (column: "from_ci_id" | "to_ci_id") =>
    (
      await rows<{ id: string }>(
        scratch.handle.db,
        sql`select distinct ${sql.raw(column)} id from cmdb_relationships order by 1 limit ${samples}`,
      )
    ).map((r) => r.id);
  console.log(`impact analysis latency (demo data set: ${counts?.cis} CIs, ${counts?.rels} relationships):`);
  await benchImpact(
    scratch.url,
    [
      { label: "demo data", direction: "dependencies", roots: await ends("from_ci_id") },
      { label: "demo data", direction: "dependents", roots: await ends("to_ci_id") },
    ],
    depth,
  );
}
