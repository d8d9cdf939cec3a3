import type { EngineName, Scenario } from '../scenario/schema.js';
import { loadNativeEngine } from './native/native-engine.js';

/**
 * Whether an engine can drive sockets on this machine, asked before anything runs so that a
 * scenario that needs an engine it cannot have is refused with exit 104 and the group's path.
 * Only run and verify ask: the native engine's library (koffi, libzmq) is loaded on the first
 * question about it, so validating a file stays quick.
 */
export function engineUnavailable(engine: EngineName): string | null {
  if (engine === 'zeromq.js') return null;
  const load = loadNativeEngine();
  return 'reason' in load ? load.reason : null;
}

/** One problem per group whose engine cannot run here, with its path (`ask`: tests simulate a missing library). */
export function engineProblems(s: Scenario, ask: (engine: EngineName) => string | null = engineUnavailable): string[] {
  return s.groups.flatMap((g, i) => {
    const why = ask(g.engine);
    return why === null ? [] : [`${s.name}: topology.groups[${i}].engine: ${why}`];
  });
}
