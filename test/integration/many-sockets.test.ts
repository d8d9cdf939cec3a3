import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runScenario } from '../../src/runtime/run.js';
import { scenarioOf } from '../support/validation.js';

// Regression: libzmq allows 1,023 sockets per context unless told otherwise, and every monitored
// socket brings two more; 400 tcp sockets in one thread failed with "Too many open file descriptors".
it('400 sockets in one worker thread connect, send and are counted', async () => {
  const r = await runScenario(
    scenarioOf({
      name: 'many',
      transport: 'tcp',
      duration: '300ms',
      drain: '2s',
      topology: {
        endpoints: ['sink'],
        groups: [
          { name: 'sink', type: 'pull', bind: 'sink' },
          { name: 'clients', type: 'push', count: 400, connect: 'sink', size: 64, rate: 20 },
        ],
      },
    }),
  );
  assert.deepEqual(r.problems, []);
  const clients = r.groups.find((g) => g.name === 'clients')!;
  assert.ok(clients.sent >= 400, `every client sent: ${clients.sent}`);
  assert.equal(r.totals.received, clients.sent);
  assert.equal(r.totals.lost, 0);
});
