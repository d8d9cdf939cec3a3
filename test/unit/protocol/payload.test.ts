import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { payloadBuilder, type PayloadContext } from '../../../src/protocol/payload.js';
import type { PayloadPart } from '../../../src/scenario/external-schema.js';

const CONTEXT: PayloadContext = { sourceId: 7, group: 'clients', instance: 2 };
const NOW = 1_700_000_000_123;

/** The frames of message `seq` as UTF-8 text. */
function texts(parts: PayloadPart[], seq: number, context: PayloadContext = CONTEXT): string[] {
  return payloadBuilder(parts, context)(seq).map((b) => b.toString('utf8'));
}

function pinNow(t: TestContext): void {
  t.mock.method(Date, 'now', () => NOW);
}

/** Whether two buffers share any byte of memory (same backing store, overlapping ranges). */
function overlaps(a: Buffer, b: Buffer): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.length && b.byteOffset < a.byteOffset + a.length;
}

describe('payloadBuilder: string parts', () => {
  it('sends a string without fields as it is', () => {
    assert.deepEqual(texts([{ kind: 'string', template: 'Hello' }], 0), ['Hello']);
    assert.deepEqual(texts([{ kind: 'string', template: 'Hello' }], 99), ['Hello']);
  });

  it('fills every template field, spaces inside the braces allowed', (t) => {
    pinNow(t);
    const template = 'seq={{seq}} now={{ now }} src={{source}} g={{group}} i={{instance}} again={{seq}}';
    assert.deepEqual(texts([{ kind: 'string', template }], 42), [`seq=42 now=${NOW} src=7 g=clients i=2 again=42`]);
  });

  it('fills the field per message', () => {
    const build = payloadBuilder([{ kind: 'string', template: 'n{{seq}}' }], CONTEXT);
    assert.deepEqual(
      [0, 1, 1000].map((s) => build(s)[0]!.toString()),
      ['n0', 'n1', 'n1000'],
    );
  });

  it('encodes text as UTF-8', () => {
    assert.deepEqual([...payloadBuilder([{ kind: 'string', template: 'é{{instance}}' }], CONTEXT)(0)[0]!], [0xc3, 0xa9, 0x32]);
  });

  it('leaves what is not a known field alone', () => {
    assert.deepEqual(texts([{ kind: 'string', template: '{{foo}} {seq} {{seq}' }], 3), ['{{foo}} {seq} {{seq}']);
  });
});

describe('payloadBuilder: json parts', () => {
  it('sends JSON without fields as compact JSON text', () => {
    assert.deepEqual(texts([{ kind: 'json', template: { a: 1, b: [true, null], c: 'x' } }], 5), ['{"a":1,"b":[true,null],"c":"x"}']);
    assert.deepEqual(texts([{ kind: 'json', template: null }], 5), ['null']);
    assert.deepEqual(texts([{ kind: 'json', template: 'plain' }], 5), ['"plain"']);
  });

  it('turns a string that is exactly a numeric field into a number, fills the rest as text', (t) => {
    pinNow(t);
    const template = {
      task: '{{seq}}',
      sentAt: '{{ now }}',
      source: '{{source}}',
      instance: '{{instance}}',
      group: '{{group}}',
      label: 'task {{seq}}',
      workload: '{{source}}ms',
      nested: { list: ['{{seq}}', 'x{{instance}}', 3, false, null] },
      '{{seq}}': 'keys stay as written',
    };
    assert.deepEqual(texts([{ kind: 'json', template }], 42), [
      `{"task":42,"sentAt":${NOW},"source":7,"instance":2,"group":"clients","label":"task 42","workload":"7ms","nested":{"list":[42,"x2",3,false,null]},"{{seq}}":"keys stay as written"}`,
    ]);
  });

  it('a whole-string {{seq}} at the top level becomes a bare number', () => {
    assert.deepEqual(texts([{ kind: 'json', template: '{{seq}}' }], 17), ['17']);
  });

  it('escapes filled text as JSON', () => {
    assert.deepEqual(texts([{ kind: 'json', template: { g: 'say "{{group}}"' } }], 0, { sourceId: 1, group: 'a"b', instance: 0 }), [
      '{"g":"say \\"a\\"b\\""}',
    ]);
  });
});

describe('payloadBuilder: file, random and multipart', () => {
  it('sends the bytes of a file part, decoded from base64', () => {
    const frames = payloadBuilder([{ kind: 'file', path: 'x.bin', base64: 'AAEC/w==' }], CONTEXT)(0);
    assert.deepEqual([...frames[0]!], [0, 1, 2, 255]);
  });

  it('sends random bytes of the given size, fresh every message', () => {
    const build = payloadBuilder(
      [
        { kind: 'random', bytes: 200 },
        { kind: 'random', bytes: 0 },
      ],
      CONTEXT,
    );
    const first = build(0);
    const second = build(1);
    assert.deepEqual(
      first.map((b) => b.length),
      [200, 0],
    );
    assert.deepEqual(
      second.map((b) => b.length),
      [200, 0],
    );
    assert.equal(first[0]!.equals(second[0]!), false);
  });

  it('builds one frame per part, in order', () => {
    const parts: PayloadPart[] = [
      { kind: 'string', template: 'topic.{{instance}}' },
      { kind: 'json', template: { n: '{{seq}}' } },
      { kind: 'file', path: 'f', base64: Buffer.from('FILE').toString('base64') },
      { kind: 'random', bytes: 3 },
    ];
    const frames = payloadBuilder(parts, CONTEXT)(9);
    assert.equal(frames.length, 4);
    assert.deepEqual(
      frames.slice(0, 3).map((b) => b.toString()),
      ['topic.2', '{"n":9}', 'FILE'],
    );
    assert.equal(frames[3]!.length, 3);
  });

  it('builds no frames for no parts', () => {
    assert.deepEqual(payloadBuilder([], CONTEXT)(0), []);
  });
});

describe('payloadBuilder: fresh buffers (zero-copy sends over 128 bytes)', () => {
  const big = 'x'.repeat(300);
  const cases: Array<[string, PayloadPart]> = [
    ['string without fields', { kind: 'string', template: big }],
    ['string with a field', { kind: 'string', template: `${big}{{group}}` }],
    ['json without fields', { kind: 'json', template: { big } }],
    ['json with a field', { kind: 'json', template: { big, n: '{{seq}}' } }],
    ['file', { kind: 'file', path: 'f', base64: Buffer.alloc(300, 0xab).toString('base64') }],
    ['random', { kind: 'random', bytes: 300 }],
  ];
  for (const [name, part] of cases) {
    it(`${name}: every call returns a new buffer that shares no memory with the last`, () => {
      const build = payloadBuilder([part], CONTEXT);
      const a = build(1)[0]!;
      const b = build(1)[0]!;
      assert.ok(a.length > 128, `${a.length} bytes`);
      assert.notEqual(a, b);
      assert.equal(overlaps(a, b), false);
      const before = Buffer.from(b);
      a.fill(0);
      assert.deepEqual(b, before);
    });
  }

  it('a file part never hands out the decoded bytes it keeps', () => {
    const build = payloadBuilder([{ kind: 'file', path: 'f', base64: Buffer.from('abc').toString('base64') }], CONTEXT);
    build(0)[0]!.fill(0x7a);
    assert.equal(build(1)[0]!.toString(), 'abc');
  });
});
