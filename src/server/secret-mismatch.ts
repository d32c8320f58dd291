/**
 * The hint for the likeliest set-up mistake: viewer tokens minted with another secret than this server's. They
 * are refused like any bad token (401, nothing said about why), so the host is told here instead, in the log, at
 * most once a minute, with how many failed: never a token or a secret.
 */
import type { Clock } from '../platform.js';

/** The shortest time between two hints. */
export const SECRET_MISMATCH_EVERY_MS = 60_000;

/** Says, at most once every SECRET_MISMATCH_EVERY_MS, that tokens failed their signature; returns the reporter. */
export function secretMismatchHint(clock: Clock, log: (line: string) => void): () => void {
  let saidAt: number | null = null;
  let failed = 0;
  return () => {
    failed++;
    const now = clock.now();
    if (saidAt !== null && now - saidAt < SECRET_MISMATCH_EVERY_MS) return;
    const since = saidAt === null ? '' : ' since the last such line';
    log(
      `recording-status server: ${failed} viewer ${failed === 1 ? 'token' : 'tokens'} failed the signature check${since}. ` +
        "If your app mints them (createViewerToken, createTokenHandler), its secret may differ from this server's " +
        'RECORDING_STATUS_TOKEN_SECRET (tokenSecret): both must be the same.',
    );
    saidAt = now;
    failed = 0;
  };
}
