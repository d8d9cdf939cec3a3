import type { CurveKeyPair } from '../scenario/plan.js';
import type { EngineVersions, SocketEngine } from './engine.js';
import { zeromqjsEngine } from './zeromqjs-engine.js';

/** The engine of every run: zeromq.js, the only one so far. */
export const currentEngine: SocketEngine = zeromqjsEngine;

/** The engine's versions, for the result's environment. */
export const versions: EngineVersions = currentEngine.versions;

/** A new CURVE key pair (Z85 text), for one run. */
export function curveKeyPair(): CurveKeyPair {
  return currentEngine.curveKeyPair();
}
