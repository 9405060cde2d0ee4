/**
 * A unified line diff (longest common subsequence), for showing how a function body differs.
 * Bodies are short (tens of lines), so the quadratic table is fine.
 */

/** Lines of `expected` vs `live` as ` ` kept, `-` expected only, `+` live only, with `context` lines around changes. */
export function lineDiff(expected: string, live: string, context = 2): string[] {
  const a = expected.split("\n");
  const b = live.split("\n");
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const ops: { sign: " " | "-" | "+"; line: string; a: number; b: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ sign: " ", line: a[i]!, a: i++, b: j++ });
    } else if (i < a.length && (j >= b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      ops.push({ sign: "-", line: a[i]!, a: i++, b: j });
    } else {
      ops.push({ sign: "+", line: b[j]!, a: i, b: j++ });
    }
  }
  const changed = ops.map((op, k) => (op.sign === " " ? -1 : k)).filter((k) => k >= 0);
  const shown = new Set<number>();
  for (const k of changed) {
    for (let c = Math.max(0, k - context); c <= Math.min(ops.length - 1, k + context); c++) shown.add(c);
  }
  const out: string[] = [];
  let previous = -2;
  for (let k = 0; k < ops.length; k++) {
    if (!shown.has(k)) continue;
    const op = ops[k]!;
    if (k !== previous + 1) out.push(`@@ line ${op.a + 1} @@`);
    out.push(`${op.sign} ${op.line}`);
    previous = k;
  }
  return out;
}
