/**
 * Throw-away servers on this machine for the deployment tests and the bench: a PgBouncer in
 * transaction mode in front of an existing server, and a fresh primary with a streaming replica
 * (initdb + pg_basebackup -R). Each lives in a temporary directory, on the first free port of the
 * range it is given, and is stopped (and its directory removed) by `stop()`.
 *
 * PgBouncer and the postmaster refuse to run as root; as root they are spawned with the `postgres`
 * OS user's uid/gid (not through runuser/su, which do not pass every signal on: the server would
 * outlive `stop()`), and their directories are handed to that user. When a binary or that user is missing the
 * starters return `{ skip: reason }`, so callers can skip with the reason (or fail under CI=true).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type Started<T> = ({ ok: true } & T) | { ok: false; skip: string };

const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";
const PGBOUNCER_BINS = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"];

/** Whom to run server binaries as: ourselves, or the `postgres` OS user when we are root. */
interface RunAs {
  uid?: number;
  gid?: number;
}

function runAs(): RunAs | string {
  if (process.getuid?.() !== 0) return {};
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    return "running as root and there is no `postgres` OS user to run the server as";
  }
}

/** spawn/execFile options running as `as`, from a directory that user can read. */
const asUser = (as: RunAs, cwd: string) => ({
  cwd,
  ...(as.uid !== undefined ? { uid: as.uid, gid: as.gid } : {}),
  env: { ...process.env, ...(as.uid !== undefined ? { HOME: cwd } : {}) },
});

function tempDir(label: string, as: RunAs): string {
  const dir = mkdtempSync(join(tmpdir(), `netops-${label}-`));
  chmodSync(dir, 0o700);
  if (as.uid !== undefined && as.gid !== undefined) chownSync(dir, as.uid, as.gid);
  return dir;
}

function writeOwned(path: string, text: string, as: RunAs, mode = 0o600): void {
  writeFileSync(path, text, { mode });
  if (as.uid !== undefined && as.gid !== undefined) chownSync(path, as.uid, as.gid);
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** The first port of [from, to] nothing listens on. */
export async function freePort(from: number, to: number): Promise<number> {
  for (let port = from; port <= to; port++) if (await portFree(port)) return port;
  throw new Error(`no free port in ${from}-${to}`);
}

async function waitForPort(port: number, child: ChildProcess, log: () => string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before listening: ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: "127.0.0.1" });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listening on ${port} after ${ms} ms: ${log()}`);
}

function run(as: RunAs, cwd: string, cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...asUser(as, cwd) });
}

async function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals = "SIGTERM",
  ms = 15_000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), ms);
  await exited;
  clearTimeout(timer);
}

export interface PgBouncer {
  port: number;
  /** `url` with host and port replaced by PgBouncer's. */
  via(url: string): string;
  stop(): Promise<void>;
}

/**
 * PgBouncer in transaction mode on the first free port of [from, to], in front of the server at
 * `upstream` (host:port; every database, each client's own user, trust). `poolSize` server
 * connections per (database, user).
 */
export async function startPgBouncer(o: {
  upstream: { host: string; port: number };
  ports: [number, number];
  poolSize?: number;
}): Promise<Started<PgBouncer>> {
  const bin = PGBOUNCER_BINS.find((p) => existsSync(p));
  if (!bin) return { ok: false, skip: "pgbouncer is not installed (apt-get install -y pgbouncer)" };
  const as = runAs();
  if (typeof as === "string") return { ok: false, skip: as };
  const port = await freePort(...o.ports);
  const dir = tempDir("pgbouncer", as);
  // auth_type trust still needs each user in auth_file; the password is not checked.
  writeOwned(join(dir, "userlist.txt"), '"postgres" ""\n', as);
  writeOwned(
    join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${o.upstream.host} port=${o.upstream.port}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${join(dir, "userlist.txt")}`,
      "pool_mode = transaction",
      `default_pool_size = ${o.poolSize ?? 4}`,
      "max_client_conn = 500",
      // What clients send at start-up that PgBouncer neither tracks nor forwards (JDBC and
      // psycopg send extra_float_digits); postgres.js sends only tracked ones.
      "ignore_startup_parameters = extra_float_digits",
      "server_reset_query =",
      `logfile = ${join(dir, "pgbouncer.log")}`,
      "",
    ].join("\n"),
    as,
  );
  const child = spawn(bin, [join(dir, "pgbouncer.ini")], { stdio: "ignore", ...asUser(as, dir) });
  const log = () =>
    existsSync(join(dir, "pgbouncer.log")) ? readFileSync(join(dir, "pgbouncer.log"), "utf8") : "";
  try {
    await waitForPort(port, child, log);
  } catch (error) {
    await stopChild(child, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`pgbouncer did not start: ${(error as Error).message}`);
  }
  return {
    ok: true,
    port,
    via: (url) => {
      const u = new URL(url);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString();
    },
    stop: async () => {
      // SIGINT: safe shutdown (waits for clients to finish their transaction).
      await stopChild(child, "SIGINT");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ReplicaPair {
  primaryUrl: string;
  replicaUrl: string;
  stop(): Promise<void>;
}

/**
 * A new primary cluster (initdb, trust for local connections, wal_level replica) and a streaming
 * replica made from it with `pg_basebackup -R`, each on its own port of [from, to]. Small
 * shared_buffers: this is a test fixture on a shared machine.
 */
export async function startReplicaPair(o: { ports: [number, number] }): Promise<Started<ReplicaPair>> {
  for (const b of ["initdb", "pg_ctl", "pg_basebackup", "postgres"]) {
    if (!existsSync(join(PG_BIN, b))) return { ok: false, skip: `${join(PG_BIN, b)} not found (set PG_BIN)` };
  }
  const as = runAs();
  if (typeof as === "string") return { ok: false, skip: as };
  const primaryDir = tempDir("primary", as);
  const replicaDir = tempDir("replica", as);
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await stopChild(child, "SIGINT"); // fast shutdown
    rmSync(primaryDir, { recursive: true, force: true });
    rmSync(replicaDir, { recursive: true, force: true });
  };
  try {
    const primaryPort = await freePort(...o.ports);
    const data = join(primaryDir, "data");
    run(as, primaryDir, join(PG_BIN, "initdb"), [
      "-D",
      data,
      "-U",
      "postgres",
      "--auth=trust",
      "--no-sync",
      "-E",
      "UTF8",
    ]);
    const settings = (port: number, dir: string) => [
      "-D",
      dir,
      "-c",
      `port=${port}`,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      `unix_socket_directories=${dir}`,
      "-c",
      "shared_buffers=16MB",
      "-c",
      "fsync=off",
      "-c",
      "wal_level=replica",
      "-c",
      "max_wal_senders=4",
      "-c",
      "hot_standby=on",
    ];
    const start = async (port: number, dir: string) => {
      let stderr = "";
      const child = spawn(join(PG_BIN, "postgres"), settings(port, dir), {
        stdio: ["ignore", "ignore", "pipe"],
        ...asUser(as, dir),
      });
      child.stderr?.on("data", (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-4000);
      });
      children.push(child);
      await waitForPort(port, child, () => stderr);
    };
    await start(primaryPort, data);
    const replicaPort = await freePort(primaryPort + 1, o.ports[1]);
    const replicaData = join(replicaDir, "data");
    // -R writes standby.signal and primary_conninfo: the copy starts as a streaming replica.
    run(as, replicaDir, join(PG_BIN, "pg_basebackup"), [
      "-h",
      "127.0.0.1",
      "-p",
      String(primaryPort),
      "-U",
      "postgres",
      "-D",
      replicaData,
      "-R",
      "-X",
      "stream",
      "--no-sync",
    ]);
    await start(replicaPort, replicaData);
    return {
      ok: true,
      primaryUrl: `postgres://postgres@127.0.0.1:${primaryPort}/postgres`,
      replicaUrl: `postgres://postgres@127.0.0.1:${replicaPort}/postgres`,
      stop,
    };
  } catch (error) {
    await stop();
    const e = error as Error & { stderr?: Buffer };
    throw new Error(`could not start a primary and replica: ${e.stderr?.toString().trim() || e.message}`);
  }
}
