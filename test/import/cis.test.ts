/**
 * importCis / `npm run db:import -- cis`: CI rows with their type by code or id and attribute values
 * checked as createCi checks them (the same function); bad rows by line and field, re-runs,
 * --all-or-nothing, --dry-run. Server only (COPY FROM STDIN).
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rows } from "../../src/db.js";
import { ValidationError } from "../../src/errors/index.js";
import { type ImportReject, importCis } from "../../src/import/index.js";
import { createCi, createLocation } from "../../src/queries/index.js";
import { cmdbCiTypes } from "../../src/schema/cmdb/tables.js";
import { makeCiType } from "../queries/cmdb/fixtures.js";
import { onServer, useTestDatabase } from "../support/test-db.js";
import { csv } from "./support.js";

const t = useTestDatabase();

let server: { typeId: string; versionId: string; code: string; bareId: string; bareCode: string };
let locationPath: string;

beforeAll(async () => {
  if (!onServer()) return;
  const typed = await makeCiType(t.db, [
    {
      key: "cpu_cores",
      label: "CPU cores",
      fieldType: "number",
      required: true,
      minValue: "1",
      maxValue: "256",
    },
    { key: "os", label: "OS", fieldType: "enum", enumValues: ["linux", "windows"], defaultValue: "linux" },
  ]);
  const bare = await makeCiType(t.db); // no version: no attributes allowed
  const codeOf = async (id: string) =>
    (await t.db.select().from(cmdbCiTypes).where(sql`${cmdbCiTypes.id} = ${id}`))[0]!.code;
  server = {
    typeId: typed.typeId,
    versionId: typed.versionId!,
    code: await codeOf(typed.typeId),
    bareId: bare.typeId,
    bareCode: await codeOf(bare.typeId),
  };
  locationPath = (await createLocation(t.db, { name: `dc-${randomUUID().slice(0, 6)}` })).path;
});

async function attributesOf(prefix: string): Promise<Record<string, Record<string, unknown>>> {
  const found = await rows<{ ci_code: string; attrs: string | null; versions: string[] }>(
    t.db,
    sql`SELECT c.ci_code, (jsonb_object_agg(v.key, v.value) FILTER (WHERE v.key IS NOT NULL))::text AS attrs,
               array_remove(array_agg(DISTINCT v.version_id::text), NULL) AS versions
          FROM cmdb_cis c LEFT JOIN cmdb_ci_attr_values v ON v.ci_id = c.id
         WHERE c.ci_code LIKE ${`${prefix}%`} GROUP BY c.ci_code ORDER BY c.ci_code`,
  );
  for (const f of found) {
    if (f.attrs) expect(f.versions).toEqual([server.versionId]);
  }
  return Object.fromEntries(found.map((f) => [f.ci_code, f.attrs ? JSON.parse(f.attrs) : {}]));
}

describe.runIf(onServer())("importCis", () => {
  it("loads good rows with their attributes, rejects each bad one by line and field; a re-run adds nothing", async () => {
    const p = `CI-${randomUUID().slice(0, 6)}`;
    await createCi(t.db, {
      ciCode: `${p}-EXISTING`,
      name: "already there",
      typeId: server.typeId,
      attributes: { cpu_cores: 1 },
    });
    const attrs = (o: object) => `"${JSON.stringify(o).replace(/"/g, '""')}"`;
    const lines = [
      "ci_code,name,type_id,status,environment,location_id,attributes",
      `${p}-01,web 1,${server.code},active,uat,${locationPath},${attrs({ cpu_cores: 4, os: "windows" })}`, // 2: type by code
      `${p}-02,web 2,${server.typeId},,,,${attrs({ cpu_cores: 2 })}`, // 3: type by id, os defaulted
      `${p}-03,x,no_such_type,,,,`, // 4: unknown type code
      `${p}-04,x,${server.code},broken,,,${attrs({ cpu_cores: 2 })}`, // 5: status not in the value list
      `${p}-01,dup,${server.code},,,,${attrs({ cpu_cores: 1 })}`, // 6: ci_code of line 2 again
      `${p}-EXISTING,x,${server.code},,,,${attrs({ cpu_cores: 1 })}`, // 7: in the table: skipped
      `${p}-05,x`, // 8: malformed (2 fields of 7)
      `${p}-06,bad\0name,${server.code},,,,${attrs({ cpu_cores: 1 })}`, // 9: NUL byte
      `${p}-07,${"n".repeat(256)},${server.code},,,,${attrs({ cpu_cores: 1 })}`, // 10: name > 255
      `${p}-08,x,${server.code},,,,${attrs({ cpu_cores: 0 })}`, // 11: attribute below its minimum
      `${p}-09,x,${server.code},,,,${attrs({})}`, // 12: required attribute missing
      `${p}-10,x,${server.code},,,,not json`, // 13: attributes not a JSON object
      `${p}-11,x,${server.code},,,,${attrs({ cpu_cores: 2, colour: "red" })}`, // 14: undefined attribute
      `${p}-12,x,,,,,`, // 15: no type
      `${p}-13,x,${server.bareCode},,,,${attrs({ cpu_cores: 2 })}`, // 16: type without an active version
      `${p}-14,bare,${server.bareCode},,dev,,`, // 17: good, no attributes
      `${p}-15,x,${server.code},,,,${attrs({ os: "solaris", cpu_cores: 3 })}`, // 18: enum value not in list
    ];
    const text = `${lines.join("\n")}\n`;
    const seen: ImportReject[] = [];
    const result = await importCis(t.db, csv(text), { onReject: (r) => seen.push(r) });
    const rejects = seen.filter((r) => !r.skipped);
    expect(rejects.map(({ line, field }) => ({ line, field })).sort((a, b) => a.line - b.line)).toEqual([
      { line: 4, field: "type_id" },
      { line: 5, field: "status" },
      { line: 6, field: "ci_code" },
      { line: 8, field: null },
      { line: 9, field: "name" },
      { line: 10, field: "name" },
      { line: 11, field: "attributes.cpu_cores" },
      { line: 12, field: "attributes.cpu_cores" },
      { line: 13, field: "attributes" },
      { line: 14, field: "attributes.colour" },
      { line: 15, field: "type_id" },
      { line: 16, field: "attributes" },
      { line: 18, field: "attributes.os" },
    ]);
    const reason = (line: number) => rejects.find((r) => r.line === line)?.reason;
    expect(reason(4)).toMatch(/no CI type has this code/);
    expect(reason(6)).toMatch(/duplicate ci_code in the file \(first on line 2\)/);
    expect(reason(8)).toMatch(/malformed CSV/);
    expect(reason(9)).toMatch(/NUL byte/);
    expect(reason(10)).toMatch(/at most 255 characters/);
    expect(reason(11)).toBe("must be at least 1");
    expect(reason(12)).toBe("is required");
    expect(reason(14)).toBe("is not an allowed field");
    expect(reason(15)).toBe("is required");
    expect(reason(16)).toMatch(/has no active version/);
    expect(reason(18)).toBe("must be one of: linux, windows");
    expect(seen.filter((r) => r.skipped)).toEqual([
      { line: 7, field: "ci_code", reason: "ci_code already in cmdb_cis: skipped", skipped: true },
    ]);
    expect(result).toMatchObject({ read: 17, inserted: 3, existing: 1, rejected: 13, committed: true });

    // createCi refuses the same values with the same field and message.
    for (const [line, attributes] of [
      [11, { cpu_cores: 0 }],
      [12, {}],
      [18, { os: "solaris", cpu_cores: 3 }],
    ] as const) {
      const error = await createCi(t.db, {
        ciCode: `${p}-single-${line}`,
        name: "x",
        typeId: server.typeId,
        attributes,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      const r = rejects.find((x) => x.line === line)!;
      expect((error as ValidationError).issues).toEqual([{ path: r.field, message: r.reason }]);
    }

    const loaded = await rows<{ ci_code: string; status: string; environment: string; located: boolean }>(
      t.db,
      sql`SELECT ci_code, status, environment, location_id IS NOT NULL AS located FROM cmdb_cis
           WHERE ci_code LIKE ${`${p}-%`} ORDER BY ci_code`,
    );
    expect(loaded).toEqual([
      { ci_code: `${p}-01`, status: "active", environment: "uat", located: true },
      { ci_code: `${p}-02`, status: "active", environment: "prod", located: false },
      { ci_code: `${p}-14`, status: "active", environment: "dev", located: false },
      { ci_code: `${p}-EXISTING`, status: "active", environment: "prod", located: false },
    ]);
    expect(await attributesOf(p)).toEqual({
      [`${p}-01`]: { cpu_cores: 4, os: "windows" },
      [`${p}-02`]: { cpu_cores: 2, os: "linux" }, // the definition's default, as createCi applies it
      [`${p}-14`]: {},
      [`${p}-EXISTING`]: { cpu_cores: 1, os: "linux" },
    });

    const again = await importCis(t.db, csv(text));
    expect(again).toMatchObject({ inserted: 0, existing: 4, rejected: 13, committed: true });
    const [n] = await rows<{ cis: number; values: number }>(
      t.db,
      sql`SELECT count(DISTINCT c.id)::int AS cis, count(v.id)::int AS values
            FROM cmdb_cis c LEFT JOIN cmdb_ci_attr_values v ON v.ci_id = c.id WHERE c.ci_code LIKE ${`${p}-%`}`,
    );
    expect(n).toEqual({ cis: 4, values: 6 });
  });

  it("--all-or-nothing writes nothing when a row is bad; --dry-run writes nothing", async () => {
    const p = `CIA-${randomUUID().slice(0, 6)}`;
    const text = `ci_code,name,type_id,attributes\n${p}-1,a,${server.code},"{""cpu_cores"": 2}"\n${p}-2,b,${server.code},"{""cpu_cores"": 999}"\n`;
    const count = async () =>
      (
        await rows<{ n: number }>(
          t.db,
          sql`SELECT (SELECT count(*) FROM cmdb_cis WHERE ci_code LIKE ${`${p}-%`})
                   + (SELECT count(*) FROM cmdb_ci_attr_values v JOIN cmdb_cis c ON c.id = v.ci_id WHERE c.ci_code LIKE ${`${p}-%`}) AS n`,
        )
      )[0]!.n;
    const all = await importCis(t.db, csv(text), { allOrNothing: true });
    expect(all).toMatchObject({ inserted: 0, rejected: 1, committed: false });
    expect(all.rejects[0]).toMatchObject({ line: 3, field: "attributes.cpu_cores" });
    expect(Number(await count())).toBe(0);
    const dry = await importCis(t.db, csv(text), { dryRun: true });
    expect(dry).toMatchObject({ inserted: 1, rejected: 1, committed: false });
    expect(Number(await count())).toBe(0);
  });
});
