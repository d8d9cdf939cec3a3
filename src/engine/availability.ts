import { isDraftType, type EngineName, type Scenario } from '../scenario/schema.js';
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

/** zeromq.js's answer to draftUnavailable, once learnDraftSupport has loaded its engine; undefined before. */
let zeromqjsDraft: string | null | undefined;

/**
 * Loads the zeromq.js engine, and so zeromq, only when one of these scenarios has a radio or
 * dish group on it (`engine`: what --engine makes every group's), so that its draft API is known
 * before anything runs; importing or validating never loads zeromq (the library API promises so).
 */
export async function learnDraftSupport(scenarios: readonly Scenario[], engine?: EngineName): Promise<void> {
  if (zeromqjsDraft !== undefined) return;
  // the library API asks before it has checked its scenario object: a malformed one has no groups here
  const needed = scenarios.some(
    (s) => Array.isArray(s.groups) && s.groups.some((g) => isDraftType(g.type) && (engine ?? g.engine) === 'zeromq.js'),
  );
  if (needed) zeromqjsDraft = (await import('./zeromqjs-engine.js')).zeromqjsEngine.draftUnavailable;
}

/**
 * Why an engine that loads here cannot open RADIO or DISH sockets (a libzmq without the draft
 * API); null when it can, or for zeromq.js before learnDraftSupport (its engine then refuses the
 * socket when it opens it).
 */
export function draftUnavailable(engine: EngineName): string | null {
  if (engine === 'zeromq.js') return zeromqjsDraft ?? null;
  const load = loadNativeEngine();
  return 'engine' in load ? load.engine.draftUnavailable : null;
}

/**
 * One problem per group whose engine cannot run here, or cannot open its radio or dish sockets,
 * with its path (`ask`, `askDraft`: tests simulate a missing library or a build without drafts).
 */
export function engineProblems(
  s: Scenario,
  ask: (engine: EngineName) => string | null = engineUnavailable,
  askDraft: (engine: EngineName) => string | null = draftUnavailable,
): string[] {
  return s.groups.flatMap((g, i) => {
    const why = ask(g.engine);
    if (why !== null) return [`${s.name}: topology.groups[${i}].engine: ${why}`];
    const draft = isDraftType(g.type) ? askDraft(g.engine) : null;
    return draft === null ? [] : [`${s.name}: topology.groups[${i}].type: ${g.type} is a draft socket type (engine ${g.engine}): ${draft}`];
  });
}
