import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { thrownProblems } from '../../support/validation.js';
import { jsonErrorOffset, loadScenario, loadScenarios, parseScenarioText } from '../../../src/scenario/load.js';
import { LIMITS } from '../../../src/scenario/schema.js';
import { loadRunnable } from '../../../src/scenario/suite.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

const PIPE_YAML = `
name: pipe
topology:
  endpoints: [tasks]
  groups:
    - name: vent
      type: push
      bind: tasks
    - name: work
      type: pull
      connect: tasks
`;

describe('parseScenarioText', () => {
  it('parses and validates YAML', () => {
    const s = parseScenarioText(PIPE_YAML, 'pipe.yaml');
    assert.equal(s.name, 'pipe');
    assert.deepEqual(
      s.groups.map((g) => [g.name, g.bind, g.connect]),
      [
        ['vent', ['tasks'], []],
        ['work', [], ['tasks']],
      ],
    );
  });

  it('parses JSON when the source ends in .json', () => {
    const json = JSON.stringify({
      name: 'pipe',
      duration: '2s',
      topology: {
        endpoints: ['tasks'],
        groups: [
          { name: 'vent', type: 'push', bind: 'tasks' },
          { name: 'work', type: 'pull', connect: 'tasks' },
        ],
      },
    });
    assert.equal(parseScenarioText(json, 'pipe.json').durationMs, 2000);
  });

  it('prefixes every validation problem with the source', async () => {
    const text = PIPE_YAML.replace('bind: tasks', 'bind: tasks\n      rate: -5\n      colour: red');
    assert.deepEqual(await thrownProblems(() => parseScenarioText(text, 'scenarios/x.yaml')), [
      'scenarios/x.yaml: topology.groups[0].colour: unknown field',
      'scenarios/x.yaml: topology.groups[0].rate: must be from 0.001 to 10000000 messages per second (at least one message every 1000s), got -5',
    ]);
  });

  it('reports a YAML syntax error with line and column', async () => {
    assert.deepEqual(await thrownProblems(() => parseScenarioText('name: x\ntopology: [a, b\nc: d\n', 'bad.yaml')), [
      'bad.yaml: line 3, column 1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    assert.deepEqual(await thrownProblems(() => parseScenarioText('name: x\nname: y\n', 'dup.yaml')), [
      'dup.yaml: line 2, column 1: YAML syntax error: Map keys must be unique',
    ]);
    assert.deepEqual(await thrownProblems(() => parseScenarioText('name: x\n---\nname: y\n', 'two.yaml')), [
      'two.yaml: line 2, column 1: YAML syntax error: a scenario file must hold one YAML document, got a second one after ---',
    ]);
  });

  it('says to quote name[i] inside { } instead of a cascade of YAML errors', async () => {
    const events = (...lines: string[]) =>
      `${PIPE_YAML.replace('connect: tasks', 'connect: tasks\n      count: 2')}events:\n${lines.map((l) => `  ${l}\n`).join('')}`;
    const hint = (line: number, column: number) =>
      `ev.yaml: line ${line}, column ${column}: YAML syntax error: inside { }, work[1] must be quoted ("work[1]"): brackets are YAML syntax there (or write the event as a block mapping)`;
    assert.deepEqual(
      await thrownProblems(() =>
        parseScenarioText(events('- { at: 1s, kill: work[1] }', '- { at: 2s, restart: work[1], what: sending }'), 'ev.yaml'),
      ),
      [hint(14, 21), hint(15, 24)],
    );
    // quoted, or in a block mapping, it is fine
    const quoted = parseScenarioText(events('- { at: 1s, kill: "work[1]" }', '- at: 2s', '  restart: work[1]'), 'ev.yaml');
    assert.deepEqual(
      quoted.events.map((e) => [e.action, e.group, e.instance]),
      [
        ['kill', 'work', 1],
        ['restart', 'work', 1],
      ],
    );
  });

  it('refuses tags it does not know instead of guessing', async () => {
    assert.deepEqual(await thrownProblems(() => parseScenarioText('name: !!js/function "f"\n', 'tag.yaml')), [
      'tag.yaml: line 1, column 7: YAML problem: Unresolved tag: tag:yaml.org,2002:js/function',
    ]);
  });

  it('reports a JSON syntax error with line and column', async () => {
    assert.deepEqual(await thrownProblems(() => parseScenarioText('{\n  "name": "x",\n}', 'bad.json')), [
      'bad.json: line 3, column 1: JSON syntax error: Expected double-quoted property name',
    ]);
    assert.deepEqual(await thrownProblems(() => parseScenarioText('{"name": }', 'bad.json')), [
      "bad.json: line 1, column 10: JSON syntax error: Unexpected token '}'",
    ]);
    assert.deepEqual(await thrownProblems(() => parseScenarioText('{"name": "x"', 'cut.json')), [
      "cut.json: line 1, column 13: JSON syntax error: Expected ',' or '}' after property value",
    ]);
  });

  it('takes the offset of JSON syntax errors from the parser', () => {
    const offset = (text: string) => {
      try {
        JSON.parse(text);
        return undefined;
      } catch (e) {
        return jsonErrorOffset(text, (e as Error).message);
      }
    };
    assert.equal(offset('{"a": [1, 2,]}'), 12);
    assert.equal(offset('{"a": tru}'), 9);
    assert.equal(offset('{"a": "\\x"}'), 8);
    assert.equal(offset('[1] 2'), 4);
    assert.equal(offset('{"a": [1, {"b": null}], "c": -1.5e3}'), undefined);
    // a longer text: the parser quotes the token with some of the text around it
    const middle = '{"name": "pipe", "topology": {"endpoints": ["a", "b",], "groups": []}}';
    assert.equal(offset(middle), middle.indexOf(',]') + 1);
    const end = '{"name": "pipe", "topology": {"endpoints": ["a"], "groups": [1,]}}';
    assert.equal(offset(end), end.indexOf(',]') + 1);
    const start = '[,{"name": "pipe", "topology": {"endpoints": ["a"], "groups": [1]}}]';
    assert.equal(offset(start), 1);
  });

  it('refuses a YAML alias bomb, and allows a few aliases', async () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
      'f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]',
    ].join('\n');
    assert.deepEqual(await thrownProblems(() => parseScenarioText(bomb, 'bomb.yaml')), [
      `bomb.yaml: YAML aliases expand too much (more than ${LIMITS.yamlAliases} expansions)`,
    ]);
    const shared = PIPE_YAML.replace('bind: tasks', 'bind: tasks\n      options: &small { linger: 0 }').replace(
      'connect: tasks',
      'connect: tasks\n      options: *small',
    );
    assert.deepEqual(parseScenarioText(shared, 'shared.yaml').groups[1]!.options, { linger: 0 });
  });

  it('refuses empty files and oversized text', async () => {
    assert.deepEqual(await thrownProblems(() => parseScenarioText('', 'e.yaml')), ['e.yaml: the file is empty']);
    assert.deepEqual(await thrownProblems(() => parseScenarioText('# nothing here\n', 'e.yaml')), ['e.yaml: the file is empty']);
    const big = `${PIPE_YAML}#${'x'.repeat(LIMITS.fileBytes)}\n`;
    assert.deepEqual(await thrownProblems(() => parseScenarioText(big, 'big.yaml')), [
      `big.yaml: must be at most ${LIMITS.fileBytes} bytes, got ${Buffer.byteLength(big)}`,
    ]);
  });

  it('ignores a byte order mark', () => {
    assert.equal(parseScenarioText(`\uFEFF${PIPE_YAML}`, 'bom.yaml').name, 'pipe');
  });
});

describe('nesting', () => {
  const TOO_DEEP = `nested too deep (more than ${LIMITS.nesting} levels)`;
  const N = 100_000;

  it('names the path where valid JSON nests too deep, however deep it goes', async () => {
    assert.deepEqual(await thrownProblems(() => parseScenarioText('['.repeat(N) + ']'.repeat(N), 'deep.json')), [
      `deep.json: ${'[0]'.repeat(LIMITS.nesting)}: ${TOO_DEEP}`,
    ]);
    assert.deepEqual(await thrownProblems(() => parseScenarioText(`${'{"a":'.repeat(N)}1${'}'.repeat(N)}`, 'deep.json')), [
      `deep.json: ${Array(LIMITS.nesting).fill('a').join('.')}: ${TOO_DEEP}`,
    ]);
  });

  it('places broken JSON that nests too deep by line and column', async () => {
    // the { is level 1: the first [ past the limit is the 64th, after `"name": ` (8 characters)
    assert.deepEqual(await thrownProblems(() => parseScenarioText(`{\n"name": ${'['.repeat(N)}`, 'cut.json')), [
      `cut.json: line 2, column ${8 + LIMITS.nesting}: ${TOO_DEEP}`,
    ]);
  });

  it('names the path in YAML a little too deep, and the line and column in YAML far too deep', async () => {
    const flow = (n: number) => `${'{x: '.repeat(n)}1${'}'.repeat(n)}`;
    const path = `topology.groups[0]${'.x'.repeat(LIMITS.nesting - 3)}`;
    assert.deepEqual(
      await thrownProblems(() => parseScenarioText(`name: x\ntopology:\n  groups:\n    - ${flow(LIMITS.nesting)}\n`, 'a.yaml')),
      [`a.yaml: ${path}: ${TOO_DEEP}`],
    );
    // Far too deep, the parser is stopped early (2 × the limit): the line is where that was passed.
    const limit = LIMITS.nesting;
    for (const [text, lines] of [
      [`name: x\ntopology: ${'['.repeat(N)}${']'.repeat(N)}\n`, [2, 2]],
      [`a: ${flow(N)}\n`, [1, 1]],
      [`${'- '.repeat(N)}x\n`, [1, 1]],
      [Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1\n', [limit, 2 * limit + 1]],
    ] as const) {
      const problems = await thrownProblems(() => parseScenarioText(text, 'deep.yaml'));
      const m = /^deep\.yaml: line (\d+), column \d+: (.*)$/.exec(problems.join('\n'));
      assert.ok(m, problems.join('\n'));
      assert.equal(m[2], TOO_DEEP);
      assert.ok(Number(m[1]) >= lines[0] && Number(m[1]) <= lines[1], m[0]);
    }
  });

  it('accepts the deepest nesting allowed, and names a YAML value that contains itself', async () => {
    const nested = (n: number) => `${'{"a":'.repeat(n - 1)}1${'}'.repeat(n - 1)}`;
    assert.deepEqual(await thrownProblems(() => parseScenarioText(`{"name": ${nested(LIMITS.nesting)}}`, 'ok.json')), [
      'ok.json: topology: required field is missing',
      'ok.json: name: must be a string, got a mapping with 1 fields',
    ]);
    assert.deepEqual(await thrownProblems(() => parseScenarioText('name: &x [*x]\n', 'self.yaml')), [
      'self.yaml: name[0]: contains itself (a YAML alias inside its own anchor)',
    ]);
  });
});

describe('loadScenario and loadScenarios', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'zb-load-'));
    writeFileSync(join(dir, 'pipe.yaml'), PIPE_YAML);
    writeFileSync(join(dir, 'pipe.yml'), PIPE_YAML.replace('name: pipe', 'name: pipe-yml'));
    writeFileSync(
      join(dir, 'pipe.json'),
      JSON.stringify({
        name: 'pipe-json',
        topology: {
          endpoints: ['t'],
          groups: [
            { name: 'a', type: 'pub', bind: 't' },
            { name: 'b', type: 'sub', connect: 't' },
          ],
        },
      }),
    );
    writeFileSync(join(dir, 'bad-rate.yaml'), PIPE_YAML.replace('bind: tasks', 'bind: tasks\n      rate: -5'));
    writeFileSync(join(dir, 'syntax.yaml'), 'name: [\n');
    writeFileSync(join(dir, 'notes.txt'), PIPE_YAML);
    writeFileSync(join(dir, 'big.yaml'), `${PIPE_YAML}#${'x'.repeat(LIMITS.fileBytes)}\n`);
    mkdirSync(join(dir, 'folder.yaml'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads .yaml, .yml and .json files', async () => {
    assert.equal((await loadScenario(join(dir, 'pipe.yaml'))).name, 'pipe');
    assert.equal((await loadScenario(join(dir, 'pipe.yml'))).name, 'pipe-yml');
    assert.equal((await loadScenario(join(dir, 'pipe.json'))).name, 'pipe-json');
  });

  it('reports a missing file, a folder, another extension and a file too large', async () => {
    const missing = join(dir, 'missing.yaml');
    assert.deepEqual(await thrownProblems(() => loadScenario(missing)), [`${missing}: file not found`]);
    assert.deepEqual(await thrownProblems(() => loadScenario(join(dir, 'folder.yaml'))), [
      `${join(dir, 'folder.yaml')}: is a directory, not a scenario file`,
    ]);
    assert.deepEqual(await thrownProblems(() => loadScenario(join(dir, 'notes.txt'))), [
      `${join(dir, 'notes.txt')}: must be a .yaml, .yml or .json file`,
    ]);
    assert.deepEqual(await thrownProblems(() => loadScenario(join(dir, 'big.yaml'))), [
      `${join(dir, 'big.yaml')}: must be at most ${LIMITS.fileBytes} bytes, got a larger file`,
    ]);
  });

  it('reports an unreadable file', { skip: process.getuid?.() === 0 ? 'root reads every file' : false }, async () => {
    const locked = join(dir, 'locked.yaml');
    writeFileSync(locked, PIPE_YAML);
    chmodSync(locked, 0o000);
    assert.deepEqual(await thrownProblems(() => loadScenario(locked)), [`${locked}: cannot read the file (permission denied)`]);
  });

  it('refuses a device as the scenario file without reading it', async () => {
    for (const path of ['/dev/zero', '/dev/null']) {
      // loadRunnable, as run and validate do; the extension check comes first, so a link with one
      const link = join(dir, `${path.slice(5)}.yaml`);
      symlinkSync(path, link);
      assert.deepEqual(await thrownProblems(() => loadRunnable(link)), [
        `${link}: is not a regular file (a character device); only regular files are read`,
      ]);
    }
  });

  it('says a file in another encoding is not UTF-8 text, and where', async () => {
    const save = 'save the file as UTF-8';
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(PIPE_YAML, 'utf16le')]);
    const utf16be = Buffer.from(utf16le.subarray(2)).swap16();
    const cases: Array<[string, Buffer, string]> = [
      ['utf16le.yaml', utf16le, 'the file starts with the byte order mark of UTF-16 (little-endian)'],
      [
        'utf16be.yaml',
        Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]),
        'the file starts with the byte order mark of UTF-16 (big-endian)',
      ],
      [
        'utf32le.yaml',
        Buffer.from([0xff, 0xfe, 0, 0, 0x6e, 0, 0, 0]),
        'the file starts with the byte order mark of UTF-32 (little-endian)',
      ],
      ['nomark.yaml', utf16le.subarray(2), 'a zero byte at line 2, column 1 (UTF-16 or a binary file?)'],
      [
        'latin1.yaml',
        Buffer.from(PIPE_YAML.replace('name: pipe', 'name: pipe\ndescription: café'), 'latin1'),
        'byte 0xE9 at line 3, column 17 (byte offset 28) is not UTF-8 (Latin-1 or Windows-1252?)',
      ],
    ];
    for (const [name, bytes, problem] of cases) {
      writeFileSync(join(dir, name), bytes);
      assert.deepEqual(await thrownProblems(() => loadRunnable(join(dir, name))), [
        `${join(dir, name)}: not UTF-8 text: ${problem}; ${save}`,
      ]);
    }
    // UTF-8 with a byte order mark, and a U+FFFD written in UTF-8, are fine
    writeFileSync(join(dir, 'utf8.yaml'), `\uFEFF${PIPE_YAML.replace('name: pipe', 'name: pipe\ndescription: "\uFFFD café"')}`);
    assert.equal((await loadScenario(join(dir, 'utf8.yaml'))).description, '\uFFFD café');
  });

  it('reports a path that runs through a file', async () => {
    const through = join(dir, 'pipe.yaml', 'inner.yaml');
    assert.deepEqual(await thrownProblems(() => loadScenario(through)), [
      `${through}: file not found (a part of the path is a file, not a folder)`,
    ]);
  });

  it('reports the problems of all files together', async () => {
    const files = ['pipe.yaml', 'bad-rate.yaml', 'missing.yaml', 'syntax.yaml'].map((f) => join(dir, f));
    assert.deepEqual(await thrownProblems(() => loadScenarios(files)), [
      `${files[1]}: topology.groups[0].rate: must be from 0.001 to 10000000 messages per second (at least one message every 1000s), got -5`,
      `${files[2]}: file not found`,
      `${files[3]}: line 2, column 1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    ]);
    assert.deepEqual(
      (await loadScenarios([files[0]!, join(dir, 'pipe.json')])).map((s) => s.name),
      ['pipe', 'pipe-json'],
    );
  });
});

describe('suites', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'zb-suites-'));
    writeFileSync(join(dir, 'pipe.yaml'), PIPE_YAML);
    writeFileSync(join(dir, 'self.yaml'), 'suite: self\nscenarios:\n  - file: pipe.yaml\n  - file: self.yaml\n');
    writeFileSync(join(dir, 'a.yaml'), 'suite: a\nscenarios:\n  - file: b.yaml\n');
    writeFileSync(join(dir, 'b.yaml'), 'suite: b\nscenarios:\n  - file: a.yaml\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a suite cannot list a suite: itself, or one that lists it back', async () => {
    const self = join(dir, 'self.yaml');
    assert.deepEqual(await thrownProblems(() => loadRunnable(self)), [
      `${self}: scenarios[1].file: self.yaml is a suite; a suite cannot list a suite`,
    ]);
    assert.deepEqual(await thrownProblems(() => loadRunnable(join(dir, 'a.yaml'))), [
      `${join(dir, 'a.yaml')}: scenarios[0].file: b.yaml is a suite; a suite cannot list a suite`,
    ]);
  });

  it("a suite's own fields are checked in the scenario's words, one line per place", async () => {
    const bad = join(dir, 'bad-suite.yaml');
    writeFileSync(bad, 'suite: [a]\nname: x\n');
    // TypeBox alone said "expected required property" and then "expected array" for the same missing list
    assert.deepEqual(await thrownProblems(() => loadRunnable(bad)), [
      `${bad}: scenarios: required field is missing`,
      `${bad}: name: unknown field`,
      `${bad}: suite: must be a string, got ["a"]`,
    ]);
    writeFileSync(bad, 'suite: s\nscenarios:\n  - { file: pipe.yaml, rate: 1e-300 }\n');
    assert.deepEqual(await thrownProblems(() => loadRunnable(bad)), [
      `${bad}: scenarios[0].rate: must be from 0.001 to 10000000 messages per second (at least one message every 1000s), got 1e-300`,
    ]);
  });
});

describe('shipped files', () => {
  it('every scenario and suite in scenarios/ is valid, matrices and all', async () => {
    const files = ['', 'suites/', 'external/'].flatMap((dir) =>
      readdirSync(join(root, 'scenarios', dir))
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => join(root, 'scenarios', dir, f)),
    );
    assert.ok(files.includes(join(root, 'scenarios', 'suites', 'default.yaml')) && files.length > 10, files.join(', '));
    for (const file of files) {
      const loaded = await loadRunnable(file);
      assert.ok(loaded.entries.length > 0, file);
    }
  });

  it('the examples in docs/scenarios.md are valid', () => {
    const doc = readFileSync(join(root, 'docs', 'scenarios.md'), 'utf8');
    const yaml = /## A complete example[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    const json = /```json\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(yaml && json, 'docs/scenarios.md has its YAML and JSON examples');
    const s = parseScenarioText(yaml, 'docs/scenarios.md (yaml)');
    assert.deepEqual(
      s.groups.map((g) => g.name),
      ['ventilator', 'workers', 'sink'],
    );
    assert.deepEqual(s.groups[1]!.forward, { type: 'push', bind: [], connect: ['results'], options: {} });
    assert.equal(parseScenarioText(json, 'docs/scenarios.md (json).json').groups.length, 3);
  });
});
