import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

/**
 * Replaces what stands between two marker comments of the README with `body`, so a figure in
 * the README is always the output of the script that writes it. Fails when a marker is missing.
 */
export function writeReadmeBlock(start: string, end: string, body: string): void {
  writeMarkedBlock(README, start, end, body);
}

/** The same for any Markdown file (docs/behaviours.md): fails when a marker is missing. */
export function writeMarkedBlock(file: string, start: string, end: string, body: string): void {
  const text = readFileSync(file, 'utf8');
  const [before, rest] = text.split(start);
  const after = rest?.split(end)[1];
  if (before === undefined || after === undefined) throw new Error(`${file} has no ${start} … ${end} block`);
  writeFileSync(file, `${before}${start}\n${body}\n${end}${after}`);
}

/** The flag without which no bench script rewrites README.md or docs/: measuring alone never does. */
export const WRITE_DOCS = '--write-docs';

/** Whether `--write-docs` is among the arguments, and the others (to pass on to the CLI). */
export function writeDocsFlag(args: readonly string[]): { writeDocs: boolean; rest: string[] } {
  return { writeDocs: args.includes(WRITE_DOCS), rest: args.filter((a) => a !== WRITE_DOCS) };
}
