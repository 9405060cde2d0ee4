/**
 * Property: random sequences of location creations, moves and renames, with names drawn from all
 * of Unicode (emoji, combining marks, RTL, `%`, `_`, `\`, `/`, NUL, whitespace), keep every
 * location's path equal to "/" + its ancestors' segments + its own + "/" (a segment is the name
 * with `/` turned into `-`). Every refusal is a NetOpsError. Fixed seed: the same runs in CI.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import { NetOpsError } from "../../src/errors/index.js";
import { createLocation, moveLocation, renameLocation } from "../../src/queries/assets/index.js";
import { locations } from "../../src/schema/assets/tables.js";
import { useTestDatabase } from "../support/test-db.js";
import { PROPERTY_SEED } from "./support.js";

const t = useTestDatabase();

/** Names from the whole code-point range, plus the characters paths and LIKE treat specially. */
const nameArb = fc.oneof(
  fc.string({ unit: "binary", minLength: 1, maxLength: 12 }),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 6 }),
  fc.constantFrom("🏢 Tower", "a/b", "a-b", "%", "_", "\\", " spaced ", "é", "é", "𝟙𝟘𝟙", "\u0000x", "ﷺ"),
);

type Step =
  | { kind: "create"; name: string; parent: number | null }
  | { kind: "move"; node: number; parent: number | null }
  | { kind: "rename"; node: number; name: string };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("create" as const),
    name: nameArb,
    parent: fc.option(fc.nat(40), { nil: null }),
  }),
  fc.record({
    kind: fc.constant("move" as const),
    node: fc.nat(40),
    parent: fc.option(fc.nat(40), { nil: null }),
  }),
  fc.record({ kind: fc.constant("rename" as const), node: fc.nat(40), name: nameArb }),
);

const segment = (name: string) => name.replaceAll("/", "-");

async function checkPaths(ids: string[]): Promise<void> {
  const all = await t.db.select().from(locations);
  const byId = new Map(all.map((l) => [l.id, l]));
  for (const id of ids) {
    const node = byId.get(id);
    if (!node) throw new Error(`location ${id} vanished`);
    const chain: string[] = [];
    for (let at: typeof node | undefined = node; at; at = at.parentId ? byId.get(at.parentId) : undefined) {
      chain.unshift(segment(at.name));
      if (chain.length > 100) throw new Error("cycle in the location tree");
    }
    expect(node.path).toBe(`/${chain.join("/")}/`);
  }
}

it("paths always equal the ancestors' names, whatever the names and the moves", async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(stepArb, { minLength: 5, maxLength: 25 }), async (steps) => {
      // Each run builds its own tree under its own root, so runs do not collide.
      const root = await createLocation(t.db, { name: `prop-${run++}-${Date.now()}` });
      const ids = [root.id];
      for (const step of steps) {
        const pick = (i: number) => ids[i % ids.length] as string;
        try {
          if (step.kind === "create") {
            const parentId = step.parent === null ? root.id : pick(step.parent);
            ids.push((await createLocation(t.db, { name: step.name, parentId })).id);
          } else if (step.kind === "move") {
            const node = pick(step.node);
            if (node === root.id) continue;
            await moveLocation(t.db, {
              locationId: node,
              parentId: step.parent === null ? root.id : pick(step.parent),
            });
          } else {
            await renameLocation(t.db, { locationId: pick(step.node), name: step.name });
          }
        } catch (error) {
          if (!(error instanceof NetOpsError)) throw error;
        }
      }
      await checkPaths(ids);
    }),
    { seed: PROPERTY_SEED, numRuns: 25, endOnFailure: true },
  );
}, 120_000);
