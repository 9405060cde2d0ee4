/**
 * Which commit the migration guard compares with ("the base"): the migrations it has are history,
 * everything else is new. In order:
 *   1. $GUARD_BASE (any commit-ish) when set; it must resolve;
 *   2. origin/main, 3. the local branch main;
 * each as its merge-base with HEAD, or its tip when the history is too shallow for a merge-base
 * (the tip's migrations are a superset of the merge-base's, since merged migrations never change).
 * When none exists (a single-branch or shallow clone of another branch, a detached CI checkout),
 * `resolveBase` says so and the caller decides: fail under CI, warn on a laptop.
 */

import { execFileSync } from "node:child_process";
import { GuardBaseError } from "../errors/operational.js";

export const NO_BASE_MESSAGE =
  "cannot see the base branch: fetch it (git fetch origin main) or set GUARD_BASE";

/** git's stdout (untrimmed when `raw`, for file contents), or null when git fails. */
export function git(args: string[], cwd?: string, raw = false): string | null {
  try {
    const out = execFileSync("git", args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      maxBuffer: 64 * 1024 * 1024,
    });
    return raw ? out : out.trim();
  } catch {
    return null;
  }
}

export interface Base {
  /** The commit whose migrations count as history; null: none, every migration is new. */
  sha: string | null;
  /** How it was chosen, for the report. */
  label: string;
}

const commit = (ref: string, cwd?: string) =>
  git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], cwd);

function against(ref: string, sha: string, cwd?: string): Base {
  const mergeBase = git(["merge-base", "HEAD", sha], cwd);
  return mergeBase
    ? { sha: mergeBase, label: `${ref} (merge-base with HEAD)` }
    : { sha, label: `${ref}'s tip (no merge-base in this history)` };
}

/** The base, or null when neither GUARD_BASE, origin/main nor main exists here. */
export function resolveBase(env: NodeJS.ProcessEnv = process.env, cwd?: string): Base | null {
  if (git(["rev-parse", "--is-inside-work-tree"], cwd) !== "true")
    throw new GuardBaseError("not inside a git checkout");
  const configured = env.GUARD_BASE?.trim();
  if (configured) {
    const sha = commit(configured, cwd);
    if (!sha) throw new GuardBaseError(`GUARD_BASE=${configured} does not resolve to a commit here`);
    return against(`GUARD_BASE=${configured}`, sha, cwd);
  }
  for (const ref of ["origin/main", "main"]) {
    const sha = commit(ref, cwd);
    if (sha) return against(ref, sha, cwd);
  }
  return null;
}

/** Without a base on a laptop: HEAD, so the migrations not committed yet are still checked. */
export function laptopFallback(cwd?: string): Base {
  const head = commit("HEAD", cwd);
  return head
    ? { sha: head, label: "HEAD (no base branch here: only migrations not committed yet are checked)" }
    : { sha: null, label: "nothing (no commit yet: every migration is new)" };
}

/** CI=true (or any value but empty, 0 or false), as CI services set it. */
export const isCi = (env: NodeJS.ProcessEnv = process.env) =>
  !["", "0", "false"].includes((env.CI ?? "").trim().toLowerCase());
