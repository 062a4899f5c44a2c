/**
 * Ignition's progress display redraws its current batch with cursor codes (move up, clear down) on every event:
 * in a log file that is thousands of lines of escape sequences. When the output is not a terminal, this filter
 * turns the stream into a plain log: escape sequences dropped, each line written once (a redrawn batch repeats
 * lines already written), runs of blank lines collapsed.
 */
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;

export class PlainProgress {
  private readonly seen = new Set<string>();
  private partial = "";
  private lastBlank = true;

  constructor(private readonly write: (line: string) => void) {}

  /** Feeds a chunk of the child's output; complete lines are written at once. */
  push(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split(/\r?\n|\r/);
    this.partial = lines.pop() ?? "";
    for (const line of lines) this.line(line);
  }

  /** Writes what is left of an unterminated last line. */
  end(): void {
    if (this.partial) this.line(this.partial);
    this.partial = "";
  }

  private line(raw: string): void {
    // A redraw starts with its cursor codes glued to the first line: keep what follows the last of them.
    const line = raw.replace(ANSI, "\n").split("\n").pop()!.trimEnd();
    if (line === "") {
      if (!this.lastBlank) this.write("");
      this.lastBlank = true;
      return;
    }
    if (this.seen.has(line)) return;
    this.seen.add(line);
    this.lastBlank = false;
    this.write(line);
  }
}

/** Filters a whole captured output (the tests use it). */
export function plainLog(output: string): string {
  const lines: string[] = [];
  const filter = new PlainProgress((l) => lines.push(l));
  filter.push(output);
  filter.end();
  return lines.join("\n");
}
