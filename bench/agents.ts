/**
 * Issue 20, Performance: what running on agents costs. `npm run bench:agents`.
 *
 * The scenario (bench/agents/two-hosts.yaml): two hosts, a and b, each with a PUSH → PULL pair
 * over tcp at a fixed rate (10,000 msgs/s of 64 B per sender by default), each pair on its own
 * host. It runs in rounds, in ABBA order (round 1 local then agents, round 2 agents then local,
 * ...), so that a drift of the machine's load falls on both sides:
 * - **agents**: both labels bound to a `zmq-bench agent` on loopback (two agent processes this
 *   bench starts once, without keys), as `run --agents a=...,b=...` does;
 * - **local**: the same scenario without agents, every group in this process (worker threads,
 *   or child processes with `--local-placement process`, which is how an agent runs each
 *   socket: that isolates the control channel and the agent's relay from the placement).
 *
 * 1. **The control plane's cost**: per round, achieved throughput agents / local (both
 *    receivers together, result.json's totals), at the same offered rate; the median over the
 *    rounds against the goal ≥ 0.95, with its range; for information the same ratio of the
 *    one-way latency's p50 and p99.
 * 2. **The start barrier's skew between hosts**: per run, firstMessageMs of receiver-b minus
 *    that of receiver-a. firstMessageMs is the time from the coordinator's start command to the
 *    group's first message, on the coordinator's timeline (an agent's times are put on it by its
 *    estimated clock offset). Each receiver is fed by the sender on its own host, so the
 *    difference is: (when b's sender sent its first message − when a's did), the skew of the
 *    start across hosts, plus the difference of the two on-host one-way latencies of those
 *    first messages (tens of µs each here), plus the two clock-offset estimates' errors (each
 *    within its ± uncertainty, added up in the table). It does not separate the barrier from
 *    the start command: the barrier only says every socket is connected; the start command is
 *    then sent to every worker in turn, over the control socket to each agent, which relays it
 *    to its child processes. The local runs have the same figure between two worker threads,
 *    as the reference: the skew that exists without any agent.
 *
 * Prints a Markdown table; writes bench/results/agents.json (--out to change) with the
 * environment, load averages and every run's figures. Options: --rounds <n> (5), --duration
 * <time> (3s), --rate <msgs/s per sender> (10000), --local-placement thread|process (thread),
 * --out <file>. About 1 minute with the defaults on 2 cores. Exit 1 when no round completed on
 * both sides, 2 on bad options or when an agent cannot be started.
 *
 * On real hosts (bench/distributed/run-on-hosts.sh): `--agents a=tcp://<host>:<port>,b=...
 * [--keys <dir>] [--agent-timeout <time>]` uses agents already running there instead of
 * starting two here; --keys as for `zmq-bench run` (required off loopback). "local" then runs
 * both pairs on this machine, the coordinator's.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { messageOf } from '../src/core/errors.js';
import { parseDurationMs } from '../src/core/units.js';
import { parseAgentsArgument } from '../src/agent/agent-args.js';
import { agentRunOptions } from '../src/agent/agent-run-options.js';
import type { AgentTarget } from '../src/runtime/remote/agent-link.js';
import type { AgentOptions } from '../src/runtime/remote/open-agents.js';
import { describeEnvironment } from '../src/runtime/environment.js';
import { runScenario } from '../src/runtime/run.js';
import { loadScenario } from '../src/scenario/load.js';
import { applyOverrides } from '../src/scenario/overrides.js';
import type { Scenario } from '../src/scenario/schema.js';
import { reserveLoopbackPorts } from '../src/transport/free-port.js';
import { type BenchAgent, startBenchAgent } from './agents/agent-process.js';
import { type AgentsRunFigures, figuresOf } from './agents/figures.js';
import { type AgentsReport, type AgentsRound, agentsTable, type Side, summarise } from './agents/report.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCENARIO = 'bench/agents/two-hosts.yaml';
const LABELS = ['a', 'b'] as const;

interface Settings {
  rounds: number;
  durationMs: number;
  ratePerSender: number;
  localPlacement: 'thread' | 'process';
  out: string;
  /** agents already running elsewhere (--agents a=...,b=...): none are started then */
  agents?: AgentTarget[];
  keys?: string;
  agentTimeoutMs: number;
}

function parse(): Settings {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      duration: { type: 'string', default: '3s' },
      rate: { type: 'string', default: '10000' },
      'local-placement': { type: 'string', default: 'thread' },
      out: { type: 'string', default: join(ROOT, 'bench/results/agents.json') },
      agents: { type: 'string' },
      keys: { type: 'string' },
      'agent-timeout': { type: 'string', default: '10s' },
    },
  });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds <= 0) throw new Error('--rounds needs a positive whole number');
  const durationMs = parseDurationMs(values.duration);
  if (durationMs === undefined || durationMs <= 0) throw new Error(`--duration needs a time such as 3s, got ${values.duration}`);
  const ratePerSender = Number(values.rate);
  if (!Number.isFinite(ratePerSender) || ratePerSender <= 0) throw new Error('--rate needs a positive number of msgs/s per sender');
  const placement = values['local-placement'];
  if (placement !== 'thread' && placement !== 'process') throw new Error('--local-placement is thread or process');
  const agentTimeoutMs = parseDurationMs(values['agent-timeout']);
  if (agentTimeoutMs === undefined || agentTimeoutMs <= 0)
    throw new Error(`--agent-timeout needs a time such as 10s, got ${values['agent-timeout']}`);
  const agents = values.agents === undefined ? undefined : parseAgentsArgument(values.agents);
  if (typeof agents === 'string') throw new Error(`--agents: ${agents}`);
  if (agents && LABELS.some((l) => !agents.some((t) => t.label === l)))
    throw new Error(`--agents must bind both hosts of ${SCENARIO}: a=tcp://<host>:<port>,b=tcp://<host>:<port>`);
  if (values.keys !== undefined && agents === undefined)
    throw new Error('--keys is for --agents (the agents this bench starts itself have no keys)');
  return { rounds, durationMs, ratePerSender, localPlacement: placement, out: values.out, agents, keys: values.keys, agentTimeoutMs };
}

const loadAverage = () => os.loadavg().map((l) => Math.round(l * 100) / 100);

async function runOnce(scenario: Scenario, agents: AgentOptions | null): Promise<AgentsRunFigures> {
  const t0 = performance.now();
  const result = await runScenario(scenario, agents ? { agents } : {});
  return figuresOf(result, performance.now() - t0);
}

async function measure(s: Settings, base: Scenario, agents: AgentOptions, log: (line: string) => void): Promise<AgentsRound[]> {
  const sides: Record<Side, { scenario: Scenario; agents: AgentOptions | null }> = {
    local: { scenario: applyOverrides(base, { placement: s.localPlacement }), agents: null },
    agents: { scenario: base, agents },
  };
  const rounds: AgentsRound[] = [];
  for (let i = 0; i < s.rounds; i++) {
    // ABBA: the side that went second in one round goes first in the next.
    const order: Side[] = i % 2 === 0 ? ['local', 'agents'] : ['agents', 'local'];
    const round: AgentsRound = { round: i + 1, order, local: null, agents: null, errors: [] };
    for (const side of order) {
      try {
        const f = await runOnce(sides[side].scenario, sides[side].agents);
        round[side] = f;
        if (!f.complete) round.errors.push(`${side}: ${f.problems.join('; ')}`);
        log(
          `${i + 1}/${s.rounds} ${side}: ${Math.round(f.throughput)} msgs/s, p50 ${f.p50} µs, p99 ${f.p99} µs, ` +
            `skew ${f.skewMs ?? '–'} ms, ${(f.wallMs / 1000).toFixed(1)} s${f.complete ? '' : ` (incomplete: ${f.problems.join('; ')})`}`,
        );
      } catch (e) {
        round.errors.push(`${side}: ${messageOf(e)}`);
        log(`${i + 1}/${s.rounds} ${side}: failed: ${messageOf(e)}`);
      }
    }
    rounds.push(round);
  }
  return rounds;
}

async function main(): Promise<number> {
  const s = parse();
  const log = (line: string) => console.error(line);
  const startedAt = Date.now();
  const loadAverageAtStart = loadAverage();
  const base = applyOverrides(await loadScenario(join(ROOT, SCENARIO)), { durationMs: s.durationMs, ratePerSec: s.ratePerSender });
  const started: BenchAgent[] = [];
  const stopAgents = () => Promise.all(started.map((a) => a.stop()));
  process.once('SIGINT', () => void stopAgents().then(() => process.exit(130)));
  try {
    let agents: AgentOptions;
    if (s.agents) {
      agents = (await agentRunOptions([base], s.agents, s.keys, s.agentTimeoutMs))!;
      log(`agents: ${agents.targets.map((t) => `${t.label}=${t.url}`).join(', ')}${agents.keys ? ' (CURVE)' : ''}`);
    } else {
      for (const port of await reserveLoopbackPorts(LABELS.length)) started.push(await startBenchAgent(`tcp://127.0.0.1:${port}`));
      agents = { targets: started.map((a, i) => ({ label: LABELS[i]!, url: a.url })), keys: null, timeoutMs: s.agentTimeoutMs };
      log(`agents started on loopback: ${started.map((a, i) => `${LABELS[i]}=${a.url} (pid ${a.pid})`).join(', ')}`);
    }
    const rounds = await measure(s, base, agents, log);
    const report: AgentsReport = {
      startedAt: new Date(startedAt).toISOString(),
      elapsedS: (Date.now() - startedAt) / 1000,
      settings: {
        scenario: SCENARIO,
        rounds: s.rounds,
        durationMs: s.durationMs,
        warmupMs: base.warmupMs,
        ratePerSender: s.ratePerSender,
        senders: LABELS.length,
        localPlacement: s.localPlacement,
        order: 'ABBA',
      },
      environment: describeEnvironment(),
      loadAverageAtStart,
      loadAverageAtEnd: loadAverage(),
      agents: agents.targets.map((t) => ({ label: t.label, url: t.url })),
      agentsStartedHere: started.length > 0,
      rounds,
      summary: summarise(rounds),
    };
    mkdirSync(dirname(s.out), { recursive: true });
    writeFileSync(s.out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(agentsTable(report));
    log(`written: ${s.out}`);
    return report.summary.comparedRounds > 0 ? 0 : 1;
  } finally {
    await stopAgents();
  }
}

try {
  process.exitCode = await main();
} catch (e) {
  console.error(`bench:agents: ${messageOf(e)}`);
  process.exitCode = 2;
}
