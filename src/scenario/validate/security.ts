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
  const bare = [...ctx.endpoints.transports].find(([, t]) => t.transport === 'inproc' || t.transport === 'udp');
  if (bare !== undefined) {
    const [name, t] = bare;
    check.add(
      '/curve',
      `CURVE needs tcp or ipc (${t.transport} has no security handshake), got ${t.own ? `endpoint ${JSON.stringify(name)} on ${t.transport}` : `transport "${t.transport}"`}`,
    );
  } else if ((raw['transport'] === 'inproc' || raw['transport'] === 'udp') && ctx.endpoints.transports.size === 0)
    // no endpoint could be read: the scenario's transport alone says it
    check.add('/curve', `CURVE needs tcp or ipc (${raw['transport']} has no security handshake), got transport "${raw['transport']}"`);
  const key = isRecord(curve) ? curve['serverPublicKey'] : undefined;
  // the schema checks length and alphabet; a group of 5 characters may still stand for too much
  if (typeof key === 'string' && ctx.sound('/curve/serverPublicKey') && !isCurveKey(key))
    check.add('/curve/serverPublicKey', CURVE_KEY_MESSAGE + got(key));
  return found.problems;
}
