/**
 * Binds a Lit element to its stream: subscribes while connected, follows configuration changes, and hands
 * the element every new state and error. The element renders; this does the wiring.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RequestFailure } from '../api/errors.js';
import type { RecordingStatusErrorDetail } from '../events.js';
import type { Lease, StreamRegistry } from './registry.js';
import { sameKey, type StreamKey } from './key.js';
import {
  errorDetail,
  type Connection,
  type StreamListener,
  type StreamSettings,
  type StreamState,
} from './recording-stream.js';

/** What the element asks for: nothing (idle), a configuration problem, or a stream. */
export type StreamRequest =
  | { readonly kind: 'idle' }
  | { readonly kind: 'invalid'; readonly failure: RequestFailure }
  | { readonly kind: 'watch'; readonly key: StreamKey; readonly settings: StreamSettings };

export interface ControllerCallbacks {
  onState(state: StreamState): void;
  onError(error: RecordingStatusErrorDetail): void;
  /** How updates arrive; null whenever the element follows no stream. */
  onConnection?(connection: Connection): void;
}

/** Whether two requests need the same stream (settings aside), so nothing has to restart. */
export function sameTarget(a: StreamRequest, b: StreamRequest): boolean {
  if (a.kind === 'watch' && b.kind === 'watch') return sameKey(a.key, b.key);
  if (a.kind === 'invalid' && b.kind === 'invalid') return a.failure.message === b.failure.message;
  return a.kind === 'idle' && b.kind === 'idle';
}

export class RecordingStreamController implements ReactiveController {
  readonly #registry: StreamRegistry;
  readonly #callbacks: ControllerCallbacks;
  #request: StreamRequest = { kind: 'idle' };
  #lease: Lease | null = null;
  #unsubscribe: (() => void) | null = null;
  #connected = false;
  // A fresh listener object per subscription, so a late callback from an old stream is recognisable.
  #listener: StreamListener | null = null;

  constructor(host: ReactiveControllerHost, registry: StreamRegistry, callbacks: ControllerCallbacks) {
    this.#registry = registry;
    this.#callbacks = callbacks;
    host.addController(this);
  }

  /** Called by the element whenever its configuration may have changed. */
  configure(request: StreamRequest): void {
    const previous = this.#request;
    this.#request = request;
    if (!this.#connected) return;
    if (sameTarget(previous, request)) {
      // Same stream, perhaps a new interval or timeout: just update this subscriber's settings.
      if (request.kind === 'watch' && this.#listener && this.#lease) {
        this.#unsubscribe = this.#lease.stream.subscribe(this.#listener, request.settings);
      }
      return;
    }
    this.#detach();
    this.#attach();
  }

  hostConnected(): void {
    this.#connected = true;
    this.#attach();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#detach();
  }

  refresh(): Promise<void> {
    if (this.#request.kind === 'invalid') {
      this.#report(this.#request.failure);
      return Promise.resolve();
    }
    return this.#lease?.stream.refresh() ?? Promise.resolve();
  }

  #attach(): void {
    const request = this.#request;
    if (request.kind === 'idle') return;
    if (request.kind === 'invalid') {
      this.#report(request.failure);
      return;
    }
    const lease = this.#registry.acquire(request.key);
    const listener: StreamListener = {
      state: (state) => {
        if (this.#listener === listener) this.#callbacks.onState(state);
      },
      error: (error) => {
        if (this.#listener === listener) this.#callbacks.onError(error);
      },
      connection: (connection) => {
        if (this.#listener === listener) this.#callbacks.onConnection?.(connection);
      },
    };
    this.#lease = lease;
    this.#listener = listener;
    this.#unsubscribe = lease.stream.subscribe(listener, request.settings);
  }

  #detach(): void {
    if (this.#listener) this.#callbacks.onConnection?.(null);
    this.#listener = null;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#lease?.release();
    this.#lease = null;
  }

  #report(failure: RequestFailure): void {
    this.#callbacks.onError(errorDetail(failure, false));
  }
}
