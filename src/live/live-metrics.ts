import { sleep } from '../core/clock.js';
import { invalidInput, messageOf } from '../core/errors.js';
import type { RunResult } from '../core/types.js';
import { formatDurationMs } from '../core/units.js';
import type { RunEventListener } from '../runtime/run-events.js';
import type { Scenario } from '../scenario/schema.js';
import { MetricSet } from './metric-set.js';
import { DEFAULT_LINGER_MS, type MetricsOptions } from './metrics-args.js';
import type { OtlpMetrics } from './otlp-exporter.js';
import { MetricsServer } from './prometheus-server.js';

/**
 * The live metrics of one `zmq-bench run` command: one /metrics server and one OTLP exporter
 * for all its runs (a suite, a matrix, repeats), opened before the first run and closed after
 * the last, once /metrics has served the final figures for the linger time.
 */

/** What a run tells the live metrics. */
export interface LiveRun {
  onEvent: RunEventListener;
  /** the run's result as written to result.json: its figures replace the live ones; OTLP exports them now */
  finish(result: RunResult): Promise<void>;
  /** the run failed without a result */
  failed(): void;
}

export interface LiveOutput {
  /** progress lines (the addresses); absent with --quiet */
  log?: (line: string) => void;
  /** something the user should know even with --quiet (an export that failed) */
  problem: (line: string) => void;
}

export class LiveMetrics {
  private constructor(
    private readonly set: MetricSet,
    private readonly server: MetricsServer | null,
    private readonly otlp: OtlpMetrics | null,
    private readonly lingerMs: number,
    private readonly out: LiveOutput,
  ) {}

  /** null when no flag asks for metrics; a port that cannot be listened on is bad input (exit 104). */
  static async open(o: MetricsOptions, out: LiveOutput): Promise<LiveMetrics | null> {
    if (o.listen === undefined && o.otlp === undefined) return null;
    const set = new MetricSet();
    let server: MetricsServer | null = null;
    if (o.listen) {
      try {
        // loaded only when asked for: prom-client and the OpenTelemetry SDK add ~0.15 s to every start
        const { prometheusRegistry } = await import('./prometheus-registry.js');
        server = await MetricsServer.listen(o.listen, prometheusRegistry(set));
      } catch (e) {
        throw invalidInput([`--metrics ${o.listen.host}:${o.listen.port}: cannot serve there: ${messageOf(e)}`]);
      }
      out.log?.(`metrics at ${server.url}`);
    }
    const otlp = o.otlp === undefined ? null : new (await import('./otlp-exporter.js')).OtlpMetrics(set, o.otlp, out.problem);
    if (o.otlp !== undefined) out.log?.(`metrics pushed to ${o.otlp} (OTLP/HTTP)`);
    return new LiveMetrics(set, server, otlp, o.lingerMs ?? DEFAULT_LINGER_MS, out);
  }

  begin(scenario: Scenario, ids: { variant: string; run: number }): LiveRun {
    const run = this.set.begin(scenario, ids);
    return {
      onEvent: (e) => run.onEvent(e),
      finish: async (result) => {
        run.finish(result);
        await this.otlp?.flush();
      },
      failed: () => run.ended(),
    };
  }

  /**
   * After the last run: OTLP's last export, then /metrics keeps serving the final figures for
   * the linger time (cut short by the signal: Ctrl-C), then stops.
   */
  async close(signal?: AbortSignal): Promise<void> {
    await this.otlp?.close();
    if (!this.server) return;
    if (this.lingerMs > 0 && !signal?.aborted) {
      this.out.log?.(`serving the final figures at ${this.server.url} for ${formatDurationMs(this.lingerMs)} more (--metrics-linger)`);
      await sleep(this.lingerMs, { signal });
    }
    await this.server.close();
  }
}
