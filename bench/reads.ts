/**
 * Reads the application does on assets: look-ups, searches and list pages, each through the
 * package and through the bare SQL a careful DBA would write for the same job with the indexes
 * that exist (prepared, on postgres.js). Both must return the same rows (checked on the first
 * inputs). The cases are shared with the plan test (test/bench/plans.test.ts).
 */
import postgres from "postgres";
import { createDb, type Database } from "../src/db.js";
import { encodeCursor, findAssetByCode, getAsset, searchAssets } from "../src/queries/index.js";
import { likePrefix } from "../src/queries/shared/like.js";
import { latency, type Measure, paired } from "./measure.js";

export interface AssetSample {
  id: string;
  code: string;
  serial: string;
  mac: string | null;
  ip: string | null;
  hostname: string | null;
  categoryId: string;
  status: string;
}

export interface ReadSamples {
  assets: AssetSample[];
  /** Assets with a management IP and host name. */
  managed: AssetSample[];
  /** Buildings (locations three levels down: region / site / building). */
  buildings: string[];
}

/** Inputs drawn from the data set: the assets with the lowest ids are spread over the whole table. */
export async function readSamples(sql: postgres.Sql, n: number): Promise<ReadSamples> {
  const pick = (where: string) =>
    sql.unsafe<AssetSample[]>(
      `SELECT a.id, a.asset_code AS code, a.serial_no AS serial, a.mac_address AS mac, host(a.mgmt_ip) AS ip,
              a.hostname, m.category_id AS "categoryId", a.status
         FROM assets a JOIN asset_models m ON m.id = a.model_id
        WHERE ${where} ORDER BY a.id LIMIT ${Number(n)}`,
    );
  const assets = await pick("a.serial_no IS NOT NULL");
  const managed = await pick(
    "a.mgmt_ip IS NOT NULL AND a.hostname IS NOT NULL AND a.mac_address IS NOT NULL",
  );
  const buildings = (
    await sql<
      { id: string }[]
    >`SELECT id FROM locations WHERE path ~ '^/[^/]+/[^/]+/[^/]+/$' ORDER BY id LIMIT ${n}`
  ).map((r) => r.id);
  return { assets: [...assets], managed: [...managed], buildings };
}

type Row = { id: string };
export interface ReadCase<I> {
  name: string;
  inputs: (s: ReadSamples) => I[];
  ours: (db: Database, input: I) => Promise<Row[]>;
  bare: (sql: postgres.Sql, input: I) => Promise<Row[]>;
  note?: string;
}

const PAGE = 50;
const page = async (p: Promise<{ items: Row[] }>) => (await p).items;
const one = async (p: Promise<Row | null>) => {
  const row = await p;
  return row ? [row] : [];
};
/** Cisco notation in upper case: the search must normalise it. */
const ciscoMac = (mac: string) => (mac.replaceAll(":", "").match(/.{4}/g) ?? []).join(".").toUpperCase();
const cursorAfter = (a: AssetSample) => encodeCursor([a.code, a.id]);

function defineCase<I>(c: ReadCase<I>): ReadCase<unknown> {
  return c as unknown as ReadCase<unknown>;
}

export const READ_CASES: ReadCase<unknown>[] = [
  defineCase<AssetSample>({
    name: "asset.get",
    inputs: (s) => s.assets,
    ours: (db, a) => one(getAsset(db, { id: a.id })),
    bare: (sql, a) => sql<Row[]>`SELECT * FROM assets WHERE id = ${a.id}`,
  }),
  defineCase<AssetSample>({
    name: "asset.by_code",
    inputs: (s) => s.assets,
    ours: (db, a) => one(findAssetByCode(db, { assetCode: a.code })),
    bare: (sql, a) => sql<Row[]>`SELECT * FROM assets WHERE asset_code = ${a.code}`,
  }),
  defineCase<AssetSample>({
    name: "search.serial",
    inputs: (s) => s.assets,
    ours: (db, a) => page(searchAssets(db, { serial: a.serial.toLowerCase(), limit: PAGE })),
    bare: (sql, a) =>
      sql<Row[]>`SELECT * FROM assets WHERE lower(serial_no) = lower(${a.serial.toLowerCase()})
                 ORDER BY asset_code, id LIMIT ${PAGE}`,
  }),
  defineCase<AssetSample>({
    name: "search.code_prefix",
    inputs: (s) => s.assets,
    ours: (db, a) => page(searchAssets(db, { code: a.code.slice(0, -2).toLowerCase(), limit: PAGE })),
    bare: (sql, a) =>
      sql<
        Row[]
      >`SELECT * FROM assets WHERE lower(asset_code) LIKE lower(${likePrefix(a.code.slice(0, -2).toLowerCase())})
                 ORDER BY asset_code, id LIMIT ${PAGE}`,
  }),
  defineCase<AssetSample>({
    name: "search.hostname_prefix",
    inputs: (s) => s.managed,
    ours: (db, a) => page(searchAssets(db, { hostname: (a.hostname ?? "").slice(0, -2), limit: PAGE })),
    bare: (sql, a) =>
      sql<
        Row[]
      >`SELECT * FROM assets WHERE lower(hostname) LIKE lower(${likePrefix((a.hostname ?? "").slice(0, -2))})
                 ORDER BY asset_code, id LIMIT ${PAGE}`,
  }),
  defineCase<AssetSample>({
    name: "search.mac",
    inputs: (s) => s.managed,
    ours: (db, a) => page(searchAssets(db, { mac: ciscoMac(a.mac ?? ""), limit: PAGE })),
    bare: (sql, a) =>
      sql<Row[]>`SELECT * FROM assets
                  WHERE lower(regexp_replace(mac_address, '[^0-9A-Fa-f]', '', 'g')) = ${(a.mac ?? "").replaceAll(":", "")}
                  ORDER BY asset_code, id LIMIT ${PAGE}`,
  }),
  defineCase<AssetSample>({
    name: "search.ip",
    inputs: (s) => s.managed,
    ours: (db, a) => page(searchAssets(db, { ip: a.ip ?? "", limit: PAGE })),
    bare: (sql, a) =>
      sql<Row[]>`SELECT * FROM assets WHERE mgmt_ip = ${a.ip}::inet ORDER BY asset_code, id LIMIT ${PAGE}`,
  }),
  defineCase<AssetSample>({
    name: "search.ip_cidr",
    inputs: (s) => s.managed,
    ours: (db, a) =>
      page(searchAssets(db, { ip: `${(a.ip ?? "").split(".").slice(0, 3).join(".")}.0/24`, limit: PAGE })),
    bare: (sql, a) =>
      sql<
        Row[]
      >`SELECT * FROM assets WHERE mgmt_ip <<= ${`${(a.ip ?? "").split(".").slice(0, 3).join(".")}.0/24`}::inet
                 ORDER BY asset_code, id LIMIT ${PAGE}`,
  }),
  defineCase<AssetSample>({
    name: "list.page",
    inputs: (s) => s.assets,
    ours: (db, a) => page(searchAssets(db, { cursor: cursorAfter(a), limit: PAGE })),
    bare: (sql, a) =>
      sql<Row[]>`SELECT * FROM assets WHERE (asset_code, id) > (${a.code}, ${a.id}::uuid)
                 ORDER BY asset_code, id LIMIT ${PAGE}`,
  }),
  defineCase<AssetSample>({
    name: "list.status_cursor",
    inputs: (s) => s.assets,
    ours: (db, a) => page(searchAssets(db, { status: ["in_repair"], cursor: cursorAfter(a), limit: PAGE })),
    bare: (sql, a) =>
      sql<
        Row[]
      >`SELECT * FROM assets WHERE status = 'in_repair' AND (asset_code, id) > (${a.code}, ${a.id}::uuid)
                 ORDER BY asset_code, id LIMIT ${PAGE}`,
  }),
  defineCase<string>({
    name: "list.location_subtree",
    inputs: (s) => s.buildings,
    ours: (db, id) => page(searchAssets(db, { locationId: id, limit: PAGE })),
    bare: (sql, id) =>
      // The subtree is a range of paths, [root path, root path with its trailing '/' bumped to '0'),
      // which idx_locations_path (text_pattern_ops) serves; ARRAY(...) makes it one InitPlan, so the
      // assets come from idx_assets_location_id and a top-N sort instead of a walk of asset_code order.
      sql<Row[]>`SELECT a.* FROM assets a
                  WHERE a.location_id = ANY (ARRAY(
                    SELECT sub.id FROM locations root JOIN locations sub
                        ON sub.path ~>=~ root.path AND sub.path ~<~ (left(root.path, -1) || '0')
                     WHERE root.id = ${id}))
                  ORDER BY a.asset_code, a.id LIMIT ${PAGE}`,
  }),
  defineCase<AssetSample>({
    name: "list.category",
    inputs: (s) => s.assets,
    ours: (db, a) =>
      page(searchAssets(db, { categoryId: a.categoryId, cursor: cursorAfter(a), limit: PAGE })),
    bare: (sql, a) =>
      sql<Row[]>`SELECT * FROM assets
                  WHERE model_id IN (SELECT id FROM asset_models WHERE category_id = ${a.categoryId})
                    AND (asset_code, id) > (${a.code}, ${a.id}::uuid)
                  ORDER BY asset_code, id LIMIT ${PAGE}`,
  }),
];

/** Both sides returned the same rows, in the same order. */
export function sameRows(name: string, ours: Row[], bare: Row[]): void {
  const a = ours.map((r) => r.id).join(",");
  const b = bare.map((r) => r.id).join(",");
  if (a !== b)
    throw new Error(
      `${name}: the package and the bare SQL returned different rows (${ours.length} vs ${bare.length})`,
    );
}

/** Every read case: `samples` inputs each, package and bare SQL alternating, one connection each. */
export async function benchReads(url: string, samples: number): Promise<Measure[]> {
  const handle = await createDb({ url, max: 1 });
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const s = await readSamples(sql, samples);
    const measures: Measure[] = [];
    for (const c of READ_CASES) {
      const inputs = c.inputs(s);
      if (inputs.length === 0) continue;
      const t = await paired(
        inputs,
        (input) => c.ours(handle.db, input),
        (input) => c.bare(sql, input),
        (a, b) => sameRows(c.name, a, b),
      );
      measures.push(latency(c.name, t.ours, t.bare, c.note));
    }
    return measures;
  } finally {
    await Promise.all([handle.close(), sql.end()]);
  }
}
