import { CURVE_KEY_MESSAGE, isCurveKey } from '../curve.js';
import { got, isRecord } from '../problem-text.js';
import { Findings, type CheckContext } from './context.js';
import type { Problem } from './problem.js';

/** Security: curve only where there is a handshake (tcp, ipc), with a key libzmq will take. */
export function securityProblems(raw: Record<string, unknown>, ctx: CheckContext): Problem[] {
  const found = new Findings(ctx);
  const check = found.of('curve');
  const curve = raw['curve'];
  if (curve !== true && !isRecord(curve)) return found.problems;
  if (raw['transport'] === 'inproc' || raw['transport'] === 'udp')
    check.add('/curve', `CURVE needs tcp or ipc (${raw['transport']} has no security handshake), got transport "${raw['transport']}"`);
  const key = isRecord(curve) ? curve['serverPublicKey'] : undefined;
  // the schema checks length and alphabet; a group of 5 characters may still stand for too much
  if (typeof key === 'string' && ctx.sound('/curve/serverPublicKey') && !isCurveKey(key))
    check.add('/curve/serverPublicKey', CURVE_KEY_MESSAGE + got(key));
  return found.problems;
}
