/**
 * The error model: every error class the package defines is a NetOpsError with a code from the
 * closed list; every code has exactly one exit code; the exit codes are the ones README documents;
 * toJSON carries identifiers, never the cause or a parameter value.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DrizzleQueryError } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as errors from "../../src/errors/index.js";

const {
  ERROR_CODES,
  EXIT,
  EXIT_CODE_OF_ERROR,
  exitCodeOf,
  failureLine,
  NetOpsError,
  toDbError,
  loadConstraintCatalogue,
} = errors;

const errorClasses = Object.entries(errors).filter(
  ([, v]) => typeof v === "function" && v.prototype instanceof Error,
) as [string, new (...args: never[]) => Error][];

describe("error model", () => {
  it("every exported error class is a NetOpsError", () => {
    expect(errorClasses.length).toBeGreaterThan(30);
    for (const [name, cls] of errorClasses) {
      expect(cls.prototype instanceof NetOpsError || cls === NetOpsError, name).toBe(true);
    }
  });

  it("no error class is defined outside src/errors (one model)", () => {
    const stray: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith(".ts") && !path.startsWith(join("src", "errors"))) {
          const text = readFileSync(path, "utf8");
          for (const m of text.matchAll(/class (\w+) extends (\w*Error)\b/g)) stray.push(`${path}: ${m[1]}`);
        }
      }
    };
    for (const dir of ["src", "seed", "scripts", "bench"]) walk(dir);
    // bench/writes.ts and src/import/engine.ts throw a *RollbackSignal to roll a transaction back:
    // control flow, never seen outside the function.
    expect(stray.filter((s) => !s.endsWith("RollbackSignal"))).toEqual([]);
  });

  it("the exit codes are README's, and every error code has one", () => {
    expect(EXIT).toEqual({
      ok: 0,
      error: 1,
      usage: 2,
      pending: 3,
      modified: 4,
      unknownRecorded: 5,
      drift: 6,
      refused: 7,
      lockTimeout: 8,
      importRejected: 9,
    });
    expect(Object.keys(EXIT_CODE_OF_ERROR).sort()).toEqual([...ERROR_CODES].sort());
    expect(exitCodeOf(new errors.UsageError("x"))).toBe(2);
    expect(exitCodeOf(new errors.SeedUsageError("x"))).toBe(2);
    expect(exitCodeOf(new errors.ModifiedMigrationError([]))).toBe(4);
    expect(exitCodeOf(new errors.LockTimeoutError(1000, "ALTER TABLE x", [], null))).toBe(8);
    expect(exitCodeOf(new errors.EmptyDatabaseUrlError())).toBe(1);
    for (const refused of [
      new errors.ResetRefusedError("x"),
      new errors.DemoRefusedError("x"),
      new errors.ScaleRefusedError("x"),
      new errors.RebaseRefusedError("x"),
    ])
      expect(exitCodeOf(refused)).toBe(7);
    expect(exitCodeOf(new errors.MigrationError("m", "0001_x", 0, "select 1", null))).toBe(1);
    expect(exitCodeOf(new Error("anything else"))).toBe(1);
    expect(exitCodeOf("not even an error")).toBe(1);
    expect(failureLine(new errors.ResetRefusedError("no"))).toBe("refused: no");
    expect(failureLine(new errors.UsageError("bad"))).toBe("usage error: bad");
    expect(failureLine(new Error("boom"))).toBe("error: boom");
  });

  it("toJSON: code, message, identifiers; never the cause or a query parameter", async () => {
    await loadConstraintCatalogue();
    const secret = "sk-live-PARAM-4242";
    const driver = Object.assign(new Error("duplicate key value violates unique constraint"), {
      code: "23505",
      constraint_name: "users_email_key",
      table_name: "users",
      detail: `Key (email)=(${secret}) already exists.`,
    });
    const wrapped = new DrizzleQueryError("insert into users (email) values ($1)", [secret], driver);
    expect(wrapped.message).toContain(secret); // drizzle's own message lists the parameters
    const typed = toDbError(wrapped) as errors.UniqueViolationError;
    expect(typed).toBeInstanceOf(errors.UniqueViolationError);
    const json = typed.toJSON();
    expect(json).toMatchObject({
      name: "UniqueViolationError",
      code: "UNIQUE_VIOLATION",
      retryable: false,
      field: "email",
      table: "users",
      constraint: "users_email_key",
      columns: ["email"],
      sqlState: "23505",
    });
    expect(JSON.stringify(typed)).not.toContain(secret);
    expect(Object.keys(json)).not.toContain("cause");

    const validation = new errors.ValidationError([{ path: "lines.0.qty", message: "Too small" }]);
    expect(validation.toJSON()).toMatchObject({ code: "VALIDATION_FAILED", field: "lines.0.qty" });
    const migration = new errors.MigrationError("failed", "0007_x", 2, "select 1", new Error(secret));
    expect(migration.toJSON()).toMatchObject({ path: "0007_x.sql", tag: "0007_x", statementIndex: 2 });
    expect(JSON.stringify(migration)).not.toContain(secret);
  });

  it("serialization failures and deadlocks are typed and retryable", () => {
    for (const code of ["40001", "40P01"]) {
      const typed = toDbError(Object.assign(new Error("x"), { code }));
      expect(typed).toBeInstanceOf(errors.SerializationFailureError);
      expect((typed as errors.NetOpsError).retryable).toBe(true);
    }
  });
});
