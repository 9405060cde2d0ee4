/**
 * One rule per column: every operation input field that writes (or looks up) a column is no looser
 * than that column's rule, i.e. the refined drizzle-zod schema of its table. For each such field,
 * every probe value the column's rule refuses must be refused by the operation's field too. The
 * probes cover lengths (one past the longest value the column takes), patterns (spaces, markup,
 * non-ASCII, malformed addresses and dates), ranges (negative, zero, fractions, past int4) and
 * value lists (an unknown value).
 *
 * A new operation input exported from src/validation must be listed in ./operations.ts (or in
 * NO_COLUMNS with the reason), so it cannot escape the check.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as v from "../../src/validation/index.js";
import { NO_COLUMNS, OPERATIONS, operationFields } from "./operations.js";

function bare(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
    else return s;
  }
}

const accepts = (schema: z.ZodType, value: unknown) => schema.safeParse(value).success;

/** The longest run of `ch` the rule takes (Infinity when it takes 20,000), or null when it takes none. */
function longest(rule: z.ZodType, ch: string): number | null {
  if (!accepts(rule, ch)) return null;
  if (accepts(rule, ch.repeat(20_000))) return Number.POSITIVE_INFINITY;
  let lo = 1;
  let hi = 20_000;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (accepts(rule, ch.repeat(mid))) lo = mid;
    else hi = mid;
  }
  return lo;
}

const FIXED_PROBES: unknown[] = [
  "",
  " ",
  "  padded  ",
  "a b",
  "<b>x</b>",
  "naïve",
  "line\nbreak",
  "-1",
  "1.5",
  "1e3",
  "abc",
  "not_a_value",
  "10.0.0.1",
  "10.0.0.0/33",
  "999.1.1.1",
  "00:11:22:33:44:5",
  "0011.2233.445g",
  "2025-02-30",
  "2025-13-01",
  "2025-01-15",
  "x".repeat(64),
  -1,
  0,
  1,
  1.5,
  4095,
  2 ** 31,
  1e15,
  Number.NaN,
  true,
  {},
  [],
];

function probes(rule: z.ZodType): unknown[] {
  const out = [...FIXED_PROBES];
  for (const ch of ["a", "1", "a.b"]) {
    const n = longest(rule, ch);
    if (n !== null && Number.isFinite(n)) out.push(ch.repeat(n + 1), ch.repeat(n));
  }
  return out;
}

const cases = operationFields().map(
  ({ name, field, table, key }) => [name, field, table.shape[key] as z.ZodType] as const,
);

describe("operation inputs are no looser than their columns", () => {
  it("every operation input exported by src/validation is checked or says why not", () => {
    const exported = Object.keys(v).filter((name) => /Input$/.test(name) && name !== "idInput");
    const known = new Set([...OPERATIONS.map(([n]) => n), ...Object.keys(NO_COLUMNS)]);
    expect(exported.filter((n) => !known.has(n))).toEqual([]);
    expect(cases.length).toBeGreaterThan(80);
  });

  it.each(cases)("%s", (_name, field, column) => {
    expect(field, "field").toBeDefined();
    const op = bare(field);
    const rule = bare(column);
    const looser = probes(rule).filter((p) => !accepts(rule, p) && accepts(op, p));
    expect(looser.map((p) => (typeof p === "string" && p.length > 40 ? `${p.length} chars` : p))).toEqual([]);
  });
});
