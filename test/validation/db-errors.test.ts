/**
 * toDbError() on real PostgreSQL errors of each kind, for whichever driver runs the tests: the
 * typed class, table, constraint and columns, and no value (secrets included) in the message, in
 * String(error) or in its JSON form.
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CheckViolationError,
  ForeignKeyViolationError,
  InvalidTextRepresentationError,
  loadConstraintCatalogue,
  NetOpsError,
  NotNullViolationError,
  toDbError,
  UniqueViolationError,
  withDbErrors,
} from "../../src/errors/index.js";
import {
  assetAssignments,
  assets,
  cmdbCis,
  cmdbCiTypes,
  sessions,
  sparePartStock,
  users,
} from "../../src/schema/index.js";
import { useTestDatabase } from "../support/test-db.js";

const t = useTestDatabase();
beforeAll(async () => {
  // toDbError is called bare here: load what withDbErrors loads first (CHECK columns).
  await loadConstraintCatalogue();
});

const SECRET = "sk-live-TOPSECRET-4242";

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return toDbError(error);
  }
  throw new Error("expected the statement to fail");
}

function expectNoLeak(error: unknown, ...values: string[]) {
  const e = error as Error;
  for (const v of values) {
    expect(e.message).not.toContain(v);
    expect(String(e)).not.toContain(v);
    expect(JSON.stringify(e)).not.toContain(v);
  }
}

describe("toDbError", () => {
  it("23505 unique: table, constraint, columns; the duplicated secret is not echoed", async () => {
    const session = {
      token: SECRET,
      refreshToken: `${SECRET}-r`,
      expiresAt: new Date("2030-01-01T00:00:00Z"),
      refreshExpiresAt: new Date("2030-01-02T00:00:00Z"),
    };
    await t.db.insert(sessions).values(session);
    const e = await failure(t.db.insert(sessions).values({ ...session, refreshToken: `${SECRET}-other` }));
    expect(e).toBeInstanceOf(UniqueViolationError);
    expect(e).toMatchObject({
      table: "sessions",
      constraint: "sessions_token_key",
      columns: ["token"],
      sqlState: "23505",
      code: "UNIQUE_VIOLATION",
    });
    expectNoLeak(e, SECRET);
  });

  it("23505 on a partial unique index (one open assignment per asset) names the index and its column", async () => {
    const [asset] = await t.db.insert(assets).values({ assetCode: "ERR-A1" }).returning();
    const row = { assetId: asset?.id, assigneeType: "person" as const, assigneeId: "u1", assigneeName: "U" };
    await t.db.insert(assetAssignments).values(row);
    const e = await failure(t.db.insert(assetAssignments).values(row));
    expect(e).toBeInstanceOf(UniqueViolationError);
    expect(e).toMatchObject({
      table: "asset_assignments",
      constraint: "idx_asset_assignments_asset_id_open",
      columns: ["asset_id"],
    });
  });

  it("23503 insert with a missing parent: referenced = false", async () => {
    const missing = randomUUID();
    const e = await failure(t.db.insert(assets).values({ assetCode: "ERR-A2", modelId: missing }));
    expect(e).toBeInstanceOf(ForeignKeyViolationError);
    expect(e).toMatchObject({
      table: "assets",
      constraint: "assets_model_id_fkey",
      columns: ["model_id"],
      referenced: false,
    });
    expectNoLeak(e, missing);
  });

  it("23503 / 23001 delete of a still-referenced row: referenced = true (NO ACTION and RESTRICT)", async () => {
    const [user] = await t.db
      .insert(users)
      .values({ email: "fk@example.com", name: "FK", passwordHash: "h" })
      .returning();
    await t.db.insert(sessions).values({
      userId: user?.id,
      token: "fk-t",
      refreshToken: "fk-r",
      expiresAt: new Date("2030-01-01T00:00:00Z"),
      refreshExpiresAt: new Date("2030-01-02T00:00:00Z"),
    });
    const noAction = await failure(t.db.delete(users).where(eq(users.id, user?.id as string)));
    expect(noAction).toBeInstanceOf(ForeignKeyViolationError);
    expect(noAction).toMatchObject({
      table: "sessions",
      constraint: "sessions_user_id_fkey",
      columns: ["user_id"],
      referenced: true,
    });

    const [type] = await t.db.insert(cmdbCiTypes).values({ code: "err_type", name: "T" }).returning();
    await t.db.insert(cmdbCis).values({ typeId: type?.id, name: "ci", ciCode: "ERR-CI-1" });
    const restrict = await failure(t.db.delete(cmdbCiTypes).where(eq(cmdbCiTypes.id, type?.id as string)));
    expect(restrict).toBeInstanceOf(ForeignKeyViolationError);
    expect(restrict).toMatchObject({
      table: "cmdb_cis",
      constraint: "cmdb_cis_type_id_fkey",
      columns: ["type_id"],
      referenced: true,
    });
  });

  it("23514 on a multi-column CHECK names every column it reads", async () => {
    const e = await failure(t.db.insert(sparePartStock).values({ onHand: 1, reserved: 2 }));
    expect(e).toBeInstanceOf(CheckViolationError);
    expect(e).toMatchObject({
      table: "spare_part_stock",
      constraint: "spare_part_stock_reserved_within_on_hand_check",
    });
    expect([...(e as CheckViolationError).columns].sort()).toEqual(["on_hand", "reserved"]);
  });

  it("23502 not null names the column", async () => {
    const e = await failure(
      t.db
        .insert(users)
        .values({ email: "nn@example.com", name: "N", passwordHash: null as unknown as string }),
    );
    expect(e).toBeInstanceOf(NotNullViolationError);
    expect(e).toMatchObject({ table: "users", columns: ["password_hash"], sqlState: "23502" });
  });

  it("22P02 names the type, never the text that failed to parse", async () => {
    const e = await failure(t.db.insert(assets).values({ assetCode: "ERR-A3", mgmtIp: SECRET }));
    expect(e).toBeInstanceOf(InvalidTextRepresentationError);
    expect((e as InvalidTextRepresentationError).pgType).toBe("inet");
    expectNoLeak(e, SECRET);
  });

  it("withDbErrors rethrows typed; non-database errors pass through unchanged", async () => {
    await expect(
      withDbErrors(() => t.db.insert(assets).values({ assetCode: "ERR-A4", vlanId: 5000 })),
    ).rejects.toBeInstanceOf(CheckViolationError);
    const plain = new Error("not from PostgreSQL");
    expect(toDbError(plain)).toBe(plain);
    expect(toDbError("text")).toBe("text");
    const already = new NetOpsError("INVALID_STATE", "typed");
    expect(toDbError(already)).toBe(already);
  });
});
