/**
 * The programs the bench runs beside the package (psql, pgbench, `npm run db:migrate`): one runner,
 * so each baseline is started, timed and reported on failure the same way.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { now } from "./measure.js";

export const PSQL = process.env.PSQL ?? "psql";

/** What a program did: its exit code (-1 when killed by a signal), its output, its wall-clock time. */
export interface ProgramOutcome {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall-clock time from spawn to exit. */
  ms: number;
}

/**
 * Run `command` to its end, collecting its output, whatever its exit code (the one process runner
 * of the bench and of the tests that start the CLIs). Rejects only when it cannot be started.
 */
export function collect(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<ProgramOutcome> {
  return new Promise((resolve, reject) => {
    const start = now();
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr, ms: now() - start }));
  });
}

export type ProgramRun = Pick<ProgramOutcome, "stdout" | "ms">;

/** Run `command`; its stdout and time when it exits 0, else an error naming it with stderr's first line. */
export async function runProgram(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProgramRun> {
  const { code, stdout, stderr, ms } = await collect(command, args, { env });
  if (code !== 0) {
    throw new Error(`${command} ${args[0] ?? ""} exited with ${code}: ${stderr.trim().split("\n")[0] ?? ""}`);
  }
  return { stdout, ms };
}

/**
 * `psql -1` of `commands` (SQL and psql meta-commands such as `\copy`, one per line of a script
 * file): one transaction, stopped at the first error, as an operator runs a load by hand.
 */
export async function psql(url: string, commands: string[]): Promise<ProgramRun> {
  const dir = mkdtempSync(join(tmpdir(), "netops-bench-psql-"));
  try {
    const script = join(dir, "script.sql");
    writeFileSync(script, `${commands.join("\n")}\n`);
    return await runProgram(PSQL, [url, "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-f", script]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
