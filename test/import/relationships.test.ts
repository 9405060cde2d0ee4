/**
 * importRelationships / `npm run db:import -- relationships`: the composite natural key (type, from,
 * to) on resolved ids, relateCis's refusals set-wise, re-runs, --all-or-nothing. Server only.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rows } from "../../src/db.js";
import { SelfRelationshipError } from "../../src/errors/index.js";
import { type ImportReject, importRelationships } from "../../src/import/index.js";
import { relateCis, retireRelationship } from "../../src/queries/index.js";
import { makeCi, makeCiType, makeRelType } from "../queries/cmdb/fixtures.js";
import { onServer, useTestDatabase } from "../support/test-db.js";
import { csv } from "./support.js";

const t = useTestDatabase();

interface Ci {
  id: string;
  code: string;
}
let a1: Ci, a2: Ci, b1: Ci;
let any: { id: string; code: string };
let aToB: { id: string; code: string };

beforeAll(async () => {
  if (!onServer()) return;
  const typeA = (await makeCiType(t.db)).typeId;
  const typeB = (await makeCiType(t.db)).typeId;
  const ci = async (typeId: string): Promise<Ci> => {
    const code = `RCI-${randomUUID().slice(0, 8)}`;
    return { id: await makeCi(t.db, typeId, code), code };
  };
  a1 = await ci(typeA);
  a2 = await ci(typeA);
  b1 = await ci(typeB);
  any = await makeRelType(t.db);
  aToB = await makeRelType(t.db, { from: typeA, to: typeB });
});

const countOf = async (relTypeId: string) =>
  (
    await rows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int AS n FROM cmdb_relationships WHERE rel_type_id = ${relTypeId}`,
    )
  )[0]!.n;

describe.runIf(onServer())("importRelationships", () => {
  it("loads good rows, rejects each bad one by line and field; a re-run adds nothing", async () => {
    await relateCis(t.db, { relTypeCode: any.code, fromCiId: b1.id, toCiId: a1.id });
    const lines = [
      "rel_type_id,from_ci_id,to_ci_id,since_date,note",
      `${any.code},${a1.code},${a2.code},2024-01-31,by codes`, // 2
      `${any.id},${a2.id},${b1.id},,by ids`, // 3
      `${aToB.code},${a1.code},${b1.code},,allowed types`, // 4
      `${any.code},${a1.code},${a1.id},,`, // 5: the same CI at both ends (code and id)
      `${any.code},${a1.code},NO-SUCH-CI,,`, // 6: unknown CI
      `no_such_rel,${a1.code},${a2.code},,`, // 7: unknown relationship type
      `${aToB.code},${b1.code},${a2.code},,`, // 8: b1 is not of the allowed "from" type
      `${aToB.code},${a2.code},${a1.code},,`, // 9: a1 is not of the allowed "to" type
      `${any.code},${a1.id},${a2.code},,`, // 10: line 2 again (from by id): duplicate
      `${any.code},${b1.code},${a1.code},,`, // 11: in the table: skipped
      "x,y", // 12: malformed
      `${any.code},${a2.code},${a1.code},,bad\0note`, // 13: NUL byte
      `${any.code},${b1.code},${a2.code},2024-13-45,`, // 14: not a date
      `${any.code},${b1.code},${a2.code},,${"n".repeat(2001)}`, // 15: note too long
      `${any.code},,${a2.code},,`, // 16: no from CI
    ];
    const text = `${lines.join("\n")}\n`;
    const seen: ImportReject[] = [];
    const result = await importRelationships(t.db, csv(text), { onReject: (r) => seen.push(r) });
    const rejects = seen.filter((r) => !r.skipped);
    expect(rejects.map(({ line, field }) => ({ line, field })).sort((a, b) => a.line - b.line)).toEqual([
      { line: 5, field: "to_ci_id" },
      { line: 6, field: "to_ci_id" },
      { line: 7, field: "rel_type_id" },
      { line: 8, field: "from_ci_id" },
      { line: 9, field: "to_ci_id" },
      { line: 10, field: "(rel_type_id, from_ci_id, to_ci_id)" },
      { line: 12, field: null },
      { line: 13, field: "note" },
      { line: 14, field: "since_date" },
      { line: 15, field: "note" },
      { line: 16, field: "from_ci_id" },
    ]);
    const reason = (line: number) => rejects.find((r) => r.line === line)?.reason;
    expect(reason(5)).toBe("a CI cannot be related to itself");
    expect(reason(6)).toBe("no CI has this ci_code (give its ci_code or id)");
    expect(reason(7)).toMatch(/no relationship type has this code/);
    expect(reason(8)).toMatch(/does not allow this CI's type at its from end/);
    expect(reason(9)).toMatch(/does not allow this CI's type at its to end/);
    expect(reason(10)).toMatch(/duplicate .* in the file \(first on line 2\)/);
    expect(reason(14)).toMatch(/must be a date/);
    expect(reason(15)).toMatch(/at most 2000 characters/);
    expect(reason(16)).toBe("is required");
    expect(seen.filter((r) => r.skipped).map((r) => r.line)).toEqual([11]);
    expect(result).toMatchObject({ read: 15, inserted: 3, existing: 1, rejected: 11, committed: true });
    // relateCis refuses the self-relation of line 5 too.
    await expect(relateCis(t.db, { relTypeCode: any.code, fromCiId: a1.id, toCiId: a1.id })).rejects.toThrow(
      SelfRelationshipError,
    );

    const loaded = await rows<{ t: string; f: string; to: string; status: string; since: string | null }>(
      t.db,
      sql`SELECT rt.code AS t, f.ci_code AS f, c.ci_code AS to, r.status, r.since_date::text AS since
            FROM cmdb_relationships r JOIN cmdb_relationship_types rt ON rt.id = r.rel_type_id
            JOIN cmdb_cis f ON f.id = r.from_ci_id JOIN cmdb_cis c ON c.id = r.to_ci_id
           WHERE r.rel_type_id IN (${any.id}, ${aToB.id}) ORDER BY r.note NULLS FIRST`,
    );
    expect(loaded).toEqual([
      { t: any.code, f: b1.code, to: a1.code, status: "active", since: null }, // relateCis's
      { t: aToB.code, f: a1.code, to: b1.code, status: "active", since: null },
      { t: any.code, f: a1.code, to: a2.code, status: "active", since: "2024-01-31" },
      { t: any.code, f: a2.code, to: b1.code, status: "active", since: null },
    ]);
    const again = await importRelationships(t.db, csv(text));
    expect(again).toMatchObject({ inserted: 0, existing: 4, rejected: 11, committed: true });
    expect(seen.find((r) => r.skipped)?.reason).toMatch(/already active in cmdb_relationships: skipped/);
    expect((await countOf(any.id)) + (await countOf(aToB.id))).toBe(4);
  });

  it("--all-or-nothing writes nothing when a row is bad; a relateCis afterwards sees the import's rows as duplicates", async () => {
    const rel = await makeRelType(t.db);
    const text = `rel_type_id,from_ci_id,to_ci_id\n${rel.code},${a1.code},${b1.code}\n${rel.code},${b1.code},${b1.code}\n`;
    const all = await importRelationships(t.db, csv(text), { allOrNothing: true });
    expect(all).toMatchObject({ inserted: 0, rejected: 1, committed: false });
    expect(await countOf(rel.id)).toBe(0);
    const dry = await importRelationships(t.db, csv(text), { dryRun: true });
    expect(dry).toMatchObject({ inserted: 1, rejected: 1, committed: false });
    expect(await countOf(rel.id)).toBe(0);
    const loaded = await importRelationships(t.db, csv(text));
    expect(loaded).toMatchObject({ inserted: 1, rejected: 1, committed: true });
    await expect(
      relateCis(t.db, { relTypeId: rel.id, fromCiId: a1.id, toCiId: b1.id }),
    ).rejects.toMatchObject({
      code: "DUPLICATE_RELATIONSHIP",
    });
  });

  it("a retired relationship in the file is revived as relateCis revives it (same row, checks first); an active one is skipped", async () => {
    const rel = await makeRelType(t.db);
    const relate = (from: Ci, to: Ci, extra: { sinceDate?: string; note?: string } = {}) =>
      relateCis(t.db, { relTypeId: rel.id, fromCiId: from.id, toCiId: to.id, ...extra });
    // Two retired pairs: one revived by relateCis (the reference), one by the import, same inputs.
    const byRelate = await relate(a1, a2, { sinceDate: "2020-01-01", note: "first" });
    const byImport = await relate(a2, a1, { sinceDate: "2020-01-01", note: "first" });
    const keptNote = await relate(b1, a1, { sinceDate: "2020-01-01", note: "kept" });
    const active = await relate(b1, a2, { note: "active" });
    for (const r of [byRelate, byImport, keptNote]) await retireRelationship(t.db, { relationshipId: r.id });
    const revived = await relate(a1, a2, { sinceDate: "2025-06-30" });
    expect(revived).toMatchObject({
      id: byRelate.id,
      status: "active",
      sinceDate: "2025-06-30",
      note: "first",
    });

    const text = [
      "rel_type_id,from_ci_id,to_ci_id,since_date,note",
      `${rel.code},${a2.code},${a1.code},2025-06-30,`, // 2: retired: revived, note kept
      `${rel.code},${b1.code},${a1.code},,`, // 3: retired: revived, since_date and note kept
      `${rel.code},${b1.code},${a2.code},2025-01-01,changed`, // 4: active: skipped, untouched
      `${rel.code},${a1.code},${b1.code},,new`, // 5: new
    ].join("\n");
    const seen: ImportReject[] = [];
    const result = await importRelationships(t.db, csv(`${text}\n`), { onReject: (r) => seen.push(r) });
    expect(result).toMatchObject({ read: 4, inserted: 3, existing: 1, rejected: 0, committed: true });
    expect(seen.map((r) => ({ line: r.line, skipped: r.skipped }))).toEqual([{ line: 4, skipped: true }]);

    const byId = async (id: string) =>
      (
        await rows<{ id: string; status: string; since: string | null; note: string | null }>(
          t.db,
          sql`SELECT id, status, since_date::text AS since, note FROM cmdb_relationships WHERE id = ${id}`,
        )
      )[0];
    // The import's revival leaves the row as relateCis's revival left its twin.
    const imported = await byId(byImport.id);
    expect(imported).toEqual({ ...(await byId(byRelate.id)), id: byImport.id });
    expect(await byId(keptNote.id)).toEqual({
      id: keptNote.id,
      status: "active",
      since: "2020-01-01",
      note: "kept",
    });
    expect(await byId(active.id)).toEqual({ id: active.id, status: "active", since: null, note: "active" });
    expect(await countOf(rel.id)).toBe(5); // revived in place: no second row for a triple

    // A retired triple the type no longer allows is rejected, not revived (relateCis checks first).
    const typeA = (await makeCiType(t.db)).typeId;
    const aOnly = await makeRelType(t.db, { from: typeA });
    const stale = await relateCis(t.db, { relTypeId: aOnly.id, fromCiId: b1.id, toCiId: a1.id }).catch(
      () => null,
    );
    expect(stale).toBeNull(); // b1 is not of typeA: relateCis refuses it as the import will
    const [retired] = await rows<{ id: string }>(
      t.db,
      sql`INSERT INTO cmdb_relationships (rel_type_id, from_ci_id, to_ci_id, status)
          VALUES (${aOnly.id}, ${b1.id}, ${a1.id}, 'retired') RETURNING id`,
    );
    const refused = await importRelationships(
      t.db,
      csv(`rel_type_id,from_ci_id,to_ci_id\n${aOnly.code},${b1.code},${a1.code}\n`),
    );
    expect(refused).toMatchObject({ inserted: 0, rejected: 1 });
    expect(refused.rejects[0]).toMatchObject({ line: 2, field: "from_ci_id" });
    expect((await byId(retired!.id))?.status).toBe("retired");
  });
});
