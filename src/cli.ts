/**
 * One entry point behind the npm scripts: `tsx src/cli.ts <command> [options]`.
 * The database is DATABASE_URL when set, the embedded PGlite database otherwise.
 * Errors print one line (no stack) and exit non-zero.
 */
import { createDb, DatabaseConnectionError, type DbHandle } from "./db.js";
import { MigrationError, migrate } from "./migrate/runner.js";

type Command = (db: DbHandle, args: string[]) => Promise<number>;

const commands: Record<string, { help: string; run: Command }> = {
  migrate: {
    help: "apply pending migrations (advisory-locked, one transaction)",
    run: async ({ db, target }) => {
      console.log(`migrating ${target}`);
      await migrate(db, { log: (line) => console.log(`  ${line}`) });
      return 0;
    },
  },
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
    if (error instanceof DatabaseConnectionError || error instanceof MigrationError) {
      console.error(`error: ${error.message}`);
    } else {
      console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    }
    process.exitCode = 1;
  },
);
