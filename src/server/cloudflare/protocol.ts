/**
 * What the Worker and its Durable Objects say to each other: one `RecordingHub` per target, named after it and
 * called over typed RPC, with a hibernatable WebSocket per viewer for the changes; one `UpstreamBudget` for the app.
 */
import type { RawRecording } from '../../api/schema.js';
import type { BudgetGrant } from '../budget.js';
import type { Delivery, ReadResult } from '../target-hub.js';
import type { UpstreamStats } from '../upstream.js';
import type { RecordingUpdate } from '../webhook/payload.js';
import type { DurableObjectNamespace } from './runtime.js';

export interface ReceiveAnswer {
  readonly verdict: 'applied' | 'duplicate';
  readonly recording: RawRecording | null;
}

/** What a hub says of itself: for operators, tests and the benchmark, never for viewers. */
export interface HubStats {
  readonly requests: number;
  readonly follows: number;
  readonly webhooks: number;
  readonly messages: number;
  readonly alarms: number;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly upstream: UpstreamStats | null;
  readonly viewers: number;
  readonly seq: number;
  readonly alarm: number | null;
  readonly bytes: number;
}

/** A hub's RPC methods (its `fetch` only upgrades a viewer's feed to a WebSocket, at `/follow`). */
export interface HubRpc {
  /** `viewer`: whose read it is (a token's subject), for its share of the budget. */
  read(viewer?: string): Promise<ReadResult>;
  /** A meeting's hub: its active recording. */
  active(viewer?: string): Promise<ReadResult>;
  receive(update: RecordingUpdate, delivery: Delivery, recording?: RawRecording | null): Promise<ReceiveAnswer>;
  /** A meeting's hub: whether the recording was seen in it. */
  inMeeting(recordingId: string): boolean | Promise<boolean>;
  stats(): Promise<HubStats>;
}

/** The bindings the Worker and its objects read, besides the variables (`options/variables.ts`). */
export interface HubBindings {
  readonly RECORDING_HUB: DurableObjectNamespace<HubRpc>;
  readonly UPSTREAM_BUDGET: DurableObjectNamespace;
}

/** Every request to the budget says the budget, so that changing the variable changes the bucket. */
export const PER_MINUTE_HEADER = 'x-recording-status-per-minute';
/** …and a viewer's share of it. */
export const PER_VIEWER_HEADER = 'x-recording-status-per-viewer';

/** The one budget object of the deployment. */
export const BUDGET_NAME = 'app';

/**
 * A request to the budget object (`/grant`, `/reached`, `/health`, `/stats`), saying the budget so that
 * changing the variable changes the bucket. A stub per call: a Worker request may not use another's.
 */
export function askBudget(
  bindings: Pick<HubBindings, 'UPSTREAM_BUDGET'>,
  budget: { readonly perMinute: number; readonly perViewer: number },
  path: string,
): Promise<Response> {
  return bindings.UPSTREAM_BUDGET.getByName(BUDGET_NAME).fetch(
    new Request(`https://budget${path}`, {
      method: 'POST',
      headers: { [PER_MINUTE_HEADER]: String(budget.perMinute), [PER_VIEWER_HEADER]: String(budget.perViewer) },
    }),
  );
}

export type { BudgetGrant };
