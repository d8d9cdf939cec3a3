import { LATENCY_GOAL, THROUGHPUT_GOAL } from './judge.js';
import type { CaseSpec, Measurement, OverheadReport, Ratio } from './types.js';

export function caseName(c: CaseSpec): string {
  return `${c.pattern} ${sizeText(c.sizeBytes)} ${c.transport}`;
}

function sizeText(bytes: number): string {
  return bytes >= 1024 && bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} B`;
}

function rateText(perSec: number): string {
  if (!Number.isFinite(perSec)) return '–';
  if (perSec >= 1e6) return `${(perSec / 1e6).toFixed(2)}M`;
  if (perSec >= 1e3) return `${(perSec / 1e3).toFixed(1)}k`;
  return perSec.toFixed(0);
}

function usText(us: number | null): string {
  if (us === null || !Number.isFinite(us)) return '–';
  return us >= 100 ? us.toFixed(0) : us.toFixed(1);
}

export function measurementText(c: CaseSpec, m: Measurement | null): string {
  if (m === null) return 'failed';
  return c.pattern === 'push-pull' ? `${rateText(m.perSec)} msgs/s` : `p50 ${usText(m.p50Us)} / p99 ${usText(m.p99Us)} µs`;
}

function ratioText(r: Ratio | null, digits = 2): string {
  return r === null ? '–' : `${r.median.toFixed(digits)} (${r.min.toFixed(digits)}–${r.max.toFixed(digits)})`;
}

function machine(report: OverheadReport): string {
  const e = report.environment;
  const s = report.settings;
  return (
    `*${e.cpu} × ${e.cores} cores, ${e.os}, Node ${e.node}, zeromq.js ${e.zeromqJs} / libzmq ${e.libzmq}; load average at start ${e.loadAverage.join(' ')}. ` +
    `${s.repeats} alternating round(s) per case, ${s.durationMs} ms measured after ${s.warmupMs} ms warm-up; whole run ${(report.elapsedMs / 1000).toFixed(0)} s.`
  );
}

/** The zeromq.js engine against the bare zeromq.js loop (issue 8), as a Markdown table. */
export function overheadTable(report: OverheadReport): string {
  const rows = report.cases.map((c) => {
    const thr = c.pattern === 'push-pull';
    const ratio = thr ? ratioText(c.ratio) : `p50 ${ratioText(c.ratio)}<br>p99 ${ratioText(c.ratioP99)}`;
    let native = '–';
    if (c.c) {
      const times = thr ? c.c.median.perSec / c.bare.median.perSec : (c.c.median.p50Us ?? Number.NaN) / (c.bare.median.p50Us ?? Number.NaN);
      native = `${measurementText(c, c.c.median)} (${Number.isFinite(times) ? times.toFixed(thr ? 1 : 2) : '–'}× bare${thr ? '' : ' p50'})`;
    }
    const goal = `${c.goal.met ? 'yes' : '**no**'} (${thr ? `≥ ${THROUGHPUT_GOAL}` : `≤ ${LATENCY_GOAL}`})`;
    const errors = c.errors.length > 0 ? ` ⚠ ${c.errors.length} failed run(s)` : '';
    const p50 = thr ? '' : 'p50 ';
    const floor = `${measurementText(c, c.floor.median)}: ${p50}${ratioText(c.floorRatio)}× bare`;
    return `| ${caseName(c)}${errors} | ${measurementText(c, c.bare.median)} | ${measurementText(c, c.harness.median)} | ${ratio} | ${goal} | ${floor} | ${p50}${ratioText(c.harnessToFloor)} | ${native} |`;
  });
  const e = report.environment;
  const cNote = report.skipped.c ? ` C: skipped (${report.skipped.c}).` : e.cLibzmq ? ` C: system libzmq ${e.cLibzmq}.` : '';
  return [
    '| case | bare zeromq.js (median) | zmq-bench (median) | zmq-bench / bare: median (min–max of rounds) | goal met | measuring floor (median) | zmq-bench / floor | C (median) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `${machine(report)}${cNote}*`,
    '',
    "Measuring floor: the bare loop plus only the per-message work that measuring needs (stamp the header, check `writable`, decode, track the sequence, record the histograms), with none of zmq-bench's structure (bench/bare/measuring.ts): how close any harness measuring the same figures can come to the bare loop in JavaScript. Run between bare and zmq-bench in every round.",
    ...report.cases.flatMap((c) => c.errors.map((err) => `- ${caseName(c)}: ${err}`)),
  ].join('\n');
}

/** The native engine against C and against the zeromq.js engine (issue 19), as a Markdown table. */
export function nativeEngineTable(report: OverheadReport): string {
  if (report.skipped.nativeEngine) return `The native engine did not run: ${report.skipped.nativeEngine}.`;
  const rows = report.cases
    .filter((c) => c.nativeEngine !== null)
    .map((c) => {
      const thr = c.pattern === 'push-pull';
      const p50 = thr ? '' : 'p50 ';
      const goals = c.nativeGoals.map((g) => `${g.met ? 'yes' : '**no**'} (${g.text})`).join('<br>');
      return `| ${caseName(c)} | ${c.c ? measurementText(c, c.c.median) : '–'} | ${measurementText(c, c.nativeEngine!.median)} | ${p50}${ratioText(c.nativeToC)} | ${measurementText(c, c.harness.median)} | ${p50}${ratioText(c.nativeToHarness, 1)} | ${goals} |`;
    });
  const e = report.environment;
  const libraries = [
    e.nativeEngine ? `native engine: ${e.nativeEngine.library} (libzmq ${e.nativeEngine.libzmq})` : '',
    e.cLibzmq ? `C: system libzmq ${e.cLibzmq}` : `C: skipped (${report.skipped.c ?? 'not run'})`,
  ].filter((x) => x !== '');
  return [
    '| case | C (median) | zmq-bench, native engine (median) | native / C: median (min–max of rounds) | zmq-bench, zeromq.js engine (median) | native / zeromq.js | goals met |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `${machine(report)} ${libraries.join('; ')}.*`,
    '',
    'Every round runs bare, floor, zmq-bench on zeromq.js, zmq-bench on the native engine and C in turn; a ratio is taken within a round and the table gives the median and range over the rounds. zmq-bench measures fully on both engines (header stamp, sequence tracking, histograms, samples every 100 ms); C only counts.',
  ].join('\n');
}
