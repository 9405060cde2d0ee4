/**
 * Writes of assets: createAsset in a loop (one connection, then 8 workers) against the bare
 * equivalent (one statement inserting the asset and its `created` event), and bulk import, for
 * which the package has no path yet: its baseline (COPY of the same rows) is measured alone so the
 * import issue has a figure to beat. Rows created here are coded BENCH-* and deleted afterwards.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import { createDb } from "../src/db.js";
import { createAsset } from "../src/queries/index.js";
import { type Measure, now, throughput } from "./measure.js";

interface Template {
  modelId: string;
  locationId: string;
}

async function template(sql: postgres.Sql): Promise<Template> {
  const [row] = await sql<{ model_id: string; location_id: string }[]>`
    SELECT model_id, location_id FROM assets WHERE model_id IS NOT NULL AND location_id IS NOT NULL ORDER BY id LIMIT 1`;
  if (!row) throw new Error("the data set has no asset to copy a model and location from");
  return { modelId: row.model_id, locationId: row.location_id };
}

const code = (tag: string, worker: number, i: number) => `BENCH-${tag}-${worker}-${i}`;

async function loop(
  workers: number,
  perWorker: number,
  body: (worker: number, i: number) => Promise<void>,
): Promise<number> {
  const start = now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = 0; i < perWorker; i++) await body(w, i);
    }),
  );
  return (workers * perWorker) / ((now() - start) / 1000);
}

export async function benchWrites(
  url: string,
  o: { perWorker: number; importRows: number },
): Promise<Measure[]> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const measures: Measure[] = [];
  try {
    await admin`DELETE FROM assets WHERE asset_code LIKE 'BENCH-%'`;
    const t = await template(admin);
    for (const workers of [1, 8]) {
      const tag = `${Date.now().toString(36)}w${workers}`;
      const handle = await createDb({ url, max: workers });
      const raw = postgres(url, { max: workers, onnotice: () => {} });
      try {
        await raw`select 1`;
        const bare = await loop(workers, o.perWorker, async (w, i) => {
          await raw`
            WITH a AS (
              INSERT INTO assets (asset_code, model_id, location_id, status)
              VALUES (${code(`${tag}r`, w, i)}, ${t.modelId}, ${t.locationId}, 'in_stock') RETURNING id, asset_code)
            INSERT INTO asset_events (asset_id, event_type, payload)
            SELECT id, 'created', jsonb_build_object('assetCode', asset_code, 'status', 'in_stock') FROM a`;
        });
        const ours = await loop(workers, o.perWorker, async (w, i) => {
          await createAsset(handle.db, {
            assetCode: code(`${tag}o`, w, i),
            modelId: t.modelId,
            locationId: t.locationId,
          });
        });
        measures.push(
          throughput(
            workers === 1 ? "create_asset.loop" : `create_asset.loop${workers}`,
            "rows/s",
            ours,
            bare,
            `${workers} connection(s) x ${o.perWorker} createAsset calls; baseline: one INSERT ... RETURNING + event statement per asset`,
          ),
        );
      } finally {
        await Promise.all([handle.close(), raw.end()]);
      }
    }
    measures.push(await importBaseline(admin, t, o.importRows));
    await admin`DELETE FROM assets WHERE asset_code LIKE 'BENCH-%'`;
  } finally {
    await admin.end();
  }
  return measures;
}

/** COPY of asset rows (the `\copy` of an operator) inside a transaction rolled back afterwards. */
async function importBaseline(sql: postgres.Sql, t: Template, rows: number): Promise<Measure> {
  const tag = Date.now().toString(36);
  let rate = 0;
  await sql
    .begin(async (tx) => {
      const start = now();
      const writable =
        await tx`COPY assets (asset_code, model_id, location_id, status) FROM STDIN`.writable();
      async function* lines() {
        for (let i = 0; i < rows; i += 1000) {
          let chunk = "";
          for (let k = i; k < Math.min(rows, i + 1000); k++)
            chunk += `BENCH-${tag}-imp-${k}\t${t.modelId}\t${t.locationId}\tin_stock\n`;
          yield chunk;
        }
      }
      await pipeline(Readable.from(lines()), writable);
      rate = rows / ((now() - start) / 1000);
      throw new RollbackSignal();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RollbackSignal)) throw error;
    });
  return throughput(
    "import.assets",
    "rows/s",
    null,
    rate,
    `placeholder until the bulk-import issue: the package has no import path; baseline = COPY of ${rows} asset rows (no events)`,
  );
}

class RollbackSignal extends Error {}
