/**
 * History and ledger tables: rows are added, never changed or removed, except by the owner
 * (migration roles_grants_append_only: no UPDATE/DELETE/TRUNCATE privilege for netops_app, and the
 * `<table>_append_only` / `<table>_no_truncate` triggers for every session whose login is not a
 * member of netops_owner). This list is the one statement of which tables those are; the migration
 * is checked against it by test/security/roles.test.ts.
 */
export const APPEND_ONLY_TABLES = {
  /** What happened to an asset, when, by whom: the asset's audit trail. */
  asset_events: { retention: true },
  /** The cross-domain audit trail of operations (repair orders, documents, workflow). */
  ops_events: { retention: true },
  /**
   * The stock ledger: on_hand is the signed sum of movements (checkLedgerInvariant). Rewriting a
   * movement together with its stock row would balance a falsified ledger. No retention: deleting
   * movements breaks the sum.
   */
  spare_part_movements: { retention: false },
  /** Token and cost usage per request: what billing and quotas are computed from. */
  usage_logs: { retention: true },
  /** Who did what (security audit); a log its subject can edit proves nothing. */
  audit_logs: { retention: true },
} as const satisfies Record<string, { retention: boolean }>;

export type AppendOnlyTable = keyof typeof APPEND_ONLY_TABLES;
