/**
 * Process exit codes of the migration commands, one meaning each across every command, so a deploy
 * script can branch on them (README: "Exit codes").
 */
export const EXIT = {
  /** Done, or nothing to do: up to date, no drift, baselined, reset. */
  ok: 0,
  /** An error: cannot connect, a migration failed (and was rolled back), unexpected failure. */
  error: 1,
  /** Bad command line. */
  usage: 2,
  /** status: migrations are pending (run db:migrate). */
  pending: 3,
  /** status/migrate: an applied migration's file differs from its recorded hash. */
  modified: 4,
  /** status: the database records migrations this checkout has no file for. */
  unknownRecorded: 5,
  /** drift/baseline: the live schema differs from what the migrations produce. */
  drift: 6,
  /** baseline/reset: refused to act (already under migration control, non-local host without --force). */
  refused: 7,
  lockTimeout: 8, // migrate: a statement timed out waiting for a lock on every attempt (the blocker is named)
  /** db:import: rows were rejected (the others loaded; with --all-or-nothing or --dry-run nothing was written). */
  importRejected: 9,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
