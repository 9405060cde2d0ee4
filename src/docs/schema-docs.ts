/**
 * docs/schema.md, generated from the drizzle schema objects (getTableConfig): per domain, every table
 * with its columns (type, NOT NULL, default, key), checks, unique constraints, indexes and what
 * references it, one Mermaid ER diagram per domain and one overview. Pure: the same schema code
 * always renders the same text, so `npm run docs -- --check` can compare byte for byte.
 *
 * Why a small generator and not drizzle-dbml-generator (0.10): it writes DBML, which GitHub does not
 * render and which would need a second converter to Markdown and Mermaid; DBML has no place for CHECK
 * constraints (the value lists are CHECKs here) nor index predicates, operator classes or ON DELETE
 * per reference in the form the document uses. getTableConfig gives everything in ~250 lines.
 */
import { Column, is, SQL } from "drizzle-orm";
import {
  type ForeignKey,
  getTableConfig,
  type Index,
  IndexedColumn,
  type PgColumn,
  PgDialect,
  PgTable,
} from "drizzle-orm/pg-core";
import * as assets from "../schema/assets/tables.js";
import * as cmdb from "../schema/cmdb/tables.js";
import * as core from "../schema/core/tables.js";
import * as warehouse from "../schema/warehouse/tables.js";
import * as workflow from "../schema/workflow/tables.js";
import { APPEND_ONLY_TABLES } from "../security/append-only.js";

/** Domains in the order the data-model document presents them, with the module holding their tables. */
export const DOMAINS: { name: string; title: string; module: Record<string, unknown> }[] = [
  { name: "core", title: "Core: users, sessions, AI configuration, usage and audit", module: core },
  {
    name: "assets",
    title: "Assets: locations, vendors, categories and specs, assets, inventory",
    module: assets,
  },
  { name: "cmdb", title: "CMDB: CI types, CIs, relationships, services", module: cmdb },
  {
    name: "warehouse",
    title: "Warehouse: spare parts, stock, documents, ledger, repair orders",
    module: warehouse,
  },
  {
    name: "workflow",
    title: "Workflow: requests, reminders, maintenance tickets, attachments, ops events",
    module: workflow,
  },
];

type Config = ReturnType<typeof getTableConfig>;
interface TableDoc {
  domain: string;
  config: Config;
}

const dialect = new PgDialect();
/** SQL as drizzle-kit would print it in a migration (column references unqualified). */
function sqlText(value: SQL): string {
  return dialect
    .sqlToQuery(value)
    .sql.replace(/"[a-z_0-9]+"\."([a-z_0-9]+)"/g, "$1")
    .replace(/"([a-z_][a-z_0-9]*)"/g, "$1");
}

function tablesOf(module: Record<string, unknown>): PgTable[] {
  return Object.values(module).filter((v): v is PgTable => is(v, PgTable));
}

export function allTableDocs(): TableDoc[] {
  return DOMAINS.flatMap((d) =>
    tablesOf(d.module)
      .map((t) => ({ domain: d.name, config: getTableConfig(t) }))
      .sort((a, b) => a.config.name.localeCompare(b.config.name)),
  );
}

/** The column type as PostgreSQL prints it (format_type), except varchar for character varying. */
const typeOf = (c: PgColumn) => c.getSQLType().replace(/,\s+/g, ",");
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function defaultOf(c: PgColumn): string {
  if (!c.hasDefault) return "";
  if (c.default === undefined) return c.defaultFn || c.onUpdateFn ? "(set by the application)" : "";
  if (is(c.default, SQL)) return code(sqlText(c.default));
  if (typeof c.default === "string") return code(`'${c.default}'`);
  return code(JSON.stringify(c.default));
}

function pkColumns(config: Config): string[] {
  const inline = config.columns.filter((c) => c.primary).map((c) => c.name);
  return [...inline, ...config.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name))];
}

const fkColumns = (fk: ForeignKey) => fk.reference().columns.map((c) => c.name);
const fkTarget = (fk: ForeignKey) => {
  const ref = fk.reference();
  return `${getTableConfig(ref.foreignTable).name}(${ref.foreignColumns.map((c) => c.name).join(", ")})`;
};
const onDelete = (fk: ForeignKey) => (fk.onDelete ?? "no action").toUpperCase();

function uniqueSets(config: Config): string[][] {
  return [
    ...config.columns.filter((c) => c.isUnique).map((c) => [c.name]),
    ...config.uniqueConstraints.map((u) => u.columns.map((c) => c.name)),
  ];
}

function indexColumns(index: Index): string {
  return index.config.columns
    .map((c) => {
      if (is(c, SQL)) return sqlText(c);
      if (is(c, IndexedColumn)) {
        const desc = c.indexConfig?.order === "desc";
        const order = desc ? " DESC" : "";
        // PostgreSQL's default is NULLS LAST ascending, NULLS FIRST descending: print only the other.
        const nullsFirst = c.indexConfig?.nulls === "first";
        const nulls = nullsFirst !== desc ? ` NULLS ${nullsFirst ? "FIRST" : "LAST"}` : "";
        const opclass = c.indexConfig?.opClass ? ` ${c.indexConfig.opClass}` : "";
        return `${c.name}${opclass}${order}${nulls}`;
      }
      return is(c, Column) ? c.name : String(c);
    })
    .join(", ");
}

function renderTable(t: TableDoc, referencedBy: Map<string, string[]>): string[] {
  const { config } = t;
  const pk = new Set(pkColumns(config));
  const uniques = uniqueSets(config);
  const single = new Set(uniques.filter((u) => u.length === 1).map((u) => u[0]));
  const fkByColumn = new Map<string, ForeignKey>();
  for (const fk of config.foreignKeys) {
    const cols = fkColumns(fk);
    if (cols.length === 1 && cols[0]) fkByColumn.set(cols[0], fk);
  }
  const out: string[] = [`### ${config.name}`, ""];
  if (config.name in APPEND_ONLY_TABLES)
    out.push("Append-only: UPDATE, DELETE and TRUNCATE are refused to every role but the owner.", "");
  out.push("| column | type | null | default | key |", "| --- | --- | --- | --- | --- |");
  for (const c of config.columns) {
    const keys: string[] = [];
    if (pk.has(c.name)) keys.push("PK");
    if (single.has(c.name)) keys.push("UNIQUE");
    const fk = fkByColumn.get(c.name);
    if (fk) keys.push(`FK → ${fkTarget(fk)} ON DELETE ${onDelete(fk)}`);
    out.push(
      `| ${c.name} | ${cell(typeOf(c))} | ${c.notNull ? "NOT NULL" : ""} | ${cell(defaultOf(c))} | ${cell(keys.join(", "))} |`,
    );
  }
  const extra: string[] = [];
  if (config.primaryKeys.length > 0)
    for (const pkc of config.primaryKeys)
      extra.push(`- primary key ${code(pkc.getName())}: (${pkc.columns.map((c) => c.name).join(", ")})`);
  for (const u of config.uniqueConstraints)
    extra.push(`- unique ${code(u.getName() ?? "")}: (${u.columns.map((c) => c.name).join(", ")})`);
  for (const fk of config.foreignKeys.filter((f) => fkColumns(f).length > 1))
    extra.push(`- foreign key (${fkColumns(fk).join(", ")}) → ${fkTarget(fk)} ON DELETE ${onDelete(fk)}`);
  for (const ck of [...config.checks].sort((a, b) => a.name.localeCompare(b.name)))
    extra.push(`- check ${code(ck.name)}: ${code(sqlText(ck.value))}`);
  for (const ix of [...config.indexes].sort((a, b) =>
    (a.config.name ?? "").localeCompare(b.config.name ?? ""),
  )) {
    const method = ix.config.method && ix.config.method !== "btree" ? ` USING ${ix.config.method}` : "";
    const where = ix.config.where ? ` WHERE ${sqlText(ix.config.where)}` : "";
    extra.push(
      `- ${ix.config.unique ? "unique index" : "index"} ${code(ix.config.name ?? "")}${method}: (${cell(indexColumns(ix))})${cell(where)}`,
    );
  }
  const refs = referencedBy.get(config.name) ?? [];
  extra.push(`- referenced by: ${refs.length > 0 ? refs.join(", ") : "none"}`);
  out.push("", ...extra, "");
  return out;
}

const mermaidType = (type: string) =>
  type
    .replace(/\(.*\)/, "")
    .replace(/ with time zone$/, "tz")
    .replace(/^character varying$/, "varchar")
    .replace(/\[\]$/, "_array")
    .replace(/\s+/g, "_");

function relationships(tables: TableDoc[], include: (child: string, parent: string) => boolean): string[] {
  const lines: string[] = [];
  for (const t of tables)
    for (const fk of t.config.foreignKeys) {
      const parent = getTableConfig(fk.reference().foreignTable).name;
      if (!include(t.config.name, parent)) continue;
      const cols = fkColumns(fk);
      const nullable = cols.some((n) => !t.config.columns.find((c) => c.name === n)?.notNull);
      lines.push(`  ${parent} ${nullable ? "|o" : "||"}--o{ ${t.config.name} : "${cols.join(", ")}"`);
    }
  return lines.sort();
}

function domainDiagram(tables: TableDoc[]): string[] {
  const names = new Set(tables.map((t) => t.config.name));
  const out = ["```mermaid", "erDiagram"];
  for (const t of tables) {
    const pk = new Set(pkColumns(t.config));
    const fks = new Set(t.config.foreignKeys.flatMap(fkColumns));
    const uk = new Set(
      uniqueSets(t.config)
        .filter((u) => u.length === 1)
        .map((u) => u[0]),
    );
    out.push(`  ${t.config.name} {`);
    for (const c of t.config.columns) {
      const keys = [
        pk.has(c.name) ? "PK" : "",
        fks.has(c.name) ? "FK" : "",
        uk.has(c.name) ? "UK" : "",
      ].filter(Boolean);
      out.push(`    ${mermaidType(typeOf(c))} ${c.name}${keys.length > 0 ? ` ${keys.join(", ")}` : ""}`);
    }
    out.push("  }");
  }
  // References to tables of other domains are drawn too; those tables appear without attributes.
  out.push(...relationships(tables, (child) => names.has(child)), "```", "");
  return out;
}

/** The whole of docs/schema.md. */
export function renderSchemaDocs(): string {
  const tables = allTableDocs();
  const referencedBy = new Map<string, string[]>();
  for (const t of tables)
    for (const fk of t.config.foreignKeys) {
      const parent = getTableConfig(fk.reference().foreignTable).name;
      const list = referencedBy.get(parent) ?? [];
      list.push(`${t.config.name}(${fkColumns(fk).join(", ")}) ON DELETE ${onDelete(fk)}`);
      referencedBy.set(parent, list);
    }
  for (const list of referencedBy.values()) list.sort();

  const out: string[] = [
    "# Schema reference",
    "",
    "<!-- Generated by `npm run docs` from src/schema/**; do not edit. CI runs `npm run docs -- --check`. -->",
    "",
    `${tables.length} tables in ${DOMAINS.length} domains, generated from the drizzle schema objects`,
    "(src/schema/<domain>/tables.ts). Triggers, functions, roles and grants come from custom migrations",
    '(README: "Security", "Integrity migrations") and are not drawn here.',
    "",
    "## Contents",
    "",
    "- [Overview](#overview)",
    ...DOMAINS.map((d) => `- [${d.title}](#${d.name})`),
    "",
    "## Overview",
    "",
    "Every table and foreign key (`||` = NOT NULL reference, `|o` = nullable).",
    "",
    "```mermaid",
    "erDiagram",
    ...tables.map((t) => `  ${t.config.name}`).sort(),
    ...relationships(tables, () => true),
    "```",
    "",
  ];
  for (const d of DOMAINS) {
    const mine = tables.filter((t) => t.domain === d.name);
    out.push(`<a id="${d.name}"></a>`, "", `## ${d.title}`, "", ...domainDiagram(mine));
    for (const t of mine) out.push(...renderTable(t, referencedBy));
  }
  return `${out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}
