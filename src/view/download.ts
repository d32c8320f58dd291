/**
 * Whether a server-supplied download URL may become a link. Only `https:` (or `http:` on a loopback host,
 * for local development) and only before its expiry: a `javascript:` or `data:` URL is never rendered.
 */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function safeDownloadUrl(url: string | null, expiresAt: Date | null, now: number): string | null {
  if (url === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const allowed = parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname));
  if (!allowed) return null;
  if (expiresAt !== null && expiresAt.getTime() <= now) return null;
  return parsed.href;
}
