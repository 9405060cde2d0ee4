/**
 * inputParser (src/errors/parse-input.ts) against parseInput, on the schemas of the hot operations:
 * for every input, valid or not, the same outcome: the same value (keys in the same order), or the
 * same ValidationError with the same issues. And the common inputs do skip the object parse (the
 * reason it exists).
 */
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { z } from "zod";
import { inputParser, parseInput, ValidationError } from "../../src/errors/index.js";
import { assetCodeInput, searchAssetsInput } from "../../src/validation/assets/schemas.js";
import { impactInput } from "../../src/validation/cmdb/schemas.js";
import {
  idInput,
  intRange,
  nonNegativeInt,
  passThroughTest,
  positiveInt,
  vlanId,
} from "../../src/validation/refinements.js";
import { postStockDocumentInput } from "../../src/validation/warehouse/schemas.js";

const ID = "0b6a3b3e-2f5c-4c8e-9a3b-1e2d3c4b5a69";

type Outcome = { ok: true; value: unknown; keys: string[] } | { ok: false; error: unknown; issues: unknown };
function outcome(run: () => unknown): Outcome {
  try {
    const value = run();
    return { ok: true, value, keys: Object.keys(value as object) };
  } catch (error) {
    return {
      ok: false,
      error: (error as object).constructor.name,
      issues: error instanceof ValidationError ? error.issues : String(error),
    };
  }
}

/** Inputs that are wrong in structure, whatever the schema. */
function structural(valid: Record<string, unknown>): unknown[] {
  const key = Object.keys(valid)[0] as string;
  const withGetter = { ...valid };
  Object.defineProperty(withGetter, key, { get: () => valid[key], enumerable: true });
  const throwing = {};
  Object.defineProperty(throwing, key, {
    get: () => {
      throw new Error("secret");
    },
    enumerable: true,
  });
  const hidden = {};
  Object.defineProperty(hidden, key, { value: valid[key], enumerable: false });
  const noProto = Object.assign(Object.create(null) as object, valid);
  return [
    undefined,
    null,
    "text",
    42,
    [valid],
    {},
    { ...valid, extra: 1 },
    JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(valid[key])}, "__proto__": {"x": 1}}`),
    { ...valid, [key]: "a\u0000b" },
    { ...valid, [key]: "\uD800x" },
    { ...valid, [key]: "a".repeat(1_100_000) },
    { ...valid, [key]: null },
    { ...valid, [key]: undefined },
    { ...valid, [key]: 7 },
    { ...valid, [key]: true },
    { ...valid, [key]: { nested: valid[key] } },
    { ...valid, [key]: new Date(0) },
    { ...valid, "bad\u0000key": 1 },
    withGetter,
    throwing,
    hidden,
    noProto,
    new (class Input {
      constructor() {
        Object.assign(this, valid);
      }
    })(),
  ];
}

const cases: [string, z.ZodObject, unknown[]][] = [
  [
    "idInput",
    idInput("id"),
    [{ id: ID }, { id: ID.toUpperCase() }, { id: "x" }, { id: "" }, ...structural({ id: ID })],
  ],
  [
    "assetCodeInput",
    assetCodeInput,
    [
      { assetCode: "AS-0001" },
      { assetCode: "  AS-0001 " },
      { assetCode: "" },
      { assetCode: "x".repeat(300) },
      ...structural({ assetCode: "AS-0001" }),
    ],
  ],
  [
    "searchAssetsInput",
    searchAssetsInput,
    [
      { serial: "SN-1", limit: 50 },
      { limit: 50, serial: "sn-1" },
      { mac: "0011.2233.AABB", limit: 10 },
      { mac: "zz", limit: 10 },
      { ip: "10.0.0.1", limit: 5 },
      { ip: "10.0.0.0/24", limit: 5 },
      { ip: "10.0.0.300", limit: 5 },
      { ip: "10.0.0.1" },
      { hostname: "SW-", code: "AS-", limit: 1 },
      { status: ["in_stock"], limit: 5 },
      { status: [], limit: 5 },
      { locationId: ID.toUpperCase(), categoryId: ID, limit: 5 },
      { cursor: "abc", limit: 500 },
      { cursor: "x".repeat(3000), limit: 5 },
      { limit: 0 },
      { limit: 501 },
      { limit: 1.5 },
      { limit: "5" },
      { serial: "", limit: 5 },
      { serial: undefined, limit: 5 },
      {},
      ...structural({ serial: "SN-1", limit: 50 }),
    ],
  ],
  [
    "impactInput",
    impactInput,
    [
      { ciId: ID, direction: "dependents", maxDepth: 4 },
      { ciId: ID, direction: "dependencies", maxDepth: 1 },
      { ciId: ID.toUpperCase(), direction: "dependents", maxDepth: 20 },
      { ciId: ID, direction: "dependents" },
      { ciId: ID, direction: "dependents", maxDepth: undefined },
      { ciId: ID, direction: "both", maxDepth: 4 },
      { ciId: ID, direction: "Dependents", maxDepth: 4 },
      { ciId: ID, direction: 1, maxDepth: 4 },
      { ciId: ID, direction: "dependents", maxDepth: 0 },
      { ciId: ID, direction: "dependents", maxDepth: -0 },
      { ciId: ID, direction: "dependents", maxDepth: 21 },
      { ciId: ID, direction: "dependents", maxDepth: 1.5 },
      { ciId: ID, direction: "dependents", maxDepth: Number.NaN },
      { ciId: ID, direction: "dependents", maxDepth: Number.POSITIVE_INFINITY },
      { ciId: ID, direction: "dependents", maxDepth: 2 ** 53 },
      { ciId: ID, direction: "dependents", maxDepth: "4" },
      { ciId: ID, direction: "dependents", maxDepth: true },
      { ciId: ID, direction: "dependents", maxDepth: null },
      { ciId: 7, direction: "dependents", maxDepth: 4 },
      ...structural({ ciId: ID, direction: "dependents", maxDepth: 4 }),
    ],
  ],
  [
    "postStockDocumentInput",
    postStockDocumentInput,
    [
      { documentId: ID },
      { documentId: ID.toUpperCase(), approvedBy: "  bob ", actorUserId: "u1", correlationId: "c1" },
      { documentId: ID, approvedBy: "" },
      { documentId: ID, approvedBy: null },
      { documentId: "x" },
      ...structural({ documentId: ID }),
    ],
  ],
];

afterEach(() => {
  vi.restoreAllMocks();
});

describe("inputParser gives what parseInput gives", () => {
  it.each(cases)("%s: same value or same error for every input", (_name, schema, inputs) => {
    const parse = inputParser(schema);
    for (const input of inputs) {
      const expected = outcome(() => parseInput(schema, input));
      expect({ input, got: outcome(() => parse(input)) }).toEqual({ input, got: expected });
    }
  });

  it("the common impact input runs no zod rule at all (the pass-through tests of uuid, enum, intRange)", () => {
    const parse = inputParser(impactInput);
    const input = { ciId: ID, direction: "dependents", maxDepth: 4 };
    const spies = [impactInput, ...Object.values(impactInput.shape)].map((rule) =>
      vi.spyOn(rule, "safeParse"),
    );
    const value = parse(input);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    vi.restoreAllMocks();
    expect(value).toEqual(parseInput(impactInput, input));
    // A value the test refuses goes to zod, which says why.
    expect(() => parse({ ...input, maxDepth: 21 })).toThrow(ValidationError);
  });

  it("the common inputs skip the object parse (and the structure walk with it)", () => {
    const common: [z.ZodObject, unknown][] = [
      [idInput("id"), { id: ID }],
      [assetCodeInput, { assetCode: "AS-0001" }],
      [searchAssetsInput, { serial: "SN-1", limit: 50 }],
      [searchAssetsInput, { mac: "0011.2233.AABB", cursor: "abc", limit: 50 }],
      [postStockDocumentInput, { documentId: ID }],
    ];
    for (const [schema, input] of common) {
      const parse = inputParser(schema);
      const spy = vi.spyOn(schema, "safeParse");
      const value = parse(input);
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
      expect(value).toEqual(parseInput(schema, input));
    }
  });

  it("a canonical id skips even the uuid rule's own parse (its pass-through test); any other is parsed", () => {
    const schema = idInput("id");
    const rule = schema.shape.id;
    const parse = inputParser(schema);
    const spy = vi.spyOn(rule, "safeParse");
    try {
      expect(parse({ id: ID })).toEqual({ id: ID });
      expect(spy).not.toHaveBeenCalled();
      // Upper case: the rule lower-cases it, so the test must not pass it through unchanged.
      expect(parse({ id: ID.toUpperCase() })).toEqual({ id: ID });
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it("the uuid pass-through test accepts only what the rule returns unchanged", () => {
    const rule = idInput("id").shape.id;
    const unchanged = passThroughTest(rule);
    if (!unchanged) throw new Error("uuid() carries no pass-through test");
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uuid(),
          fc.uuid().map((u) => u.toUpperCase()),
          fc.string(),
          fc.stringMatching(/^[0-9a-fA-F-]{36}$/),
        ),
        (value) => {
          const parsed = rule.safeParse(value);
          if (unchanged(value)) expect(parsed).toEqual({ success: true, data: value });
          // Every canonical (lower-case, valid) id takes the shortcut, or it would be dead code.
          if (parsed.success && parsed.data === value) expect(unchanged(value)).toBe(true);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("each integer rule's pass-through test accepts exactly what zod returns unchanged", () => {
    const rules = {
      "nonNegativeInt()": nonNegativeInt(),
      "positiveInt(100)": positiveInt(100),
      "intRange(-5, 5)": intRange(-5, 5),
      "vlanId()": vlanId(),
    };
    for (const [name, rule] of Object.entries(rules)) {
      const unchanged = passThroughTest(rule);
      if (!unchanged) throw new Error(`${name} carries no pass-through test`);
      fc.assert(
        fc.property(
          fc.oneof(
            fc.integer({ min: -10, max: 5_000 }),
            fc.integer(),
            fc.double(),
            fc.constantFrom(-0, 2 ** 31 - 1, 2 ** 31, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Infinity),
            fc.string(),
            fc.constantFrom(null, undefined, true, 1n),
          ),
          (value) => {
            const parsed = rule.safeParse(value);
            const same = parsed.success && Object.is(parsed.data, value);
            expect(unchanged(value), `${name} on ${String(value)}`).toBe(same);
          },
        ),
        { numRuns: 2_000 },
      );
    }
  });
});
