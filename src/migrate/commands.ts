/**
 * The migration commands of src/cli.ts: migrate, status, baseline, drift, reset. Each returns its
 * exit code (src/migrate/exit-codes.ts). Every command takes `--migrations <dir>` (default ./drizzle).
 */
import { parseArgs } from "node:util";
import type { DbHandle } from "../db.js";
import { baseline } from "./baseline.js";
import { driftReport, formatDrift, type ReferenceTarget } from "./drift.js";
import { EXIT } from "./exit-codes.js";
import { assertResettable, ResetRefusedError, resetDatabase } from "./reset.js";
import { rollbackCommand } from "./rollback-command.js";
import { ModifiedMigrationError, migrate } from "./runner.js";
import { formatStatus, migrationStatus, statusExitCode, statusJson } from "./status.js";
import { supersededNote } from "./superseded.js";

export type MigrationCommand =
  | { help: string; run: (handle: DbHandle, args: string[]) => Promise<number> }
  /** Runs without the CLI's connection (reset drops the database it would connect to). */
  | { help: string; standalone: (args: string[]) => Promise<number> };

export class UsageError extends Error {
  override name = "UsageError";
}

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

/** Where drift and baseline build their reference: beside the live database. */
function referenceTarget(handle: DbHandle): ReferenceTarget {
  const url = process.env.DATABASE_URL;
  return handle.driver === "postgres" && url ? { driver: "postgres", url } : { driver: "pglite" };
}

const folderOf = (values: { migrations?: unknown }) =>
  typeof values.migrations === "string" ? { migrationsFolder: values.migrations } : {};

export const migrationCommands: Record<string, MigrationCommand> = {
  migrate: {
    help: "apply pending migrations (locked, one transaction); --accept-modified <tag> re-records an edited one",
    run: async ({ db, target }, args) => {
      const values = parse(args, {
        "accept-modified": { type: "string", multiple: true },
        to: { type: "string" },
      });
      console.log(`migrating ${target}`);
      try {
        await migrate(db, {
          ...folderOf(values),
          log: say,
          acceptModified: (values["accept-modified"] as string[] | undefined) ?? [],
          ...(typeof values.to === "string" ? { to: values.to } : {}),
        });
      } catch (error) {
        if (!(error instanceof ModifiedMigrationError)) throw error;
        console.error(`error: ${error.message}`);
        for (const m of error.modified) {
          const note = supersededNote(m.tag, m.recordedHash);
          if (note) console.error(`${m.tag}: ${note}`);
        }
        return EXIT.modified;
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
      const url = process.env.DATABASE_URL;
      try {
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
      } catch (error) {
        if (!(error instanceof ResetRefusedError)) throw error;
        console.error(`refused: ${error.message}`);
        return EXIT.refused;
      }
    },
  },
};
