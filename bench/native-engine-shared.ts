/** What bench/native-engine.ts and its worker share (the worker module runs a role when imported). */
export interface NativeBenchWorkerData {
  engine: 'zeromq.js' | 'native';
  role: 'sender' | 'receiver';
  sizeBytes: number;
  address: string;
  /** Int32Array: [STOP, RECEIVED, SENT_DONE, SENT] */
  control: SharedArrayBuffer;
  /** the native engine's context, for inproc between the two threads */
  context: SharedArrayBuffer | null;
}

export const STOP = 0;
export const RECEIVED = 1;
export const SENT_DONE = 2;
export const SENT = 3;
