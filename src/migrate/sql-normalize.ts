/**
 * Comparison keys for SQL text printed by the catalog (expressions, definitions, type names), so
 * that two spellings PostgreSQL itself treats as the same compare equal, and nothing else does.
 * It works on tokens (src/migrate/sql-lexer.ts) and never looks inside a string literal, a quoted
 * identifier or a dollar-quoted body: `'public.  x'` stays `'public.  x'`.
 *
 * Equivalences (README, "Drift check"):
 *   - layout: whitespace and line breaks between tokens, key-word case, needlessly quoted identifiers;
 *   - schema qualification by `public`, `pg_catalog` or a schema an extension is installed in
 *     (`extensions.uuid_generate_v4()` = `uuid_generate_v4()`);
 *   - uuid_generate_v4() in any schema = gen_random_uuid() (both return a random version-4 UUID);
 *   - the two spellings of a string-literal array, as PostgreSQL prints an IN list before and after a
 *     pg_dump round trip: `(ARRAY['a'::character varying])::text[]` = `ARRAY[('a'::character varying)::text]`;
 *   - a column default that is a literal with casts compares by the value it gives the column's type:
 *     `0` = `'0'::numeric` = `0.00` on numeric(12,2); `'x'::text` = `'x'::character varying` on a
 *     varchar column; `true` = `'t'::boolean`.
 */
import { LexError } from "../errors/operational.js";
import { type Token, tokenize } from "./sql-lexer.js";

export interface NormalizeContext {
  /** Schema names whose qualification does not tell objects apart (lower case). */
  ignoredQualifiers: ReadonlySet<string>;
}

interface Group {
  open: "(" | "[";
  children: Node[];
}
type Node = Token | Group;

const isGroup = (n: Node | undefined): n is Group => n !== undefined && "children" in n;
const isToken = (n: Node | undefined): n is Token => n !== undefined && !("children" in n);
const isWord = (n: Node | undefined, word?: string): n is Token =>
  isToken(n) && n.type === "ident" && (word === undefined || n.text === word);
const isPunct = (n: Node | undefined, p: string) => isToken(n) && n.type === "punct" && n.text === p;
const isName = (n: Node | undefined): n is Token => isToken(n) && (n.type === "ident" || n.type === "qident");

const SIMPLE_IDENT = /^[a-z_][a-z0-9_$]*$/;

/** Identifiers folded the way PostgreSQL folds them; quoted ones that need no quotes unquoted. */
function canonicalToken(t: Token): Token {
  if (t.type === "ident") return { ...t, text: t.text.toLowerCase() };
  if (t.type === "qident" && t.value !== undefined && SIMPLE_IDENT.test(t.value)) {
    return { type: "ident", text: t.value };
  }
  return t;
}

const nameOf = (t: Token) => (t.type === "qident" ? (t.value ?? t.text) : t.text);

/** Drop ignored schema qualifiers; uuid_generate_v4() in any schema becomes gen_random_uuid(). */
function unqualify(tokens: Token[], ctx: NormalizeContext): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const dot = tokens[i + 1];
    const next = tokens[i + 2];
    const qualifies =
      isName(t) && dot?.type === "punct" && dot.text === "." && next !== undefined && isName(next);
    const previousIsDot = out.at(-1)?.type === "punct" && out.at(-1)?.text === ".";
    if (qualifies && !previousIsDot) {
      const uuidCall = next.type === "ident" && next.text === "uuid_generate_v4";
      if (uuidCall || ctx.ignoredQualifiers.has(nameOf(t))) {
        i += 1; // skip the qualifier and its dot
        continue;
      }
    }
    if (
      t.type === "ident" &&
      t.text === "uuid_generate_v4" &&
      !previousIsDot &&
      tokens[i + 1]?.text === "(" &&
      tokens[i + 2]?.text === ")"
    ) {
      out.push({ type: "ident", text: "gen_random_uuid" });
      continue;
    }
    out.push(t);
  }
  return out;
}

/** Nest ( ) and [ ] into groups; null when they do not balance. */
function tree(tokens: Token[]): Node[] | null {
  const root: Node[] = [];
  const stack: { group: Group; parent: Node[] }[] = [];
  let current = root;
  for (const t of tokens) {
    if (t.type === "punct" && (t.text === "(" || t.text === "[")) {
      const group: Group = { open: t.text, children: [] };
      stack.push({ group, parent: current });
      current = group.children;
    } else if (t.type === "punct" && (t.text === ")" || t.text === "]")) {
      const top = stack.pop();
      if (!top || (top.group.open === "(") !== (t.text === ")")) return null;
      top.parent.push(top.group);
      current = top.parent;
    } else current.push(t);
  }
  return stack.length === 0 ? root : null;
}

function flatten(nodes: Node[], out: string[] = []): string[] {
  for (const n of nodes) {
    if (isGroup(n)) {
      out.push(n.open);
      flatten(n.children, out);
      out.push(n.open === "(" ? ")" : "]");
    } else out.push(n.text);
  }
  return out;
}

interface TypeName {
  /** Normalised spelling, e.g. `character varying(20)`, `text[]`. */
  text: string;
  base: string;
  hasTypmod: boolean;
  typmod: number[];
  array: boolean;
  end: number;
}

const MULTIWORD: Record<string, string[][]> = {
  character: [["varying"]],
  bit: [["varying"]],
  double: [["precision"]],
};

/** The type name starting at nodes[start] (after `::`). */
function parseType(nodes: Node[], start: number): TypeName | null {
  let i = start;
  const words: string[] = [];
  const first = nodes[i];
  if (!isName(first)) return null;
  words.push(first.text);
  i++;
  // schema-qualified
  while (isPunct(nodes[i], ".") && isName(nodes[i + 1])) {
    words.push(".", (nodes[i + 1] as Token).text);
    i += 2;
  }
  for (const continuation of MULTIWORD[first.text] ?? []) {
    if (continuation.every((w, k) => isWord(nodes[i + k], w))) {
      words.push(...continuation);
      i += continuation.length;
    }
  }
  let typmod: number[] = [];
  let hasTypmod = false;
  const mod = nodes[i];
  if (isGroup(mod) && mod.open === "(") {
    hasTypmod = true;
    typmod = mod.children
      .filter((c): c is Token => isToken(c) && c.type === "number")
      .map((c) => Number(c.text));
    i++;
  }
  const zoned = first.text === "timestamp" || first.text === "time";
  if (
    zoned &&
    (isWord(nodes[i], "with") || isWord(nodes[i], "without")) &&
    isWord(nodes[i + 1], "time") &&
    isWord(nodes[i + 2], "zone")
  ) {
    words.push((nodes[i] as Token).text, "time", "zone");
    i += 3;
  }
  let array = false;
  while (isGroup(nodes[i]) && (nodes[i] as Group).open === "[" && (nodes[i] as Group).children.length === 0) {
    array = true;
    i++;
  }
  const base = words.join(" ").replace(/ \. /g, ".");
  const text = `${base}${hasTypmod ? `(${typmod.join(",")})` : ""}${array ? "[]" : ""}`;
  return { text, base, hasTypmod, typmod, array, end: i };
}

const STRING_TYPES = new Set(["text", "character varying", "varchar"]);
/** A cast to one of these does not change a string literal (no length limit to truncate at). */
const isFreeStringType = (t: TypeName) => STRING_TYPES.has(t.base) && !t.hasTypmod && !t.array;
const isStringType = (t: TypeName) => STRING_TYPES.has(t.base) && !t.array;

const isLiteral = (n: Node | undefined): n is Token =>
  isToken(n) && (n.type === "string" || n.type === "number");

/**
 * `( lit :: A ) :: B` -> `lit :: B` when A and B are string types and A has no length: casting a
 * string literal to text first changes nothing. Then `(ARRAY[lit::A, ...])::B[]` and
 * `ARRAY[lit::A, ...]::B[]` -> `ARRAY[lit::B, ...]`, the spelling a pg_dump round trip produces.
 */
function rewrite(nodes: Node[]): Node[] {
  const inner = nodes.map((n) => (isGroup(n) ? { ...n, children: rewrite(n.children) } : n));
  const out: Node[] = [];
  for (let i = 0; i < inner.length; i++) {
    const n = inner[i] as Node;
    // ( lit :: A ) :: B
    if (isGroup(n) && n.open === "(" && isPunct(inner[i + 1], "::")) {
      const [lit, cast] = n.children;
      const a = isLiteral(lit) && isPunct(cast, "::") ? parseType(n.children, 2) : null;
      const b = a && a.end === n.children.length ? parseType(inner, i + 2) : null;
      if (a && b && isFreeStringType(a) && isStringType(b)) {
        out.push(lit as Token, { type: "punct", text: "::" }, ...typeTokens(b));
        i = b.end - 1;
        continue;
      }
    }
    // (ARRAY[...])::B[]  or  ARRAY[...]::B[]
    const wrapped = isGroup(n) && n.open === "(" && n.children.length === 2 && isWord(n.children[0], "array");
    const elements = wrapped ? n.children[1] : isWord(n, "array") ? inner[i + 1] : undefined;
    const castAt = wrapped ? i + 1 : i + 2;
    if (isGroup(elements) && elements.open === "[" && isPunct(inner[castAt], "::")) {
      const b = parseType(inner, castAt + 1);
      const items = splitOnCommas(elements.children);
      const recast =
        b?.array && isStringType({ ...b, array: false })
          ? items.map((item) => {
              const [lit, cast] = item;
              const a = isLiteral(lit) && isPunct(cast, "::") ? parseType(item, 2) : null;
              return a && a.end === item.length && isFreeStringType(a) ? (lit as Token) : null;
            })
          : [];
      if (b && items.length > 0 && recast.every((x) => x !== null)) {
        const elementType = typeTokens({ ...b, array: false, text: b.text.replace(/\[\]$/, "") });
        const children: Node[] = [];
        recast.forEach((lit, k) => {
          if (k > 0) children.push({ type: "punct", text: "," });
          children.push(lit as Token, { type: "punct", text: "::" }, ...elementType);
        });
        out.push({ type: "ident", text: "array" }, { open: "[", children });
        i = b.end - 1;
        continue;
      }
    }
    out.push(n);
  }
  return out;
}

function splitOnCommas(nodes: Node[]): Node[][] {
  const parts: Node[][] = [[]];
  for (const n of nodes) {
    if (isPunct(n, ",")) parts.push([]);
    else parts.at(-1)?.push(n);
  }
  return parts.filter((p) => p.length > 0);
}

/** A type name as tokens (its normalised text is one token: only compared, never re-parsed). */
const typeTokens = (t: TypeName): Token[] => [{ type: "ident", text: t.text }];

/** Canonical tokens of `text`, or null when it does not lex (then it is compared verbatim). */
function normalizedNodes(text: string, ctx: NormalizeContext): Node[] | null {
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (error) {
    if (error instanceof LexError) return null;
    throw error;
  }
  const nodes = tree(unqualify(tokens.map(canonicalToken), ctx));
  return nodes ? rewrite(nodes) : null;
}

/** The comparison key of a SQL expression, definition or type name. */
export function normalizeSql(text: string, ctx: NormalizeContext): string {
  const nodes = normalizedNodes(text, ctx);
  return nodes ? flatten(nodes).join(" ") : text;
}

/** Key tokens, for callers that take a definition apart (constraint suffixes). */
export function normalizeSqlTokens(text: string, ctx: NormalizeContext): string[] {
  const nodes = normalizedNodes(text, ctx);
  return nodes ? flatten(nodes) : [text];
}

// ---------------------------------------------------------------------------------------------
// Defaults: a literal with casts compares by the value it gives the column's type.

interface Constant {
  literal: Token;
  negative: boolean;
  casts: TypeName[];
}

function constantOf(nodes: Node[]): Constant | null {
  if (nodes.length === 1 && isGroup(nodes[0]) && nodes[0].open === "(") return constantOf(nodes[0].children);
  let i = 0;
  let base: Constant | null = null;
  const first = nodes[0];
  if (isGroup(first) && first.open === "(") {
    base = constantOf(first.children);
    i = 1;
  } else {
    const negative = isToken(first) && first.type === "op" && first.text === "-";
    const lit = nodes[negative ? 1 : 0];
    if (isLiteral(lit) || isWord(lit, "true") || isWord(lit, "false")) {
      base = { literal: lit as Token, negative, casts: [] };
      i = negative ? 2 : 1;
    }
  }
  if (!base) return null;
  const casts = [...base.casts];
  while (i < nodes.length) {
    if (!isPunct(nodes[i], "::")) return null;
    const t = parseType(nodes, i + 1);
    if (!t) return null;
    casts.push(t);
    i = t.end;
  }
  return { ...base, casts };
}

const INTEGER_TYPES = new Set(["smallint", "integer", "bigint"]);
const NUMERIC_TYPES = new Set([...INTEGER_TYPES, "numeric", "real", "double precision"]);

/** A decimal string as sign, digits and exponent, rounded to `scale` digits (half away from zero). */
function decimalKey(text: string, scale: number | null): string | null {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text.replaceAll("_", ""));
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const negative = m[1] === "-";
  let digits = `${m[2] ?? ""}${m[3] ?? ""}`;
  let point = (m[2] ?? "").length + Number(m[4] ?? 0);
  if (scale !== null) {
    // keep `scale` digits after the point
    const keep = point + scale;
    if (keep < 0) digits = "";
    else if (keep < digits.length) {
      const roundUp = Number(digits[keep]) >= 5;
      digits = digits.slice(0, keep);
      if (roundUp) {
        const up = (BigInt(digits || "0") + 1n).toString().padStart(keep, "0");
        if (up.length > keep) point++;
        digits = up;
      }
    }
  }
  const intPart = (digits.slice(0, Math.max(point, 0)).padEnd(Math.max(point, 0), "0") || "0").replace(
    /^0+(?=\d)/,
    "",
  );
  const frac = (point < 0 ? "0".repeat(-point) + digits : digits.slice(point)).replace(/0+$/, "");
  const body = frac ? `${intPart}.${frac}` : intPart;
  return negative && body !== "0" ? `-${body}` : body;
}

const BOOLEAN_WORDS: Record<string, string> = {
  t: "true",
  true: "true",
  y: "true",
  yes: "true",
  on: "true",
  "1": "true",
  f: "false",
  false: "false",
  n: "false",
  no: "false",
  off: "false",
  "0": "false",
};

/**
 * The comparison key of a column (or domain) default: a literal with casts becomes the value it
 * gives `columnType`; anything else is normalizeSql().
 */
export function normalizeDefault(text: string, columnType: string, ctx: NormalizeContext): string {
  const nodes = normalizedNodes(text, ctx);
  const typeNodes = normalizedNodes(columnType, ctx);
  const column = typeNodes ? parseType(typeNodes, 0) : null;
  const constant = nodes ? constantOf(nodes) : null;
  if (!nodes || !constant || !column || column.array) return nodes ? flatten(nodes).join(" ") : text;
  const { literal, negative, casts } = constant;
  const raw = literal.type === "string" ? literal.value : literal.text;
  if (raw === undefined) return flatten(nodes).join(" ");

  if (NUMERIC_TYPES.has(column.base) && casts.every((c) => NUMERIC_TYPES.has(c.base) && !c.array)) {
    const integral = INTEGER_TYPES.has(column.base) || casts.some((c) => INTEGER_TYPES.has(c.base));
    const scale = integral
      ? 0
      : column.base === "numeric" && column.typmod.length === 2
        ? (column.typmod[1] ?? null)
        : null;
    if (column.base === "real" || column.base === "double precision") {
      const value = Number(`${negative ? "-" : ""}${raw}`);
      if (Number.isFinite(value)) return `⟦${column.base} ${value}⟧`;
    } else {
      const exact = decimalKey(`${negative ? "-" : ""}${raw}`, null);
      const value = decimalKey(`${negative ? "-" : ""}${raw}`, scale);
      // An integer column given a fraction rounds; only equal when no rounding hides a difference.
      if (value !== null && (!integral || exact === value)) return `⟦numeric ${value}⟧`;
    }
  }
  if (isStringType(column) && literal.type === "string" && !negative) {
    const limit = column.hasTypmod ? column.typmod[0] : undefined;
    const fits = casts.every((c) => isStringType(c) && (!c.hasTypmod || raw.length <= (c.typmod[0] ?? 0)));
    if (fits && (limit === undefined || raw.length <= limit)) return `⟦string ${JSON.stringify(raw)}⟧`;
  }
  if (column.base === "boolean" && !negative && casts.every((c) => c.base === "boolean")) {
    const word = BOOLEAN_WORDS[raw.trim().toLowerCase()];
    if (word && (literal.type === "string" || literal.type === "ident")) return `⟦boolean ${word}⟧`;
  }
  if (literal.type === "string" && !negative && casts.every((c) => c.text === column.text)) {
    return `⟦${column.text} ${JSON.stringify(raw)}⟧`;
  }
  return flatten(nodes).join(" ");
}

// ---------------------------------------------------------------------------------------------
// Taking definitions apart

/**
 * pg_get_constraintdef() appends ` NO INHERIT`, ` DEFERRABLE`, ` INITIALLY DEFERRED` and
 * ` NOT VALID` after the definition proper; they are compared as their own properties, so the
 * definition's key leaves them out.
 */
export function constraintBodyKey(definition: string, ctx: NormalizeContext): string {
  const tokens = normalizeSqlTokens(definition, ctx);
  const suffixes = [
    ["not", "valid"],
    ["initially", "deferred"],
    ["initially", "immediate"],
    ["not", "deferrable"],
    ["deferrable"],
    ["no", "inherit"],
  ];
  let changed = true;
  while (changed) {
    changed = false;
    for (const s of suffixes) {
      const tail = tokens.slice(tokens.length - s.length);
      if (tokens.length > s.length && tail.every((t, k) => t === s[k])) {
        tokens.splice(tokens.length - s.length);
        changed = true;
      }
    }
  }
  return tokens.join(" ");
}

/** The WHEN condition and the function arguments of pg_get_triggerdef() output, as keys. */
export function triggerParts(
  definition: string,
  ctx: NormalizeContext,
): { when: string | null; arguments: string } {
  const nodes = normalizedNodes(definition, ctx);
  if (!nodes) return { when: null, arguments: definition };
  const whenAt = nodes.findIndex((n) => isWord(n, "when"));
  const when =
    whenAt >= 0 && isGroup(nodes[whenAt + 1])
      ? flatten((nodes[whenAt + 1] as Group).children).join(" ")
      : null;
  const last = nodes.at(-1);
  return { when, arguments: isGroup(last) ? flatten(last.children).join(" ") : "" };
}
