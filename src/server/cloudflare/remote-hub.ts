/**
 * The Worker's side of the hubs: the `Hub` the routes speak to, each call sent to the Durable Object of its
 * target. A follower gets its own hibernatable WebSocket to the hub (Workers let no request use another's
 * socket), whose first message is the snapshot and every later one a change.
 */
import type { Delivery, Following, Hub, HubListener, ReadResult } from '../hub.js';
import type { HubEvent, HubTarget, ReadFailure } from '../snapshot.js';
import type { RecordingUpdate } from '../webhook/payload.js';
import { hubName, TARGET_HEADER, type HubBindings, type ReceiveAnswer, type ReceiveCall } from './protocol.js';
import { answerSocket } from './runtime.js';

const lost: ReadFailure = {
  ok: false,
  kind: 'unavailable',
  status: 503,
  message: 'The recording hub could not be reached; try again shortly.',
  retryAfterSeconds: 1,
};

export class RemoteHub implements Hub {
  readonly #bindings: HubBindings;

  constructor(bindings: HubBindings) {
    this.#bindings = bindings;
  }

  #call(target: HubTarget, path: string, body?: unknown): Promise<Response> {
    const name = hubName(target);
    return this.#bindings.RECORDING_HUB.getByName(name).fetch(
      new Request(`https://hub${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          [TARGET_HEADER]: name,
          ...(path === '/follow' ? { Upgrade: 'websocket' } : {}),
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
  }

  async #json<T>(target: HubTarget, path: string, body?: unknown): Promise<T> {
    const response = await this.#call(target, path, body);
    if (!response.ok) throw new Error(`The hub answered HTTP ${response.status}.`);
    return (await response.json()) as T;
  }

  async read(target: HubTarget): Promise<ReadResult> {
    try {
      return await this.#json<ReadResult>(target, '/read', {});
    } catch {
      return lost;
    }
  }

  async active(meetingId: string): Promise<ReadResult> {
    try {
      return await this.#json<ReadResult>({ kind: 'meeting', id: meetingId }, '/active', {});
    } catch {
      return lost;
    }
  }

  async inMeeting(recordingId: string, meetingId: string): Promise<boolean> {
    const answer = await this.#json<{ seen: boolean }>({ kind: 'meeting', id: meetingId }, '/in-meeting', {
      recordingId,
    });
    return answer.seen;
  }

  /**
   * The recording's hub first: it de-duplicates and may know the recording's invoked_time, which its meeting's
   * hub needs to place it. The meeting's hub hears of every delivery too (it de-duplicates its own), so a
   * retried delivery that failed halfway still reaches it.
   */
  async receive(update: RecordingUpdate, delivery: Delivery): Promise<'applied' | 'duplicate'> {
    const call: ReceiveCall = { update, delivery };
    const own = await this.#json<ReceiveAnswer>({ kind: 'recording', id: update.id }, '/receive', call);
    if (update.meetingId !== null) {
      await this.#json<ReceiveAnswer>({ kind: 'meeting', id: update.meetingId }, '/receive', {
        ...call,
        recording: own.recording,
      });
    }
    return own.verdict;
  }

  async follow(target: HubTarget, listener: HubListener, onEnd?: () => void): Promise<Following | ReadFailure> {
    let response: Response;
    try {
      response = await this.#call(target, '/follow');
    } catch {
      return lost;
    }
    const socket = answerSocket(response);
    if (socket === null) {
      try {
        return (await response.json()) as ReadFailure;
      } catch {
        return lost;
      }
    }
    socket.accept();
    return new Promise((resolve) => {
      let initial: HubEvent | null = null;
      let stopped = false;
      const stop = () => {
        if (stopped) return;
        stopped = true;
        try {
          socket.close(1000, 'viewer left');
        } catch {
          // Already closed.
        }
      };
      const ended = () => {
        if (initial === null) {
          stopped = true;
          resolve(lost);
        } else if (!stopped) {
          stopped = true;
          onEnd?.();
        }
      };
      socket.addEventListener('message', ({ data }) => {
        let event: HubEvent;
        try {
          event = JSON.parse(String(data)) as HubEvent;
        } catch {
          return;
        }
        if (initial === null) {
          initial = event;
          resolve({ ok: true, initial, stop });
        } else if (!stopped) {
          listener(event);
        }
      });
      socket.addEventListener('close', ended);
      socket.addEventListener('error', ended);
    });
  }
}
