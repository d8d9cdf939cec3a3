import { readFile } from 'node:fs/promises';
import { invalidInput, messageOf } from '../core/errors.js';
import { TOOL_VERSION } from '../core/tool-version.js';
import type { RunResult } from '../core/types.js';
import { buildReportHtml } from '../report/html/report-document.js';
import { chartBundle } from '../report/html/report-files.js';
import { verdictOf } from '../results/facts.js';
import type { RunEventListener } from '../runtime/run-events.js';
import type { Scenario } from '../scenario/schema.js';
import { isLoopback, liveUrl, type LiveAddress } from './live-address.js';
import type { LiveMessage } from './live-messages.js';
import { livePageHtml, liveBundle } from './live-page.js';
import { LiveRun } from './live-run.js';
import { LiveServer } from './live-server.js';

/**
 * `run --live`: the page that follows a run command's runs one after the other. The command
 * tells it when a run begins (and gets the listener for the run's events), ends or fails, and
 * when everything is done; the page then becomes the final report, and the server closes once
 * the open pages have it, or after LIVE_LINGER_MS.
 */

/** The longest the command waits at its end for open pages to load the final report. */
export const LIVE_LINGER_MS = 3000;

interface Finished {
  result: RunResult;
  /** report.html as written, if it was */
  reportPath: string | undefined;
}

export class LivePage {
  private current: LiveRun | null = null;
  private readonly finished = new Map<number, Finished>();
  /** finished and failed runs, as told to the pages (a page that connects late hears them again) */
  private readonly history: LiveMessage[] = [];
  private runs = 0;
  private ended: { report: string | null; path: string | undefined } | null = null;
  private flushing = false;

  private constructor(
    readonly url: string,
    private readonly server: LiveServer,
    private readonly count: number,
  ) {}

  /**
   * Listens at `address` for a command of `count` runs; `say` gets the page's URL (and a warning
   * off loopback). Exit 104 when it cannot listen there.
   */
  static async open(address: LiveAddress, count: number, say: (line: string) => void): Promise<LivePage> {
    const page = livePageHtml({ toolVersion: TOOL_VERSION, bundle: await liveBundle() });
    let live: LivePage | undefined;
    const routes = {
      page: async () => (live?.ended ? ((await live.report(null)) ?? page) : page),
      replay: () => live?.replay() ?? [],
      report: async (n: number | null) => (live ? live.report(n) : null),
    };
    let bound: Awaited<ReturnType<typeof LiveServer.listen>>;
    try {
      bound = await LiveServer.listen(address.host, address.port, routes);
    } catch (e) {
      throw invalidInput([`--live ${address.host}:${address.port}: ${listenProblem(e)}`]);
    }
    live = new LivePage(liveUrl(address.host, bound.port), bound.server, count);
    say(`live page: ${live.url} (follows each run, then shows the report)`);
    if (!isLoopback(address.host))
      say(`live page: ${address.host} is not loopback: anyone who can reach it can watch the runs (read-only, no password)`);
    return live;
  }

  /** The next run begins: the page follows it. Returns the listener for its events (RunOptions.onEvent). */
  beginRun(label: string, scenario: Scenario): RunEventListener {
    const run = new LiveRun(
      {
        index: ++this.runs,
        count: this.count,
        label,
        scenario: scenario.name,
        transport: scenario.transport,
        durationMs: scenario.durationMs,
        warmupMs: scenario.warmupMs,
      },
      scenario,
    );
    this.current = run;
    this.server.broadcast({ type: 'run', run: run.info });
    return (event) => {
      if (this.current !== run) return;
      run.add(event);
      this.schedule();
    };
  }

  /** The current run ended with this result (its report written to `reportPath`, unless that failed). */
  endRun(result: RunResult, reportPath: string | undefined): void {
    const run = this.current;
    if (run === null) return;
    this.finished.set(run.info.index, { result, reportPath });
    const v = verdictOf(result);
    this.tell({
      type: 'finished',
      finished: { index: run.info.index, label: run.info.label, status: v.status, verdict: v.label, report: `/report/${run.info.index}` },
    });
  }

  /** The current run could not run: what the console said. */
  runFailed(lines: readonly string[]): void {
    if (this.current === null) return;
    this.tell({ type: 'failed', index: this.current.info.index, label: this.current.info.label, lines: [...lines] });
  }

  /**
   * Everything ran: the pages become the final report (`finalReport`, the suite's, when
   * written; else the last run's), and the server closes when they have it.
   */
  async finish(finalReport?: string): Promise<void> {
    const last = [...this.finished.keys()].pop();
    this.ended = { report: last === undefined ? null : '/report', path: finalReport };
    this.server.broadcast({ type: 'end', report: this.ended.report });
    await this.server.close(LIVE_LINGER_MS);
  }

  private tell(m: LiveMessage): void {
    this.history.push(m);
    this.server.broadcast(m);
  }

  /** One update per turn of the event loop: a sample and the figures made of it go out together. */
  private schedule(): void {
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => {
      this.flushing = false;
      // Nobody watching: nothing to build.
      if (this.current !== null && this.server.connected > 0) this.server.broadcast({ type: 'update', update: this.current.update() });
    });
  }

  private replay(): LiveMessage[] {
    const now: LiveMessage[] = this.current
      ? [
          { type: 'run', run: this.current.info },
          { type: 'update', update: this.current.update() },
        ]
      : [];
    return [...this.history, ...now, ...(this.ended ? [{ type: 'end' as const, report: this.ended.report }] : [])];
  }

  /** A run's report (n), or the final one (null) once the command is done. */
  private async report(n: number | null): Promise<string | null> {
    if (n === null) {
      if (this.ended === null) return null;
      const suite = this.ended.path === undefined ? null : await readFile(this.ended.path, 'utf8').catch(() => null);
      return suite ?? this.report([...this.finished.keys()].pop() ?? 0);
    }
    const f = this.finished.get(n);
    if (f === undefined) return null;
    const written = f.reportPath === undefined ? null : await readFile(f.reportPath, 'utf8').catch(() => null);
    // Not written (the folder could not be): the same page, made here.
    return (
      written ??
      buildReportHtml([{ result: f.result, ...(f.reportPath ? { source: f.reportPath } : {}) }], {
        bundle: await chartBundle(),
        generatedAt: new Date(),
        toolVersion: TOOL_VERSION,
      })
    );
  }
}

function listenProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return 'the port is in use (give another, or 0 for a free one)';
  if (code === 'EADDRNOTAVAIL') return 'no interface of this machine has that address';
  if (code === 'EACCES') return 'not allowed to listen there (ports below 1024 need privileges)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'unknown host name';
  return `cannot listen there: ${messageOf(e)}`;
}
