/**
 * Deterministic value generation for the demo data: a seeded PRNG and a generator of values that
 * satisfy a field definition (spec defs, attr defs), checked afterwards by the dynamic validator.
 */
import type { Json, JsonObject } from "../src/schema/_helpers.js";
import type { FieldDefinition } from "../src/validation/dynamic.js";

/** mulberry32: small, fast, good enough for demo data, identical on every platform. */
export function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** Integer in [min, max]. */
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p: number) => next() < p,
    /**
     * Restart the sequence as `prng(seed)` would, in place: per-row generators without a new object
     * (and, under tsx, a keepNames `__name` call per closure) for every row of a large data set.
     */
    reseed: (seed: number) => {
      state = seed >>> 0;
    },
  };
}
export type Prng = ReturnType<typeof prng>;

export const pad = (n: number, width = 4) => String(n).padStart(width, "0");

/** `YYYY-MM-DD` of a day offset from a fixed epoch (no wall clock: the data set never changes). */
export function dayString(base: string, offsetDays: number): string {
  const d = new Date(`${base}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offsetDays);
  return d.toISOString().slice(0, 10);
}

/** A MAC from a vendor OUI and a serial counter, lower-case colon form. */
export function macFrom(oui: string, serial: number): string {
  const tail = (serial & 0xffffff).toString(16).padStart(6, "0");
  return `${oui}${tail}`.match(/../g)?.join(":") as string;
}

/** Values for string keys whose patterns a generic generator cannot guess. */
const STRING_VALUES: Record<string, (r: Prng, ctx: { name: string }) => string> = {
  firmware_version: (r) => `${r.int(6, 17)}.${r.int(0, 12)}.${r.int(0, 9)}`,
  os_version: (r) => r.pick(["9.4", "22.04", "24.04", "12", "2022"]),
  cpu_model: (r) =>
    r.pick(["Intel Core i5-1345U", "Intel Core i7-1365U", "AMD Ryzen 7 PRO 7840U", "Apple M3"]),
  extension: (r) => String(r.int(1000, 8999)),
  hostname: (_r, ctx) =>
    ctx.name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, ""),
  app_version: (r) => `${r.int(1, 5)}.${r.int(0, 20)}.${r.int(0, 9)}`,
  engine_version: (r) => r.pick(["16.4", "15.8", "8.0.39", "7.2"]),
  health_check_path: () => "/healthz",
  repository_url: (_r, ctx) =>
    `https://git.example.internal/netops/${ctx.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`,
  url: (_r, ctx) => `https://${ctx.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.example.com/`,
};

function decimals(value: string | number | null | undefined): number {
  const s = value === null || value === undefined ? "" : String(value);
  return s.includes(".") ? (s.split(".")[1] ?? "").length : 0;
}

/** A number on the definition's grid: min + k * step, within [min, max]. */
function numberFor(def: FieldDefinition, r: Prng): number {
  const min = Number(def.minValue ?? 0);
  const max = Number(def.maxValue ?? min + 100);
  const step = Number(def.stepValue ?? 1);
  const places = Math.max(decimals(def.stepValue), decimals(def.minValue));
  // Keep demo values in the lower part of wide ranges (e.g. 1..1000000 GB), for realism.
  const span = Math.min(Math.floor((max - min) / step), 200);
  return Number((min + r.int(0, span) * step).toFixed(places));
}

export interface GenerateContext {
  name: string;
  /** Fixed values by key (realistic overrides; still checked by the validator). */
  fixed?: JsonObject;
  ip?: () => string;
  mac?: () => string;
  /** Base day for dates. */
  day?: string;
}

/** An object with a valid value for every required field and most optional ones. */
export function valuesFor(defs: readonly FieldDefinition[], r: Prng, ctx: GenerateContext): JsonObject {
  const out: JsonObject = {};
  for (const def of defs) {
    if (def.isActive === false) continue;
    if (ctx.fixed && def.key in ctx.fixed) {
      out[def.key] = ctx.fixed[def.key] as Json;
      continue;
    }
    if (!def.required && r.chance(0.15)) continue; // some optional fields left empty
    switch (def.fieldType) {
      case "number":
        out[def.key] = numberFor(def, r);
        break;
      case "boolean":
        out[def.key] = r.chance(0.5);
        break;
      case "enum":
        out[def.key] = r.pick(def.enumValues ?? []);
        break;
      case "date":
        out[def.key] = dayString(ctx.day ?? "2024-01-01", r.int(0, 900));
        break;
      case "ip":
        out[def.key] = ctx.ip ? ctx.ip() : `10.250.${r.int(0, 255)}.${r.int(1, 254)}`;
        break;
      case "mac":
        out[def.key] = ctx.mac ? ctx.mac() : macFrom("02005e", r.int(0, 0xffffff));
        break;
      case "string": {
        const make = STRING_VALUES[def.key];
        out[def.key] = make ? make(r, ctx) : `${ctx.name} ${def.key}`.slice(0, def.maxLen ?? 100);
        break;
      }
    }
  }
  return out;
}
