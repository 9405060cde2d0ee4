/**
 * What a no-transaction migration leaves when it stops part-way. Its statements commit one by one;
 * a `CREATE INDEX CONCURRENTLY` that fails (a duplicate in a UNIQUE index, a lock timeout while it
 * waits for older transactions, the process killed) leaves the index behind marked INVALID: unused
 * by queries, yet maintained on every write, and `CREATE INDEX CONCURRENTLY IF NOT EXISTS` would
 * then skip it. PostgreSQL's documented recovery is to drop it and build it again, which is what the
 * runner does before it runs such a migration again (and what db:status reports).
 *
 * The names come from the migration's own statements (PostgreSQL's lexer rules, src/migrate/sql-lexer.ts),
 * so only indexes that migration creates are ever dropped. An unnamed `CREATE INDEX CONCURRENTLY ON t`
 * gets a name PostgreSQL picks: it cannot be matched, which is one more reason the guard wants names.
 */
import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "../db.js";
import { LexError } from "../errors/operational.js";
import { type Token, tokenize } from "./sql-lexer.js";

export interface CreatedIndex {
  /** The index name as PostgreSQL stores it (unquoted names folded to lower case). */
  name: string;
  /** The table as written in the statement (possibly schema-qualified), for to_regclass(). */
  table: string;
}

const word = (t: Token | undefined, w: string) => t?.type === "ident" && t.text.toLowerCase() === w;
const isName = (t: Token | undefined) => t?.type === "ident" || t?.type === "qident";
const nameOf = (t: Token) => (t.type === "qident" ? (t.value ?? "") : t.text.toLowerCase());

/** A possibly qualified name starting at i: its parts and the index after it. */
function qualifiedName(tokens: Token[], i: number): { parts: Token[]; next: number } | undefined {
  const parts: Token[] = [];
  let k = i;
  while (isName(tokens[k])) {
    parts.push(tokens[k] as Token);
    if (tokens[k + 1]?.type === "punct" && tokens[k + 1]?.text === ".") k += 2;
    else return { parts, next: k + 1 };
  }
  return undefined;
}

/** The named indexes `CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] name ON [ONLY] table` statements create. */
export function indexesCreatedConcurrently(statements: string[]): CreatedIndex[] {
  const found: CreatedIndex[] = [];
  for (const statement of statements) {
    let tokens: Token[];
    try {
      tokens = tokenize(statement);
    } catch (error) {
      if (error instanceof LexError) continue; // PostgreSQL will refuse the statement itself
      throw error;
    }
    for (let i = 0; i < tokens.length; i++) {
      if (!word(tokens[i], "create")) continue;
      let k = i + 1;
      if (word(tokens[k], "unique")) k++;
      if (!word(tokens[k], "index") || !word(tokens[k + 1], "concurrently")) continue;
      k += 2;
      if (word(tokens[k], "if") && word(tokens[k + 1], "not") && word(tokens[k + 2], "exists")) k += 3;
      if (word(tokens[k], "on")) continue; // unnamed
      const index = qualifiedName(tokens, k);
      if (!index || !word(tokens[index.next], "on")) continue;
      k = index.next + 1;
      if (word(tokens[k], "only")) k++;
      const table = qualifiedName(tokens, k);
      if (!table) continue;
      // An index lives in its table's schema; a schema written on the index name must be that one.
      found.push({
        name: nameOf(index.parts[index.parts.length - 1] as Token),
        table: table.parts.map((p) => p.text).join("."),
      });
    }
  }
  return found;
}

/** Those of `indexes` that exist and are INVALID, as schema-qualified, quoted names (one query). */
export async function invalidIndexes(db: DbOrTx, indexes: CreatedIndex[]): Promise<string[]> {
  if (indexes.length === 0) return [];
  const wanted = sql.join(
    indexes.map((index, i) => sql`(${i}::int, ${index.name}::text, ${index.table}::text)`),
    sql`, `,
  );
  const found = await rows<{ name: string }>(
    db,
    sql`SELECT format('%I.%I', n.nspname, c.relname) AS name
          FROM (VALUES ${wanted}) AS w(ord, name, tbl)
          JOIN pg_class c ON c.relname = w.name
          JOIN pg_index i ON i.indexrelid = c.oid AND i.indrelid = to_regclass(w.tbl)
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE NOT i.indisvalid ORDER BY w.ord`,
  );
  return found.map((r) => r.name);
}
