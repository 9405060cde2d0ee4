/**
 * CLI commands of the seeds (registered in src/cli.ts):
 *   seed [--demo] [--force] [--seed <n>]   reference data (always), then the demo data set
 *   seed --scale <factor> [--seed <n>] [--force]   the production-shaped data set (seed/scale/)
 *   setup                                   migrate, then the reference data (`npm run db:setup`)
 * Exit codes follow src/migrate/exit-codes.ts: 0 ok, 1 error, 2 usage, 7 refused (demo on a non-local host).
 */
import { parseArgs } from "node:util";
import type { DbHandle } from "../src/db.js";
import { ValidationError } from "../src/errors.js";
import { EXIT } from "../src/migrate/exit-codes.js";
import { migrate } from "../src/migrate/runner.js";
import { DemoRefusedError, seedDemo } from "./demo.js";
import { seedReference } from "./load-reference.js";
import { formatReport, type SeedReport } from "./upsert.js";

type SeedCommand = { help: string; run: (handle: DbHandle, args: string[]) => Promise<number> };

class SeedUsageError extends Error {}

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
    console.error("usage error: --seed takes an integer");
    return EXIT.usage;
  }
  if (values.scale !== undefined) {
    if (values.demo) {
      console.error("usage error: --scale and --demo are separate data sets; pass one");
      return EXIT.usage;
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
    if (error instanceof DemoRefusedError) {
      console.error(`refused: ${error.message}`);
      return EXIT.refused;
    }
    if (error instanceof ValidationError) {
      console.error(`error: seed data is invalid: ${error.message}`);
      return EXIT.error;
    }
    throw error;
  }
}

export const seedCommands: Record<string, SeedCommand> = {
  seed: {
    help: "load the reference data idempotently; --demo adds the demo data set, --scale <factor> the production-shaped one (local hosts; --force, --seed <n>)",
    run: async (handle, args) => {
      try {
        return await runSeed(handle, args);
      } catch (error) {
        if (!(error instanceof SeedUsageError)) throw error;
        console.error(`usage error: ${error.message}`);
        return EXIT.usage;
      }
    },
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
