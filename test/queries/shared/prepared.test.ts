/**
 * Prepared statements per handle and flatRows(): the compiled row mapping must give exactly the
 * objects drizzle's own mapping gives (same keys in the same order, nulls, every decoder: dates,
 * timestamps, integers, numerics, inet, jsonb, `sql` fields with and without `.mapWith()`), on
 * PostgreSQL through postgres.js (direct and with `prepare: false`, as behind a transaction pooler)
 * and on PGlite; and a statement is built once per handle, separately for a transaction.
 */
import { eq, sql } from "drizzle-orm";
import {
  date,
  inet,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uuid,
  varchar,
  withReplicas,
} from "drizzle-orm/pg-core";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Database, type DbOrTx } from "../../../src/db.js";
import { InvalidTextRepresentationError, withDbErrors } from "../../../src/errors/index.js";
import { flatRows, preparedPer, preparedRows } from "../../../src/queries/shared/prepared.js";
import { onServer, useTestDatabase } from "../../support/test-db.js";

const probe = pgTable("netops_prepared_probe", {
  id: uuid("id").primaryKey(),
  code: varchar("code", { length: 20 }).notNull(),
  note: text("note"),
  qty: integer("qty"),
  price: numeric("price", { precision: 10, scale: 2 }),
  day: date("day"),
  at: timestamp("at", { withTimezone: true }),
  localAt: timestamp("local_at"),
  ip: inet("ip"),
  doc: jsonb("doc").$type<unknown>(),
});

const ROWS = [
  {
    id: "00000000-0000-4000-8000-000000000001",
    code: "A-1",
    note: "first",
    qty: 7,
    price: "12.50",
    day: "2026-02-28",
    at: new Date("2026-03-01T10:20:30.123Z"),
    localAt: new Date("2026-03-01T10:20:30.456Z"),
    ip: "10.0.0.1",
    doc: { a: [1, "x"], s: "12" },
  },
  {
    id: "00000000-0000-4000-8000-000000000002",
    code: "B-2",
    note: null,
    qty: null,
    price: null,
    day: null,
    at: null,
    localAt: null,
    ip: null,
    doc: null,
  },
  {
    id: "00000000-0000-4000-8000-000000000003",
    code: "C-3",
    note: "",
    qty: 0,
    price: "0.00",
    day: "1999-12-31",
    at: new Date("1970-01-01T00:00:00.000Z"),
    localAt: new Date("2000-01-01T00:00:00.000Z"),
    ip: "2001:db8::10",
    doc: "12",
  },
];

async function createProbe(db: Database): Promise<void> {
  await db.execute(sql`CREATE TABLE netops_prepared_probe (
    id uuid PRIMARY KEY, code varchar(20) NOT NULL, note text, qty integer, price numeric(10, 2),
    day date, at timestamptz, local_at timestamp, ip inet, doc jsonb)`);
  await db.insert(probe).values(ROWS);
}

/** The same selections through drizzle's mapping and through flatRows, compared value and key order. */
async function expectSameAsDrizzle(db: Database): Promise<void> {
  const whole = db.select().from(probe).orderBy(probe.code);
  const plain = await whole.prepare("netops_probe_plain").execute();
  const fast = flatRows(db.select().from(probe).orderBy(probe.code).prepare("netops_probe_fast"));
  expect((fast as unknown as { customResultMapper?: unknown }).customResultMapper).toBeTypeOf("function");
  const mapped = await fast.execute();
  expect(mapped).toEqual(plain);
  expect(mapped.map((r) => Object.keys(r))).toEqual(plain.map((r) => Object.keys(r)));
  expect(mapped[0]?.at).toBeInstanceOf(Date);
  expect(mapped[0]?.doc).toEqual({ a: [1, "x"], s: "12" });
  expect(mapped[2]?.doc).toBe("12");
  expect(mapped[1]?.note).toBeNull();

  // sql fields: plain, .mapWith(Number), aliased; with a placeholder.
  const fields = {
    code: probe.code,
    qtyPlusOne: sql<number>`${probe.qty} + 1`.mapWith(Number),
    upper: sql<string>`upper(${probe.code})`.as("upper_code"),
    raw: sql<string | null>`${probe.note}`,
  };
  const query = () =>
    db
      .select(fields)
      .from(probe)
      .where(sql`${probe.code} <> ${sql.placeholder("skip")}`)
      .orderBy(probe.code);
  const plainSql = await query().prepare("netops_probe_sql_plain").execute({ skip: "C-3" });
  const fastSql = await flatRows(query().prepare("netops_probe_sql_fast")).execute({ skip: "C-3" });
  expect(fastSql).toEqual(plainSql);
  // preparedRows: straight to postgres.js on a server, drizzle's prepared query on PGlite.
  const sqlRows = preparedRows(
    "netops_probe_sql_rows",
    (handle, name) =>
      handle
        .select(fields)
        .from(probe)
        .where(sql`${probe.code} <> ${sql.placeholder("skip")}`)
        .orderBy(probe.code)
        .prepare(name),
    { read: true },
  );
  expect(await sqlRows(db, { skip: "C-3" })).toEqual(plainSql);
  const wholeRows = preparedRows(
    "netops_probe_rows",
    (handle, name) => handle.select().from(probe).orderBy(probe.code).prepare(name),
    { read: true },
  );
  expect(await wholeRows(db, {})).toEqual(plain);
  expect(fastSql).toEqual([
    { code: "A-1", qtyPlusOne: 8, upper: "A-1", raw: "first" },
    { code: "B-2", qtyPlusOne: null, upper: "B-2", raw: null },
  ]);
}

const t = useTestDatabase();
beforeAll(async () => {
  await createProbe(t.db);
});

describe("flatRows gives drizzle's rows", () => {
  it("on the test database's driver", async () => {
    await expectSameAsDrizzle(t.db);
  });

  it("on PGlite", async () => {
    const handle = await createDb({ dataDir: "memory://", relational: false });
    try {
      await createProbe(handle.db);
      await expectSameAsDrizzle(handle.db);
    } finally {
      await handle.close();
    }
  }, 180_000); // PGlite's start-up (WebAssembly) under load

  it.runIf(onServer())("through postgres.js without named statements (createDb pooler mode)", async () => {
    // pooler: "transaction" is prepare: false on postgres.js; a direct URL stands in for PgBouncer
    // here (test/deploy/pooler.test.ts runs the operations through a real one).
    const handle = await createDb({ url: t.url as string, pooler: "transaction", max: 1 });
    try {
      await expectSameAsDrizzle(handle.db);
    } finally {
      await handle.close();
    }
  });

  it("leaves a selection with nested objects (a join) to drizzle", async () => {
    const joined = t.db
      .select({ a: { code: probe.code }, b: { code: sql<string>`'x'` } })
      .from(probe)
      .prepare("netops_probe_nested");
    expect(flatRows(joined)).toBe(joined);
    expect((joined as unknown as { customResultMapper?: unknown }).customResultMapper).toBeUndefined();
  });
});

describe("preparedPer", () => {
  let builds = 0;
  const byCode = preparedPer(
    "netops_probe_by_code",
    (db: DbOrTx, name) => {
      builds++;
      return flatRows(
        db
          .select()
          .from(probe)
          .where(eq(probe.code, sql.placeholder("code")))
          .prepare(name),
      );
    },
    { read: true },
  );

  it("builds a statement once per handle and once per transaction handle", async () => {
    expect(byCode(t.db)).toBe(byCode(t.db));
    expect(builds).toBe(1);
    const [a] = await byCode(t.db).execute({ code: "A-1" });
    expect(a?.qty).toBe(7);
    await t.db.transaction(async (tx) => {
      const [c] = await byCode(tx).execute({ code: "C-3" });
      expect(c?.ip).toBe("2001:db8::10");
      expect(byCode(tx)).not.toBe(byCode(t.db));
    });
    expect(builds).toBe(2);
  });

  it.runIf(onServer())("a handle's statements still answer after its connection is replaced", async () => {
    const other = await t.connect(1);
    try {
      const [before] = await byCode(other.db).execute({ code: "B-2" });
      expect(before?.note).toBeNull();
      // End this pool's only backend: postgres.js opens a new connection for a later query, on
      // which the statement is not prepared yet; the same prepared query object must still work
      // (the queries in flight when the backend went fail as retryable errors first).
      const [{ pid }] = (await other.db.execute(sql`SELECT pg_backend_pid() AS pid`)) as unknown as [
        { pid: number },
      ];
      await t.db.execute(sql`SELECT pg_terminate_backend(${pid})`);
      let after: unknown;
      for (let attempt = 0; attempt < 5 && after === undefined; attempt++) {
        after = await byCode(other.db)
          .execute({ code: "B-2" })
          .then((r) => r[0])
          .catch(() => undefined);
      }
      expect(after).toEqual(before);
    } finally {
      await other.close();
    }
  });
});

describe.runIf(onServer())("preparedRows on a handle with replicas (createDb's withReplicas)", () => {
  // Stand-ins for a primary and two replicas: three pools on the test database told apart by their
  // application_name, which the statement returns. A real streaming replica:
  // test/deploy/replicas.test.ts.
  const answeredBy = (read: boolean) =>
    preparedRows<{ app: string; code: string }>(
      `netops_probe_${read ? "read" : "write"}_by`,
      (db, name) =>
        db
          .select({ app: sql<string>`current_setting('application_name')`, code: probe.code })
          .from(probe)
          .where(eq(probe.code, sql.placeholder("code")))
          .prepare(name),
      { read },
    );
  const read = answeredBy(true);
  const write = answeredBy(false);
  let clients: postgres.Sql[] = [];
  let db: Database;
  beforeAll(() => {
    clients = ["primary", "replica-a", "replica-b"].map((app) =>
      postgres(t.url as string, { max: 1, onnotice: () => {}, connection: { application_name: app } }),
    );
    const [primary, ...replicas] = clients.map((c) => drizzle(c) as unknown as Database);
    db = withReplicas(primary as Database, replicas as [Database, ...Database[]]) as Database;
  });
  afterAll(() => Promise.all(clients.map((c) => c.end())));

  it("a read outside a transaction runs on a replica, each picked at random as drizzle's own select picks", async () => {
    const apps = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const [row] = await read(db, { code: "A-1" });
      apps.add(row?.app as string);
    }
    // Both replicas (a uniform pick leaves one out of 40 calls with probability 2^-39), never the primary.
    expect([...apps].sort()).toEqual(["replica-a", "replica-b"]);
  });

  it("a statement that is not a read runs on the primary", async () => {
    for (let i = 0; i < 5; i++)
      expect(await write(db, { code: "A-1" })).toEqual([{ app: "primary", code: "A-1" }]);
  });

  it("preparedPer (drizzle's own prepared query) routes the same way: reads to both replicas, writes to the primary", async () => {
    const by = (route: boolean) =>
      preparedPer(
        `netops_probe_per_${route ? "read" : "write"}`,
        (handle, name) =>
          handle
            .select({ app: sql<string>`current_setting('application_name')` })
            .from(probe)
            .where(eq(probe.code, sql.placeholder("code")))
            .prepare(name),
        { read: route },
      );
    const [perRead, perWrite] = [by(true), by(false)];
    const apps = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const [row] = await perRead(db).execute({ code: "A-1" });
      apps.add(row?.app as string);
    }
    expect([...apps].sort()).toEqual(["replica-a", "replica-b"]);
    expect(await perWrite(db).execute({ code: "A-1" })).toEqual([{ app: "primary" }]);
  });

  it("the driver's error from the direct path is mapped by withDbErrors like drizzle's wrapped one", async () => {
    const byId = preparedRows(
      "netops_probe_by_id_cast",
      (handle, name) =>
        handle
          .select({ code: probe.code })
          .from(probe)
          .where(sql`${probe.id} = ${sql.placeholder("id")}::uuid`)
          .prepare(name),
      { read: true },
    );
    for (const on of [db, t.db]) {
      const error = await withDbErrors("probe", () => byId(on, { id: "not-a-uuid" })).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InvalidTextRepresentationError);
      expect(error).toMatchObject({ operation: "probe", pgType: "uuid" });
    }
  });

  it("inside a transaction a read runs on its connection and sees its uncommitted write", async () => {
    let seen: unknown;
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(probe).values({ id: "00000000-0000-4000-8000-0000000000f1", code: "TX-1" });
        seen = await read(tx, { code: "TX-1" });
        tx.rollback();
      }),
    ).rejects.toThrow(/rollback/i);
    expect(seen).toEqual([{ app: "primary", code: "TX-1" }]);
    expect(await write(db, { code: "TX-1" })).toEqual([]);
  });
});
