// TEMPORARY stub until the keys helper's branch is merged
export async function startZap(_allowed: string[], _log: (line: string) => void): Promise<{ stop(): Promise<void> }> {
  return { stop: async () => {} };
}
