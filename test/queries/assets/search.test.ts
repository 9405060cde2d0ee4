/**
 * searchAssets: each criterion alone and combined, keyset pages that together list every match once
 * in (asset_code, id) order, and cursors that are opaque but checked.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/errors/index.js";
import { encodeCursor, searchAssets } from "../../../src/queries/index.js";
import { type Asset, assets } from "../../../src/schema/index.js";
import { useTestDatabase } from "../../support/test-db.js";
import { categoryWithSpec, forceStatus, locationTree, modelOf, newAsset } from "./fixtures.js";

const t = useTestDatabase();
let tree: Awaited<ReturnType<typeof locationTree>>;
let fx: Record<string, Asset>;
let categoryId: string;

beforeAll(async () => {
  tree = await locationTree(t.db);
  const { category } = await categoryWithSpec(t.db);
  categoryId = category.id;
  const model = await modelOf(t.db, category.id);
  fx = {
    core: await newAsset(t.db, {
      assetCode: "SRCH-CORE-01",
      hostname: "core-sw-01.dc1",
      serialNo: "SN-AAA-1",
      mgmtIp: "10.20.0.5",
      macAddress: "aa:bb:cc:00:11:22",
      locationId: tree.b.id,
      modelId: model.id,
    }),
    edge: await newAsset(t.db, {
      assetCode: "SRCH-EDGE-01",
      hostname: "edge-01.dc1",
      serialNo: "SN-BBB-2",
      mgmtIp: "10.20.1.7",
      locationId: tree.a.id,
    }),
    wan: await newAsset(t.db, {
      assetCode: "SRCH-WAN-01",
      hostname: "wan-01",
      mgmtIp: "192.168.5.1",
      locationId: tree.c.id,
    }),
    v6: await newAsset(t.db, { assetCode: "SRCH-V6-01", mgmtIp: "2001:db8::10" }),
  };
  await forceStatus(t.db, fx.wan!.id, "in_repair");
});

const codes = async (input: Parameters<typeof searchAssets>[1]) =>
  (await searchAssets(t.db, { code: "SRCH-", ...input })).items.map((a) => a.assetCode);

describe("criteria", () => {
  it("code prefix (case-insensitive) and hostname prefix", async () => {
    expect(await codes({ code: "srch-edge" })).toEqual(["SRCH-EDGE-01"]);
    expect(await codes({ hostname: "CORE-SW" })).toEqual(["SRCH-CORE-01"]);
    // LIKE wildcards in the input are literal.
    expect(await codes({ code: "SRCH_" })).toEqual([]);
  });

  it("a prefix is exact at both ends of its range (the next code up, literal wildcards)", async () => {
    for (const assetCode of ["RNG-AB", "RNG-AB_1", "RNG-AC", "RNG-ABZ"]) await newAsset(t.db, { assetCode });
    const found = async (code: string) => (await searchAssets(t.db, { code })).items.map((a) => a.assetCode);
    // (in asset_code order under the database's collation, which need not be byte order)
    expect((await found("rng-ab")).sort()).toEqual(["RNG-AB", "RNG-ABZ", "RNG-AB_1"]);
    expect(await found("RNG-AB_")).toEqual(["RNG-AB_1"]);
    expect(await found("rng-ac")).toEqual(["RNG-AC"]);
    expect(await found("rng-ad")).toEqual([]);
  });

  it("serial, exact", async () => {
    expect(await codes({ serial: "sn-bbb-2" })).toEqual(["SRCH-EDGE-01"]);
    expect(await codes({ serial: "SN-BBB" })).toEqual([]);
  });

  it("IP exact, and containment in a CIDR (v4 and v6)", async () => {
    expect(await codes({ ip: "10.20.0.5" })).toEqual(["SRCH-CORE-01"]);
    expect(await codes({ ip: "10.20.0.0/16" })).toEqual(["SRCH-CORE-01", "SRCH-EDGE-01"]);
    expect(await codes({ ip: "10.20.1.0/24" })).toEqual(["SRCH-EDGE-01"]);
    expect(await codes({ ip: "2001:db8::/32" })).toEqual(["SRCH-V6-01"]);
    await expect(searchAssets(t.db, { ip: "10.0.0.0/99" })).rejects.toBeInstanceOf(ValidationError);
  });

  it.each(["AA:BB:CC:00:11:22", "aa-bb-cc-00-11-22", "aabb.cc00.1122", "AABBCC001122"])(
    "MAC in any notation: %s",
    async (mac) => {
      expect(await codes({ mac })).toEqual(["SRCH-CORE-01"]);
    },
  );

  it("finds a MAC stored in legacy notation", async () => {
    await t.db.update(assets).set({ macAddress: "AABB.CC00.3344" }).where(eq(assets.id, fx.edge!.id));
    expect(await codes({ mac: "aa:bb:cc:00:33:44" })).toEqual(["SRCH-EDGE-01"]);
  });

  it("status, location subtree and category filters", async () => {
    expect(await codes({ status: ["in_repair"] })).toEqual(["SRCH-WAN-01"]);
    expect(await codes({ status: ["in_stock", "in_repair"] })).toHaveLength(4);
    expect(await codes({ locationId: tree.root.id })).toEqual([
      "SRCH-CORE-01",
      "SRCH-EDGE-01",
      "SRCH-WAN-01",
    ]);
    expect(await codes({ locationId: tree.a.id })).toEqual(["SRCH-CORE-01", "SRCH-EDGE-01"]);
    expect(await codes({ locationId: tree.b.id })).toEqual(["SRCH-CORE-01"]);
    expect(await codes({ categoryId })).toEqual(["SRCH-CORE-01"]);
    expect(await codes({ locationId: tree.a.id, ip: "10.20.1.0/24" })).toEqual(["SRCH-EDGE-01"]);
  });
});

describe("keyset pages", () => {
  it("walk every match once, in order, whatever the page size", async () => {
    for (let i = 0; i < 23; i++) await newAsset(t.db, { assetCode: `PAGE-${String(i).padStart(3, "0")}` });
    const all = (await searchAssets(t.db, { code: "PAGE-", limit: 500 })).items.map((a) => a.assetCode);
    expect(all).toHaveLength(23);
    for (const limit of [1, 5, 23, 50]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await searchAssets(t.db, { code: "PAGE-", limit, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((a) => a.assetCode));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(seen).toEqual(all);
      expect(pages).toBe(Math.max(1, Math.ceil(23 / limit)));
    }
    expect([...all].sort()).toEqual(all);
  });

  it("a page stays stable when rows are inserted before the cursor", async () => {
    const first = await searchAssets(t.db, { code: "PAGE-", limit: 10 });
    await newAsset(t.db, { assetCode: "PAGE-000a" });
    const second = await searchAssets(t.db, { code: "PAGE-", limit: 10, cursor: first.nextCursor! });
    expect(second.items[0]?.assetCode).toBe("PAGE-010");
  });

  it("refuses a cursor it did not make", async () => {
    for (const cursor of ["garbage", encodeCursor(["x"]), encodeCursor(["x", "not-a-uuid"])]) {
      await expect(searchAssets(t.db, { cursor })).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(searchAssets(t.db, { limit: 0 })).rejects.toBeInstanceOf(ValidationError);
  });
});
