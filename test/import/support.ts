/** Shared by the import tests: a CSV text as the stream the importers read. */
import { Readable } from "node:stream";

export const csv = (text: string): Readable => Readable.from([text]);
