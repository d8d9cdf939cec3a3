/**
 * `npm run bench:catalogue`: runs `zmq-bench verify` over inproc, ipc, tcp and udp and prints the
 * table of docs/behaviours.md (claim × transport: verdict and the measured figures), naming the
 * machine. With `--write-docs` (`npm run docs:catalogue`) it writes the table into
 * docs/behaviours.md instead; never otherwise. Other arguments go to verify (e.g. --only B7,B10).
 * With `--engine native` the table is the native engine's, and has a block of its own there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeEnvironment } from '../src/runtime/environment.js';
import { escapeMarkdown } from '../src/report/markdown-summary.js';
import { TRANSPORTS } from '../src/scenario/schema.js';
import type { CatalogueEntry } from '../src/verify/verdict.js';
import { formatValue } from '../src/verify/catalogue-table.js';
import { WRITE_DOCS, writeDocsFlag, writeMarkedBlock } from './readme-block.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOC = join(ROOT, 'docs/behaviours.md');

const { writeDocs, rest } = writeDocsFlag(process.argv.slice(2));
const engineAt = rest.indexOf('--engine');
const native = engineAt >= 0 && rest[engineAt + 1] === 'native';
// each engine's table has a block of its own, so measuring one never overwrites the other
const START = native
  ? '<!-- catalogue-native:start (written by npm run docs:catalogue -- --engine native) -->'
  : '<!-- catalogue:start (written by npm run docs:catalogue) -->';
const END = native ? '<!-- catalogue-native:end -->' : '<!-- catalogue:end -->';
const started = Date.now();
const byTransport = new Map<string, CatalogueEntry[]>();
const out = mkdtempSync(join(tmpdir(), 'zmq-bench-catalogue-'));
try {
  for (const t of TRANSPORTS) {
    const dir = join(out, t);
    const run = spawnSync(process.execPath, [join(ROOT, 'dist/src/cli.js'), 'verify', '--transport', t, '--out', dir, '--quiet', ...rest], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (!existsSync(join(dir, 'catalogue.json'))) throw new Error(`verify over ${t} wrote no catalogue (exit ${run.status})`);
    byTransport.set(t, (JSON.parse(readFileSync(join(dir, 'catalogue.json'), 'utf8')) as { claims: CatalogueEntry[] }).claims);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

/** One cell: the verdict, then each assertion's figure. */
function cell(e: CatalogueEntry | undefined): string {
  if (!e) return 'does not apply';
  const figures = e.assertions.map(
    (a) => `${a.holds ? '✓' : '✗'} ${escapeMarkdown(a.path.replace(/^groups\./, ''))} = ${formatValue(a.actual)}`,
  );
  return [`**${e.verdict}**`, ...figures].join('<br>');
}

const keyOf = (e: CatalogueEntry) => `${e.behaviour}|${e.claim}`;
const claims = new Map<string, CatalogueEntry>();
for (const entries of byTransport.values()) for (const e of entries) if (!claims.has(keyOf(e))) claims.set(keyOf(e), e);
const rows = [...claims.values()].sort((a, b) => Number(a.behaviour.slice(1)) - Number(b.behaviour.slice(1)));
const env = describeEnvironment(native);
const engineText = env.nativeEngine
  ? `the native engine on libzmq ${env.nativeEngine.libzmq} (${env.nativeEngine.library.replace(/^.*\/node_modules\//, '')})`
  : `zeromq.js ${env.zeromqJs} / libzmq ${env.libzmq}`;
const required = [...byTransport.values()].flat().flatMap((e) => e.assertions.filter((a) => a.required));
const block = [
  `| id | claim (seeds) | ${TRANSPORTS.join(' | ')} |`,
  `|---|---|${TRANSPORTS.map(() => '---').join('|')}|`,
  ...rows.map((c) => {
    const cells = TRANSPORTS.map((t) => cell(byTransport.get(t)?.find((e) => keyOf(e) === keyOf(c))));
    return `| ${c.behaviour} | ${escapeMarkdown(c.claim)} (${c.seeds.join(', ')}) | ${cells.join(' | ')} |`;
  }),
  '',
  `*Measured by \`npm run bench:catalogue${native ? ' -- --engine native' : ''}\` (zmq-bench verify${native ? ' --engine native' : ''} over each transport, each claim's scenario as shipped) on ${env.cpuModel} × ${env.cores} cores, ` +
    `${env.os} ${env.arch}, Node ${env.node}, ${engineText}, ${new Date().toISOString().slice(0, 10)}, in ${Math.round((Date.now() - started) / 1000)} s. ` +
    `"does not apply": the claim's scenario names the transports it applies to. ` +
    `Required assertions held: ${required.filter((a) => a.holds).length} of ${required.length} (verify exits 0 only when all do).*`,
].join('\n');
if (writeDocs) {
  writeMarkedBlock(DOC, START, END, block);
  console.log(`docs/behaviours.md: ${rows.length} claims written`);
} else {
  console.log(block);
  console.error(`docs/behaviours.md untouched (${WRITE_DOCS}, or npm run docs:catalogue, to write the table there)`);
}
