/**
 * The migration guard's decision (src/migrate/guard.ts): each rule on fixtures written from
 * PostgreSQL's documentation (test/migrate/guard-fixtures.ts), with and without its
 * acknowledgement; the documented lock levels and rewrites confirmed on the database; the
 * acknowledgement syntax; edited files; the committed migrations. The script in real git clones
 * (base resolution, fail closed) is test/migrate/guard-script.test.ts.
 */
import { readFileSync } from "node:fs";
import { sql, TransactionRollbackError } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { rows } from "../../src/db.js";
import { type GuardFinding, guardMigrations, isBlocking } from "../../src/migrate/guard.js";
import { GUARD_RULES, NON_VOLATILE_FUNCTIONS, VOLATILE_FUNCTIONS } from "../../src/migrate/guard-rules.js";
import { readJournal } from "../../src/migrate/journal.js";
import { onServer, useTestDatabase } from "../support/test-db.js";
import {
  CLEAN_FIXTURES,
  LOCK_FIXTURES,
  LOCK_ORDER,
  type LockMode,
  RULE_FIXTURES,
  type RuleFixture,
} from "./guard-fixtures.js";

/** The committed migrations, all on the base (unchanged). */
const committed = readJournal().map((m) => {
  const text = readFileSync(m.path, "utf8");
  return { name: `drizzle/${m.tag}.sql`, sql: text, baseSql: text };
});

/** Findings of `migrations`, new files after the committed ones (drizzle/9000_new.sql, ...). */
async function check(...migrations: string[]): Promise<GuardFinding[]> {
  const fresh = migrations.map((text, i) => ({
    name: `drizzle/${9000 + i}_new.sql`,
    sql: text,
    baseSql: undefined,
  }));
  const results = await guardMigrations([...committed, ...fresh]);
  return results.flatMap((r) => r.findings);
}
const summary = (findings: GuardFinding[]) =>
  findings.map((f) => `${f.file.slice(8, 12)}:${f.line} ${f.rule}`);

const ackLines = (fx: RuleFixture) =>
  fx.rules.map((r) => `-- guard:allow ${r} reviewed: the table is small`).join("\n");
/** 1-based line of the statement after `{ack}` when `{ack}` is replaced by one empty line. */
const trippingLine = (fx: RuleFixture) => fx.sql.slice(0, fx.sql.indexOf("{ack}")).split("\n").length + 1;

describe("each rule, on fixtures from PostgreSQL's documentation", () => {
  it("every rule that can be tripped by SQL has a fixture", () => {
    const covered = new Set(RULE_FIXTURES.flatMap((f) => f.rules));
    const sqlRules = Object.keys(GUARD_RULES).filter(
      (r) => !["edited", "syntax", "ack-invalid", "ack-unused"].includes(r),
    );
    expect([...covered].sort()).toEqual(sqlRules.sort());
  });

  describe.each(RULE_FIXTURES)("$rules.0: $title", (fx) => {
    it("fails, naming file, line, statement and rule", async () => {
      const findings = await check(...(fx.earlier ?? []), fx.sql.replace("{ack}", ""));
      const line = trippingLine(fx);
      const file = `drizzle/${9000 + (fx.earlier?.length ?? 0)}_new.sql`;
      expect(summary(findings.filter(isBlocking))).toEqual(
        fx.rules.map((r) => `${file.slice(8, 12)}:${line} ${r}`),
      );
      for (const f of findings) {
        expect(f.file).toBe(file);
        expect(f.statement).toBe(
          fx.sql
            .replace("{ack}", "")
            .split("\n")
            [line - 1]!.replace(/;(--> statement-breakpoint)?$/, ""),
        );
        expect(f.message.length).toBeGreaterThan(10);
      }
    });

    it("passes with an acknowledgement per rule on the line before the statement", async () => {
      const findings = await check(...(fx.earlier ?? []), fx.sql.replace("{ack}", ackLines(fx)));
      expect(findings.filter(isBlocking)).toEqual([]);
      expect(findings.map((f) => [f.rule, f.acknowledged])).toEqual(
        fx.rules.map((r) => [r, "reviewed: the table is small"]),
      );
    });
  });

  it.each(CLEAN_FIXTURES)("passes what the documentation calls online: $title", async ({ migrations }) => {
    expect(summary(await check(...migrations))).toEqual([]);
  });

  it("SET DEFAULT is no backfill; an UPDATE of the column before SET NOT NULL is (issue 11)", async () => {
    const rulesOf = async (text: string) => (await check(text)).map((f) => f.rule);
    expect(
      await rulesOf(
        `ALTER TABLE vendors ALTER COLUMN phone SET DEFAULT '';\nALTER TABLE vendors ALTER COLUMN phone SET NOT NULL;`,
      ),
    ).toContain("not-null");
    expect(
      await rulesOf(
        `UPDATE vendors SET phone = '' WHERE phone IS NULL;\nALTER TABLE vendors ALTER COLUMN phone SET NOT NULL;`,
      ),
    ).not.toContain("not-null");
    // An UPDATE of another column, or after the SET NOT NULL, backfills nothing.
    expect(
      await rulesOf(`UPDATE vendors SET email = '';\nALTER TABLE vendors ALTER COLUMN phone SET NOT NULL;`),
    ).toContain("not-null");
    expect(
      await rulesOf(`ALTER TABLE vendors ALTER COLUMN phone SET NOT NULL;\nUPDATE vendors SET phone = '';`),
    ).toContain("not-null");
    // A default from an earlier migration does not fill the NULLs written before or since.
    expect(await rulesOf(`ALTER TABLE vendors ALTER COLUMN created_at SET NOT NULL;`)).toContain("not-null");
    // A column added with a constant default in the same migration holds no NULL.
    expect(
      await rulesOf(
        `ALTER TABLE vendors ADD COLUMN rank integer DEFAULT 0;\nALTER TABLE vendors ALTER COLUMN rank SET NOT NULL;`,
      ),
    ).toEqual(["not-null-scan"]);
  });

  it("a CHECK (col IS NOT NULL) counts only once validated, and only for its own table and column", async () => {
    const addCheck = `ALTER TABLE vendors ADD CONSTRAINT vendors_phone_nn CHECK (phone IS NOT NULL AND length(phone) > 0) NOT VALID;`;
    const validate = `ALTER TABLE vendors VALIDATE CONSTRAINT vendors_phone_nn;`;
    expect(
      summary(await check(addCheck, validate, `ALTER TABLE vendors ALTER COLUMN phone SET NOT NULL;`)),
    ).toEqual([]);
    expect(
      summary(await check(addCheck, validate, `ALTER TABLE vendors ALTER COLUMN email SET NOT NULL;`)),
    ).toEqual(["9002:1 not-null", "9002:1 not-null-scan"]);
    // Dropped again, it proves nothing.
    expect(
      summary(
        await check(
          addCheck,
          validate,
          `ALTER TABLE vendors DROP CONSTRAINT vendors_phone_nn;\nALTER TABLE vendors ALTER COLUMN phone SET NOT NULL;`,
        ),
      ),
    ).toEqual(["9002:2 not-null", "9002:2 not-null-scan"]);
  });

  it("a function of unknown volatility counts as volatile; one declared STABLE does not", async () => {
    expect(summary(await check(`ALTER TABLE vendors ADD COLUMN c text DEFAULT make_code();`))).toEqual([
      "9000:1 volatile-default",
    ]);
    expect(
      summary(
        await check(
          `CREATE FUNCTION make_code() RETURNS text LANGUAGE sql STABLE AS $$ SELECT 'x' $$;`,
          `ALTER TABLE vendors ADD COLUMN c text DEFAULT make_code();`,
        ),
      ),
    ).toEqual([]);
  });
});

describe("the guard's verdict on each statement of the documented lock table", () => {
  it.each(LOCK_FIXTURES)("$sql", async (fx) => {
    const earlier = fx.setup
      ? [`${fx.setup.includes("CONCURRENTLY") ? "-- migrate:no-transaction\n" : ""}${fx.setup};`]
      : [];
    const findings = await check(...earlier, `${fx.sql};`);
    expect(findings.map((f) => f.rule).sort()).toEqual([...fx.rules].sort());
    // Nothing that only takes SHARE UPDATE EXCLUSIVE or less, or a brief catalog-only lock, is flagged as blocking.
    if (LOCK_ORDER.indexOf(fx.lock) <= LOCK_ORDER.indexOf("ShareUpdateExclusiveLock"))
      expect(findings).toEqual([]);
  });
});

describe("PostgreSQL takes the documented locks and rewrites (confirms the fixtures, not the guard)", () => {
  const t = useTestDatabase();

  it.each(LOCK_FIXTURES)("$sql: $lock", async (fx) => {
    if (fx.setup) await t.db.execute(sql.raw(fx.setup));
    let observed: { lock: LockMode | undefined; rewrites: boolean } | undefined;
    await t.db
      .transaction(async (tx) => {
        const filenode = async () =>
          (
            await rows<{ f: string }>(tx, sql`SELECT pg_relation_filenode(${fx.table}::regclass)::text AS f`)
          )[0]!.f;
        const before = await filenode();
        await tx.execute(sql.raw(fx.sql));
        const modes = await rows<{ mode: LockMode }>(
          tx,
          sql`SELECT mode FROM pg_locks WHERE locktype = 'relation' AND pid = pg_backend_pid() AND relation = ${fx.table}::regclass`,
        );
        const strongest = modes
          .map((m) => m.mode)
          .sort((a, b) => LOCK_ORDER.indexOf(b) - LOCK_ORDER.indexOf(a))[0];
        observed = { lock: strongest, rewrites: (await filenode()) !== before };
        tx.rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof TransactionRollbackError)) throw error;
      });
    if (fx.cleanup) await t.db.execute(sql.raw(fx.cleanup));
    expect(observed).toEqual({ lock: fx.lock, rewrites: fx.rewrites });
  });

  it("the volatility lists agree with pg_proc.provolatile", async () => {
    // uuid-ossp is installable on the server (not in PGlite); uuidv4/uuidv7 come with PostgreSQL 18.
    if (onServer()) await t.db.execute(sql`CREATE EXTENSION IF NOT EXISTS "uuid-ossp"`);
    const catalog = await rows<{ proname: string; volatility: string }>(
      t.db,
      sql`SELECT proname, string_agg(DISTINCT provolatile::text, '') AS volatility FROM pg_proc GROUP BY proname`,
    );
    const known = new Map(catalog.map((r) => [r.proname, r.volatility]));
    const present = VOLATILE_FUNCTIONS.filter((f) => known.has(f));
    expect(present).toEqual(
      expect.arrayContaining(["random", "gen_random_uuid", "clock_timestamp", "timeofday", "nextval"]),
    );
    if (onServer())
      expect(present).toEqual(
        expect.arrayContaining(["uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4"]),
      );
    for (const f of present) expect([f, known.get(f)]).toEqual([f, "v"]);
    expect(NON_VOLATILE_FUNCTIONS.filter((f) => known.has(f))).toEqual(NON_VOLATILE_FUNCTIONS);
    for (const f of NON_VOLATILE_FUNCTIONS) expect([f, known.get(f)!.replace(/[si]/g, "")]).toEqual([f, ""]);
  });

  it("SET DEFAULT then SET NOT NULL fails on NULL rows; a backfill first succeeds (what not-null predicts)", async () => {
    await t.db.execute(
      sql`INSERT INTO vendors (name, phone) VALUES ('no phone', NULL), ('has phone', '555')`,
    );
    try {
      const attempt = async (migration: string) => {
        let error: string | null = null;
        await t.db
          .transaction(async (tx) => {
            for (const statement of migration.split(";\n")) await tx.execute(sql.raw(statement));
            tx.rollback();
          })
          .catch((e: unknown) => {
            if (e instanceof TransactionRollbackError) return;
            error = String((e as { cause?: { code?: string } }).cause?.code ?? e);
          });
        return error;
      };
      const setDefault = `ALTER TABLE vendors ALTER COLUMN phone SET DEFAULT '';\nALTER TABLE vendors ALTER COLUMN phone SET NOT NULL;`;
      const backfill = `UPDATE vendors SET phone = '' WHERE phone IS NULL;\nALTER TABLE vendors ALTER COLUMN phone SET NOT NULL;`;
      expect(await attempt(setDefault)).toBe("23502");
      expect(await attempt(backfill)).toBeNull();
      expect((await check(setDefault)).map((f) => f.rule)).toContain("not-null");
      expect((await check(backfill)).map((f) => f.rule)).not.toContain("not-null");
    } finally {
      await t.db.execute(sql`DELETE FROM vendors WHERE name IN ('no phone', 'has phone')`);
    }
  });

  it.runIf(onServer())(
    "after a validated CHECK (col IS NOT NULL), SET NOT NULL skips the scan (the path the guard accepts)",
    async () => {
      const notices: string[] = [];
      const client = postgres(t.url!, { max: 1, onnotice: (n) => notices.push(String(n.message)) });
      try {
        await client.unsafe(
          "ALTER TABLE vendors ADD CONSTRAINT vendors_phone_nn CHECK (phone IS NOT NULL) NOT VALID",
        );
        await client.unsafe("UPDATE vendors SET phone = '' WHERE phone IS NULL");
        await client.unsafe("ALTER TABLE vendors VALIDATE CONSTRAINT vendors_phone_nn");
        await client
          .begin(async (tx) => {
            await tx.unsafe("SET LOCAL client_min_messages = debug1");
            await tx.unsafe("ALTER TABLE vendors ALTER COLUMN phone SET NOT NULL");
            await tx.unsafe("ALTER TABLE vendors ALTER COLUMN email SET NOT NULL");
            throw new Error("rollback");
          })
          .catch((e: unknown) => {
            if ((e as Error).message !== "rollback") throw e;
          });
        await client.unsafe("ALTER TABLE vendors DROP CONSTRAINT vendors_phone_nn");
      } finally {
        await client.end();
      }
      const proofs = notices.filter((m) => m.includes("sufficient to prove that it does not contain nulls"));
      expect(proofs).toEqual([
        'existing constraints on column "vendors.phone" are sufficient to prove that it does not contain nulls',
      ]);
    },
  );
});

describe("acknowledgements", () => {
  const drop = `ALTER TABLE "vendors" DROP COLUMN "phone";`;
  const rulesAndAcks = (findings: GuardFinding[]) =>
    findings.map(
      (f) => `${f.line} ${f.rule}${f.acknowledged ? " (ack)" : ""}${isBlocking(f) ? " BLOCKS" : ""}`,
    );

  it("apply to the next statement only, and to the rule they name only", async () => {
    expect(
      rulesAndAcks(
        await check(`-- guard:allow drop-column phone moved to vendor_contacts in 0007
${drop}
ALTER TABLE "vendors" DROP COLUMN "email";`),
      ),
    ).toEqual(["2 drop-column (ack)", "3 drop-column BLOCKS"]);
    expect(
      rulesAndAcks(
        await check(`-- guard:allow rename phone is unused
${drop}`),
      ),
    ).toEqual(["1 ack-unused", "2 drop-column BLOCKS"]);
    // Several lines, other comments and blank lines in between: all before the same statement.
    expect(
      rulesAndAcks(
        await check(
          `SELECT 1;--> statement-breakpoint
-- guard:allow drop-column unused since v2

-- the app stopped reading it in 2.3
-- guard:allow not-null not needed
${drop}`,
        ),
      ),
    ).toEqual(["5 ack-unused", "6 drop-column (ack)"]);
  });

  it("a missing reason, an unknown or unacknowledgeable rule, a misplaced or retired form are errors", async () => {
    const invalid = async (text: string) =>
      (await check(text)).filter((f) => f.rule === "ack-invalid").map((f) => `${f.line} ${f.message}`);
    expect(
      await invalid(`-- guard:allow drop-column
${drop}`),
    ).toEqual(["1 no reason given: `-- guard:allow drop-column <why it is safe here>`"]);
    expect(
      await invalid(`-- guard:allow drop-columns typo
${drop}`),
    ).toEqual([
      expect.stringMatching(/^1 unknown rule code "drop-columns"; codes: drop-table, drop-column, /),
    ]);
    expect(
      await invalid(`-- guard:allow edited the base was wrong
${drop}`),
    ).toEqual(["1 edited cannot be acknowledged"]);
    expect(
      await invalid(`-- guard:allow-destructive phone is unused
${drop}`),
    ).toEqual([
      "1 the file-wide form is retired: acknowledge each statement with `-- guard:allow <rule> <reason>`",
    ]);
    const misplaced = "not a `--` comment on its own line directly before a statement";
    expect(await invalid(`${drop} -- guard:allow drop-column after the statement`)).toEqual([
      `1 ${misplaced}`,
    ]);
    expect(
      await invalid(`ALTER TABLE "vendors"
-- guard:allow drop-column inside it
DROP COLUMN "phone";`),
    ).toEqual([`2 ${misplaced}`]);
    expect(
      await invalid(`${drop}
-- guard:allow drop-column at the end`),
    ).toEqual([`2 ${misplaced}`]);
    expect(
      await invalid(`/* guard:allow drop-column block comment */
${drop}`),
    ).toEqual([`1 ${misplaced}`]);
    // Each of them leaves the finding unacknowledged.
    expect(
      (
        await check(`-- guard:allow drop-column
${drop}`)
      )
        .filter(isBlocking)
        .map((f) => f.rule)
        .sort(),
    ).toEqual(["ack-invalid", "drop-column"]);
  });

  it("no migration on main uses the retired file-wide form", () => {
    for (const m of committed) expect(m.sql).not.toMatch(/guard:allow/);
  });
});

describe("files", () => {
  it("the committed migrations pass on the base, and 0000 passes even as a new file (it creates every table)", async () => {
    const results = await guardMigrations(committed);
    expect(results.flatMap((r) => r.findings)).toEqual([]);
    const first = committed[0]!;
    const asNew = await guardMigrations([{ ...first, baseSql: undefined }]);
    expect(asNew[0]!.findings).toEqual([]);
  });

  it("0001, 0003, 0004 were written for an empty database: as new files, each statement is flagged", async () => {
    const [m0000, m0001, m0002, m0003, m0004] = committed;
    const results = await guardMigrations([
      m0000!,
      m0002!,
      ...[m0001!, m0003!, m0004!].map((m) => ({ ...m, baseSql: undefined })),
    ]);
    const statements = (m: { sql: string }) => m.sql.split("--> statement-breakpoint").length;
    const flaggedLines = (name: string) =>
      new Set(results.find((r) => r.name === name)!.findings.map((f) => f.line)).size;
    for (const m of [m0001!, m0003!, m0004!])
      expect([m.name, flaggedLines(m.name)]).toEqual([m.name, statements(m)]);
  });

  it("an edited or deleted migration on the base fails, and no comment allows it", async () => {
    const [m0000, m0001] = committed;
    const results = await guardMigrations([
      m0000!,
      {
        ...m0001!,
        sql: `-- guard:allow edited cosmetic
${m0001!.sql}`,
      },
      { name: "drizzle/0002_gone.sql", sql: undefined, baseSql: "SELECT 1;" },
    ]);
    expect(results.map((r) => [r.name, r.findings.map((f) => `${f.rule}: ${f.message}`)])).toEqual([
      ["drizzle/0000_initial_schema.sql", []],
      ["drizzle/0001_timestamps_not_null.sql", ["edited: is on the base branch and was edited"]],
      ["drizzle/0002_gone.sql", ["edited: is on the base branch and was deleted"]],
    ]);
  });

  it("SQL PostgreSQL's parser refuses is a syntax finding at its line; lines count UTF-8 text right", async () => {
    expect(
      summary(
        await check(`-- Gerät, café, 设备
SELECT 1;
ALTER TABLE vendors DROPP COLUMN phone;`),
      ),
    ).toEqual(["9000:3 syntax"]);
    expect(
      summary(
        await check(`-- Gerät, café, 设备 /* ü */
SELECT 'ü';
ALTER TABLE vendors DROP COLUMN phone;`),
      ),
    ).toEqual(["9000:3 drop-column"]);
    const [finding] = await check(`SELECT 'é';
ALTER TABLE vendors RENAME COLUMN phone TO téléphone;`);
    expect(finding!.statement).toBe("ALTER TABLE vendors RENAME COLUMN phone TO téléphone");
  });
});

describe("README", () => {
  it("lists every rule code exactly as GUARD_RULES states it (what, why, instead)", () => {
    const readme = readFileSync("README.md", "utf8");
    const block = /<!-- guard-rules:[^\n]*-->\n([\s\S]*?)\n<!-- \/guard-rules -->/.exec(readme)?.[1];
    const expected = Object.entries(GUARD_RULES)
      .map(
        ([code, r]) =>
          `- \`${code}\`: ${r.catches}. Why: ${r.why}. Instead: ${r.instead}.${r.ackable ? "" : " Cannot be acknowledged."}`,
      )
      .join("\n");
    expect(block, `README's guard-rules block should be:\n${expected}`).toBe(expected);
  });
});
