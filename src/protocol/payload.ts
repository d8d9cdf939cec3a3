import { randomFillSync } from 'node:crypto';
import type { PayloadPart, TemplateField } from '../scenario/external-schema.js';

/**
 * The frames of a payload for a service that does not know zmq-bench's header (B19): text and
 * JSON templates filled per message, bytes of a file, random bytes. Every call returns fresh
 * buffers: zeromq.js sends buffers over 128 bytes without copying (trap 3).
 */

export interface PayloadContext {
  sourceId: number;
  group: string;
  instance: number;
}

type Values = (field: TemplateField) => string | number;
type Part = (values: Values) => Buffer;

const FIELD = /\{\{\s*(seq|now|source|group|instance)\s*\}\}/g;
const WHOLE_NUMBER_FIELD = /^\{\{\s*(seq|now|source|instance)\s*\}\}$/;

/** A builder of the frames of message `seq`. */
export function payloadBuilder(parts: readonly PayloadPart[], context: PayloadContext): (seq: number) => Buffer[] {
  const compiled = parts.map(compilePart);
  return (seq) => {
    const values: Values = (field) => {
      switch (field) {
        case 'seq':
          return seq;
        case 'now':
          return Date.now();
        case 'source':
          return context.sourceId;
        case 'group':
          return context.group;
        case 'instance':
          return context.instance;
      }
    };
    return compiled.map((part) => part(values));
  };
}

function compilePart(part: PayloadPart): Part {
  switch (part.kind) {
    case 'string': {
      const text = part.template;
      if (!hasField(text)) return () => Buffer.from(text);
      return (values) => Buffer.from(fill(text, values));
    }
    case 'json': {
      const template = part.template;
      if (!hasField(JSON.stringify(template))) {
        const text = JSON.stringify(template);
        return () => Buffer.from(text);
      }
      return (values) => Buffer.from(JSON.stringify(fillJson(template, values)));
    }
    case 'file': {
      const bytes = Buffer.from(part.base64, 'base64');
      return () => Buffer.from(bytes);
    }
    case 'random': {
      const size = part.bytes;
      return () => randomFillSync(Buffer.allocUnsafeSlow(size));
    }
  }
}

function hasField(text: string): boolean {
  FIELD.lastIndex = 0;
  return FIELD.test(text);
}

function fill(text: string, values: Values): string {
  return text.replace(FIELD, (_, field: TemplateField) => String(values(field)));
}

/** A string that is exactly one numeric field becomes that number, so `"{{seq}}"` sends 42, not "42". */
function fillJson(v: unknown, values: Values): unknown {
  if (typeof v === 'string') {
    const whole = WHOLE_NUMBER_FIELD.exec(v);
    return whole ? values(whole[1] as TemplateField) : fill(v, values);
  }
  if (Array.isArray(v)) return v.map((x) => fillJson(x, values));
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fillJson(x, values)]));
  return v;
}
