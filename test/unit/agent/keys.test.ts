import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { KEY_FILES, publicKeyOf, readAgentKeys, readCoordinatorKeys, writeKeys } from '../../../src/agent/keys.js';
import { isBenchError } from '../../../src/core/errors.js';
import { ExitCode } from '../../../src/core/exit-codes.js';
import { isCurveKey } from '../../../src/scenario/curve.js';

/** Key files written and read back: modes, refusals, and one line per problem with its path. */

const tmp = mkdtempSync(join(tmpdir(), 'zmq-bench-keys-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(tmp, `d${++dirs}`);

/** The problems of a BenchError with exit 104, else a failed assertion. */
async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (e) {
    assert.ok(isBenchError(e), `a BenchError, not ${String(e)}`);
    assert.equal(e.exitCode, ExitCode.invalidInput);
    return [...e.problems];
  }
  assert.fail('expected a refusal');
}

describe('keys: written', () => {
  it('writes four Z85 keys with a newline, secrets readable by the owner only, in a folder it creates', async () => {
    const dir = join(freshDir(), 'nested');
    const written = await writeKeys(dir);
    assert.deepEqual(
      written,
      ['coordinator.public', 'coordinator.secret', 'agent.public', 'agent.secret'].map((n) => join(dir, n)),
    );
    for (const path of written) {
      const text = readFileSync(path, 'utf8');
      assert.match(text, /^.{40}\n$/);
      assert.ok(isCurveKey(text.trim()), path);
      assert.equal(statSync(path).mode & 0o777, path.endsWith('.secret') ? 0o600 : 0o644 & ~process.umask(), path);
    }
    assert.equal(statSync(dir).mode & 0o077, 0, "the folder is the owner's only");
    const keys = written.map((p) => readFileSync(p, 'utf8').trim());
    assert.equal(new Set(keys).size, 4, 'two distinct pairs');
    assert.equal(publicKeyOf(keys[1]!), keys[0]);
    assert.equal(publicKeyOf(keys[3]!), keys[2]);
  });

  it('refuses to replace key files, naming each one, and replaces them all with force', async () => {
    const dir = freshDir();
    await writeKeys(dir);
    const before = readFileSync(join(dir, KEY_FILES.agentSecret), 'utf8');
    assert.deepEqual(await problemsOf(writeKeys(dir)), [
      `${join(dir, 'coordinator.public')}: exists already; expected no key files there (--force replaces them)`,
      `${join(dir, 'coordinator.secret')}: exists already; expected no key files there (--force replaces them)`,
      `${join(dir, 'agent.public')}: exists already; expected no key files there (--force replaces them)`,
      `${join(dir, 'agent.secret')}: exists already; expected no key files there (--force replaces them)`,
    ]);
    assert.equal(readFileSync(join(dir, KEY_FILES.agentSecret), 'utf8'), before, 'nothing was touched');
    // a secret file others could read is replaced by one they cannot
    chmodSync(join(dir, KEY_FILES.coordinatorSecret), 0o644);
    await writeKeys(dir, { force: true });
    assert.notEqual(readFileSync(join(dir, KEY_FILES.agentSecret), 'utf8'), before);
    assert.equal(statSync(join(dir, KEY_FILES.coordinatorSecret)).mode & 0o777, 0o600);
    const agent = await readAgentKeys(dir);
    assert.equal(publicKeyOf(agent.secretKey), agent.publicKey);
  });

  it('refuses one existing key file among missing ones, and a path that is a file', async () => {
    const dir = freshDir();
    await writeKeys(dir);
    rmSync(join(dir, KEY_FILES.coordinatorPublic));
    rmSync(join(dir, KEY_FILES.coordinatorSecret));
    rmSync(join(dir, KEY_FILES.agentSecret));
    assert.deepEqual(await problemsOf(writeKeys(dir)), [
      `${join(dir, 'agent.public')}: exists already; expected no key files there (--force replaces them)`,
    ]);
    const file = join(dir, KEY_FILES.agentPublic);
    assert.deepEqual(await problemsOf(writeKeys(file)), [`${file}: not a folder; expected a folder for the keys`]);
  });
});

describe('keys: read', () => {
  it('gives an agent its pair and the coordinator public key, and a coordinator the reverse', async () => {
    const dir = freshDir();
    await writeKeys(dir);
    const key = (name: string) => readFileSync(join(dir, name), 'utf8').trim();
    assert.deepEqual(await readAgentKeys(dir), {
      publicKey: key('agent.public'),
      secretKey: key('agent.secret'),
      coordinatorPublicKey: key('coordinator.public'),
    });
    assert.deepEqual(await readCoordinatorKeys(dir), {
      publicKey: key('coordinator.public'),
      secretKey: key('coordinator.secret'),
      agentPublicKey: key('agent.public'),
    });
  });

  it('needs only its own three files, and forgives a missing newline (a pasted Kubernetes Secret)', async () => {
    const dir = freshDir();
    await writeKeys(dir);
    const coordinatorSecret = readFileSync(join(dir, KEY_FILES.coordinatorSecret), 'utf8');
    rmSync(join(dir, KEY_FILES.coordinatorSecret));
    writeFileSync(join(dir, KEY_FILES.agentSecret), `${readFileSync(join(dir, KEY_FILES.agentSecret), 'utf8').trim()}`);
    assert.ok(isCurveKey((await readAgentKeys(dir)).secretKey));
    const problems = await problemsOf(readCoordinatorKeys(dir));
    assert.deepEqual(problems, [
      `${join(dir, 'coordinator.secret')}: missing; expected one CURVE key (40 Z85 characters) and a newline, as zmq-bench keys writes it`,
    ]);
    writeFileSync(join(dir, KEY_FILES.coordinatorSecret), coordinatorSecret);
    assert.ok(isCurveKey((await readCoordinatorKeys(dir)).secretKey));
  });

  it('names every malformed or missing file at once', async () => {
    const dir = freshDir();
    await writeKeys(dir);
    writeFileSync(join(dir, KEY_FILES.agentPublic), 'not a key\n');
    writeFileSync(join(dir, KEY_FILES.agentSecret), `${'#'.repeat(40)}\n`);
    rmSync(join(dir, KEY_FILES.coordinatorPublic));
    const expected = 'expected one CURVE key (40 Z85 characters) and a newline, as zmq-bench keys writes it';
    assert.deepEqual(await problemsOf(readAgentKeys(dir)), [
      `${join(dir, 'agent.public')}: not a CURVE key; ${expected}`,
      `${join(dir, 'agent.secret')}: not a CURVE key; ${expected}`,
      `${join(dir, 'coordinator.public')}: missing; ${expected}`,
    ]);
    assert.equal((await problemsOf(readAgentKeys(join(dir, 'nowhere')))).length, 3);
  });

  it("refuses a secret key that is not the public key's pair", async () => {
    const [a, b] = [freshDir(), freshDir()];
    await writeKeys(a);
    await writeKeys(b);
    writeFileSync(join(a, KEY_FILES.agentSecret), readFileSync(join(b, KEY_FILES.agentSecret)));
    assert.deepEqual(await problemsOf(readAgentKeys(a)), [
      `${join(a, 'agent.secret')}: not the secret key of ${join(a, 'agent.public')}; expected the pair that zmq-bench keys wrote`,
    ]);
    assert.ok(isCurveKey((await readCoordinatorKeys(a)).agentPublicKey), 'the coordinator reads no agent secret');
  });
});

describe('keys: the public key of a secret key', () => {
  it("agrees with libzmq's CURVE test keys", () => {
    // tests/testutil_security.cpp in libzmq: client and server key pairs
    assert.equal(publicKeyOf('D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs'), 'Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID');
    assert.equal(publicKeyOf('JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6'), 'rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7');
  });
});
