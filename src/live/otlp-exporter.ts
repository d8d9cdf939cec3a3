import { ValueType, type Attributes, type HrTime, type Observable } from '@opentelemetry/api';
import { AggregationTemporalityPreference, OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { emptyResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type CollectionResult,
  type HistogramMetricData,
  type MetricProducer,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { messageOf } from '../core/errors.js';
import { TOOL_VERSION } from '../core/tool-version.js';
import { LATENCY_BUCKETS_S, METRICS, type MetricDefinition, type MetricKey } from './metric-catalogue.js';
import { isHistogramKey, type HistogramKey, type MetricSet, type ValueKey } from './metric-set.js';

/**
 * The same metrics as /metrics, pushed over OTLP/HTTP (JSON) with the OpenTelemetry SDK:
 * counters and gauges are asynchronous instruments read from the metric set at each export;
 * the latency and send-lag histograms, whose buckets come whole from HDR histograms (the API
 * has no asynchronous histogram), are added by a MetricProducer. Cumulative temporality, so the
 * last export of a run carries its result.json figures.
 */

/** How often to export: OpenTelemetry's own variable, else every second (runs are short). */
export function exportIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env['OTEL_METRIC_EXPORT_INTERVAL']);
  return Number.isFinite(v) && v > 0 ? v : 1000;
}

const SCOPE = { name: 'zmq-bench', version: TOOL_VERSION };

export class OtlpMetrics {
  private readonly provider: MeterProvider;
  private readonly exporter: ReportingExporter;

  constructor(set: MetricSet, url: string, problem: (line: string) => void, intervalMs = exportIntervalMs()) {
    // an export that takes longer than the period is given up: a collector that is down must not hold up the end of a run
    const timeoutMillis = Math.min(intervalMs, 10_000);
    const otlp = new OTLPMetricExporter({ url, timeoutMillis, temporalityPreference: AggregationTemporalityPreference.CUMULATIVE });
    this.exporter = new ReportingExporter(otlp, url, problem);
    const started = hrTimeOf(Date.now());
    const reader = new PeriodicExportingMetricReader({
      exporter: this.exporter,
      exportIntervalMillis: intervalMs,
      exportTimeoutMillis: timeoutMillis,
      metricProducers: [histogramProducer(set, started)],
      cardinalityLimits: { default: 50_000 },
    });
    this.provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'zmq-bench', 'service.version': TOOL_VERSION }),
      readers: [reader],
    });
    observeValues(this.provider, set);
  }

  /** Exports now (the end of a run), whatever the period. */
  async flush(): Promise<void> {
    await this.provider.forceFlush();
  }

  /** A last export, then nothing more; says once more when it failed. */
  async close(): Promise<void> {
    await this.provider.shutdown();
    this.exporter.reportLast();
  }
}

/** Every counter and gauge of the catalogue, observed together from one read of the metric set. */
function observeValues(provider: MeterProvider, set: MetricSet): void {
  const meter = provider.getMeter(SCOPE.name, SCOPE.version);
  const instruments = new Map<ValueKey, Observable>();
  for (const key of Object.keys(METRICS) as MetricKey[]) {
    if (isHistogramKey(key)) continue;
    const d = METRICS[key];
    const options = { description: d.help, unit: d.unit, valueType: valueTypeOf(d) };
    instruments.set(
      key,
      d.type === 'counter' ? meter.createObservableCounter(d.name, options) : meter.createObservableGauge(d.name, options),
    );
  }
  meter.addBatchObservableCallback(
    (result) => {
      for (const [key, instrument] of instruments) for (const p of set.values(key)) result.observe(instrument, p.value, p.labels);
    },
    [...instruments.values()],
  );
}

function valueTypeOf(d: MetricDefinition): ValueType {
  return d.unit === '{message}' || d.unit === '{event}' ? ValueType.INT : ValueType.DOUBLE;
}

function histogramProducer(set: MetricSet, startTime: HrTime): MetricProducer {
  const keys = (Object.keys(METRICS) as MetricKey[]).filter(isHistogramKey);
  return {
    async collect(): Promise<CollectionResult> {
      const endTime = hrTimeOf(Date.now());
      const metrics = keys.map((key: HistogramKey): HistogramMetricData => {
        const d = METRICS[key];
        return {
          descriptor: { name: d.name, description: d.help, unit: d.unit, valueType: ValueType.DOUBLE },
          aggregationTemporality: AggregationTemporality.CUMULATIVE,
          dataPointType: DataPointType.HISTOGRAM,
          dataPoints: set.histograms(key).map((p) => ({
            startTime,
            endTime,
            attributes: p.labels as Attributes,
            value: { buckets: { boundaries: [...LATENCY_BUCKETS_S], counts: p.counts }, sum: p.sum, count: p.count },
          })),
        };
      });
      // the reader puts these under the provider's resource
      return { resourceMetrics: { resource: emptyResource(), scopeMetrics: [{ scope: SCOPE, metrics }] }, errors: [] };
    },
  };
}

function hrTimeOf(ms: number): HrTime {
  return [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];
}

/** The OTLP exporter, telling once when an export fails (the SDK only logs to its silent diag logger). */
class ReportingExporter implements PushMetricExporter {
  private lastFailure: string | null = null;
  private told = false;

  constructor(
    private readonly inner: OTLPMetricExporter,
    private readonly url: string,
    private readonly problem: (line: string) => void,
  ) {}

  export(metrics: ResourceMetrics, done: Parameters<PushMetricExporter['export']>[1]): void {
    this.inner.export(metrics, (result) => {
      this.lastFailure = result.code === 0 ? null : messageOf(result.error ?? 'export failed');
      if (this.lastFailure !== null && !this.told) {
        this.told = true;
        this.problem(`--otlp ${this.url}: export failed: ${this.lastFailure} (the run goes on)`);
      }
      done(result);
    });
  }

  reportLast(): void {
    if (this.lastFailure !== null) this.problem(`--otlp ${this.url}: the last export failed: ${this.lastFailure}`);
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  selectAggregationTemporality(...args: Parameters<OTLPMetricExporter['selectAggregationTemporality']>) {
    return this.inner.selectAggregationTemporality(...args);
  }

  selectAggregation(...args: Parameters<OTLPMetricExporter['selectAggregation']>) {
    return this.inner.selectAggregation(...args);
  }
}
