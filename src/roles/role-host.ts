import type { Clock } from '../core/clock.js';
import type { SocketEngine } from '../engine/engine.js';
import type { Notice } from '../protocol/control.js';
import type { Histogram } from '../stats/histogram.js';

/** What a role may use of the worker that hosts it. */
export interface RoleHost {
  clock: Clock;
  /** opens the role's sockets */
  engine: SocketEngine;
  notify(notice: Notice): void;
  /** true when the run starts with a warm-up, so the first messages are flagged */
  warmup: boolean;
  /** latencies of the current sampling interval, shared by the roles of one worker */
  intervalHistogram: Histogram;
  /** latencies from the actual send time (not the intended one) of the current interval, shared like intervalHistogram */
  intervalFromSendHistogram: Histogram;
  /** send lags of the current sampling interval (senders), shared like intervalHistogram */
  intervalSendLagHistogram: Histogram;
  /** a socket monitor event, for the timeline */
  socketEvent(roleId: number, event: string, address: string): void;
}
