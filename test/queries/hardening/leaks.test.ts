/** Item 10: a malformed migration journal and secrets in a URL's query string. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createDb, redactUrl } from "../../../src/db.js";
import { readJournal } from "../../../src/migrate/journal.js";

describe("a journal without entries (item 10)", () => {
  it.each([["{}"], ['{"entries": {}}'], ['{"entries": [{"idx": 0}]}'], ["null"]])(
    "%s is refused naming the journal, not with a TypeError",
    (json) => {
      const folder = mkdtempSync(join(tmpdir(), "netops-hardening-journal-"));
      mkdirSync(join(folder, "meta"));
      writeFileSync(join(folder, "meta", "_journal.json"), json);
      const err = (() => {
        try {
          readJournal(folder);
        } catch (e) {
          return e;
        }
      })();
      expect(err).not.toBeInstanceOf(TypeError);
      expect(String((err as Error).message)).toMatch(/_journal\.json has no "entries" list/);
    },
  );
});

describe("passwords in a URL's query string (item 10)", () => {
  it("are masked like the authority's password", () => {
    expect(redactUrl("postgres://app:s3cret@db:5432/x?password=hunter2&sslmode=require")).toBe(
      "postgres://app:***@db:5432/x?password=***&sslmode=require",
    );
  });

  it("never reach a connection error", async () => {
    const err = await createDb({ url: "postgres://app@127.0.0.1:1/x?password=hunter2" }).catch(
      (e: unknown) => e,
    );
    expect(String((err as Error).message)).toContain("password=***");
    expect(JSON.stringify(err) + String((err as Error).message)).not.toContain("hunter2");
  });
});
