import { TRANSPORTS, type Scenario, type TransportName } from './schema.js';

/**
 * The transport of each endpoint (issue 22): an endpoint may name its own, the others use the
 * scenario's, and an external one runs over what its address says. Every part of zmq-bench that
 * depends on a transport (addresses, handshakes, monitors, kernel figures, reports) asks here
 * per endpoint rather than reading the scenario's transport. Pure.
 */

/** A run whose endpoints use more than one transport. */
export const MIXED = 'mixed';
export type RunTransport = TransportName | typeof MIXED;

/** The transport an address names (`tcp://…` → tcp); undefined for a scheme zmq-bench does not know. */
export function addressTransport(address: string): TransportName | undefined {
  return TRANSPORTS.find((t) => address.startsWith(`${t}://`));
}

type Transports = Pick<Scenario, 'transport' | 'endpointTransports' | 'external'>;

/** The transport one endpoint runs over: an external one's address's, its own, else the scenario's. */
export function endpointTransport(s: Transports, endpoint: string): TransportName {
  const external = s.external[endpoint];
  return (external === undefined ? undefined : addressTransport(external)) ?? s.endpointTransports[endpoint] ?? s.transport;
}

/** Every endpoint → its transport, in the order declared. */
export function endpointTransportsOf(s: Transports & Pick<Scenario, 'endpoints'>): Record<string, TransportName> {
  return Object.fromEntries(s.endpoints.map((e) => [e, endpointTransport(s, e)]));
}

/** The run's transport in one word: the one every endpoint uses, or `mixed`. */
export function runTransport(s: Transports & Pick<Scenario, 'endpoints'>): RunTransport {
  const used = new Set(s.endpoints.map((e) => endpointTransport(s, e)));
  return used.size === 1 ? [...used][0]! : used.size === 0 ? s.transport : MIXED;
}

/** Some endpoint runs over this transport. */
export function usesTransport(s: Transports & Pick<Scenario, 'endpoints'>, transport: TransportName): boolean {
  return s.endpoints.some((e) => endpointTransport(s, e) === transport);
}
