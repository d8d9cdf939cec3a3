import type { Environment } from '../core/types.js';
import { ExitCode } from '../core/exit-codes.js';
import type { FigureChange, SuiteOutcome, VariantOutcome } from '../ci/types.js';
import { clockText } from './host-notes.js';

/**
 * JUnit XML for CI test reporters (Jenkins, GitLab, GitHub actions that read JUnit). Pure: a
 * SuiteOutcome in, the document out. One <testsuite> per variant; its testcases are the
 * measurement's validity, each threshold, and each comparison with the baseline.
 */

/** Characters XML 1.0 does not allow at all, even escaped (with `u`, lone surrogates match too). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // In attributes a parser turns raw tabs and line breaks into spaces; references keep them.
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Element content. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A quoted attribute value. */
function xmlAttr(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"'\t\n\r]/g, (c) => ENTITIES[c]!);
}

function attrs(pairs: Record<string, string | number>): string {
  return Object.entries(pairs)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
}

/** One testcase: passed, or with a single failure / error / skipped child. */
interface Case {
  name: string;
  seconds: number;
  outcome?: { kind: 'failure' | 'error' | 'skipped'; type?: string; message: string; body?: string };
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  seconds: number;
}

const seconds = (s: number): string => s.toFixed(3);

function validityCase(v: VariantOutcome, runSeconds: number): Case {
  // The measurement itself carries the run time, so testcase times add up to the suite's.
  const invalid = v.exitCode === ExitCode.invalidMeasurement || v.exitCode === ExitCode.interrupted;
  if (!invalid) return { name: 'valid measurement', seconds: runSeconds };
  const problems = v.problems.length > 0 ? v.problems : [`not a valid measurement (exit code ${v.exitCode})`];
  return {
    name: 'valid measurement',
    seconds: runSeconds,
    outcome: { kind: 'error', type: 'invalid-measurement', message: problems[0]!, body: problems.join('\n') },
  };
}

function changeCase(c: FigureChange): Case {
  const name = `regression: ${c.figure}`;
  if (c.verdict === 'regression')
    return { name, seconds: 0, outcome: { kind: 'failure', type: 'regression', message: c.reason, body: c.reason } };
  if (c.verdict === 'not comparable') return { name, seconds: 0, outcome: { kind: 'skipped', message: c.reason } };
  return { name, seconds: 0 };
}

function casesOf(v: VariantOutcome, o: SuiteOutcome, runSeconds: number): Case[] {
  const thresholds = v.thresholds.map((t): Case => {
    const name = `${t.metric} ${t.expression}`;
    if (t.passed) return { name, seconds: 0 };
    return { name, seconds: 0, outcome: { kind: 'failure', type: 'threshold', message: t.message, body: t.message } };
  });
  const changes = (o.comparison?.changes ?? []).filter((c) => c.variant === v.name).map(changeCase);
  // No runs: a `compare` of saved results, which judges changes only.
  return [...(v.runs.length > 0 ? [validityCase(v, runSeconds)] : []), ...thresholds, ...changes];
}

function count(cases: readonly Case[], runSeconds: number): Counts {
  const of = (kind: string) => cases.filter((c) => c.outcome?.kind === kind).length;
  return { tests: cases.length, failures: of('failure'), errors: of('error'), skipped: of('skipped'), seconds: runSeconds };
}

function caseXml(c: Case, classname: string): string {
  const open = `    <testcase${attrs({ classname, name: c.name, time: seconds(c.seconds) })}`;
  if (!c.outcome) return `${open}/>`;
  const { kind, type, message, body } = c.outcome;
  const head = `<${kind}${attrs(type === undefined ? { message } : { message, type })}`;
  const child = body === undefined ? `${head}/>` : `${head}>${xmlText(body)}</${kind}>`;
  return `${open}>\n      ${child}\n    </testcase>`;
}

function propertiesXml(env: Environment, v: VariantOutcome): string {
  const props: Array<[string, string | number]> = [
    ['cpu', env.cpuModel],
    ['cores', env.cores],
    ['node', env.node],
    ['zeromq.js', env.zeromqJs],
    ['libzmq', env.libzmq],
  ];
  // Only when a group ran native, so that a zeromq.js-only document stays as it was.
  if (v.engines !== undefined) props.push(['engines', v.engines]);
  // Only when endpoints used different transports: which endpoint used which.
  if (v.transports !== undefined) props.push(['transports', v.transports]);
  const native = v.runs[0]?.environment.nativeEngine;
  if (native !== undefined) props.push(['native engine', `libzmq ${native.libzmq} · ${native.library}`]);
  // runs with hosts: one property per host, as the first run saw it
  for (const h of v.runs[0]?.hosts ?? [])
    props.push([`host ${h.label}`, `${h.facts.hostname} · ${h.agent} · ${h.address} · ${clockText(h)}`]);
  const lines = props.map(([name, value]) => `      <property${attrs({ name, value })}/>`);
  return ['    <properties>', ...lines, '    </properties>'].join('\n');
}

function suiteXml(v: VariantOutcome, o: SuiteOutcome): { xml: string; counts: Counts } {
  const runSeconds = v.runs.reduce((sum, r) => sum + r.timing.totalMs, 0) / 1000;
  const cases = casesOf(v, o, runSeconds);
  const counts = count(cases, runSeconds);
  const head = attrs({
    name: v.name,
    tests: counts.tests,
    failures: counts.failures,
    errors: counts.errors,
    skipped: counts.skipped,
    time: seconds(runSeconds),
    timestamp: v.runs[0]?.timing.startedAt ?? o.startedAt,
    hostname: o.environment.hostname,
  });
  const classname = `zmq-bench.${v.name}`;
  const body = [propertiesXml(o.environment, v), ...cases.map((c) => caseXml(c, classname))].join('\n');
  return { xml: `  <testsuite${head}>\n${body}\n  </testsuite>`, counts };
}

export function junitXml(o: SuiteOutcome): string {
  const suites = o.variants.map((v) => suiteXml(v, o));
  const total = (k: keyof Counts) => suites.reduce((sum, s) => sum + s.counts[k], 0);
  const head = attrs({
    name: o.name,
    tests: total('tests'),
    failures: total('failures'),
    errors: total('errors'),
    skipped: total('skipped'),
    time: seconds(total('seconds')),
    timestamp: o.startedAt,
  });
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${head}>`, ...suites.map((s) => s.xml), '</testsuites>', ''].join('\n');
}
