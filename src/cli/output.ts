import { forTerminal, jsonForTerminal } from '../store/input/sanity.ts';

/**
 * Everything the CLI prints goes through here, so that no text — a customer name with ESC or BEL in it, a
 * QuickBooks message, a file name — can drive the terminal: control characters other than tab and line feed are
 * printed as visible escapes (store/input/sanity.ts). JSON output stays one valid JSON document.
 */
export function say(text = ''): void {
  process.stdout.write(`${forTerminal(text)}\n`);
}

/** A line on stderr (problems, hints, human output that must not mix with --json on stdout). */
export function complain(text: string): void {
  process.stderr.write(`${forTerminal(text)}\n`);
}

/** One JSON document on stdout (`--json`). */
export function printJson(value: unknown): void {
  process.stdout.write(`${jsonForTerminal(value)}\n`);
}
