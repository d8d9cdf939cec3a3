/** bare-client.ts in a worker thread: workerData holds its options, the result is posted back once. */
import { parentPort, workerData } from 'node:worker_threads';
import { pacedRoundTrips, type PacedClientOptions } from './bare-client.js';

parentPort!.postMessage(await pacedRoundTrips(workerData as PacedClientOptions));
