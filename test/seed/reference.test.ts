/**
 * Reference seed against a real database: idempotency counted by the database itself (row
 * versions and the transaction's own write statistics), an edited seed value rewriting exactly one
 * row, rows the seed does not own left alone, no api key, and every seeded definition valid.
 */
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { referenceData, seedReference } from "../../seed/index.js";
import { type DbOrTx, rows } from "../../src/db.js";
import { ValidationError } from "../../src/errors/index.js";
import {
  aiProviders,
  assetCategories,
  assetCategorySpecDefs,
  cmdbCiTypeAttrDefs,
  FIELD_TYPES,
  modelConfigs,
  orchestrationRules,
} from "../../src/schema/index.js";
import { validateFieldDefinition, validateFieldDefinitions } from "../../src/validation/index.js";
import { createTestDatabase, onServer, useTestDatabase } from "../support/test-db.js";

const SEEDED_TABLES = [
  "asset_categories",
  "asset_category_spec_versions",
  "asset_category_spec_defs",
  "cmdb_ci_types",
  "cmdb_ci_type_versions",
  "cmdb_ci_type_attr_defs",
  "cmdb_relationship_types",
  "ai_providers",
  "model_configs",
  "orchestration_rules",
];

/** Physical identity of every row: a rewritten row gets a new (ctid, xmin) even if its values are equal. */
async function versions(db: DbOrTx): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const table of SEEDED_TABLES) {
    const list = await rows<{ id: string; v: string }>(
      db,
      sql.raw(`SELECT id::text AS id, ctid::text || '/' || xmin::text AS v FROM "${table}"`),
    );
    for (const r of list) out.set(`${table}:${r.id}`, r.v);
  }
  return out;
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k)).sort();
}

/**
 * Run `fn` in a transaction and count the tuple writes it made to the seeded tables from
 * pg_stat_xact_user_tables (this backend's unflushed counts; PostgreSQL 15+ may still hold an
 * earlier transaction's counts there, so the difference is taken).
 */
async function writesDuring<T>(fn: (tx: DbOrTx) => Promise<T>): Promise<{ result: T; written: number }> {
  return t.db.transaction(async (tx) => {
    const written = async () => {
      const [r] = await rows<{ n: number }>(
        tx,
        sql`SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::int AS n
              FROM pg_stat_xact_user_tables WHERE relname IN (${sql.join(
                SEEDED_TABLES.map((name) => sql`${name}`),
                sql`, `,
              )})`,
      );
      return r?.n ?? 0;
    };
    const start = await written();
    const result = await fn(tx);
    return { result, written: (await written()) - start };
  });
}

const t = useTestDatabase();

describe("seedReference", () => {
  it("inserts everything on an empty database and reports it per table", async () => {
    const report = await seedReference(t.db);
    expect(report.totals.updated).toBe(0);
    expect(report.totals.unchanged).toBe(0);
    expect(report.tables.asset_categories?.inserted).toBe(referenceData.assetCategories.length);
    expect(report.tables.model_configs?.inserted).toBe(referenceData.modelConfigs.length);
    const [counts] = await rows<{ defs: number; attrs: number }>(
      t.db,
      sql`SELECT (SELECT count(*)::int FROM asset_category_spec_defs) AS defs,
                 (SELECT count(*)::int FROM cmdb_ci_type_attr_defs) AS attrs`,
    );
    expect(report.tables.asset_category_spec_defs?.inserted).toBe(counts?.defs);
    expect(report.tables.cmdb_ci_type_attr_defs?.inserted).toBe(counts?.attrs);
  });

  it("a second run writes no row: same row versions, and zero inserts/updates/deletes in its transaction", async () => {
    const before = await versions(t.db);
    const stats = await writesDuring((tx) => seedReference(tx));
    expect(stats.result.totals).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: stats.result.totals.unchanged,
    });
    expect(stats.result.totals.unchanged).toBeGreaterThan(150);
    expect(stats.written).toBe(0);
    expect(changed(before, await versions(t.db))).toEqual([]);
  });

  it("an edited seed value updates exactly that row (ON CONFLICT path and lookup path)", async () => {
    const data = structuredClone(referenceData);
    const model = data.modelConfigs.find((m) => m.id === "openai/gpt-4o");
    if (!model) throw new Error("fixture");
    model.costPer1kInput = "0.002";
    const before = await versions(t.db);
    const { result: report, written } = await writesDuring((tx) => seedReference(tx, { data }));
    expect(written).toBe(1); // the probe sees writes: one UPDATE
    expect(report.totals.inserted).toBe(0);
    expect(report.totals.updated).toBe(1);
    expect(report.tables.model_configs?.updated).toBe(1);
    const diff = changed(before, await versions(t.db));
    expect(diff).toEqual(["model_configs:openai/gpt-4o"]);
    const [row] = await t.db.select().from(modelConfigs).where(eq(modelConfigs.id, "openai/gpt-4o"));
    expect(Number(row?.costPer1kInput)).toBe(0.002);

    // A spec def (nested under a category) and the orchestration rule (no unique key: lookup path).
    const data2 = structuredClone(data);
    const def = data2.assetCategories[0]?.spec.defs.find((d) => d.key === "poe_budget");
    if (!def) throw new Error("fixture");
    def.helpText = "Total PoE power the switch can deliver";
    const rule = data2.orchestrationRules[0];
    if (!rule) throw new Error("fixture");
    rule.conditions = { ...(rule.conditions ?? {}), min_quality_score: 0.75 };
    const before2 = await versions(t.db);
    const report2 = await seedReference(t.db, { data: data2 });
    expect(report2.totals.updated).toBe(2);
    expect(report2.tables.asset_category_spec_defs?.updated).toBe(1);
    expect(report2.tables.orchestration_rules?.updated).toBe(1);
    const diff2 = changed(before2, await versions(t.db));
    expect(diff2).toHaveLength(2);
    expect(diff2.some((k) => k.startsWith("asset_category_spec_defs:"))).toBe(true);
    expect(diff2.some((k) => k.startsWith("orchestration_rules:"))).toBe(true);

    // Back to the committed seed: exactly those three rows again, then nothing.
    const back = await seedReference(t.db);
    expect(back.totals.updated).toBe(3);
    expect((await seedReference(t.db)).totals.updated).toBe(0);
  });

  it("an invalid edit to the seed is refused with field-level messages before anything is written", async () => {
    const data = structuredClone(referenceData);
    const model = data.modelConfigs[0];
    const def = data.ciTypes[0]?.attrs.defs[0];
    if (!model || !def) throw new Error("fixture");
    model.tier = 7;
    def.fieldType = "enum"; // without enum_values
    const before = await versions(t.db);
    const error = await seedReference(t.db, { data }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).issues.map((i) => i.path);
    expect(paths).toContain("ciTypes.0.attrs.defs.0.enumValues");
    expect(paths).toContain("modelConfigs.0.tier");
    expect(paths.every((p) => p.startsWith("ciTypes.0.attrs.defs.0.") || p === "modelConfigs.0.tier")).toBe(
      true,
    );
    expect(changed(before, await versions(t.db))).toEqual([]);
  });

  it("leaves rows it does not own alone and never writes an api key", async () => {
    await t.db.insert(modelConfigs).values({ id: "local/custom", provider: "ollama", tier: 0 });
    await t.db.insert(assetCategories).values({ name: "Custom gear" });
    // An operator stored an (encrypted) key for a seeded provider: the seed must not touch it.
    await t.db
      .update(aiProviders)
      .set({ apiKey: "enc:v1:operator-secret" })
      .where(eq(aiProviders.id, "openai"));
    const before = await versions(t.db);
    const data = structuredClone(referenceData);
    const openai = data.aiProviders.find((p) => p.id === "openai");
    if (!openai) throw new Error("fixture");
    openai.description = "GPT models (edited)";
    const report = await seedReference(t.db, { data });
    expect(report.totals.updated).toBe(1);
    const diff = changed(before, await versions(t.db));
    expect(diff).toEqual(["ai_providers:openai"]);
    const [provider] = await t.db.select().from(aiProviders).where(eq(aiProviders.id, "openai"));
    expect(provider?.apiKey).toBe("enc:v1:operator-secret");
    const [custom] = await t.db.select().from(modelConfigs).where(eq(modelConfigs.id, "local/custom"));
    expect(custom).toBeDefined();
    const keys = await rows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int AS n FROM ai_providers WHERE api_key IS NOT NULL`,
    );
    expect(keys[0]?.n).toBe(1); // only the operator's
    for (const p of referenceData.aiProviders) expect(Object.keys(p)).not.toContain("apiKey");
  });

  it("every seeded spec def and attr def passes the definition validator; together they use every field type", async () => {
    const specDefs = await t.db.select().from(assetCategorySpecDefs);
    const attrDefs = await t.db.select().from(cmdbCiTypeAttrDefs);
    expect(specDefs.length).toBeGreaterThan(50);
    for (const def of [...specDefs, ...attrDefs]) {
      expect({ key: def.key, issues: validateFieldDefinition(def) }).toEqual({ key: def.key, issues: [] });
    }
    const byVersion = new Map<string | null, typeof specDefs>();
    for (const d of [...specDefs, ...attrDefs])
      byVersion.set(d.versionId, [...(byVersion.get(d.versionId) ?? []), d]);
    for (const defs of byVersion.values()) expect(validateFieldDefinitions(defs)).toEqual([]);
    expect(new Set(specDefs.map((d) => d.fieldType))).toEqual(new Set(FIELD_TYPES));
    expect(specDefs.some((d) => d.unit && d.required && d.minValue !== null && d.maxValue !== null)).toBe(
      true,
    );
    expect(specDefs.some((d) => d.pattern)).toBe(true);
    const categories = await t.db.select().from(assetCategories);
    for (const name of [
      "Switch",
      "Router",
      "Firewall",
      "Access Point",
      "Server",
      "Storage Array",
      "UPS",
      "Laptop",
      "Desktop",
      "Monitor",
      "Printer",
      "IP Phone",
    ]) {
      expect(categories.map((c) => c.name)).toContain(name);
    }
    const rules = await t.db.select().from(orchestrationRules);
    expect(rules.map((r) => r.name)).toContain("default");
  });
});

// Needs two connections: runs on a real server only (skipped on PGlite).
describe.runIf(onServer())("concurrent seed runs", () => {
  it("two simultaneous first runs create each natural key once (advisory lock around select-then-insert)", async () => {
    const fresh = await createTestDatabase();
    const a = await fresh.connect(2);
    const b = await fresh.connect(2);
    try {
      const [ra, rb] = await Promise.all([seedReference(a.db), seedReference(b.db)]);
      expect(ra.totals.inserted + rb.totals.inserted).toBe(ra.totals.inserted + ra.totals.unchanged);
      const dupes = await rows<{ n: number }>(
        fresh.db,
        sql`SELECT count(*)::int AS n FROM (SELECT name FROM asset_categories GROUP BY name HAVING count(*) > 1
                                            UNION ALL SELECT name FROM orchestration_rules GROUP BY name HAVING count(*) > 1) d`,
      );
      expect(dupes[0]?.n).toBe(0);
      const [cats] = await rows<{ n: number }>(
        fresh.db,
        sql`SELECT count(*)::int AS n FROM asset_categories`,
      );
      expect(cats?.n).toBe(referenceData.assetCategories.length);
    } finally {
      await a.close();
      await b.close();
      await fresh.close();
    }
  });
});
