import { Injectable } from '@nestjs/common';

/**
 * Whether the service is stopping (SIGTERM received). Readiness turns red at once so load balancers
 * stop sending work, and long-lived responses (event streams) listen to `signal` to end themselves,
 * since the HTTP server only closes once every open response has.
 */
@Injectable()
export class ShutdownState {
  private readonly controller = new AbortController();

  get draining(): boolean {
    return this.controller.signal.aborted;
  }

  /** Aborted when shutdown begins. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  begin(): void {
    this.controller.abort();
  }
}
