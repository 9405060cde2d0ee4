/** CIs and their attribute values validated against the type's active version. */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  NoActiveTypeVersionError,
  NotFoundError,
  UniqueViolationError,
  ValidationError,
} from "../../../src/errors/index.js";
import { createCi, getCi, updateCi } from "../../../src/queries/cmdb/index.js";
import { cmdbCiAttrValues, cmdbCis } from "../../../src/schema/cmdb/tables.js";
import { useTestDatabase } from "../../support/test-db.js";
import { addVersion, makeCiType, tag } from "./fixtures.js";

const t = useTestDatabase();

const serverDefs = [
  {
    key: "cpu_cores",
    label: "CPU cores",
    fieldType: "number" as const,
    required: true,
    minValue: "1",
    maxValue: "256",
  },
  {
    key: "os",
    label: "OS",
    fieldType: "enum" as const,
    enumValues: ["linux", "windows"],
    defaultValue: "linux",
  },
  { key: "mgmt_ip", label: "Mgmt IP", fieldType: "ip" as const },
];

describe("createCi", () => {
  it("stores attribute values stamped with the active version, defaults applied", async () => {
    const { typeId, versionId } = await makeCiType(t.db, serverDefs);
    const ci = await createCi(t.db, {
      typeId,
      name: "db-01",
      ciCode: `SRV-${tag()}`,
      environment: "uat",
      attributes: { cpu_cores: 8, mgmt_ip: "10.0.0.5" },
    });
    expect(ci).toMatchObject({ name: "db-01", environment: "uat", status: "active", versionId });
    expect(ci.attributes).toEqual({ cpu_cores: 8, mgmt_ip: "10.0.0.5", os: "linux" });
    const stored = await t.db.select().from(cmdbCiAttrValues).where(eq(cmdbCiAttrValues.ciId, ci.id));
    expect(stored).toHaveLength(3);
    expect(stored.every((r) => r.versionId === versionId)).toBe(true);
    expect(await getCi(t.db, { ciId: ci.id })).toMatchObject({ attributes: ci.attributes });
  });

  it("refuses invalid, unknown and missing required attributes; nothing is written", async () => {
    const { typeId } = await makeCiType(t.db, serverDefs);
    const ciCode = `SRV-${tag()}`;
    for (const attributes of [
      { cpu_cores: 0 },
      { cpu_cores: "eight" },
      { cpu_cores: 2, os: "solaris" },
      { cpu_cores: 2, colour: "red" },
      { os: "linux" },
      { cpu_cores: 2, mgmt_ip: "not-an-ip" },
    ]) {
      await expect(createCi(t.db, { typeId, name: "x", ciCode, attributes })).rejects.toBeInstanceOf(
        ValidationError,
      );
    }
    expect(await t.db.select().from(cmdbCis).where(eq(cmdbCis.ciCode, ciCode))).toEqual([]);
  });

  it("validates the CI's own columns", async () => {
    const { typeId } = await makeCiType(t.db, []);
    await expect(
      createCi(t.db, { typeId, name: "x", ciCode: `C-${tag()}`, status: "exploded" as "active" }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(createCi(t.db, { typeId, name: "", ciCode: `C-${tag()}` })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it("uses the active version, not a newer draft", async () => {
    const { typeId, versionId } = await makeCiType(t.db, serverDefs);
    await addVersion(
      t.db,
      typeId,
      2,
      [{ key: "rack", label: "Rack", fieldType: "string", required: true }],
      "draft",
    );
    const ci = await createCi(t.db, {
      typeId,
      name: "x",
      ciCode: `C-${tag()}`,
      attributes: { cpu_cores: 1 },
    });
    expect(ci.versionId).toBe(versionId);
    await expect(
      createCi(t.db, { typeId, name: "x", ciCode: `C-${tag()}`, attributes: { cpu_cores: 1, rack: "R1" } }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it("refuses attributes when the type has no active version, but allows a CI without them", async () => {
    const { typeId } = await makeCiType(t.db);
    await expect(
      createCi(t.db, { typeId, name: "x", ciCode: `C-${tag()}`, attributes: { a: 1 } }),
    ).rejects.toBeInstanceOf(NoActiveTypeVersionError);
    const ci = await createCi(t.db, { typeId, name: "x", ciCode: `C-${tag()}` });
    expect(ci).toMatchObject({ attributes: {}, versionId: null });
  });

  it("refuses an unknown type and a duplicate ci_code with typed errors", async () => {
    await expect(
      createCi(t.db, { typeId: "00000000-0000-4000-8000-000000000000", name: "x", ciCode: `C-${tag()}` }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const { typeId } = await makeCiType(t.db, []);
    const ciCode = `C-${tag()}`;
    await createCi(t.db, { typeId, name: "x", ciCode });
    await expect(createCi(t.db, { typeId, name: "y", ciCode })).rejects.toMatchObject({
      constructor: UniqueViolationError,
      constraint: "cmdb_cis_ci_code_key",
    });
  });
});

describe("updateCi", () => {
  it("merges attributes, removes with null, and revalidates the whole set", async () => {
    const { typeId } = await makeCiType(t.db, serverDefs);
    const ci = await createCi(t.db, {
      typeId,
      name: "x",
      ciCode: `C-${tag()}`,
      attributes: { cpu_cores: 4, mgmt_ip: "10.0.0.1" },
    });
    const updated = await updateCi(t.db, {
      ciId: ci.id,
      name: "renamed",
      attributes: { cpu_cores: 16, mgmt_ip: null },
    });
    expect(updated.name).toBe("renamed");
    expect(updated.attributes).toEqual({ cpu_cores: 16, os: "linux" });
    await expect(updateCi(t.db, { ciId: ci.id, attributes: { cpu_cores: null } })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(updateCi(t.db, { ciId: ci.id, attributes: { cpu_cores: 999 } })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect((await getCi(t.db, { ciId: ci.id })).attributes).toEqual({ cpu_cores: 16, os: "linux" });
  });

  it("restamps values with a newly activated version", async () => {
    const { typeId, versionId } = await makeCiType(t.db, serverDefs);
    const ci = await createCi(t.db, {
      typeId,
      name: "x",
      ciCode: `C-${tag()}`,
      attributes: { cpu_cores: 4 },
    });
    expect(ci.versionId).toBe(versionId);
    const v2 = await addVersion(t.db, typeId, 2, [
      ...serverDefs,
      { key: "rack", label: "Rack", fieldType: "string", required: true },
    ]);
    await expect(updateCi(t.db, { ciId: ci.id, attributes: { cpu_cores: 6 } })).rejects.toBeInstanceOf(
      ValidationError,
    );
    const updated = await updateCi(t.db, { ciId: ci.id, attributes: { rack: "R12" } });
    expect(updated.attributes).toEqual({ cpu_cores: 4, os: "linux", rack: "R12" });
    const stored = await t.db.select().from(cmdbCiAttrValues).where(eq(cmdbCiAttrValues.ciId, ci.id));
    expect(new Set(stored.map((r) => r.versionId))).toEqual(new Set([v2]));
  });

  it("refuses an unknown CI", async () => {
    await expect(
      updateCi(t.db, { ciId: "00000000-0000-4000-8000-000000000000", name: "x" }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
