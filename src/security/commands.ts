/**
 * CLI commands of the security layer (registered in src/cli.ts):
 *   roles [--owner-user <n>] [--app-user <n>] [--readonly-user <n>]
 *         passwords from NETOPS_OWNER_PASSWORD / NETOPS_APP_PASSWORD / NETOPS_READONLY_PASSWORD
 *   rotate-key                                   re-encrypt every ai_providers.api_key to the newest key
 *   retention --table <t> --older-than <365d>    owner: delete history older than an age, recorded
 * Exit codes follow src/migrate/exit-codes.ts: 0 ok, 1 error (one `error:` line), 2 usage.
 */
import { parseArgs } from "node:util";
import type { DbHandle } from "../db.js";
import { EXIT } from "../errors/exit-codes.js";
import { UsageError } from "../errors/operational.js";
import { applyRetention, parseAge, RetentionError } from "./retention.js";
import { APP_ROLE, ensureRoles, type GroupRole, type LoginUser, OWNER_ROLE, READONLY_ROLE } from "./roles.js";
import { rotateProviderApiKeys } from "./secrets.js";

type Command = { help: string; run: (handle: DbHandle, args: string[]) => Promise<number> };
type Options = NonNullable<Parameters<typeof parseArgs>[0]>["options"];

function parse<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const USER_OPTIONS: { option: string; role: GroupRole; env: string }[] = [
  { option: "owner-user", role: OWNER_ROLE, env: "NETOPS_OWNER_PASSWORD" },
  { option: "app-user", role: APP_ROLE, env: "NETOPS_APP_PASSWORD" },
  { option: "readonly-user", role: READONLY_ROLE, env: "NETOPS_READONLY_PASSWORD" },
];

export const securityCommands: Record<string, Command> = {
  roles: {
    help: "create the group roles netops_owner/app/readonly and login users (--app-user <name> ...); idempotent",
    run: async ({ db, target }, args) => {
      const values = parse(args, {
        "owner-user": { type: "string" },
        "app-user": { type: "string" },
        "readonly-user": { type: "string" },
      }) as Record<string, string | undefined>;
      const users: LoginUser[] = [];
      for (const { option, role, env } of USER_OPTIONS) {
        const name = values[option];
        if (name === undefined) continue;
        const password = process.env[env];
        users.push(password ? { name, role, password } : { name, role });
      }
      console.log(`roles on ${target}`);
      for (const c of await ensureRoles(db, users))
        console.log(`  ${c.action.padEnd(12)} ${c.role}${c.detail ? ` (${c.detail})` : ""}`);
      return EXIT.ok;
    },
  },
  "rotate-key": {
    help: "re-encrypt every ai_providers.api_key to the newest NETOPS_ENCRYPTION_KEY key, in one transaction",
    run: async ({ db, target }) => {
      const r = await rotateProviderApiKeys(db);
      console.log(`rotate-key on ${target}`);
      console.log(
        `  re-encrypted ${r.reencrypted}, already current ${r.current}, plaintext encrypted ${r.encryptedPlaintext}`,
      );
      return EXIT.ok;
    },
  },
  retention: {
    help: "owner: delete rows of a history table older than an age (--table usage_logs --older-than 365d), recorded in audit_logs",
    run: async ({ db, target }, args) => {
      const values = parse(args, { table: { type: "string" }, "older-than": { type: "string" } });
      if (!values.table || !values["older-than"])
        throw new UsageError("retention needs --table and --older-than");
      let days: number;
      try {
        days = parseAge(values["older-than"]);
      } catch (error) {
        if (error instanceof RetentionError) throw new UsageError(error.message);
        throw error;
      }
      const r = await applyRetention(db, values.table, days);
      console.log(`retention on ${target}`);
      console.log(
        `  ${r.table}: deleted ${r.deleted} row(s) created before ${r.cutoff} (recorded in audit_logs)`,
      );
      return EXIT.ok;
    },
  },
};
