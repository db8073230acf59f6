import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

/**
 * Work the service does on its own while it runs (consent expiry, the in-process feed relay):
 * started once the application is up, stopped and awaited at shutdown, so nothing is cut off halfway.
 */
export abstract class BackgroundWork implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly stop = new AbortController();
  private running?: Promise<void>;

  /** Whether this instance does the work at all (its settings). */
  protected abstract wanted(): boolean;

  /** Does the work until the signal aborts; never rejects (a failure is the work's own to report and retry). */
  protected abstract work(signal: AbortSignal): Promise<void>;

  onApplicationBootstrap(): void {
    if (this.wanted()) this.running = this.work(this.stop.signal);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.running;
  }
}
