/**
 * One entry point behind the npm scripts: `tsx src/cli.ts <command> [options]`.
 * The database is DATABASE_URL when set, the embedded PGlite database otherwise.
 * Errors print one line (no stack) and exit non-zero.
 */

import { seedCommands } from "../seed/commands.js";
import { createDb, DatabaseConnectionError, type DbHandle, NO_TIMEOUTS } from "./db.js";
import { type MigrationCommand, migrationCommands, UsageError } from "./migrate/commands.js";
import { EXIT } from "./migrate/exit-codes.js";
import { MigrationError } from "./migrate/runner.js";

type Command = (db: DbHandle, args: string[]) => Promise<number>;

/** `standalone` commands get no connection (reset drops the database it would open). */
const commands: Record<string, { help: string; run: Command } | MigrationCommand> = {
  // migrate, status, baseline, drift, reset
  ...migrationCommands,
  // seed, setup (seed/commands.ts)
  ...seedCommands,
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.help}`);
  return `usage: tsx src/cli.ts <command> [options]\n\ncommands:\n${lines.join("\n")}`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(name ? `unknown command: ${name}\n\n${usage()}` : usage());
    return 2;
  }
  if ("standalone" in command) return command.standalone(args);
  // Operator commands (migrate, seed --scale, reset) run for minutes: no application timeouts.
  const handle = await createDb({ ...NO_TIMEOUTS });
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
    if (error instanceof UsageError) {
      console.error(`usage error: ${error.message}\n\n${usage()}`);
      process.exitCode = EXIT.usage;
      return;
    }
    if (error instanceof DatabaseConnectionError || error instanceof MigrationError) {
      console.error(`error: ${error.message}`);
    } else {
      console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    }
    process.exitCode = 1;
  },
);
