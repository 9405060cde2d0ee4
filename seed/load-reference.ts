/**
 * `seedReference(db)`: loads the reference data (seed/reference.ts) idempotently in one
 * transaction and reports inserted/updated/unchanged rows per table.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "../src/db.js";
import { ValidationError, type ValidationIssue } from "../src/errors/index.js";
import { advisoryXactLock, LOCK_KEYS } from "../src/locks.js";
import {
  aiProviders,
  assetCategories,
  assetCategorySpecDefs,
  assetCategorySpecVersions,
  cmdbCiTypeAttrDefs,
  cmdbCiTypes,
  cmdbCiTypeVersions,
  cmdbRelationshipTypes,
  modelConfigs,
  orchestrationRules,
} from "../src/schema/index.js";
import {
  insertAiProviderSchema,
  insertAssetCategorySchema,
  insertCmdbCiTypeSchema,
  insertCmdbRelationshipTypeSchema,
  insertModelConfigSchema,
  insertOrchestrationRuleSchema,
  validateFieldDefinitions,
} from "../src/validation/index.js";
import { type ReferenceData, referenceData } from "./reference.js";
import { emptyReport, type SeedReport, upsertByLookup, upsertOnConflict } from "./upsert.js";

export interface SeedReferenceOptions {
  /** The data to load (default: seed/reference.ts). Tests pass an edited copy. */
  data?: ReferenceData;
}

/**
 * Load the reference data: asset categories with spec versions and defs, CMDB CI types with
 * versions and attr defs, relationship types, AI providers (never an api key), model configs and
 * the default orchestration rule. One transaction (a savepoint when `db` is a transaction already);
 * a second run with the same data writes no row.
 */
export async function seedReference(db: DbOrTx, options: SeedReferenceOptions = {}): Promise<SeedReport> {
  const data = options.data ?? referenceData;
  assertValidReferenceData(data);
  const report = emptyReport();
  await db.transaction(async (tx) => {
    // Serialises concurrent seeders, which the select-then-insert path (natural keys without a
    // unique constraint) needs.
    await advisoryXactLock(tx, LOCK_KEYS.seedReference);

    // Asset categories: name is the natural key but has no unique constraint -> lookup path.
    for (const category of data.assetCategories) {
      const categoryId = await upsertByLookup(
        tx,
        assetCategories,
        assetCategories.name,
        { name: category.name },
        report,
      );
      await upsertOnConflict(
        tx,
        assetCategorySpecVersions,
        [{ categoryId, version: category.spec.version, status: category.spec.status, createdBy: "seed" }],
        [assetCategorySpecVersions.categoryId, assetCategorySpecVersions.version],
        report,
      );
      const [version] = await tx
        .select({ id: assetCategorySpecVersions.id })
        .from(assetCategorySpecVersions)
        .where(
          and(
            eq(assetCategorySpecVersions.categoryId, categoryId),
            eq(assetCategorySpecVersions.version, category.spec.version),
          ),
        );
      if (!version) throw new Error(`spec version of ${category.name} vanished`);
      await upsertOnConflict(
        tx,
        assetCategorySpecDefs,
        category.spec.defs.map((def) => ({ ...def, versionId: version.id })),
        [assetCategorySpecDefs.versionId, assetCategorySpecDefs.key],
        report,
      );
    }

    // CMDB CI types (code unique), their versions and attr defs.
    await upsertOnConflict(
      tx,
      cmdbCiTypes,
      data.ciTypes.map((t) => ({ code: t.code, name: t.name, description: t.description ?? null })),
      [cmdbCiTypes.code],
      report,
    );
    const typeIds = await ciTypeIds(
      tx,
      data.ciTypes.map((t) => t.code),
    );
    for (const type of data.ciTypes) {
      const typeId = typeIds.get(type.code) as string;
      await upsertOnConflict(
        tx,
        cmdbCiTypeVersions,
        [{ typeId, version: type.attrs.version, status: type.attrs.status, createdBy: "seed" }],
        [cmdbCiTypeVersions.typeId, cmdbCiTypeVersions.version],
        report,
      );
      const [version] = await tx
        .select({ id: cmdbCiTypeVersions.id })
        .from(cmdbCiTypeVersions)
        .where(
          and(eq(cmdbCiTypeVersions.typeId, typeId), eq(cmdbCiTypeVersions.version, type.attrs.version)),
        );
      if (!version) throw new Error(`version of CI type ${type.code} vanished`);
      await upsertOnConflict(
        tx,
        cmdbCiTypeAttrDefs,
        type.attrs.defs.map((def) => ({ ...def, versionId: version.id })),
        [cmdbCiTypeAttrDefs.versionId, cmdbCiTypeAttrDefs.key],
        report,
      );
    }

    // Relationship types (code unique); allowed ends by CI type code, looked up (may be seeded earlier).
    const endCodes = data.relationshipTypes
      .flatMap((r) => [r.allowedFrom, r.allowedTo])
      .filter((c) => c !== undefined);
    const endIds = await ciTypeIds(tx, endCodes);
    const endId = (code: string | undefined) => {
      if (code === undefined) return null;
      const id = endIds.get(code);
      if (!id) throw new Error(`relationship type seed names unknown CI type ${code}`);
      return id;
    };
    await upsertOnConflict(
      tx,
      cmdbRelationshipTypes,
      data.relationshipTypes.map(({ allowedFrom, allowedTo, ...rest }) => ({
        ...rest,
        reverseName: rest.reverseName ?? null,
        allowedFromTypeId: endId(allowedFrom),
        allowedToTypeId: endId(allowedTo),
      })),
      [cmdbRelationshipTypes.code],
      report,
    );

    // AI configuration: provider and model ids are primary keys.
    await upsertOnConflict(tx, aiProviders, data.aiProviders, [aiProviders.id], report);
    await upsertOnConflict(tx, modelConfigs, data.modelConfigs, [modelConfigs.id], report);
    // Orchestration rules: name has no unique constraint -> lookup path.
    for (const rule of data.orchestrationRules) {
      await upsertByLookup(tx, orchestrationRules, orchestrationRules.name, rule, report);
    }
  });
  return report;
}

/**
 * Check the seed itself before writing anything, with the same validators the application uses,
 * so a bad edit to seed/reference.ts fails with field-level messages instead of a half-loaded seed.
 * (Only checked: the rows are written as given, so unchanged rows compare equal.)
 */
export function assertValidReferenceData(data: ReferenceData): void {
  const issues: ValidationIssue[] = [];
  const collect = (prefix: string, found: ValidationIssue[]) => {
    for (const i of found) issues.push({ path: i.path ? `${prefix}.${i.path}` : prefix, message: i.message });
  };
  const check = (prefix: string, schema: z.ZodType, row: unknown) => {
    const result = schema.safeParse(row);
    if (!result.success) collect(prefix, ValidationError.fromZod(result.error).issues);
  };
  data.assetCategories.forEach((c, i) => {
    check(`assetCategories.${i}`, insertAssetCategorySchema, { name: c.name });
    collect(`assetCategories.${i}.spec.defs`, validateFieldDefinitions(c.spec.defs));
  });
  data.ciTypes.forEach((t, i) => {
    check(`ciTypes.${i}`, insertCmdbCiTypeSchema, {
      code: t.code,
      name: t.name,
      description: t.description ?? null,
    });
    collect(`ciTypes.${i}.attrs.defs`, validateFieldDefinitions(t.attrs.defs));
  });
  for (const [i, { allowedFrom: _from, allowedTo: _to, ...row }] of data.relationshipTypes.entries()) {
    check(`relationshipTypes.${i}`, insertCmdbRelationshipTypeSchema, row);
  }
  for (const [i, row] of data.aiProviders.entries()) check(`aiProviders.${i}`, insertAiProviderSchema, row);
  for (const [i, row] of data.modelConfigs.entries())
    check(`modelConfigs.${i}`, insertModelConfigSchema, row);
  for (const [i, row] of data.orchestrationRules.entries()) {
    check(`orchestrationRules.${i}`, insertOrchestrationRuleSchema, row);
  }
  if (issues.length > 0) throw new ValidationError(issues);
}

async function ciTypeIds(db: DbOrTx, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .select({ id: cmdbCiTypes.id, code: cmdbCiTypes.code })
    .from(cmdbCiTypes)
    .where(inArray(cmdbCiTypes.code, codes));
  return new Map(rows.map((r) => [r.code, r.id]));
}
