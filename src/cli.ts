/**
 * One entry point behind the npm scripts: `tsx src/cli.ts <command> [options]`.
 * The database is DATABASE_URL when set, the embedded PGlite database otherwise.
 * Errors print one line (no stack) and exit non-zero.
 */

import { seedCommands } from "../seed/commands.js";
import { createDb, type DbHandle } from "./db.js";
import { EXIT, exitCodeOf, failureLine } from "./errors/exit-codes.js";
import { type MigrationCommand, migrationCommands } from "./migrate/commands.js";

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
    return EXIT.usage;
  }
  if ("standalone" in command) return command.standalone(args);
  const handle = await createDb();
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
    console.error(code === EXIT.usage ? `${failureLine(error)}\n\n${usage()}` : failureLine(error));
    process.exitCode = code;
  },
);
