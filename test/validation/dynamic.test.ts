/**
 * Dynamic specifications: buildFieldsSchema honours every definition column, validateFieldDefinition
 * enforces the rules between columns, and activeSpecDefs / activeAttrDefs load the active version's
 * definitions from the database. Plus the shared refinements (MAC, inet, decimals).
 */
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/errors/index.js";
import {
  assetCategories,
  assetCategorySpecDefs,
  assetCategorySpecVersions,
  cmdbCiTypeAttrDefs,
  cmdbCiTypes,
  cmdbCiTypeVersions,
} from "../../src/schema/index.js";
import {
  activeAttrDefs,
  activeSpecDefs,
  buildFieldsSchema,
  decimal,
  type FieldDefinition,
  inet,
  insertAssetSchema,
  mac,
  parseFields,
  validateFieldDefinition,
} from "../../src/validation/index.js";
import { useTestDatabase } from "../support/test-db.js";

const issuesOf = (defs: FieldDefinition[], value: unknown) => {
  try {
    parseFields(defs, value);
    return [];
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return [...new Set(e.issues.map((i) => i.path))];
  }
};

const defs: FieldDefinition[] = [
  { key: "name", fieldType: "string", required: true, minLen: 2, maxLen: 10, pattern: "^[a-z-]+$" },
  { key: "ports", fieldType: "number", required: true, minValue: "1", maxValue: "48", stepValue: "1" },
  { key: "budget", fieldType: "number", minValue: "0", stepValue: "0.1", precision: 5, scale: 1 },
  { key: "poe", fieldType: "boolean", defaultValue: false },
  { key: "speed", fieldType: "enum", enumValues: ["1G", "10G"], defaultValue: "1G" },
  { key: "eos", fieldType: "date" },
  { key: "ip", fieldType: "ip" },
  { key: "mac", fieldType: "mac" },
  { key: "legacy", fieldType: "string", isActive: false },
];

describe("buildFieldsSchema", () => {
  it("accepts valid values, applies defaults and normalises MACs", () => {
    expect(
      parseFields(defs, {
        name: "core-sw",
        ports: 48,
        budget: 0.3,
        mac: "001A.2B3C.4D5E",
        ip: "2001:db8::1",
      }),
    ).toEqual({
      name: "core-sw",
      ports: 48,
      budget: 0.3,
      poe: false,
      speed: "1G",
      mac: "00:1a:2b:3c:4d:5e",
      ip: "2001:db8::1",
    });
    expect(parseFields(defs, { name: "ab", ports: 1, eos: null })).toMatchObject({ eos: null });
  });

  it.each([
    ["missing required", { ports: 1 }, ["name"]],
    ["too short", { name: "a", ports: 1 }, ["name"]],
    ["too long", { name: "abcdefghijk", ports: 1 }, ["name"]],
    ["pattern", { name: "Core_SW", ports: 1 }, ["name"]],
    ["below min", { name: "ab", ports: 0 }, ["ports"]],
    ["above max", { name: "ab", ports: 49 }, ["ports"]],
    ["off step", { name: "ab", ports: 2.5 }, ["ports"]],
    ["off decimal step", { name: "ab", ports: 2, budget: 0.25 }, ["budget"]],
    ["beyond precision", { name: "ab", ports: 2, budget: 12345.1 }, ["budget"]],
    ["wrong type", { name: "ab", ports: "2" }, ["ports"]],
    ["boolean type", { name: "ab", ports: 2, poe: "yes" }, ["poe"]],
    ["unknown enum value", { name: "ab", ports: 2, speed: "5G" }, ["speed"]],
    ["impossible date", { name: "ab", ports: 2, eos: "2023-02-29" }, ["eos"]],
    ["bad ip", { name: "ab", ports: 2, ip: "10.0.0.256" }, ["ip"]],
    ["bad mac", { name: "ab", ports: 2, mac: "00:1a:2b" }, ["mac"]],
    ["unknown key", { name: "ab", ports: 2, colour: "red" }, ["colour"]],
    ["inactive key", { name: "ab", ports: 2, legacy: "x" }, ["legacy"]],
    ["not an object", "spec", [""]],
  ])("rejects %s", (_name, value, paths) => {
    expect(issuesOf(defs, value)).toEqual(paths);
  });

  it("is a strict zod object usable directly", () => {
    expect(buildFieldsSchema([]).safeParse({}).success).toBe(true);
    expect(buildFieldsSchema([]).safeParse({ x: 1 }).success).toBe(false);
  });
});

describe("validateFieldDefinition", () => {
  it.each([
    ["pattern on a number", { key: "a", fieldType: "number", pattern: "^1$" }, "pattern"],
    ["length on a boolean", { key: "a", fieldType: "boolean", maxLen: 3 }, "maxLen"],
    ["enum without values", { key: "a", fieldType: "enum" }, "enumValues"],
    ["enum values on a string", { key: "a", fieldType: "string", enumValues: ["x"] }, "enumValues"],
    ["min > max", { key: "a", fieldType: "number", minValue: "5", maxValue: "1" }, "maxValue"],
    ["minLen > maxLen", { key: "a", fieldType: "string", minLen: 5, maxLen: 1 }, "maxLen"],
    ["step not positive", { key: "a", fieldType: "number", stepValue: "0" }, "stepValue"],
    ["scale > precision", { key: "a", fieldType: "number", precision: 2, scale: 3 }, "scale"],
    ["bounds on a date", { key: "a", fieldType: "date", minValue: "1" }, "minValue"],
    [
      "default outside its range",
      { key: "a", fieldType: "number", maxValue: "10", defaultValue: 11 },
      "defaultValue",
    ],
    [
      "default not in enum",
      { key: "a", fieldType: "enum", enumValues: ["x"], defaultValue: "y" },
      "defaultValue",
    ],
    ["default of the wrong type", { key: "a", fieldType: "boolean", defaultValue: "true" }, "defaultValue"],
    ["invalid regex", { key: "a", fieldType: "string", pattern: "([" }, "pattern"],
    ["key not snake_case", { key: "Port Count", fieldType: "string" }, "key"],
    ["unknown field type", { key: "a", fieldType: "json" as "string" }, "fieldType"],
  ] as [string, FieldDefinition, string][])("rejects %s", (_name, def, path) => {
    const issues = validateFieldDefinition(def);
    expect(issues.map((i) => i.path)).toContain(path);
  });

  it("accepts well-formed definitions of every type", () => {
    for (const def of defs) expect(validateFieldDefinition(def)).toEqual([]);
  });
});

describe("refinements", () => {
  it("MAC notations normalise to lower-case colon form", () => {
    for (const v of [
      "00:1A:2B:3C:4D:5E",
      "00-1a-2b-3c-4d-5e",
      "001a.2b3c.4d5e",
      "001A2B3C4D5E",
      " 00:1a:2b:3c:4d:5e ",
    ]) {
      expect(mac().parse(v)).toBe("00:1a:2b:3c:4d:5e");
    }
    for (const v of ["00:1a:2b:3c:4d", "00:1a-2b:3c:4d:5e", "001a.2b3c", "gg:1a:2b:3c:4d:5e"]) {
      expect(mac().safeParse(v).success).toBe(false);
    }
  });

  it("inet accepts IPv4/IPv6 hosts and CIDRs only", () => {
    for (const v of ["10.0.0.1", "10.0.0.0/8", "0.0.0.0/0", "2001:db8::1", "2001:db8::/32", "::1/128"]) {
      expect(inet().safeParse(v).success).toBe(true);
    }
    for (const v of [
      "10.0.0",
      "10.0.0.1/33",
      "2001:db8::/129",
      "fe80::1%eth0",
      "host.example.com",
      "10.0.0.1/",
    ]) {
      expect(inet().safeParse(v).success).toBe(false);
    }
  });

  it("decimals: numbers or strings, non-negative, within numeric(p, s)", () => {
    const money = decimal({ precision: 12, scale: 2 });
    expect(money.parse(12.5)).toBe("12.5");
    expect(money.parse("0012.50")).toBe("0012.50");
    expect(money.safeParse("-1").success).toBe(false);
    expect(money.safeParse("1.234").success).toBe(false);
    expect(money.safeParse("12345678901").success).toBe(false);
    expect(money.safeParse("1e3").success).toBe(false);
  });

  it("insert schemas trim codes and normalise MACs; update schemas accept partial input", () => {
    expect(insertAssetSchema.parse({ assetCode: "  SW-1 ", macAddress: "AABB.CCDD.EEFF" })).toMatchObject({
      assetCode: "SW-1",
      macAddress: "aa:bb:cc:dd:ee:ff",
    });
  });
});

describe("active definitions from the database", () => {
  const t = useTestDatabase();

  it("activeSpecDefs returns the active version's defs in sort order, null without an active version", async () => {
    const [category] = await t.db.insert(assetCategories).values({ name: "Switch" }).returning();
    const categoryId = category?.id as string;
    expect(await activeSpecDefs(t.db, categoryId)).toBeNull();
    const [v1, v2] = await t.db
      .insert(assetCategorySpecVersions)
      .values([
        { categoryId, version: 1, status: "retired" },
        { categoryId, version: 2, status: "active" },
      ])
      .returning();
    await t.db.insert(assetCategorySpecDefs).values([
      { versionId: v1?.id, key: "old", label: "Old", fieldType: "string" },
      { versionId: v2?.id, key: "b", label: "B", fieldType: "number", sortOrder: 20 },
      { versionId: v2?.id, key: "a", label: "A", fieldType: "string", sortOrder: 10 },
    ]);
    const active = await activeSpecDefs(t.db, categoryId);
    expect(active?.version).toBe(2);
    expect(active?.versionId).toBe(v2?.id);
    expect(active?.defs.map((d) => d.key)).toEqual(["a", "b"]);
  });

  it("activeAttrDefs does the same for CI types", async () => {
    const [type] = await t.db.insert(cmdbCiTypes).values({ code: "vm", name: "VM" }).returning();
    const [version] = await t.db
      .insert(cmdbCiTypeVersions)
      .values({ typeId: type?.id, version: 1, status: "active" })
      .returning();
    await t.db.insert(cmdbCiTypeAttrDefs).values({
      versionId: version?.id,
      key: "vcpu",
      label: "vCPU",
      fieldType: "number",
      required: true,
      minValue: "1",
    });
    const active = await activeAttrDefs(t.db, type?.id as string);
    expect(active?.defs.map((d) => d.key)).toEqual(["vcpu"]);
    expect(() => parseFields(active?.defs ?? [], { vcpu: 0 })).toThrow(ValidationError);
    expect(parseFields(active?.defs ?? [], { vcpu: 4 })).toEqual({ vcpu: 4 });
  });
});
