/**
 * The drift corpus (test/migrate/drift-corpus.ts) against PostgreSQL: one database migrated with the
 * committed migrations plus the corpus objects, one reference built by the drift check itself, then
 * each scenario applied in a transaction, judged, and rolled back. Every scenario must be reported
 * with its object and property, and nothing else beyond its declared side effects.
 */
import { sql, TransactionRollbackError } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db.js";
import { compareSchemas, type DriftReport, readSchema, referenceSchema } from "../../src/migrate/drift.js";
import { migrate } from "../../src/migrate/runner.js";
import type { SchemaSnapshot } from "../../src/migrate/schema-objects.js";
import { createTestDatabase, onServer, scratchName, type TestDatabase } from "../support/test-db.js";
import { corpusFolder, label, matches, SCENARIOS, type Scenario } from "./drift-corpus.js";

/** Identical databases (clones of one), so scenarios run two at a time. */
const LANES = 2;
let live: TestDatabase | undefined;
const lanes: Database[] = [];
const closers: (() => Promise<void>)[] = [];
let reference: SchemaSnapshot;

async function withLane<T>(work: (db: Database) => Promise<T>): Promise<T> {
  while (lanes.length === 0) await new Promise((r) => setTimeout(r, 5));
  const db = lanes.pop() as Database;
  try {
    return await work(db);
  } finally {
    lanes.push(db);
  }
}

/** Drift after `change`, read inside the transaction that made it, which is then rolled back. */
async function driftAfter(change: string): Promise<DriftReport> {
  return withLane((db) => driftIn(db, change));
}

async function driftIn(db: Database, change: string): Promise<DriftReport> {
  let report: DriftReport | undefined;
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql.raw(change));
      report = compareSchemas(reference, await readSchema(tx));
      tx.rollback();
    });
  } catch (error) {
    if (!(error instanceof TransactionRollbackError)) throw error;
  }
  if (!report) throw new Error("no report");
  return report;
}

describe.runIf(onServer())("drift corpus on PostgreSQL", () => {
  beforeAll(async () => {
    const folder = corpusFolder();
    for (let i = 0; i < LANES; i++) {
      const lane = await createTestDatabase();
      closers.push(lane.close);
      await migrate(lane.db, { migrationsFolder: folder });
      lanes.push(lane.db);
      live ??= lane;
    }
    reference = await referenceSchema(
      { driver: "postgres", url: live?.url as string },
      { migrationsFolder: folder, scratchName: scratchName("driftref") },
    );
  }, 120_000);
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it("has at least 60 scenarios, each naming a catalog column", () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(SCENARIOS.map((s) => s.name)).size).toBe(SCENARIOS.length);
  });

  it("no change: zero differences", async () => {
    const report = await driftAfter("SELECT 1");
    expect(report.items).toEqual([]);
    expect(report.notes).toEqual([]);
  });

  it.concurrent.each(SCENARIOS.map((s) => [s.name, s] as const))("%s", async (_name, scenario: Scenario) => {
    const { items } = await driftAfter(scenario.sql);
    const shown = items.map(
      (i) => `${i.change} ${i.kind} ${label(i)} [${(i.differences ?? []).map((d) => d.property).join(", ")}]`,
    );
    for (const e of scenario.expect) {
      expect(
        items.some((i) => matches(i, e)),
        `${JSON.stringify(e)} in ${JSON.stringify(shown)}`,
      ).toBe(true);
    }
    const allowed = [...scenario.expect, ...(scenario.sideEffects ?? [])];
    // Nothing else: every reported item, and every property it names, is expected or a declared side effect.
    for (const item of items) {
      const properties = item.differences?.map((d) => d.property) ?? [undefined];
      for (const property of properties) {
        const covered = allowed.some(
          (e) =>
            matches(
              {
                ...item,
                differences: property ? (item.differences ?? []).filter((d) => d.property === property) : [],
              },
              { ...e, property: e.property ?? undefined },
            ) &&
            (e.property === undefined || e.property === property),
        );
        expect(
          covered,
          `unexpected report ${item.change} ${item.kind} ${label(item)} ${property ?? ""} (all: ${JSON.stringify(shown)})`,
        ).toBe(true);
      }
    }
  });
});
