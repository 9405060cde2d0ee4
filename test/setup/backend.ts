/** What the global setup hands every test file (through vitest's provide/inject). */
export type TestBackend =
  | {
      kind: "server";
      source: "TEST_DATABASE_URL" | "testcontainers";
      adminUrl: string;
      template: string;
      runId: string;
    }
  | { kind: "pglite"; runId: string };

declare module "vitest" {
  export interface ProvidedContext {
    backend: TestBackend;
  }
}

/** The same server URL pointed at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
