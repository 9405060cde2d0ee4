/**
 * Asset operations against a real database: spec-checked models and assets, prepared look-ups,
 * assign/return (with the concurrent-assign race on a server), moves, and the location tree.
 */
import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  InvalidStateError,
  NotFoundError,
  UniqueViolationError,
  ValidationError,
} from "../../../src/errors/index.js";
import {
  assignAsset,
  createAsset,
  createAssetModel,
  createLocation,
  findAssetByCode,
  getAsset,
  locationSubtreeIds,
  moveAsset,
  moveLocation,
  returnAsset,
} from "../../../src/queries/index.js";
import {
  assetAssignments,
  assetCategorySpecDefs,
  assetCategorySpecVersions,
  assetEvents,
  assets,
  locations,
} from "../../../src/schema/index.js";
import { onServer, useTestDatabase } from "../../support/test-db.js";
import { categoryWithSpec, forceStatus, locationTree, modelOf, newAsset, uniq } from "./fixtures.js";

const t = useTestDatabase();

const eventsOf = async (assetId: string) =>
  (
    await t.db
      .select()
      .from(assetEvents)
      .where(eq(assetEvents.assetId, assetId))
      .orderBy(asc(assetEvents.createdAt), asc(assetEvents.eventType))
  ).map((e) => e.eventType);

const person = { assigneeType: "person" as const, assigneeId: "u-1", assigneeName: "Alice" };

describe("createAssetModel", () => {
  it("validates and normalises the spec against the active version and records the version", async () => {
    const { category, version } = await categoryWithSpec(t.db);
    const model = await createAssetModel(t.db, {
      model: uniq("m"),
      categoryId: category.id,
      spec: { port_count: 48, poe: true },
    });
    expect(model.specVersionId).toBe(version.id);
    expect(model.spec).toEqual({ port_count: 48, poe: true });
  });

  it("refuses a spec the active version rejects, with field paths", async () => {
    const { category } = await categoryWithSpec(t.db);
    const error = await createAssetModel(t.db, {
      model: uniq("m"),
      categoryId: category.id,
      spec: { port_count: 200, fans: 2 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).issues.map((i) => i.path).sort();
    expect(paths).toEqual(["spec.fans", "spec.port_count"]);
  });

  it("accepts any spec when the category has no active version", async () => {
    const model = await createAssetModel(t.db, { model: uniq("m"), spec: { anything: 1 } });
    expect(model.specVersionId).toBeNull();
  });
});

describe("createAsset", () => {
  it("creates an in_stock asset with a created event and a normalised MAC", async () => {
    const { category } = await categoryWithSpec(t.db);
    const model = await modelOf(t.db, category.id);
    const asset = await createAsset(t.db, {
      assetCode: uniq("SW"),
      modelId: model.id,
      macAddress: "00-1A-2B-3C-4D-5E",
      mgmtIp: "10.1.2.3",
      vlanId: 10,
      actorUserId: "admin",
    });
    expect(asset.status).toBe("in_stock");
    expect(asset.macAddress).toBe("00:1a:2b:3c:4d:5e");
    expect(await eventsOf(asset.id)).toEqual(["created"]);
  });

  it("refuses a model whose spec no longer satisfies the category's active version", async () => {
    const { category, version } = await categoryWithSpec(t.db);
    const model = await modelOf(t.db, category.id);
    // The category moves on to a version whose definitions the model's spec does not meet.
    await t.db
      .update(assetCategorySpecVersions)
      .set({ status: "retired" })
      .where(eq(assetCategorySpecVersions.id, version.id));
    const [v2] = await t.db
      .insert(assetCategorySpecVersions)
      .values({ categoryId: category.id, version: 2, status: "active" })
      .returning();
    await t.db
      .insert(assetCategorySpecDefs)
      .values({ versionId: v2!.id, key: "uplinks", label: "Uplinks", fieldType: "number", required: true });
    const error = await createAsset(t.db, { assetCode: uniq("SW"), modelId: model.id }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path).sort()).toEqual([
      "model.spec.port_count",
      "model.spec.uplinks",
    ]);
    expect(await t.db.select().from(assets).where(eq(assets.modelId, model.id))).toHaveLength(0);
  });

  it("refuses bad input, an unknown model and a duplicate code (typed)", async () => {
    await expect(createAsset(t.db, { assetCode: uniq("X"), macAddress: "zz" })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(createAsset(t.db, { assetCode: uniq("X"), vlanId: 4095 })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      createAsset(t.db, { assetCode: uniq("X"), modelId: "2b0c8a9e-3c1f-4d7a-8e2b-5f6a7b8c9d0e" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const code = uniq("DUP");
    await createAsset(t.db, { assetCode: code });
    const dup = await createAsset(t.db, { assetCode: code }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(UniqueViolationError);
    expect(dup).toMatchObject({ constraint: "assets_asset_code_key" });
  });
});

describe("prepared look-ups", () => {
  it("getAsset and findAssetByCode find the row, on the pool and inside a transaction", async () => {
    const asset = await newAsset(t.db);
    expect((await getAsset(t.db, { id: asset.id }))?.assetCode).toBe(asset.assetCode);
    expect((await findAssetByCode(t.db, { assetCode: asset.assetCode }))?.id).toBe(asset.id);
    await t.db.transaction(async (tx) => {
      expect((await getAsset(tx, { id: asset.id }))?.id).toBe(asset.id);
    });
    expect(await getAsset(t.db, { id: "3f1e2d3c-4b5a-4697-8877-665544332211" })).toBeNull();
    expect(await findAssetByCode(t.db, { assetCode: uniq("none") })).toBeNull();
    await expect(getAsset(t.db, { id: "not-a-uuid" })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("assign and return", () => {
  it("assign opens an assignment and moves in_stock -> in_use; return reverses it", async () => {
    const asset = await newAsset(t.db);
    const { asset: assigned, assignment } = await assignAsset(t.db, { assetId: asset.id, ...person });
    expect(assigned.status).toBe("in_use");
    expect(assignment.returnedAt).toBeNull();
    expect(await eventsOf(asset.id)).toEqual(["created", "assigned", "status_changed"]);

    const { asset: back, assignment: closed } = await returnAsset(t.db, { assetId: asset.id, note: "ok" });
    expect(back.status).toBe("in_stock");
    expect(closed.returnedAt).toBeInstanceOf(Date);
    expect(closed.id).toBe(assignment.id);
    expect((await eventsOf(asset.id)).slice(3)).toEqual(["returned", "status_changed"]);
  });

  it("refuses assigning an asset that is not in stock, and returning one that is not assigned", async () => {
    const asset = await newAsset(t.db);
    await assignAsset(t.db, { assetId: asset.id, ...person });
    await expect(assignAsset(t.db, { assetId: asset.id, ...person })).rejects.toBeInstanceOf(
      InvalidStateError,
    );
    const other = await newAsset(t.db);
    await forceStatus(t.db, other.id, "in_repair");
    await expect(assignAsset(t.db, { assetId: other.id, ...person })).rejects.toBeInstanceOf(
      InvalidStateError,
    );
    await expect(returnAsset(t.db, { assetId: other.id })).rejects.toBeInstanceOf(InvalidStateError);
    await expect(
      assignAsset(t.db, { assetId: other.id, ...person, assigneeType: "robot" as "person" }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it("returning an asset in repair keeps it in repair", async () => {
    const asset = await newAsset(t.db);
    await assignAsset(t.db, { assetId: asset.id, ...person });
    await forceStatus(t.db, asset.id, "in_repair");
    const { asset: after } = await returnAsset(t.db, { assetId: asset.id });
    expect(after.status).toBe("in_repair");
  });

  it.skipIf(!onServer())(
    "two clients assigning the same asset at once: exactly one wins (server only: two connections)",
    async () => {
      const asset = await newAsset(t.db);
      const [c1, c2] = [await t.connect(1), await t.connect(1)];
      try {
        const results = await Promise.allSettled([
          assignAsset(c1.db, { assetId: asset.id, ...person, assigneeId: "one" }),
          assignAsset(c2.db, { assetId: asset.id, ...person, assigneeId: "two" }),
        ]);
        const won = results.filter((r) => r.status === "fulfilled");
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]?.reason).toBeInstanceOf(InvalidStateError);
        const open = await t.db.select().from(assetAssignments).where(eq(assetAssignments.assetId, asset.id));
        expect(open).toHaveLength(1);
        expect((await eventsOf(asset.id)).filter((e) => e === "assigned")).toHaveLength(1);
      } finally {
        await c1.close();
        await c2.close();
      }
    },
  );
});

describe("moveAsset", () => {
  it("moves with a moved event; refuses the same place, an unknown place and a disposed asset", async () => {
    const { a, c } = await locationTree(t.db);
    const asset = await newAsset(t.db, { locationId: a.id });
    const moved = await moveAsset(t.db, { assetId: asset.id, locationId: c.id });
    expect(moved.locationId).toBe(c.id);
    const [event] = await t.db
      .select()
      .from(assetEvents)
      .where(and(eq(assetEvents.assetId, asset.id), eq(assetEvents.eventType, "moved")));
    expect(event?.payload).toEqual({ from: a.id, to: c.id });
    await expect(moveAsset(t.db, { assetId: asset.id, locationId: c.id })).rejects.toBeInstanceOf(
      InvalidStateError,
    );
    await expect(
      moveAsset(t.db, { assetId: asset.id, locationId: "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await forceStatus(t.db, asset.id, "disposed");
    await expect(moveAsset(t.db, { assetId: asset.id, locationId: a.id })).rejects.toBeInstanceOf(
      InvalidStateError,
    );
  });
});

describe("location tree", () => {
  it("derives paths from the parent and refuses a same-named sibling", async () => {
    const { root, a, b } = await locationTree(t.db);
    expect(a.path).toBe(`${root.path}a/`);
    expect(b.path).toBe(`${root.path}a/b/`);
    await expect(createLocation(t.db, { name: "a", parentId: root.id })).rejects.toBeInstanceOf(
      InvalidStateError,
    );
  });

  it("moving a location rewrites the path of its whole subtree", async () => {
    const { root, a, b, c } = await locationTree(t.db);
    const { location, rewritten } = await moveLocation(t.db, { locationId: a.id, parentId: c.id });
    expect(rewritten).toBe(2);
    expect(location.parentId).toBe(c.id);
    const paths = Object.fromEntries(
      (await t.db.select().from(locations).where(eq(locations.parentId, c.id))).map((l) => [l.id, l.path]),
    );
    expect(paths[a.id]).toBe(`${root.path}c/a/`);
    const [bAfter] = await t.db.select().from(locations).where(eq(locations.id, b.id));
    expect(bAfter?.path).toBe(`${root.path}c/a/b/`);
    expect((await locationSubtreeIds(t.db, c.id)).sort()).toEqual([a.id, b.id, c.id].sort());
    // Moving to the top level.
    const top = await moveLocation(t.db, { locationId: a.id, parentId: null });
    expect(top.location.path).toBe("/a/");
  });

  it("refuses a move under itself or its own subtree, changing nothing", async () => {
    const { a, b } = await locationTree(t.db);
    await expect(moveLocation(t.db, { locationId: a.id, parentId: b.id })).rejects.toThrow(/own subtree/);
    await expect(moveLocation(t.db, { locationId: a.id, parentId: a.id })).rejects.toBeInstanceOf(
      InvalidStateError,
    );
    const [bAfter] = await t.db.select().from(locations).where(eq(locations.id, b.id));
    expect(bAfter?.path).toBe(b.path);
  });

  it("refuses unknown locations", async () => {
    await expect(
      moveLocation(t.db, { locationId: "11111111-2222-4333-8444-555555555555", parentId: null }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
