import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PREFIX, describeError, type Output, type RunScenarioFn } from './app.js';
import { invalidInput } from './core/errors.js';
import { ExitCode, type ExitCodeValue } from './core/exit-codes.js';
import { formatDurationMs } from './core/units.js';
import { writeFileAtomically, writeResult, defaultOutDir } from './report/result-writer.js';
import { REPORT_FILE, writeReport } from './report/html/report-files.js';
import { loadRunnable } from './scenario/suite.js';
import { applyOverrides } from './scenario/overrides.js';
import type { Scenario, TransportName } from './scenario/schema.js';
import { catalogueExitCode, judgeRun, type CatalogueEntry } from './verify/verdict.js';
import { catalogueMarkdown, catalogueTable } from './verify/catalogue-table.js';

/**
 * `zmq-bench verify`: runs every shipped scenario that states a ZeroMQ claim (an `expect:`
 * block, ../shared/BEHAVIOURS.md B1-B20) and prints, per claim, what was measured and whether
 * it held. Exit 0 only when every required expectation holds.
 */

export interface VerifyOptions {
  /** the folder of scenarios to look in (the shipped scenarios/ by default) */
  dir: string;
  transport?: TransportName;
  /** behaviour ids, e.g. B7 and B10; all when absent */
  only?: string[];
  durationMs?: number;
  out?: string;
  quiet?: boolean;
  color?: boolean;
  debug?: boolean;
  signal?: AbortSignal;
}

export interface CatalogueScenario {
  file: string;
  scenario: Scenario;
}

/** The scenarios of a folder that carry an `expect:` block, in behaviour order. */
export async function catalogueOf(dir: string): Promise<CatalogueScenario[]> {
  const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  const out: CatalogueScenario[] = [];
  for (const f of files) {
    const loaded = await loadRunnable(join(dir, f), {});
    // a suite states no claim of its own; a scenario with a matrix runs its first variant
    if (loaded.suite !== null) continue;
    const scenario = loaded.entries[0]!.scenario;
    if (scenario.expect) out.push({ file: join(dir, f), scenario });
  }
  return out.sort((a, b) => idNumber(a.scenario) - idNumber(b.scenario));
}

const idNumber = (s: Scenario): number => Number(s.expect!.behaviour.slice(1));

export async function verifyCatalogue(opts: VerifyOptions, io: Output, run: RunScenarioFn): Promise<ExitCodeValue> {
  let catalogue = await catalogueOf(opts.dir);
  if (opts.only) {
    const known = new Set(catalogue.map((c) => c.scenario.expect!.behaviour));
    const unknown = opts.only.filter((id) => !known.has(id));
    if (unknown.length > 0) throw invalidInput(unknown.map((id) => `--only ${id}: no scenario in ${opts.dir} states behaviour ${id} (there are ${[...known].join(', ')})`));
    catalogue = catalogue.filter((c) => opts.only!.includes(c.scenario.expect!.behaviour));
  }
  const root = opts.out ?? defaultOutDir('verify', new Date());
  const log = opts.quiet ? undefined : (line: string) => io.err(line);
  const entries: CatalogueEntry[] = [];
  for (const c of catalogue) {
    if (opts.signal?.aborted) break;
    const s = applyOverrides(c.scenario, { transport: opts.transport, durationMs: opts.durationMs });
    const id = s.expect!.behaviour;
    log?.(`${id}: running ${s.name} from ${c.file} (${s.transport}, ${formatDurationMs(s.durationMs)})`);
    try {
      const result = await run(s, { signal: opts.signal, log: opts.quiet ? undefined : (l: string) => io.err(`  ${l}`) });
      const dir = join(root, `${id}-${s.name}`);
      const written = await writeResult(dir, result);
      await writeReport(join(dir, REPORT_FILE), [{ result, source: written }]);
      entries.push(judgeRun(s.expect!, result));
    } catch (e) {
      const { lines } = describeError(e, opts.debug);
      for (const line of lines) io.err(line);
      entries.push(judgeRun(s.expect!, null));
    }
  }
  io.out(catalogueTable(entries, { color: opts.color }));
  await writeFileAtomically(join(root, 'catalogue.json'), `${JSON.stringify(entries, null, 2)}\n`);
  await writeFileAtomically(join(root, 'catalogue.md'), catalogueMarkdown(entries));
  io.out(`catalogue written to ${join(root, 'catalogue.json')} and catalogue.md; each claim's run and report.html in ${root}`);
  const code = opts.signal?.aborted ? ExitCode.interrupted : catalogueExitCode(entries);
  io.err(`${PREFIX}verify: exit code ${code}`);
  return code;
}
