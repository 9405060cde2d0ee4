/**
 * The machine the figures were measured on: CPU, memory, load, PostgreSQL version and the settings
 * that move the figures, and the disk's sync rate. Sync rate: fdatasync of one 8 kB write, read from
 * `pg_test_fsync -s 1` (the first section's fdatasync line; the rest of the run is skipped) on a
 * file on the data directory's filesystem when the server is on this machine; without the binary,
 * the same measurement in a few lines (8 kB pwrite + fdatasync for one second).
 *
 * Node's own start-up too (`node -e ""`, median of 5), which `migrate.empty` pays twice (npm, then
 * the CLI) and psql never: on this machine kind NODE_EXTRA_CA_CERTS is set in the environment, and
 * node 20 loads the certificates at start-up when it is (nodejs/node#23354; later lines load them
 * on first use, nodejs/node#44529): 61 ms with it, 24 ms without, on one machine. So it is measured
 * both ways when set.
 */
import { spawn } from "node:child_process";
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import type postgres from "postgres";
import { runProgram } from "./programs.js";

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  loadAverage: number[];
  node: string;
  postgres: string;
  settings: Record<string, string>;
  fsyncPerSec: number;
  fsyncMethod: string;
  fsyncPath: string;
  /** `node -e ""` wall-clock, ms (median of 5), with this environment. */
  nodeStartMs: number;
  /** The same without NODE_EXTRA_CA_CERTS, when the environment sets it. */
  nodeStartWithoutExtraCaMs?: number;
}

/** Median wall-clock ms of `node -e ""` started with `env`. */
async function nodeStart(env: NodeJS.ProcessEnv): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) times.push((await runProgram(process.execPath, ["-e", ""], env)).ms);
  return Math.round(times.sort((a, b) => a - b)[2] as number);
}

const PG_TEST_FSYNC = process.env.PG_TEST_FSYNC ?? "/usr/lib/postgresql/15/bin/pg_test_fsync";
const SETTINGS = [
  "shared_buffers",
  "work_mem",
  "effective_cache_size",
  "max_wal_size",
  "synchronous_commit",
  "wal_sync_method",
  "data_directory",
];

/** A directory on the data directory's filesystem (never the data directory itself), else the temp dir. */
function fsyncDir(dataDirectory: string | undefined): { dir: string; sameFs: boolean } {
  if (dataDirectory && existsSync(dataDirectory)) {
    const dev = statSync(dataDirectory).dev;
    for (const candidate of [tmpdir(), "/var/tmp", dirname(dirname(dataDirectory))]) {
      if (existsSync(candidate) && statSync(candidate).dev === dev) return { dir: candidate, sameFs: true };
    }
  }
  return { dir: tmpdir(), sameFs: false };
}

function pgTestFsync(file: string): Promise<number | null> {
  if (!existsSync(PG_TEST_FSYNC)) return Promise.resolve(null);
  return new Promise((resolve) => {
    const child = spawn(PG_TEST_FSYNC, ["-s", "1", "-f", file], { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    let found: number | null = null;
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /^\s+fdatasync\s+([\d.]+) ops\/sec/m.exec(out);
      if (m && found === null) {
        found = Number(m[1]);
        child.kill();
      }
    });
    child.on("close", () => resolve(found));
    child.on("error", () => resolve(null));
  });
}

/** The same figure without pg_test_fsync: 8 kB written at offset 0 and fdatasync'ed, for one second. */
function nodeFsync(file: string): number {
  const fd = openSync(file, "w");
  try {
    const page = Buffer.alloc(8192, 1);
    const end = performance.now() + 1000;
    let n = 0;
    while (performance.now() < end) {
      writeSync(fd, page, 0, page.length, 0);
      fdatasyncSync(fd);
      n += 1;
    }
    return n;
  } finally {
    closeSync(fd);
  }
}

export async function describeMachine(sql: postgres.Sql): Promise<Machine> {
  const [version] = await sql<{ v: string }[]>`SELECT current_setting('server_version') AS v`;
  const settings: Record<string, string> = {};
  for (const name of SETTINGS) {
    try {
      const [row] = await sql<{ v: string }[]>`SELECT current_setting(${name}) AS v`;
      if (row) settings[name] = row.v;
    } catch {
      // data_directory needs pg_read_all_settings: unknown then.
    }
  }
  const { dir, sameFs } = fsyncDir(settings.data_directory);
  const scratch = mkdtempSync(join(dir, "netops-fsync-"));
  const file = join(scratch, "probe");
  let fsyncPerSec: number;
  let fsyncMethod: string;
  try {
    const measured = await pgTestFsync(file);
    if (measured !== null) {
      fsyncPerSec = measured;
      fsyncMethod = "pg_test_fsync -s 1 (fdatasync, one 8kB write)";
    } else {
      fsyncPerSec = nodeFsync(file);
      fsyncMethod = "8kB pwrite + fdatasync for 1 s (pg_test_fsync not found)";
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const nodeStartMs = await nodeStart(process.env);
  const { NODE_EXTRA_CA_CERTS: extraCa, ...withoutExtraCa } = process.env;
  const nodeStartWithoutExtraCaMs = extraCa === undefined ? undefined : await nodeStart(withoutExtraCa);
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
    node: process.version,
    postgres: version?.v ?? "unknown",
    settings,
    fsyncPerSec: Math.round(fsyncPerSec),
    fsyncMethod,
    fsyncPath: sameFs
      ? `${dir} (same filesystem as the data directory)`
      : `${dir} (data directory not on this machine)`,
    nodeStartMs,
    ...(nodeStartWithoutExtraCaMs === undefined ? {} : { nodeStartWithoutExtraCaMs }),
  };
}
