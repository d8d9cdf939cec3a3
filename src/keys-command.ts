import type { Command } from 'commander';
import type { Output } from './app.js';
import { KEY_FILES, writeKeys } from './agent/keys.js';
import { ExitCode, type ExitCodeValue } from './core/exit-codes.js';

/**
 * `zmq-bench keys <dir>`: a coordinator key pair and an agent key pair for `agent --keys` and
 * `run --agents --keys`. Existing key files are refused (exit 104, each named) unless `force`.
 */
export async function keysCommand(dir: string, opts: { force?: boolean }, io: Output): Promise<ExitCodeValue> {
  const written = await writeKeys(dir, opts);
  for (const path of written) io.out(`written: ${path}`);
  io.out(
    `agents need ${KEY_FILES.agentPublic}, ${KEY_FILES.agentSecret} and ${KEY_FILES.coordinatorPublic}; ` +
      `the coordinator needs ${KEY_FILES.coordinatorPublic}, ${KEY_FILES.coordinatorSecret} and ${KEY_FILES.agentPublic}`,
  );
  return ExitCode.ok;
}

/** `zmq-bench keys <dir> [--force]` on the command line. */
export function addKeysCommand(program: Command, io: Output, setExitCode: (code: number) => void): void {
  program
    .command('keys')
    .description('write a coordinator key pair and an agent key pair (CURVE, Z85) for agent --keys and run --agents --keys')
    .argument('<dir>', 'the folder to write coordinator.public/.secret and agent.public/.secret into (created if missing)')
    .option('--force', 'replace key files that exist already')
    .action(async (dir: string, flags: { force?: boolean }) => setExitCode(await keysCommand(dir, { force: flags.force }, io)));
}
