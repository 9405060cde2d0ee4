/**
 * Property, for every public operation of `@netopsai/db/queries`: given random inputs, valid,
 * near-valid and hostile (wrong types, NUL, lone surrogates, huge and negative numbers, dates out of
 * range, `__proto__` keys, deep JSON, unknown keys, upper-case UUIDs, ids of nothing), the result is
 * success or a NetOpsError, and on failure:
 * - a refusal of the input itself is a ValidationError naming its field, never a database error
 *   of the value's kind (out of range, bad text, too long, check, not null: validation must catch
 *   those first, naming the field);
 * - no value of the input appears in the message or the JSON of the error (the UUIDs of the rows
 *   an operation names, such as NotFoundError's, excepted: they are identifiers, not values);
 * - no table changed its row count.
 * Fixed seed; bounded runs per operation.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { type DbOrTx, rows } from "../../src/db.js";
import {
  CheckViolationError,
  InvalidTextRepresentationError,
  NetOpsError,
  NotNullViolationError,
  OutOfRangeError,
  ValidationError,
  ValueTooLongError,
} from "../../src/errors/index.js";
import * as q from "../../src/queries/index.js";
import { assetAssignments, assets, cmdbServices, users } from "../../src/schema/index.js";
import { categoryWithSpec } from "../queries/assets/fixtures.js";
import { makeCiType, makeRelType } from "../queries/cmdb/fixtures.js";
import { makePart, makeWarehouse } from "../queries/warehouse/fixtures.js";
import { useTestDatabase } from "../support/test-db.js";
import { PROPERTY_SEED } from "./support.js";

const t = useTestDatabase();
/** Ids of fixture rows by entity, so inputs can point at rows that exist. */
const ids: Record<string, string[]> = {};
let tables: string[] = [];

beforeAll(async () => {
  const db = t.db;
  const root = await q.createLocation(db, { name: `ops-${randomUUID().slice(0, 6)}` });
  const room = await q.createLocation(db, { name: "room", parentId: root.id });
  ids.location = [root.id, room.id];
  const { category } = await categoryWithSpec(db);
  ids.category = [category.id];
  const model = await q.createAssetModel(db, {
    model: "m",
    categoryId: category.id,
    spec: { port_count: 8 },
  });
  ids.model = [model.id];
  const a1 = await q.createAsset(db, { assetCode: `OPS-${randomUUID().slice(0, 6)}`, locationId: room.id });
  const a2 = await q.createAsset(db, { assetCode: `OPS-${randomUUID().slice(0, 6)}`, locationId: room.id });
  await db
    .insert(assetAssignments)
    .values({ assetId: a2.id, assigneeType: "person", assigneeId: "u", assigneeName: "U" });
  await db.update(assets).set({ status: "in_use" }).where(sql`${assets.id} = ${a2.id}`);
  ids.asset = [a1.id, a2.id];
  const { typeId } = await makeCiType(db, [
    { key: "cpu", label: "CPU", fieldType: "number", required: true, minValue: "1", maxValue: "256" },
    { key: "note", label: "Note", fieldType: "string" },
  ]);
  ids.ciType = [typeId];
  const ci1 = await q.createCi(db, {
    typeId,
    name: "c1",
    ciCode: `CI-${randomUUID().slice(0, 6)}`,
    attributes: { cpu: 2 },
  });
  const ci2 = await q.createCi(db, {
    typeId,
    name: "c2",
    ciCode: `CI-${randomUUID().slice(0, 6)}`,
    attributes: { cpu: 4 },
  });
  ids.ci = [ci1.id, ci2.id];
  const rel = await makeRelType(db);
  ids.relTypeCode = [rel.code];
  ids.relType = [rel.id];
  ids.relationship = [
    (await q.relateCis(db, { relTypeCode: rel.code, fromCiId: ci1.id, toCiId: ci2.id })).id,
  ];
  const [service] = await db
    .insert(cmdbServices)
    .values({ code: `SVC-${randomUUID().slice(0, 6)}`, name: "svc" })
    .returning();
  ids.service = [service!.id];
  const [user] = await db
    .insert(users)
    .values({ email: `${randomUUID().slice(0, 6)}@example.com`, name: "u", passwordHash: "x" })
    .returning();
  ids.user = [user!.id];
  ids.token = [(await q.createSession(db, { userId: user!.id })).token];
  const wh = await makeWarehouse(db);
  const part = await makePart(db);
  ids.warehouse = [wh, await makeWarehouse(db)];
  ids.part = [part];
  const receipt = await q.createStockDocument(db, {
    docType: "receipt",
    warehouseId: wh,
    lines: [{ partId: part, qty: 50, unitCost: "3.00" }],
  });
  await q.postStockDocument(db, { documentId: receipt.id });
  const draft = await q.createStockDocument(db, {
    docType: "issue",
    warehouseId: wh,
    lines: [{ partId: part, qty: 1 }],
  });
  ids.document = [receipt.id, draft.id];
  const order = await q.openRepairOrder(db, { assetId: a1.id, title: "fix", severity: "low" });
  ids.repairOrder = [order.id];
  ids.request = [(await q.createWorkflowRequest(db, { requestType: "move" })).id];
  ids.ticket = [(await q.openMaintenanceTicket(db, { assetId: a2.id, title: "t", severity: "low" })).id];
  ids.session = [(await q.startInventorySession(db, { name: "count", locationId: root.id })).session.id];
  tables = (
    await rows<{ t: string }>(
      db,
      sql`SELECT tablename::text AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
    )
  ).map((r) => r.t);
});

/** Row count of every table, in one statement. */
async function rowCounts(db: DbOrTx): Promise<Record<string, number>> {
  const parts = tables.map(
    (name) => sql`SELECT ${name}::text AS t, count(*)::int AS n FROM ${sql.identifier(name)}`,
  );
  const found = await rows<{ t: string; n: number }>(db, sql.join(parts, sql` UNION ALL `));
  return Object.fromEntries(found.map((r) => [r.t, Number(r.n)]));
}

// ---- values -------------------------------------------------------------------------------------

const deepJson = (levels: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
};

/** Values no field should accept as they are (some are fine for some fields: that is the point). */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "",
    "   ",
    "\u0000nul-inside",
    "half-surrogate\uD800x",
    "x".repeat(5000),
    "' OR 1=1 --",
    "0000-01-01",
    "9999-12-31T23:59:59Z",
    "2026-02-30",
    "-1",
    "1e10",
    "NaN",
    "00000000-0000-0000-0000-000000000000",
    randomUUID().toUpperCase(),
  ),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -1,
    0,
    1.5,
    0.005,
    1e10,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53,
  ),
  fc.constantFrom(null, true, false, [], {}, [1, "a"]),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}}')),
  fc.constant(deepJson(200)),
);

type Kind =
  | { id: string }
  | "text"
  | "code"
  | "money"
  | "date"
  | "timestamp"
  | "json"
  | "bool"
  | "token"
  | "lines"
  | { int: [number, number] }
  | { oneOf: readonly string[] };

function valid(kind: Kind): fc.Arbitrary<unknown> {
  if (typeof kind === "object" && "id" in kind) {
    const existing = ids[kind.id] ?? [];
    return fc.oneof(
      fc.constantFrom(...existing),
      fc.constantFrom(
        ...existing.map((i) => (kind.id === "token" || kind.id === "relTypeCode" ? i : i.toUpperCase())),
      ),
    );
  }
  if (typeof kind === "object" && "int" in kind) return fc.integer({ min: kind.int[0], max: kind.int[1] });
  if (typeof kind === "object") return fc.constantFrom(...kind.oneOf);
  switch (kind) {
    case "text":
      return fc.string({ minLength: 1, maxLength: 30 });
    case "code":
      return fc.stringMatching(/^[A-Z][A-Z0-9-]{5,14}$/);
    case "money":
      return fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom("12.50", "0.01", 7.25));
    case "date":
      return fc.constantFrom("2026-05-01", "2027-01-31");
    case "timestamp":
      return fc.constantFrom("2026-05-01T10:00:00Z", new Date("2026-06-01T00:00:00Z"));
    case "json":
      return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });
    case "bool":
      return fc.boolean();
    case "token":
      return fc.constantFrom(...(ids.token ?? []));
    case "lines":
      return fc.array(
        fc.record(
          { partId: valid(id("part")), qty: fc.integer({ min: 1, max: 5 }), unitCost: valid("money") },
          { requiredKeys: ["partId", "qty"] },
        ),
        { minLength: 1, maxLength: 3 },
      );
  }
}

type Spec = Record<string, Kind>;

/** An input for a spec: each field valid (mostly) or hostile, sometimes missing, sometimes an extra key. */
/** A valid input: every field from its valid values. */
const validInput = (spec: Spec) =>
  fc.record(Object.fromEntries(Object.entries(spec).map(([k, kind]) => [k, valid(kind)]))) as fc.Arbitrary<
    Record<string, unknown>
  >;

function inputFor(spec: Spec): fc.Arbitrary<unknown> {
  const keys = Object.keys(spec);
  const validRecord = validInput(spec);
  // Near-valid: everything right but one field, given a value just outside its rule or hostile.
  const oneBad = fc
    .tuple(
      validRecord,
      fc
        .constantFrom(...keys)
        .chain((k) => fc.tuple(fc.constant(k), fc.oneof(nearMiss(spec[k] as Kind), hostile))),
    )
    .map(([r, [k, v]]) => ({ ...r, [k]: v }));
  const extraKey = fc
    .tuple(validRecord, fc.constantFrom("extraKey", "labourCost", "__proto__"))
    .map(([r, k]) =>
      k === "__proto__"
        ? (JSON.parse(JSON.stringify({ ...r, [MARK]: 1 }).replace(MARK, "__proto__")) as unknown)
        : { ...r, [k]: 1 },
    );
  return fc.oneof(
    { weight: 2, arbitrary: validRecord },
    { weight: 6, arbitrary: oneBad },
    { weight: 1, arbitrary: extraKey },
    { weight: 1, arbitrary: hostile },
  );
}

const MARK = "__mark_proto__";

/** Values just outside what a field of that kind accepts (or what its column can hold). */
function nearMissValues(kind: Kind): unknown[] {
  if (typeof kind === "object" && "id" in kind) {
    return [randomUUID(), randomUUID().toUpperCase(), "not-a-uuid", `${randomUUID()}x`, ""];
  }
  if (typeof kind === "object" && "int" in kind) {
    const [min, max] = kind.int;
    return [min - 1, max + 1, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 1.5, Number.NaN, `${min}`];
  }
  if (typeof kind === "object") return [`${kind.oneOf[0]} `, kind.oneOf[0]?.toUpperCase(), "other"];
  switch (kind) {
    case "text":
      return ["", "   ", "a\u0000b", "\uDC00", "x".repeat(20_000), 42];
    case "code":
      return ["", "  ", " PADDED ", "has space", "x".repeat(300), "a\u0000b"];
    case "money":
      return [0.005, "0.005", -1, "-0.01", 1e10, "10000000000.00", 1e21, "1e3", Number.NaN];
    case "date":
      return ["0000-01-01", "9999-12-31", "2026-02-30", "26-01-01", "2026-01-01T00:00:00Z", 20260101];
    case "timestamp":
      return [
        null,
        true,
        0,
        "",
        "yesterday",
        "0000-01-01T00:00:00Z",
        "2026-01-01T00:00:00+99:00",
        "+275760-09-13T00:00:00Z",
        new Date(Number.NaN),
        new Date(-62198755200000),
      ];
    case "json":
      return [
        JSON.parse('{"__proto__": {"x": 1}}') as unknown,
        deepJson(40),
        { k: "a\u0000b" },
        { "k\u0000": 1 },
        [],
        "{}",
      ];
    case "bool":
      return ["true", 1, null];
    case "token":
      return [" padded ", "", "x".repeat(5000)];
    case "lines": {
      const part = ids.part?.[0] as string;
      return [
        [],
        [{ partId: part, qty: 0 }],
        [{ partId: part, qty: 2 ** 31 - 1 }],
        [
          { partId: part, qty: 1_000_000_000 },
          { partId: part, qty: 1_000_000_000 },
          { partId: part, qty: 1_000_000_000 },
        ],
        [{ partId: part.toUpperCase(), qty: 1 }],
        [{ partId: randomUUID(), qty: 1 }],
        [{ partId: part, qty: 1, unitCost: 1e10 }],
        [{ partId: part, qty: 1, unitCosts: "1.00" }],
        Array.from({ length: 1001 }, () => ({ partId: part, qty: 1 })),
        { partId: part, qty: 1 },
      ];
    }
  }
}

const nearMiss = (kind: Kind): fc.Arbitrary<unknown> => fc.constantFrom(...nearMissValues(kind));

const id = (entity: string): Kind => ({ id: entity });
const SEVERITY = { oneOf: ["low", "medium", "high", "critical"] } as const;

/** Every public operation and the fields of its input. */
const OPERATIONS: Record<string, [(db: DbOrTx, input: never) => Promise<unknown>, Spec]> = {
  createLocation: [q.createLocation, { name: "text", parentId: id("location") }],
  moveLocation: [q.moveLocation, { locationId: id("location"), parentId: id("location") }],
  renameLocation: [q.renameLocation, { locationId: id("location"), name: "text" }],
  createAssetModel: [
    q.createAssetModel,
    { model: "text", categoryId: id("category"), spec: "json", brand: "text" },
  ],
  createAsset: [
    q.createAsset,
    {
      assetCode: "code",
      locationId: id("location"),
      modelId: id("model"),
      vlanId: { int: [1, 4094] },
      purchaseDate: "date",
      warrantyEnd: "date",
      mgmtIp: { oneOf: ["10.0.0.1", "10.0.0.0/24", "::1"] },
      macAddress: { oneOf: ["00:11:22:33:44:55", "0011.2233.4455"] },
      notes: "text",
    },
  ],
  getAsset: [q.getAsset, { id: id("asset") }],
  findAssetByCode: [q.findAssetByCode, { assetCode: "code" }],
  assignAsset: [
    q.assignAsset,
    {
      assetId: id("asset"),
      assigneeType: { oneOf: ["person", "department", "system"] },
      assigneeId: "text",
      assigneeName: "text",
    },
  ],
  returnAsset: [q.returnAsset, { assetId: id("asset"), note: "text" }],
  moveAsset: [q.moveAsset, { assetId: id("asset"), locationId: id("location") }],
  transitionAssetStatus: [
    q.transitionAssetStatus,
    {
      assetId: id("asset"),
      to: { oneOf: ["in_stock", "in_use", "in_repair", "retired", "lost", "disposed"] },
      reason: "text",
      payload: "json",
    },
  ],
  searchAssets: [
    q.searchAssets as never,
    {
      code: "text",
      ip: { oneOf: ["10.0.0.0/8", "10.0.0.1"] },
      limit: { int: [1, 500] },
      cursor: "text",
      locationId: id("location"),
    },
  ],
  createCi: [
    q.createCi,
    {
      typeId: id("ciType"),
      name: "text",
      ciCode: "code",
      attributes: "json",
      environment: { oneOf: ["prod", "dev"] },
    },
  ],
  updateCi: [q.updateCi, { ciId: id("ci"), name: "text", attributes: "json" }],
  getCi: [q.getCi, { ciId: id("ci") }],
  relateCis: [
    q.relateCis,
    { relTypeCode: id("relTypeCode"), fromCiId: id("ci"), toCiId: id("ci"), sinceDate: "date", note: "text" },
  ],
  retireRelationship: [q.retireRelationship, { relationshipId: id("relationship") }],
  impactAnalysis: [
    q.impactAnalysis,
    { ciId: id("ci"), direction: { oneOf: ["dependencies", "dependents"] }, maxDepth: { int: [1, 20] } },
  ],
  serviceMap: [q.serviceMap, { serviceId: id("service"), maxDepth: { int: [1, 20] } }],
  createSession: [
    q.createSession,
    {
      userId: id("user"),
      ttlSeconds: { int: [1, 86_400] },
      ipAddress: { oneOf: ["10.1.2.3", "::1"] },
      userAgent: "text",
      token: "text",
    },
  ],
  findValidSession: [q.findValidSession, { token: "token" }],
  revokeSession: [q.revokeSession, { token: "token" }],
  recordUsage: [
    q.recordUsage,
    {
      userId: "text",
      modelId: "text",
      provider: "text",
      tier: { int: [0, 3] },
      promptTokens: { int: [0, 10_000] },
      completionTokens: { int: [0, 10_000] },
      totalCost: "money",
    },
  ],
  startInventorySession: [q.startInventorySession, { name: "text", locationId: id("location") }],
  scanInventoryItem: [
    q.scanInventoryItem,
    { sessionId: id("session"), code: "code", locationId: id("location"), note: "text" },
  ],
  inventorySummary: [q.inventorySummary, { sessionId: id("session") }],
  closeInventorySession: [q.closeInventorySession, { sessionId: id("session") }],
  createStockDocument: [
    q.createStockDocument,
    {
      docType: { oneOf: ["receipt", "issue"] },
      warehouseId: id("warehouse"),
      code: "code",
      docDate: "date",
      note: "text",
      lines: "lines",
    },
  ],
  getStockDocument: [q.getStockDocument, { documentId: id("document") }],
  updateStockDocumentDraft: [
    q.updateStockDocumentDraft,
    { documentId: id("document"), note: "text", docDate: "date", lines: "lines" },
  ],
  postStockDocument: [q.postStockDocument, { documentId: id("document"), approvedBy: "text" }],
  cancelStockDocument: [q.cancelStockDocument, { documentId: id("document") }],
  reserveStock: [
    q.reserveStock,
    { warehouseId: id("warehouse"), partId: id("part"), qty: { int: [1, 100] } },
  ],
  releaseStock: [
    q.releaseStock,
    { warehouseId: id("warehouse"), partId: id("part"), qty: { int: [1, 100] } },
  ],
  getStockLevel: [q.getStockLevel, { warehouseId: id("warehouse"), partId: id("part") }],
  lowStockReport: [q.lowStockReport as never, { warehouseId: id("warehouse") }],
  openRepairOrder: [
    q.openRepairOrder,
    { assetId: id("asset"), title: "text", severity: SEVERITY, description: "text" },
  ],
  addRepairParts: [
    q.addRepairParts,
    { repairOrderId: id("repairOrder"), warehouseId: id("warehouse"), parts: "lines" },
  ],
  progressRepairOrder: [
    q.progressRepairOrder,
    {
      repairOrderId: id("repairOrder"),
      status: { oneOf: ["diagnosing", "waiting_parts", "repaired"] },
      diagnosis: "text",
    },
  ],
  closeRepairOrder: [
    q.closeRepairOrder,
    {
      repairOrderId: id("repairOrder"),
      laborCost: "money",
      downtimeMinutes: { int: [0, 10_000] },
      resolution: "text",
    },
  ],
  cancelRepairOrder: [q.cancelRepairOrder, { repairOrderId: id("repairOrder"), returnParts: "bool" }],
  generateReminders: [
    q.generateReminders as never,
    { asOf: "timestamp", warrantyWithinDays: { int: [1, 365] }, channel: "code" },
  ],
  createWorkflowRequest: [
    q.createWorkflowRequest,
    {
      requestType: { oneOf: ["assign", "move", "repair"] },
      assetId: id("asset"),
      payload: "json",
      requestedBy: "text",
    },
  ],
  transitionWorkflowRequest: [
    q.transitionWorkflowRequest,
    {
      requestId: id("request"),
      to: { oneOf: ["approved", "rejected", "in_progress", "done", "canceled"] },
      actor: "text",
    },
  ],
  openMaintenanceTicket: [
    q.openMaintenanceTicket,
    { assetId: id("asset"), title: "text", severity: SEVERITY, diagnosis: "text" },
  ],
  transitionMaintenanceTicket: [
    q.transitionMaintenanceTicket,
    { ticketId: id("ticket"), to: { oneOf: ["in_progress", "closed", "canceled"] }, resolution: "text" },
  ],
};

/**
 * Names an error may carry: the declared values of the lists (statuses, directions: "cannot go from
 * closed to closed") and the codes of reference rows (a relationship type's code).
 */
const NAMES = new Set<string>(
  Object.values(OPERATIONS).flatMap(([, spec]) =>
    Object.values(spec).flatMap((k) => (typeof k === "object" && "oneOf" in k ? [...k.oneOf] : [])),
  ),
);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Values of an input that must never come back in an error: strings of 6+ characters (UUIDs and
 * {@link NAMES} excepted). Numbers are not checked: an error may state a limit or an amount
 * ("requested 5, available 3", "at most 2147483647") that equals the input.
 */
function secretsOf(input: unknown, found: string[] = [], depth = 0): string[] {
  if (depth > 40) return found;
  if (typeof input === "string") {
    const name = NAMES.has(input) || (ids.relTypeCode ?? []).includes(input);
    if (input.trim().length >= 6 && !UUID.test(input) && !name) found.push(input);
  } else if (typeof input === "object" && input !== null) {
    // Keys are field names: a path naming one is the point of a ValidationError.
    for (const v of Object.values(input)) secretsOf(v, found, depth + 1);
  }
  return found;
}

/** Database refusals that mean validation let a bad value through. */
const VALUE_ERRORS = [
  OutOfRangeError,
  InvalidTextRepresentationError,
  ValueTooLongError,
  CheckViolationError,
  NotNullViolationError,
];

describe("every public operation, random inputs", () => {
  it.each(Object.keys(OPERATIONS))(
    "%s: success or a leak-free NetOpsError, nothing written on failure",
    async (name) => {
      const [operation, spec] = OPERATIONS[name] as [(db: DbOrTx, input: unknown) => Promise<unknown>, Spec];
      // Row counts after the last success: a failure must leave them as they were.
      let counts = await rowCounts(t.db);
      const check = async (input: unknown): Promise<void> => {
        let error: unknown;
        try {
          await operation(t.db, input);
          counts = await rowCounts(t.db);
          return;
        } catch (e) {
          error = e;
        }
        expect(error, `not a NetOpsError: ${String(error)}`).toBeInstanceOf(NetOpsError);
        const typed = error as NetOpsError;
        expect(
          VALUE_ERRORS.some((k) => typed instanceof k),
          `database refused a value: ${typed.message}`,
        ).toBe(false);
        if (typed instanceof ValidationError) {
          expect(typed.issues.length).toBeGreaterThan(0);
          for (const issue of typed.issues) expect(typeof issue.path).toBe("string");
        }
        const shown = `${typed.message}\n${JSON.stringify(typed)}`;
        for (const secret of secretsOf(input)) {
          expect(shown.includes(secret), `error echoes an input value: ${typed.message}`).toBe(false);
        }
        expect(await rowCounts(t.db)).toEqual(counts);
      };
      // Every near miss of every field, on an otherwise valid input: exhaustive, not left to chance.
      const [base] = fc.sample(validInput(spec), { seed: PROPERTY_SEED, numRuns: 1 });
      const failures: string[] = [];
      for (const [field, kind] of Object.entries(spec)) {
        for (const value of nearMissValues(kind)) {
          await check({ ...(base as object), [field]: value }).catch((e: unknown) => {
            failures.push(
              `${field} = ${JSON.stringify(value)?.slice(0, 30)}: ${(e as Error).message.split("\n")[0]}`,
            );
          });
        }
      }
      expect(failures).toEqual([]);
      // Then random inputs: valid, one field off, unknown keys, or no object at all.
      await fc.assert(fc.asyncProperty(inputFor(spec), check), {
        seed: PROPERTY_SEED,
        numRuns: 20,
        endOnFailure: true,
      });
    },
    60_000,
  );
});
