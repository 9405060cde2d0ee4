/**
 * Progress of a load: on a TTY one line per table rewritten in place (rows, percent, rows/s);
 * elsewhere (CI logs, pipes) only the finished line per table. A few lines of our own: a progress
 * library would add a dependency for one rewritten line.
 */
export interface ProgressSink {
  start(table: string, expected: number): void;
  rows(n: number): void;
  done(table: string, rows: number, seconds: number): void;
}

const fmt = new Intl.NumberFormat("en-US");
const rate = (rows: number, seconds: number) => fmt.format(Math.round(rows / Math.max(seconds, 1e-3)));

export function consoleProgress(stream: NodeJS.WriteStream = process.stdout): ProgressSink {
  const tty = stream.isTTY === true;
  let table = "";
  let expected = 0;
  let count = 0;
  let started = 0;
  let last = 0;
  return {
    start(name, total) {
      table = name;
      expected = total;
      count = 0;
      started = performance.now();
      last = 0;
    },
    rows(n) {
      count += n;
      if (!tty) return;
      const now = performance.now();
      if (now - last < 200) return;
      last = now;
      const pct = expected > 0 ? Math.min(99, Math.floor((100 * count) / expected)) : 0;
      stream.write(
        `\r  ${table.padEnd(24)} ${fmt.format(count).padStart(11)} rows  ${String(pct).padStart(2)}%  ${rate(count, (now - started) / 1000).padStart(9)} rows/s\x1b[K`,
      );
    },
    done(name, rows, seconds) {
      const line = `  ${name.padEnd(24)} ${fmt.format(rows).padStart(11)} rows  ${seconds.toFixed(1).padStart(6)} s  ${rate(rows, seconds).padStart(9)} rows/s`;
      stream.write(tty ? `\r${line}\x1b[K\n` : `${line}\n`);
    },
  };
}

export const silentProgress: ProgressSink = { start() {}, rows() {}, done() {} };
