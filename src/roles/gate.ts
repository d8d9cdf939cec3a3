/** A pause of sending or receiving: loops wait on it while it is closed. */
export class Gate {
  private opened: Promise<void> = Promise.resolve();
  private release: (() => void) | null = null;

  get isClosed(): boolean {
    return this.release !== null;
  }

  close(): void {
    if (this.release) return;
    this.opened = new Promise((resolve) => (this.release = resolve));
  }

  open(): void {
    this.release?.();
    this.release = null;
  }

  wait(): Promise<void> {
    return this.opened;
  }
}
