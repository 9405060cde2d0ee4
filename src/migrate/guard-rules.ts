/**
 * The guard's rules, over PostgreSQL's own parse trees (src/migrate/guard-parse.ts). Each rule has
 * one code; GUARD_RULES says what it catches, why it hurts a live system and what to do instead,
 * and is the single source for the script's hints and the README's table.
 *
 * Lock levels are PostgreSQL's documented ones (ALTER TABLE, CREATE INDEX): ALTER TABLE takes
 * ACCESS EXCLUSIVE (reads and writes wait) unless noted; CREATE INDEX takes SHARE (writes wait);
 * ADD FOREIGN KEY takes SHARE ROW EXCLUSIVE on both tables; VALIDATE CONSTRAINT takes only SHARE
 * UPDATE EXCLUSIVE (reads and writes go on), which is why NOT VALID + a later VALIDATE is the online
 * path. A table created by the same migration is not "existing": it is empty and nobody uses it yet.
 * Tables are matched by name without schema (the migrations use one schema).
 */
import type {
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  Constraint,
  CreateStmt,
  DropStmt,
  IndexStmt,
  Node,
  RangeVar,
  ReindexStmt,
  RenameStmt,
} from "libpg-query";

export interface RuleInfo {
  /** What the rule catches. */
  catches: string;
  /** Why it blocks or breaks a live system. */
  why: string;
  /** The safe alternative. */
  instead: string;
  /** False when no comment can acknowledge it. */
  ackable: boolean;
}

export const GUARD_RULES = {
  "drop-table": {
    catches: "DROP TABLE, DROP SCHEMA or TRUNCATE of a table the migration did not create",
    why: "the data is gone, and the running application still reads and writes the table",
    instead:
      "stop using the table in a release first, then drop it in a later migration (acknowledged, after a backup)",
    ackable: true,
  },
  "drop-column": {
    catches: "ALTER TABLE ... DROP COLUMN on an existing table",
    why: "the data is gone, and the running application still selects and inserts the column",
    instead: "remove the column from the code and deploy first; drop it in a later migration (acknowledged)",
    ackable: true,
  },
  "alter-type": {
    catches: "ALTER COLUMN ... TYPE on an existing table",
    why:
      "ACCESS EXCLUSIVE while the table and its indexes are rewritten (unless the types are binary coercible); " +
      "existing values may not convert; running code reads another type",
    instead:
      "expand, backfill, contract: add a column of the new type, backfill in batches, switch the code, drop the old one " +
      "(acknowledge only a binary-coercible change, e.g. varchar(n) to varchar(m > n) or text)",
    ackable: true,
  },
  "not-null": {
    catches:
      "ADD COLUMN ... NOT NULL without DEFAULT on an existing table; SET NOT NULL with neither a backfill " +
      "(an UPDATE setting the column earlier in the same migration) nor a validated CHECK (col IS NOT NULL) " +
      "(SET DEFAULT is no backfill: it applies to new rows only)",
    why: "fails on the first existing row that holds NULL, so the deploy fails on real data",
    instead:
      "ADD COLUMN ... DEFAULT x NOT NULL with a constant x; or backfill (UPDATE ... SET col = ... WHERE col IS NULL) before SET NOT NULL",
    ackable: true,
  },
  "not-null-scan": {
    catches: "SET NOT NULL on an existing table without a validated CHECK (col IS NOT NULL) first",
    why: "ACCESS EXCLUSIVE while the whole table is scanned for NULLs: reads and writes wait",
    instead:
      "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c in a later migration; " +
      "then SET NOT NULL (PostgreSQL 12+ skips the scan when a valid CHECK proves it) and DROP CONSTRAINT c",
    ackable: true,
  },
  rename: {
    catches: "RENAME TO of a table or view, RENAME COLUMN, on one the migration did not create",
    why: "the running application still uses the old name: its queries fail from the commit until it is redeployed",
    instead:
      "expand, backfill, contract: add the new column or table, write both, backfill, move readers, drop the old one later",
    ackable: true,
  },
  "create-index-blocking": {
    catches: "CREATE INDEX (or REINDEX) without CONCURRENTLY on an existing table",
    why: "SHARE lock for the whole build: every INSERT, UPDATE and DELETE on the table waits",
    instead: "CREATE INDEX CONCURRENTLY in a migration whose first line is `-- migrate:no-transaction`",
    ackable: true,
  },
  "constraint-blocking": {
    catches:
      "FOREIGN KEY or CHECK added to an existing table without NOT VALID (or inline in ADD COLUMN); UNIQUE or " +
      "PRIMARY KEY added without USING INDEX; EXCLUDE; VALIDATE CONSTRAINT in the transactional migration that added it",
    why:
      "the table is scanned (CHECK under ACCESS EXCLUSIVE: reads and writes wait; FOREIGN KEY under SHARE ROW EXCLUSIVE " +
      "on both tables: writes wait) or an index is built under ACCESS EXCLUSIVE",
    instead:
      "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later migration (SHARE UPDATE EXCLUSIVE: reads and " +
      "writes go on); UNIQUE/PRIMARY KEY: CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... USING INDEX",
    ackable: true,
  },
  "volatile-default": {
    catches:
      "ADD COLUMN on an existing table with a volatile DEFAULT (random(), gen_random_uuid(), clock_timestamp(), " +
      "nextval()/serial, identity, a function of unknown volatility) or a STORED generated column",
    why:
      "the table and its indexes are rewritten under ACCESS EXCLUSIVE (a non-volatile default such as now() or a " +
      "constant is stored once in the catalog since PostgreSQL 11, no rewrite)",
    instead:
      "add the column without the default, then ALTER COLUMN ... SET DEFAULT (new rows only) and backfill existing rows in batches",
    ackable: true,
  },
  "concurrently-in-transaction": {
    catches:
      "CREATE INDEX / DROP INDEX / REINDEX CONCURRENTLY in a migration without `-- migrate:no-transaction` as first line",
    why: "PostgreSQL refuses CONCURRENTLY inside a transaction block: the migration fails at deploy",
    instead: "put it in its own migration whose first line is `-- migrate:no-transaction`",
    ackable: true,
  },
  "no-transaction-rerun": {
    catches:
      "in a `-- migrate:no-transaction` migration, a statement before the last one that cannot run twice " +
      "(CREATE INDEX without IF NOT EXISTS, DROP without IF EXISTS, anything but SET, VALIDATE CONSTRAINT, REINDEX, VACUUM)",
    why:
      "its statements commit one by one; after a failure part-way the next migrate runs the file again from the top, " +
      "and a statement that already succeeded fails the second time",
    instead: "write it IF NOT EXISTS / IF EXISTS, or give each such statement its own migration",
    ackable: true,
  },
  edited: {
    catches: "a migration already on the base branch whose file was changed or deleted",
    why: "databases that ran it recorded its hash and never run the edit; db:migrate refuses to run (exit 4)",
    instead: "restore the file and write a new migration",
    ackable: false,
  },
  syntax: {
    catches: "a migration PostgreSQL's parser refuses",
    why: "it fails at deploy, and the guard cannot judge it",
    instead: "fix the SQL",
    ackable: false,
  },
  "ack-invalid": {
    catches:
      "an acknowledgement with an unknown rule code or no reason, not on its own line before a statement, " +
      "or the retired file-wide `-- guard:allow-destructive`",
    why: "it would hide nothing, or hide more than was reviewed",
    instead: "`-- guard:allow <rule> <reason>` on its own line directly before the statement",
    ackable: false,
  },
  "ack-unused": {
    catches: "an acknowledgement whose statement does not trip that rule (a warning, not a failure)",
    why: "a stale acknowledgement misleads the reader",
    instead: "remove it",
    ackable: false,
  },
} as const satisfies Record<string, RuleInfo>;

export type GuardRule = keyof typeof GUARD_RULES;

export const isGuardRule = (code: string): code is GuardRule => Object.hasOwn(GUARD_RULES, code);

/** A rule tripped by statement `statement` (index in the file). */
export interface RuleHit {
  rule: GuardRule;
  statement: number;
  message: string;
}

/** What earlier migrations left that later rules depend on. */
export interface SchemaFacts {
  /** CHECK constraints proving columns NOT NULL, by `table.constraint`. */
  notNullChecks: Map<string, { table: string; columns: Set<string>; valid: boolean }>;
  /** Volatility of the functions the migrations create: PostgreSQL's default is VOLATILE. */
  functions: Map<string, "v" | "s" | "i">;
}

export const emptyFacts = (): SchemaFacts => ({ notNullChecks: new Map(), functions: new Map() });

/**
 * Built-in (and extension) functions by volatility, as pg_proc.provolatile says (checked against the
 * server by test/migrate/guard.test.ts). A function in neither list and not created by the migrations
 * counts as volatile: that is PostgreSQL's own default for CREATE FUNCTION, and the guard fails closed.
 */
export const VOLATILE_FUNCTIONS: readonly string[] = [
  "random",
  "random_normal",
  "gen_random_uuid",
  "uuidv4",
  "uuidv7",
  "uuid_generate_v1",
  "uuid_generate_v1mc",
  "uuid_generate_v4",
  "clock_timestamp",
  "timeofday",
  "nextval",
];
export const NON_VOLATILE_FUNCTIONS: readonly string[] = [
  "now",
  "transaction_timestamp",
  "statement_timestamp",
  "current_setting",
  "current_database",
  "current_schema",
  "txid_current",
  "pg_current_xact_id",
  "jsonb_build_object",
  "jsonb_build_array",
  "json_build_object",
  "json_build_array",
  "to_jsonb",
  "lower",
  "upper",
  "make_interval",
];
const SERIAL_TYPES = new Set(["smallserial", "serial", "bigserial", "serial2", "serial4", "serial8"]);

/** `{ Kind: body }` -> body when the node is of that kind. */
type KeysOf<T> = T extends unknown ? keyof T : never;
export type NodeKind = KeysOf<Node>;
export type Body<K extends NodeKind> = Extract<Node, Record<K, unknown>>[K];
export function as<K extends NodeKind>(node: Node | undefined, kind: K): Body<K> | undefined {
  return node !== undefined && kind in node ? (node as unknown as Record<K, Body<K>>)[kind] : undefined;
}
export const sval = (node: Node | undefined) => as(node, "String")?.sval;
export const lastName = (names: Node[] | undefined) => sval(names?.[names.length - 1]);
const relName = (rel: RangeVar | undefined) => rel?.relname ?? "?";
const display = (rel: RangeVar | undefined) =>
  rel?.schemaname ? `${rel.schemaname}.${relName(rel)}` : relName(rel);

/** Every function called anywhere in an expression tree. */
function calledFunctions(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) calledFunctions(v, into);
  else if (value !== null && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (key === "FuncCall") {
        const name = lastName((v as Body<"FuncCall">).funcname);
        if (name) into.push(name);
      }
      calledFunctions(v, into);
    }
  }
  return into;
}

/** Columns an expression proves NOT NULL: `col IS NOT NULL`, possibly AND-ed with other conditions. */
function provenNotNull(expr: Node | undefined, into = new Set<string>()): Set<string> {
  const test = as(expr, "NullTest");
  if (test?.nulltesttype === "IS_NOT_NULL") {
    const column = lastName(as(test.arg, "ColumnRef")?.fields);
    if (column) into.add(column);
  }
  const bool = as(expr, "BoolExpr");
  if (bool?.boolop === "AND_EXPR") for (const arg of bool.args ?? []) provenNotNull(arg, into);
  return into;
}

/** Per-file state: what this migration created, backfilled, added NOT VALID. */
interface FileState {
  transaction: boolean;
  created: Set<string>;
  createdSchemas: Set<string>;
  backfilled: Set<string>;
  /** Columns added by this migration: true when a non-null default filled existing rows. */
  added: Map<string, boolean>;
  addedNotValid: Set<string>;
}

/**
 * Run the rules over one migration's statements, in order, updating `facts` with what it leaves
 * for later migrations. `transaction` is false for a `-- migrate:no-transaction` file.
 */
export function checkStatements(nodes: Node[], transaction: boolean, facts: SchemaFacts): RuleHit[] {
  const hits: RuleHit[] = [];
  const file: FileState = {
    transaction,
    created: new Set(),
    createdSchemas: new Set(),
    backfilled: new Set(),
    added: new Map(),
    addedNotValid: new Set(),
  };
  nodes.forEach((node, statement) => {
    const hit = (rule: GuardRule, message: string) => hits.push({ rule, statement, message });
    checkStatement(node, file, facts, hit);
    if (!transaction && statement < nodes.length - 1 && !rerunnable(node)) {
      hit(
        "no-transaction-rerun",
        "not the last statement of a no-transaction migration, and it fails when the file is run again after a later statement failed",
      );
    }
  });
  return hits;
}

type Hit = (rule: GuardRule, message: string) => void;

const IN_TRANSACTION =
  "in a migration that runs in a transaction (its first line is not `-- migrate:no-transaction`)";

/** One statement; a node is of exactly one kind, so at most one branch applies. */
function checkStatement(node: Node, file: FileState, facts: SchemaFacts, hit: Hit): void {
  const existing = (rel: RangeVar | undefined) => !file.created.has(relName(rel));

  const create = as(node, "CreateStmt");
  if (create) recordCreate(create, file, facts);
  const createAs = as(node, "CreateTableAsStmt");
  if (createAs) file.created.add(relName(createAs.into?.rel));
  const schema = as(node, "CreateSchemaStmt");
  if (schema) file.createdSchemas.add(schema.schemaname ?? "");
  const fn = as(node, "CreateFunctionStmt");
  const fnName = lastName(fn?.funcname);
  if (fn && fnName) {
    const volatility = fn.options?.map((o) => as(o, "DefElem")).find((d) => d?.defname === "volatility");
    const declared = sval(volatility?.arg);
    facts.functions.set(fnName, declared === "immutable" ? "i" : declared === "stable" ? "s" : "v");
  }
  const update = as(node, "UpdateStmt");
  for (const target of update?.targetList ?? []) {
    const column = as(target, "ResTarget")?.name;
    if (column) file.backfilled.add(`${relName(update?.relation)}.${column}`);
  }
  const drop = as(node, "DropStmt");
  if (drop) checkDrop(drop, file, facts, hit);
  const truncate = as(node, "TruncateStmt");
  for (const rel of truncate?.relations ?? []) {
    const r = as(rel, "RangeVar");
    if (existing(r)) hit("drop-table", `TRUNCATE ${display(r)}`);
  }
  const index = as(node, "IndexStmt");
  if (index) checkIndex(index, file, existing(index.relation), hit);
  const reindex = as(node, "ReindexStmt");
  if (reindex) checkReindex(reindex, file, hit);
  const rename = as(node, "RenameStmt");
  if (rename) checkRename(rename, file, facts, existing(rename.relation), hit);
  const alter = as(node, "AlterTableStmt");
  if (alter?.objtype === "OBJECT_TABLE") {
    for (const cmd of alter.cmds ?? []) {
      const c = as(cmd, "AlterTableCmd");
      if (c) checkAlterTableCmd(alter, c, file, facts, existing(alter.relation), hit);
    }
  }
}

function recordCheck(
  facts: SchemaFacts,
  table: string,
  name: string,
  expr: Node | undefined,
  valid: boolean,
) {
  const columns = provenNotNull(expr);
  if (columns.size > 0) facts.notNullChecks.set(`${table}.${name}`, { table, columns, valid });
}

function recordCreate(create: CreateStmt, file: FileState, facts: SchemaFacts): void {
  const table = relName(create.relation);
  file.created.add(table);
  // CHECKs of CREATE TABLE are valid (PostgreSQL ignores NOT VALID there); unnamed ones get
  // PostgreSQL's default names, so a later VALIDATE/DROP CONSTRAINT finds them.
  for (const element of create.tableElts ?? []) {
    const column = as(element, "ColumnDef");
    for (const con of column?.constraints ?? []) {
      const c = as(con, "Constraint");
      if (c?.contype === "CONSTR_CHECK")
        recordCheck(facts, table, c.conname ?? `${table}_${column?.colname}_check`, c.raw_expr, true);
    }
    const c = as(element, "Constraint");
    if (c?.contype === "CONSTR_CHECK")
      recordCheck(facts, table, c.conname ?? `${table}_check`, c.raw_expr, true);
  }
}

function checkDrop(drop: DropStmt, file: FileState, facts: SchemaFacts, hit: Hit): void {
  if (drop.removeType === "OBJECT_TABLE") {
    for (const object of drop.objects ?? []) {
      const table = lastName(as(object, "List")?.items);
      if (!table) continue;
      for (const [key, check] of facts.notNullChecks)
        if (check.table === table) facts.notNullChecks.delete(key);
      if (!file.created.has(table)) hit("drop-table", `DROP TABLE ${table}`);
    }
  } else if (drop.removeType === "OBJECT_SCHEMA") {
    for (const object of drop.objects ?? []) {
      const name = sval(object);
      if (name && !file.createdSchemas.has(name)) hit("drop-table", `DROP SCHEMA ${name}`);
    }
  } else if (drop.removeType === "OBJECT_INDEX" && drop.concurrent && file.transaction) {
    hit("concurrently-in-transaction", `DROP INDEX CONCURRENTLY ${IN_TRANSACTION}`);
  }
}

function checkIndex(index: IndexStmt, file: FileState, existing: boolean, hit: Hit): void {
  const create = index.unique ? "CREATE UNIQUE INDEX" : "CREATE INDEX";
  const what = `${index.idxname ?? ""} ON ${display(index.relation)}`.trim();
  if (index.concurrent && file.transaction)
    hit("concurrently-in-transaction", `${create} CONCURRENTLY ${what} ${IN_TRANSACTION}`);
  if (!index.concurrent && existing) hit("create-index-blocking", `${create} ${what} without CONCURRENTLY`);
}

function checkReindex(reindex: ReindexStmt, file: FileState, hit: Hit): void {
  const concurrently = reindex.params?.some((p) => as(p, "DefElem")?.defname === "concurrently") ?? false;
  const target = reindex.relation ? display(reindex.relation) : (reindex.name ?? "");
  if (concurrently && file.transaction)
    hit("concurrently-in-transaction", `REINDEX CONCURRENTLY ${target} ${IN_TRANSACTION}`);
  if (!concurrently) hit("create-index-blocking", `REINDEX ${target} without CONCURRENTLY`);
}

function checkRename(
  rename: RenameStmt,
  file: FileState,
  facts: SchemaFacts,
  existing: boolean,
  hit: Hit,
): void {
  const table = relName(rename.relation);
  const newName = rename.newname ?? "?";
  switch (rename.renameType) {
    case "OBJECT_TABLE":
    case "OBJECT_VIEW":
    case "OBJECT_MATVIEW":
      if (existing) hit("rename", `RENAME ${display(rename.relation)} TO ${newName}`);
      else file.created.add(newName);
      for (const [key, check] of [...facts.notNullChecks]) {
        if (check.table !== table) continue;
        facts.notNullChecks.delete(key);
        facts.notNullChecks.set(`${newName}.${key.slice(table.length + 1)}`, { ...check, table: newName });
      }
      return;
    case "OBJECT_COLUMN":
      if (existing)
        hit("rename", `RENAME COLUMN ${display(rename.relation)}.${rename.subname} TO ${newName}`);
      return;
    case "OBJECT_TABCONSTRAINT": {
      const check = facts.notNullChecks.get(`${table}.${rename.subname}`);
      if (check) {
        facts.notNullChecks.delete(`${table}.${rename.subname}`);
        facts.notNullChecks.set(`${table}.${newName}`, check);
      }
      return;
    }
    default:
      return;
  }
}

function checkAlterTableCmd(
  alter: AlterTableStmt,
  cmd: AlterTableCmd,
  file: FileState,
  facts: SchemaFacts,
  existing: boolean,
  hit: Hit,
): void {
  const table = relName(alter.relation);
  const where = display(alter.relation);
  switch (cmd.subtype) {
    case "AT_DropColumn":
      if (existing) hit("drop-column", `DROP COLUMN ${where}.${cmd.name}`);
      return;
    case "AT_AlterColumnType":
      if (existing) hit("alter-type", `ALTER COLUMN ${where}.${cmd.name} TYPE`);
      return;
    case "AT_SetNotNull": {
      if (!existing) return;
      const column = cmd.name ?? "?";
      const proven = [...facts.notNullChecks.values()].some(
        (c) => c.table === table && c.valid && c.columns.has(column),
      );
      if (proven) return;
      const filled =
        file.backfilled.has(`${table}.${column}`) || file.added.get(`${table}.${column}`) === true;
      if (!filled)
        hit(
          "not-null",
          `SET NOT NULL on ${where}.${column}: no UPDATE of the column earlier in this migration and no validated CHECK (${column} IS NOT NULL); SET DEFAULT does not fill existing rows`,
        );
      hit(
        "not-null-scan",
        `SET NOT NULL on ${where}.${column} without a validated CHECK (${column} IS NOT NULL)`,
      );
      return;
    }
    case "AT_AddColumn": {
      const column = as(cmd.def, "ColumnDef");
      if (column) checkAddColumn(table, where, column, file, facts, existing, hit);
      return;
    }
    case "AT_AddConstraint": {
      const c = as(cmd.def, "Constraint");
      if (c) checkAddConstraint(table, where, c, file, facts, existing, hit);
      return;
    }
    case "AT_ValidateConstraint": {
      const key = `${table}.${cmd.name}`;
      if (file.addedNotValid.has(key) && file.transaction)
        hit(
          "constraint-blocking",
          `VALIDATE CONSTRAINT ${cmd.name} in the migration that added it: the scan runs while ADD CONSTRAINT's lock is still held`,
        );
      const check = facts.notNullChecks.get(key);
      if (check) check.valid = true;
      return;
    }
    case "AT_DropConstraint":
      facts.notNullChecks.delete(`${table}.${cmd.name}`);
      return;
    default:
      return;
  }
}

function checkAddColumn(
  table: string,
  where: string,
  column: ColumnDef,
  file: FileState,
  facts: SchemaFacts,
  existing: boolean,
  hit: Hit,
): void {
  const name = column.colname ?? "?";
  const constraints = (column.constraints ?? [])
    .map((c) => as(c, "Constraint"))
    .filter((c) => c !== undefined);
  const kinds = new Set(constraints.map((c) => c.contype));
  const serial = SERIAL_TYPES.has(lastName(column.typeName?.names) ?? "");
  const defaultExpr = constraints.find((c) => c.contype === "CONSTR_DEFAULT")?.raw_expr;
  const nullDefault = as(defaultExpr, "A_Const")?.isnull === true;
  const stored = constraints.some((c) => c.contype === "CONSTR_GENERATED" && c.generated_kind === "s");
  const virtual = constraints.some((c) => c.contype === "CONSTR_GENERATED" && c.generated_kind !== "s");
  const hasDefault =
    (defaultExpr !== undefined && !nullDefault) ||
    serial ||
    kinds.has("CONSTR_IDENTITY") ||
    stored ||
    virtual;
  file.added.set(`${table}.${name}`, hasDefault);
  for (const c of constraints) {
    if (c.contype === "CONSTR_CHECK")
      recordCheck(facts, table, c.conname ?? `${table}_${name}_check`, c.raw_expr, true);
  }
  if (!existing) return;

  const notNull = kinds.has("CONSTR_NOTNULL") || kinds.has("CONSTR_PRIMARY") || column.is_not_null === true;
  if (notNull && !hasDefault) hit("not-null", `ADD COLUMN ${where}.${name} NOT NULL without a DEFAULT`);

  const rewrite = serial
    ? `a ${lastName(column.typeName?.names)} column (DEFAULT nextval())`
    : kinds.has("CONSTR_IDENTITY")
      ? "an identity column"
      : stored
        ? "a STORED generated column"
        : defaultExpr && !nullDefault
          ? volatileCall(defaultExpr, facts)
          : undefined;
  if (rewrite) hit("volatile-default", `ADD COLUMN ${where}.${name} with ${rewrite}: the table is rewritten`);

  for (const c of constraints) {
    const kind = inlineConstraintKind(c);
    if (kind)
      hit("constraint-blocking", `ADD COLUMN ${where}.${name} with an inline ${kind} (cannot be NOT VALID)`);
  }
}

const inlineConstraintKind = (c: Constraint) =>
  ({
    CONSTR_CHECK: "CHECK",
    CONSTR_FOREIGN: "REFERENCES",
    CONSTR_UNIQUE: "UNIQUE",
    CONSTR_PRIMARY: "PRIMARY KEY",
    CONSTR_EXCLUSION: "EXCLUDE",
  })[c.contype as string];

/** A description of the first volatile call in a DEFAULT expression, or undefined when it has none. */
function volatileCall(expr: Node, facts: SchemaFacts): string | undefined {
  for (const name of calledFunctions(expr)) {
    const created = facts.functions.get(name);
    if (created) {
      if (created === "v") return `DEFAULT ${name}() (created VOLATILE by a migration)`;
      continue;
    }
    if (VOLATILE_FUNCTIONS.includes(name)) return `volatile DEFAULT ${name}()`;
    if (!NON_VOLATILE_FUNCTIONS.includes(name))
      return `DEFAULT ${name}(), whose volatility the guard does not know (treated as volatile)`;
  }
  return undefined;
}

function checkAddConstraint(
  table: string,
  where: string,
  c: Constraint,
  file: FileState,
  facts: SchemaFacts,
  existing: boolean,
  hit: Hit,
): void {
  const name = c.conname ?? "";
  const notValid = c.skip_validation === true;
  const enforced = c.is_enforced !== false;
  if (c.contype === "CONSTR_CHECK") recordCheck(facts, table, name, c.raw_expr, enforced && !notValid);
  if (!existing || !enforced) return;
  if (notValid) file.addedNotValid.add(`${table}.${name}`);
  const label = `ADD CONSTRAINT${name ? ` ${name}` : ""} on ${where}`;
  switch (c.contype) {
    case "CONSTR_CHECK":
      if (!notValid) hit("constraint-blocking", `${label}: CHECK without NOT VALID`);
      return;
    case "CONSTR_FOREIGN":
      if (!notValid) hit("constraint-blocking", `${label}: FOREIGN KEY without NOT VALID`);
      return;
    case "CONSTR_UNIQUE":
    case "CONSTR_PRIMARY":
      if (!c.indexname)
        hit(
          "constraint-blocking",
          `${label}: ${c.contype === "CONSTR_UNIQUE" ? "UNIQUE" : "PRIMARY KEY"} without USING INDEX`,
        );
      return;
    case "CONSTR_EXCLUSION":
      hit("constraint-blocking", `${label}: EXCLUDE builds its index under ACCESS EXCLUSIVE`);
      return;
    default:
      return;
  }
}

/** Statements that can run a second time after succeeding once (no-transaction files are re-run whole). */
function rerunnable(node: Node): boolean {
  const index = as(node, "IndexStmt");
  if (index) return index.if_not_exists === true;
  const drop = as(node, "DropStmt");
  if (drop) return drop.missing_ok === true;
  const alter = as(node, "AlterTableStmt");
  if (alter)
    return (alter.cmds ?? []).every((c) => as(c, "AlterTableCmd")?.subtype === "AT_ValidateConstraint");
  return ["VariableSetStmt", "ReindexStmt", "VacuumStmt"].some((kind) => kind in node);
}
