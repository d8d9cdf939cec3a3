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
          // hundreds of peers connecting at once overflow libzmq's default listen backlog of 100
          { name: 'sink', type: 'pull', bind: 'sink', options: { backlog: 1024 } },
          { name: 'clients', type: 'push', count: 400, connect: 'sink', size: 64, rate: 20 },
        ],
      },
    }),
  );
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.groups.find((g) => g.name === 'sink')!.options, { pull: { backlog: 1024 } }, 'the backlog as the socket reports it');
  const clients = r.groups.find((g) => g.name === 'clients')!;
  assert.ok(clients.sent >= 400, `every client sent: ${clients.sent}`);
  assert.equal(r.totals.received, clients.sent);
  assert.equal(r.totals.lost, 0);
});
