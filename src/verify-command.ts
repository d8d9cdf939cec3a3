import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PREFIX, describeError, type Output, type RunScenarioFn } from './app.js';
import { invalidInput, isBenchError, messageOf } from './core/errors.js';
import { ExitCode, type ExitCodeValue } from './core/exit-codes.js';
import { TOOL_VERSION } from './core/tool-version.js';
import type { RunResult } from './core/types.js';
import { formatDurationMs } from './core/units.js';
import { writeFileAtomically, writeResult, defaultOutDir } from './results/write.js';
import { REPORT_FILE, writeReport } from './report/html/report-files.js';
import { checkOutputPaths } from './results/output-paths.js';
import { loadRunnable } from './scenario/suite.js';
import { runTransport } from './scenario/transports.js';
import { applyOverrides } from './scenario/overrides.js';
import type { EngineName, Scenario, TransportName } from './scenario/schema.js';
import { engineProblems, engineUnavailable, learnDraftSupport } from './engine/availability.js';
import { netFaultsSkipReason } from './transport/net-faults.js';
import { catalogueExitCode, judgeRun, type CatalogueEntry } from './verify/verdict.js';
import { catalogueMarkdown, catalogueTable } from './verify/catalogue-table.js';
import { catalogueHtml, type CatalogueClaim, type SkippedClaim } from './verify/catalogue-html.js';

/**
 * `zmq-bench verify`: runs every shipped scenario that states a ZeroMQ claim (an `expect:`
 * block, docs/behaviours.md) and prints, per claim, what was measured and whether
 * it held. Exit 0 only when every required expectation holds. Writes, under --out, each
 * claim's result.json and report.html, and the catalogue: catalogue.json, catalogue.md and
 * catalogue.html (one card per claim with its key chart: the report of a verify run).
 */

export interface VerifyOptions {
  /** the folder of scenarios to look in (the shipped scenarios/ by default) */
  dir: string;
  /** run every claim over this transport; claims whose `expect.transports` leave it out are skipped */
  transport?: TransportName;
  /** run every claim on this engine (--engine) */
  engine?: EngineName;
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

/** A claim of the catalogue that runs: its scenario as it will run (overrides applied). */
interface PlannedClaim {
  file: string;
  scenario: Scenario;
}

/** Why a scenario's network faults cannot act on this machine (not root, no nft or tc), or null. */
function networkFaultsUnavailable(s: Scenario): string | null {
  const why = s.networkFaults.length > 0 ? netFaultsSkipReason() : null;
  return why === null ? null : `its network faults cannot act here: ${why}`;
}

/**
 * Which claims run and which are skipped: because `--transport` is not among the transports
 * they apply to (`expect.transports`), or because their scenario's own groups need an engine
 * this machine cannot load (`ask`; tests simulate it), which must not fail the rest of the
 * catalogue. Without --transport every claim runs on its scenario's own transport. The
 * overrides of every claim are applied before anything runs, so a --duration too short for
 * one claim's events is reported, with all such problems, at once.
 */
export function planCatalogue(
  catalogue: readonly CatalogueScenario[],
  opts: Pick<VerifyOptions, 'transport' | 'durationMs' | 'engine'>,
  ask: (engine: EngineName) => string | null = engineUnavailable,
): { run: PlannedClaim[]; skipped: SkippedClaim[] } {
  const run: PlannedClaim[] = [];
  const skipped: SkippedClaim[] = [];
  const problems: string[] = [];
  const flagged = opts.engine === undefined ? null : ask(opts.engine);
  if (flagged !== null) throw invalidInput([`--engine ${opts.engine}: ${flagged}`]);
  for (const c of catalogue) {
    const expect = c.scenario.expect!;
    if (opts.transport !== undefined && !expect.transports.includes(opts.transport)) {
      skipped.push({ behaviour: expect.behaviour, claim: expect.claim, scenario: c.scenario.name, transports: expect.transports });
      continue;
    }
    try {
      const scenario = applyOverrides(c.scenario, { transport: opts.transport, durationMs: opts.durationMs, engine: opts.engine });
      const [unavailable = networkFaultsUnavailable(scenario)] = engineProblems(scenario, ask);
      if (unavailable === undefined || unavailable === null) run.push({ file: c.file, scenario });
      else
        skipped.push({
          behaviour: expect.behaviour,
          claim: expect.claim,
          scenario: c.scenario.name,
          transports: expect.transports,
          why: unavailable,
        });
    } catch (e) {
      const listed = isBenchError(e) && e.problems.length > 0 ? e.problems : [messageOf(e)];
      problems.push(...listed.map((p) => `${expect.behaviour} (${c.file}): ${p}`));
    }
  }
  if (problems.length > 0) throw invalidInput(problems);
  return { run, skipped };
}

/**
 * "skipped on inproc, where they are not claimed: B10 (tcp only), B12 (ipc, tcp)", then a line
 * per claim that cannot run here and why; null when nothing was skipped.
 */
export function skippedLine(skipped: readonly SkippedClaim[], transport: string | undefined): string | null {
  const notClaimed = skipped.filter((s) => s.why === undefined);
  const list = notClaimed.map(
    (s) => `${s.behaviour} (${s.transports.length === 1 ? `${s.transports[0]!} only` : s.transports.join(', ')})`,
  );
  const lines = [
    ...(notClaimed.length === 0
      ? []
      : [
          `skipped on ${transport ?? 'this transport'}, where ${notClaimed.length === 1 ? 'it is' : 'they are'} not claimed: ${list.join(', ')}`,
        ]),
    ...skipped.flatMap((s) => (s.why === undefined ? [] : [`skipped ${s.behaviour}, which cannot run here: ${s.why}`])),
  ];
  return lines.length === 0 ? null : lines.join('\n');
}

/** catalogue.json: the transport asked for, every judged claim with where its run is, and the claims skipped. */
export interface CatalogueFile {
  /** `--transport`; null when each claim ran on its scenario's own */
  transport: TransportName | null;
  claims: Array<CatalogueEntry & { scenario: string; transport: string; dir: string }>;
  skipped: SkippedClaim[];
}

export const CATALOGUE_FILES = { json: 'catalogue.json', markdown: 'catalogue.md', html: 'catalogue.html' } as const;

export async function verifyCatalogue(opts: VerifyOptions, io: Output, run: RunScenarioFn): Promise<ExitCodeValue> {
  let catalogue = await catalogueOf(opts.dir);
  if (opts.only) {
    const known = new Set(catalogue.map((c) => c.scenario.expect!.behaviour));
    const unknown = opts.only.filter((id) => !known.has(id));
    if (unknown.length > 0)
      throw invalidInput(
        unknown.map((id) => `--only ${id}: no scenario in ${opts.dir} states behaviour ${id} (there are ${[...known].join(', ')})`),
      );
    catalogue = catalogue.filter((c) => opts.only!.includes(c.scenario.expect!.behaviour));
  }
  await learnDraftSupport(
    catalogue.map((c) => c.scenario),
    opts.engine,
  );
  const plan = planCatalogue(catalogue, opts);
  const root = opts.out ?? defaultOutDir('verify', new Date());
  // before any claim runs: a folder that cannot be written would lose the whole catalogue
  await checkOutputPaths([{ flag: opts.out === undefined ? 'the results folder' : '--out', path: root, kind: 'folder' }]);
  const log = opts.quiet ? undefined : (line: string) => io.err(line);
  const skipped = skippedLine(plan.skipped, opts.transport);
  if (skipped) log?.(skipped);
  const claims: CatalogueClaim[] = [];
  const dirs: string[] = [];
  for (const { file, scenario: s } of plan.run) {
    if (opts.signal?.aborted) break;
    const id = s.expect!.behaviour;
    const dirName = `${id}-${s.name}`;
    log?.(`${id}: running ${s.name} from ${file} (${runTransport(s)}, ${formatDurationMs(s.durationMs)})`);
    let result: RunResult | null = null;
    let report: string | undefined;
    try {
      result = await run(s, { signal: opts.signal, log: opts.quiet ? undefined : (l: string) => io.err(`  ${l}`) });
      const dir = join(root, dirName);
      const written = await writeResult(dir, result);
      await writeReport(join(dir, REPORT_FILE), [{ result, source: written }]);
      report = `${dirName}/${REPORT_FILE}`;
    } catch (e) {
      const { lines } = describeError(e, opts.debug);
      for (const line of lines) io.err(line);
    }
    claims.push({
      entry: judgeRun(s.expect!, result),
      result,
      scenario: s.name,
      transport: runTransport(s),
      ...(report !== undefined ? { report } : {}),
    });
    dirs.push(dirName);
  }
  const entries = claims.map((c) => c.entry);
  io.out(catalogueTable(entries, { color: opts.color }));
  if (skipped) io.out(skipped);
  const file: CatalogueFile = {
    transport: opts.transport ?? null,
    claims: claims.map((c, i) => ({ ...c.entry, scenario: c.scenario, transport: c.transport, dir: dirs[i]! })),
    skipped: plan.skipped,
  };
  await writeFileAtomically(join(root, CATALOGUE_FILES.json), `${JSON.stringify(file, null, 2)}\n`);
  await writeFileAtomically(join(root, CATALOGUE_FILES.markdown), `${catalogueMarkdown(entries)}${skipped ? `\n\n${skipped}` : ''}\n`);
  await writeFileAtomically(
    join(root, CATALOGUE_FILES.html),
    catalogueHtml(claims, {
      generatedAt: new Date(),
      toolVersion: TOOL_VERSION,
      skipped: plan.skipped,
      ...(opts.transport ? { transport: opts.transport } : {}),
    }),
  );
  io.out(
    `catalogue written to ${join(root, CATALOGUE_FILES.html)} (and ${CATALOGUE_FILES.json}, ${CATALOGUE_FILES.markdown}); each claim's run and report.html in ${root}`,
  );
  const code = opts.signal?.aborted ? ExitCode.interrupted : catalogueExitCode(entries);
  io.err(`${PREFIX}verify: exit code ${code}`);
  return code;
}
