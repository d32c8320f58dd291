/**
 * `POST /webhook` as a Hono sub-app: the body bounded in size, verified over its exact bytes before anything
 * is parsed, then handed to the hub, which applies each delivery once.
 */
import { Hono } from 'hono';
import { ID_RULE } from '../../api/ids.js';
import type { Clock } from '../../platform.js';
import type { Hub } from '../hub.js';
import { failure } from '../envelope.js';
import { readBody, SlowBody } from '../webhook/body.js';
import { digest } from '../webhook/digest.js';
import { parseWebhook } from '../webhook/payload.js';
import type { Verdict } from '../webhook/signature.js';

/** RealtimeKit's deliveries are a few kilobytes; anything this large is not one. */
export const MAX_WEBHOOK_BYTES = 64 * 1024;
/**
 * How long a delivery's body may take to arrive. RealtimeKit sends its few kilobytes at once; a sender that
 * trickles a body is cut off with 408 rather than holding the request (and its memory) open.
 */
export const WEBHOOK_BODY_MS = 5_000;

export type WebhookCounters = Record<
  | 'accepted'
  | 'duplicates'
  | 'ignored'
  | 'badSignature'
  | 'unconfirmed'
  | 'malformed'
  | 'tooLarge'
  | 'tooSlow'
  | 'noKey',
  number
>;

export const webhookCounters = (): WebhookCounters => ({
  accepted: 0,
  duplicates: 0,
  ignored: 0,
  badSignature: 0,
  unconfirmed: 0,
  malformed: 0,
  tooLarge: 0,
  tooSlow: 0,
  noKey: 0,
});

/** RealtimeKit's delivery ids are UUIDs, in their 36-character text form. */
const DELIVERY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The `rtk-uuid` header as a delivery id, or null. It is not signed: anything but RealtimeKit's shape (a sender's
 * 16 KB string, stored in a hub's row and rewritten on every change) counts as no id, and the body's digest alone
 * tells a repeat. Lowercased, so that one id is one key.
 */
export function deliveryId(header: string | undefined): string | null {
  return header !== undefined && DELIVERY_ID.test(header) ? header.toLowerCase() : null;
}

export interface WebhookRouteConfig {
  readonly hub: Pick<Hub, 'receive'>;
  readonly verify: (body: Uint8Array<ArrayBuffer>, signature: string | null) => Promise<Verdict>;
  readonly clock: Clock;
  readonly log: (line: string) => void;
  /** Counted here, read by stats(). */
  readonly webhooks: WebhookCounters;
}

export function webhookRoute(config: WebhookRouteConfig) {
  const { hub, clock, log, webhooks } = config;
  /** Said once per outage of the webhook key, not once per refused delivery. */
  let keyMissingSaid = false;
  /** Said once: signed deliveries naming ids that are none point at a host's setup or a sender's fault, not RealtimeKit's retries. */
  let badIdSaid = false;

  const limits = { maxBytes: MAX_WEBHOOK_BYTES, ms: WEBHOOK_BODY_MS, clock };

  return new Hono().post('/webhook', async (c) => {
    let bytes: Uint8Array<ArrayBuffer> | null;
    try {
      bytes = await readBody(c.req.raw, c.env, limits);
    } catch (error) {
      if (!(error instanceof SlowBody)) throw error;
      webhooks.tooSlow++;
      return failure(c, 408, 'The webhook body did not arrive in time.', { Connection: 'close' });
    }
    if (bytes === null) {
      webhooks.tooLarge++;
      return failure(c, 413, 'The webhook body is too large.');
    }
    if (bytes.byteLength === 0) {
      // RealtimeKit always sends a body: an empty one was read by something in front of this handler.
      webhooks.malformed++;
      return failure(
        c,
        400,
        'The webhook body is empty: something in front of the recording server (a body parser, a proxy) read it first.',
      );
    }
    // Verify before anything is parsed: the signature covers these exact bytes.
    const verdict = await config.verify(bytes, c.req.header('rtk-signature') ?? null);
    if (verdict.kind !== 'no-key') keyMissingSaid = false;
    switch (verdict.kind) {
      case 'valid':
        break;
      case 'invalid':
        webhooks.badSignature++;
        return failure(c, 401, 'The webhook signature is missing or does not verify.');
      case 'no-key':
        webhooks.noKey++;
        if (!keyMissingSaid) {
          keyMissingSaid = true;
          log('recording-status server: the webhook public key could not be fetched; deliveries are refused with 503.');
        }
        return failure(c, 503, 'The webhook key is not available yet.', {
          'Retry-After': String(verdict.retryAfterSeconds),
        });
      case 'unconfirmed':
        // Perhaps signed by a key rotated since ours was fetched: RealtimeKit retries a 503, by when we may look.
        webhooks.unconfirmed++;
        return failure(c, 503, 'The webhook signature does not verify with the key held; retry later.', {
          'Retry-After': String(verdict.retryAfterSeconds),
        });
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      webhooks.malformed++;
      return failure(c, 400, 'The webhook body is not UTF-8.');
    }
    const parsed = parseWebhook(text);
    if (parsed.kind === 'malformed') {
      webhooks.malformed++;
      return failure(c, 400, `The webhook payload is malformed: ${parsed.reason}.`);
    }
    if (parsed.kind === 'ignored') {
      webhooks.ignored++;
      if (parsed.badId !== undefined && !badIdSaid) {
        badIdSaid = true;
        log(
          `recording-status server: a signed delivery named a malformed ${parsed.badId} id (an id is ${ID_RULE}); it was acknowledged and ignored.`,
        );
      }
      return c.json({ success: true, ignored: true });
    }
    const delivery = { uuid: deliveryId(c.req.header('rtk-uuid')), digest: await digest(bytes) };
    if ((await hub.receive(parsed.update, delivery)) === 'duplicate') {
      webhooks.duplicates++;
      return c.json({ success: true, duplicate: true });
    }
    webhooks.accepted++;
    return c.json({ success: true });
  });
}
