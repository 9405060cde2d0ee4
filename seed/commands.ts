/**
 * CLI commands of the seeds (registered in src/cli.ts):
 *   seed [--demo] [--force] [--seed <n>]   reference data (always), then the demo data set
 *   seed --scale <factor> [--seed <n>] [--force]   the production-shaped data set (seed/scale/)
 *   setup                                   migrate, then the reference data (`npm run db:setup`)
 * Exit codes follow src/errors/exit-codes.ts: 0 ok, 1 error, 2 usage, 7 refused (demo on a non-local host).
 */

import { parseArgs } from "node:util";
import type { DbHandle } from "../src/db.js";
import { ValidationError } from "../src/errors/base.js";
import { EXIT, exitCodeOf } from "../src/errors/exit-codes.js";
import { SeedUsageError } from "../src/errors/operational.js";
import { migrate } from "../src/migrate/runner.js";
import { seedDemo } from "./demo.js";
import { seedReference } from "./load-reference.js";
import { formatReport, type SeedReport } from "./upsert.js";

type SeedCommand = { help: string; run: (handle: DbHandle, args: string[]) => Promise<number> };

function printReport(title: string, report: SeedReport): void {
  console.log(title);
  for (const line of formatReport(report)) console.log(`  ${line}`);
}

async function runSeed(handle: DbHandle, args: string[]): Promise<number> {
  const { db, target } = handle;
  let values: { demo?: boolean; force?: boolean; seed?: string; scale?: string };
  try {
    values = parseArgs({
      args,
      options: {
        demo: { type: "boolean" },
        force: { type: "boolean" },
        seed: { type: "string" },
        scale: { type: "string" },
      },
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new SeedUsageError((error as Error).message);
  }
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isSafeInteger(seed)) {
    throw new SeedUsageError("--seed takes an integer");
  }
  if (values.scale !== undefined) {
    if (values.demo) {
      throw new SeedUsageError("--scale and --demo are separate data sets; pass one");
    }
    // Loaded on demand: the other commands (migrate above all) do not pay for the scale generator.
    const { runScaleSeed } = await import("./scale/command.js");
    return runScaleSeed(handle, { factor: values.scale, seed, force: values.force === true });
  }
  try {
    if (!values.demo) {
      printReport(`reference data -> ${target}`, await seedReference(db));
      return EXIT.ok;
    }
    const demo = await seedDemo(db, {
      force: values.force === true,
      ...(seed === undefined ? {} : { seed }),
    });
    printReport(`reference data -> ${target}`, demo.reference);
    if (demo.skipped) {
      console.log("demo data already present (DEMO-* assets); nothing written");
    } else {
      console.log("demo data inserted:");
      for (const [table, n] of Object.entries(demo.inserted)) console.log(`  ${table.padEnd(22)} ${n}`);
    }
    return EXIT.ok;
  } catch (error) {
    // Anything else (a refusal on a non-local host: DemoRefusedError) reaches src/cli.ts.
    if (!(error instanceof ValidationError)) throw error;
    console.error(`error: seed data is invalid: ${error.message}`);
    return exitCodeOf(error);
  }
}

export const seedCommands: Record<string, SeedCommand> = {
  seed: {
    help: "load the reference data idempotently; --demo adds the demo data set, --scale <factor> the production-shaped one (local hosts; --force, --seed <n>)",
    run: runSeed,
  },
  setup: {
    help: "migrate, then load the reference data (npm run db:setup)",
    run: async ({ db, target }) => {
      console.log(`migrating ${target}`);
      await migrate(db, { log: (line) => console.log(`  ${line}`) });
      printReport(`reference data -> ${target}`, await seedReference(db));
      return EXIT.ok;
    },
  },
};
