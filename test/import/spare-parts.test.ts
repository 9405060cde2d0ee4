/**
 * importSpareParts: the same engine on another table (no references; a jsonb column, integer and
 * defaulted columns), checked by the catalogue's own insert schema. Server only (COPY FROM STDIN).
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "../../src/db.js";
import { type ImportReject, importSpareParts } from "../../src/import/index.js";
import { onServer, useTestDatabase } from "../support/test-db.js";
import { csv } from "./support.js";

const t = useTestDatabase();

describe.runIf(onServer())("importSpareParts", () => {
  it("loads good rows with their defaults, rejects bad ones by line and column, a re-run adds nothing", async () => {
    const p = `SP-${randomUUID().slice(0, 6)}`;
    const text = [
      "part_code,name,uom,spec,min_level",
      `${p}-1,SFP+ 10G LR,pcs,"{""reach_km"": 10}",4`, // 2
      `${p}-2,Fan tray,,,`, // 3: uom, spec, min_level from the column defaults
      `${p}-3,PSU,pcs,not json,1`, // 4: spec is not a JSON object
      `${p}-4,PSU,pcs,,-1`, // 5: min_level must not be negative
      `${p}-1,Duplicate,pcs,,`, // 6: part_code again
      `bad code!,Cable,pcs,,`, // 7: code with a space and '!'
    ].join("\n");
    const seen: ImportReject[] = [];
    const result = await importSpareParts(t.db, csv(`${text}\n`), {
      onReject: (r) => seen.push(r),
    });
    expect(seen.map(({ line, field }) => ({ line, field })).sort((a, b) => a.line - b.line)).toEqual([
      { line: 4, field: "spec" },
      { line: 5, field: "min_level" },
      { line: 6, field: "part_code" },
      { line: 7, field: "part_code" },
    ]);
    expect(result).toMatchObject({ read: 6, inserted: 2, existing: 0, rejected: 4, committed: true });
    const loaded = await rows<{ part_code: string; uom: string; spec: string; min_level: number }>(
      t.db,
      sql`SELECT part_code, uom, spec::text AS spec, min_level FROM spare_parts WHERE part_code LIKE ${`${p}%`} ORDER BY 1`,
    );
    expect(loaded).toEqual([
      { part_code: `${p}-1`, uom: "pcs", spec: '{"reach_km": 10}', min_level: 4 },
      { part_code: `${p}-2`, uom: "pcs", spec: "{}", min_level: 0 },
    ]);
    const again = await importSpareParts(t.db, csv(`${text}\n`));
    expect(again).toMatchObject({ inserted: 0, existing: 2, rejected: 4 });
  });
});
