/** A temporary copy of drizzle/ holding only the migrations up to and including `tag`. */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MIGRATIONS_FOLDER } from "../../src/config.js";

export function migrationsFolderUpTo(tag: string): string {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as {
    entries: { tag: string }[];
  };
  const end = journal.entries.findIndex((e) => e.tag === tag);
  if (end < 0) throw new Error(`no migration ${tag} in the journal`);
  const folder = mkdtempSync(join(tmpdir(), "netops-migrations-"));
  mkdirSync(join(folder, "meta"));
  const entries = journal.entries.slice(0, end + 1);
  for (const entry of entries)
    copyFileSync(join(MIGRATIONS_FOLDER, `${entry.tag}.sql`), join(folder, `${entry.tag}.sql`));
  writeFileSync(join(folder, "meta", "_journal.json"), JSON.stringify({ ...journal, entries }, null, 2));
  return folder;
}
