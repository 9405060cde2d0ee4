/**
 * The migration guard reads down files (`<tag>.down.sql`): a down PostgreSQL's parser refuses fails
 * the guard; its destructive statements are reported as acknowledged notes (a down drops what its
 * up created; db:rollback counts the rows at stake), never as failures; a down never feeds the
 * facts the next migrations are judged by; a down changed on the base is not an `edited` failure.
 */
import { describe, expect, it } from "vitest";
import { guardMigrations, isBlocking } from "../../src/migrate/guard.js";

const up = { name: "drizzle/0007_x.sql", sql: 'CREATE TABLE "t" ("id" integer);', baseSql: undefined };

describe("guard on down files", () => {
  it("a down that does not parse fails the guard", async () => {
    const [, down] = await guardMigrations([
      up,
      { name: "drizzle/0007_x.down.sql", sql: 'DROP TABLEE "t";', baseSql: undefined },
    ]);
    expect(down!.findings.map((f) => [f.rule, isBlocking(f)])).toEqual([["syntax", true]]);
  });

  it("a down's data loss is a note naming db:rollback's refusal, not a failure", async () => {
    const [, down] = await guardMigrations([
      up,
      {
        name: "drizzle/0007_x.down.sql",
        sql: 'ALTER TABLE "vendors" DROP COLUMN "phone";--> statement-breakpoint\nDROP TABLE "t";',
        baseSql: undefined,
      },
    ]);
    expect(down!.findings.map((f) => f.rule)).toEqual(["drop-column", "drop-table"]);
    expect(down!.findings.some(isBlocking)).toBe(false);
    expect(down!.findings[0]!.acknowledged).toContain("--allow-data-loss");
  });

  it("a down that would not run, or not run again, fails as an up does", async () => {
    const [, inTransaction] = await guardMigrations([
      up,
      { name: "drizzle/0007_x.down.sql", sql: 'DROP INDEX CONCURRENTLY "i";', baseSql: undefined },
    ]);
    expect(inTransaction!.findings.filter(isBlocking).map((f) => f.rule)).toEqual([
      "concurrently-in-transaction",
    ]);
    const [, rerun] = await guardMigrations([
      up,
      {
        name: "drizzle/0007_x.down.sql",
        sql: '-- migrate:no-transaction\nDROP INDEX CONCURRENTLY "i";--> statement-breakpoint\nDROP INDEX CONCURRENTLY "j";',
        baseSql: undefined,
      },
    ]);
    expect(rerun!.findings.filter(isBlocking).map((f) => f.rule)).toEqual(["no-transaction-rerun"]);
  });

  it("the same statements in an up migration still fail", async () => {
    const [result] = await guardMigrations([
      { name: "drizzle/0007_x.sql", sql: 'ALTER TABLE "vendors" DROP COLUMN "phone";', baseSql: undefined },
    ]);
    expect(result!.findings.filter(isBlocking).map((f) => f.rule)).toEqual(["drop-column"]);
  });

  it("a down's statements do not count as facts for later migrations", async () => {
    // The down drops the validated NOT NULL check; the next migration's SET NOT NULL still relies on it.
    const check = 'ALTER TABLE "vendors" ADD CONSTRAINT "phone_nn" CHECK ("phone" IS NOT NULL);';
    const results = await guardMigrations([
      { name: "drizzle/0007_c.sql", sql: check, baseSql: check },
      {
        name: "drizzle/0007_c.down.sql",
        sql: 'ALTER TABLE "vendors" DROP CONSTRAINT "phone_nn";',
        baseSql: undefined,
      },
      {
        name: "drizzle/0008_n.sql",
        sql: 'ALTER TABLE "vendors" ALTER COLUMN "phone" SET NOT NULL;',
        baseSql: undefined,
      },
    ]);
    expect(results.flatMap((r) => r.findings).filter(isBlocking)).toEqual([]);
  });

  it("a down changed on the base is checked again but is not an edited migration", async () => {
    const [down] = await guardMigrations([
      { name: "drizzle/0003_x.down.sql", sql: 'DROP INDEX IF EXISTS "i";', baseSql: 'DROP INDEX "i";' },
    ]);
    expect(down!.findings).toEqual([]);
  });
});
