/**
 * The package through PgBouncer in transaction mode against the package direct, same data, same
 * process: a PgBouncer is started for the run (scripts/lib/local-servers.ts, ports 6433-6439) in
 * front of the bench server. The baseline here is the direct connection, so the ratio is the
 * pooler's overhead. Skipped (no measures, a line on the log) when pgbouncer is not installed.
 *   pooler.get: getAsset latency, one client (an extra network hop per query);
 *   pooler.mix8: 8 clients, each looping getAsset + searchAssets (code prefix) + createAsset, in
 *   ops/s, with PgBouncer holding 8 server connections (default_pool_size).
 */
import postgres from "postgres";
import { startPgBouncer } from "../scripts/lib/local-servers.js";
import { createDb, type Database } from "../src/db.js";
import { createAsset, getAsset, searchAssets } from "../src/queries/index.js";
import { latency, type Measure, now, paired, quantile, throughput } from "./measure.js";

const CLIENTS = 8;

async function mix(db: Database, ids: string[], rounds: number, tag: string): Promise<number> {
  const start = now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; i < rounds; i++) {
        const id = ids[(c * rounds + i) % ids.length] as string;
        await getAsset(db, { id });
        await searchAssets(db, { code: "AST-0001", limit: 20 });
        await createAsset(db, { assetCode: `BENCH-POOL-${tag}-${c}-${i}` });
      }
    }),
  );
  return (CLIENTS * rounds * 3) / ((now() - start) / 1000);
}

export async function benchPooler(
  url: string,
  samples: number,
  log: (line: string) => void,
): Promise<Measure[]> {
  const u = new URL(url);
  const started = await startPgBouncer({
    upstream: { host: u.hostname, port: Number(u.port || 5432) },
    ports: [6433, 6439],
    poolSize: CLIENTS,
  });
  if (!started.ok) {
    log(`pooler: skipped (${started.skip})`);
    return [];
  }
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const direct = await createDb({ url, max: CLIENTS });
  const pooled = await createDb({ url: started.via(url), pooler: "transaction", max: CLIENTS });
  try {
    const ids = (await admin<{ id: string }[]>`SELECT id FROM assets ORDER BY id LIMIT ${samples}`).map(
      (r) => r.id,
    );
    const get = await paired(
      ids,
      (id) => getAsset(pooled.db, { id }),
      (id) => getAsset(direct.db, { id }),
      (a, b) => {
        if (a?.id !== b?.id) throw new Error("pooler.get: the two sides read different rows");
      },
    );
    const rounds = Math.max(10, samples);
    const tag = Date.now().toString(36);
    // Four runs per side, alternating which goes first; the median of each side.
    const rates = { direct: [] as number[], pooled: [] as number[] };
    for (let rep = 0; rep < 4; rep++) {
      for (const side of rep % 2 === 0 ? (["direct", "pooled"] as const) : (["pooled", "direct"] as const)) {
        rates[side].push(
          await mix(side === "direct" ? direct.db : pooled.db, ids, rounds, `${tag}${side}${rep}`),
        );
      }
    }
    await admin`DELETE FROM assets WHERE asset_code LIKE 'BENCH-POOL-%'`;
    return [
      latency("pooler.get", get.ours, get.bare, "getAsset through PgBouncer (transaction mode) vs direct"),
      throughput(
        "pooler.mix8",
        "ops/s",
        quantile(rates.pooled, 0.5),
        quantile(rates.direct, 0.5),
        `${CLIENTS} clients x ${rounds} x (getAsset + searchAssets + createAsset) through PgBouncer ${CLIENTS} server connections vs direct ${CLIENTS} connections (median of 4 runs per side, alternating)`,
      ),
    ];
  } finally {
    await Promise.all([direct.close(), pooled.close(), admin.end()]);
    await started.stop();
  }
}
