/**
 * `npm run db:generate [-- <drizzle-kit generate options>]` (`--name add_x`, `--custom`, ...) and
 * `npm run migrations:check` (this script with `--check`, the CI gate).
 *
 * generate: refuses a migration folder that is not one linear chain (src/migrate/chain.ts), runs
 *   drizzle-kit generate (scripts/lib/drizzle-kit.ts: on a terminal with its rename prompts,
 *   elsewhere reading its output), and exits non-zero unless drizzle-kit wrote a migration or said
 *   "No schema changes". drizzle-kit itself exits 0 after a rename prompt it could not show.
 * --check: writes nothing and passes only when the chain is linear, drizzle-kit (run on a copy of
 *   drizzle/) says "No schema changes", and git shows drizzle/ unchanged (nothing uncommitted).
 *
 * Exit: 0 ok, 1 failed (the reason in one line), 2 cannot run (bad options; under CI=true also:
 * not a git checkout, so the committed state cannot be seen).
 */
import { resolve } from "node:path";
import { MIGRATIONS_FOLDER } from "../src/config.js";
import { EXIT, exitCodeOf, failureLine } from "../src/errors/exit-codes.js";
import { checkChain, formatChainProblems } from "../src/migrate/chain.js";
import { drizzleKitGenerate, pendingSchemaChanges } from "./lib/drizzle-kit.js";

const folder = MIGRATIONS_FOLDER.replace(/^\.\//, "");

function chainOk(label: string): boolean {
  const report = checkChain(resolve(folder));
  if (report.problems.length === 0) return true;
  console.error(`${label}: ${formatChainProblems(report, folder)}`);
  return false;
}

async function generate(args: string[]): Promise<number> {
  if (!chainOk("db:generate")) return EXIT.error;
  const run = await drizzleKitGenerate(args, { cwd: process.cwd(), folder, echo: true });
  const { outcome } = run;
  if (outcome.kind === "failed") {
    console.error(`db:generate: ${outcome.reason}; nothing was written`);
    return EXIT.error;
  }
  if (outcome.kind === "nothing") {
    console.log("db:generate: no schema changes, nothing written");
    return EXIT.ok;
  }
  if (!chainOk("db:generate")) return EXIT.error;
  console.log(
    `db:generate: wrote ${folder}/${outcome.tag}.sql${outcome.custom ? " (custom: write its SQL by hand)" : ""}; review it, then commit it with ${folder}/meta/`,
  );
  return EXIT.ok;
}

async function check(): Promise<number> {
  const ci = process.env.CI === "true";
  if (!chainOk("migrations:check")) return EXIT.error;
  const outcome = await pendingSchemaChanges(process.cwd(), folder);
  if (outcome.kind !== "nothing") {
    const reason = outcome.kind === "failed" ? outcome.reason : "drizzle-kit would write a migration";
    console.error(
      `migrations:check: drizzle-kit generate did not report "No schema changes": ${reason}.\n` +
        "  fix: `npm run db:generate -- --name <what_changed>` (in a terminal), then commit drizzle/",
    );
    return EXIT.error;
  }
  const cwd = process.cwd();
  const { Git, gitRoot } = await import("./lib/git.js"); // only the check needs git
  if (!gitRoot(cwd)) {
    const message = "migrations:check: not a git checkout, cannot see whether drizzle/ is committed";
    if (ci) {
      console.error(`${message} (CI=true: failing)`);
      return EXIT.usage;
    }
    console.warn(`warning: ${message}`);
  } else {
    const changed = new Git(cwd).status(folder);
    if (changed.length > 0) {
      console.error(
        `migrations:check: ${folder}/ has changes git does not have committed:\n${changed.map((l) => `  ${l}`).join("\n")}\nCommit them (CI checks the committed migrations).`,
      );
      return EXIT.error;
    }
  }
  const { entries } = checkChain(resolve(folder));
  console.log(
    `migrations:check: pass (${entries.length} migrations in one linear chain; drizzle-kit generate: no schema changes${gitRoot(cwd) ? `; ${folder}/ committed` : ""})`,
  );
  return EXIT.ok;
}

async function main(argv: string[]): Promise<number> {
  if (!argv.includes("--check")) return generate(argv);
  if (argv.length > 1) {
    console.error("usage: tsx scripts/generate.ts --check (takes no other option)");
    return EXIT.usage;
  }
  return check();
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(failureLine(error));
    process.exitCode = exitCodeOf(error);
  },
);
