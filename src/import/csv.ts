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
  const parser = parse({ bom: true, skip_empty_lines: true, skip_records_with_error: true });
  // The line a record ends on is the parser's line count when it hands the record over (what its
  // `info: true` option copies, with a dozen other counters, into an object per record: half the
  // parser's time here). The parser pushes each record synchronously while that count is current.
  const push = parser.push.bind(parser);
  parser.push = (record: string[] | null) =>
    record === null ? push(null) : push({ fields: record, endLine: parser.info.lines });
  parser.on("skip", (error: CsvError & { lines?: number }) => {
    // csv-parse's messages name the problem and the line, never a field's content.
    onMalformed(error.lines ?? 0, `malformed CSV: ${error.message}`);
  });
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);
  for await (const r of parser as AsyncIterable<{ fields: string[]; endLine: number }>) {
    yield { line: r.endLine - innerLineBreaks(r.fields), fields: r.fields };
  }
}
