import { parseScenarioText } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/schema.js';

/**
 * A push asked for 20,000 msgs/s that a pull taking 2 ms per message holds back over tcp: with
 * HWM 10 and 16 KiB kernel buffers the queues stay small (default buffers could absorb the
 * backlog on another kernel), so the sender blocks and falls far behind its schedule.
 */
export function fallsBehindScenario(o: { maxSendLag?: string; size?: string } = {}): Scenario {
  const size = o.size ? `, size: ${o.size}` : '';
  return parseScenarioText(
    `
name: falls-behind
transport: tcp
duration: 600ms
drain: 1s
${o.maxSendLag ? `maxSendLag: ${o.maxSendLag}` : ''}
topology:
  endpoints: [tasks]
  groups:
    - { name: pusher, type: push, bind: tasks, rate: 20000${size}, options: { sndhwm: 10, sndbuf: 16384 } }
    - { name: puller, type: pull, connect: tasks, delay: 2ms, options: { rcvhwm: 10, rcvbuf: 16384 } }
`,
    'falls-behind.yaml',
  );
}
