import assert from 'node:assert/strict';
import { it } from 'node:test';
import { group, runShipped, runSized } from '../support/run-shipped.js';

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

// Regression: over inproc a received message over 128 bytes is the sender's own buffer, released
// through the sending thread's zeromq module when the receiver's Buffer is garbage-collected.
// Threads torn down before that release corrupted the heap (glibc abort in the next run).
it('several inproc runs with 1 KiB messages in one process do not corrupt the heap', async () => {
  for (let i = 0; i < 3; i++) {
    const r = await runShipped('push-backpressure.yaml', 'inproc', 300);
    assert.deepEqual(r.problems, [], `run ${i}`);
    assert.equal(group(r, 'puller').received, group(r, 'pusher').sent);
  }
});

// Regression: a pipeline worker forwarding, or a REP/ROUTER echoing, the very Buffer it received
// handed libzmq memory it already owned a second time, zero-copy: over inproc with messages
// over 128 bytes, a double free that aborted the process (3 runs in 4 before the fix).
it('forwarding and echoing 1 KiB and 64 KiB messages over inproc, again and again, is safe', async () => {
  for (const size of [1024, 65536, 1024]) {
    const pipeline = await runSized('pipeline.yaml', size);
    assert.deepEqual(pipeline.problems, [], `pipeline, ${size} B`);
    assert.equal(group(pipeline, 'sink').received, group(pipeline, 'ventilator').sent);
    const rr = await runSized('req-rep.yaml', size);
    assert.deepEqual(rr.problems, [], `req-rep, ${size} B`);
    assert.equal(group(rr, 'clients').received, group(rr, 'clients').sent);
  }
});
