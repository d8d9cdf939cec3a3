import type { PairSide, SocketType } from '../scenario/schema.js';
import type { RolePlan } from '../scenario/plan.js';
import { DealerRole } from './dealer.js';
import { DishRole } from './dish.js';
import { PairReceiverRole, PairSenderRole } from './pair.js';
import { PubRole } from './pub.js';
import { PullRole } from './pull.js';
import { RadioRole } from './radio.js';
import { RepRole } from './rep.js';
import { ReqRole } from './req.js';
import type { RoleHost, SocketRole } from './role.js';
import { RouterRole } from './router.js';
import { SubRole } from './sub.js';
import { PushRole } from './push.js';
import { ProxyRole } from './proxy.js';
import { XPubRole } from './xpub.js';
import { XSubRole } from './xsub.js';

type RoleClass = new (plan: RolePlan, host: RoleHost) => SocketRole;

/** Socket type → role. Adding a socket type means a file and a line here, nothing else. */
const ROLES: Record<Exclude<SocketType, 'pair'>, RoleClass> = {
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
  radio: RadioRole,
  dish: DishRole,
};

/** PAIR has two roles, one per side (the group's `side`). */
const PAIR_ROLES: Record<PairSide, RoleClass> = { sender: PairSenderRole, receiver: PairReceiverRole };

/** A proxy's role is its own, whatever its frontend's type; a pair's is its side's. */
export function createRole(plan: RolePlan, host: RoleHost): SocketRole {
  if (plan.proxy) return new ProxyRole(plan, host);
  const type = plan.socket.type;
  if (type !== 'pair') return new ROLES[type](plan, host);
  if (plan.side === null) throw new Error(`pair role ${plan.group}[${plan.instance}] has no side`);
  return new PAIR_ROLES[plan.side](plan, host);
}
