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
