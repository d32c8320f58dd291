/**
 * The Worker's side of the hubs: the `Hub` the routes speak to, each call sent to the Durable Object of its
 * target. A follower gets its own hibernatable WebSocket to the hub (Workers let no request use another's
 * socket), whose first message is the snapshot and every later one a change.
 */
import { targetKey, type Target } from '../../api/rest.js';
import type { RawRecording } from '../../api/schema.js';
import type { Delivery, Following, Hub, HubListener, ReadResult } from '../hub.js';
import type { HubEvent, ReadFailure } from '../snapshot.js';
import type { RecordingUpdate } from '../webhook/payload.js';
import type { HubBindings } from './protocol.js';
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

  /** A stub per call: a Worker request may not use another's. */
  #hub(target: Target) {
    return this.#bindings.RECORDING_HUB.getByName(targetKey(target));
  }

  async read(target: Target, viewer?: string): Promise<ReadResult> {
    try {
      return await this.#hub(target).read(viewer);
    } catch {
      return lost;
    }
  }

  async active(meetingId: string, viewer?: string): Promise<ReadResult> {
    try {
      return await this.#hub({ kind: 'meeting', id: meetingId }).active(viewer);
    } catch {
      return lost;
    }
  }

  inMeeting(recordingId: string, meetingId: string): Promise<boolean> {
    return this.#hub({ kind: 'meeting', id: meetingId }).inMeeting(recordingId);
  }

  /**
   * The recording's hub first: it de-duplicates and may know the recording's invoked_time, which its meeting's
   * hub needs to place it. The meeting's hub hears of every delivery too (it de-duplicates its own), so a
   * retried delivery that failed halfway still reaches it.
   */
  async receive(update: RecordingUpdate, delivery: Delivery): Promise<'applied' | 'duplicate'> {
    const own = await this.#hub({ kind: 'recording', id: update.id }).receive(update, delivery);
    if (update.meetingId !== null) {
      const recording: RawRecording | null = own.recording;
      await this.#hub({ kind: 'meeting', id: update.meetingId }).receive(update, delivery, recording);
    }
    return own.verdict;
  }

  async follow(
    target: Target,
    listener: HubListener,
    onEnd?: () => void,
    viewer?: string,
  ): Promise<Following | ReadFailure> {
    let response: Response;
    try {
      const query = viewer === undefined ? '' : `?${new URLSearchParams({ viewer })}`;
      response = await this.#hub(target).fetch(
        new Request(`https://hub/follow${query}`, { headers: { Upgrade: 'websocket' } }),
      );
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
