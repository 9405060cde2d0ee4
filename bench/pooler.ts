/**
 * The package through PgBouncer in transaction mode against the package direct, same data, same
 * process: a PgBouncer is started for the run (scripts/lib/local-servers.ts, ports 6433-6439) in
 * front of the bench server. The baseline here is the direct connection, so the ratio is the
 * pooler's overhead. Skipped (no measures, a line on the log) when pgbouncer is not installed.
 *   pooler.get: getAsset latency, one client (an extra network hop per query);
 *   pooler.mix8: 8 clients, each looping getAsset + searchAssets (code prefix) + createAsset, in
 *   ops/s, with PgBouncer holding 8 server connections (default_pool_size);
 *   pooler.mix<n> (with `--pooler-clients <n>`, n other than 8): the same loop on n clients through
 *   the same 8 server connections vs n direct connections: what an operator gets from putting more
 *   application connections than server connections behind the pooler.
 */
import postgres from "postgres";
import { startPgBouncer } from "../scripts/lib/local-servers.js";
import { createDb, type Database } from "../src/db.js";
import { createAsset, getAsset, searchAssets } from "../src/queries/index.js";
import { latency, type Measure, now, paired, quantile, throughput } from "./measure.js";

/** Server connections PgBouncer holds (default_pool_size), and the clients of pooler.mix8. */
const SERVER_CONNECTIONS = 8;

async function mix(
  db: Database,
  ids: string[],
  clients: number,
  rounds: number,
  tag: string,
): Promise<number> {
  const start = now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; i < rounds; i++) {
        const id = ids[(c * rounds + i) % ids.length] as string;
        await getAsset(db, { id });
        await searchAssets(db, { code: "AST-0001", limit: 20 });
        await createAsset(db, { assetCode: `BENCH-POOL-${tag}-${c}-${i}` });
      }
    }),
  );
  return (clients * rounds * 3) / ((now() - start) / 1000);
}

/** Four runs per side, alternating which goes first; the median of each side (ops/s). */
async function mixPaired(
  direct: Database,
  pooled: Database,
  ids: string[],
  clients: number,
  rounds: number,
  tag: string,
): Promise<{ direct: number; pooled: number }> {
  const rates = { direct: [] as number[], pooled: [] as number[] };
  for (let rep = 0; rep < 4; rep++) {
    for (const side of rep % 2 === 0 ? (["direct", "pooled"] as const) : (["pooled", "direct"] as const)) {
      rates[side].push(
        await mix(side === "direct" ? direct : pooled, ids, clients, rounds, `${tag}${clients}${side}${rep}`),
      );
    }
  }
  return { direct: quantile(rates.direct, 0.5), pooled: quantile(rates.pooled, 0.5) };
}

export async function benchPooler(
  url: string,
  samples: number,
  log: (line: string) => void,
  options: { clients?: number } = {},
): Promise<Measure[]> {
  const many = options.clients ?? SERVER_CONNECTIONS;
  const u = new URL(url);
  const started = await startPgBouncer({
    upstream: { host: u.hostname, port: Number(u.port || 5432) },
    ports: [6433, 6439],
    poolSize: SERVER_CONNECTIONS,
  });
  if (!started.ok) {
    log(`pooler: skipped (${started.skip})`);
    return [];
  }
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const direct = await createDb({ url, max: SERVER_CONNECTIONS });
  const pooled = await createDb({ url: started.via(url), pooler: "transaction", max: SERVER_CONNECTIONS });
  // n client connections: n direct server connections, or n connections to PgBouncer sharing its 8.
  const wide =
    many === SERVER_CONNECTIONS
      ? undefined
      : {
          direct: await createDb({ url, max: many }),
          pooled: await createDb({ url: started.via(url), pooler: "transaction", max: many }),
        };
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
    const eight = await mixPaired(direct.db, pooled.db, ids, SERVER_CONNECTIONS, rounds, tag);
    // Same work in total: n clients x (8 x rounds / n) rounds each.
    const wideRounds = Math.max(1, Math.round((SERVER_CONNECTIONS * rounds) / many));
    const wideRates = wide && (await mixPaired(wide.direct.db, wide.pooled.db, ids, many, wideRounds, tag));
    await admin`DELETE FROM assets WHERE asset_code LIKE 'BENCH-POOL-%'`;
    const loop = "(getAsset + searchAssets + createAsset)";
    return [
      latency("pooler.get", get.ours, get.bare, "getAsset through PgBouncer (transaction mode) vs direct"),
      throughput(
        "pooler.mix8",
        "ops/s",
        eight.pooled,
        eight.direct,
        `${SERVER_CONNECTIONS} clients x ${rounds} x ${loop} through PgBouncer ${SERVER_CONNECTIONS} server connections vs direct ${SERVER_CONNECTIONS} connections (median of 4 runs per side, alternating)`,
      ),
      ...(wide && wideRates
        ? [
            throughput(
              `pooler.mix${many}`,
              "ops/s",
              wideRates.pooled,
              wideRates.direct,
              `${many} clients x ${wideRounds} x ${loop} through PgBouncer ${SERVER_CONNECTIONS} server connections vs direct ${many} connections (median of 4 runs per side, alternating)`,
            ),
          ]
        : []),
    ];
  } finally {
    await Promise.all([
      direct.close(),
      pooled.close(),
      wide?.direct.close(),
      wide?.pooled.close(),
      admin.end(),
    ]);
    await started.stop();
  }
}
