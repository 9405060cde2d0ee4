/**
 * `npm run db:generate [-- <drizzle-kit generate options>]` (`--name add_x`, `--custom`, ...) and
 * `npm run migrations:check` (this script with `--check`, the CI gate).
 *
 * generate: refuses a migration folder that is not one linear chain (src/migrate/chain.ts), runs
 *   drizzle-kit generate (scripts/lib/drizzle-kit.ts: on a terminal with its rename prompts,
 *   elsewhere reading its output), and exits non-zero unless drizzle-kit wrote a migration or said
 *   "No schema changes". drizzle-kit itself exits 0 after a rename prompt it could not show.
 *   Then the down migrations (scripts/lib/downs.ts): every migration without `<tag>.down.sql` gets
 *   one (generated from the snapshots, or a template to write by hand for a custom migration), and
 *   new downs are recorded in drizzle/meta/_downs.json; `--accept-down <tag>` (repeatable)
 *   re-records a down edited after it was recorded. Exit 1 while a down is still to be written.
 * --check: writes nothing and passes only when the chain is linear, every migration has a recorded
 *   down (or the irreversible marker) matching its file, drizzle-kit (run on a copy of drizzle/)
 *   says "No schema changes", and git shows drizzle/ unchanged (nothing uncommitted).
 *
 * Exit: 0 ok, 1 failed (the reason in one line), 2 cannot run (bad options; under CI=true also:
 * not a git checkout, so the committed state cannot be seen).
 */
import { resolve } from "node:path";
import { MIGRATIONS_FOLDER } from "../src/config.js";
import { EXIT, exitCodeOf, failureLine } from "../src/errors/exit-codes.js";
import { checkChain, formatChainProblems } from "../src/migrate/chain.js";
import { downAccepted, readDown, readDownRecord } from "../src/migrate/downs.js";
import { readJournal } from "../src/migrate/journal.js";
import { writeDowns } from "./lib/downs.js";
import { drizzleKitGenerate, pendingSchemaChanges } from "./lib/drizzle-kit.js";

const folder = MIGRATIONS_FOLDER.replace(/^\.\//, "");

function chainOk(label: string): boolean {
  const report = checkChain(resolve(folder));
  if (report.problems.length === 0) return true;
  console.error(`${label}: ${formatChainProblems(report, folder)}`);
  return false;
}

/** `--accept-down <tag>` (repeatable) is ours; everything else goes to drizzle-kit. */
function splitArgs(args: string[]): { kit: string[]; acceptDown: string[] } | null {
  const kit: string[] = [];
  const acceptDown: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--accept-down") {
      const tag = args[++i];
      if (!tag || tag.startsWith("--")) return null;
      acceptDown.push(tag);
    } else if (arg.startsWith("--accept-down=")) acceptDown.push(arg.slice("--accept-down=".length));
    else kit.push(arg);
  }
  return { kit, acceptDown };
}

/**
 * Write the missing downs and record new ones. Exit 1 only for a down that needs a decision (edited
 * or stale: restore it or --accept-down; invalid); a template still to be written is a reminder
 * here, like a new custom migration's empty SQL, and migrations:check fails on it.
 */
async function downs(acceptDown: string[]): Promise<number> {
  const run = await writeDowns(resolve(folder), acceptDown);
  for (const tag of run.generated)
    console.log(`db:generate: wrote ${folder}/${tag}.down.sql (generated from the snapshots; review it)`);
  for (const tag of run.templates)
    console.log(
      `db:generate: wrote ${folder}/${tag}.down.sql: a custom migration, write its down by hand (or mark it irreversible), then run \`npm run db:generate\` to record it`,
    );
  for (const tag of run.recorded)
    console.log(`db:generate: recorded ${folder}/${tag}.down.sql in ${folder}/meta/_downs.json`);
  const pending = run.problems.filter((d) => d.state === "unwritten" && !run.templates.includes(d.tag));
  for (const d of pending) console.log(`db:generate: still to write: ${d.reason}`);
  const blocking = run.problems.filter((d) => d.state !== "unwritten");
  if (blocking.length === 0) return EXIT.ok;
  console.error(
    `db:generate: down migrations need a decision:\n${blocking.map((d) => `  ${d.tag}: ${d.reason}`).join("\n")}`,
  );
  return EXIT.error;
}

async function generate(args: string[]): Promise<number> {
  const split = splitArgs(args);
  if (!split) {
    console.error("usage: npm run db:generate -- [--accept-down <tag>]... [drizzle-kit generate options]");
    return EXIT.usage;
  }
  if (!chainOk("db:generate")) return EXIT.error;
  const run = await drizzleKitGenerate(split.kit, { cwd: process.cwd(), folder, echo: true });
  const { outcome } = run;
  if (outcome.kind === "failed") {
    console.error(`db:generate: ${outcome.reason}; nothing was written`);
    return EXIT.error;
  }
  if (outcome.kind === "nothing") {
    console.log("db:generate: no schema changes, no migration written");
    return downs(split.acceptDown);
  }
  if (!chainOk("db:generate")) return EXIT.error;
  console.log(
    `db:generate: wrote ${folder}/${outcome.tag}.sql${outcome.custom ? " (custom: write its SQL by hand)" : ""}; review it, then commit it with ${folder}/meta/`,
  );
  return downs(split.acceptDown);
}

/** Every migration's down is written and recorded as reviewed (nothing written). */
function downsOk(): boolean {
  const record = readDownRecord(resolve(folder));
  const bad = readJournal(resolve(folder))
    .map((f) => readDown(folder, f, record))
    .filter((d) => !downAccepted(d));
  if (bad.length === 0) return true;
  console.error(
    `migrations:check: ${bad.length} migration(s) without a reviewed down:\n${bad.map((d) => `  ${d.tag}: ${d.state}: ${d.reason}`).join("\n")}\n` +
      "  fix: `npm run db:generate` writes missing downs (custom migrations: by hand) and records them; commit drizzle/",
  );
  return false;
}

async function check(): Promise<number> {
  const ci = process.env.CI === "true";
  if (!chainOk("migrations:check")) return EXIT.error;
  if (!downsOk()) return EXIT.error;
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
    `migrations:check: pass (${entries.length} migrations in one linear chain, each with a reviewed down; drizzle-kit generate: no schema changes${gitRoot(cwd) ? `; ${folder}/ committed` : ""})`,
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
