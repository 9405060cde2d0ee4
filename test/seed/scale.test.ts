/**
 * The scale data set (seed/scale) at a tiny factor, judged by the database and the validation layer,
 * not by its own generator: every CHECK and key holds (PostgreSQL rebuilt them after the load), every
 * asset row passes insertAssetSchema, every model spec and CI attribute set passes the validators of
 * its spec/type version, MACs and management IPs are unique, the ledger agrees with the stock, the
 * graph has hubs, cycles and retired edges; the same seed gives the same rows (ids included), another
 * seed other rows; refusals and a failed load leave the database as it was.
 */

import { getTableColumns, getTableName, sql, type Table } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { SCALE_USER_PASSWORD, scalePasswordHash } from "../../seed/scale/context.js";
import { SCALE_SEED, seedScale } from "../../seed/scale/load.js";
import { createDb, type DbHandle, rows } from "../../src/db.js";
import { ScaleLoadError, ScaleRefusedError } from "../../src/errors/index.js";
import { migrate } from "../../src/migrate/runner.js";
import { checkLedgerInvariant } from "../../src/queries/index.js";
import { assets } from "../../src/schema/index.js";
import { verifyPassword } from "../../src/security/passwords.js";
import * as validation from "../../src/validation/index.js";
import {
  attrDefsOfVersion,
  insertAssetSchema,
  parseFields,
  specDefsOfVersion,
} from "../../src/validation/index.js";
import { allTables } from "../support/rows.js";
import { createTestDatabase, onServer, type TestDatabase, useTestDatabase } from "../support/test-db.js";

const FACTOR = 0.002;
const t = useTestDatabase();
let report: Awaited<ReturnType<typeof seedScale>>;

const handleOf = (db: TestDatabase): DbHandle => ({
  db: db.db,
  driver: db.driver,
  target: "test",
  close: db.close,
});
type Obj = z.ZodObject<z.ZodRawShape>;
/** A table's insert schema from src/validation (matched by its column keys, as coverage.test.ts does). */
function insertSchemaOf(table: Table): Obj {
  const keys = Object.keys(getTableColumns(table)).sort().join(",");
  const found = (Object.entries(validation) as [string, unknown][]).find(
    ([name, value]) =>
      /^insert\w+Schema$/.test(name) &&
      typeof value === "object" &&
      value !== null &&
      "shape" in value &&
      Object.keys((value as Obj).shape)
        .sort()
        .join(",") === keys,
  );
  if (!found) throw new Error(`no insert schema for ${getTableName(table)}`);
  return found[1] as Obj;
}

const count = async (db: TestDatabase["db"], table: string) =>
  (await rows<{ n: number }>(db, sql.raw(`SELECT count(*)::int AS n FROM "${table}"`)))[0]?.n ?? 0;

/**
 * Every row of the tables that carry the data set's shape, ids included, as one digest. Reference
 * rows (relationship types) get random ids in each database: they are compared by code.
 */
const digest = async (db: TestDatabase["db"]) =>
  (
    await rows<{ d: string }>(
      db,
      sql`SELECT md5(
            (SELECT string_agg(a::text, '|' ORDER BY a.id) FROM (SELECT id, asset_code, serial_no, mac_address, mgmt_ip, location_id, model_id, status, purchase_date FROM assets) a) ||
            (SELECT string_agg(r::text, '|' ORDER BY r.id) FROM (SELECT r.id, t.code, r.from_ci_id, r.to_ci_id, r.status FROM cmdb_relationships r JOIN cmdb_relationship_types t ON t.id = r.rel_type_id) r) ||
            (SELECT string_agg(m::text, '|' ORDER BY m.id) FROM (SELECT id, warehouse_id, part_id, movement_type, qty FROM spare_part_movements) m) ||
            (SELECT string_agg(u::text, '|' ORDER BY u.id) FROM (SELECT id, email, password_hash FROM users) u)) AS d`,
    )
  )[0]?.d;

beforeAll(async () => {
  report = await seedScale(handleOf(t), { factor: FACTOR, url: t.url });
}, 300_000);

describe("seedScale at a tiny factor", () => {
  it("loads the planned rows into every table, counted by the database", async () => {
    expect(await count(t.db, "assets")).toBe(2_000);
    expect(await count(t.db, "cmdb_cis")).toBe(400);
    for (const table of report.tables.filter((x) => !x.table.startsWith("("))) {
      expect({ table: table.table, rows: await count(t.db, table.table) }).toEqual({
        table: table.table,
        rows: table.rows,
      });
      expect(table.rows).toBeGreaterThan(0);
    }
    // Proportions of a real estate: assignments and events per asset, relationships per CI.
    expect((await count(t.db, "asset_events")) / 2_000).toBeGreaterThan(1.5);
    expect((await count(t.db, "cmdb_relationships")) / 400).toBeGreaterThan(2.5);
  });

  it("restores every index and constraint it deferred, with their definitions", async () => {
    const other = await createTestDatabase();
    try {
      const catalog = (db: TestDatabase["db"]) =>
        rows(
          db,
          sql`SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace
              UNION ALL SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`,
        );
      expect(await catalog(t.db)).toEqual(await catalog(other.db));
    } finally {
      await other.close();
    }
  });

  it("writes assets the validation layer accepts, with unique MACs and management IPs", async () => {
    const all = await t.db.select().from(assets);
    for (const a of all) {
      const { createdAt: _c, updatedAt: _u, ...insert } = a;
      const parsed = insertAssetSchema.safeParse(insert);
      expect(parsed.success ? null : { code: a.assetCode, issues: parsed.error.issues }).toBeNull();
      // Stored exactly as the validation layer normalises them.
      if (parsed.success) expect(parsed.data.macAddress ?? null).toBe(a.macAddress);
    }
    const [u] = await rows<{ macs: number; distinct_macs: number; ips: number; distinct_ips: number }>(
      t.db,
      sql`SELECT count(mac_address)::int AS macs, count(DISTINCT mac_address)::int AS distinct_macs,
                 count(mgmt_ip)::int AS ips, count(DISTINCT mgmt_ip)::int AS distinct_ips FROM assets`,
    );
    expect(u?.macs).toBe(u?.distinct_macs);
    expect(u?.ips).toBe(u?.distinct_ips);
    expect(u?.ips).toBeGreaterThan(0);
  });

  it("writes only rows the validation layer accepts: every row of every loaded table passes its insert schema", async () => {
    // Each distinct (table, field, message) once, with how many rows it hit.
    const failures = new Map<string, number>();
    let checked = 0;
    for (const table of allTables) {
      const insert = insertSchemaOf(table);
      const keys = Object.keys(insert.shape);
      for (const row of await t.db.select().from(table)) {
        const input = Object.fromEntries(keys.map((k) => [k, (row as Record<string, unknown>)[k]]));
        const parsed = insert.safeParse(input);
        checked += 1;
        for (const issue of parsed.success ? [] : parsed.error.issues) {
          const key = `${getTableName(table)}.${issue.path.join(".")}: ${issue.message}`;
          failures.set(key, (failures.get(key) ?? 0) + 1);
        }
      }
    }
    expect(Object.fromEntries(failures)).toEqual({});
    expect(checked).toBeGreaterThan(10_000);
  });

  it("gives every user one real scrypt hash of SCALE_USER_PASSWORD, the same for the same seed", async () => {
    const hashes = await rows<{ h: string }>(t.db, sql`SELECT DISTINCT password_hash AS h FROM users`);
    expect(hashes).toHaveLength(1);
    const [{ h }] = hashes as [{ h: string }];
    expect(await verifyPassword(SCALE_USER_PASSWORD, h)).toBe(true);
    expect(await verifyPassword("wrong", h)).toBe(false);
    expect(await scalePasswordHash(SCALE_SEED)).toBe(h);
  });

  it("gives every model a spec valid for its spec version and every CI attributes valid for its type version", async () => {
    const models = await rows<{ spec_version_id: string; spec: string }>(
      t.db,
      sql`SELECT spec_version_id, spec FROM asset_models`,
    );
    expect(models.length).toBeGreaterThan(0);
    for (const m of models) {
      const defs = await specDefsOfVersion(t.db, m.spec_version_id);
      expect(() => parseFields(defs, JSON.parse(m.spec))).not.toThrow();
    }
    const cis = await rows<{ version_id: string; attrs: string }>(
      t.db,
      sql`SELECT min(version_id::text) AS version_id, json_object_agg(key, value)::text AS attrs
            FROM cmdb_ci_attr_values GROUP BY ci_id HAVING count(DISTINCT version_id) = 1`,
    );
    expect(cis.length).toBe(await count(t.db, "cmdb_cis"));
    const defsByVersion = new Map<string, Awaited<ReturnType<typeof attrDefsOfVersion>>>();
    for (const c of cis) {
      if (!defsByVersion.has(c.version_id))
        defsByVersion.set(c.version_id, await attrDefsOfVersion(t.db, c.version_id));
      expect(() => parseFields(defsByVersion.get(c.version_id) ?? [], JSON.parse(c.attrs))).not.toThrow();
    }
  });

  it("keeps the stock ledger: checkLedgerInvariant finds nothing, and stock was both issued and reserved", async () => {
    expect(await checkLedgerInvariant(t.db)).toEqual([]);
    const [m] = await rows<{ types: string[] }>(
      t.db,
      sql`SELECT array_agg(DISTINCT movement_type ORDER BY movement_type) AS types FROM spare_part_movements`,
    );
    expect(m?.types).toEqual(
      expect.arrayContaining(["in", "out", "transfer_in", "transfer_out", "adjust_in"]),
    );
  });

  it("shapes the CMDB like a real one: hubs, cycles, retired edges, a deep location tree", async () => {
    const [g] = await rows<{
      max_in: number;
      retired: number;
      two_cycles: number;
      depth: number;
      open_per_asset: number;
    }>(
      t.db,
      sql`SELECT (SELECT max(n)::int FROM (SELECT count(*) AS n FROM cmdb_relationships GROUP BY to_ci_id) x) AS max_in,
                 (SELECT count(*)::int FROM cmdb_relationships WHERE status = 'retired') AS retired,
                 (SELECT count(*)::int FROM cmdb_relationships a JOIN cmdb_relationships b ON a.from_ci_id = b.to_ci_id AND a.to_ci_id = b.from_ci_id) AS two_cycles,
                 (SELECT max(length(path) - length(replace(path, '/', '')) - 1)::int FROM locations) AS depth,
                 (SELECT max(n)::int FROM (SELECT count(*) AS n FROM asset_assignments WHERE returned_at IS NULL GROUP BY asset_id) y) AS open_per_asset`,
    );
    expect(g?.max_in).toBeGreaterThanOrEqual(10);
    expect(g?.retired).toBeGreaterThan(0);
    expect(g?.depth).toBeGreaterThanOrEqual(6);
    expect(g?.open_per_asset).toBe(1);
    // A cycle longer than two edges also counts; look for any CI that reaches itself within 6 steps.
    const [cycle] = await rows<{ found: boolean }>(
      t.db,
      sql`WITH RECURSIVE w(start, ci, depth) AS (
            SELECT from_ci_id, to_ci_id, 1 FROM cmdb_relationships
            UNION SELECT w.start, r.to_ci_id, w.depth + 1 FROM w JOIN cmdb_relationships r ON r.from_ci_id = w.ci WHERE w.depth < 6)
          SELECT EXISTS (SELECT 1 FROM w WHERE start = ci) AS found`,
    );
    expect(cycle?.found || (g?.two_cycles ?? 0) > 0).toBe(true);
  });

  it("is deterministic: the same seed gives the same rows and ids, another seed other ones", async () => {
    const same = await createTestDatabase();
    const other = await createTestDatabase();
    try {
      await seedScale(handleOf(same), { factor: FACTOR, url: same.url });
      await seedScale(handleOf(other), { factor: FACTOR, seed: 16, url: other.url });
      const d = await digest(t.db);
      expect(await digest(same.db)).toBe(d);
      expect(await digest(other.db)).not.toBe(d);
    } finally {
      await Promise.all([same.close(), other.close()]);
    }
  }, 300_000);
});

describe("refusals and failures leave the database as it was", () => {
  it("refuses a non-local host without --force, and a database that already has data", async () => {
    const fresh = await createTestDatabase();
    try {
      await expect(
        seedScale(handleOf(fresh), { factor: FACTOR, url: "postgres://app@db.example.com:5432/netops" }),
      ).rejects.toThrow(ScaleRefusedError);
      expect(await count(fresh.db, "asset_categories")).toBe(0);
      await expect(seedScale(handleOf(t), { factor: FACTOR, url: t.url })).rejects.toThrow(/already holds/);
      await expect(seedScale(handleOf(fresh), { factor: 0, url: fresh.url })).rejects.toThrow(
        ScaleRefusedError,
      );
    } finally {
      await fresh.close();
    }
  });

  it("rolls the whole load back when a row is refused, indexes and keys included", async () => {
    const fresh = await createTestDatabase();
    try {
      // A user holding the e-mail of the data set's first user: the unique key, rebuilt after the
      // load, refuses the duplicate.
      const planned = await rows<{ n: number }>(
        fresh.db,
        sql`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'public'`,
      );
      const email = await firstUserEmail();
      await fresh.db.execute(
        sql`INSERT INTO users (email, name, password_hash) VALUES (${email}, 'squatter', 'x')`,
      );
      const failed = seedScale(handleOf(fresh), { factor: FACTOR, url: fresh.url });
      await expect(failed).rejects.toThrow(ScaleLoadError);
      await expect(failed).rejects.toThrow(/users_email_key|nothing was kept/);
      expect(await count(fresh.db, "assets")).toBe(0);
      expect(await count(fresh.db, "users")).toBe(1);
      expect(
        await rows(fresh.db, sql`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'public'`),
      ).toEqual(planned);
    } finally {
      await fresh.close();
    }
  }, 300_000);
});

describe.runIf(onServer())("on the embedded PGlite database", () => {
  it("loads a small factor through COPY FROM '/dev/blob' and refuses a large one with a message", async () => {
    const handle = await createDb({ dataDir: "memory://" });
    try {
      await migrate(handle.db);
      await expect(seedScale(handle, { factor: 0.5 })).rejects.toThrow(/PGlite.*COPY FROM STDIN/);
      const r = await seedScale(handle, { factor: 0.001 });
      expect(r.tables.find((x) => x.table === "assets")?.rows).toBe(1_000);
      expect(await checkLedgerInvariant(handle.db)).toEqual([]);
    } finally {
      await handle.close();
    }
  }, 300_000);
});

/** The first user's e-mail, as the loaded data set has it. */
async function firstUserEmail(): Promise<string> {
  const [u] = await rows<{ email: string }>(t.db, sql`SELECT email FROM users WHERE username = 'u000001'`);
  if (!u) throw new Error("the data set has no user u000001");
  return u.email;
}
