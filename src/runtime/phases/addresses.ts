import type { Reply } from '../../protocol/control.js';
import type { TopologyPlan } from '../../scenario/plan.js';
import type { Scenario, TransportName } from '../../scenario/schema.js';
import { endpointTransport } from '../../scenario/transports.js';
import type { EndpointAllocator } from '../../transport/endpoints.js';

/** Per binding role, the address it binds for each endpoint it binds. */
export type BindPlan = Record<number, Record<string, string>>;

/**
 * Each binding role gets its own address per endpoint it binds, over that endpoint's transport;
 * an external endpoint keeps its given address. `upFront` (connect-first): every address is known before the bind (tcp
 * gets a reserved port instead of `*`).
 */
export async function bindAddresses(
  plan: TopologyPlan,
  scenario: Scenario,
  allocator: EndpointAllocator,
  upFront: boolean,
  /** in a run with agents: the IP a role's host binds (its agent's, or this host's toward them); null: loopback */
  bindIpOf: (roleId: number) => string | null = () => null,
): Promise<BindPlan> {
  const out: BindPlan = {};
  const allocated: Array<{ roleId: number; endpoint: string; transport: TransportName; index: number; instance: number }> = [];
  for (const [endpoint, roleIds] of Object.entries(plan.binders)) {
    const index = scenario.endpoints.indexOf(endpoint);
    const external = scenario.external[endpoint];
    const transport = endpointTransport(scenario, endpoint);
    roleIds.forEach((roleId, instance) => {
      if (external !== undefined) (out[roleId] ??= {})[endpoint] = external;
      else allocated.push({ roleId, endpoint, transport, index, instance });
    });
  }
  // udp has no wildcard port: its addresses are found before the bind even with bind-first
  const early = allocated.filter((a) => upFront || allocator.upFrontAlways(a.transport));
  const reserved = await allocator.bindAddressesUpFront(early.map((a) => [a.transport, a.index, a.instance] as const));
  const addresses = allocated.map((a) =>
    upFront || allocator.upFrontAlways(a.transport) ? reserved.shift()! : allocator.bindAddress(a.transport, a.index, a.instance),
  );
  allocated.forEach((a, i) => {
    const ip = bindIpOf(a.roleId);
    const address = ip !== null && a.transport === 'tcp' ? `tcp://${ip.includes(':') ? `[${ip}]` : ip}:*` : addresses[i]!;
    (out[a.roleId] ??= {})[a.endpoint] = address;
  });
  return out;
}

/** Every endpoint's addresses before anything binds (connect-first): the planned bind addresses, and each external one's. */
export function plannedEndpoints(
  plan: Pick<TopologyPlan, 'binders'>,
  bindPlan: BindPlan,
  external: Record<string, string>,
): Record<string, string[]> {
  return {
    ...Object.fromEntries(Object.entries(external).map(([e, address]) => [e, [address]])),
    ...Object.fromEntries(Object.entries(plan.binders).map(([e, ids]) => [e, ids.map((id) => bindPlan[id]?.[e] ?? '')])),
  };
}

/**
 * Every endpoint's addresses: those our binders reported, and the given address of each
 * external one. A binder that could not bind reported none (and failed the run): no empty address.
 */
export function collectEndpoints(
  plan: Pick<TopologyPlan, 'binders'>,
  replies: Reply[],
  external: Record<string, string>,
): Record<string, string[]> {
  const byRole = new Map<string, string>();
  for (const r of replies) if (r.kind === 'bound') for (const a of r.addresses) byRole.set(`${a.roleId}:${a.endpoint}`, a.address);
  const bound = Object.entries(plan.binders).map(([e, ids]) => [e, ids.flatMap((id) => byRole.get(`${id}:${e}`) ?? [])] as const);
  return {
    ...Object.fromEntries(Object.entries(external).map(([e, address]) => [e, [address]])),
    ...Object.fromEntries(bound.filter(([e, a]) => a.length > 0 || external[e] === undefined)),
  };
}

/** connect-first: one problem per endpoint of ours that was bound elsewhere than where it was dialled. */
export function movedEndpoints(
  dialled: Record<string, string[]>,
  bound: Record<string, string[]>,
  external: Record<string, string>,
): string[] {
  const moved = Object.entries(dialled).filter(([e, a]) => external[e] === undefined && a.join(' ') !== (bound[e] ?? []).join(' '));
  return moved.map(([e, a]) => `connect-first: ${e} was dialled at ${a.join(', ')} but bound at ${(bound[e] ?? []).join(', ')}`);
}
