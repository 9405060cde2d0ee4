/**
 * One entry point behind the npm scripts: `tsx src/cli.ts <command> [options]`.
 * The database is DATABASE_URL when set, the embedded PGlite database otherwise.
 * Errors print one line (no stack) and exit non-zero.
 */

import { createDb, type DbHandle, NO_TIMEOUTS } from "./db.js";
import { EXIT, exitCodeOf, failureLine } from "./errors/exit-codes.js";
import { type MigrationCommand, migrationCommands } from "./migrate/commands.js";

type Command = (db: DbHandle, args: string[]) => Promise<number>;
type Commands = Record<string, { help: string; run: Command } | MigrationCommand>;

/**
 * The migration commands (migrate, status, baseline, drift, rollback, reset) are loaded with this file; they
 * send SQL only, so their connection skips the relational API and never loads the schema modules.
 * The others (seed/commands.ts: seed, setup; reference and demo data, validation schemas, domain
 * operations) are loaded only when one of them runs, so `db:migrate` loads none of that (issue 15).
 * `standalone` commands get no connection (reset drops the database it would open).
 */
const loadSeedCommands = async (): Promise<Commands> => ({
  ...(await import("../seed/commands.js")).seedCommands,
  // roles, rotate-key, retention (src/security/commands.ts), loaded the same way.
  ...(await import("./security/commands.js")).securityCommands,
});

async function allCommands(): Promise<Commands> {
  return { ...migrationCommands, ...(await loadSeedCommands()) };
}

async function usage(): Promise<string> {
  const lines = Object.entries(await allCommands()).map(([name, c]) => `  ${name.padEnd(10)} ${c.help}`);
  return `usage: tsx src/cli.ts <command> [options]\n\ncommands:\n${lines.join("\n")}`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const migration = name !== undefined && Object.hasOwn(migrationCommands, name);
  const command = name
    ? migration
      ? (migrationCommands as Commands)[name]
      : (await loadSeedCommands())[name]
    : undefined;
  if (!command) {
    console.error(name ? `unknown command: ${name}\n\n${await usage()}` : await usage());
    return EXIT.usage;
  }
  if ("standalone" in command) return command.standalone(args);
  // Operator commands (migrate, seed --scale, reset) run for minutes: no application timeouts.
  const handle = await createDb({ relational: !migration, ...NO_TIMEOUTS });
  try {
    return await command.run(handle, args);
  } finally {
    await handle.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // One line (no stack), exit code from the one table (src/errors/exit-codes.ts).
    const code = exitCodeOf(error);
    process.exitCode = code;
    if (code === EXIT.usage) void usage().then((text) => console.error(`${failureLine(error)}\n\n${text}`));
    else console.error(failureLine(error));
  },
);
