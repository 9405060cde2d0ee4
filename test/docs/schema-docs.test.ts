/**
 * docs/schema.md (issue 14 item 6): generated from the schema code, checked against the migrated
 * database's own catalog (every table, column, check and index PostgreSQL has is documented), and
 * `npm run docs -- --check` fails closed when the file is stale or missing.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "../../src/db.js";
import { renderSchemaDocs } from "../../src/docs/schema-docs.js";
import { useTestDatabase } from "../support/test-db.js";

const run = promisify(execFile);
const docs = renderSchemaDocs();

async function docsCli(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await run("npx", ["tsx", "scripts/schema-docs.ts", ...args]);
    return { code: 0, out: r.stdout + r.stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe("docs/schema.md against the migrated database", () => {
  const t = useTestDatabase();

  /** The section of one table: from its heading to the next. */
  const section = (table: string) => {
    const start = docs.indexOf(`\n### ${table}\n`);
    const end = docs.indexOf("\n### ", start + 1);
    return start < 0 ? "" : docs.slice(start, end < 0 ? undefined : end);
  };

  it("documents every table and every column with its type", async () => {
    const cols = await rows<{ table: string; column: string; type: string }>(
      t.db,
      sql`SELECT c.relname::text AS table, a.attname::text AS column, format_type(a.atttypid, a.atttypmod) AS type
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
           WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`,
    );
    expect(new Set(cols.map((c) => c.table)).size).toBe(45);
    const short = (type: string) =>
      type
        .replace(/^character varying/, "varchar")
        .replace(/^timestamp with time zone$/, "timestamp with time zone");
    for (const c of cols)
      expect(section(c.table), `${c.table}.${c.column}`).toContain(`| ${c.column} | ${short(c.type)} |`);
  });

  it("names every check, unique and foreign key constraint and every index", async () => {
    const named = await rows<{ table: string; name: string; kind: string }>(
      t.db,
      sql`SELECT c.relname::text AS table, con.conname::text AS name, con.contype::text AS kind
            FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
           WHERE c.relnamespace = 'public'::regnamespace AND con.contype IN ('c', 'u')
          UNION ALL
          SELECT c.relname::text, i.relname::text, 'i'
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
           WHERE c.relnamespace = 'public'::regnamespace AND NOT x.indisprimary
             AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)`,
    );
    expect(named.length).toBeGreaterThan(100);
    for (const n of named) expect(section(n.table), `${n.table}: ${n.name}`).toContain(`\`${n.name}\``);
    const fks = await rows<{ child: string; parent: string }>(
      t.db,
      sql`SELECT c.relname::text AS child, p.relname::text AS parent FROM pg_constraint con
            JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class p ON p.oid = con.confrelid
           WHERE con.contype = 'f' AND c.relnamespace = 'public'::regnamespace`,
    );
    for (const fk of fks) {
      expect(section(fk.parent), `${fk.parent} referenced by ${fk.child}`).toMatch(
        new RegExp(`referenced by: .*\\b${fk.child}\\(`),
      );
      expect(docs).toMatch(new RegExp(`\\n  ${fk.parent} \\|[|o]--o\\{ ${fk.child} : `));
    }
  });
});

describe("npm run docs -- --check", () => {
  it("the committed docs/schema.md is what the schema code generates", () => {
    expect(readFileSync("docs/schema.md", "utf8")).toBe(docs);
  });

  it("passes on a fresh file, fails (exit 1, nothing written) on a stale or missing one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "netops-docs-"));
    const file = join(dir, "schema.md");
    expect((await docsCli(["--out", file])).code).toBe(0);
    expect((await docsCli(["--check", "--out", file])).code).toBe(0);
    const stale = docs.replace("| asset_code | varchar(100) |", "| asset_code | varchar(50) |");
    writeFileSync(file, stale);
    const r = await docsCli(["--check", "--out", file]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/is stale .*run `npm run docs`/);
    expect(readFileSync(file, "utf8")).toBe(stale);
    expect((await docsCli(["--check", "--out", join(dir, "missing.md")])).code).toBe(1);
  });
});
