import assert from 'node:assert/strict';
import { it } from 'node:test';
import { group, runShipped } from '../support/run-shipped.js';

// Regression: closing socket event observers by hand once left the process-wide context
// unable to connect tcp/ipc sockets, so every run after the first in a process stalled at
// the start barrier. Several runs in one process must each be complete.
it('several tcp and ipc runs in one process each complete', async () => {
  for (const transport of ['tcp', 'ipc', 'tcp'] as const) {
    const r = await runShipped('req-rep.yaml', transport, 200);
    assert.deepEqual(r.problems, [], `${transport} run`);
    assert.equal(group(r, 'clients').received, group(r, 'clients').sent);
  }
});
