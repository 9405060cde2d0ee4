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
    await closeForExit(handle);
  }
}

/** Set once the connections are closing and the process has nothing left to wait for. */
let exitNow = false;

/**
 * Close the command's connections the way psql does (PQfinish): the Terminate message sent, the
 * process then ends without waiting for each backend to exit and close its side of the socket,
 * which postgres.js's end() waits for (70-115 ms at load 12; the migration lock and settings were
 * already released by the session). PGlite's close writes the database out: awaited whole.
 */
async function closeForExit(handle: DbHandle): Promise<void> {
  const closing = handle.close();
  if (handle.driver !== "postgres") return closing;
  closing.catch(() => {}); // the process ends either way
  // end() sends every idle connection's Terminate once its first await is past: a macrotask later.
  await new Promise((resolve) => setImmediate(resolve));
  exitNow = true;
}

/** Exit with `code` once stdout and stderr are written out (pipes are asynchronous on macOS). */
function finish(code: number): void {
  process.exitCode = code;
  if (!exitNow) return; // ends by itself when the event loop is empty
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write("", done);
  process.stderr.write("", done);
}

main(process.argv.slice(2)).then(finish, async (error: unknown) => {
  // One line (no stack), exit code from the one table (src/errors/exit-codes.ts).
  const code = exitCodeOf(error);
  if (code === EXIT.usage) console.error(`${failureLine(error)}\n\n${await usage()}`);
  else console.error(failureLine(error));
  finish(code);
});
