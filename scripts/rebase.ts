/**
 * `npm run db:rebase [-- --onto <ref>] [--dry-run]`: rebuild drizzle/ as the base branch's
 * migrations followed by this branch's, renumbered (scripts/lib/rebase.ts says how).
 * Exit: 0 done, 1 failed (drizzle/ put back), 2 usage / no base, 7 refused (nothing changed).
 */

import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { EXIT, exitCodeOf, failureLine } from "../src/errors/exit-codes.js";
import { RebaseFailedError, RebaseRefusedError, RebaseUsageError } from "../src/errors/operational.js";
import type { RebaseResult } from "./lib/rebase.js";

const USAGE = "usage: npm run db:rebase [-- --onto <ref>] [--dry-run]";

function report(r: RebaseResult): void {
  const say = (line: string) => console.log(line);
  if (r.upToDate) {
    say(
      `db:rebase: drizzle/ already holds ${r.base.ref}'s migrations followed by this branch's; nothing to do`,
    );
    return;
  }
  if (r.dryRun) {
    say("dry run: nothing written");
    return;
  }
  say(
    `db:rebase onto ${r.base.ref} (${r.base.sha.slice(0, 10)}): its ${r.baseCount} migrations kept exactly`,
  );
  const width = Math.max(0, ...r.renumbered.map((x) => x.from.tag.length));
  for (const x of r.renumbered) {
    const what =
      x.to === null
        ? "dropped: the base already makes this change"
        : x.how === "custom"
          ? "custom, SQL carried over byte for byte"
          : `${x.how === "generated" ? "generated from the schema code" : "replayed on the base by drizzle-kit's differ"}, ` +
            (x.identical
              ? "SQL identical"
              : `SQL DIFFERS from the branch's: review it (the branch's: ${x.from.rev ? `git show ${x.from.rev.slice(0, 10)}:drizzle/${x.from.tag}.sql` : `${r.backup}/drizzle/${x.from.tag}.sql`})`);
    say(`  ${x.from.tag.padEnd(width)} -> ${(x.to ?? "-").padEnd(width)}  ${what}`);
  }
  if (r.renumbered.length === 0) say("  (no migrations of this branch's own: drizzle/ is the base's)");
  if (r.pending) {
    say(
      `note: the schema code has changes no migration covers (${r.pending}): run \`npm run db:generate -- --name <what_changed>\``,
    );
  }
  if (r.appliedIn) {
    const changed = r.renumbered.filter((x) => r.appliedIn?.tags.includes(x.from.tag) && !x.identical);
    say(
      `your database ${r.appliedIn.target} ran ${r.appliedIn.tags.join(", ")} under the old numbers: ` +
        (changed.length === 0
          ? "their SQL is unchanged, so it counts them as applied; `npm run db:migrate` applies the base's new migrations"
          : `${changed.map((x) => x.from.tag).join(", ")} changed, so \`npm run db:status\` will show unknown history (exit 5): \`npm run db:reset\``),
    );
  }
  if (r.backup) say(`the previous drizzle/ is kept in ${r.backup}`);
  say("drizzle/ is staged: review `git diff --cached -- drizzle`, then commit (or `git rebase --continue`)");
}

async function main(argv: string[]): Promise<number> {
  let values: { onto?: string | undefined; "dry-run"?: boolean | undefined };
  try {
    values = parseArgs({
      args: argv,
      options: { onto: { type: "string" }, "dry-run": { type: "boolean" } },
      allowPositionals: false,
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  let lib: typeof import("./lib/rebase.js");
  try {
    lib = await import("./lib/rebase.js");
  } catch (error) {
    // The project's code (the schema) does not even load: typically conflict markers left in it.
    // (Plain git here: scripts/lib/git.ts loads the same code.)
    let unmerged = "";
    try {
      unmerged = execFileSync("git", ["diff", "--name-only", "--diff-filter=U"], { encoding: "utf8" }).trim();
    } catch {}
    console.error(
      `db:rebase refused: the project's code does not load (${(error as Error).message.split("\n")[0]}).` +
        (unmerged ? ` Resolve the conflicts in: ${unmerged.split("\n").join(", ")}` : ""),
    );
    return EXIT.refused;
  }
  const { rebaseMigrations } = lib;
  try {
    const result = await rebaseMigrations({
      cwd: process.cwd(),
      onto: values.onto,
      dryRun: values["dry-run"] === true,
      log: (line) => console.log(`  ${line}`),
    });
    report(result);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof RebaseUsageError) console.error(`db:rebase: ${error.message}\n${USAGE}`);
    else if (error instanceof RebaseRefusedError) console.error(`db:rebase refused: ${error.message}`);
    else if (error instanceof RebaseFailedError) console.error(`db:rebase failed: ${error.message}`);
    else throw error;
    return exitCodeOf(error);
  }
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
