/**
 * Re-renders its host on a period while something on screen depends on the clock (a live duration, a
 * relative time). Holds at most one timer, and none while disconnected.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class TickController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  #period: number | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #connected = false;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  /** Ticks every `period` ms from now on, or stops with `null`. Idempotent for an unchanged period. */
  every(period: number | null): void {
    if (period === this.#period) return;
    this.#period = period;
    this.#arm();
  }

  hostConnected(): void {
    this.#connected = true;
    this.#arm();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#arm();
  }

  #arm(): void {
    if (this.#timer !== undefined) globalThis.clearTimeout(this.#timer);
    this.#timer = undefined;
    const period = this.#period;
    if (period === null || !this.#connected) return;
    this.#timer = globalThis.setTimeout(() => {
      this.#timer = undefined;
      this.#host.requestUpdate();
      this.#arm();
    }, period);
  }
}
