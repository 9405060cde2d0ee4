/** `npm run db:seed -- --scale <factor> [--seed <n>] [--force]` (wired in seed/commands.ts). */

import type { DbHandle } from "../../src/db.js";
import { EXIT } from "../../src/errors/exit-codes.js";
import { SeedUsageError } from "../../src/errors/operational.js";
import { seedScale } from "./load.js";
import { consoleProgress } from "./progress.js";

export async function runScaleSeed(
  handle: DbHandle,
  options: { factor: string; seed: number | undefined; force: boolean },
): Promise<number> {
  const factor = Number(options.factor);
  if (options.factor.trim() === "" || !Number.isFinite(factor) || factor <= 0) {
    throw new SeedUsageError("--scale takes a positive number (1 = 1,000,000 assets)");
  }
  // A refusal (ScaleRefusedError) reaches src/cli.ts: "refused: ...", exit 7.
  console.log(`scale data set, factor ${factor} -> ${handle.target}`);
  const report = await seedScale(handle, {
    factor,
    force: options.force,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    progress: consoleProgress(),
  });
  const rows = report.tables.filter((t) => !t.table.startsWith("(")).reduce((s, t) => s + t.rows, 0);
  console.log(
    `loaded ${rows.toLocaleString("en-US")} rows in ${report.seconds.toFixed(1)} s (seed ${report.seed}; stock ledger checked, tables analyzed)`,
  );
  return EXIT.ok;
}
