/** Process exit codes, k6's numbers where the meaning matches (see docs/results.md). */
export const ExitCode = {
  ok: 0,
  thresholdFailed: 99,
  regression: 98,
  invalidMeasurement: 97,
  invalidInput: 104,
  interrupted: 105,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
