import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { LATENCY_BUCKETS_S, METRICS, prometheusName, RUN_LABELS, type MetricDefinition, type MetricKey } from './metric-catalogue.js';
import { isHistogramKey, type MetricSet, type ValueKey } from './metric-set.js';
import type { HistogramPoint } from './run-metrics.js';

/**
 * The command's metrics as a prom-client registry. Nothing is recorded into it: every metric
 * reads the metric set when scraped (prom-client's collect), so a scrape shows the figures of
 * the last sample, or result.json's once a run has ended.
 */
export function prometheusRegistry(set: MetricSet): Registry {
  const registry = new Registry();
  for (const key of Object.keys(METRICS) as MetricKey[]) {
    if (isHistogramKey(key)) registry.registerMetric(new BucketHistogram(METRICS[key], () => set.histograms(key)));
    else registerValues(registry, key, set);
  }
  return registry;
}

function registerValues(registry: Registry, key: ValueKey, set: MetricSet): void {
  const d = METRICS[key];
  const config = { name: prometheusName(d), help: d.help, labelNames: [...RUN_LABELS, ...d.labels], registers: [registry] };
  if (d.type === 'counter') {
    new Counter({
      ...config,
      collect() {
        this.reset();
        for (const p of set.values(key)) this.inc(p.labels, p.value);
      },
    });
  } else {
    new Gauge({
      ...config,
      collect() {
        this.reset();
        for (const p of set.values(key)) this.set(p.labels, p.value);
      },
    });
  }
}

type HistogramMetric = Awaited<ReturnType<Histogram['get']>>;
/** prom-client's types declare an enum; at run time, and in the text format, the type is this string */
const HISTOGRAM_TYPE = 'histogram' as unknown as HistogramMetric['type'];

/**
 * A histogram whose buckets come whole from the run's HDR histograms: prom-client's Histogram
 * only counts observations one by one, so this one answers the registry with its own buckets.
 */
class BucketHistogram extends Histogram {
  constructor(
    private readonly definition: MetricDefinition,
    private readonly points: () => HistogramPoint[],
  ) {
    super({
      name: definition.name,
      help: definition.help,
      labelNames: [...RUN_LABELS, ...definition.labels],
      buckets: [...LATENCY_BUCKETS_S],
      // registered by prometheusRegistry in its own registry, never in prom-client's global one
      registers: [],
    });
  }

  override async get(): Promise<HistogramMetric> {
    return this.snapshot();
  }

  /** what the registry reads for the text format */
  async getForPromString(): Promise<HistogramMetric> {
    return this.snapshot();
  }

  private snapshot(): HistogramMetric {
    const name = this.definition.name;
    const values = this.points().flatMap((p) => {
      let below = 0;
      const buckets = p.counts.map((n, i) => {
        below += n;
        const le = i < LATENCY_BUCKETS_S.length ? String(LATENCY_BUCKETS_S[i]) : '+Inf';
        return { metricName: `${name}_bucket`, labels: { ...p.labels, le }, value: below };
      });
      return [
        ...buckets,
        { metricName: `${name}_sum`, labels: p.labels, value: p.sum },
        { metricName: `${name}_count`, labels: p.labels, value: p.count },
      ];
    });
    return { name, help: this.definition.help, type: HISTOGRAM_TYPE, values, aggregator: 'sum', collect: () => undefined };
  }
}
