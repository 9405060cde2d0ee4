/**
 * A generated migration replayed on another base, at the level of drizzle-kit's snapshots: what
 * the migration changed (its snapshot against its parent's, key by key) is applied to the new
 * base's latest snapshot, the way a patch applies to a file: a key changes only where the base
 * still has the value the branch started from (or already has the branch's value). drizzle-kit's
 * own differ (`generateMigration` of drizzle-kit/api, the function `drizzle-kit generate` uses)
 * then writes the SQL between the two snapshots. db:rebase uses this for a branch's generated
 * migrations that come before its last one; the last one is generated from the schema code itself.
 */
import { randomUUID } from "node:crypto";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export interface Snapshot {
  id: string;
  prevId: string;
  version?: string;
  _meta?: Json;
  [key: string]: Json | undefined;
}

export interface SnapshotChange {
  path: string[];
  /** undefined = the key was absent. */
  before: Json | undefined;
  after: Json | undefined;
}

/** Not part of the schema a snapshot describes: identity, chain link, drizzle-kit's rename notes. */
const BOOKKEEPING = new Set(["id", "prevId", "_meta"]);

const isObject = (v: unknown): v is { [key: string]: Json } =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Key-order independent JSON text. */
function canonical(value: Json | undefined): string {
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const same = (a: Json | undefined, b: Json | undefined) => canonical(a) === canonical(b);

/** What turns `prev` into `cur`: objects compared key by key, anything else as a whole value. */
export function snapshotChanges(prev: Snapshot, cur: Snapshot): SnapshotChange[] {
  const out: SnapshotChange[] = [];
  const walk = (
    a: { [key: string]: Json | undefined },
    b: { [key: string]: Json | undefined },
    path: string[],
  ) => {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (path.length === 0 && BOOKKEEPING.has(key)) continue;
      const before = a[key];
      const after = b[key];
      if (isObject(before) && isObject(after)) walk(before, after, [...path, key]);
      else if (!same(before, after)) out.push({ path: [...path, key], before, after });
    }
  };
  walk(prev, cur, []);
  return out;
}

/** True when two snapshots describe the same schema (a custom migration's snapshot and its parent's). */
export const sameSchema = (a: Snapshot, b: Snapshot) => snapshotChanges(a, b).length === 0;

const show = (v: Json | undefined) => {
  const text = v === undefined ? "(absent)" : JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/**
 * `changes` applied to a copy of `target` (new id, prevId = target's id, `_meta` as given), and the
 * keys where the target no longer has what the change started from (then nothing is safe to write).
 */
export function applyChanges(
  target: Snapshot,
  changes: SnapshotChange[],
  meta: Json | undefined,
): { snapshot: Snapshot; conflicts: string[] } {
  const snapshot = structuredClone(target);
  const conflicts: string[] = [];
  for (const change of changes) {
    const key = change.path.at(-1)!;
    let parent: Json | undefined = snapshot as unknown as Json;
    for (const step of change.path.slice(0, -1)) parent = isObject(parent) ? parent[step] : undefined;
    const where = change.path.join(".");
    if (!isObject(parent)) {
      if (change.after !== undefined)
        conflicts.push(`${where}: the base has no ${change.path.slice(0, -1).join(".")}`);
      continue;
    }
    const current = parent[key];
    if (same(current, change.after)) continue;
    if (!same(current, change.before)) {
      conflicts.push(
        `${where}: the base has ${show(current)}, the branch changed ${show(change.before)} to ${show(change.after)}`,
      );
      continue;
    }
    if (change.after === undefined) delete parent[key];
    else parent[key] = structuredClone(change.after);
  }
  snapshot.prevId = target.id;
  snapshot.id = randomUUID();
  snapshot._meta = meta ?? { columns: {}, schemas: {}, tables: {} };
  return { snapshot, conflicts };
}

/** drizzle-kit's SQL statements from one snapshot to the next (may prompt about renames on a TTY). */
export async function generateSql(prev: Snapshot, cur: Snapshot): Promise<string[]> {
  const { generateMigration } = await import("drizzle-kit/api");
  type DrizzleSnapshot = Parameters<typeof generateMigration>[0];
  return generateMigration(prev as unknown as DrizzleSnapshot, cur as unknown as DrizzleSnapshot);
}
