/**
 * createDb({ url, replicas }) against a real streaming replica: a new primary cluster (initdb in a
 * temporary directory, its own port) and a replica made with `pg_basebackup -R`, both started here
 * and stopped at the end. Never a base backup of the shared server. Skipped, saying why, where the
 * PostgreSQL binaries (or a non-root user to run them) are missing; under CI=true that fails.
 */
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ReplicaPair, startReplicaPair } from "../../scripts/lib/local-servers.js";
import { createDb, type DbHandle, rows } from "../../src/db.js";
import { migrate } from "../../src/migrate/runner.js";
import {
  createAsset,
  createStockDocument,
  findAssetByCode,
  getAsset,
  postStockDocument,
  searchAssets,
} from "../../src/queries/index.js";
import { assets, spareParts, warehouses } from "../../src/schema/index.js";

let pair: ReplicaPair | undefined;
let skip: string | undefined;
let handle: DbHandle | undefined;
let primarySql: postgres.Sql | undefined;
let replicaSql: postgres.Sql | undefined;

beforeAll(async () => {
  const started = await startReplicaPair({ ports: [5440, 5449] });
  if (!started.ok) {
    if (process.env.CI === "true") throw new Error(`CI: ${started.skip}`);
    skip = started.skip;
    console.warn(`[replica tests skipped] ${skip}`);
    return;
  }
  pair = started;
  const admin = await createDb({ url: pair.primaryUrl, max: 1 });
  try {
    await migrate(admin.db);
  } finally {
    await admin.close();
  }
  primarySql = postgres(pair.primaryUrl, { max: 1, onnotice: () => {} });
  replicaSql = postgres(pair.replicaUrl, { max: 1, onnotice: () => {} });
  await caughtUp();
  handle = await createDb({ url: pair.primaryUrl, replicas: [pair.replicaUrl], max: 2 });
});

afterAll(async () => {
  await handle?.close();
  await Promise.all([primarySql?.end(), replicaSql?.end()]);
  await pair?.stop();
});

/** Wait until the replica has replayed everything the primary has written so far. */
async function caughtUp(ms = 30_000): Promise<void> {
  const [{ lsn }] = (await primarySql!`SELECT pg_current_wal_lsn()::text AS lsn`) as unknown as [
    { lsn: string },
  ];
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const [row] = await replicaSql!`SELECT pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn AS done`;
    if (row?.done) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`replica did not replay up to ${lsn} within ${ms} ms`);
}

describe("read replicas (a real streaming replica)", () => {
  // postStockDocument is a SELECT of a data-modifying function: drizzle's withReplicas would route
  // `db.select()` to a replica (25006, read-only transaction); the package sends it to the primary.
  it("a stock document posted through a replicas handle, outside a transaction, is posted on the primary", async (c) => {
    if (skip) return c.skip(skip);
    const db = handle!.db;
    const tag = randomUUID().slice(0, 8);
    const [w] = await db
      .insert(warehouses)
      .values({ code: `RW-${tag}`, name: "replica w" })
      .returning();
    const [p] = await db
      .insert(spareParts)
      .values({ partCode: `RP-${tag}`, name: "replica part" })
      .returning();
    const doc = await createStockDocument(db, {
      docType: "receipt",
      warehouseId: w!.id,
      lines: [{ partId: p!.id, qty: 3 }],
    });
    const posted = await postStockDocument(db, { documentId: doc.id });
    expect(posted.document.status).toBe("posted");
    const [stock] = await primarySql!`SELECT on_hand FROM spare_part_stock WHERE part_id = ${p!.id}`;
    expect(stock?.on_hand).toBe(3);
  });

  it("the test replica is a hot standby of the primary", async (c) => {
    if (skip) return c.skip(skip);
    const [r] = await replicaSql!`SELECT pg_is_in_recovery() AS standby`;
    const [p] = await primarySql!`SELECT pg_is_in_recovery() AS standby`;
    expect({ replica: r?.standby, primary: p?.standby }).toEqual({ replica: true, primary: false });
  });

  it("a write through the package reaches the replica after replay, and reads find it there", async (c) => {
    if (skip) return c.skip(skip);
    const db = handle!.db;
    const created = await createAsset(db, { assetCode: `REPL-${randomUUID().slice(0, 8)}` });
    await caughtUp();
    const [onReplica] = await replicaSql!`SELECT asset_code FROM assets WHERE id = ${created.id}`;
    expect(onReplica?.asset_code).toBe(created.assetCode);
    expect((await getAsset(db, { id: created.id }))?.assetCode).toBe(created.assetCode);
  });

  // Replay paused on the replica: a row written on the primary exists only there, so whether a read
  // finds it says which server answered.
  it("reads outside a transaction go to the replica; transactions, inserts and execute to the primary", async (c) => {
    if (skip) return c.skip(skip);
    const db = handle!.db;
    await replicaSql!`SELECT pg_wal_replay_pause()`;
    try {
      const tag = randomUUID().slice(0, 8);
      const created = await createAsset(db, {
        assetCode: `REPL-${tag}`,
        serialNo: `SN-${tag}`,
        hostname: `repl-${tag}`,
        mgmtIp: "10.99.0.7",
        macAddress: "02:00:5e:10:00:07",
      });
      // A direct insert outside any transaction: the replica would refuse it (25006, read-only).
      const code = `REPL-${randomUUID().slice(0, 8)}`;
      await db.insert(assets).values({ assetCode: code });

      expect(await getAsset(db, { id: created.id })).toBeNull();
      expect(await findAssetByCode(db, { assetCode: code })).toBeNull();
      expect((await searchAssets(db, { code: created.assetCode })).items).toEqual([]);
      // Each filter is its own prepared statement: every one of them on the replica.
      const searches = [
        { serial: `sn-${tag}` },
        { hostname: `REPL-${tag}` },
        { ip: "10.99.0.7" },
        { ip: "10.99.0.0/24" },
        { mac: "0200.5E10.0007" },
        { status: ["in_stock" as const], code: `REPL-${tag}` },
      ];
      for (const search of searches) expect((await searchAssets(db, search)).items).toEqual([]);
      expect(await db.query.assets.findFirst({ where: eq(assets.id, created.id) })).toBeUndefined();

      const inTx = await db.transaction(async (tx) => ({
        byId: await getAsset(tx, { id: created.id }),
        byCode: await findAssetByCode(tx, { assetCode: code }),
      }));
      expect(inTx.byId?.id).toBe(created.id);
      expect(inTx.byCode?.assetCode).toBe(code);
      const foundInTx = await db.transaction(async (tx) =>
        Promise.all(searches.map(async (search) => (await searchAssets(tx, search)).items.map((a) => a.id))),
      );
      expect(foundInTx).toEqual(searches.map(() => [created.id]));
      const executed = await rows<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM assets WHERE id = ${created.id}`,
      );
      expect(executed).toEqual([{ n: 1 }]);
    } finally {
      await replicaSql!`SELECT pg_wal_replay_resume()`;
    }
    await caughtUp();
    expect((await searchAssets(db, { code: "REPL-" })).items.length).toBe(3);
  });

  // The positive signal: the replica's own view of its sessions. A session's last statement stays
  // in pg_stat_activity.query after it ends, so the look-up's text shows up on a backend of the
  // replica (and the replica is in recovery: it is the standby that answered).
  it("a look-up outside a transaction runs on a replica backend", async (c) => {
    if (skip) return c.skip(skip);
    const created = await createAsset(handle!.db, { assetCode: `REPL-${randomUUID().slice(0, 8)}` });
    await caughtUp();
    expect((await getAsset(handle!.db, { id: created.id }))?.id).toBe(created.id);
    const [seen] = await replicaSql!`
      SELECT pg_is_in_recovery() AS standby, count(*)::int AS backends FROM pg_stat_activity
       WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
         AND query LIKE 'select %from "assets" where "assets"."id" = $1'`;
    expect(seen?.standby).toBe(true);
    expect(seen?.backends).toBeGreaterThan(0);
  });

  it("inside a transaction, reads see the transaction's own uncommitted writes (its connection, on the primary)", async (c) => {
    if (skip) return c.skip(skip);
    const db = handle!.db;
    const tag = randomUUID().slice(0, 8);
    const code = `REPL-TX-${tag}`;
    let seen: unknown;
    await expect(
      db.transaction(async (tx) => {
        const [row] = await tx
          .insert(assets)
          .values({ assetCode: code, serialNo: `SN-TX-${tag}` })
          .returning();
        seen = {
          byId: (await getAsset(tx, { id: row!.id }))?.assetCode,
          byCode: (await findAssetByCode(tx, { assetCode: code }))?.id === row!.id,
          bySerial: (await searchAssets(tx, { serial: `sn-tx-${tag}` })).items.map((a) => a.assetCode),
        };
        tx.rollback();
      }),
    ).rejects.toThrow(/rollback/i);
    expect(seen).toEqual({ byId: code, byCode: true, bySerial: [code] });
    const [{ n }] =
      (await primarySql!`SELECT count(*)::int AS n FROM assets WHERE asset_code = ${code}`) as unknown as [
        { n: number },
      ];
    expect(n).toBe(0);
  });
});
