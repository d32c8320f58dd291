/**
 * What the Worker and its Durable Objects say to each other: one object per target, named after it, asked
 * over `fetch` with small JSON bodies, and a hibernatable WebSocket per viewer for the changes.
 */
import type { RawRecording } from '../../api/schema.js';
import type { BudgetGrant } from '../budget.js';
import type { Delivery } from '../hub.js';
import type { HubTarget } from '../snapshot.js';
import type { RecordingUpdate } from '../webhook/payload.js';
import type { DurableObjectNamespace } from './runtime.js';

/** The bindings the Worker and its objects read, besides the variables of `optionsFromEnv`. */
export interface HubBindings {
  readonly RECORDING_HUB: DurableObjectNamespace;
  readonly UPSTREAM_BUDGET: DurableObjectNamespace;
}

/** Every request to a hub names its target: the object learns what it is for from its first caller. */
export const TARGET_HEADER = 'x-recording-status-target';
/** Every request to the budget says the budget, so that changing the variable changes the bucket. */
export const PER_MINUTE_HEADER = 'x-recording-status-per-minute';

/** The object of a target: `recording:<id>` or `meeting:<id>`. */
export const hubName = (target: HubTarget): string => `${target.kind}:${target.id}`;

export function parseHubName(name: string | null): HubTarget | null {
  const match = /^(recording|meeting):(.+)$/s.exec(name ?? '');
  if (!match?.[1] || !match[2]) return null;
  return { kind: match[1] === 'recording' ? 'recording' : 'meeting', id: match[2] };
}

/** The one budget object of the deployment. */
export const BUDGET_NAME = 'app';

/**
 * A request to the budget object (`/grant`, `/reached`, `/health`, `/stats`), saying the budget so that
 * changing the variable changes the bucket. A stub per call: a Worker request may not use another's.
 */
export function askBudget(
  bindings: Pick<HubBindings, 'UPSTREAM_BUDGET'>,
  perMinute: number,
  path: string,
): Promise<Response> {
  return bindings.UPSTREAM_BUDGET.getByName(BUDGET_NAME).fetch(
    new Request(`https://budget${path}`, { method: 'POST', headers: { [PER_MINUTE_HEADER]: String(perMinute) } }),
  );
}

export interface ReceiveCall {
  readonly update: RecordingUpdate;
  readonly delivery: Delivery;
  /** For a meeting's hub: what the recording's own hub now holds (it may know the invoked_time). */
  readonly recording?: RawRecording | null;
}

export interface ReceiveAnswer {
  readonly verdict: 'applied' | 'duplicate';
  readonly recording: RawRecording | null;
}

export type { BudgetGrant };
