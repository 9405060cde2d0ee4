/**
 * CSV records with the file line each starts on (header = line 1), streamed: csv-parse reads the
 * bytes as they come, so memory stays flat whatever the file size. A record csv-parse cannot read
 * (wrong number of fields, a broken quote) is handed to `onMalformed` with its line and the import
 * goes on with the next one.
 */
import type { Readable } from "node:stream";
import { type CsvError, parse } from "csv-parse";

export interface CsvRecord {
  /** Line of the file the record starts on (1 = the header). */
  line: number;
  fields: string[];
}

interface ParsedRecord {
  record: string[];
  /** The line the record ends on. */
  info: { lines: number };
}

/** Lines a record spans beyond its first: the line breaks inside its (quoted) fields. */
function innerLineBreaks(fields: string[]): number {
  let n = 0;
  for (const f of fields) {
    for (let i = f.indexOf("\n"); i >= 0; i = f.indexOf("\n", i + 1)) n++;
  }
  return n;
}

export async function* csvRecords(
  input: Readable,
  onMalformed: (line: number, reason: string) => void,
): AsyncGenerator<CsvRecord> {
  const parser = parse({
    bom: true,
    info: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
  });
  parser.on("skip", (error: CsvError & { lines?: number }) => {
    // csv-parse's messages name the problem and the line, never a field's content.
    onMalformed(error.lines ?? 0, `malformed CSV: ${error.message}`);
  });
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);
  for await (const r of parser as AsyncIterable<ParsedRecord>) {
    yield { line: r.info.lines - innerLineBreaks(r.record), fields: r.record };
  }
}
