import { Type } from '@sinclair/typebox';
import { DURATION_PATTERN, SIZE_PATTERN } from '../../core/units.js';

/** The scenario format's bounds, names of things and the field builders every part of the schema uses. */

/** Hard upper bounds against hostile or mistaken files. */
export const LIMITS = {
  groups: 64,
  hosts: 64,
  endpoints: 64,
  countPerGroup: 1000,
  socketsInScenario: 2000,
  threadsPerGroup: 16,
  messageBytes: 64 * 1024 * 1024,
  messagesPerSocket: 1_000_000_000,
  durationMs: 24 * 3_600_000,
  ratePerSecond: 10_000_000,
  /**
   * The pacer spaces messages 1e9 / rate ns apart, as a BigInt of whole ns: a rate of 1e-300
   * made that Infinity and the sender threw. Below one message every 1000 s a run (24h at
   * most) sends next to nothing; 10,000,000 msgs/s is 100 ns apart.
   */
  minRatePerSecond: 0.001,
  prefixes: 256,
  topics: 1024,
  window: 100_000,
  delayPhases: 100,
  rateSteps: 100,
  burstSize: 1_000_000,
  pauses: 1000,
  events: 1000,
  retries: 1000,
  /** values per matrix key, and combinations in one matrix */
  matrixValues: 20,
  matrixVariants: 200,
  nameLength: 64,
  yamlAliases: 100,
  /** levels of lists and mappings in a scenario or suite file (a real one has fewer than 10) */
  nesting: 64,
  fileBytes: 1024 * 1024,
} as const;

/**
 * The smallest data message: the binary header every message starts with (HEADER_BYTES in
 * src/protocol/header.ts; scenario/ may not import protocol/, a test keeps the two equal).
 */
export const MIN_MESSAGE_BYTES = 32;

/*
 * `errorMessage` and `patternErrorMessage` are not JSON Schema keywords but an extension that
 * editors using vscode-json-languageservice (VS Code, yaml-language-server) show instead of
 * their own text; validation uses the same texts, so the CLI and the editor say one thing.
 */

export const SOCKET_TYPES = [
  'pub',
  'sub',
  'push',
  'pull',
  'req',
  'rep',
  'dealer',
  'router',
  'xpub',
  'xsub',
  'pair',
  'radio',
  'dish',
] as const;
export type SocketType = (typeof SOCKET_TYPES)[number];

/**
 * What a group is: sockets of one type, or a proxy (libzmq's zmq_proxy between a frontend and a
 * backend socket, and an optional capture socket; see normalized.ts `Group.proxy`).
 */
export const GROUP_TYPES = [...SOCKET_TYPES, 'proxy'] as const;
export type GroupType = (typeof GROUP_TYPES)[number];

/** The draft socket types: libzmq has them only when built with its draft API (zmq_has("draft")). */
export const DRAFT_TYPES = ['radio', 'dish'] as const satisfies readonly SocketType[];
export type DraftType = (typeof DRAFT_TYPES)[number];

export function isDraftType(type: GroupType): type is DraftType {
  return (DRAFT_TYPES as readonly string[]).includes(type);
}

/** Types that originate data messages (a pair group too when its `side` is sender: see isSender). */
export const SENDER_TYPES: readonly SocketType[] = ['pub', 'push', 'req', 'dealer', 'xpub', 'radio'];
/** Senders that wait for replies, so their latency is a round trip. */
export const ROUND_TRIP_TYPES: readonly SocketType[] = ['req', 'dealer'];
/** Senders of one-way data (no replies): pub, xpub, push, radio (and a pair's sender: see isOneWaySender). */
export const ONE_WAY_SENDER_TYPES: readonly SocketType[] = ['pub', 'xpub', 'push', 'radio'];
/** Types that send topics and take subscriptions: pub and xpub (whose subscriptions arrive as messages). */
export const PUBLISHER_TYPES: readonly SocketType[] = ['pub', 'xpub'];
/** Types that subscribe to topics: sub (with ZMQ_SUBSCRIBE) and xsub (by sending \x01prefix messages). */
export const SUBSCRIBER_TYPES: readonly SocketType[] = ['sub', 'xsub'];

/** libzmq's limit on a RADIO/DISH group (ZMQ_GROUP_MAX_LENGTH), in bytes. */
export const GROUP_MAX_BYTES = 255;
/**
 * libzmq 4.3.5's udp engine stores a group's length in the datagram's first byte and reads it
 * back as a signed char: a dish that receives a group of 128 bytes or more aborts ("Cannot
 * allocate memory", udp_engine.cpp:547; measured), so over udp a group has 127 bytes at most.
 */
export const UDP_GROUP_MAX_BYTES = 127;
/**
 * Over udp one message is one datagram of [group length][group][body], at most 8192 bytes
 * (udp_engine.cpp, MAX_UDP_MSG). libzmq does not check (its TODO): a dish gets a longer body cut
 * short, and a much longer one overruns the radio's buffer (the process aborted with
 * "free(): invalid pointer" at 20 KB; measured).
 */
export const UDP_DATAGRAM_BYTES = 8192;

/** A PAIR connects two sockets: one group sends on it, the other receives (`side`). */
export const PAIR_SIDES = ['sender', 'receiver'] as const;
export type PairSide = (typeof PAIR_SIDES)[number];

/** Whether a group originates data: by its type, or for a pair by its side (null for every other type). */
export function isSender(type: GroupType, side: PairSide | null): boolean {
  return type === 'pair' ? side === 'sender' : (SENDER_TYPES as readonly string[]).includes(type);
}

export function isRoundTrip(type: GroupType): boolean {
  return (ROUND_TRIP_TYPES as readonly string[]).includes(type);
}

export function isOneWaySender(type: GroupType, side: PairSide | null): boolean {
  return type === 'pair' ? side === 'sender' : (ONE_WAY_SENDER_TYPES as readonly string[]).includes(type);
}

export function isPublisher(type: GroupType): boolean {
  return (PUBLISHER_TYPES as readonly string[]).includes(type);
}

export function isSubscriber(type: GroupType): boolean {
  return (SUBSCRIBER_TYPES as readonly string[]).includes(type);
}

/**
 * A proxy's frontend and backend types, as libzmq's devices pair them: XSUB/XPUB (a forwarder:
 * subscriptions go upstream), ROUTER/DEALER (a broker of requests), PULL/PUSH (a streamer).
 */
export const PROXY_PAIRS: Readonly<Record<'xsub' | 'router' | 'pull', SocketType>> = { xsub: 'xpub', router: 'dealer', pull: 'push' };
export const PROXY_CAPTURE_TYPES = ['pub', 'push'] as const;
/** Proxies that may run in threads of one process: each holds one of libuv's 4 threadpool threads (docs/zeromq-traps.md 30). */
export const PROXIES_PER_PROCESS = 3;

/** udp carries RADIO and DISH only (libzmq's udp engine); the other three carry every type. */
export const TRANSPORTS = ['inproc', 'ipc', 'tcp', 'udp'] as const;
export type TransportName = (typeof TRANSPORTS)[number];

/** Which side of every connection starts first (B2): binders, or the connecting sockets. */
export const START_ORDERS = ['bind-first', 'connect-first'] as const;
export type StartOrder = (typeof START_ORDERS)[number];

/**
 * Which binding drives a group's sockets: zeromq.js (what a Node application sees, the default)
 * or native (libzmq's C API called directly, issue 19: ZeroMQ at its own speed).
 */
export const ENGINES = ['zeromq.js', 'native'] as const;
export type EngineName = (typeof ENGINES)[number];

export const PLACEMENTS = ['thread', 'process'] as const;
export type Placement = (typeof PLACEMENTS)[number];

export const FAULT_ACTIONS = ['kill', 'restart', 'pause', 'resume', 'stop'] as const;
export type FaultAction = (typeof FAULT_ACTIONS)[number];

/** Faults of the network between two groups (issue 21): on their tcp connections, not on their sockets. */
export const NETWORK_FAULT_ACTIONS = ['partition', 'cut', 'slow', 'heal'] as const;
export type NetworkFaultAction = (typeof NETWORK_FAULT_ACTIONS)[number];

/** The directions a pause or resume can name; leaving `what` out means every direction the group has. */
export const DIRECTIONS = ['sending', 'receiving'] as const;
export type Direction = (typeof DIRECTIONS)[number];

const NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_-]*$';
/** A fault's target: a group name, or a group name and a socket index, e.g. workers[1]. */
export const TARGET_PATTERN = '^([A-Za-z][A-Za-z0-9_-]*)(?:\\[(0|[1-9][0-9]{0,5})\\])?$';
export const TARGET_MESSAGE = 'must be a group name, or a group name and a socket index such as workers[1]';

export const Name = (description: string) =>
  Type.String({
    pattern: NAME_PATTERN,
    maxLength: LIMITS.nameLength,
    description,
    patternErrorMessage: 'must start with a letter and contain only letters, digits, _ and -',
  });

export const DURATION_MESSAGE = 'must be a duration such as 500ms, 2s or 1m';
export const SIZE_MESSAGE = `must be a size from ${MIN_MESSAGE_BYTES} bytes to ${LIMITS.messageBytes / (1024 * 1024)}MiB: a number of bytes or a string such as 64B, 1KiB or 4MB`;

export const Duration = (description: string) =>
  Type.String({
    pattern: DURATION_PATTERN,
    description: `${description} (e.g. 500ms, 2s, 1m)`,
    errorMessage: DURATION_MESSAGE,
  });

export const Size = (description: string) =>
  Type.Union(
    [Type.Integer({ minimum: MIN_MESSAGE_BYTES, maximum: LIMITS.messageBytes }), Type.String({ pattern: SIZE_PATTERN })],
    // one text for every way a size can be wrong; validate/rates.ts checks parsed strings against it too
    { description: `${description} (bytes, or a string such as 1KiB)`, errorMessage: SIZE_MESSAGE },
  );

export const EndpointRef = Type.Union(
  [Name('endpoint name'), Type.Array(Name('endpoint name'), { minItems: 1, maxItems: LIMITS.endpoints })],
  { errorMessage: 'must be an endpoint name or a list of endpoint names' },
);
