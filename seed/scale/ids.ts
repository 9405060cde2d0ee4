/**
 * Random access to deterministic values: the n-th row of a table gets its id and its own PRNG
 * sequence from (seed, table, n) alone, so a generator can compute any row, or a foreign key to any
 * row, without holding the others in memory (the data set streams at constant memory whatever the
 * factor). Hot path: no allocation beyond the id string itself.
 */
import { type Prng, prng } from "../generate.js";

/** A bijective 32-bit mixer (xorshift-multiply): distinct inputs give distinct outputs. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A 32-bit key from (a, b, c, d) (not bijective; for PRNG seeds and id tails). */
export function hash32(a: number, b: number, c: number, d = 0): number {
  let h = mix32((0x9e3779b9 ^ a) >>> 0);
  h = mix32((h ^ b) + 0x632be5ab);
  h = mix32((h ^ c) + 0x632be5ab);
  return mix32((h ^ d) + 0x632be5ab);
}

const tags = new Map<string, number>();
/** Numeric tag (16 bits) of a table or stream name, so ids of different tables never collide. */
export function tableTag(table: string): number {
  let tag = tags.get(table);
  if (tag === undefined) {
    let h = 0;
    for (let i = 0; i < table.length; i++) h = (Math.imul(h, 31) + table.charCodeAt(i)) >>> 0;
    tag = mix32(h) & 0xffff;
    tags.set(table, tag);
  }
  return tag;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const HEX3 = Array.from({ length: 4096 }, (_, i) => i.toString(16).padStart(3, "0"));
const hex32 = (n: number) =>
  (HEX[n >>> 24] as string) + HEX[(n >>> 16) & 255] + HEX[(n >>> 8) & 255] + HEX[n & 255];

/**
 * The id of row `n` (0-based, n < 2^32) of `table`: a version-4-shaped UUID whose first 32 bits are
 * a bijection of n (unique within the table, scattered like gen_random_uuid() so index inserts and
 * look-ups touch random pages as in production) and whose next 16 bits are the table's tag.
 */
export function uuidAt(seed: number, table: string, n: number): string {
  const tag = tableTag(table);
  const head = mix32((n ^ mix32((seed ^ (tag << 16)) >>> 0)) >>> 0);
  const a = hash32(seed, tag, n, 1);
  const b = mix32((a ^ 0x5bd1e995) >>> 0);
  // xxxxxxxx-tttt-4xxx-[89ab]xxx-xxxxxxxxxxxx
  return `${hex32(head)}-${HEX[tag >>> 8]}${HEX[tag & 255]}-4${HEX3[a & 0xfff]}-${HEX[0x80 | ((a >>> 12) & 0x3f)]}${HEX[(a >>> 18) & 255]}-${hex32(b)}${HEX[(a >>> 26) & 0x3f]}${HEX[n & 255]}`;
}

const generators = new Map<string, Prng>();

/**
 * The PRNG of row `n` of a stream (seed/generate.ts's mulberry32, seeded from (seed, stream, n)):
 * independent of every other row, identical on every run. One generator object per stream name is
 * reseeded for each row, so a caller must finish with row n of a stream before asking for another
 * row of the same stream (nested calls use different stream names).
 */
export function rngAt(seed: number, stream: string, n: number): Prng {
  let r = generators.get(stream);
  if (!r) {
    r = prng(0);
    generators.set(stream, r);
  }
  r.reseed(hash32(seed, tableTag(stream), n));
  return r;
}

/** A bijection of [0, 2^32) used for unique, unordered-looking serial numbers. */
export const scramble = (seed: number, n: number) => mix32((n ^ mix32(seed)) >>> 0);
