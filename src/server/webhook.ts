/**
 * The webhook as one import, for the modules that take several of its names: its signature, payload and route
 * live in `webhook/`, one file each.
 */
export { DEFAULT_WEBHOOK_KEY_URL, importPublicKey, WebhookVerifier, type Verdict } from './webhook/signature.js';
export type { VerifierOptions } from './webhook/signature.js';
export { isoTimestamp, parseWebhook, type Parsed, type RecordingUpdate } from './webhook/payload.js';
export { MAX_WEBHOOK_BYTES, webhookCounters, webhookRoute, type WebhookCounters } from './webhook/route.js';
