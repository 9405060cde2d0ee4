/**
 * `npm run db:import -- <assets|spare_parts|cis|relationships|stock> <file.csv> [--dry-run]
 *   [--all-or-nothing] [--report <path>] [--ref <ref>]`
 *
 * `--ref` (stock only) prefixes the receipts' codes (`<ref>:<warehouse code>`), which make a
 * re-run add nothing; it defaults to the file's name without its extension.
 *
 * Streams the file into the database (DATABASE_URL; a server: PGlite has no COPY FROM STDIN).
 * Rejected rows go to stdout (`line N, column: reason`, the first 100) and, all of them, to the
 * report file (CSV `line,field,reason`; default `<file>.rejects.csv`). Progress on a TTY (stderr).
 * Exit codes: 0 every row loaded or already present; 9 rows rejected (the others loaded, or with
 * --all-or-nothing / --dry-run nothing written); 1 error (nothing written); 2 usage.
 */
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { basename, extname } from "node:path";
import type { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { envDatabaseUrl } from "../config.js";
import type { DbOrTx } from "../db.js";
import { createDb, NO_TIMEOUTS } from "../db.js";
import { EXIT } from "../errors/exit-codes.js";
import { importAssets } from "./assets.js";
import { importCis } from "./cis.js";
import { ImportFormatError, type ImportOptions, type ImportReject, type ImportResult } from "./engine.js";
import { importRelationships } from "./relationships.js";
import { importSpareParts } from "./spare-parts.js";
import { importStock } from "./stock.js";

const PRINT_MAX = 100;
type Importer = (
  db: DbOrTx,
  input: Readable,
  options: ImportOptions,
  run: { file: string; ref: string | undefined },
) => Promise<ImportResult>;
const importers: Record<string, Importer> = {
  assets: importAssets,
  spare_parts: importSpareParts,
  cis: importCis,
  relationships: importRelationships,
  stock: (db, input, options, { file, ref }) =>
    importStock(db, input, { ...options, ref: ref ?? basename(file, extname(file)) }),
};

const csvField = (v: string | number | null) => {
  const s = v === null ? "" : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

async function main(argv: string[]): Promise<number> {
  let values: { "dry-run"?: boolean; "all-or-nothing"?: boolean; report?: string; ref?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        "dry-run": { type: "boolean" },
        "all-or-nothing": { type: "boolean" },
        report: { type: "string" },
        ref: { type: "string" },
      },
      allowPositionals: true,
    }));
  } catch (error) {
    console.error(`usage error: ${(error as Error).message}`);
    return EXIT.usage;
  }
  const [entity, file] = positionals;
  if (!entity || !file || positionals.length > 2 || !(entity in importers)) {
    console.error(
      `usage: npm run db:import -- <${Object.keys(importers).join("|")}> <file.csv> [--dry-run] [--all-or-nothing] [--report <path>] [--ref <ref> (stock)]`,
    );
    return EXIT.usage;
  }
  if (!existsSync(file)) {
    console.error(`error: no such file: ${file}`);
    return EXIT.usage;
  }
  let url: string | undefined;
  try {
    url = envDatabaseUrl();
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    return EXIT.error;
  }
  if (!url) {
    console.error(
      "error: db:import needs a PostgreSQL server: set DATABASE_URL (PGlite has no COPY FROM STDIN)",
    );
    return EXIT.error;
  }
  const reportPath = values.report ?? `${file}.rejects.csv`;
  const report = createWriteStream(reportPath);
  report.write("line,field,reason,outcome\n");
  let printed = 0;
  const onReject = (r: ImportReject) => {
    report.write(
      `${r.line},${csvField(r.field)},${csvField(r.reason)},${r.skipped ? "skipped" : "rejected"}\n`,
    );
    if (printed++ < PRINT_MAX) console.log(`line ${r.line}${r.field ? `, ${r.field}` : ""}: ${r.reason}`);
  };
  const tty = process.stderr.isTTY;
  const started = performance.now();
  const onProgress = (n: number) => {
    if (!tty) return;
    const rate = Math.round(n / ((performance.now() - started) / 1000));
    process.stderr.write(
      `\r${entity}: ${n.toLocaleString("en")} rows read (${rate.toLocaleString("en")} rows/s)`,
    );
  };
  // A bulk load legitimately runs one statement for minutes: the application's 30 s bound would
  // cancel the insert of a large file (db.ts, NO_TIMEOUTS).
  const handle = await createDb({ url, max: 1, ...NO_TIMEOUTS });
  try {
    const importer = importers[entity] as Importer;
    const result = await importer(
      handle.db,
      createReadStream(file),
      {
        dryRun: values["dry-run"] === true,
        allOrNothing: values["all-or-nothing"] === true,
        onReject,
        onProgress,
      },
      { file, ref: values.ref },
    );
    if (tty) process.stderr.write("\n");
    if (printed > PRINT_MAX) console.log(`... ${printed - PRINT_MAX} more rejects in ${reportPath}`);
    const seconds = (performance.now() - started) / 1000;
    const what = result.committed
      ? `${result.inserted} inserted`
      : values["dry-run"]
        ? `nothing written (dry run; ${result.inserted} would be inserted)`
        : "nothing written (--all-or-nothing and rows were rejected)";
    console.log(
      `${entity}: ${result.read} rows read, ${what}, ${result.existing} already present, ${result.rejected} rejected` +
        ` in ${seconds.toFixed(1)} s${result.rejected > 0 ? `; rejects in ${reportPath}` : ""}`,
    );
    return result.rejected > 0 ? EXIT.importRejected : EXIT.ok;
  } catch (error) {
    if (tty) process.stderr.write("\n");
    const message =
      error instanceof ImportFormatError ? error.message : (error as Error).message.split("\n")[0];
    console.error(`error: ${message} (nothing written)`);
    return EXIT.error;
  } finally {
    await new Promise((resolve) => report.end(resolve));
    await handle.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT.error;
  },
);
