/**
 * Walks the drizzle table objects and proves that every declared table, column (type, nullability,
 * default), primary key, foreign key (target and ON DELETE), unique, check and index exists live in a
 * database built by the committed migrations, and that the live database has nothing undeclared.
 * Schema code that runs ahead of its migrations (or a migration edited by hand) fails here.
 */
import { is, SQL } from "drizzle-orm";
import { getTableConfig, type PgColumn, PgDialect, type PgTable } from "drizzle-orm/pg-core";
import { beforeAll, describe, expect, it } from "vitest";
import { type LiveTable, readCatalog } from "../../src/migrate/catalog.js";
import { readHistory } from "../../src/migrate/history.js";
import { readJournal } from "../../src/migrate/journal.js";
import { allTables } from "../support/rows.js";
import { useTestDatabase } from "../support/test-db.js";

const dialect = new PgDialect();

/** drizzle's SQL type in format_type() spelling. */
function expectedType(column: PgColumn): string {
  return column
    .getSQLType()
    .replace(/^varchar/, "character varying")
    .replace(/^numeric\((\d+), (\d+)\)/, "numeric($1,$2)");
}

/** drizzle's default in pg_get_expr() spelling. */
function expectedDefault(column: PgColumn): string | null {
  if (!column.hasDefault || column.default === undefined) return null;
  const value: unknown = column.default;
  if (is(value, SQL)) return dialect.sqlToQuery(value).sql;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const castType = expectedType(column).replace(/\(.*\)$/, "");
  if (typeof value === "string") return `'${value.replaceAll("'", "''")}'::${castType}`;
  return `'${JSON.stringify(value)}'::${castType}`;
}

const ON_DELETE_DEFAULT = "no action";

const t = useTestDatabase();
let live: Map<string, LiveTable>;

beforeAll(async () => {
  live = await readCatalog(t.db);
});

describe("migrations", () => {
  it("build exactly the 45 declared tables and record every journal entry once", async () => {
    const declared = allTables.map((table) => getTableConfig(table).name).sort();
    expect(declared).toHaveLength(45);
    expect([...live.keys()].sort()).toEqual(declared);
    const history = await readHistory(t.db);
    const journal = readJournal();
    expect(history.map((h) => h.hash).sort()).toEqual(journal.map((m) => m.hash).sort());
  });
});

describe.each(allTables.map((table) => [getTableConfig(table).name, table] as const))(
  "table %s",
  (name, table: PgTable) => {
    const config = getTableConfig(table);
    const liveTable = () => {
      const found = live.get(name);
      if (!found) throw new Error(`table ${name} is missing from the migrated database`);
      return found;
    };

    it("has every declared column with its type, nullability and default, and no other", () => {
      const actual = liveTable().columns.map((c) => ({ ...c }));
      const expected = config.columns.map((c) => ({
        name: c.name,
        type: expectedType(c),
        notNull: c.notNull,
        default: expectedDefault(c),
      }));
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect(actual.sort(byName)).toEqual(expected.sort(byName));
    });

    it("has its primary key, uniques and foreign keys by name, columns, target and ON DELETE", () => {
      const constraints = liveTable().constraints;
      const pkColumns =
        config.primaryKeys[0]?.columns.map((c) => c.name) ??
        config.columns.filter((c) => c.primary).map((c) => c.name);
      const expected = [
        { name: `${name}_pkey`, kind: "primary key", columns: pkColumns },
        ...config.uniqueConstraints.map((u) => ({
          name: u.getName(),
          kind: "unique",
          columns: u.columns.map((c) => c.name),
        })),
        ...config.foreignKeys.map((fk) => {
          const ref = fk.reference();
          return {
            name: fk.getName(),
            kind: "foreign key",
            columns: ref.columns.map((c) => c.name),
            references: {
              table: getTableConfig(ref.foreignTable).name,
              columns: ref.foreignColumns.map((c) => c.name),
              onDelete: fk.onDelete ?? ON_DELETE_DEFAULT,
            },
          };
        }),
      ];
      const actual = constraints
        .filter((c) => c.kind !== "check")
        .map(({ name: n, kind, columns, references }) => ({
          name: n,
          kind,
          columns,
          ...(references ? { references } : {}),
        }));
      const byName = (a: { name?: string }, b: { name?: string }) =>
        (a.name ?? "").localeCompare(b.name ?? "");
      expect(actual.sort(byName)).toEqual(expected.sort(byName));
    });

    it("has every declared CHECK, and enum checks allow exactly the declared value list", () => {
      const liveChecks = liveTable().constraints.filter((c) => c.kind === "check");
      expect(liveChecks.map((c) => c.name).sort()).toEqual(config.checks.map((c) => c.name).sort());
      for (const column of config.columns) {
        const values = (column as { enumValues?: string[] }).enumValues;
        if (!values?.length) continue;
        const check = liveChecks.find((c) => c.name === `${name}_${column.name}_check`);
        expect(check, `${name}.${column.name} has no CHECK for its value list`).toBeDefined();
        expect(check?.columns).toEqual([column.name]);
        const allowed = [...(check?.definition.matchAll(/'((?:[^']|'')*)'::/g) ?? [])].map((m) => m[1]);
        expect(allowed.sort()).toEqual([...values].sort());
      }
    });

    it("has every declared index with its columns and order, and no undeclared one", () => {
      const actual = liveTable()
        .indexes.filter((i) => !i.constraintBacked)
        .map((i) => ({
          name: i.name,
          unique: i.unique,
          columns: i.columns,
          descending: i.descending,
          nullsFirst: i.nullsFirst,
        }));
      const expected = config.indexes.map((index) => {
        const columns = index.config.columns as PgColumn[] & { indexConfig?: { order?: string } }[];
        const orders = columns.map(
          (c) => (c as { indexConfig?: { order?: string; nulls?: string } }).indexConfig,
        );
        const descending = orders.map((o) => o?.order === "desc");
        return {
          name: index.config.name,
          unique: index.config.unique,
          columns: columns.map((c) => (is(c, SQL) ? indexExpression(c) : (c as PgColumn).name)),
          descending,
          // PostgreSQL's default: NULLS FIRST for DESC, NULLS LAST for ASC.
          nullsFirst: orders.map((o, i) => (o?.nulls ? o.nulls === "first" : descending[i] === true)),
        };
      });
      // An expression index as PostgreSQL prints it: unqualified column names and an implicit
      // ::text on varchar arguments; the operator class (text_pattern_ops) is not part of it.
      function indexExpression(expression: SQL): string {
        return dialect
          .sqlToQuery(expression)
          .sql.replace(/\s+text_pattern_ops$/, "")
          .replace(/"[a-z_]+"\.("[a-z_]+")/g, "$1")
          .replaceAll('"', "");
      }
      const normalized = (text: string | undefined) => text?.replaceAll("::text", "");
      for (const index of actual) index.columns = index.columns.map((c) => normalized(c) ?? c);
      const byName = (a: { name?: string }, b: { name?: string }) =>
        (a.name ?? "").localeCompare(b.name ?? "");
      expect(actual.sort(byName)).toEqual(expected.sort(byName));
    });
  },
);
