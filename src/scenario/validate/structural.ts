import { Kind, type TSchema } from '@sinclair/typebox';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import { closest, got, isRecord } from '../problem-text.js';
import { DelayDistributionSchema, RATE_MESSAGE, RateShapeSchema, ScenarioSchema } from '../schema.js';
import { OPTION_NAMES, ZMQ_OPTION_NAMES } from '../socket-options.js';
import { pointerSegments, problemLines } from './problem.js';

/**
 * Structural problems: what TypeBox finds against the schema, in our words, one per place.
 * The rules that span fields (the topic modules beside this one) run only where these found
 * nothing, so that one mistake is reported once.
 */

export interface StructuralProblem {
  /** JSON pointer into the raw value, e.g. /topology/groups/1/rate */
  pointer: string;
  text: string;
  /** what kind, to tell unknown fields from wrong values */
  kind: ValueErrorType;
}

/** Every structural problem of `raw` against `schema` (a suite's, say), in our words, one per place, each with its path. */
export function schemaProblems(schema: TSchema, raw: unknown): string[] {
  return problemLines(raw, structuralProblems(raw, schema));
}

export function structuralProblems(raw: unknown, schema: TSchema = ScenarioSchema): StructuralProblem[] {
  const out: StructuralProblem[] = [];
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

function translate(e: ValueError): StructuralProblem[] {
  const schema = e.schema as SchemaNode;
  const at = (text: string): StructuralProblem[] => [{ pointer: e.path, text, kind: e.type }];

  switch (e.type) {
    case ValueErrorType.Union:
      return unionProblems(e, at);
    case ValueErrorType.ObjectAdditionalProperties: {
      const key = pointerSegments(e.path).at(-1) ?? '';
      const hint = suggestField(key, Object.keys(schema.properties ?? {}));
      if (e.schema === DelayDistributionSchema)
        return at(hint ? `unknown distribution (did you mean "${hint}"?)` : 'unknown distribution (use uniform or exponential)');
      if (e.schema === RateShapeSchema)
        return at(hint ? `unknown rate shape (did you mean "${hint}"?)` : 'unknown rate shape (use ramp, bursts or steps)');
      return at(hint ? `unknown field (did you mean "${hint}"?)` : 'unknown field');
    }
    case ValueErrorType.ObjectRequiredProperty:
      return at('required field is missing');
    default:
      break;
  }

  if (schema.errorMessage) return at(schema.errorMessage + got(e.value));
  return at(valueText(e));
}

function unionProblems(e: ValueError, at: (text: string) => StructuralProblem[]): StructuralProblem[] {
  const schema = e.schema as SchemaNode;
  const variants = schema.anyOf ?? [];
  // When the value's JSON type picks out one alternative, that alternative's own problem is
  // the precise one (rate: -5 → "must be from 0.001 to …"; a list with one bad entry → that entry), unless
  // it is a literal (rate: "fast"), or a scalar under a union with its own text (size: 16);
  // a scalar alternative with a text of its own says it better still (a duration under delay).
  const candidates = variants.map((v, i) => ({ v, i })).filter(({ v }) => typeMatches(v, e.value));
  const only = candidates.length === 1 ? candidates[0]! : undefined;
  const drill =
    only !== undefined &&
    (schema.errorMessage
      ? ['Array', 'Object'].includes(kindOf(only.v)) || only.v.errorMessage !== undefined
      : kindOf(only.v) !== 'Literal');
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

/** What is wrong with a single value, where its schema has no text of its own. */
function valueText(e: ValueError): string {
  const schema = e.schema as SchemaNode;
  switch (e.type) {
    case ValueErrorType.Object:
      return `must be a mapping${got(e.value)}`;
    case ValueErrorType.Array:
      return `must be a list${got(e.value)}`;
    case ValueErrorType.ArrayMinItems:
      return `must have at least ${schema.minItems} ${schema.minItems === 1 ? 'entry' : 'entries'}${got(e.value)}`;
    case ValueErrorType.ArrayMaxItems:
      return `must have at most ${schema.maxItems} entries, got ${(e.value as unknown[]).length}`;
    case ValueErrorType.String:
      return `must be a string${got(e.value)}`;
    case ValueErrorType.StringMinLength:
      return schema.minLength === 1 ? `must not be empty${got(e.value)}` : `must be at least ${schema.minLength} characters${got(e.value)}`;
    case ValueErrorType.StringMaxLength:
      return `must be at most ${schema.maxLength} characters, got ${(e.value as string).length}`;
    case ValueErrorType.StringPattern:
      return `${schema.patternErrorMessage ?? `must match the pattern ${schema.pattern}`}${got(e.value)}`;
    case ValueErrorType.Integer:
      return `must be a whole number${got(e.value)}`;
    case ValueErrorType.Number:
      return `must be a number${got(e.value)}`;
    case ValueErrorType.Boolean:
      return `must be true or false${got(e.value)}`;
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return `must be >= ${schema.minimum}${got(e.value)}`;
    case ValueErrorType.IntegerExclusiveMinimum:
    case ValueErrorType.NumberExclusiveMinimum:
      return `must be > ${schema.exclusiveMinimum}${got(e.value)}`;
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return `must be <= ${schema.maximum}${got(e.value)}`;
    case ValueErrorType.IntegerExclusiveMaximum:
    case ValueErrorType.NumberExclusiveMaximum:
      return `must be < ${schema.exclusiveMaximum}${got(e.value)}`;
    case ValueErrorType.Literal:
      return `must be ${JSON.stringify(schema.const)}${got(e.value)}`;
    default:
      // not produced by this schema; still no raw TypeBox text
      return `is not valid${got(e.value)}`;
  }
}

/** The known field a typo most likely meant, or a zeromq.js option name's short form. */
export function suggestField(key: string, known: readonly string[]): string | undefined {
  for (const name of OPTION_NAMES) {
    if (known.includes(name) && ZMQ_OPTION_NAMES[name].toLowerCase() === key.toLowerCase()) return name;
  }
  return closest(key, known);
}
