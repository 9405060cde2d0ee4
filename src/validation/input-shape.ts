/**
 * The shape of a whole input, judged before any schema sees it (parseInput runs this first): the
 * dangers here are not a column's rule but the input's structure, and they are the same for every
 * operation. No imports: src/errors.ts depends on this module.
 */
/** Deepest nesting of objects and arrays in one input (the input object itself is level 1). */
export const INPUT_MAX_DEPTH = 32;
/** Largest input, counted as the characters of its strings and keys plus 8 per other value. */
export const INPUT_MAX_SIZE = 1_048_576;

/**
 * False for a string with a UTF-16 surrogate without its partner (not a character, and not
 * representable in UTF-8): ES2024's String.prototype.isWellFormed (Node 20), not yet in the
 * ES2023 lib. A builtin, O(1) on a one-byte string, where a regular expression scans every input.
 */
const isWellFormed = (value: string): boolean =>
  (value as string & { isWellFormed(): boolean }).isWellFormed();

/** What is wrong with a string wherever it appears (value or key), or null. */
export function stringProblem(value: string): string | null {
  // PostgreSQL stores no NUL in text or jsonb (22021 / 22P05), and a lone surrogate would be
  // written as U+FFFD: the value read back would not be the value given.
  if (value.includes("\u0000")) return "must not contain a NUL character";
  if (!isWellFormed(value)) return "must be well-formed Unicode (no lone surrogate)";
  return null;
}

/**
 * Structural problems of an input, each at its path ("payload.__proto__", "lines.0.note"):
 * `__proto__` keys (JSON.parse makes them own properties, which zod and the object spread then
 * drop without a word), nesting deeper than {@link INPUT_MAX_DEPTH} (deeply nested JSON overflows
 * the stack of a recursive validator), inputs larger than {@link INPUT_MAX_SIZE}, NUL characters and
 * lone surrogates in any string or key. Iterative, so it cannot overflow itself; stops at 20 issues.
 */
export function inputShapeIssues(input: unknown): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  let size = 0;
  let sizeReported = false;
  const stack: { value: unknown; path: string[]; depth: number }[] = [{ value: input, path: [], depth: 0 }];
  while (stack.length > 0 && issues.length < 20) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string[]; depth: number };
    if (typeof value === "string") {
      size += value.length;
      const problem = stringProblem(value);
      if (problem) issues.push({ path: path.join("."), message: problem });
    } else if (typeof value === "object" && value !== null && !(value instanceof Date)) {
      if (depth + 1 > INPUT_MAX_DEPTH) {
        issues.push({ path: path.join("."), message: `must not nest deeper than ${INPUT_MAX_DEPTH} levels` });
        continue;
      }
      let entries: [string, unknown][];
      try {
        entries = Array.isArray(value)
          ? value.map((v, i) => [String(i), v])
          : Object.keys(value).map((k) => [k, (value as Record<string, unknown>)[k]]);
      } catch {
        // A getter or proxy that throws: never let its error (and what it says) out.
        issues.push({ path: path.join("."), message: "could not be read" });
        continue;
      }
      for (const [key, child] of entries.reverse()) {
        size += key.length;
        const at = [...path, key];
        if (!Array.isArray(value)) {
          if (key === "__proto__") {
            issues.push({ path: at.join("."), message: "is not an allowed key" });
            continue;
          }
          const problem = stringProblem(key);
          if (problem) {
            issues.push({ path: at.join("."), message: `key ${problem}` });
            continue;
          }
        }
        stack.push({ value: child, path: at, depth: depth + 1 });
      }
    } else {
      size += 8;
    }
    if (size > INPUT_MAX_SIZE && !sizeReported) {
      sizeReported = true;
      issues.push({ path: "", message: `input is larger than ${INPUT_MAX_SIZE} characters` });
      break;
    }
  }
  return issues;
}
