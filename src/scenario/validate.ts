import { Kind, type TSchema } from '@sinclair/typebox';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import { parseDurationMs, parseSizeBytes } from '../core/units.js';
import { durationText } from './overrides.js';
import { closest, got, isRecord } from './problem-text.js';
import { EXTERNAL_LIMITS } from './external-schema.js';
import { normalizeExpect, type ExpectFile } from './expect/schema.js';
import { expectProblems } from './expect/check.js';
import { addressProblem, externalGroupProblems, normalizeCheck, normalizePayload, normalizeSequence, touchesExternal } from './validate-external.js';
import {
  DelayDistributionSchema,
  DURATION_MESSAGE,
  FAULT_ACTIONS,
  LIMITS,
  MIN_MESSAGE_BYTES,
  isSender,
  RATE_MESSAGE,
  RateShapeSchema,
  ScenarioSchema,
  SENDER_TYPES,
  SIZE_MESSAGE,
  TARGET_PATTERN,
  type DelayField,
  type DelayModel,
  type DelaySpec,
  type DelaySpecField,
  type Direction,
  type FaultEvent,
  type FaultEventSpec,
  type Forward,
  type ForwardSpec,
  type Group,
  type GroupSpec,
  type Pause,
  type RateField,
  type RateShape,
  type Scenario,
  type ScenarioFile,
  type SocketOptions,
  type SocketType,
} from './schema.js';
import { CURVE_KEY_MESSAGE, isCurveKey } from './curve.js';
import { OPTION_NAMES, ZMQ_OPTION_NAMES, allowedOptions, isOptionAllowed } from './socket-options.js';
import { parseExpression, parseThresholdKey, type Threshold } from './thresholds.js';

/**
 * Scenario validation: every problem at once, one line each, `<path>: <expected>, got <value>`.
 * First the structure (TypeBox, its messages rephrased), then the rules that span fields, run
 * only on parts that are structurally sound so that one mistake is reported once.
 */

export type ValidationResult = { scenario: Scenario } | { problems: string[] };

export const RECEIVER_TYPES: readonly SocketType[] = ['sub', 'pull', 'rep', 'router'];

/** The types each type can exchange messages with (symmetric). */
export const PEER_TYPES: Readonly<Record<SocketType, readonly SocketType[]>> = {
  pub: ['sub'],
  sub: ['pub'],
  push: ['pull'],
  pull: ['push'],
  req: ['rep', 'router'],
  rep: ['req', 'dealer'],
  dealer: ['router', 'rep'],
  router: ['req', 'dealer'],
};

export function canTalk(a: SocketType, b: SocketType): boolean {
  return PEER_TYPES[a].includes(b);
}

/**
 * The directions a group has, for pause and resume: sending for senders and for a stage's
 * forward; receiving for receivers and for the replies a req or dealer reads. A rep or router
 * only receives here: its reply answers what it read, so pausing its receiving holds both.
 */
export function directionsOf(type: SocketType, hasForward: boolean): Direction[] {
  const out: Direction[] = [];
  if (isSender(type) || hasForward) out.push('sending');
  if (RECEIVER_TYPES.includes(type) || type === 'req' || type === 'dealer') out.push('receiving');
  return out;
}

/** What a field left out means. */
export const DEFAULTS = {
  description: '',
  transport: 'tcp',
  durationMs: 5000,
  warmupMs: 0,
  drainMs: 5000,
  sampleIntervalMs: 100,
  barrier: true,
  startOrder: 'bind-first',
  count: 1,
  threads: 1,
  placement: 'thread',
  sizeBytes: 64,
  delayMs: 0,
  whenBlocked: 'wait',
  giveUpAfterMs: 0,
  subscribe: [''],
  dealerWindow: 100,
} as const;

export function validateScenario(raw: unknown): ValidationResult {
  const structural = structuralProblems(raw);
  const problems = [...structural];
  if (isRecord(raw)) problems.push(...semanticProblems(raw, structural));
  if (problems.length > 0) return { problems: problems.map((p) => `${formatPath(raw, p.pointer)}: ${p.text}`) };
  // No problem left means the schema holds; Check narrows the type without a cast.
  if (!Value.Check(ScenarioSchema, raw)) return { problems: ['(top level): does not match the scenario schema'] };
  return { scenario: normalize(raw) };
}

// ---------------------------------------------------------------------------------------------
// Problems and paths

interface Problem {
  /** JSON pointer into the raw value, e.g. /topology/groups/1/rate */
  pointer: string;
  text: string;
  /** structural problems only: what kind, to tell unknown fields from wrong values */
  kind?: ValueErrorType;
}


function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function escapeSegment(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** /topology/groups/1/rate → topology.groups[1].rate (walking the value to tell lists from keys). */
export function formatPath(raw: unknown, pointer: string): string {
  let out = '';
  let cur: unknown = raw;
  for (const seg of pointerSegments(pointer)) {
    if (Array.isArray(cur)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
    cur = isRecord(cur) || Array.isArray(cur) ? (cur as Record<string, unknown>)[seg] : undefined;
  }
  return out === '' ? '(top level)' : out;
}



// ---------------------------------------------------------------------------------------------
// Structural problems: TypeBox errors in our words

/** Every structural problem of `raw` against `schema` (a suite's, say), in our words, one per place, each with its path. */
export function schemaProblems(schema: TSchema, raw: unknown): string[] {
  return structuralProblems(raw, schema).map((p) => `${formatPath(raw, p.pointer)}: ${p.text}`);
}

function structuralProblems(raw: unknown, schema: TSchema = ScenarioSchema): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const e of Value.Errors(schema, raw)) {
    for (const p of translate(e)) {
      // one problem per place: TypeBox reports a missing field twice (required, then its type)
      if (seen.has(p.pointer)) continue;
      seen.add(p.pointer);
      out.push(p);
    }
  }
  return out;
}

type SchemaNode = TSchema & {
  errorMessage?: string;
  patternErrorMessage?: string;
  anyOf?: SchemaNode[];
  const?: unknown;
  properties?: Record<string, SchemaNode>;
};

function kindOf(schema: SchemaNode): string {
  return String(schema[Kind]);
}

/** Does the value have the JSON type this (non-union) schema asks for? */
function typeMatches(schema: SchemaNode, v: unknown): boolean {
  switch (kindOf(schema)) {
    case 'String':
      return typeof v === 'string';
    case 'Number':
    case 'Integer':
      return typeof v === 'number';
    case 'Boolean':
      return typeof v === 'boolean';
    case 'Array':
      return Array.isArray(v);
    case 'Object':
      return isRecord(v);
    case 'Literal':
      return typeof v === typeof schema.const;
    default:
      return false;
  }
}

function bounds(schema: SchemaNode): string {
  if (schema.exclusiveMinimum !== undefined) return ` > ${schema.exclusiveMinimum}`;
  if (schema.minimum !== undefined) return ` >= ${schema.minimum}`;
  return '';
}

/** A short noun phrase for one alternative of a union. */
function describe(schema: SchemaNode): string {
  switch (kindOf(schema)) {
    case 'Literal':
      return JSON.stringify(schema.const);
    case 'Number':
      return `a number${bounds(schema)}`;
    case 'Integer':
      return `an integer${bounds(schema)}`;
    case 'String':
      return 'a string';
    case 'Boolean':
      return 'true or false';
    case 'Array':
      return 'a list';
    case 'Object':
      return 'a mapping';
    default:
      return 'something else';
  }
}

function oneOf(values: readonly string[]): string {
  if (values.length === 1) return values[0]!;
  if (values.length === 2) return `${values[0]} or ${values[1]}`;
  return `one of ${values.join(', ')}`;
}

function translate(e: ValueError): Problem[] {
  const schema = e.schema as SchemaNode;
  const at = (text: string): Problem[] => [{ pointer: e.path, text, kind: e.type }];

  switch (e.type) {
    case ValueErrorType.Union: {
      const variants = schema.anyOf ?? [];
      // When the value's JSON type picks out one alternative, that alternative's own problem is
      // the precise one (rate: -5 → "must be from 0.001 to …"; a list with one bad entry → that entry), unless
      // it is a literal (rate: "fast"), or a scalar under a union with its own text (size: 16);
      // a scalar alternative with a text of its own says it better still (a duration under delay).
      const candidates = variants.map((v, i) => ({ v, i })).filter(({ v }) => typeMatches(v, e.value));
      const only = candidates.length === 1 ? candidates[0]! : undefined;
      const drill =
        only !== undefined &&
        (schema.errorMessage ? ['Array', 'Object'].includes(kindOf(only.v)) || only.v.errorMessage !== undefined : kindOf(only.v) !== 'Literal');
      if (drill) {
        const nested = [...(e.errors[only.i] ?? [])].flatMap(translate);
        if (nested.length > 0) return nested;
      }
      if (schema.errorMessage) return at(schema.errorMessage + got(e.value));
      // rate: a number, max or a shape; "must be "max" or a number > 0 or a mapping" would not say
      // which mappings. Type.Optional copies the union, not its members: known by its shape member.
      if (variants.includes(RateShapeSchema as SchemaNode)) return at(RATE_MESSAGE + got(e.value));
      if (variants.every((v) => kindOf(v) === 'Literal')) {
        return at(`must be ${oneOf(variants.map(describe))}${got(e.value)}`);
      }
      return at(`must be ${variants.map(describe).join(' or ')}${got(e.value)}`);
    }
    case ValueErrorType.ObjectAdditionalProperties: {
      const key = pointerSegments(e.path).at(-1) ?? '';
      const hint = suggestField(key, Object.keys(schema.properties ?? {}));
      if (e.schema === DelayDistributionSchema) return at(hint ? `unknown distribution (did you mean "${hint}"?)` : 'unknown distribution (use uniform or exponential)');
      if (e.schema === RateShapeSchema) return at(hint ? `unknown rate shape (did you mean "${hint}"?)` : 'unknown rate shape (use ramp, bursts or steps)');
      return at(hint ? `unknown field (did you mean "${hint}"?)` : 'unknown field');
    }
    case ValueErrorType.ObjectRequiredProperty:
      return at('required field is missing');
    default:
      break;
  }

  if (schema.errorMessage) return at(schema.errorMessage + got(e.value));

  switch (e.type) {
    case ValueErrorType.Object:
      return at(`must be a mapping${got(e.value)}`);
    case ValueErrorType.Array:
      return at(`must be a list${got(e.value)}`);
    case ValueErrorType.ArrayMinItems:
      return at(`must have at least ${schema.minItems} ${schema.minItems === 1 ? 'entry' : 'entries'}${got(e.value)}`);
    case ValueErrorType.ArrayMaxItems:
      return at(`must have at most ${schema.maxItems} entries, got ${(e.value as unknown[]).length}`);
    case ValueErrorType.String:
      return at(`must be a string${got(e.value)}`);
    case ValueErrorType.StringMinLength:
      return at(schema.minLength === 1 ? `must not be empty${got(e.value)}` : `must be at least ${schema.minLength} characters${got(e.value)}`);
    case ValueErrorType.StringMaxLength:
      return at(`must be at most ${schema.maxLength} characters, got ${(e.value as string).length}`);
    case ValueErrorType.StringPattern:
      return at(`${schema.patternErrorMessage ?? `must match the pattern ${schema.pattern}`}${got(e.value)}`);
    case ValueErrorType.Integer:
      return at(`must be a whole number${got(e.value)}`);
    case ValueErrorType.Number:
      return at(`must be a number${got(e.value)}`);
    case ValueErrorType.Boolean:
      return at(`must be true or false${got(e.value)}`);
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return at(`must be >= ${schema.minimum}${got(e.value)}`);
    case ValueErrorType.IntegerExclusiveMinimum:
    case ValueErrorType.NumberExclusiveMinimum:
      return at(`must be > ${schema.exclusiveMinimum}${got(e.value)}`);
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return at(`must be <= ${schema.maximum}${got(e.value)}`);
    case ValueErrorType.IntegerExclusiveMaximum:
    case ValueErrorType.NumberExclusiveMaximum:
      return at(`must be < ${schema.exclusiveMaximum}${got(e.value)}`);
    case ValueErrorType.Literal:
      return at(`must be ${JSON.stringify(schema.const)}${got(e.value)}`);
    default:
      // not produced by this schema; still no raw TypeBox text
      return at(`is not valid${got(e.value)}`);
  }
}

/** The known field a typo most likely meant, or a zeromq.js option name's short form. */
function suggestField(key: string, known: readonly string[]): string | undefined {
  for (const name of OPTION_NAMES) {
    if (known.includes(name) && ZMQ_OPTION_NAMES[name].toLowerCase() === key.toLowerCase()) return name;
  }
  return closest(key, known);
}

// ---------------------------------------------------------------------------------------------
// Semantic problems

/** One set of sockets at endpoints: a group itself, or the forward socket of each of its members. */
interface Side {
  group: number;
  label: string;
  type: SocketType;
  /** pointer of the group or of its forward */
  pointer: string;
  refs: Ref[];
  /** the mode this side uses (exactly one of bind/connect was given) */
  mode: 'bind' | 'connect';
}

interface Ref {
  side: Side;
  endpoint: string;
  pointer: string;
}

interface Usage {
  binders: Ref[];
  connectors: Ref[];
}

function joinWith(word: string, items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${word} ${items.at(-1)}`;
}
const AND_LIST = (items: readonly string[]) => joinWith('and', items);
const OR_LIST = (items: readonly string[]) => joinWith('or', items);

/** Which group types a field belongs to, for "is only for ..." problems. */
const FIELD_OWNERS: ReadonlyArray<[field: keyof GroupSpec, types: readonly SocketType[]]> = [
  ['size', SENDER_TYPES],
  ['rate', SENDER_TYPES],
  ['messages', SENDER_TYPES],
  ['whenBlocked', SENDER_TYPES],
  ['giveUpAfter', SENDER_TYPES],
  ['delay', RECEIVER_TYPES],
  ['pauses', RECEIVER_TYPES],
  ['subscribe', ['sub']],
  ['topics', ['pub']],
  ['window', ['dealer']],
  ['retry', ['req']],
  ['forward', ['pull', 'sub']],
  ['payload', SENDER_TYPES],
  ['check', ['req', 'dealer', 'sub', 'pull']],
  ['sequence', ['sub', 'pull']],
  ['misuse', ['req', 'rep']],
];

function semanticProblems(raw: Record<string, unknown>, structural: readonly Problem[]): Problem[] {
  const out: Problem[] = [];
  const add = (pointer: string, text: string): void => {
    out.push({ pointer, text });
  };
  const bad = structural.map((p) => p.pointer);
  /** no structural problem at, inside or above this place */
  const sound = (pointer: string) => !bad.some((b) => b === pointer || b.startsWith(`${pointer}/`) || pointer.startsWith(`${b}/`) || b === '');
  const hasUnknownField = (objectPointer: string) =>
    structural.some((p) => p.kind === ValueErrorType.ObjectAdditionalProperties && p.pointer.startsWith(`${objectPointer}/`) && !p.pointer.slice(objectPointer.length + 1).includes('/'));

  // the measured time, for events; undefined when the duration itself has a problem
  const durationMs = raw['duration'] === undefined ? DEFAULTS.durationMs : checkDuration(raw['duration'], '/duration', true);
  for (const field of ['warmup', 'drain'] as const) checkDuration(raw[field], `/${field}`, false);
  const interval = checkDuration(raw['sampleInterval'], '/sampleInterval', true);
  if (interval !== undefined && (interval < 10 || interval > 60_000)) add('/sampleInterval', `must be from 10ms to 60s${got(raw['sampleInterval'])}`);
  checkCurve();

  /** The duration in ms when it is a sound one (no problem reported here or before), else undefined. */
  function checkDuration(value: unknown, pointer: string, positive: boolean): number | undefined {
    if (typeof value !== 'string' || !sound(pointer)) return undefined;
    const parsed = parseDurationMs(value);
    if (parsed === undefined) return void add(pointer, DURATION_MESSAGE + got(value));
    if (parsed > LIMITS.durationMs) return void add(pointer, `must be at most ${durationText(LIMITS.durationMs)}${got(value)}`);
    if (positive && ms(value) <= 0) return void add(pointer, `must be longer than 0s${got(value)}`);
    return ms(value);
  }

  /** delay: a duration, a distribution or (when `phases`) a list of phases. */
  function checkDelay(value: unknown, pointer: string, phases: boolean): void {
    if (typeof value === 'string') return void checkDuration(value, pointer, false);
    if (isRecord(value)) {
      const uniform = value['uniform'];
      if (isRecord(uniform)) {
        const min = checkDuration(uniform['min'], `${pointer}/uniform/min`, false);
        const max = checkDuration(uniform['max'], `${pointer}/uniform/max`, false);
        if (min !== undefined && max !== undefined && min > max) add(`${pointer}/uniform/max`, `must be at least min (${String(uniform['min'])})${got(uniform['max'])}`);
      }
      const exponential = value['exponential'];
      if (isRecord(exponential)) checkDuration(exponential['mean'], `${pointer}/exponential/mean`, true);
      return;
    }
    // a list refused as a whole (too long) would only echo its problem through its phases
    if (!phases || !Array.isArray(value) || bad.includes(pointer)) return;
    value.forEach((phase: unknown, k) => {
      const pp = `${pointer}/${k}`;
      if (!isRecord(phase)) return;
      checkDelay(phase['delay'], `${pp}/delay`, false);
      if (phase['for'] !== undefined) checkDuration(phase['for'], `${pp}/for`, true);
      // a misspelt `for` is already reported as an unknown field
      else if (k < value.length - 1 && !hasUnknownField(pp)) add(`${pp}/for`, 'required field is missing (only the last phase may leave it out)');
    });
  }

  /** rate shapes: durations longer than 0s, bursts within the rate limit, `for` on every step but the last. */
  function checkRate(value: unknown, pointer: string): void {
    if (!isRecord(value)) return;
    const ramp = value['ramp'];
    if (isRecord(ramp)) checkDuration(ramp['over'], `${pointer}/ramp/over`, true);
    const bursts = value['bursts'];
    if (isRecord(bursts)) {
      const everyMs = checkDuration(bursts['every'], `${pointer}/bursts/every`, true);
      const size = bursts['size'];
      if (everyMs !== undefined && typeof size === 'number' && sound(`${pointer}/bursts/size`) && (size * 1000) / everyMs > LIMITS.ratePerSecond) {
        add(`${pointer}/bursts`, `must average at most ${LIMITS.ratePerSecond} messages per second (size / every), got ${size} every ${String(bursts['every'])}`);
      }
    }
    const steps = value['steps'];
    // a list refused as a whole (empty, too long) would only echo its problem through its steps
    if (!Array.isArray(steps) || bad.includes(`${pointer}/steps`)) return;
    steps.forEach((step: unknown, k) => {
      const sp = `${pointer}/steps/${k}`;
      if (!isRecord(step)) return;
      if (step['for'] !== undefined) checkDuration(step['for'], `${sp}/for`, true);
      // a misspelt `for` is already reported as an unknown field
      else if (k < steps.length - 1 && !hasUnknownField(sp)) add(`${sp}/for`, 'required field is missing (only the last step may leave it out)');
    });
  }

  /** pauses: each sound, in order of `at`, none starting before the one before it has ended. */
  function checkPauses(value: unknown, pointer: string): void {
    if (!Array.isArray(value) || bad.includes(pointer)) return;
    let prev: { k: number; at: string; atMs: number; endMs: number } | undefined;
    value.forEach((pause: unknown, k) => {
      if (!isRecord(pause)) return;
      const atMs = checkDuration(pause['at'], `${pointer}/${k}/at`, false);
      const forMs = checkDuration(pause['for'], `${pointer}/${k}/for`, true);
      if (atMs === undefined || forMs === undefined) return;
      const at = pause['at'] as string;
      if (prev && atMs < prev.atMs) {
        add(`${pointer}/${k}/at`, `must not be before pauses[${prev.k}].at (${prev.at}): pauses are listed in order of at${got(at)}`);
      } else if (prev && atMs < prev.endMs) {
        add(`${pointer}/${k}/at`, `must not be before the end of pauses[${prev.k}] (${durationText(prev.endMs)}): pauses must not overlap${got(at)}`);
      }
      prev = { k, at, atMs, endMs: atMs + forMs };
    });
  }

  /** retry of a req: the lazy pirate's wait is the socket's receive timeout, so rcvtimeo is out. */
  function checkRetry(g: Record<string, unknown>, gp: string): void {
    const retry = g['retry'];
    if (retry === undefined) return;
    if (isRecord(retry)) {
      const timeoutMs = checkDuration(retry['timeout'], `${gp}/retry/timeout`, true);
      if (timeoutMs !== undefined && !Number.isInteger(timeoutMs)) {
        add(`${gp}/retry/timeout`, `must be a whole number of milliseconds (it sets the receive timeout)${got(retry['timeout'])}`);
      }
    }
    const options = g['options'];
    if (isRecord(options) && options['rcvtimeo'] !== undefined && sound(`${gp}/options/rcvtimeo`)) {
      add(`${gp}/options/rcvtimeo`, `cannot be used with retry, which sets the receive timeout from retry.timeout${got(options['rcvtimeo'])}`);
    }
  }

  /** whenBlocked and giveUpAfter of a sender; give-up sets the send timeout, so sndtimeo is out. */
  function checkGiveUp(g: Record<string, unknown>, gp: string): void {
    const giveUp = g['whenBlocked'] === 'give-up';
    const after = g['giveUpAfter'];
    if (after !== undefined) {
      if (!giveUp && sound(`${gp}/whenBlocked`)) add(`${gp}/giveUpAfter`, 'is only allowed with whenBlocked: give-up (a sender that waits never gives up)');
      const afterMs = checkDuration(after, `${gp}/giveUpAfter`, false);
      // ZeroMQ's send timeout is a whole number of milliseconds
      if (afterMs !== undefined && !Number.isInteger(afterMs)) add(`${gp}/giveUpAfter`, `must be a whole number of milliseconds (it sets the send timeout)${got(after)}`);
    }
    const options = g['options'];
    if ((giveUp || after !== undefined) && isRecord(options) && options['sndtimeo'] !== undefined && sound(`${gp}/options/sndtimeo`)) {
      add(`${gp}/options/sndtimeo`, `cannot be used with whenBlocked: give-up, which sets the send timeout from giveUpAfter${got(options['sndtimeo'])}`);
    }
  }

  const topology = raw['topology'];
  if (!isRecord(topology)) return out;

  // Endpoints: names and their uniqueness.
  const declared = new Map<string, number>();
  /** endpoints of services zmq-bench does not start: no group of ours is on their other side */
  const externalNames = new Set<string>();
  /** the sound external addresses, by endpoint name, checked once their use (bind or connect) is known */
  const externalAddresses = new Map<string, { i: number; address: string }>();
  const endpointList = Array.isArray(topology['endpoints']) ? topology['endpoints'] : [];
  endpointList.forEach((entry: unknown, i) => {
    const pointer = typeof entry === 'string' ? `/topology/endpoints/${i}` : `/topology/endpoints/${i}/name`;
    const name = typeof entry === 'string' ? entry : isRecord(entry) && typeof entry['name'] === 'string' ? entry['name'] : undefined;
    if (name === undefined || !sound(pointer)) return;
    const first = declared.get(name);
    if (first !== undefined) add(pointer, `must be unique (also topology.endpoints[${first}])${got(name)}`);
    else declared.set(name, i);
    if (isRecord(entry) && typeof entry['external'] === 'string') {
      externalNames.add(name);
      if (sound(`/topology/endpoints/${i}/external`)) externalAddresses.set(name, { i, address: entry['external'] });
    }
  });
  const endpointsComplete = Array.isArray(topology['endpoints']) && sound('/topology/endpoints');

  // Groups, one by one.
  const groupList = Array.isArray(topology['groups']) ? topology['groups'] : [];
  const sides: Side[] = [];
  const groupNames = new Map<string, number>();
  const groupSides = new Map<number, Side>();
  const forwardSides = new Map<number, Side>();
  let typesComplete = Array.isArray(topology['groups']);
  let countsComplete = typesComplete;
  let referencesComplete = true;
  let sockets = 0;
  let senders = 0;
  /** what events need to know of each group, by name (the first of a duplicate name) */
  const groupInfo = new Map<string, GroupInfo>();
  let namesComplete = Array.isArray(topology['groups']) && sound('/topology/groups');

  groupList.forEach((g: unknown, i) => {
    const gp = `/topology/groups/${i}`;
    if (!isRecord(g)) {
      typesComplete = countsComplete = referencesComplete = namesComplete = false;
      return;
    }
    const name = typeof g['name'] === 'string' && sound(`${gp}/name`) ? g['name'] : undefined;
    if (name !== undefined) {
      const first = groupNames.get(name);
      if (first !== undefined) add(`${gp}/name`, `must be unique (also topology.groups[${first}].name)${got(name)}`);
      else groupNames.set(name, i);
    } else namesComplete = false;
    const type = sound(`${gp}/type`) && typeof g['type'] === 'string' ? (g['type'] as SocketType) : undefined;
    if (type === undefined) typesComplete = false;
    else if (isSender(type)) senders++;
    const label = `group ${JSON.stringify(name ?? `#${i}`)}`;

    // count, threads, placement
    const count = g['count'] === undefined ? DEFAULTS.count : g['count'];
    const countOk = typeof count === 'number' && sound(`${gp}/count`);
    if (!countOk) countsComplete = false;
    const inProcesses = g['placement'] === 'process' && sound(`${gp}/placement`);
    if (inProcesses && g['threads'] !== undefined && sound(`${gp}/threads`)) {
      add(`${gp}/threads`, `cannot be used with placement: process (every socket runs in a process of its own)${got(g['threads'])}`);
    } else if (countOk && g['threads'] !== undefined && sound(`${gp}/threads`) && typeof g['threads'] === 'number' && g['threads'] > count) {
      add(`${gp}/threads`, `must be at most count (${count})${got(g['threads'])}`);
    }
    if (inProcesses && raw['transport'] === 'inproc') {
      add(`${gp}/placement`, `cannot be process with transport inproc (inproc does not cross processes)${got(g['placement'])}`);
    }
    if (name !== undefined && !groupInfo.has(name)) {
      groupInfo.set(name, { type, count: countOk ? count : undefined, hasForward: g['forward'] !== undefined });
    }

    if (type !== undefined) {
      for (const [field, owners] of FIELD_OWNERS) {
        if (g[field] !== undefined && !owners.includes(type)) add(`${gp}/${field}`, `is only for ${AND_LIST(owners)} groups, not ${type}`);
      }
    }

    // size given as a string is only range-checked here (numbers are checked by the schema)
    if (typeof g['size'] === 'string' && sound(`${gp}/size`)) {
      const bytes = parseSizeBytes(g['size']);
      if (bytes === undefined || bytes < MIN_MESSAGE_BYTES || bytes > LIMITS.messageBytes) add(`${gp}/size`, SIZE_MESSAGE + got(g['size']));
    }
    checkRate(g['rate'], `${gp}/rate`);
    checkDelay(g['delay'], `${gp}/delay`, true);
    checkPauses(g['pauses'], `${gp}/pauses`);
    if (type !== undefined && isSender(type)) checkGiveUp(g, gp);
    if (type === 'req') checkRetry(g, gp);

    if (type !== undefined) checkOptions(g['options'], type, `${gp}/options`);
    externalGroupProblems(g, gp, sound, add);
    const misuse = g['misuse'];
    if ((type === 'req' && misuse === 'reply-first') || (type === 'rep' && misuse === 'send-twice')) {
      add(`${gp}/misuse`, `must be ${type === 'req' ? 'send-twice' : 'reply-first'} for a ${type} group${got(misuse)}`);
    }

    const side = makeSide(g, i, type, gp, label);
    if (side) {
      sides.push(side);
      groupSides.set(i, side);
    }
    if (countOk) sockets += count;

    // forward: a second socket per member, for pull and sub groups
    const fwd = g['forward'];
    if (fwd === undefined) return;
    if (!isRecord(fwd) || (type !== 'pull' && type !== 'sub')) {
      // its endpoints are unknown or out of play: graph-wide rules would only echo this problem
      referencesComplete = false;
      return;
    }
    const fp = `${gp}/forward`;
    const ftype = sound(`${fp}/type`) && typeof fwd['type'] === 'string' ? (fwd['type'] as SocketType) : undefined;
    if (ftype === undefined) typesComplete = false;
    else checkOptions(fwd['options'], ftype, `${fp}/options`);
    const fside = makeSide(fwd, i, ftype, fp, `the forward of ${label}`);
    if (fside) {
      sides.push(fside);
      forwardSides.set(i, fside);
    }
    if (countOk) sockets += count;
  });

  function checkOptions(options: unknown, type: SocketType, pointer: string): void {
    if (!isRecord(options)) return;
    for (const key of Object.keys(options)) {
      if (!(OPTION_NAMES as readonly string[]).includes(key) || isOptionAllowed(type, key)) continue;
      add(`${pointer}/${escapeSegment(key)}`, `is not available on ${type} sockets (they take ${allowedOptions(type).join(', ')})`);
    }
  }

  /** The endpoints one group or forward binds or connects to; undefined when unusable. */
  function makeSide(obj: Record<string, unknown>, group: number, type: SocketType | undefined, pointer: string, label: string): Side | undefined {
    const hasBind = obj['bind'] !== undefined;
    const hasConnect = obj['connect'] !== undefined;
    if (hasBind === hasConnect) {
      // a misspelt bind/connect is already reported as an unknown field with a suggestion
      if (hasBind || !hasUnknownField(pointer)) add(pointer, `must have exactly one of bind or connect, got ${hasBind ? 'both' : 'neither'}`);
      referencesComplete = false;
      return undefined;
    }
    const mode = hasBind ? 'bind' : 'connect';
    const value = obj[mode];
    const fp = `${pointer}/${mode}`;
    if (!sound(fp)) {
      referencesComplete = false;
      return undefined;
    }
    // without a known type the references are still checked, but the side joins no graph rule
    const side: Side = { group, label, type: type ?? 'pub', pointer, refs: [], mode };
    const names = typeof value === 'string' ? [value] : (value as string[]);
    names.forEach((endpoint, k) => {
      const rp = typeof value === 'string' ? fp : `${fp}/${k}`;
      if (side.refs.some((r) => r.endpoint === endpoint)) return add(rp, `must not name an endpoint twice${got(endpoint)}`);
      if (endpointsComplete && !declared.has(endpoint)) {
        referencesComplete = false;
        return add(rp, `endpoint ${JSON.stringify(endpoint)} is not declared in topology.endpoints`);
      }
      side.refs.push({ side, endpoint, pointer: rp });
    });
    return type === undefined ? undefined : side;
  }

  if (typesComplete && groupList.length > 0 && senders === 0 && externalNames.size === 0) {
    add('/topology/groups', `must include a sending group (${OR_LIST(SENDER_TYPES)}), got none`);
  }
  if (countsComplete && sockets > LIMITS.socketsInScenario) {
    add('/topology/groups', `must have at most ${LIMITS.socketsInScenario} sockets in all (count per group, twice with a forward), got ${sockets}`);
  }

  // Who meets at each endpoint.
  const usage = new Map<string, Usage>();
  for (const side of sides) {
    for (const ref of side.refs) {
      const u = usage.get(ref.endpoint) ?? { binders: [], connectors: [] };
      (side.mode === 'bind' ? u.binders : u.connectors).push(ref);
      usage.set(ref.endpoint, u);
    }
  }

  for (const [endpoint, u] of usage) {
    if (externalNames.has(endpoint)) {
      externalUsageProblems(endpoint, u);
      continue;
    }
    const binder = u.binders[0];
    for (const extra of u.binders.slice(1)) {
      add(extra.pointer, `endpoint ${JSON.stringify(endpoint)} is already bound by ${binder!.side.label}; only one group may bind an endpoint`);
    }
    if (!binder) continue;
    for (const c of u.connectors) {
      if (canTalk(binder.side.type, c.side.type)) continue;
      add(
        c.pointer,
        `${c.side.type} can only talk to ${PEER_TYPES[c.side.type].join(' or ')}, got ${binder.side.type} (${binder.side.label} binds endpoint ${JSON.stringify(endpoint)})`,
      );
    }
  }

  // External addresses: a port libzmq would wrap, or 0 / * (any) where a socket connects.
  for (const [name, { i, address }] of externalAddresses) {
    const u = usage.get(name);
    const problem = addressProblem(address, u !== undefined && u.binders.length === 0 ? 'connect' : 'bind');
    if (problem) add(`/topology/endpoints/${i}/external`, problem + got(address));
  }

  // Whole-graph rules only when every part is known: otherwise one typo would cascade.
  const graphComplete = typesComplete && referencesComplete && endpointsComplete && Array.isArray(topology['groups']);
  if (graphComplete) {
    for (const [endpoint, i] of declared) {
      const u = usage.get(endpoint);
      const pointer = typeof endpointList[i] === 'string' ? `/topology/endpoints/${i}` : `/topology/endpoints/${i}/name`;
      if (externalNames.has(endpoint)) {
        if (!u) add(pointer, `endpoint ${JSON.stringify(endpoint)} is not used by any group`);
        continue;
      }
      if (!u) {
        add(pointer, `endpoint ${JSON.stringify(endpoint)} is not used by any group`);
        continue;
      }
      if (u.binders.length === 0) {
        for (const c of u.connectors) add(c.pointer, `${c.side.label} connects to endpoint ${JSON.stringify(endpoint)}, which no group binds`);
      } else if (u.connectors.length === 0) {
        add(pointer, `endpoint ${JSON.stringify(endpoint)} is bound by ${u.binders[0]!.side.label} but no group connects to it`);
      }
    }
  }

  /** An external endpoint has the service on its other side: our groups all bind it or all connect to it. */
  function externalUsageProblems(endpoint: string, u: Usage): void {
    const name = JSON.stringify(endpoint);
    if (u.binders.length > 0 && u.connectors.length > 0) {
      for (const c of u.connectors) add(c.pointer, `endpoint ${name} is external and ${u.binders[0]!.side.label} binds it: groups either all connect to an external endpoint or one binds it`);
    }
    for (const extra of u.binders.slice(1)) add(extra.pointer, `endpoint ${name} is already bound by ${u.binders[0]!.side.label}; only one group may bind an endpoint`);
    const binder = u.binders[0];
    if (binder && binder.side.mode === 'bind') {
      const g = groupList[binder.side.group] as Record<string, unknown>;
      const count = g['count'] ?? DEFAULTS.count;
      if (count !== 1) add(`/topology/groups/${binder.side.group}/count`, `must be 1: ${binder.side.label} binds the one address of external endpoint ${name}${got(count)}`);
    }
  }

  /** The sides that exchange messages with this one (compatible ones only). */
  function peers(side: Side): Side[] {
    const found: Side[] = [];
    for (const ref of side.refs) {
      const u = usage.get(ref.endpoint);
      if (!u) continue;
      const others = side.mode === 'bind' ? u.connectors : u.binders.slice(0, 1);
      for (const o of others) if (canTalk(side.type, o.side.type) && !found.includes(o.side)) found.push(o.side);
    }
    return found;
  }

  // Load-balanced receivers: loss is counted per receiving group, so one push feeds one group.
  for (const side of sides) {
    if (side.type !== 'push') continue;
    const groups = [...new Set(peers(side).map((p) => p.group))];
    if (groups.length > 1) {
      const names = groups.map((g) => groupSides.get(g)?.label ?? `group #${g}`);
      add(`${side.pointer}/${side.mode}`, `the receivers of ${side.label} must all be one pull group (loss is counted per group), got ${AND_LIST(names)}`);
    }
  }

  // Topics: a pub sends a topic frame first only when it has topics; a forward passes frames on.
  // A forward pub passes frames on, but the plan does not follow topics through a stage, so
  // subscribers behind any forward pub take everything ("").
  function sendsTopics(pub: Side): boolean {
    if (groupSides.get(pub.group) !== pub) return false;
    return (groupList[pub.group] as Record<string, unknown>)['topics'] !== undefined; // a bad list is reported already
  }

  for (const side of sides) {
    const obj = (forwardSides.get(side.group) === side ? (groupList[side.group] as Record<string, unknown>)['forward'] : groupList[side.group]) as Record<string, unknown>;
    const conflate = isRecord(obj['options']) && obj['options']['conflate'] === true;
    if (side.type === 'sub' && Array.isArray(obj['subscribe']) && sound(`${side.pointer}/subscribe`)) {
      const plain = peers(side).find((p) => !sendsTopics(p));
      if (plain) {
        (obj['subscribe'] as string[]).forEach((prefix, k) => {
          if (prefix === '') return;
          add(
            `${side.pointer}/subscribe/${k}`,
            `must be "" because ${plain.label} sends no topics (a prefix would be matched against the binary header)${got(prefix)}`,
          );
        });
      }
    }
    if (conflate) {
      const topical =
        side.type === 'pub' ? (sendsTopics(side) ? side : undefined) : side.type === 'sub' ? peers(side).find((p) => sendsTopics(p)) : undefined;
      if (topical) {
        add(`${side.pointer}/options/conflate`, `cannot be used with topics: conflate keeps single-frame messages only, and ${topical.label} sends a topic frame first${got(true)}`);
      }
    }
  }

  // Forward loops: a message passed from stage to stage back to where it started never ends.
  const next = (g: number): number[] => {
    const f = forwardSides.get(g);
    return f ? [...new Set(peers(f).filter((p) => groupSides.get(p.group) === p).map((p) => p.group))] : [];
  };
  const reported = new Set<number>();
  for (const start of forwardSides.keys()) {
    const path = findLoop(start, next);
    if (!path || path.some((g) => reported.has(g))) continue;
    path.forEach((g) => reported.add(g));
    const names = [...path, start].map((g) => JSON.stringify((groupList[g] as Record<string, unknown>)['name']));
    add(`/topology/groups/${start}/forward`, `must not lead back to the same group (messages would circle forever), got ${names.join(' → ')}`);
  }

  /**
   * events: each in order of `at`, within the duration, with exactly one action whose target
   * exists; the timeline is played through so that a restart follows a kill of what it brings
   * back and a resume a pause of what it resumes.
   */
  function checkEvents(): void {
    const events = raw['events'];
    if (!Array.isArray(events) || bad.includes('/events')) return;
    const killed = new Set<string>();
    const paused = new Map<string, Set<Direction>>();
    // once a kill or pause could not be followed, later restarts or resumes are not judged
    let killsKnown = true;
    let pausesKnown = true;
    let prev: { k: number; at: string; atMs: number } | undefined;

    events.forEach((event: unknown, k) => {
      const ep = `/events/${k}`;
      if (!isRecord(event)) {
        killsKnown = pausesKnown = false;
        return;
      }
      const atMs = checkDuration(event['at'], `${ep}/at`, false);
      if (atMs !== undefined) {
        const at = event['at'] as string;
        if (durationMs !== undefined && atMs > durationMs) add(`${ep}/at`, `must be at most the duration (${durationText(durationMs)})${got(at)}`);
        if (prev && atMs < prev.atMs) add(`${ep}/at`, `must not be before events[${prev.k}].at (${prev.at}): events are listed in order of at${got(at)}`);
        prev = { k, at, atMs };
      }

      const actions = FAULT_ACTIONS.filter((a) => event[a] !== undefined);
      const action = actions[0];
      if (action === undefined || actions.length > 1) {
        // a misspelt action is already reported as an unknown field, with a suggestion
        if (actions.length > 1 || !hasUnknownField(ep)) add(ep, `must have exactly one of ${OR_LIST(FAULT_ACTIONS)}, got ${actions.length === 0 ? 'none' : AND_LIST(actions)}`);
        killsKnown = pausesKnown = false;
        return;
      }
      const what = event['what'];
      if (what !== undefined && action !== 'pause' && action !== 'resume') add(`${ep}/what`, `is only for pause and resume, not ${action}`);

      const tp = `${ep}/${action}`;
      const target = resolveTarget(event[action], tp);
      if (!target) {
        if (action === 'kill') killsKnown = false;
        if (action === 'pause') pausesKnown = false;
        return;
      }
      const { group, info, sockets } = target;
      if (action === 'stop' && info.type !== undefined && !isSender(info.type)) {
        add(tp, `is only for ${AND_LIST(SENDER_TYPES)} groups (it ends a sender early), not ${info.type}`);
      }

      // pause and resume: the directions acted on, when known
      let directions: Direction[] | undefined;
      if ((action === 'pause' || action === 'resume') && info.type !== undefined) {
        const has = directionsOf(info.type, info.hasForward);
        if (what === undefined) directions = has;
        else if ((what === 'sending' || what === 'receiving') && sound(`${ep}/what`)) {
          if (has.includes(what)) directions = [what];
          else add(`${ep}/what`, `must be ${has.join(' or ')}, the only direction group ${JSON.stringify(group)} (${info.type}) has${got(what)}`);
        }
      }
      const socketName = (i: number) => `${group}[${i}]`;

      switch (action) {
        case 'kill':
          for (const i of sockets) killed.add(socketName(i));
          break;
        case 'restart': {
          if (!killsKnown) break;
          const running = sockets.find((i) => !killed.has(socketName(i)));
          if (running !== undefined) {
            add(
              tp,
              `must follow a kill of the same target (a kill of the group covers each of its sockets): ${socketName(running)} is not killed at this point${got(event[action])}`,
            );
          } else for (const i of sockets) killed.delete(socketName(i));
          break;
        }
        case 'pause':
          if (directions === undefined) pausesKnown = false;
          else for (const i of sockets) for (const d of directions) paused.set(socketName(i), (paused.get(socketName(i)) ?? new Set<Direction>()).add(d));
          break;
        case 'resume': {
          if (!pausesKnown || directions === undefined) break;
          const dirs = directions;
          const notPaused = sockets.find((i) => !dirs.some((d) => paused.get(socketName(i))?.has(d)));
          if (notPaused !== undefined) {
            const which = what === undefined ? '' : ` (${String(what)})`;
            add(
              tp,
              `must follow a pause of the same target (a pause of the group covers each of its sockets): ${socketName(notPaused)} is not paused${which} at this point${got(event[action])}`,
            );
          } else for (const i of sockets) for (const d of dirs) paused.get(socketName(i))?.delete(d);
          break;
        }
        case 'stop':
          break;
      }
    });
  }

  /** The group and sockets a target names, or undefined (with the problem reported when there is one). */
  function resolveTarget(value: unknown, pointer: string): { group: string; info: GroupInfo; sockets: number[] } | undefined {
    if (typeof value !== 'string' || !sound(pointer)) return undefined;
    const m = new RegExp(TARGET_PATTERN).exec(value);
    if (!m) return undefined; // reported by the schema
    const group = m[1]!;
    const info = groupInfo.get(group);
    if (!info) {
      if (namesComplete) {
        const hint = suggestField(group, [...groupInfo.keys()]);
        add(pointer, `group ${JSON.stringify(group)} is not in topology.groups${hint ? ` (did you mean "${hint}"?)` : ''}`);
      }
      return undefined;
    }
    if (info.count === undefined) return undefined;
    if (m[2] === undefined) return { group, info, sockets: Array.from({ length: info.count }, (_, i) => i) };
    const instance = Number(m[2]);
    if (instance >= info.count) {
      add(pointer, `socket index must be less than the count of group ${JSON.stringify(group)} (${info.count})${got(value)}`);
      return undefined;
    }
    return { group, info, sockets: [instance] };
  }

  checkEvents();
  checkDuration(raw['maxSendLag'], '/maxSendLag', true);
  checkThresholds();
  checkExpect();
  return out;

  /** Every `that` of an expect block reads and names a numeric field of a group of this scenario. */
  function checkExpect(): void {
    if (!isRecord(raw['expect']) || !sound('/expect') || !namesComplete) return;
    for (const p of expectProblems(raw['expect'] as ExpectFile, [...groupNames.keys()])) add(p.pointer, p.text);
  }

  /** curve: on only where there is a handshake (tcp, ipc), with a key libzmq will take. */
  function checkCurve(): void {
    const curve = raw['curve'];
    if (curve !== true && !isRecord(curve)) return;
    if (raw['transport'] === 'inproc') add('/curve', 'CURVE needs tcp or ipc (inproc has no security handshake), got transport "inproc"');
    const key = isRecord(curve) ? curve['serverPublicKey'] : undefined;
    // the schema checks length and alphabet; a group of 5 characters may still stand for too much
    if (typeof key === 'string' && sound('/curve/serverPublicKey') && !isCurveKey(key)) add('/curve/serverPublicKey', CURVE_KEY_MESSAGE + got(key));
  }

  /** Every key names a known metric (and a group it applies to); every expression reads. */
  function checkThresholds(): void {
    const thresholds = raw['thresholds'];
    if (!isRecord(thresholds)) return;
    const types = new Map<string, SocketType>();
    for (const [name, info] of groupInfo) if (info.type !== undefined) types.set(name, info.type);
    for (const [key, list] of Object.entries(thresholds)) {
      const pointer = `/thresholds/${escapeSegment(key)}`;
      const parsed = parseThresholdKey(key, types);
      if (typeof parsed === 'string') {
        // an unknown group is only certain when every group name could be read
        if (namesComplete || !parsed.startsWith('no group')) add(pointer, parsed);
        continue;
      }
      if (!Array.isArray(list)) continue;
      list.forEach((entry, i) => {
        const expression = typeof entry === 'string' ? entry : isRecord(entry) ? entry['threshold'] : undefined;
        const at = typeof entry === 'string' ? `${pointer}/${i}` : `${pointer}/${i}/threshold`;
        if (typeof expression !== 'string' || !sound(at)) return;
        const read = parseExpression(expression, parsed.metric);
        if (typeof read === 'string') add(at, read);
      });
      if (Array.isArray(list)) list.forEach((entry, i) => isRecord(entry) && checkDuration(entry['delayAbortEval'], `${pointer}/${i}/delayAbortEval`, false));
    }
  }
}

/** What events need to know of a group; undefined where the group's own field has a problem. */
interface GroupInfo {
  type: SocketType | undefined;
  count: number | undefined;
  hasForward: boolean;
}

/** A path start → ... → start in the forward graph, or undefined. */
function findLoop(start: number, next: (g: number) => number[]): number[] | undefined {
  const seen = new Set<number>();
  const walk = (g: number, path: number[]): number[] | undefined => {
    for (const n of next(g)) {
      if (n === start) return path;
      if (seen.has(n)) continue;
      seen.add(n);
      const found = walk(n, [...path, n]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(start, [start]);
}

// ---------------------------------------------------------------------------------------------
// Defaults

/** Durations keep microsecond resolution: "1.1s" is 1100 ms, not 1100.0000000000002. */
function ms(text: string): number {
  return Math.round(parseDurationMs(text)! * 1000) / 1000;
}

function list(ref: string | string[] | undefined): string[] {
  return ref === undefined ? [] : typeof ref === 'string' ? [ref] : [...ref];
}

function copyOptions(o: SocketOptions | undefined): SocketOptions {
  const out: SocketOptions = {};
  if (!o) return out;
  for (const name of OPTION_NAMES) {
    const v = o[name];
    if (v !== undefined) (out as Record<string, number | boolean>)[name] = v;
  }
  return out;
}

function normalizeForward(f: ForwardSpec): Forward {
  return { type: f.type, bind: list(f.bind), connect: list(f.connect), options: copyOptions(f.options) };
}

function normalizeDelaySpec(d: DelaySpecField): DelaySpec {
  if (typeof d === 'string') return { kind: 'fixed', ms: ms(d) };
  if (d.uniform) return { kind: 'uniform', minMs: ms(d.uniform.min), maxMs: ms(d.uniform.max) };
  // validation leaves exactly one of uniform and exponential
  return { kind: 'exponential', meanMs: ms(d.exponential!.mean) };
}

function normalizeDelay(d: DelayField | undefined): DelayModel {
  if (d === undefined) return { phases: [{ untilMs: null, spec: { kind: 'fixed', ms: DEFAULTS.delayMs } }] };
  if (!Array.isArray(d)) return { phases: [{ untilMs: null, spec: normalizeDelaySpec(d) }] };
  // phase ends add up in whole microseconds, so that they stay exact (and as-run round-trips)
  let untilUs = 0;
  return {
    phases: d.map((p) => {
      if (p.for === undefined) return { untilMs: null, spec: normalizeDelaySpec(p.delay) };
      untilUs += Math.round(ms(p.for) * 1000);
      return { untilMs: untilUs / 1000, spec: normalizeDelaySpec(p.delay) };
    }),
  };
}

/** A constant rate or max in ratePerSec; a shape in rateShape (ratePerSec null). */
function normalizeRate(r: RateField | undefined): Pick<Group, 'ratePerSec' | 'rateShape'> {
  if (r === undefined || r === 'max') return { ratePerSec: null, rateShape: null };
  if (typeof r === 'number') return { ratePerSec: r, rateShape: null };
  let shape: RateShape;
  if (r.ramp) shape = { kind: 'ramp', fromPerSec: r.ramp.from, toPerSec: r.ramp.to, overMs: ms(r.ramp.over) };
  else if (r.bursts) shape = { kind: 'bursts', size: r.bursts.size, everyMs: ms(r.bursts.every) };
  // validation leaves exactly one of ramp, bursts and steps
  else shape = { kind: 'steps', steps: r.steps!.map((st) => ({ ratePerSec: st.rate === 'max' ? null : st.rate, forMs: st.for === undefined ? null : ms(st.for) })) };
  return { ratePerSec: null, rateShape: shape };
}

function normalizeGroup(g: GroupSpec, external: Record<string, string>): Group {
  const type = g.type as SocketType;
  // A service we did not start gets a modest rate unless the file asks for more (docs/external.md).
  const gentle = g.rate === undefined && isSender(type) && touchesExternal(external, [...list(g.bind), ...list(g.connect)]);
  return {
    name: g.name,
    type,
    count: g.count ?? DEFAULTS.count,
    threads: g.threads ?? DEFAULTS.threads,
    placement: g.placement ?? DEFAULTS.placement,
    bind: list(g.bind),
    connect: list(g.connect),
    sizeBytes: g.size === undefined ? DEFAULTS.sizeBytes : parseSizeBytes(g.size)!,
    ...normalizeRate(gentle ? EXTERNAL_LIMITS.defaultRatePerSec : g.rate),
    messages: g.messages ?? null,
    giveUpAfterMs: (g.whenBlocked ?? DEFAULTS.whenBlocked) === 'give-up' ? (g.giveUpAfter === undefined ? DEFAULTS.giveUpAfterMs : ms(g.giveUpAfter)) : null,
    delay: normalizeDelay(g.delay),
    pauses: (g.pauses ?? []).map((p): Pause => ({ atMs: ms(p.at), forMs: ms(p.for) })),
    subscribe: type === 'sub' ? [...(g.subscribe ?? DEFAULTS.subscribe)] : [],
    topics: [...(g.topics ?? [])],
    // requests in flight: a dealer's window; a req socket has one by nature; others send no requests
    window: type === 'dealer' ? (g.window ?? DEFAULTS.dealerWindow) : type === 'req' ? 1 : 0,
    retry: g.retry ? { timeoutMs: ms(g.retry.timeout), retries: g.retry.retries } : null,
    options: copyOptions(g.options),
    forward: g.forward ? normalizeForward(g.forward) : null,
    payload: normalizePayload(g.payload),
    check: normalizeCheck(g.check),
    sequence: normalizeSequence(g.sequence),
    misuse: g.misuse ?? null,
  };
}

/** A target `name` or `name[i]`: the group and the socket (null: all of them). */
export function parseTarget(target: string): { group: string; instance: number | null } | undefined {
  const m = new RegExp(TARGET_PATTERN).exec(target);
  if (!m) return undefined;
  return { group: m[1]!, instance: m[2] === undefined ? null : Number(m[2]) };
}

function normalizeEvents(s: ScenarioFile): FaultEvent[] {
  const groups = new Map(s.topology.groups.map((g) => [g.name, g] as const));
  const events = (s.events ?? []).map((e: FaultEventSpec): FaultEvent => {
    // validation leaves exactly one action, naming a group that exists
    const action = FAULT_ACTIONS.find((a) => e[a] !== undefined)!;
    const { group, instance } = parseTarget(e[action]!)!;
    let what: FaultEvent['what'] = 'both';
    if (action === 'pause' || action === 'resume') {
      const g = groups.get(group)!;
      const has = directionsOf(g.type as SocketType, g.forward !== undefined);
      what = e.what ?? (has.length === 1 ? has[0]! : 'both');
    }
    return { atMs: ms(e.at), action, group, instance, what };
  });
  // already in order (validation wants it); a stable sort keeps events at the same time as listed
  return events.sort((a, b) => a.atMs - b.atMs);
}

/** Only called on a valid file: every key and expression reads (checkThresholds said so). */
function normalizeThresholds(s: ScenarioFile): Threshold[] {
  const types = new Map(s.topology.groups.map((g) => [g.name, g.type as SocketType]));
  return Object.entries(s.thresholds ?? {}).flatMap(([key, list]) => {
    const k = parseThresholdKey(key, types);
    if (typeof k === 'string') throw new Error(`threshold ${key}: ${k}`);
    return list.map((entry): Threshold => {
      const expression = typeof entry === 'string' ? entry : entry.threshold;
      const e = parseExpression(expression, k.metric);
      if (typeof e === 'string') throw new Error(`threshold ${key}: ${e}`);
      const options: { abortOnFail?: boolean; delayAbortEval?: string } = typeof entry === 'string' ? {} : entry;
      return {
        key,
        ...k,
        expression,
        ...e,
        abortOnFail: options.abortOnFail ?? false,
        delayAbortEvalMs: options.delayAbortEval === undefined ? 0 : ms(options.delayAbortEval),
      };
    });
  });
}

function externalOf(s: ScenarioFile): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of s.topology.endpoints) if (typeof e !== 'string' && e.external !== undefined) out[e.name] = e.external;
  return out;
}

function normalize(s: ScenarioFile): Scenario {
  return {
    name: s.name,
    description: s.description ?? DEFAULTS.description,
    transport: s.transport ?? DEFAULTS.transport,
    durationMs: s.duration === undefined ? DEFAULTS.durationMs : ms(s.duration),
    warmupMs: s.warmup === undefined ? DEFAULTS.warmupMs : ms(s.warmup),
    drainMs: s.drain === undefined ? DEFAULTS.drainMs : ms(s.drain),
    sampleIntervalMs: s.sampleInterval === undefined ? DEFAULTS.sampleIntervalMs : ms(s.sampleInterval),
    barrier: s.barrier ?? DEFAULTS.barrier,
    startOrder: s.start ?? DEFAULTS.startOrder,
    maxSendLagMs: s.maxSendLag === undefined ? null : ms(s.maxSendLag),
    curve: s.curve === undefined || s.curve === false ? { enabled: false, serverPublicKey: null } : { enabled: true, serverPublicKey: s.curve === true ? null : s.curve.serverPublicKey },
    thresholds: normalizeThresholds(s),
    expect: s.expect === undefined ? null : normalizeExpect(s.expect),
    events: normalizeEvents(s),
    endpoints: s.topology.endpoints.map((e) => (typeof e === 'string' ? e : e.name)),
    external: externalOf(s),
    groups: s.topology.groups.map((g) => normalizeGroup(g, externalOf(s))),
  };
}
