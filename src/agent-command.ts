import type { Command } from 'commander';
import { PREFIX, describeError, type Output } from './app.js';
import { defaultAdvertise, parseTcpAddress } from './agent/agent-args.js';
import { isLoopbackAddress } from './scenario/validate-external.js';
import { runAgent } from './agent/agent-server.js';
import { readAgentKeys } from './agent/keys.js';
import { startZap } from './agent/zap.js';
import { invalidInput } from './core/errors.js';
import { ExitCode } from './core/exit-codes.js';

interface AgentFlags {
  listen: string;
  keys?: string;
  advertise?: string;
}

/**
 * `zmq-bench agent --listen tcp://<address>:<port> [--keys <dir>] [--advertise <ip>]`: runs a
 * coordinator's groups on this host until stopped (Ctrl-C or SIGTERM). Off loopback it needs
 * --keys: only a coordinator holding the coordinator key may drive it.
 */
export function addAgentCommand(program: Command, io: Output, setExitCode: (code: number) => void): void {
  program
    .command('agent')
    .description('run groups on this host for a coordinator elsewhere (run --agents); stops on Ctrl-C or SIGTERM')
    .requiredOption('--listen <tcp://address:port>', 'where the coordinator connects, e.g. tcp://0.0.0.0:7000')
    .option('--keys <dir>', 'CURVE keys made by zmq-bench keys (agent.public, agent.secret, coordinator.public); required off loopback')
    .option(
      '--advertise <ip>',
      "the address this host's sockets bind and peers dial; default: the --listen address, or the first outside IPv4",
    )
    .action(async (flags: AgentFlags) => {
      try {
        setExitCode(await agent(flags, io));
      } catch (e) {
        const { lines, exitCode } = describeError(e);
        for (const line of lines) io.err(line);
        setExitCode(exitCode);
      }
    });
}

async function agent(flags: AgentFlags, io: Output): Promise<number> {
  const listen = parseTcpAddress(flags.listen);
  if (typeof listen === 'string') throw invalidInput([`--listen: ${listen}`]);
  if (flags.keys === undefined && !isLoopbackAddress(flags.listen))
    throw invalidInput([
      `--listen ${flags.listen} is not on loopback: --keys <dir> is required, so that only your coordinator can drive this agent (make them with zmq-bench keys <dir>)`,
    ]);
  const keys = flags.keys === undefined ? null : await readAgentKeys(flags.keys);
  const advertise = flags.advertise ?? defaultAdvertise(listen.host);
  if (advertise === null) throw invalidInput(['--advertise <ip> is needed: this host has no outside IPv4 address to default to']);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const log = (line: string) => io.err(`${new Date().toISOString()} ${PREFIX}agent: ${line}`);
  await runAgent({ listen: flags.listen, keys, advertise, log, signal: controller.signal, authenticate: startZap });
  return ExitCode.ok;
}
