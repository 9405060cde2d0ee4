/**
 * The migration commands of src/cli.ts: migrate, status, baseline, drift, reset. Each returns its
 * exit code (src/errors/exit-codes.ts). Every command takes `--migrations <dir>` (default ./drizzle).
 *
 * baseline and drift load their modules (the catalog queries, the SQL normaliser: a third of the
 * migration code) when they run, so `db:migrate` and `db:status` do not load them (issue 15).
 */

import { parseArgs } from "node:util";
import { envDatabaseUrl } from "../config.js";
import type { DbHandle } from "../db.js";
import { EXIT, exitCodeOf } from "../errors/exit-codes.js";
import { ModifiedMigrationError, UsageError } from "../errors/operational.js";
import type { ReferenceTarget } from "./drift.js";
import { assertResettable, resetDatabase } from "./reset.js";
import { rollbackCommand } from "./rollback-command.js";
import { DEFAULT_RETRIES, migrate } from "./runner.js";
import { DEFAULT_LOCK_TIMEOUT_MS } from "./session.js";
import { formatStatus, migrationStatus, statusExitCode, statusJson } from "./status.js";
import { supersededNote } from "./superseded.js";

export type MigrationCommand =
  | { help: string; run: (handle: DbHandle, args: string[]) => Promise<number> }
  /** Runs without the CLI's connection (reset drops the database it would connect to). */
  | { help: string; standalone: (args: string[]) => Promise<number> };

type Options = NonNullable<Parameters<typeof parseArgs>[0]>["options"];

function parse<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({
      args,
      options: { ...options, migrations: { type: "string" } },
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const say = (line: string) => console.log(`  ${line}`);

const UNITS: Record<string, number> = { ms: 1, s: 1000, min: 60_000 };

/** `--lock-timeout 5s` / `500ms` / `2min` / `5000` (ms, PostgreSQL's unit for both settings); 0 = none. */
export function parseDuration(option: string, value: string): number {
  const match = /^(\d+)\s*(ms|s|min)?$/.exec(value.trim());
  if (!match)
    throw new UsageError(`--${option} ${value}: expected a duration such as 5s, 500ms, 2min (0 = none)`);
  return Number(match[1]) * (UNITS[match[2] ?? "ms"] ?? 1);
}

function parseCount(option: string, value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--${option} ${value}: expected a whole number >= 0`);
  return Number(value);
}

/** The migration session options shared by the commands that change the schema (migrate, rollback). */
export const SESSION_OPTIONS = {
  "lock-timeout": { type: "string" },
  "statement-timeout": { type: "string" },
  retries: { type: "string" },
} as const;

export function sessionOptions(
  values: { [K in keyof typeof SESSION_OPTIONS]?: string | boolean | (string | boolean)[] },
) {
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  const lock = text(values["lock-timeout"]);
  const statement = text(values["statement-timeout"]);
  const retries = text(values.retries);
  return {
    lockTimeoutMs: lock === undefined ? DEFAULT_LOCK_TIMEOUT_MS : parseDuration("lock-timeout", lock),
    ...(statement === undefined ? {} : { statementTimeoutMs: parseDuration("statement-timeout", statement) }),
    retries: retries === undefined ? DEFAULT_RETRIES : parseCount("retries", retries),
  };
}

/** Where drift and baseline build their reference: beside the live database. */
function referenceTarget(handle: DbHandle): ReferenceTarget {
  const url = envDatabaseUrl();
  return handle.driver === "postgres" && url ? { driver: "postgres", url } : { driver: "pglite" };
}

const folderOf = (values: { migrations?: unknown }) =>
  typeof values.migrations === "string" ? { migrationsFolder: values.migrations } : {};

export const migrationCommands: Record<string, MigrationCommand> = {
  migrate: {
    help:
      "apply pending migrations, each in its own transaction (--single-transaction: all in one); " +
      "--lock-timeout 5s, --statement-timeout, --retries 3; --accept-modified <tag> re-records an edited one",
    run: async ({ db, target }, args) => {
      const values = parse(args, {
        "accept-modified": { type: "string", multiple: true },
        to: { type: "string" },
        "single-transaction": { type: "boolean" },
        ...SESSION_OPTIONS,
      });
      const session = sessionOptions(values);
      console.log(
        `migrating ${target} (lock timeout ${session.lockTimeoutMs} ms, ${session.retries} retries` +
          `${session.statementTimeoutMs ? `, statement timeout ${session.statementTimeoutMs} ms` : ""}` +
          `${values["single-transaction"] === true ? ", single transaction" : ""})`,
      );
      try {
        await migrate(db, {
          ...folderOf(values),
          ...session,
          log: say,
          singleTransaction: values["single-transaction"] === true,
          acceptModified: (values["accept-modified"] as string[] | undefined) ?? [],
          ...(typeof values.to === "string" ? { to: values.to } : {}),
        });
      } catch (error) {
        // A LockTimeoutError reaches src/cli.ts: "error: ..." naming the blocker, exit 8.
        if (!(error instanceof ModifiedMigrationError)) throw error;
        console.error(`error: ${error.message}`);
        for (const m of error.modified) {
          const note = supersededNote(m.tag, m.recordedHash);
          if (note) console.error(`${m.tag}: ${note}`);
        }
        return exitCodeOf(error);
      }
      return EXIT.ok;
    },
  },
  status: {
    help: "applied / pending / modified migrations; exit 0 only when up to date (--json)",
    run: async ({ db, target }, args) => {
      const values = parse(args, { json: { type: "boolean" } });
      const report = await migrationStatus(db, folderOf(values));
      if (values.json) console.log(JSON.stringify({ target, ...statusJson(report) }, null, 2));
      else console.log(`migration status of ${target}\n${formatStatus(report)}`);
      return statusExitCode(report);
    },
  },
  baseline: {
    help: "adopt an existing database: if it matches migrations up to --to <tag> (default the first), record them",
    run: async (handle, args) => {
      const values = parse(args, { to: { type: "string" } });
      console.log(`baseline ${handle.target}`);
      const [{ baseline }, { formatDrift }] = await Promise.all([
        import("./baseline.js"),
        import("./drift.js"),
      ]);
      const result = await baseline(handle.db, referenceTarget(handle), {
        ...folderOf(values),
        ...(typeof values.to === "string" ? { to: values.to } : {}),
        log: say,
      });
      if (result.status === "baselined") {
        console.log(
          `baselined: ${result.recorded.join(", ")} recorded as applied; run db:migrate for the rest`,
        );
        return EXIT.ok;
      }
      if (result.status === "refused") {
        console.error(`refused: ${result.reason}`);
        return EXIT.refused;
      }
      console.error(
        `${formatDrift(result.drift, result.notes)}\n\nthe schema differs (${result.drift.length} difference(s)); nothing was changed`,
      );
      return EXIT.drift;
    },
  },
  drift: {
    help: "compare the live schema with a scratch database migrated from drizzle/; exit 6 on drift (--json)",
    run: async (handle, args) => {
      const values = parse(args, { json: { type: "boolean" } });
      const { driftReport, formatDrift } = await import("./drift.js");
      const { items: drift, notes } = await driftReport(handle.db, referenceTarget(handle), {
        ...folderOf(values),
        log: values.json ? undefined : say,
      });
      if (values.json) console.log(JSON.stringify({ target: handle.target, drift, notes }, null, 2));
      else if (drift.length === 0) {
        console.log(`no drift: ${handle.target} matches the migrations`);
        for (const note of notes) console.log(`note: ${note}`);
      } else
        console.log(
          `drift in ${handle.target}:\n${formatDrift(drift, notes)}\n${drift.length} difference(s)`,
        );
      return drift.length === 0 ? EXIT.ok : EXIT.drift;
    },
  },
  rollback: rollbackCommand,
  reset: {
    help: "development: drop and recreate the database, migrate, seed; non-local hosts need --force",
    standalone: async (args) => {
      const values = parse(args, { force: { type: "boolean" }, "no-seed": { type: "boolean" } });
      const url = envDatabaseUrl();
      // A refusal (ResetRefusedError) reaches src/cli.ts: "refused: ...", exit 7.
      if (url) assertResettable(url, values.force === true);
      const result = await resetDatabase({
        url,
        force: values.force === true,
        seed: values["no-seed"] !== true,
        ...folderOf(values),
        log: say,
      });
      console.log(
        `reset ${result.target}: ${result.applied.length} migration(s) applied${result.seeded ? ", seeded" : ""}`,
      );
      return EXIT.ok;
    },
  },
};
