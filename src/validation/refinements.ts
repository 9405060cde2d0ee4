/**
 * Shared refinements, in one place: every domain schema and the dynamic spec validator use these,
 * so an IP, a MAC, a code or an amount is judged the same way everywhere. Messages name the rule,
 * never the rejected value (it may be a secret).
 */
import { isIPv4, isIPv6 } from "node:net";
import type { Column } from "drizzle-orm";
import { z } from "zod";
import type { Json } from "../schema/_helpers.js";
import { assetEvents } from "../schema/assets/tables.js";
import { isEncryptedSecret } from "../security/envelope.js";
import { isPasswordHash } from "../security/passwords.js";
import { boundOf, type ColumnBound, lengthOf, numericOf, requireLength } from "./columns.js";

/** Bound for `text` code columns, which have no length in the database. */
export const TEXT_CODE_MAX = 100;
/**
 * Base of the bounds of `text` columns holding longer text: file names and regular expressions
 * (1x), notes and help texts (4x), descriptions (20x). Names and titles take the column's rule
 * instead (`req(trimmed)`: TEXT_COLUMN_LENGTH, src/validation/columns.ts).
 */
export const TEXT_NAME_MAX = 500;
export const INT32_MAX = 2_147_483_647;

/**
 * Rules that come with a test for the values they accept and return unchanged: such a value is
 * taken as it is by inputParser (src/errors/parse-input.ts) without the rule's zod parse, which costs
 * ~15x the test on an id (issue 15, client CPU of look-ups and posting). Same result either way.
 */
const passThroughTests = new WeakMap<z.ZodType, (value: unknown) => boolean>();

/** What the tests read of a zod rule's definition. */
interface RuleDef {
  _zod: { def: { type: string; checks?: unknown[]; innerType?: z.ZodType }; values?: Set<unknown> };
}

/**
 * The rule's test for values it returns unchanged, if it has one: a registered one, an enum's
 * (zod returns a member as it is), or, through `.default()` and `.optional()`, the inner rule's
 * (for a value given, both return what the inner rule returns). Never for a rule with checks of
 * its own (a refinement), which the test would skip.
 */
export function passThroughTest(rule: z.ZodType): ((value: unknown) => boolean) | undefined {
  const registered = passThroughTests.get(rule);
  if (registered) return registered;
  const { def, values } = (rule as unknown as RuleDef)._zod;
  if (def.checks && def.checks.length > 0) return undefined;
  if (def.type === "enum" && values) return (v) => values.has(v);
  if ((def.type === "default" || def.type === "optional") && def.innerType) {
    const inner = passThroughTest(def.innerType);
    return inner && ((v) => v !== undefined && inner(v));
  }
  return undefined;
}

/** A UUID, lower-cased so it compares (and sorts, for lock order) like PostgreSQL's uuid. The one uuid input. */
export const uuid = () => {
  const format = z.uuid("must be a UUID");
  const rule = format.transform((s) => s.toLowerCase());
  // zod's own uuid pattern, read from the rule so it is stated once; a value it matches that is
  // already lower case is what the transform returns unchanged.
  const pattern = format._zod.def.pattern;
  if (pattern) {
    passThroughTests.set(rule, (v) => typeof v === "string" && pattern.test(v) && v === v.toLowerCase());
  }
  return rule;
};

/** `{ <key>: uuid }`: the input of an operation that takes one id. */
export const idInput = <K extends string>(key: K) =>
  z.strictObject({ [key]: uuid() } as Record<K, ReturnType<typeof uuid>>);

/**
 * Who acted and which request a write belongs to, in the tables where these columns are `text`
 * (actor_user_id, correlation_id, and the `created_by`/`approved_by` columns that name a person):
 * bounded as asset_events.actor_user_id and correlation_id (varchar), lengths read from there.
 */
export const actorUserId = () => trimmed(requireLength(assetEvents.actorUserId));
export const correlationId = () => trimmed(requireLength(assetEvents.correlationId));

/** Trimmed, non-empty, at most `max` characters (codes, names, titles). */
export const trimmed = (max: number) =>
  z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);

/** A MIME type (`application/pdf`): trimmed, non-empty, at most `max` characters. */
export const mimeType = (max: number) =>
  trimmed(max).regex(/^[\w.+-]+\/[\w.+-]+$/, "must be a MIME type such as application/pdf");

/** A business code: trimmed, non-empty, bounded, printable without spaces inside. */
export const code = (max: number = TEXT_CODE_MAX) =>
  trimmed(max).regex(/^[\w.:/@+-]+$/u, "may contain only letters, digits and . _ - : / @ +");

/** Optional free text, bounded (only where a column has a length). */
export const text = (max?: number) =>
  max ? z.string().max(max, `must be at most ${max} characters`) : z.string();

export const email = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .pipe(z.email("must be a valid email address"))
    .transform((v) => v.toLowerCase());

function isIpHost(value: string): boolean {
  return !value.includes("%") && (isIPv4(value) || isIPv6(value));
}

function isIpOrCidr(value: string): boolean {
  const slash = value.indexOf("/");
  if (slash < 0) return isIpHost(value);
  const host = value.slice(0, slash);
  const prefix = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix)) return false;
  const bits = Number(prefix);
  if (isIPv4(host)) return bits <= 32;
  return isIpHost(host) && bits <= 128;
}

/** An IPv4 or IPv6 host address (no prefix), e.g. for `sessions.ip_address`; at most `max` characters. */
export const ipHost = (max?: number) =>
  (max ? z.string().trim().max(max, `must be at most ${max} characters`) : z.string().trim()).refine(
    isIpHost,
    "must be an IPv4 or IPv6 address",
  );

/** A value for an `inet` column: IPv4 or IPv6, host or CIDR (`10.0.0.1`, `10.0.0.0/24`, `2001:db8::/32`). */
export const inet = () =>
  z.string().trim().refine(isIpOrCidr, "must be an IPv4 or IPv6 address, optionally with a /prefix");

const MAC_PATTERNS = [
  /^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i, // 00:1a:2b:3c:4d:5e, 00-1A-2B-3C-4D-5E
  /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i, // 001a.2b3c.4d5e (Cisco)
  /^[0-9a-f]{12}$/i, // 001a2b3c4d5e
];

/** True for a MAC address in one of the accepted notations. */
export const isMac = (value: string) => MAC_PATTERNS.some((p) => p.test(value));

/** Lower-case colon form of an accepted MAC notation (`00:1a:2b:3c:4d:5e`). */
export function normaliseMac(value: string): string {
  const hex = value.replace(/[^0-9a-f]/gi, "").toLowerCase();
  return hex.match(/../g)?.join(":") ?? hex;
}

/** MAC address in common notations, normalised to lower-case colon form; at most `max` characters. */
export const mac = (max?: number) =>
  (max ? z.string().trim().max(max, `must be at most ${max} characters`) : z.string().trim())
    .refine(isMac, "must be a MAC address (aa:bb:cc:dd:ee:ff, aa-bb-..., aabb.ccdd.eeff or aabbccddeeff)")
    .transform(normaliseMac);

/** users.password_hash: a scrypt PHC string from hashPassword (src/security/passwords.ts), never a password. */
export const passwordHash = (max?: number) =>
  (max ? z.string().max(max, `must be at most ${max} characters`) : z.string()).refine(
    isPasswordHash,
    "must be a $scrypt$ln=..,r=..,p=..$salt$hash string from hashPassword()",
  );

/** A secret column (ai_providers.api_key): the v1 envelope from src/security/secrets.ts, never plaintext. */
export const encryptedSecret = () =>
  z
    .string()
    .refine(
      isEncryptedSecret,
      "must be encrypted (v1:<keyId>:<iv>:<tag>:<ciphertext>): use setProviderApiKey()",
    );

/**
 * `rule`, an integer rule bounded by [min, max], with its pass-through test: z.int() is a safe
 * integer, so within safe bounds an integer in range is valid and returned as it is.
 */
function intPassThrough<R extends z.ZodType>(rule: R, min: number, max: number): R {
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max))
    throw new RangeError(`integer bounds must be safe integers (got ${min}, ${max})`);
  passThroughTests.set(rule, (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max);
  return rule;
}

export const nonNegativeInt = (max = INT32_MAX) =>
  intPassThrough(
    z.int("must be an integer").min(0, "must not be negative").max(max, `must be at most ${max}`),
    0,
    max,
  );

export const positiveInt = (max = INT32_MAX) =>
  intPassThrough(
    z.int("must be an integer").min(1, "must be greater than 0").max(max, `must be at most ${max}`),
    1,
    max,
  );

export const intRange = (min: number, max: number) =>
  intPassThrough(
    z
      .int("must be an integer")
      .min(min, `must be between ${min} and ${max}`)
      .max(max, `must be between ${min} and ${max}`),
    min,
    max,
  );

/** IEEE 802.1Q usable VLAN ids. */
export const vlanId = () => intRange(1, 4094);

interface DecimalOptions {
  precision: number;
  scale: number;
  /** Allow negative values (default false: money and quantities). */
  signed?: boolean;
}

/** Does a plain decimal string fit numeric(precision, scale)? */
export function fitsNumeric(value: string, precision: number, scale: number): boolean {
  const m = /^-?(\d+)(?:\.(\d+))?$/.exec(value);
  if (!m) return false;
  const intDigits = (m[1] ?? "").replace(/^0+(?=\d)/, "");
  const fraction = (m[2] ?? "").replace(/0+$/, "");
  return fraction.length <= scale && (intDigits === "0" ? 0 : intDigits.length) <= precision - scale;
}

/**
 * A `numeric(p, s)` value. drizzle maps numeric to a string (exact decimals); numbers are accepted
 * and turned into their decimal string. Money and quantities are non-negative unless `signed`.
 */
export const decimal = ({ precision, scale, signed = false }: DecimalOptions) =>
  z
    .union([z.string(), z.number()], "must be a decimal number")
    .transform((v) => (typeof v === "number" ? String(v) : v.trim()))
    .pipe(
      z
        .string()
        .regex(/^-?\d+(\.\d+)?$/, "must be a decimal number")
        .refine((v) => signed || !v.startsWith("-"), "must not be negative")
        .refine(
          (v) => fitsNumeric(v, precision, scale),
          `must fit numeric(${precision},${scale}): at most ${precision - scale} integer and ${scale} decimal digits`,
        ),
    );

/** A signed decimal without declared precision (field-definition bounds). */
export const anyDecimal = () =>
  z
    .union([z.string(), z.number()], "must be a number")
    .transform((v) => (typeof v === "number" ? String(v) : v.trim()))
    .pipe(z.string().regex(/^-?\d+(\.\d+)?$/, "must be a decimal number"));

/**
 * Years a date or timestamp may have: ISO 8601's four-digit years from 0001. PostgreSQL refuses
 * year 0000 ("date/time field value out of range"), and 10000+ needs a signed extended year that
 * JSON bodies do not carry; refused here, the error names the field instead of a column.
 */
export const YEAR_MIN = 1;
export const YEAR_MAX = 9999;
const yearInRange = (year: number) => year >= YEAR_MIN && year <= YEAR_MAX;
const YEAR_MESSAGE = `must be between the years ${String(YEAR_MIN).padStart(4, "0")} and ${YEAR_MAX}`;

/** A calendar date `YYYY-MM-DD` that exists (for `date` columns, mode string), year 0001-9999. */
export const isoDate = () =>
  z.iso.date("must be a date (YYYY-MM-DD)").refine((v) => yearInRange(Number(v.slice(0, 4))), YEAR_MESSAGE);

/** A timestamp: a Date, or an ISO 8601 date-time string with offset (turned into a Date), year 0001-9999. */
export const timestamp = () =>
  z
    .union(
      [z.date(), z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time" })],
      "must be a date-time",
    )
    .transform((v) => (v instanceof Date ? v : new Date(v)))
    .refine((d) => !Number.isNaN(d.getTime()), "must be a valid date-time")
    .refine((d) => Number.isNaN(d.getTime()) || yearInRange(d.getUTCFullYear()), YEAR_MESSAGE);

/** Key of a spec or attribute definition: used as a JSON property name. */
export const fieldKey = () =>
  z
    .string()
    .trim()
    .max(64, "must be at most 64 characters")
    .regex(/^[a-z][a-z0-9_]*$/, "must be snake_case: a lower-case letter, then letters, digits or _");

export const json: z.ZodType<Json> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]),
);

/** A JSON object (`jsonb` columns with `DEFAULT '{}'`). */
export const jsonObject = () => z.record(z.string(), json);

/** A column's rule, made from the column (tableSchemas calls it with the drizzle column). */
export type ColumnRule<T extends z.ZodType = z.ZodType> = (column: Column) => T;

/**
 * How a column's rule is given: a rule builder that takes what the column states, called with it
 * (`trimmed`, `code`, `email`, `mac`, `ipHost`, `passwordHash`, `mimeType` get a varchar's length,
 * or TEXT_COLUMN_LENGTH for a text column; `nonNegativeInt`, `positiveInt` an integer type's
 * maximum; `decimal` numeric(p, s)), or a finished schema for a column that states none of these
 * (jsonb, date, numeric without p/s), for a text column with another bound (notes, codes), or
 * whose rule is narrower for another reason (a VLAN id, a CHECK's range).
 */
export type RuleSource<T extends z.ZodType> =
  | T
  | ((length: number) => T)
  | ((bound: { precision: number; scale: number }) => T);

function fromColumn<T extends z.ZodType>(source: RuleSource<T>, column: Column): T {
  const where = `${column.name} ${column.getSQLType()}`;
  if (typeof source === "function") {
    const bound = boundOf(column);
    if (bound === undefined) {
      throw new Error(`${where}: the column states no length, range or precision; give the rule its bound`);
    }
    return (source as (bound: ColumnBound) => T)(bound);
  }
  if (lengthOf(column) !== undefined || numericOf(column) !== undefined) {
    // A finished schema here would restate the column's length (or precision) by hand, or ignore it.
    throw new Error(
      `${where}: pass the rule builder (req(trimmed), not req(trimmed(n))): the column states its bound`,
    );
  }
  return source;
}

/**
 * drizzle-zod refinement for a NOT NULL column without a default (required on insert).
 * (A function refinement keeps drizzle-zod's nullable/optional wrapping for the column.)
 */
export const req =
  <T extends z.ZodType>(source: RuleSource<T>): ColumnRule<T> =>
  (column) =>
    fromColumn(source, column);

/**
 * drizzle-zod refinement for a nullable or defaulted column. drizzle-zod makes such columns
 * optional at run time but its types forget it for function refinements, so say it here too.
 */
export const opt =
  <T extends z.ZodType>(source: RuleSource<T>): ColumnRule<z.ZodOptional<T>> =>
  (column) =>
    fromColumn(source, column).optional();

// The shape of a whole input (__proto__, depth, size, NUL, lone surrogates): its own module, which
// imports nothing, because parseInput (src/errors.ts) runs it and this module imports errors.
export * from "./input-shape.js";
