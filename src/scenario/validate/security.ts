import { CURVE_KEY_MESSAGE, isCurveKey } from '../curve.js';
import { got, isRecord } from '../problem-text.js';
import { Findings, type CheckContext } from './context.js';
import type { Problem } from './problem.js';

/** Security: curve only where every endpoint has a handshake (tcp, ipc), with a key libzmq will take. */
export function securityProblems(raw: Record<string, unknown>, ctx: CheckContext): Problem[] {
  const found = new Findings(ctx);
  const check = found.of('curve');
  const curve = raw['curve'];
  if (curve !== true && !isRecord(curve)) return found.problems;
  const inproc = [...ctx.endpoints.transports].find(([, t]) => t.transport === 'inproc');
  if (inproc !== undefined) {
    const [name, t] = inproc;
    check.add(
      '/curve',
      `CURVE needs tcp or ipc (inproc has no security handshake), got ${t.own ? `endpoint ${JSON.stringify(name)} on inproc` : 'transport "inproc"'}`,
    );
  } else if (raw['transport'] === 'inproc' && ctx.endpoints.transports.size === 0)
    // no endpoint could be read: the scenario's transport alone says it
    check.add('/curve', 'CURVE needs tcp or ipc (inproc has no security handshake), got transport "inproc"');
  const key = isRecord(curve) ? curve['serverPublicKey'] : undefined;
  // the schema checks length and alphabet; a group of 5 characters may still stand for too much
  if (typeof key === 'string' && ctx.sound('/curve/serverPublicKey') && !isCurveKey(key))
    check.add('/curve/serverPublicKey', CURVE_KEY_MESSAGE + got(key));
  return found.problems;
}
