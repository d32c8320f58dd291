// @ts-check
/**
 * Signs the simulator's webhooks as RealtimeKit does: RSASSA-PKCS1-v1_5 with SHA-256 over the raw body,
 * base64 in `rtk-signature`, with a key pair made at start whose public key is served like RealtimeKit's
 * `/.well-known/webhooks.json` (`data.publicKey`, PEM, SPKI). WebCrypto only, so it runs in Node and browsers.
 */

/** @param {ArrayBuffer} buffer */
const base64 = (buffer) => {
  let binary = '';
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary);
};

export class WebhookSigner {
  /** @param {CryptoKeyPair} keys @param {string} publicKeyPem */
  constructor(keys, publicKeyPem) {
    this.keys = keys;
    this.publicKeyPem = publicKeyPem;
    this.deliveries = 0;
  }

  static async create() {
    const keys = /** @type {CryptoKeyPair} */ (
      await crypto.subtle.generateKey(
        { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
        true,
        ['sign', 'verify'],
      )
    );
    const spki = await crypto.subtle.exportKey('spki', keys.publicKey);
    const lines = base64(spki).match(/.{1,64}/g) ?? [];
    return new WebhookSigner(keys, `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`);
  }

  /** The body of RealtimeKit's `/.well-known/webhooks.json`. */
  keyDocument() {
    return JSON.stringify({ success: true, data: { publicKey: this.publicKeyPem } });
  }

  /** @param {string} body @returns {Promise<string>} the base64 signature of the body's UTF-8 bytes */
  async sign(body) {
    return base64(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', this.keys.privateKey, new TextEncoder().encode(body)));
  }

  /**
   * A delivery as RealtimeKit sends it: the signed body and its headers.
   * @param {unknown} payload
   * @returns {Promise<{ body: string, headers: Record<string, string> }>}
   */
  async delivery(payload) {
    const body = JSON.stringify(payload);
    this.deliveries++;
    return {
      body,
      headers: {
        'Content-Type': 'application/json',
        'rtk-signature': await this.sign(body),
        // RealtimeKit's delivery ids are UUIDs; the server takes nothing else for one.
        'rtk-uuid': crypto.randomUUID(),
        'rtk-webhook-id': 'sim-webhook',
      },
    };
  }
}
