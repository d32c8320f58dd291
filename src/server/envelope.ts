/** RealtimeKit's error envelope, which the widget reads: every refusal of the server is said this way. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The envelope's body: `{ success: false, error: { code, message } }`, for answers made outside a route too. */
export const errorBody = (status: number, message: string) => ({ success: false, error: { code: status, message } });

export function failure(c: Context, status: number, message: string, headers: Record<string, string> = {}): Response {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  c.header('Cache-Control', 'private, no-store');
  return c.json(errorBody(status, message), status as ContentfulStatusCode);
}

/** A failure with its `Retry-After`, when it has one. */
export function failureWithRetry(
  c: Context,
  result: { readonly status: number; readonly message: string; readonly retryAfterSeconds?: number },
): Response {
  return failure(
    c,
    result.status,
    result.message,
    result.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(result.retryAfterSeconds) },
  );
}
