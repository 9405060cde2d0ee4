/**
 * Destructive-change guard (pure, over SQL text; scripts/migrations-guard.ts feeds it the
 * migrations that are not on the base branch yet). A new migration fails the guard when it:
 *   drop-table      DROP TABLE / DROP SCHEMA / TRUNCATE (data is gone);
 *   drop-column     ALTER TABLE ... DROP [COLUMN] c (data is gone; running code still reads it);
 *   alter-type      ALTER [COLUMN] c [SET DATA] TYPE t (rewrites or fails on existing data);
 *   not-null        ADD COLUMN ... NOT NULL without DEFAULT (fails on a non-empty table), or
 *                   ALTER COLUMN c SET NOT NULL on a column with no default (from this or an earlier
 *                   migration) and no UPDATE of that table in the same migration (no backfill);
 * unless the file carries the acknowledgement comment, with a reason:
 *   -- guard:allow-destructive <why this is safe / what was done about the data>
 * A migration already on the base branch must not be edited at all (rule `edited`); no comment
 * acknowledges that, because databases that ran it would never run the edit.
 */

export type GuardRule = "drop-table" | "drop-column" | "alter-type" | "not-null" | "edited";

export interface GuardFinding {
  rule: GuardRule;
  /** What and where, e.g. `DROP COLUMN assets.notes`. */
  message: string;
  /** The statement, whitespace-collapsed and shortened. */
  statement: string;
}

export interface MigrationCheck {
  findings: GuardFinding[];
  /** The acknowledgement's reason when the file carries one. */
  acknowledgement: string | null;
}

export const ACK_MARKER = "guard:allow-destructive";
const ACK = /--\s*guard:allow-destructive\b[ \t]*(.*)$/m;

/**
 * Split SQL into statements on top-level semicolons, dropping comments; quotes, quoted
 * identifiers and dollar-quoted bodies (functions) are kept intact and never split.
 */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let current = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === "-" && next === "-") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
      current += " ";
    } else if (c === "/" && next === "*") {
      let depth = 1;
      i += 2;
      while (i < text.length && depth > 0) {
        const pair = text.slice(i, i + 2);
        if (pair === "/*" || pair === "*/") {
          depth += pair === "/*" ? 1 : -1;
          i += 2;
        } else i++;
      }
      current += " ";
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < text.length) {
        if (text[j] === c && text[j + 1] === c) j += 2;
        else if (text[j] === c) break;
        else j++;
      }
      current += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === "$" && /^\$(?:[A-Za-z_]\w*)?\$/.test(text.slice(i))) {
      const tag = /^\$(?:[A-Za-z_]\w*)?\$/.exec(text.slice(i))![0];
      const end = text.indexOf(tag, i + tag.length);
      const stop = end < 0 ? text.length : end + tag.length;
      current += text.slice(i, stop);
      i = stop;
    } else if (c === ";") {
      if (current.trim()) out.push(current.trim());
      current = "";
      i++;
    } else {
      current += c;
      i++;
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/** Split on commas outside parentheses and quotes (ALTER TABLE's action list, CREATE TABLE's body). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts.filter((p) => p.length > 0);
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const QNAME = String.raw`${IDENT}(?:\s*\.\s*${IDENT})?`;

/** `"public"."Assets"` -> `Assets`, `public.assets` -> `assets` (unquoted names fold to lower case). */
function bare(name: string): string {
  const parts = name.split(/\s*\.\s*(?=(?:"|[A-Za-z_]))/);
  const last = parts[parts.length - 1]!.trim();
  return last.startsWith('"') ? last.slice(1, -1).replace(/""/g, '"') : last.toLowerCase();
}

const short = (statement: string, max = 140) => {
  const s = statement.replace(/\s+/g, " ").trim();
  return s.length > max ? `${s.slice(0, max)}...` : s;
};

const TABLE_ELEMENT_NOT_COLUMN = /^(?:CONSTRAINT|PRIMARY|UNIQUE|CHECK|FOREIGN|EXCLUDE|LIKE)\b/i;
const HAS_DEFAULT = /\bDEFAULT\b|\bGENERATED\b|\b(?:small|big)?serial\d?\b/i;

/** `table.column` names that have a default after running these statements (for SET NOT NULL). */
export function columnsWithDefaults(statements: string[], into = new Set<string>()): Set<string> {
  for (const st of statements) {
    const create = new RegExp(
      String.raw`^CREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(${QNAME})\s*\(([\s\S]*)\)`,
      "i",
    ).exec(st);
    if (create) {
      const table = bare(create[1]!);
      for (const element of splitTopLevel(create[2]!)) {
        if (TABLE_ELEMENT_NOT_COLUMN.test(element)) continue;
        const col = new RegExp(`^(${IDENT})`).exec(element);
        if (col && HAS_DEFAULT.test(element)) into.add(`${table}.${bare(col[1]!)}`);
      }
      continue;
    }
    const alter = alterTable(st);
    if (!alter) continue;
    for (const action of alter.actions) {
      const add = new RegExp(
        String.raw`^ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(${IDENT})\s`,
        "i",
      ).exec(action);
      if (add && !TABLE_ELEMENT_NOT_COLUMN.test(action.replace(/^ADD\s+/i, "")) && HAS_DEFAULT.test(action)) {
        into.add(`${alter.table}.${bare(add[1]!)}`);
      }
      const set = new RegExp(
        String.raw`^ALTER\s+(?:COLUMN\s+)?(${IDENT})\s+(SET|DROP)\s+DEFAULT\b`,
        "i",
      ).exec(action);
      if (set) {
        const key = `${alter.table}.${bare(set[1]!)}`;
        if (set[2]!.toUpperCase() === "SET") into.add(key);
        else into.delete(key);
      }
    }
  }
  return into;
}

function alterTable(statement: string): { table: string; actions: string[] } | null {
  const m = new RegExp(
    String.raw`^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(${QNAME})\s+([\s\S]*)$`,
    "i",
  ).exec(statement);
  if (!m) return null;
  return { table: bare(m[1]!), actions: splitTopLevel(m[2]!) };
}

/**
 * Check one migration. `earlierSql` (the migrations before it, in order) tells which columns
 * already have a default when it sets NOT NULL.
 */
export function checkMigrationSql(text: string, earlierSql: string[] = []): MigrationCheck {
  const ack = ACK.exec(text);
  const reason = ack?.[1]?.trim() ?? "";
  const statements = splitStatements(text);
  const defaults = new Set<string>();
  for (const earlier of earlierSql) columnsWithDefaults(splitStatements(earlier), defaults);
  columnsWithDefaults(statements, defaults);
  const updated = new Set(
    statements
      .map((s) => new RegExp(String.raw`^UPDATE\s+(?:ONLY\s+)?(${QNAME})`, "i").exec(s)?.[1])
      .filter((t): t is string => t !== undefined)
      .map(bare),
  );

  const findings: GuardFinding[] = [];
  const add = (rule: GuardRule, message: string, statement: string) =>
    findings.push({ rule, message, statement: short(statement) });

  for (const st of statements) {
    const drop = /^DROP\s+(TABLE|SCHEMA)\s+(?:IF\s+EXISTS\s+)?([\s\S]+?)(?:\s+(?:CASCADE|RESTRICT))?$/i.exec(
      st,
    );
    if (drop) {
      const names = splitTopLevel(drop[2]!).map(bare).join(", ");
      add("drop-table", `DROP ${drop[1]!.toUpperCase()} ${names}`, st);
      continue;
    }
    const truncate =
      /^TRUNCATE\s+(?:TABLE\s+)?(?:ONLY\s+)?([\s\S]+?)(?:\s+(?:RESTART|CONTINUE|CASCADE|RESTRICT)[\s\S]*)?$/i.exec(
        st,
      );
    if (truncate) {
      add("drop-table", `TRUNCATE ${splitTopLevel(truncate[1]!).map(bare).join(", ")}`, st);
      continue;
    }
    const alter = alterTable(st);
    if (!alter) continue;
    const { table } = alter;
    for (const action of alter.actions) {
      const dropCol = new RegExp(String.raw`^DROP\s+(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?(${IDENT})`, "i").exec(
        action,
      );
      if (dropCol && !/^DROP\s+CONSTRAINT\b/i.test(action)) {
        add("drop-column", `DROP COLUMN ${table}.${bare(dropCol[1]!)}`, st);
        continue;
      }
      const type = new RegExp(
        String.raw`^ALTER\s+(?:COLUMN\s+)?(${IDENT})\s+(?:SET\s+DATA\s+)?TYPE\s+([\s\S]+)$`,
        "i",
      ).exec(action);
      if (type) {
        add("alter-type", `ALTER COLUMN ${table}.${bare(type[1]!)} TYPE ${short(type[2]!, 60)}`, st);
        continue;
      }
      const setNotNull = new RegExp(
        String.raw`^ALTER\s+(?:COLUMN\s+)?(${IDENT})\s+SET\s+NOT\s+NULL\b`,
        "i",
      ).exec(action);
      if (setNotNull) {
        const column = bare(setNotNull[1]!);
        if (!defaults.has(`${table}.${column}`) && !updated.has(table)) {
          add(
            "not-null",
            `SET NOT NULL on ${table}.${column}, which has no default and is not backfilled (UPDATE ${table}) in this migration`,
            st,
          );
        }
        continue;
      }
      const addCol = new RegExp(
        String.raw`^ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(${IDENT})\s+([\s\S]+)$`,
        "i",
      ).exec(action);
      if (addCol && !TABLE_ELEMENT_NOT_COLUMN.test(action.replace(/^ADD\s+/i, ""))) {
        if (/\bNOT\s+NULL\b/i.test(addCol[2]!) && !HAS_DEFAULT.test(addCol[2]!)) {
          add("not-null", `ADD COLUMN ${table}.${bare(addCol[1]!)} NOT NULL without a DEFAULT`, st);
        }
      }
    }
  }
  return { findings, acknowledgement: ack && reason.length > 0 ? reason : null };
}

export interface GuardInput {
  /** File name, e.g. `0003_drop_legacy.sql`. */
  name: string;
  sql: string;
  /** The file's text on the base branch; undefined when the base does not have it (a new migration). */
  baseSql?: string | undefined;
}

export interface GuardFileResult {
  name: string;
  isNew: boolean;
  findings: GuardFinding[];
  acknowledgement: string | null;
  /** True when this file makes the guard fail. */
  blocking: boolean;
}

/**
 * Pure decision over the migrations folder in journal order: new migrations are checked (each
 * against the defaults of all before it), migrations on the base must be byte-identical.
 */
export function guardMigrations(files: GuardInput[]): GuardFileResult[] {
  return files.map((file, i) => {
    if (file.baseSql !== undefined) {
      const edited = file.baseSql !== file.sql;
      const findings: GuardFinding[] = edited
        ? [
            {
              rule: "edited",
              message: `${file.name} is already on the base branch and was edited`,
              statement: "",
            },
          ]
        : [];
      return { name: file.name, isNew: false, findings, acknowledgement: null, blocking: edited };
    }
    const check = checkMigrationSql(
      file.sql,
      files.slice(0, i).map((f) => f.sql),
    );
    return {
      name: file.name,
      isNew: true,
      findings: check.findings,
      acknowledgement: check.acknowledgement,
      blocking: check.findings.length > 0 && check.acknowledgement === null,
    };
  });
}
