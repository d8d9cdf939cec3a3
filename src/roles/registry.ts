import type { SocketType } from '../scenario/schema.js';
import type { RolePlan } from '../scenario/plan.js';
import { DealerRole } from './dealer.js';
import { PubRole } from './pub.js';
import { PullRole } from './pull.js';
import { RepRole } from './rep.js';
import { ReqRole } from './req.js';
import type { RoleHost, SocketRole } from './role.js';
import { RouterRole } from './router.js';
import { SubRole } from './sub.js';
import { PushRole } from './push.js';
import { ProxyRole } from './proxy.js';
import { XPubRole } from './xpub.js';
import { XSubRole } from './xsub.js';

/** Socket type → role. Adding a socket type means a file and a line here, nothing else. */
const ROLES: Record<SocketType, new (plan: RolePlan, host: RoleHost) => SocketRole> = {
  pub: PubRole,
  sub: SubRole,
  push: PushRole,
  pull: PullRole,
  req: ReqRole,
  rep: RepRole,
  dealer: DealerRole,
  router: RouterRole,
  xpub: XPubRole,
  xsub: XSubRole,
};

/** A proxy's role is its own, whatever its frontend's type. */
export function createRole(plan: RolePlan, host: RoleHost): SocketRole {
  return plan.proxy ? new ProxyRole(plan, host) : new ROLES[plan.socket.type](plan, host);
}
