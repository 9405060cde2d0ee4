/**
 * The three group roles (NOLOGIN) and their login users. Roles are cluster-wide and managed services
 * differ in who may create them, so this is a command (`npm run db:roles`), not a migration; the
 * grants are per database and come from the migration roles_grants_append_only (which also creates
 * the group roles when missing, so it applies where this command never ran).
 */
import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "../db.js";
import { RoleSetupError } from "../errors/security.js";

export const OWNER_ROLE = "netops_owner";
export const APP_ROLE = "netops_app";
export const READONLY_ROLE = "netops_readonly";
export const GROUP_ROLES = [OWNER_ROLE, APP_ROLE, READONLY_ROLE] as const;
export type GroupRole = (typeof GROUP_ROLES)[number];

export interface LoginUser {
  name: string;
  /** Group role it becomes a member of. */
  role: GroupRole;
  /** Set (or changed) when given; a user created without one can log in only where the server trusts it. */
  password?: string;
}

export interface RoleChange {
  role: string;
  action: "created" | "exists" | "granted" | "password set" | "configured";
  detail?: string;
}

const ROLE_NAME = /^[a-z_][a-z0-9_$]{0,62}$/;

async function roleExists(db: DbOrTx, name: string): Promise<boolean> {
  const [row] = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM pg_roles WHERE rolname = ${name}`,
  );
  return (row?.n ?? 0) > 0;
}

/** Utility statements take no bind parameters: the server quotes identifiers and literals (format %I/%L). */
async function execFormatted(db: DbOrTx, template: string, ...args: string[]): Promise<void> {
  const placeholders = args.map((a) => sql`${a}::text`);
  const [row] = await rows<{ stmt: string }>(
    db,
    sql`SELECT format(${template}::text, ${sql.join(placeholders, sql`, `)}) AS stmt`,
  );
  if (!row) throw new RoleSetupError("format() returned nothing");
  await db.execute(sql.raw(row.stmt));
}

async function createRole(db: DbOrTx, template: string, ...args: string[]): Promise<boolean> {
  try {
    await execFormatted(db, template, ...args);
    return true;
  } catch (error) {
    // Another session created it between our check and CREATE ROLE: it exists, which is what we wanted.
    const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
    if (code === "42710" || code === "23505") return false;
    if (code === "42501")
      throw new RoleSetupError(
        `the connected role may not create roles (needs CREATEROLE): ${args[0] ?? ""}`,
      );
    throw error;
  }
}

/**
 * Create the missing group roles and login users, make each user a member of its group, set
 * passwords given. Idempotent: a second run reports every role as `exists`. An owner login is
 * configured with `SET role = netops_owner`, so what its migrations create is owned by netops_owner
 * (and picked up by the default privileges the migration sets for that role).
 */
export async function ensureRoles(db: DbOrTx, users: readonly LoginUser[] = []): Promise<RoleChange[]> {
  const changes: RoleChange[] = [];
  for (const role of GROUP_ROLES) {
    const created = !(await roleExists(db, role)) && (await createRole(db, "CREATE ROLE %I NOLOGIN", role));
    changes.push({ role, action: created ? "created" : "exists", detail: "group role, NOLOGIN" });
  }
  for (const user of users) {
    if (!ROLE_NAME.test(user.name))
      throw new RoleSetupError(
        `login user name ${JSON.stringify(user.name)}: lower-case letters, digits, _ and $`,
      );
    if ((GROUP_ROLES as readonly string[]).includes(user.name))
      throw new RoleSetupError(`${user.name} is a group role, not a login user`);
    const created =
      !(await roleExists(db, user.name)) &&
      (await createRole(db, "CREATE ROLE %I LOGIN IN ROLE %I", user.name, user.role));
    changes.push({
      role: user.name,
      action: created ? "created" : "exists",
      detail: `login, member of ${user.role}`,
    });
    if (!created) {
      const [member] = await rows<{ ok: boolean }>(
        db,
        sql`SELECT pg_has_role(${user.name}, ${user.role}, 'MEMBER') AS ok`,
      );
      if (!member?.ok) {
        await execFormatted(db, "GRANT %I TO %I", user.role, user.name);
        changes.push({ role: user.name, action: "granted", detail: user.role });
      }
    }
    if (user.password !== undefined) {
      // Sent once as a literal to ALTER ROLE; PostgreSQL stores its SCRAM verifier (password_encryption).
      await execFormatted(db, "ALTER ROLE %I PASSWORD %L", user.name, user.password);
      changes.push({ role: user.name, action: "password set" });
    }
    if (user.role === OWNER_ROLE) {
      const [setting] = await rows<{ ok: boolean }>(
        db,
        sql`SELECT EXISTS (SELECT 1 FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
                            WHERE r.rolname = ${user.name} AND s.setdatabase = 0
                              AND ${`role=${OWNER_ROLE}`} = ANY (s.setconfig)) AS ok`,
      );
      if (!setting?.ok) {
        await execFormatted(db, "ALTER ROLE %I SET role = %L", user.name, OWNER_ROLE);
        changes.push({
          role: user.name,
          action: "configured",
          detail: `sessions run SET ROLE ${OWNER_ROLE}`,
        });
      }
    }
  }
  return changes;
}

export { RoleSetupError };
