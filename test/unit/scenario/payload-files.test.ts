import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { thrownProblems } from '../../support/validation.js';
import { EXTERNAL_LIMITS } from '../../../src/scenario/external-schema.js';
import { loadScenario } from '../../../src/scenario/load.js';
import { loadRunnable } from '../../../src/scenario/suite.js';

/** Payload `file:` parts: only regular files, bounded, inside the scenario's folder unless allowed. */

const scenario = (file: string, extra = '') => `
name: files
topology:
  endpoints:
    - { name: svc, external: "tcp://127.0.0.1:5555" }
  groups:
    - name: clients
      type: req
      connect: svc
      payload: { file: ${JSON.stringify(file)} }
${extra}`;

const base64Of = async (path: string, o = {}) => {
  const part = (await loadScenario(path, o)).groups[0]!.payload![0]!;
  assert.equal(part.kind, 'file');
  return part.kind === 'file' ? part.base64 : '';
};

describe('payload files', () => {
  let root = '';
  let dir = '';
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'zb-payload-files-'));
    dir = join(root, 'scenarios');
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(root, 'secret.txt'), 'secret');
    writeFileSync(join(dir, 'data', 'hello.txt'), 'Hello');
    symlinkSync(join(root, 'secret.txt'), join(dir, 'data', 'out-link.txt'));
    symlinkSync(join(dir, 'data', 'hello.txt'), join(dir, 'in-link.txt'));
    symlinkSync('/dev/zero', join(dir, 'zero'));
    // sparse: one byte more than the limit, without writing 16 MiB
    writeFileSync(join(dir, 'big.bin'), '');
    truncateSync(join(dir, 'big.bin'), EXTERNAL_LIMITS.payloadFileBytes + 1);
    for (const [name, file] of [
      ['up', '../secret.txt'],
      ['absolute-out', join(root, 'secret.txt')],
      ['absolute-in', join(dir, 'data', 'hello.txt')],
      ['sub', 'data/hello.txt'],
      ['out-link', 'data/out-link.txt'],
      ['in-link', 'in-link.txt'],
      ['zero', 'zero'],
      ['dev-zero', '/dev/zero'],
      ['big', 'big.bin'],
      ['folder', 'data'],
    ]) {
      writeFileSync(join(dir, `${name}.yaml`), scenario(file!));
    }
    writeFileSync(join(dir, 'matrix.yaml'), scenario('../secret.txt', 'matrix: { rate: [10, 20] }'));
    writeFileSync(join(root, 'suite.yaml'), 'suite: s\nscenarios:\n  - file: scenarios/up.yaml\n');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("reads files inside the scenario's folder, by relative or absolute path, or through a link that stays inside", async () => {
    const hello = Buffer.from('Hello').toString('base64');
    assert.equal(await base64Of(join(dir, 'sub.yaml')), hello);
    assert.equal(await base64Of(join(dir, 'absolute-in.yaml')), hello);
    assert.equal(await base64Of(join(dir, 'in-link.yaml')), hello);
  });

  it("refuses a file outside the scenario's folder, by .., absolute path or link, naming the flag", async () => {
    const advice = 'pass --allow-outside-payload to read it';
    assert.deepEqual(await thrownProblems(() => loadScenario(join(dir, 'up.yaml'))), [
      `${join(dir, 'up.yaml')}: topology.groups[0].payload.file: ../secret.txt is outside the scenario's folder (${dir}); ${advice}`,
    ]);
    assert.deepEqual(await thrownProblems(() => loadScenario(join(dir, 'absolute-out.yaml'))), [
      `${join(dir, 'absolute-out.yaml')}: topology.groups[0].payload.file: ${join(root, 'secret.txt')} is outside the scenario's folder (${dir}); ${advice}`,
    ]);
    assert.deepEqual(await thrownProblems(() => loadScenario(join(dir, 'out-link.yaml'))), [
      `${join(dir, 'out-link.yaml')}: topology.groups[0].payload.file: data/out-link.txt is outside the scenario's folder (${dir}): it leads to ${join(root, 'secret.txt')}; ${advice}`,
    ]);
    assert.deepEqual(await thrownProblems(() => loadScenario(join(dir, 'dev-zero.yaml'))), [
      `${join(dir, 'dev-zero.yaml')}: topology.groups[0].payload.file: /dev/zero is outside the scenario's folder (${dir}); ${advice}`,
    ]);
  });

  it('reads outside files when allowed: loadScenario, and loadRunnable for scenarios, matrices and suites', async () => {
    const secret = Buffer.from('secret').toString('base64');
    const allow = { allowOutsidePayload: true };
    assert.equal(await base64Of(join(dir, 'up.yaml'), allow), secret);
    assert.equal(await base64Of(join(dir, 'out-link.yaml'), allow), secret);
    for (const file of [join(dir, 'up.yaml'), join(dir, 'matrix.yaml'), join(root, 'suite.yaml')]) {
      const loaded = await loadRunnable(file, allow);
      for (const e of loaded.entries)
        assert.deepEqual(e.scenario.groups[0]!.payload, [{ kind: 'file', path: '../secret.txt', base64: secret }]);
      const problems = await thrownProblems(() => loadRunnable(file));
      assert.ok(problems.length > 0 && problems.every((p) => p.includes("is outside the scenario's folder")), problems.join('\n'));
    }
  });

  it('refuses a device even when outside files are allowed, and never reads more than the limit', async () => {
    const allow = { allowOutsidePayload: true };
    assert.deepEqual(await thrownProblems(() => loadScenario(join(dir, 'zero.yaml'), allow)), [
      `${join(dir, 'zero.yaml')}: topology.groups[0].payload.file: ${join(dir, 'zero')} is not a regular file (a character device); only regular files are read`,
    ]);
    assert.deepEqual(await thrownProblems(() => loadScenario(join(dir, 'dev-zero.yaml'), allow)), [
      `${join(dir, 'dev-zero.yaml')}: topology.groups[0].payload.file: /dev/zero is not a regular file (a character device); only regular files are read`,
    ]);
    const limit = EXTERNAL_LIMITS.payloadFileBytes;
    assert.deepEqual(await thrownProblems(() => loadScenario(join(dir, 'big.yaml'))), [
      `${join(dir, 'big.yaml')}: topology.groups[0].payload.file: ${join(dir, 'big.bin')} is more than ${limit} bytes; at most ${limit} are sent as one frame`,
    ]);
    assert.deepEqual(await thrownProblems(() => loadScenario(join(dir, 'folder.yaml'))), [
      `${join(dir, 'folder.yaml')}: topology.groups[0].payload.file: ${join(dir, 'data')} is a directory, not a payload file`,
    ]);
  });
});
