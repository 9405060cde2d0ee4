/**
 * `npm run db:rollback -- --to <tag> | --steps <n> [--allow-data-loss] [--dry-run] [--migrations <dir>]`
 * (src/migrate/rollback.ts), with migrate's session options (`--lock-timeout`, `--statement-timeout`,
 * `--retries`). Exit 0 rolled back (or nothing to do), 1 a down statement failed (nothing changed),
 * 2 usage, 7 refused before anything ran (data loss, irreversible or missing down, below the
 * baseline, edited files), 8 a lock timeout on every attempt (nothing changed).
 */
import { parseArgs } from "node:util";
import type { DbHandle } from "../db.js";
import { EXIT } from "../errors/exit-codes.js";
import { LockTimeoutError } from "../errors/operational.js";
// A cycle (commands.ts registers this command), safe: used only inside run(), never at load.
import { SESSION_OPTIONS, sessionOptions } from "./commands.js";

const USAGE =
  "usage: npm run db:rollback -- --to <tag> | --steps <n> [--allow-data-loss] [--dry-run] [--lock-timeout 5s] [--statement-timeout <t>] [--retries 3] [--migrations <dir>]";

export const rollbackCommand = {
  help: "run the down migrations of the newest applied migrations (--to <tag> | --steps <n>; refuses data loss unless --allow-data-loss)",
  run: async ({ db, target }: DbHandle, args: string[]): Promise<number> => {
    let values: ReturnType<typeof parse>;
    let session: ReturnType<typeof sessionOptions>;
    try {
      values = parse(args);
      session = sessionOptions(values);
    } catch (error) {
      console.error(`usage error: ${(error as Error).message}\n${USAGE}`);
      return EXIT.usage;
    }
    const steps = values.steps === undefined ? undefined : Number(values.steps);
    // Loaded here, not with the CLI: rollback pulls in the SQL parser and the typed errors (which load
    // the schema modules); db:migrate and db:status start without them (issue 15's start-up time).
    const { RollbackError, RollbackRefusedError, rollback } = await import("./rollback.js");
    const { formatLoss } = await import("./data-loss.js");
    console.log(`${values["dry-run"] ? "rollback plan for" : "rolling back"} ${target}`);
    try {
      const report = await rollback(db, {
        ...(typeof values.migrations === "string" ? { migrationsFolder: values.migrations } : {}),
        ...(typeof values.to === "string" ? { to: values.to } : {}),
        ...(steps !== undefined ? { steps } : {}),
        ...session,
        allowDataLoss: values["allow-data-loss"] === true,
        dryRun: values["dry-run"] === true,
        log: (line) => console.log(`  ${line}`),
      });
      const tags = report.migrations.map((m) => m.tag).join(", ");
      if (report.dryRun) console.log(`dry run: would roll back ${tags || "nothing"}; nothing was changed`);
      else if (report.migrations.length > 0)
        console.log(`rolled back ${report.migrations.length} migration(s): ${tags}`);
      return EXIT.ok;
    } catch (error) {
      if (error instanceof RollbackError) {
        console.error(`error: ${error.message}`);
        return EXIT.error;
      }
      if (error instanceof LockTimeoutError) {
        console.error(`error: ${error.message}; nothing was rolled back`);
        return EXIT.lockTimeout;
      }
      if (!(error instanceof RollbackRefusedError)) throw error;
      if (error.reason === "usage") {
        console.error(`usage error: ${error.message}\n${USAGE}`);
        return EXIT.usage;
      }
      console.error(`refused: ${error.message}`);
      for (const loss of error.losses.filter((l) => l.rows === 0))
        console.error(`  (no data: ${formatLoss(loss)})`);
      return EXIT.refused;
    }
  },
};

function parse(args: string[]) {
  return parseArgs({
    args,
    options: {
      to: { type: "string" },
      steps: { type: "string" },
      "allow-data-loss": { type: "boolean" },
      "dry-run": { type: "boolean" },
      migrations: { type: "string" },
      ...SESSION_OPTIONS,
    },
    allowPositionals: false,
  }).values;
}
