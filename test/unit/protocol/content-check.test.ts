import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentChecker, describeFrame, jsonField } from '../../../src/protocol/content-check.js';

const b = (text: string): Buffer => Buffer.from(text);

describe('contentChecker: equals', () => {
  const check = contentChecker({ kind: 'equals', text: 'World' });

  it('passes the exact text only', () => {
    assert.deepEqual(
      ['World', 'world', 'World ', 'Worl', '', 'World\n'].map((t) => check(b(t))),
      [true, false, false, false, false, false],
    );
  });

  it('compares UTF-8 bytes', () => {
    assert.equal(contentChecker({ kind: 'equals', text: 'café' })(Buffer.from([0x63, 0x61, 0x66, 0xc3, 0xa9])), true);
  });
});

describe('contentChecker: matches', () => {
  const check = contentChecker({ kind: 'matches', pattern: '^[0-9]{5} -?[0-9]+ [0-9]+$' });

  it('passes text matching the regular expression', () => {
    assert.deepEqual(
      ['10001 -5 80', '10001 23 80', '1000 23 80', '10001 23 80 extra', 'abc'].map((t) => check(b(t))),
      [true, true, false, false, false],
    );
  });

  it('gives the same answer every time (no state between frames)', () => {
    const frame = b('10001 -5 80');
    assert.deepEqual([check(frame), check(frame), check(frame)], [true, true, true]);
  });

  it('is unanchored unless the pattern says otherwise', () => {
    assert.equal(contentChecker({ kind: 'matches', pattern: 'ok' })(b('status: ok!')), true);
  });
});

describe('contentChecker: json field', () => {
  it('passes when the field at the dot path equals the value, type included', () => {
    const check = contentChecker({ kind: 'json', field: 'result.code', equals: 0 });
    assert.deepEqual(
      ['{"result":{"code":0}}', '{"result":{"code":"0"}}', '{"result":{"code":1}}', '{"result":null}', '{"code":0}', 'not json', ''].map(
        (t) => check(b(t)),
      ),
      [true, false, false, false, false, false, false],
    );
  });

  it('compares strings, booleans and null', () => {
    assert.equal(contentChecker({ kind: 'json', field: 'status', equals: 'ok' })(b('{"status":"ok"}')), true);
    assert.equal(contentChecker({ kind: 'json', field: 'ok', equals: true })(b('{"ok":true}')), true);
    assert.equal(contentChecker({ kind: 'json', field: 'ok', equals: true })(b('{"ok":1}')), false);
    assert.equal(contentChecker({ kind: 'json', field: 'error', equals: null })(b('{"error":null}')), true);
  });

  it('a missing field is not null', () => {
    assert.equal(contentChecker({ kind: 'json', field: 'error', equals: null })(b('{"status":"ok"}')), false);
  });
});

describe('jsonField', () => {
  it('finds the value at a dot path, array indexes included', () => {
    const frame = b('{"a":{"b":[10,{"c":"deep"}]},"n":null}');
    assert.deepEqual(jsonField(frame, ['a', 'b', '1', 'c']), { found: true, value: 'deep' });
    assert.deepEqual(jsonField(frame, ['a', 'b', '0']), { found: true, value: 10 });
    assert.deepEqual(jsonField(frame, ['n']), { found: true, value: null });
    assert.deepEqual(jsonField(frame, ['a']), { found: true, value: { b: [10, { c: 'deep' }] } });
  });

  it('the empty path is the whole document', () => {
    assert.deepEqual(jsonField(b('7'), []), { found: true, value: 7 });
  });

  it('is not found when the frame is not JSON or the path is missing', () => {
    const frame = b('{"a":{"b":"text"},"n":null}');
    const missing = { found: false, value: undefined };
    assert.deepEqual(jsonField(b('{oops'), ['a']), missing);
    assert.deepEqual(jsonField(Buffer.from([0xff, 0x00]), ['a']), missing);
    assert.deepEqual(jsonField(frame, ['x']), missing);
    assert.deepEqual(jsonField(frame, ['a', 'c']), missing);
    assert.deepEqual(jsonField(frame, ['a', 'b', 'length']), missing);
    assert.deepEqual(jsonField(frame, ['n', 'x']), missing);
  });

  it('does not find what only the prototype has', () => {
    const missing = { found: false, value: undefined };
    assert.deepEqual(jsonField(b('{"a":1}'), ['toString']), missing);
    assert.deepEqual(jsonField(b('{"a":{}}'), ['a', 'constructor']), missing);
    assert.deepEqual(jsonField(b('{"a":[]}'), ['a', '__proto__']), missing);
  });
});

describe('describeFrame', () => {
  it('shows printable text as a JSON string', () => {
    assert.equal(describeFrame(b('World')), '"World"');
    assert.equal(describeFrame(b('say "hi"\tnow')), '"say \\"hi\\"\\tnow"');
    assert.equal(describeFrame(b('')), '""');
    assert.equal(describeFrame(b('café ✓')), '"café ✓"');
  });

  it('cuts long text at maxChars and gives the size in bytes', () => {
    assert.equal(describeFrame(b('x'.repeat(80))), `"${'x'.repeat(80)}"`);
    assert.equal(describeFrame(b('x'.repeat(81))), `"${'x'.repeat(80)}"… (81 bytes)`);
    assert.equal(describeFrame(b('é'.repeat(90))), `"${'é'.repeat(80)}"… (180 bytes)`);
    assert.equal(describeFrame(b('abcdefghijkl'), 10), '"abcdefghij"… (12 bytes)');
  });

  it('shows binary frames in hex, the first maxChars / 2 bytes of long ones', () => {
    assert.equal(describeFrame(Buffer.from([0x00, 0x01, 0x02, 0xff])), '0x000102ff');
    assert.equal(describeFrame(Buffer.from('a\nb')), '"a\\nb"', 'line breaks are text');
    assert.equal(describeFrame(Buffer.from([0x61, 0x00, 0x62])), '0x610062');
    const long = Buffer.from(Array.from({ length: 50 }, (_, i) => i));
    assert.equal(describeFrame(long), `0x${long.subarray(0, 40).toString('hex')}… (50 bytes)`);
    assert.equal(
      describeFrame(Buffer.from(Array.from({ length: 40 }, (_, i) => i))),
      `0x${Buffer.from(Array.from({ length: 40 }, (_, i) => i)).toString('hex')}`,
    );
    assert.equal(describeFrame(Buffer.from([1, 2, 3, 4, 5, 6]), 10), '0x0102030405… (6 bytes)');
  });

  it('treats invalid UTF-8 as binary', () => {
    assert.equal(describeFrame(Buffer.from([0x41, 0xc3])), '0x41c3');
  });
});
