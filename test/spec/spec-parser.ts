/**
 * Parses the data-model document (docs/data-model.md, a verbatim copy of the spec) into tables,
 * columns, keys and indexes, so the schema code can be compared with the document itself rather
 * than with someone's reading of it.
 */
import { readFileSync } from "node:fs";

export interface SpecColumn {
  name: string;
  /** format_type() spelling: `character varying(255)`, `numeric(12,4)`, `timestamp with time zone`. */
  type: string;
  notNull: boolean;
  primaryKey: boolean;
  unique: boolean;
  /** Default as written (`'user'`, `true`, `0`, `NOW()`, `CURRENT_DATE`, `'{}'`), or null. */
  default: string | null;
  references?: { table: string; column: string; onDelete: "cascade" | "set null" | "restrict" | "no action" };
  check?: string;
  /** Values listed in the trailing comment (`-- user, admin, super_admin`). */
  values?: string[];
  /** The list ends with "etc.": open, a superset is allowed. */
  valuesOpen?: boolean;
}

export interface SpecTable {
  name: string;
  columns: SpecColumn[];
  uniques: string[][];
  primaryKey?: string[];
  /** The document says "... similar to <table>". */
  similarTo?: string;
}

export interface SpecIndex {
  name: string;
  table: string;
  columns: { name: string; desc: boolean }[];
}

const TYPES: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^UUID$/i, () => "uuid"],
  [/^VARCHAR\((\d+)\)$/i, (m) => `character varying(${m[1]})`],
  [/^TEXT$/i, () => "text"],
  [/^INT$/i, () => "integer"],
  [/^BIGINT$/i, () => "bigint"],
  [/^BOOLEAN$/i, () => "boolean"],
  [/^TIMESTAMPTZ$/i, () => "timestamp with time zone"],
  [/^DATE$/i, () => "date"],
  [/^JSONB$/i, () => "jsonb"],
  [/^INET$/i, () => "inet"],
  [/^(?:DECIMAL|NUMERIC)\((\d+),\s*(\d+)\)$/i, (m) => `numeric(${m[1]},${m[2]})`],
  [/^NUMERIC$/i, () => "numeric"],
];

function sqlType(raw: string): string {
  for (const [pattern, format] of TYPES) {
    const m = raw.match(pattern);
    if (m) return format(m);
  }
  throw new Error(`unknown type in spec: ${raw}`);
}

function parseColumn(definition: string, comment: string | undefined): SpecColumn {
  const m = definition.match(/^([a-z_0-9]+)\s+([A-Z]+(?:\(\d+(?:,\s*\d+)?\))?)(.*)$/);
  if (!m) throw new Error(`cannot parse column: ${definition}`);
  const [, name = "", type = "", rest = ""] = m;
  const column: SpecColumn = {
    name,
    type: sqlType(type),
    notNull: /NOT NULL/.test(rest),
    primaryKey: /PRIMARY KEY/.test(rest),
    unique: /\bUNIQUE\b/.test(rest),
    default: rest.match(/DEFAULT\s+('[^']*'|[^\s,]+)/)?.[1] ?? null,
  };
  const ref = rest.match(/→\s*([a-z_]+)\(([a-z_]+)\)\s*(CASCADE|SET NULL|RESTRICT)?/);
  if (ref) {
    column.references = {
      table: ref[1] ?? "",
      column: ref[2] ?? "",
      onDelete: (ref[3]?.toLowerCase() as "cascade" | "set null" | "restrict" | undefined) ?? "no action",
    };
  }
  const check = rest.match(/CHECK\s*\((.*)\)/);
  if (check) column.check = check[1];
  if (comment && /^[a-z_]+(,\s*[a-z_]+)+(,\s*etc\.)?$/.test(comment.trim())) {
    const items = comment.split(",").map((s) => s.trim());
    column.valuesOpen = items.at(-1) === "etc.";
    column.values = items.filter((s) => s !== "etc.");
  }
  return column;
}

export function parseSpec(path: string): { tables: SpecTable[]; indexes: SpecIndex[] } {
  const text = readFileSync(path, "utf8");
  const blocks = [...text.matchAll(/```sql\n([\s\S]*?)```/g)].map((b) => b[1] ?? "");
  const tables: SpecTable[] = [];
  const indexes: SpecIndex[] = [];
  for (const block of blocks) {
    let current: SpecTable | undefined;
    for (const rawLine of block.split("\n")) {
      const line = rawLine.trim();
      const open = line.match(/^([a-z_]+) \($/);
      if (open) {
        current = { name: open[1] ?? "", columns: [], uniques: [] };
        tables.push(current);
        continue;
      }
      const index = line.match(/^(idx_[a-z_]+) ON ([a-z_]+)\((.*)\)$/);
      if (index) {
        indexes.push({
          name: index[1] ?? "",
          table: index[2] ?? "",
          columns: (index[3] ?? "").split(",").map((c) => {
            const [name = "", order] = c.trim().split(/\s+/);
            return { name, desc: order?.toUpperCase() === "DESC" };
          }),
        });
        continue;
      }
      if (!current) continue;
      if (line === ")") {
        current = undefined;
        continue;
      }
      const similar = line.match(/^-- \.\.\. similar to ([a-z_]+)/);
      if (similar) {
        current.similarTo = similar[1];
        continue;
      }
      if (line.startsWith("--") || line === "") continue;
      const [definitionPart = "", comment] = line.split(/\s+--\s+/);
      const definition = definitionPart.replace(/,\s*$/, "");
      const key = definition.match(/^(PRIMARY KEY|UNIQUE) \((.*)\)$/);
      if (key) {
        const cols = (key[2] ?? "").split(",").map((c) => c.trim());
        if (key[1] === "PRIMARY KEY") current.primaryKey = cols;
        else current.uniques.push(cols);
        continue;
      }
      // `min_len INT, max_len INT` declares two columns on one line.
      const parts = /^[a-z_]+ [A-Z]+, [a-z_]+ [A-Z]+$/.test(definition)
        ? definition.split(/,\s*/)
        : [definition];
      for (const part of parts) current.columns.push(parseColumn(part, comment));
    }
  }
  return { tables, indexes };
}
