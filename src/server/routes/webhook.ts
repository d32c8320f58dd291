/**
 * `POST /webhook`: RealtimeKit's signed `recording.statusUpdate`, verified over the raw bytes before anything is
 * parsed, then handed to the hub with its delivery (uuid and body digest). Superseded by
 * `src/server/webhook/route.ts` (`webhookRoute`), which mounts the same way.
 */
import { Hono } from 'hono';
import type { Hub } from '../hub.js';
import { MAX_WEBHOOK_BYTES, parseWebhook, type Verdict } from '../webhook.js';
import { failure } from './answers.js';

export type WebhookCounters = Record<
  'accepted' | 'duplicates' | 'ignored' | 'badSignature' | 'malformed' | 'tooLarge' | 'noKey',
  number
>;

export const webhookCounters = (): WebhookCounters => ({
  accepted: 0,
  duplicates: 0,
  ignored: 0,
  badSignature: 0,
  malformed: 0,
  tooLarge: 0,
  noKey: 0,
});

export interface WebhookRouteConfig {
  readonly hub: Hub;
  readonly verify: (body: Uint8Array<ArrayBuffer>, signature: string | null) => Promise<Verdict>;
  readonly log: (line: string) => void;
  /** Counted here, read by stats(). */
  readonly webhooks: WebhookCounters;
}

/** SHA-256 of the raw body, base64url: what de-duplicates a delivery replayed under a new `rtk-uuid`. */
export async function bodyDigest(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let binary = '';
  for (const byte of hash) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function webhookRoute(config: WebhookRouteConfig) {
  const { hub, log, webhooks } = config;
  /** Said once per outage of the webhook key, not once per refused delivery. */
  let keyMissingSaid = false;
  const app = new Hono();
  app.post('/webhook', async (c) => {
    const declared = Number(c.req.header('Content-Length') ?? 0);
    if (declared > MAX_WEBHOOK_BYTES) {
      webhooks.tooLarge++;
      return failure(c, 413, 'The webhook body is too large.');
    }
    const bytes = await readAtMost(c.req.raw, MAX_WEBHOOK_BYTES);
    if (bytes === null) {
      webhooks.tooLarge++;
      return failure(c, 413, 'The webhook body is too large.');
    }
    // Verify before anything is parsed: the signature covers these exact bytes.
    const verdict = await config.verify(bytes, c.req.header('rtk-signature') ?? null);
    if (verdict === 'no-key') {
      webhooks.noKey++;
      if (!keyMissingSaid) {
        keyMissingSaid = true;
        log('recording-status server: the webhook public key could not be fetched; deliveries are refused with 503.');
      }
      return failure(c, 503, 'The webhook key is not available yet.', { 'Retry-After': '10' });
    }
    keyMissingSaid = false;
    if (verdict === 'invalid') {
      webhooks.badSignature++;
      return failure(c, 401, 'The webhook signature is missing or does not verify.');
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
      return c.json({ success: true, ignored: true });
    }
    const delivery = { uuid: c.req.header('rtk-uuid') ?? null, digest: await bodyDigest(bytes) };
    if ((await hub.receive(parsed.update, delivery)) === 'duplicate') {
      webhooks.duplicates++;
      return c.json({ success: true, duplicate: true });
    }
    webhooks.accepted++;
    return c.json({ success: true });
  });
  return app;
}

/** The request body, or null when it is longer than `limit` bytes (read no further than that). */
async function readAtMost(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
