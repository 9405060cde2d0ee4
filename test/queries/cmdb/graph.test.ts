/** Relationships (allowed types, refusals) and impact analysis / service maps over cyclic graphs. */
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CheckViolationError,
  DuplicateRelationshipError,
  NotFoundError,
  RelationshipNotAllowedError,
  SelfRelationshipError,
  UniqueViolationError,
  ValidationError,
  withDbErrors,
} from "../../../src/errors/index.js";
import {
  impactAnalysis,
  relateCis,
  retireRelationship,
  serviceMap,
} from "../../../src/queries/cmdb/index.js";
import { cmdbRelationships, cmdbServiceMembers, cmdbServices } from "../../../src/schema/cmdb/tables.js";
import * as schema from "../../../src/schema/index.js";
import { onServer, useTestDatabase } from "../../support/test-db.js";
import { makeCi, makeCiType, makeRelType, tag } from "./fixtures.js";

const t = useTestDatabase();
let typeId: string;
let dependsOn: { id: string; code: string };
beforeAll(async () => {
  typeId = (await makeCiType(t.db)).typeId;
  dependsOn = await makeRelType(t.db);
});

/** CIs named by letter, and relationships "X>Y" (X depends on Y). */
async function graph(edges: string[]) {
  const names = [...new Set(edges.flatMap((e) => e.split(">")))];
  const ids: Record<string, string> = {};
  for (const n of names) ids[n] = await makeCi(t.db, typeId, `${n}-${tag()}`);
  const rels: Record<string, string> = {};
  for (const e of edges) {
    const [from, to] = e.split(">") as [string, string];
    rels[e] = (await relateCis(t.db, { relTypeId: dependsOn.id, fromCiId: ids[from]!, toCiId: ids[to]! })).id;
  }
  const nameOf = (id: string) => Object.keys(ids).find((k) => ids[k] === id);
  return { ids, rels, nameOf };
}

describe("relateCis", () => {
  it("honours allowed_from / allowed_to CI types", async () => {
    const app = (await makeCiType(t.db)).typeId;
    const server = (await makeCiType(t.db)).typeId;
    const runsOn = await makeRelType(t.db, { from: app, to: server });
    const [a, s, s2] = [await makeCi(t.db, app), await makeCi(t.db, server), await makeCi(t.db, server)];
    const rel = await relateCis(t.db, { relTypeCode: runsOn.code, fromCiId: a, toCiId: s, note: "primary" });
    expect(rel).toMatchObject({
      relTypeId: runsOn.id,
      fromCiId: a,
      toCiId: s,
      status: "active",
      note: "primary",
    });
    await expect(relateCis(t.db, { relTypeId: runsOn.id, fromCiId: s, toCiId: s2 })).rejects.toMatchObject({
      constructor: RelationshipNotAllowedError,
      end: "from",
      allowedTypeId: app,
      actualTypeId: server,
    });
    await expect(relateCis(t.db, { relTypeId: runsOn.id, fromCiId: a, toCiId: a })).rejects.toBeInstanceOf(
      SelfRelationshipError,
    );
    const a2 = await makeCi(t.db, app);
    await expect(relateCis(t.db, { relTypeId: runsOn.id, fromCiId: a, toCiId: a2 })).rejects.toMatchObject({
      end: "to",
    });
  });

  it("refuses duplicates, reactivates a retired one, and names missing rows", async () => {
    const [a, b] = [await makeCi(t.db, typeId), await makeCi(t.db, typeId)];
    const rel = await relateCis(t.db, { relTypeId: dependsOn.id, fromCiId: a, toCiId: b });
    await expect(relateCis(t.db, { relTypeId: dependsOn.id, fromCiId: a, toCiId: b })).rejects.toBeInstanceOf(
      DuplicateRelationshipError,
    );
    await retireRelationship(t.db, { relationshipId: rel.id });
    const again = await relateCis(t.db, { relTypeId: dependsOn.id, fromCiId: a, toCiId: b });
    expect(again).toMatchObject({ id: rel.id, status: "active" });
    await expect(
      relateCis(t.db, { relTypeCode: "no_such_type", fromCiId: a, toCiId: b }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      relateCis(t.db, {
        relTypeId: dependsOn.id,
        fromCiId: a,
        toCiId: "00000000-0000-4000-8000-000000000000",
      }),
    ).rejects.toMatchObject({ entity: "CI" });
    await expect(relateCis(t.db, { fromCiId: a, toCiId: b })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe.runIf(onServer())("relateCis under concurrency (server only: needs several connections)", () => {
  it("two clients relating the same pair at once: exactly one relationship, one typed refusal", async () => {
    const [a, b] = [await makeCi(t.db, typeId), await makeCi(t.db, typeId)];
    const pools = await Promise.all([t.connect(1), t.connect(1), t.connect(1), t.connect(1)]);
    try {
      const outcomes = await Promise.allSettled(
        pools.map((p) => relateCis(p.db, { relTypeId: dependsOn.id, fromCiId: a, toCiId: b })),
      );
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === "rejected") expect(o.reason).toBeInstanceOf(DuplicateRelationshipError);
      }
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
  });
});

describe("relationship constraints (the schema's safety net under relateCis)", () => {
  it("refuse a self-relationship and a duplicate written directly", async () => {
    const [a, b] = [await makeCi(t.db, typeId), await makeCi(t.db, typeId)];
    const self = await withDbErrors(() =>
      t.db.insert(cmdbRelationships).values({ relTypeId: dependsOn.id, fromCiId: a, toCiId: a }),
    ).catch((e: unknown) => e);
    expect(self).toBeInstanceOf(CheckViolationError);
    expect(self).toMatchObject({ constraint: "cmdb_relationships_not_self_check" });
    await relateCis(t.db, { relTypeId: dependsOn.id, fromCiId: a, toCiId: b });
    const twin = await withDbErrors(() =>
      t.db.insert(cmdbRelationships).values({ relTypeId: dependsOn.id, fromCiId: a, toCiId: b }),
    ).catch((e: unknown) => e);
    expect(twin).toBeInstanceOf(UniqueViolationError);
  });
});

describe("impactAnalysis", () => {
  it("walks both directions with minimal depths on a graph with cycles, each CI once", async () => {
    // A > B > C > D, D > B (cycle), C > A (cycle through the start), A > D (shortcut), E > B.
    const g = await graph(["A>B", "B>C", "C>D", "D>B", "C>A", "A>D", "E>B"]);
    const down = await impactAnalysis(t.db, { ciId: g.ids.A!, direction: "dependencies", maxDepth: 10 });
    expect(down.reached.map((r) => [g.nameOf(r.ciId), r.depth, g.nameOf(r.viaCiId)])).toEqual([
      ["B", 1, "A"],
      ["D", 1, "A"],
      ["C", 2, "B"],
    ]);
    expect(down.reached[0]).toMatchObject({
      relationshipId: g.rels["A>B"],
      relationshipCode: dependsOn.code,
    });

    const up = await impactAnalysis(t.db, { ciId: g.ids.B!, direction: "dependents", maxDepth: 10 });
    // Dependents of B: A, D, E (direct); C (C > A); B itself never reported.
    // Within a depth the order is by ci_code, which starts with the letter.
    expect(up.reached.map((r) => [g.nameOf(r.ciId), r.depth])).toEqual([
      ["A", 1],
      ["D", 1],
      ["E", 1],
      ["C", 2],
    ]);
    const ids = up.reached.map((r) => r.ciId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("stops at the depth limit and ignores retired relationships", async () => {
    const g = await graph(["A>B", "B>C", "C>D"]);
    const two = await impactAnalysis(t.db, { ciId: g.ids.A!, direction: "dependencies", maxDepth: 2 });
    expect(two.reached.map((r) => g.nameOf(r.ciId))).toEqual(["B", "C"]);
    await retireRelationship(t.db, { relationshipId: g.rels["B>C"]! });
    const cut = await impactAnalysis(t.db, { ciId: g.ids.A!, direction: "dependencies" });
    expect(cut.reached.map((r) => g.nameOf(r.ciId))).toEqual(["B"]);
    expect(cut.maxDepth).toBe(5);
  });

  it("terminates on a complete graph (every CI depends on every other) and reports each once", async () => {
    const letters = ["A", "B", "C", "D", "E", "F", "G"];
    const g = await graph(letters.flatMap((x) => letters.filter((y) => y !== x).map((y) => `${x}>${y}`)));
    for (const direction of ["dependencies", "dependents"] as const) {
      const r = await impactAnalysis(t.db, { ciId: g.ids.A!, direction, maxDepth: 20 });
      expect(r.reached.map((x) => [g.nameOf(x.ciId), x.depth])).toEqual(letters.slice(1).map((l) => [l, 1]));
    }
  });

  it.skipIf(!onServer())(
    "runs the same number of statements for 3 or 40 reached CIs (server: own pool)",
    async () => {
      let statements = 0;
      // Counted where they are sent (postgres.js's debug hook): reads take a direct path past
      // drizzle's logger (preparedRows).
      const client = postgres(t.url!, { max: 1, onnotice: () => {}, debug: () => void statements++ });
      const counted = drizzle(client, { schema });
      try {
        const small = await graph(["A>B", "B>C", "C>D"]);
        const chain = Array.from({ length: 40 }, (_, i) => `N${i}>N${i + 1}`);
        const large = await graph(chain);
        // Once before counting: a statement's first run also describes it (one more message).
        await impactAnalysis(counted, { ciId: small.ids.A!, direction: "dependencies", maxDepth: 20 });
        statements = 0;
        const r1 = await impactAnalysis(counted, {
          ciId: small.ids.A!,
          direction: "dependencies",
          maxDepth: 20,
        });
        const smallCount = statements;
        statements = 0;
        const r2 = await impactAnalysis(counted, {
          ciId: large.ids.N0!,
          direction: "dependencies",
          maxDepth: 20,
        });
        expect(r1.reached).toHaveLength(3);
        expect(r2.reached).toHaveLength(20);
        expect(statements).toBe(smallCount);
        expect(smallCount).toBe(1); // the recursive walk, nothing per node
      } finally {
        await client.end();
      }
    },
  );

  it("refuses an unknown CI and a depth outside 1..20", async () => {
    await expect(
      impactAnalysis(t.db, { ciId: "00000000-0000-4000-8000-000000000000", direction: "dependents" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const ci = await makeCi(t.db, typeId);
    // An existing CI without relationships is not an error: nothing is reached.
    expect((await impactAnalysis(t.db, { ciId: ci, direction: "dependencies" })).reached).toEqual([]);
    await expect(
      impactAnalysis(t.db, { ciId: ci, direction: "dependents", maxDepth: 0 }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      impactAnalysis(t.db, { ciId: ci, direction: "sideways" as "dependents" }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("serviceMap", () => {
  it("lists members and their transitive dependencies once, with the edges between them", async () => {
    // Web and App are members; App > DB > Storage, Web > App, DB > App (cycle), Other > DB (not reached).
    const g = await graph(["Web>App", "App>DB", "DB>Storage", "DB>App", "Other>DB"]);
    const [svc] = await t.db
      .insert(cmdbServices)
      .values({ code: `SVC-${tag()}`, name: "Shop" })
      .returning();
    await t.db.insert(cmdbServiceMembers).values([
      { serviceId: svc!.id, ciId: g.ids.Web!, role: "frontend" },
      { serviceId: svc!.id, ciId: g.ids.App!, role: "backend" },
    ]);
    const map = await serviceMap(t.db, { serviceId: svc!.id });
    expect(map.service).toMatchObject({ id: svc!.id, name: "Shop" });
    expect(map.nodes.map((n) => [g.nameOf(n.ciId), n.depth, n.isMember, n.role])).toEqual([
      ["App", 0, true, "backend"],
      ["Web", 0, true, "frontend"],
      ["DB", 1, false, null],
      ["Storage", 2, false, null],
    ]);
    expect(map.nodes.find((n) => n.ciId === g.ids.Storage)).toMatchObject({
      memberCiId: g.ids.App,
      viaCiId: g.ids.DB,
    });
    const edges = map.edges.map((e) => `${g.nameOf(e.fromCiId)}>${g.nameOf(e.toCiId)}`).sort();
    expect(edges).toEqual(["App>DB", "DB>App", "DB>Storage", "Web>App"]);
    const shallow = await serviceMap(t.db, { serviceId: svc!.id, maxDepth: 1 });
    expect(shallow.nodes.map((n) => g.nameOf(n.ciId))).toEqual(["App", "Web", "DB"]);
    await expect(
      serviceMap(t.db, { serviceId: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
