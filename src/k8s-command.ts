import { readFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { describeError, type Output } from './app.js';
import { invalidInput } from './core/errors.js';
import { ExitCode } from './core/exit-codes.js';
import { TOOL_VERSION } from './core/tool-version.js';
import { formatDurationMs, parseDurationMs } from './core/units.js';
import { curveKeyPair } from './engine/current.js';
import { AGENT_TIMEOUT_MS } from './k8s/coordinator.js';
import { scenarioKey } from './k8s/config.js';
import { hostLabels } from './k8s/hosts.js';
import { keysFromPairs, readKeyDir, type RunKeys } from './k8s/keys.js';
import { renderManifests } from './k8s/manifests.js';
import { writeManifestDir, yamlStream } from './k8s/output.js';
import { loadRaw } from './scenario/load.js';
import type { Scenario } from './scenario/schema.js';
import { isSuite, loadRunnable } from './scenario/suite.js';

/**
 * `zmq-bench k8s render <file> --agents <n>`: the manifests of one distributed run on a
 * Kubernetes cluster (docs/distributed.md, "Kubernetes"), printed as one YAML stream or written
 * as files with a kustomization.yaml. The scenario is validated as `run` validates it (exit 104).
 */

export interface RenderOptions {
  agents: number;
  out?: string;
  keys?: string;
  image?: string;
  keepSeconds?: number;
  deadlineSeconds?: number;
}

export const DEFAULT_KEEP_SECONDS = 600;
export const DEFAULT_DEADLINE_SECONDS = 2 * 3600;
/** A ConfigMap holds at most 1 MiB, its names and labels included. */
const CONFIGMAP_TEXT_BYTES = 1_000_000;

/** Fresh keys: a coordinator pair and one agent pair, known only to the Secret. */
const freshKeys = (): RunKeys => keysFromPairs(curveKeyPair(), curveKeyPair());

export async function k8sRender(file: string, o: RenderOptions, io: Output): Promise<number> {
  try {
    const raw = await loadRaw(file);
    if (isSuite(raw)) throw invalidInput([`${file}: k8s render takes one scenario file, not a suite: render each of its scenarios`]);
    const scenarios = await validated(file);
    const text = await readFile(file, 'utf8');
    const keepSeconds = o.keepSeconds ?? DEFAULT_KEEP_SECONDS;
    const deadlineSeconds = o.deadlineSeconds ?? DEFAULT_DEADLINE_SECONDS;
    const hosts = hostLabels(scenarios[0]!);
    const problems = [
      ...('problems' in hosts ? hosts.problems.map((p) => `${file}: ${p}`) : agentsProblems(file, hosts.labels, o.agents)),
      ...payloadFileProblems(file, scenarios),
      ...(Buffer.byteLength(text, 'utf8') > CONFIGMAP_TEXT_BYTES ? [`${file}: is larger than a ConfigMap holds (1 MB)`] : []),
      ...deadlineProblems(scenarios, keepSeconds, deadlineSeconds),
    ];
    if (problems.length > 0 || 'problems' in hosts) throw invalidInput(problems);
    const rendered = renderManifests({
      scenarioName: scenarios[0]!.name,
      labels: hosts.labels,
      scenarioFile: scenarioKey(file),
      text,
      image: o.image ?? `zmq-bench:${TOOL_VERSION}`,
      keys: o.keys === undefined ? freshKeys() : await readKeyDir(o.keys),
      keepSeconds,
      deadlineSeconds,
    });
    if (o.out === undefined) {
      io.out(yamlStream(rendered).replace(/\n$/, ''));
    } else {
      const written = await writeManifestDir(o.out, rendered).catch((e: NodeJS.ErrnoException) => {
        const why = e.code === 'EEXIST' || e.code === 'ENOTDIR' ? 'a file stands where a folder must be' : (e.code ?? e.message);
        throw invalidInput([`-o ${o.out}: cannot write the manifests there (${why})`]);
      });
      io.out(`wrote ${written.length} files to ${o.out}; apply them with: kubectl apply -k ${o.out}`);
    }
    return ExitCode.ok;
  } catch (e) {
    const { lines, exitCode } = describeError(e);
    for (const line of lines) io.err(line);
    return exitCode;
  }
}

/** The scenario validated as `run` validates it (exit 104 with every problem). */
async function validated(file: string): Promise<Scenario[]> {
  return (await loadRunnable(file)).entries.map((e) => e.scenario);
}

function agentsProblems(file: string, labels: readonly string[], agents: number): string[] {
  if (labels.length === agents) return [];
  return [`--agents ${agents}: must equal the number of labels of hosts: in ${file} (${labels.length}: ${labels.join(', ')})`];
}

/** Payload files stay on this machine: only the scenario's own text goes into the ConfigMap. */
function payloadFileProblems(file: string, scenarios: readonly Scenario[]): string[] {
  const groups = new Set<number>();
  for (const s of scenarios) s.groups.forEach((g, i) => g.payload?.some((p) => p.kind === 'file') && groups.add(i));
  return [...groups].map(
    (i) =>
      `${file}: topology.groups[${i}].payload: names a payload file, which k8s render cannot carry into the cluster (only the scenario file goes into the ConfigMap); use a generated payload`,
  );
}

/** The deadline must leave room for the wait for agents, every variant's run and the time kept for kubectl cp. */
function deadlineProblems(scenarios: readonly Scenario[], keepSeconds: number, deadlineSeconds: number): string[] {
  const runMs = scenarios.reduce((sum, s) => sum + s.warmupMs + s.durationMs + s.drainMs, 0);
  const neededMs = AGENT_TIMEOUT_MS + runMs + keepSeconds * 1000;
  if (deadlineSeconds * 1000 > neededMs) return [];
  return [
    `--deadline ${formatDurationMs(deadlineSeconds * 1000)}: must be longer than the wait for agents (${formatDurationMs(AGENT_TIMEOUT_MS)}), the run (${formatDurationMs(runMs)}) and --keep (${formatDurationMs(keepSeconds * 1000)}) together`,
  ];
}

/** As many as a scenario may have hosts (64). */
const MAX_AGENTS = 64;

function parseAgents(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_AGENTS) throw new InvalidArgumentError(`Expected a whole number from 1 to ${MAX_AGENTS}.`);
  return n;
}

function parseImage(value: string): string {
  if (!/^\S+$/.test(value)) throw new InvalidArgumentError('Expected an image reference such as registry.example/zmq-bench:0.1.0.');
  return value;
}

/** A duration in whole seconds (rounded up), from `min` to `max` seconds. */
const parseSeconds = (min: number, max: number) => (value: string) => {
  const ms = parseDurationMs(value);
  if (ms === undefined) throw new InvalidArgumentError('Expected a duration such as 30s, 10m or 2h.');
  const s = Math.ceil(ms / 1000);
  if (s < min || s > max) throw new InvalidArgumentError(`Expected from ${min}s to ${max / 3600}h.`);
  return s;
};

/** `zmq-bench k8s render`, added to the program by cli.ts. */
export function addK8sCommand(program: Command, io: Output, setExitCode: (code: number) => void): void {
  program
    .command('k8s')
    .description('Kubernetes: the manifests of a run across agents on a cluster (docs/distributed.md)')
    .command('render')
    .description('print (or write with -o) the manifests: agents as an Indexed Job, the coordinator as a Job, scenario, keys')
    .argument('<file>', 'a scenario file with hosts:')
    .requiredOption('--agents <n>', 'the number of agents: one per label of hosts:, in order', parseAgents)
    .option('-o, --out <dir>', 'write one file per object and a kustomization.yaml there; default: one YAML stream on stdout')
    .option('--keys <dir>', 'the CURVE keys that zmq-bench keys wrote there; default: fresh keys, kept only in the Secret')
    .option('--image <ref>', `the zmq-bench image (Dockerfile); default zmq-bench:${TOOL_VERSION}`, parseImage)
    .option(
      '--keep <time>',
      "how long the coordinator's pod stays after the run, for kubectl cp of the results; default 10m",
      parseSeconds(0, 24 * 3600),
    )
    .option(
      '--deadline <time>',
      'Kubernetes stops the agents and the coordinator after this long in any case (activeDeadlineSeconds); default 2h',
      parseSeconds(60, 7 * 24 * 3600),
    )
    .action(
      async (file: string, flags: { agents: number; out?: string; keys?: string; image?: string; keep?: number; deadline?: number }) =>
        setExitCode(
          await k8sRender(
            file,
            {
              agents: flags.agents,
              out: flags.out,
              keys: flags.keys,
              image: flags.image,
              keepSeconds: flags.keep,
              deadlineSeconds: flags.deadline,
            },
            io,
          ),
        ),
    );
}
