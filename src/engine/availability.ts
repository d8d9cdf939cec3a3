import type { EngineName, Scenario } from '../scenario/schema.js';

/**
 * Whether an engine can drive sockets on this machine, asked before anything runs so that a
 * scenario that needs an engine it cannot have is refused with exit 104 and the group's path.
 * It imports neither binding: validating a file stays quick.
 */
export function engineUnavailable(engine: EngineName): string | null {
  if (engine === 'zeromq.js') return null;
  // The native engine (libzmq's C API through koffi) is being built on this branch; until a run
  // can use it, asking for it must not quietly run zeromq.js instead.
  return 'the native engine is not available in this build yet (issue 19); use engine: zeromq.js';
}

/** One problem per group whose engine cannot run here, with its path. */
export function engineProblems(s: Scenario): string[] {
  return s.groups.flatMap((g, i) => {
    const why = engineUnavailable(g.engine);
    return why === null ? [] : [`${s.name}: topology.groups[${i}].engine: ${why}`];
  });
}
