#!/usr/bin/env node
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { describeError, listScenarios, PREFIX, reportFiles, schemaText, validateFiles, type Output } from './app.js';
import { compareFiles } from './compare-command.js';
import { addKeysCommand } from './keys-command.js';
import { DEFAULT_ALPHA, DEFAULT_TOLERANCE_PCT } from './ci/compare-sides.js';
import { defaultRunDeps, FIND_MAX_RATE_HELP, runFiles, type RunOptions } from './run-command.js';
import { verifyCatalogue } from './verify-command.js';
import { addK8sCommand } from './k8s-command.js';
import { ExitCode } from './core/exit-codes.js';
import { TOOL_VERSION } from './core/tool-version.js';
import { ENGINES, PLACEMENTS, TRANSPORTS, type EngineName, type Placement, type TransportName } from './scenario/schema.js';
import type { MatrixValue } from './scenario/matrix.js';
import { loadRunnable } from './scenario/suite.js';
import { addAgentCommand } from './agent-command.js';
import type { AgentTarget } from './runtime/remote/agent-link.js';
import { metricsCliOptions, metricsOptionsOf, type MetricsFlags } from './live/metrics-args.js';
import { liveOption, type LiveFlags } from './live/live-address.js';
import { collectAgents, collectEndpoint, collectMatrix, parseAlpha, parseDuration, parseRepeat, parseTolerance } from './cli-parsers.js';

/** argv → app → exit code. Argument handling and process wiring only; the work is in app.ts. */

const debug = process.env.ZMQ_BENCH_DEBUG === '1';
const io: Output = {
  out: (text) => void process.stdout.write(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
  // Only on a terminal: \r rewrites the line, ESC[K clears what a longer line left.
  ...(process.stdout.isTTY
    ? { progress: (line: string | null) => void process.stdout.write(line === null ? '\r\x1b[K' : `\r\x1b[K${line}`) }
    : {}),
};

interface CompareFlags {
  alpha?: number;
  tolerance?: number;
  force?: boolean;
}

interface RunFlags extends CompareFlags, MetricsFlags, LiveFlags {
  transport?: TransportName;
  placement?: Placement;
  engine?: EngineName;
  duration?: number;
  out?: string;
  json?: boolean;
  quiet?: boolean;
  repeat?: number;
  baseline?: string;
  junit?: string;
  markdown?: string;
  benchmarkAction?: string;
  bmf?: string;
  matrix?: Record<string, MatrixValue[]>;
  endpoint?: Record<string, string>;
  allowRemote?: boolean;
  allowOutsidePayload?: boolean;
  agents?: AgentTarget[];
  keys?: string;
  agentTimeout?: number;
  findMaxRate?: boolean;
}

// Payload files are sent to a peer: by default only those inside the scenario's folder are read.
/** --engine, the same on run and verify: every group's sockets driven by this binding. */
const ENGINE_OPTION = () =>
  new Option(
    '--engine <name>',
    "drive every group's sockets with zeromq.js (what a Node application gets) or native (libzmq's C API)",
  ).choices(ENGINES);

const ALLOW_OUTSIDE_PAYLOAD = '--allow-outside-payload';
const ALLOW_OUTSIDE_PAYLOAD_HELP = "read payload files outside the scenario's folder (or linked from it to outside); default: refused";

/** --alpha, --tolerance and --force, shared by run and compare. */
function withComparisonOptions(c: Command): Command {
  return c
    .addOption(
      new Option('--alpha <p>', `significance level of the Mann-Whitney U test (with repeats); default ${DEFAULT_ALPHA}`).argParser(
        parseAlpha,
      ),
    )
    .addOption(
      new Option('--tolerance <percent>', `a change within this is never a regression; default ${DEFAULT_TOLERANCE_PCT}%`).argParser(
        parseTolerance,
      ),
    )
    .option('--force', 'compare even when the baseline ran on another machine or other versions');
}

/** Commander writes "error: unknown option '--x'\n(Did you mean --y?)"; we want one prefixed line. */
function commanderLine(text: string): string {
  const line = text
    .trim()
    .replace(/^error: /, '')
    .replace(/\n\(Did you mean (.*)\)$/, ' (did you mean $1)');
  return `${line
    .split('\n')
    .map((l) => PREFIX + l)
    .join('\n')}\n`;
}

/**
 * Runs with Ctrl-C handling: the first SIGINT/SIGTERM aborts the run (results so far are
 * still written, exit 105), a second one quits at once.
 */
async function runWithSignals(files: string[], flags: RunFlags): Promise<number> {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) {
      io.err(`${PREFIX}interrupted again: quitting without waiting`);
      // Worker threads still holding sockets can make this abort instead (trap 7):
      // the user asked to stop now, and the first Ctrl-C was the orderly way.
      process.exit(ExitCode.interrupted);
    }
    io.err(`${PREFIX}interrupted: stopping and writing the results so far (Ctrl-C again to quit at once)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const summaryStream = flags.json ? process.stderr : process.stdout;
  const options: RunOptions = {
    transport: flags.transport,
    placement: flags.placement,
    engine: flags.engine,
    durationMs: flags.duration,
    out: flags.out,
    json: flags.json,
    quiet: flags.quiet,
    // https://no-color.org: any non-empty NO_COLOR turns colours off.
    color: summaryStream.isTTY === true && !process.env.NO_COLOR,
    debug,
    signal: controller.signal,
    repeat: flags.repeat,
    baseline: flags.baseline,
    alpha: flags.alpha,
    tolerancePct: flags.tolerance,
    force: flags.force,
    matrix: flags.matrix,
    endpoints: flags.endpoint,
    allowRemote: flags.allowRemote,
    allowOutsidePayload: flags.allowOutsidePayload,
    agents: flags.agents,
    keysDir: flags.keys,
    agentTimeoutMs: flags.agentTimeout,
    metrics: metricsOptionsOf(flags),
    live: flags.live,
    findMaxRate: flags.findMaxRate,
    outputs: {
      junit: flags.junit,
      markdown: flags.markdown,
      benchmarkAction: flags.benchmarkAction,
      bmf: flags.bmf,
      // GitHub Actions: the Markdown summary shows on the run's page.
      githubStepSummary: process.env.GITHUB_STEP_SUMMARY || undefined,
    },
  };
  try {
    return await runFiles(files, options, io);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('zmq-bench');
  // Set before adding commands: subcommands copy these settings when they are created.
  program
    .description('Load-testing and benchmarking harness for ZeroMQ')
    .version(TOOL_VERSION, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(commanderLine(text)) })
    .allowExcessArguments(false)
    .addHelpText(
      'after',
      '\nExit codes: 0 ok · 99 a threshold failed · 98 a regression · 97 measurement not valid · 104 invalid input · 105 interrupted\n' +
        'Result fields and exit codes: docs/results.md',
    );

  const run = program
    .command('run')
    .description('run scenario and suite files; write result.json and report.html for each run and print a summary')
    .argument('<file...>', 'scenario or suite files (YAML or JSON)')
    .addOption(new Option('--transport <name>', 'use this transport for every endpoint').choices(TRANSPORTS))
    .addOption(
      new Option('--placement <where>', 'run every group in worker threads, or every socket in a child process of its own').choices(
        PLACEMENTS,
      ),
    )
    .addOption(ENGINE_OPTION())
    .addOption(new Option('--duration <time>', 'measured time of every scenario (or search step), e.g. 2s').argParser(parseDuration))
    .option('--find-max-rate', FIND_MAX_RATE_HELP)
    .option(
      '--out <dir>',
      'results folder: one scenario run once writes into it; several, a suite or --repeat write a subfolder per variant (and run) and index.json; default reports/<name>-<timestamp>',
    )
    .option('--json', 'print result.json (an array for several runs) to stdout; summaries and logs go to stderr')
    .option('--quiet', 'no progress or log lines (the summary is still printed)')
    .addOption(
      new Option('--repeat <n>', 'run each scenario n times, interleaved; figures are medians with their spread').argParser(parseRepeat),
    )
    .option(
      '--baseline <path>',
      'compare with earlier results (a suite folder, index.json or result.json files) at the end; exit 98 on a regression',
    )
    .option('--junit <file>', 'write JUnit XML: one testcase per threshold and per regression check')
    .option('--markdown <file>', 'write a Markdown summary (also appended to $GITHUB_STEP_SUMMARY when set)')
    .option(
      '--benchmark-action <file>',
      'write github-action-benchmark JSON: <file>.smaller-is-better.json and <file>.bigger-is-better.json',
    )
    .option('--bmf <file>', 'write Bencher Metric Format JSON')
    .option(
      '--matrix <key=v1,v2>',
      'run every combination: transport=inproc,tcp size=64,1KiB curve=false,true (repeatable; docs/scenarios.md "Matrix")',
      collectMatrix,
    )
    .option(
      '--endpoint <name=address>',
      'point an external endpoint elsewhere for this run, e.g. hello=tcp://127.0.0.1:6000 (repeatable; docs/external.md)',
      collectEndpoint,
    )
    .option('--allow-remote', 'let external endpoints, --metrics and --otlp be on other hosts (default: loopback and ipc only)')
    .option(ALLOW_OUTSIDE_PAYLOAD, ALLOW_OUTSIDE_PAYLOAD_HELP)
    .option(
      '--agents <label=tcp://host:port,...>',
      'run the groups of each host label on that zmq-bench agent (repeatable; docs/distributed.md); labels without one run here',
      collectAgents,
    )
    .option('--keys <dir>', "the coordinator's CURVE keys for its agents (zmq-bench keys); required for agents off loopback")
    .addOption(
      new Option('--agent-timeout <time>', 'how long each agent may take to answer at the start; default 10s').argParser(parseDuration),
    );
  for (const option of metricsCliOptions()) run.addOption(option);
  run.addOption(liveOption());
  withComparisonOptions(run).action(async (files: string[], flags: RunFlags) => setExitCode(await runWithSignals(files, flags)));

  withComparisonOptions(
    program
      .command('compare')
      .description('compare results with a baseline: per scenario and figure, the change and whether it is a regression (exit 98)')
      .argument('<baseline>', 'a suite folder, index.json, result.json, or a folder of results')
      .argument('<current>', 'the same kinds of path')
      .option('--junit <file>', 'write JUnit XML: one testcase per variant and figure compared')
      .option('--markdown <file>', 'write a Markdown summary (also appended to $GITHUB_STEP_SUMMARY when set)'),
  ).action(async (baseline: string, current: string, flags: CompareFlags & { junit?: string; markdown?: string }) =>
    setExitCode(
      await compareFiles(
        baseline,
        current,
        {
          alpha: flags.alpha,
          tolerancePct: flags.tolerance,
          force: flags.force,
          outputs: { junit: flags.junit, markdown: flags.markdown, githubStepSummary: process.env.GITHUB_STEP_SUMMARY || undefined },
        },
        io,
      ),
    ),
  );

  program
    .command('validate')
    .description('check scenario and suite files without running them')
    .argument('<file...>', 'scenario or suite files (YAML or JSON)')
    .option(ALLOW_OUTSIDE_PAYLOAD, ALLOW_OUTSIDE_PAYLOAD_HELP)
    .action(async (files: string[], flags: { allowOutsidePayload?: boolean }) =>
      setExitCode(await validateFiles(files, io, (f) => loadRunnable(f, { allowOutsidePayload: flags.allowOutsidePayload }))),
    );

  program
    .command('list')
    .description('list the scenarios shipped with zmq-bench')
    .action(async () => {
      // dist/src/cli.js → ../../scenarios, the folder beside the package.
      const dir = fileURLToPath(new URL('../../scenarios/', import.meta.url));
      setExitCode(await listScenarios(dir, io));
    });

  program
    .command('verify')
    .description(
      'run the behaviour catalogue: every shipped scenario stating a ZeroMQ claim (docs/behaviours.md), with what was measured and whether it held',
    )
    .addOption(new Option('--transport <name>', 'run every claim over this transport').choices(TRANSPORTS))
    .addOption(ENGINE_OPTION())
    .option('--only <ids>', 'only these claims, e.g. B7,B10', (v: string) =>
      v
        .split(',')
        .map((x) => x.trim().toUpperCase())
        .filter((x) => x !== ''),
    )
    .addOption(new Option('--duration <time>', "measured time of every claim's run, e.g. 2s").argParser(parseDuration))
    .option('--dir <folder>', 'a folder of scenarios with expect: blocks (default: the shipped scenarios/)')
    .option('--out <dir>', "where the catalogue and each claim's run are written; default reports/verify-<timestamp>")
    .option('--quiet', 'no progress or log lines')
    .action(
      async (flags: {
        transport?: TransportName;
        engine?: EngineName;
        only?: string[];
        duration?: number;
        dir?: string;
        out?: string;
        quiet?: boolean;
      }) => {
        const controller = new AbortController();
        process.on('SIGINT', () => controller.abort());
        try {
          const code = await verifyCatalogue(
            {
              dir: flags.dir ?? fileURLToPath(new URL('../../scenarios/', import.meta.url)),
              transport: flags.transport,
              engine: flags.engine,
              only: flags.only,
              durationMs: flags.duration,
              out: flags.out,
              quiet: flags.quiet,
              color: process.stdout.isTTY === true && !process.env.NO_COLOR,
              debug,
              signal: controller.signal,
            },
            io,
            defaultRunDeps.runScenario,
          );
          setExitCode(code);
        } catch (e) {
          const { lines, exitCode } = describeError(e, debug);
          for (const line of lines) io.err(line);
          setExitCode(exitCode);
        }
      },
    );

  program
    .command('schema')
    .description('print the JSON Schema of scenario files')
    .action(() => {
      io.out(schemaText());
      setExitCode(ExitCode.ok);
    });

  program
    .command('report')
    .description('build one HTML report from saved results; several are compared side by side')
    .argument('<result...>', 'result.json files, or folders searched for them')
    .option('-o, --out <file.html>', 'where to write it; default report.html beside the one result, or reports/comparison-<timestamp>.html')
    .action(async (paths: string[], flags: { out?: string }) => {
      const isFolder = async (p: string) => (await stat(p).catch(() => undefined))?.isDirectory() === true;
      setExitCode(await reportFiles(paths, { out: flags.out }, io, { now: () => new Date(), isFolder }));
    });

  addKeysCommand(program, io, setExitCode);
  addAgentCommand(program, io, setExitCode);
  addK8sCommand(program, io, setExitCode);

  return program;
}

/** The exit code for anything thrown out of parsing or a command, reported on stderr. */
function exitCodeForError(e: unknown, args: readonly string[]): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return ExitCode.ok;
    if (e.code === 'commander.help') {
      if (e.exitCode === 0) return ExitCode.ok;
      // Commander printed the help on stderr without a message: no command, or `help <unknown>`.
      io.err(args[0] === 'help' && args[1] ? `${PREFIX}unknown command '${args[1]}'` : `${PREFIX}missing command`);
      return ExitCode.invalidInput;
    }
    return ExitCode.invalidInput; // commander already printed the line, through commanderLine
  }
  const { lines, exitCode } = describeError(e, debug);
  for (const line of lines) io.err(line);
  return exitCode;
}

async function main(argv: string[]): Promise<number> {
  let exitCode: number = ExitCode.ok;
  try {
    await buildProgram((code) => (exitCode = code)).parseAsync(argv);
    return exitCode;
  } catch (e) {
    return exitCodeForError(e, argv.slice(2));
  }
}

// Last-resort guards: even a crash outside the command flow ends with one line, not a stack.
const crash = (e: unknown) => {
  const { lines } = describeError(e, debug);
  for (const line of lines) io.err(line);
  process.exit(ExitCode.invalidMeasurement);
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);
// `zmq-bench schema | head` closes the pipe early: not an error worth a message.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.ok);
  crash(e);
});

// process.exitCode, not process.exit(): pending output is flushed, and worker threads are
// not torn down under live sockets (trap 7).
process.exitCode = await main(process.argv);
