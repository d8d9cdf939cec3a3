import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { isBenchError } from '../../../src/core/errors.js';
import { ExitCode } from '../../../src/core/exit-codes.js';
import { LIVE_LINGER_MS, LivePage } from '../../../src/live/live-page-session.js';
import type { LiveMessage } from '../../../src/live/live-messages.js';
import { pipeline } from '../../support/sample-result.js';
import { PUSH_PULL, scenarioOf } from '../../support/validation.js';

/** The live page's server without a browser: what it answers, what it streams, how it ends. */

const LOOPBACK = { host: '127.0.0.1', port: 0 };

function get(url: string, o: { method?: string; host?: string } = {}): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: o.method ?? 'GET', headers: o.host ? { host: o.host } : {}, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The stream's messages as they come; `close()` leaves, as a page does. */
function listen(url: string): { next(found: (m: LiveMessage) => boolean): Promise<LiveMessage>; close(): void } {
  const messages: LiveMessage[] = [];
  const waiting: Array<() => void> = [];
  const req = request(`${url}events`, (res) => {
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => {
      buffer += d;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith('data: ')) messages.push(JSON.parse(block.slice(6)) as LiveMessage);
      }
      for (const w of waiting.splice(0)) w();
    });
  });
  req.on('error', () => undefined);
  req.end();
  const next = async (is: (m: LiveMessage) => boolean): Promise<LiveMessage> => {
    for (;;) {
      const found = messages.find(is);
      if (found) return found;
      await new Promise<void>((r) => waiting.push(r));
    }
  };
  return { next, close: () => req.destroy() };
}

test('the live page serves its page and stream on loopback, read-only, then the report, and closes when the page left', async () => {
  const said: string[] = [];
  const live = await LivePage.open(LOOPBACK, 1, (l) => said.push(l));
  assert.match(live.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.deepEqual(said, [`live page: ${live.url} (follows each run, then shows the report)`]);

  const page = await get(live.url);
  assert.equal(page.status, 200);
  assert.match(page.type, /^text\/html/);
  assert.match(page.body, /data-live-state="connecting"/);
  assert.equal((await get(live.url, { method: 'POST' })).status, 405);
  assert.equal((await get(live.url, { host: 'attacker.example:80' })).status, 403, 'another name for loopback (DNS rebinding)');
  assert.equal((await get(`${live.url}report`)).status, 404, 'no report before the end');

  const stream = listen(live.url);
  try {
    const onEvent = live.beginRun('p', scenarioOf(PUSH_PULL));
    const run = await stream.next((m) => m.type === 'run');
    assert.ok(run.type === 'run' && run.run.label === 'p' && run.run.index === 1);
    onEvent({ type: 'phase', phase: 'measure', atMs: 1 });
    await stream.next((m) => m.type === 'update' && m.update.phase === 'measure');

    live.endRun(pipeline(), undefined);
    const finished = await stream.next((m) => m.type === 'finished');
    assert.ok(finished.type === 'finished' && finished.finished.report === '/report/1' && finished.finished.status === 'pass');
    const report = await get(`${live.url}report/1`);
    assert.equal(report.status, 200);
    assert.match(report.body, /data-overall-verdict="pass"/, 'made here when the command wrote none');

    const started = Date.now();
    const closing = live.finish();
    const end = await stream.next((m) => m.type === 'end');
    assert.ok(end.type === 'end' && end.report === '/report');
    assert.match((await get(`${live.url}report`)).body, /data-overall-verdict/);
    stream.close();
    await closing;
    assert.ok(Date.now() - started < LIVE_LINGER_MS, 'closed when the page left, not after the linger');
    await assert.rejects(get(live.url), /ECONNREFUSED/);
  } finally {
    stream.close();
  }
});

test('with several runs the page follows the current one; a page that connects late hears of the finished ones too', async () => {
  const live = await LivePage.open(LOOPBACK, 2, () => undefined);
  live.beginRun('first', scenarioOf(PUSH_PULL));
  live.endRun(pipeline(), undefined);
  live.beginRun('second', scenarioOf(PUSH_PULL));
  const stream = listen(live.url);
  try {
    const update = await stream.next((m) => m.type === 'update');
    assert.ok(update.type === 'update' && update.update.index === 2, 'the current run');
    const finished = await stream.next((m) => m.type === 'finished');
    assert.ok(finished.type === 'finished' && finished.finished.label === 'first' && finished.finished.index === 1);
    const run = await stream.next((m) => m.type === 'run');
    assert.ok(run.type === 'run' && run.run.label === 'second' && run.run.index === 2 && run.run.count === 2);
  } finally {
    stream.close();
    await live.finish();
  }
});

test('a port in use is bad input (exit 104) that names --live and the way out', async () => {
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  const port = (busy.address() as { port: number }).port;
  try {
    await assert.rejects(
      LivePage.open({ host: '127.0.0.1', port }, 1, () => undefined),
      (e: unknown) => {
        assert.ok(isBenchError(e));
        assert.equal(e.exitCode, ExitCode.invalidInput);
        assert.deepEqual(e.problems, [`--live 127.0.0.1:${port}: the port is in use (give another, or 0 for a free one)`]);
        return true;
      },
    );
  } finally {
    busy.close();
  }
});

test('off loopback the console warns that anyone who reaches the address can watch; with no page open it closes at once', async () => {
  const said: string[] = [];
  const live = await LivePage.open({ host: '0.0.0.0', port: 0 }, 1, (l) => said.push(l));
  assert.match(said[1] ?? '', /0\.0\.0\.0 is not loopback: anyone who can reach it can watch the runs/);
  const started = Date.now();
  await live.finish();
  assert.ok(Date.now() - started < 500);
});
