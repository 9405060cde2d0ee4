/**
 * Regression tests for the data bugs found under hostile use (issue 10, items 1, 3, 4, 5, 11): each
 * failed before its fix.
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/errors/index.js";
import { createAsset, createLocation, moveAsset, moveLocation } from "../../../src/queries/assets/index.js";
import { createCi, updateCi } from "../../../src/queries/cmdb/index.js";
import {
  createSession,
  findValidSession,
  recordUsage,
  revokeSession,
} from "../../../src/queries/core/index.js";
import { scanInventoryItem, startInventorySession } from "../../../src/queries/inventory/index.js";
import {
  addRepairParts,
  closeRepairOrder,
  createStockDocument,
  openRepairOrder,
  postStockDocument,
} from "../../../src/queries/warehouse/index.js";
import { createWorkflowRequest, generateReminders } from "../../../src/queries/workflow/index.js";
import { assetEvents, locations, users } from "../../../src/schema/index.js";
import { onServer, useTestDatabase } from "../../support/test-db.js";
import { makeCiType } from "../cmdb/fixtures.js";
import { makePart, makeWarehouse } from "../warehouse/fixtures.js";

const t = useTestDatabase();

const uniq = (p: string) => `${p}-${randomUUID().slice(0, 8)}`;

/** The paths of a subtree, in the order of `ids`. */
async function pathsOf(ids: string[]): Promise<string[]> {
  const found = await t.db.select({ id: locations.id, path: locations.path }).from(locations);
  return ids.map((id) => found.find((r) => r.id === id)?.path ?? "(gone)");
}

describe("moveLocation with names outside the Basic Multilingual Plane (item 1)", () => {
  it("rewrites every descendant path by characters, not by UTF-16 units", async () => {
    const campus = await createLocation(t.db, { name: uniq("Campus") });
    const other = await createLocation(t.db, { name: uniq("Other") });
    const tower = await createLocation(t.db, { name: "🏢 Tower", parentId: campus.id });
    const floor = await createLocation(t.db, { name: "Floor 1", parentId: tower.id });
    const room = await createLocation(t.db, { name: "Room 𝟙𝟘𝟙", parentId: floor.id });
    await moveLocation(t.db, { locationId: tower.id, parentId: other.id });
    expect(await pathsOf([tower.id, floor.id, room.id])).toEqual([
      `/${other.name}/🏢 Tower/`,
      `/${other.name}/🏢 Tower/Floor 1/`,
      `/${other.name}/🏢 Tower/Floor 1/Room 𝟙𝟘𝟙/`,
    ]);
    // And back to a root: the emoji is in the moved location's own segment this time.
    await moveLocation(t.db, { locationId: floor.id, parentId: null });
    expect(await pathsOf([floor.id, room.id])).toEqual(["/Floor 1/", "/Floor 1/Room 𝟙𝟘𝟙/"]);
  });
});

describe("UUIDs compared in canonical form (item 3)", () => {
  it("an upper-case copy of the expected location scans as found", async () => {
    const room = await createLocation(t.db, { name: uniq("room") });
    const asset = await createAsset(t.db, { assetCode: uniq("UC"), locationId: room.id });
    const { session } = await startInventorySession(t.db, { name: "count", locationId: room.id });
    const item = await scanInventoryItem(t.db, {
      sessionId: session.id.toUpperCase(),
      code: asset.assetCode,
      locationId: room.id.toUpperCase(),
    });
    expect(item.status).toBe("found");
  });

  it("moveAsset to its own location given in upper case is refused, and writes no event", async () => {
    const room = await createLocation(t.db, { name: uniq("room") });
    const asset = await createAsset(t.db, { assetCode: uniq("UC"), locationId: room.id });
    await expect(
      moveAsset(t.db, { assetId: asset.id.toUpperCase(), locationId: room.id.toUpperCase() }),
    ).rejects.toThrow(/already at location/);
    const moved = await t.db.select().from(assetEvents).where(eq(assetEvents.assetId, asset.id));
    expect(moved.map((e) => e.eventType)).toEqual(["created"]);
  });
});

describe("__proto__ keys in JSON payloads are refused (item 4)", () => {
  const hostile = () => JSON.parse('{"ok": 1, "__proto__": {"isAdmin": true}}') as Record<string, unknown>;

  it("workflow payload", async () => {
    const err = await createWorkflowRequest(t.db, {
      requestType: "move",
      payload: hostile(),
    } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues[0]?.path).toBe("payload.__proto__");
  });

  it("CI attributes, nested", async () => {
    const { typeId } = await makeCiType(t.db, [{ key: "note", label: "Note", fieldType: "string" }]);
    const err = await createCi(t.db, {
      typeId,
      name: "ci",
      ciCode: uniq("CI"),
      attributes: { note: "x", extra: [hostile()] },
    } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues[0]?.path).toBe("attributes.extra.0.__proto__");
  });
});

describe("session tokens are opaque (item 5)", () => {
  it("a caller's token with surrounding spaces finds its session as given", async () => {
    const [user] = await t.db
      .insert(users)
      .values({ email: `${uniq("u")}@example.com`, passwordHash: "x", name: "u" })
      .returning();
    const token = "  padded-token\t";
    const created = await createSession(t.db, { userId: user!.id, token });
    expect(created.token).toBe(token);
    expect((await findValidSession(t.db, { token }))?.id).toBe(created.session.id);
    expect(await findValidSession(t.db, { token: token.trim() })).toBeNull();
    expect(await revokeSession(t.db, { token })).toBe(true);
  });
});

describe("wrong acceptance (item 11)", () => {
  it("stock document codes: whitespace-only refused, padded ones trimmed (so a padded duplicate is a duplicate)", async () => {
    const wh = await makeWarehouse(t.db);
    const part = await makePart(t.db);
    const base = { docType: "receipt" as const, warehouseId: wh, lines: [{ partId: part, qty: 1 }] };
    await expect(createStockDocument(t.db, { ...base, code: "   " })).rejects.toBeInstanceOf(ValidationError);
    const code = uniq("DOC");
    const first = await createStockDocument(t.db, { ...base, code: ` ${code} ` });
    expect(first.code).toBe(code);
    await expect(createStockDocument(t.db, { ...base, code })).rejects.toMatchObject({
      code: "UNIQUE_VIOLATION",
    });
  });

  it("money: one rule for numbers and strings (0.005 refused both ways, 12.5 accepted both ways)", async () => {
    const wh = await makeWarehouse(t.db);
    const part = await makePart(t.db);
    const doc = (unitCost: number | string) =>
      createStockDocument(t.db, {
        docType: "receipt",
        warehouseId: wh,
        lines: [{ partId: part, qty: 1, unitCost }],
      });
    await expect(doc(0.005)).rejects.toBeInstanceOf(ValidationError);
    await expect(doc("0.005")).rejects.toBeInstanceOf(ValidationError);
    expect((await doc(12.5)).lines[0]?.unitCost).toBe("12.50");
    expect((await doc("12.5")).lines[0]?.unitCost).toBe("12.50");
  });

  it("warehouse, CMDB and repair-order inputs are strict: a misspelled key is refused, not dropped", async () => {
    const wh = await makeWarehouse(t.db);
    const part = await makePart(t.db);
    const err = await createStockDocument(t.db, {
      docType: "receipt",
      warehouseId: wh,
      lines: [{ partId: part, qty: 1, unitCosts: "1.00" }],
    } as never).catch((e: unknown) => e);
    expect((err as ValidationError).issues).toEqual([
      { path: "lines.0.unitCosts", message: "is not an allowed field" },
    ]);
    const { typeId } = await makeCiType(t.db, []);
    await expect(
      createCi(t.db, { typeId, name: "x", ciCode: uniq("CI"), enviroment: "prod" } as never),
    ).rejects.toMatchObject({
      issues: [{ path: "enviroment" }],
    });
    const asset = await createAsset(t.db, { assetCode: uniq("RO") });
    const order = await openRepairOrder(t.db, { assetId: asset.id, title: "fan", severity: "low" });
    await expect(
      closeRepairOrder(t.db, { repairOrderId: order.id, labourCost: "10.00" } as never),
    ).rejects.toMatchObject({ issues: [{ path: "labourCost" }] });
    await expect(
      addRepairParts(t.db, {
        repairOrderId: order.id,
        warehouseId: wh,
        parts: [{ partId: part, qty: 1, cost: 1 }],
      } as never),
    ).rejects.toMatchObject({ issues: [{ path: "parts.0.cost" }] });
  });

  it("generateReminders refuses asOf null, true, numbers and non-dates instead of running as of 1970", async () => {
    for (const asOf of [null, true, 0, "yesterday", ""]) {
      await expect(generateReminders(t.db, { asOf } as never)).rejects.toMatchObject({
        issues: [{ path: "asOf" }],
      });
    }
    await expect(generateReminders(t.db, { asOf: "2026-01-01T00:00:00Z" })).resolves.toBeDefined();
    await expect(generateReminders(t.db, { asOf: new Date() })).resolves.toBeDefined();
  });

  it.runIf(onServer())("concurrent scans of an asset not in the snapshot all record the scan", async () => {
    const room = await createLocation(t.db, { name: uniq("room") });
    const elsewhere = await createLocation(t.db, { name: uniq("elsewhere") });
    const { session } = await startInventorySession(t.db, { name: "count", locationId: room.id });
    const others = await Promise.all([t.connect(1), t.connect(1), t.connect(1), t.connect(1)]);
    try {
      // Several rounds: the race needs the four inserts to meet, which one round may not give.
      for (let round = 0; round < 8; round++) {
        const stray = await createAsset(t.db, { assetCode: uniq("STRAY"), locationId: elsewhere.id });
        const results = await Promise.allSettled(
          others.map((o) =>
            scanInventoryItem(o.db, { sessionId: session.id, code: stray.assetCode, locationId: room.id }),
          ),
        );
        expect(results.map((r) => (r.status === "fulfilled" ? "recorded" : String(r.reason)))).toEqual([
          "recorded",
          "recorded",
          "recorded",
          "recorded",
        ]);
        const ids = new Set(results.map((r) => (r.status === "fulfilled" ? r.value.id : "")));
        expect(ids.size).toBe(1);
      }
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
  });
});

describe("bounded JSON (item 7) and strings PostgreSQL cannot store (item 6)", () => {
  it("JSON nested 1,500 levels deep (a 9 KB body) is a ValidationError at the depth limit, not a stack overflow", async () => {
    const body = `${'{"a":'.repeat(1500)}1${"}".repeat(1500)}`;
    expect(body.length).toBeLessThan(10_000);
    const err = await createWorkflowRequest(t.db, { requestType: "move", payload: JSON.parse(body) }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues[0]?.message).toMatch(/nest deeper than 32/);
  });

  it("a payload larger than the size bound is refused", async () => {
    const err = await createWorkflowRequest(t.db, {
      requestType: "move",
      payload: { blob: "x".repeat(1_100_000) },
    }).catch((e: unknown) => e);
    expect((err as ValidationError).issues[0]?.message).toMatch(/larger than/);
  });

  it("NUL characters and lone surrogates are refused with their path", async () => {
    await expect(createLocation(t.db, { name: "a\u0000b" })).rejects.toMatchObject({
      issues: [{ path: "name", message: "must not contain a NUL character" }],
    });
    await expect(
      createWorkflowRequest(t.db, { requestType: "move", payload: { "k\u0000": 1 } }),
    ).rejects.toMatchObject({ issues: [{ path: "payload.k\u0000" }] });
    await expect(createLocation(t.db, { name: "half \uD83C" })).rejects.toMatchObject({
      issues: [{ path: "name", message: "must be well-formed Unicode (no lone surrogate)" }],
    });
  });
});

describe("ranges validated up front, naming the field (item 8)", () => {
  it("date 0000-01-01 and timestamps outside years 0001-9999", async () => {
    await expect(
      createAsset(t.db, { assetCode: uniq("D"), purchaseDate: "0000-01-01" }),
    ).rejects.toMatchObject({
      issues: [{ path: "purchaseDate" }],
    });
    await expect(generateReminders(t.db, { asOf: "0000-06-01T00:00:00Z" })).rejects.toMatchObject({
      issues: [{ path: "asOf" }],
    });
  });

  it("unitCost 1e10 names the line's field", async () => {
    const wh = await makeWarehouse(t.db);
    const part = await makePart(t.db);
    await expect(
      createStockDocument(t.db, {
        docType: "receipt",
        warehouseId: wh,
        lines: [{ partId: part, qty: 1, unitCost: 1e10 }],
      }),
    ).rejects.toMatchObject({ issues: [{ path: "lines.0.unitCost" }] });
  });

  it("stock beyond int32 is refused naming qty, before PostgreSQL's bare 'integer out of range'", async () => {
    const wh = await makeWarehouse(t.db);
    const part = await makePart(t.db);
    const lines = [1, 2, 3].map(() => ({ partId: part, qty: 1_000_000_000 }));
    const doc = await createStockDocument(t.db, { docType: "receipt", warehouseId: wh, lines });
    await expect(postStockDocument(t.db, { documentId: doc.id })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      issues: [{ path: "qty" }],
    });
  });

  it("token sums beyond int32 name completionTokens", async () => {
    await expect(
      recordUsage(t.db, {
        userId: "u",
        modelId: "m",
        provider: "p",
        tier: 1,
        promptTokens: 2_000_000_000,
        completionTokens: 2_000_000_000,
      }),
    ).rejects.toMatchObject({ issues: [{ path: "completionTokens" }] });
  });
});

describe("CMDB attribute errors (item 9)", () => {
  it("keep their attributes. prefix, and a missing required attribute says it is required", async () => {
    const { typeId } = await makeCiType(t.db, [
      { key: "cpu_cores", label: "Cores", fieldType: "number", required: true },
      { key: "note", label: "Note", fieldType: "string" },
    ]);
    await expect(
      createCi(t.db, { typeId, name: "x", ciCode: uniq("CI"), attributes: { note: "n" } }),
    ).rejects.toMatchObject({ issues: [{ path: "attributes.cpu_cores", message: "is required" }] });
    await expect(
      createCi(t.db, { typeId, name: "x", ciCode: uniq("CI"), attributes: { cpu_cores: "eight" } }),
    ).rejects.toMatchObject({ issues: [{ path: "attributes.cpu_cores", message: "must be a number" }] });
    const ci = await createCi(t.db, { typeId, name: "x", ciCode: uniq("CI"), attributes: { cpu_cores: 4 } });
    await expect(updateCi(t.db, { ciId: ci.id, attributes: { cpu_cores: null } })).rejects.toMatchObject({
      issues: [{ path: "attributes.cpu_cores", message: "is required" }],
    });
    await expect(updateCi(t.db, { ciId: ci.id, attributes: { color: "red" } })).rejects.toMatchObject({
      issues: [{ path: "attributes.color", message: "is not an allowed field" }],
    });
  });
});

describe("hostile objects and running totals", () => {
  it("a getter that throws is a ValidationError that does not repeat what the getter said", async () => {
    const input = Object.defineProperty({}, "name", {
      enumerable: true,
      get() {
        throw new Error("boom: getter-secret");
      },
    });
    const err = await createLocation(t.db, input as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(`${(err as Error).message}${JSON.stringify(err)}`).not.toContain("getter-secret");
  });

  it("a day's token roll-up beyond int32 names the tokens and writes nothing", async () => {
    const usage = { userId: uniq("u"), modelId: "m", provider: "p", tier: 1, promptTokens: 2_000_000_000 };
    await recordUsage(t.db, usage);
    await expect(recordUsage(t.db, usage)).rejects.toMatchObject({ issues: [{ path: "promptTokens" }] });
  });
});
