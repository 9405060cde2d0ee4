/** The git plumbing db:generate --check and db:rebase need, run in the project directory. */

import { execFileSync } from "node:child_process";
import { GitError } from "../../src/errors/operational.js";

export class Git {
  constructor(readonly cwd: string) {}

  /** stdout of a git command; throws GitError with git's first stderr line. */
  run(args: string[]): string {
    return this.bytes(args).toString("utf8");
  }

  bytes(args: string[]): Buffer {
    try {
      return execFileSync("git", args, {
        cwd: this.cwd,
        stdio: ["ignore", "pipe", "pipe"],
        maxBuffer: 256 * 1024 * 1024,
      });
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
      throw new GitError(`git ${args[0]} failed: ${stderr.split("\n")[0] || (error as Error).message}`);
    }
  }

  /** null instead of an error (a ref that may not exist). */
  try(args: string[]): string | null {
    try {
      return this.run(args).trim();
    } catch {
      return null;
    }
  }

  /** The commit a ref names, or null. */
  commit(ref: string): string | null {
    return this.try(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  }

  isAncestor(ancestor: string, of: string): boolean {
    return this.try(["merge-base", "--is-ancestor", ancestor, of]) !== null;
  }

  /** Files under `dir` (repository paths) in a commit. */
  listFiles(rev: string, dir: string): string[] {
    return this.run(["ls-tree", "-r", "-z", "--name-only", rev, "--", dir]).split("\0").filter(Boolean);
  }

  /** A file's bytes in a commit, exactly (no newline conversion). */
  show(rev: string, path: string): Buffer {
    return this.bytes(["show", `${rev}:${path}`]);
  }

  /** Paths git reports as unmerged (conflicted) in the index. */
  unmerged(): string[] {
    return this.run(["diff", "--name-only", "--diff-filter=U", "-z"]).split("\0").filter(Boolean);
  }

  /** `git status --porcelain` lines for a path (untracked files included). */
  status(path: string): string[] {
    return this.run(["status", "--porcelain", "--untracked-files=all", "--", path])
      .split("\n")
      .filter(Boolean);
  }
}

/** The repository root containing `cwd`, or null when it is not a git checkout. */
export function gitRoot(cwd: string): string | null {
  return new Git(cwd).try(["rev-parse", "--show-toplevel"]);
}
