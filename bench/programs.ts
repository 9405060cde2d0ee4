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

export interface ProgramRun {
  stdout: string;
  /** Wall-clock time from spawn to exit. */
  ms: number;
}

/** Run `command`; its stdout and time when it exits 0, else an error naming it with stderr's first line. */
export function runProgram(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProgramRun> {
  return new Promise((resolve, reject) => {
    const start = now();
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve({ stdout, ms: now() - start });
      else
        reject(
          new Error(`${command} ${args[0] ?? ""} exited with ${code}: ${stderr.trim().split("\n")[0] ?? ""}`),
        );
    });
  });
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
