/**
 * What every generator of the scale data set shares: the factor and seed, the counts derived from
 * the factor, the ids of the reference rows (read from the database after seedReference), and the
 * random-access helpers. Nothing here holds rows: generators compute row n from (seed, table, n).
 */
import { createHash } from "node:crypto";
import { hashPassword } from "../../src/security/passwords.js";
import type { FieldDefinition } from "../../src/validation/dynamic.js";
import type { CopyValue } from "./copy.js";
import { uuidAt } from "./ids.js";

/** The reference rows the data set points at (seed/reference.ts, loaded by seedReference). */
export interface ReferenceIds {
  /** Active spec version and its definitions, by category name. */
  categories: Map<string, { id: string; specVersionId: string; defs: FieldDefinition[] }>;
  /** Active attribute version and its definitions, by CI type code. */
  ciTypes: Map<string, { id: string; versionId: string; defs: FieldDefinition[] }>;
  /** Relationship type id by code. */
  relTypes: Map<string, string>;
  /** model_configs rows (usage rows name them). */
  models: { id: string; provider: string; tier: number }[];
}

/** One table of the data set: its columns and a fresh iterator over its rows, in a fixed order. */
export interface TableStream {
  table: string;
  columns: readonly string[];
  /** Expected rows (exact unless said otherwise; used for progress). */
  expected: number;
  rows(): Iterable<readonly CopyValue[]>;
}

/** How many rows of each kind a factor gives (factor 1 = 1,000,000 assets, 200,000 CIs). */
export interface ScaleCounts {
  assets: number;
  sites: number;
  modelsPerCategory: number;
  cis: {
    endpoint: number;
    lb: number;
    app: number;
    db: number;
    vm: number;
    host: number;
    storage: number;
    net: number;
  };
  coreSwitches: number;
  distributionSwitches: number;
  platformApps: number;
  services: number;
  warehouses: number;
  parts: number;
  documents: number;
  repairOrders: number;
  workflowRequests: number;
  tickets: number;
  opsEvents: number;
  attachments: number;
  inventorySessions: number;
  users: number;
  sessions: number;
  conversations: number;
  messages: number;
  usageLogs: number;
  auditLogs: number;
}

/** Largest factor: unique management IPs are drawn from 10.0.0.0/8 and MACs from 24 bits per asset. */
export const MAX_FACTOR = 16;

export function countsFor(factor: number): ScaleCounts {
  const n = (base: number, min = 1) => Math.max(min, Math.round(base * factor));
  return {
    assets: n(1_000_000, 50),
    sites: n(200, 2),
    modelsPerCategory: n(200, 2),
    cis: {
      endpoint: n(8_000, 2),
      lb: n(3_000, 2),
      app: n(35_000, 6),
      db: n(12_000, 2),
      vm: n(90_000, 4),
      host: n(20_000, 2),
      storage: n(2_000, 1),
      net: n(30_000, 6),
    },
    coreSwitches: n(16, 1),
    distributionSwitches: n(600, 2),
    platformApps: n(50, 1),
    services: n(2_000, 1),
    warehouses: n(40, 2),
    parts: n(5_000, 15),
    documents: n(100_000, 20),
    repairOrders: n(20_000, 2),
    workflowRequests: n(50_000, 5),
    tickets: n(20_000, 2),
    opsEvents: n(100_000, 5),
    attachments: n(10_000, 2),
    inventorySessions: n(40, 1),
    users: n(5_000, 10),
    sessions: n(20_000, 5),
    conversations: n(50_000, 5),
    messages: n(300_000, 20),
    usageLogs: n(300_000, 10),
    auditLogs: n(200_000, 10),
  };
}

export interface ScaleContext {
  factor: number;
  seed: number;
  counts: ScaleCounts;
  ref: ReferenceIds;
  /** users.password_hash of every user: {@link scalePasswordHash}. */
  passwordHash: string;
  /** Id of row n of a table. */
  id(table: string, n: number): string;
}

export function scaleContext(
  factor: number,
  seed: number,
  ref: ReferenceIds,
  passwordHash: string,
): ScaleContext {
  return {
    factor,
    seed,
    counts: countsFor(factor),
    ref,
    passwordHash,
    id: (table, n) => uuidAt(seed, table, n),
  };
}

/** The password of every user of the scale data set (benchmark data, never a real account). */
export const SCALE_USER_PASSWORD = "netops-scale";

/**
 * One real scrypt PHC hash of {@link SCALE_USER_PASSWORD} (src/security/passwords.ts, default
 * cost), computed once per load and shared by every user row: what the validation layer accepts
 * for users.password_hash, and what verifyPassword checks. Its salt comes from the seed, so the
 * same seed gives the same rows.
 */
export function scalePasswordHash(seed: number): Promise<string> {
  const salt = createHash("sha256").update(`netops-scale-password:${seed}`).digest().subarray(0, 16);
  return hashPassword(SCALE_USER_PASSWORD, undefined, salt);
}

const DAY_MS = 86_400_000;
const epochDays = new Map<string, number>();
const dayStrings = new Map<number, string>();
/** A day `offset` days after `base` (YYYY-MM-DD); both directions cached (a few thousand distinct days). */
export function addDays(base: string, offset: number): string {
  let start = epochDays.get(base);
  if (start === undefined) {
    start = Math.round(Date.parse(`${base}T00:00:00Z`) / DAY_MS);
    epochDays.set(base, start);
  }
  const day = start + offset;
  let text = dayStrings.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dayStrings.set(day, text);
    epochDays.set(text, day);
  }
  return text;
}

/** A timestamptz literal on a day, at a time of day given in seconds. */
export function at(day: string, secondOfDay: number): string {
  const s = Math.max(0, Math.min(86_399, Math.floor(secondOfDay)));
  const hh = String(Math.floor(s / 3600)).padStart(2, "0");
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return `${day} ${hh}:${mm}:${ss}+00`;
}

/** Pick from weighted entries with a number in [0, 1). */
export function weighted<T>(x: number, table: readonly (readonly [T, number])[]): T {
  let rest = x * table.reduce((s, [, w]) => s + w, 0);
  for (const [value, w] of table) {
    rest -= w;
    if (rest < 0) return value;
  }
  return (table[table.length - 1] as readonly [T, number])[0];
}
