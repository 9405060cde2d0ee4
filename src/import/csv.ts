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
  raw: string;
  info: { lines: number };
}

/** Lines a record spans beyond its first: the line breaks inside it (quoted fields). */
function innerLineBreaks(raw: string): number {
  let n = 0;
  for (let i = 0; i < raw.length; i++) if (raw.charCodeAt(i) === 10) n++;
  return raw.endsWith("\n") ? n - 1 : n;
}

export async function* csvRecords(
  input: Readable,
  onMalformed: (line: number, reason: string) => void,
): AsyncGenerator<CsvRecord> {
  const parser = parse({
    bom: true,
    raw: true,
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
    yield { line: r.info.lines - innerLineBreaks(r.raw), fields: r.record };
  }
}
