/**
 * The one place that runs `drizzle-kit generate` (db:generate, migrations:check and db:rebase all
 * come through here) and decides what it did. drizzle-kit 0.31 exits 0 when it did nothing useful:
 * on a rename prompt with no TTY it prints "Error: Interactive prompts require a TTY terminal",
 * on a forked snapshot chain "Error: [...] are pointing to a parent snapshot ... which is a
 * collision", on a malformed or outdated snapshot a line of its own; none writes anything. So the
 * outcome is read from its output, and only its two success lines count:
 *   "No schema changes, nothing to migrate"          -> nothing
 *   "[✓] Your SQL migration file ➜ drizzle/<tag>.sql" -> written
 * Anything else, and any non-zero exit, is a failure (fail closed). Upstream: drizzle-orm #3935
 * (the collision message), #4006 (kit commands exiting 0 on errors; fixed in the 1.0 beta). This is
 * a tested workaround (test/migrate/chain.test.ts, branches.test.ts), not a patch of drizzle-kit.
 *
 * On a terminal (stdin and stdout both TTYs, not CI) drizzle-kit runs with the terminal so its
 * rename prompts work; its output cannot be read then, so the outcome comes from the journal
 * (a new entry = written) and otherwise from a second, non-writing run that must say "No schema
 * changes".
 */
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { JOURNAL_PATH, type Journal } from "../../src/migrate/chain.js";

const require = createRequire(import.meta.url);
/** drizzle-kit's CLI (its package exports do not list bin.cjs; the main entry sits beside it). */
const DRIZZLE_KIT_BIN = join(dirname(require.resolve("drizzle-kit")), "bin.cjs");

export type GenerateOutcome =
  | { kind: "nothing" }
  | { kind: "written"; tag: string; custom: boolean }
  | { kind: "failed"; reason: string };

export interface GenerateRun {
  outcome: GenerateOutcome;
  /** What drizzle-kit printed (stdout + stderr, colours removed); empty on a terminal run. */
  output: string;
  exitCode: number;
}

export interface GenerateOptions {
  /** Project root: where drizzle.config.ts is, and where drizzle-kit runs. */
  cwd: string;
  /** The migrations folder relative to cwd (the config's `out`). */
  folder?: string;
  /** Let drizzle-kit use the terminal (rename prompts). Default: when interactive() says so. */
  interactive?: boolean;
  /** Copy drizzle-kit's output to ours as it comes (non-interactive runs). */
  echo?: boolean;
}

export const PROMPT_NEEDS_TTY =
  "drizzle-kit needs an answer (is a column or table renamed, or dropped and created?) and there is " +
  "no terminal to ask: run `npm run db:generate` in an interactive terminal and answer its prompt";

/** stdin and stdout are a terminal and this is not CI: drizzle-kit's prompts can be answered. */
export const interactive = () =>
  process.stdin.isTTY === true && process.stdout.isTTY === true && process.env.CI !== "true";

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g");

/** What a non-interactive `drizzle-kit generate` did, from its output and exit code (pure). */
export function classifyGenerate(output: string, exitCode: number, custom = false): GenerateOutcome {
  const text = output.replace(ANSI, "");
  if (/Interactive prompts require a TTY/.test(text)) return { kind: "failed", reason: PROMPT_NEEDS_TTY };
  const firstError = text
    .split("\n")
    .map((l) => l.trim())
    .find((l) => /^error\b/i.test(l) || /\berror:/i.test(l));
  if (exitCode !== 0) {
    return {
      kind: "failed",
      reason: `drizzle-kit generate exited with code ${exitCode}${firstError ? `: ${firstError}` : ""}`,
    };
  }
  if (firstError) return { kind: "failed", reason: `drizzle-kit generate: ${firstError} (and exited 0)` };
  const written = /Your SQL migration file ➜ (.+?\.sql)/.exec(text);
  if (written?.[1]) return { kind: "written", tag: basename(written[1], ".sql"), custom };
  if (/No schema changes, nothing to migrate/.test(text)) return { kind: "nothing" };
  const last = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1);
  return {
    kind: "failed",
    reason: `drizzle-kit generate printed neither "No schema changes" nor a written migration${last ? ` (last line: ${last})` : ""}`,
  };
}

function spawnDrizzleKit(
  args: string[],
  cwd: string,
  mode: "terminal" | "capture",
  echo: boolean,
): Promise<{ output: string; exitCode: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DRIZZLE_KIT_BIN, "generate", ...args], {
      cwd,
      stdio: mode === "terminal" ? "inherit" : ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const collect = (target: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString();
      if (echo) target.write(chunk);
    };
    child.stdout?.on("data", collect(process.stdout));
    child.stderr?.on("data", collect(process.stderr));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ output, exitCode: code ?? (signal ? 128 : 1) }));
  });
}

const journalTags = (cwd: string, folder: string): string[] => {
  try {
    const journal = JSON.parse(readFileSync(join(cwd, folder, JOURNAL_PATH), "utf8")) as Journal;
    return journal.entries.map((e) => e.tag);
  } catch {
    return [];
  }
};

/** `drizzle-kit generate <args>` in `cwd`, with its outcome (see the module comment). */
export async function drizzleKitGenerate(args: string[], options: GenerateOptions): Promise<GenerateRun> {
  const folder = options.folder ?? "drizzle";
  const custom = args.includes("--custom");
  if (!(options.interactive ?? interactive())) {
    const { output, exitCode } = await spawnDrizzleKit(args, options.cwd, "capture", options.echo ?? false);
    return { outcome: classifyGenerate(output, exitCode, custom), output, exitCode };
  }
  const before = journalTags(options.cwd, folder);
  const { exitCode } = await spawnDrizzleKit(args, options.cwd, "terminal", false);
  if (exitCode !== 0) {
    return {
      outcome: { kind: "failed", reason: `drizzle-kit generate exited with code ${exitCode}` },
      output: "",
      exitCode,
    };
  }
  const added = journalTags(options.cwd, folder).filter((t) => !before.includes(t));
  if (added.length === 1)
    return { outcome: { kind: "written", tag: added[0]!, custom }, output: "", exitCode };
  if (added.length > 1) {
    return {
      outcome: {
        kind: "failed",
        reason: `drizzle-kit added ${added.length} journal entries: ${added.join(", ")}`,
      },
      output: "",
      exitCode,
    };
  }
  // Nothing written: only drizzle-kit's own "No schema changes" makes that a success.
  const pending = await pendingSchemaChanges(options.cwd, folder);
  const outcome: GenerateOutcome =
    pending.kind === "failed"
      ? { kind: "failed", reason: `drizzle-kit wrote nothing: ${pending.reason}` }
      : pending;
  return { outcome, output: "", exitCode };
}

/**
 * What `drizzle-kit generate` would do, without letting it write into the project: it runs on a
 * copy of the migrations folder (a config importing the project's, with `out` pointing at the
 * copy), never on a terminal. "nothing" = schema code and committed migrations agree.
 */
export async function pendingSchemaChanges(cwd: string, folder = "drizzle"): Promise<GenerateOutcome> {
  const scratch = mkdtempSync(join(tmpdir(), "netops-generate-check-"));
  try {
    const out = join(scratch, "drizzle");
    cpSync(join(cwd, folder), out, { recursive: true });
    const config = join(scratch, "drizzle.config.ts");
    // drizzle-kit prefixes `out` with "./", so it must be relative to cwd.
    writeFileSync(
      config,
      `import config from ${JSON.stringify(join(cwd, "drizzle.config.ts"))};\n` +
        `export default { ...config, out: ${JSON.stringify(relative(cwd, out))} };\n`,
    );
    const { output, exitCode } = await spawnDrizzleKit(["--config", config], cwd, "capture", false);
    const outcome = classifyGenerate(output, exitCode);
    if (outcome.kind === "written") {
      return { kind: "failed", reason: "the schema code has changes no committed migration covers" };
    }
    return outcome;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
