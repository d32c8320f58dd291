/**
 * How a viewer's feed skips the web stream under Node. The events route builds a feed but does not yet start
 * it; when the request came through this package's own Node glue (`listen`, `toNodeHandler`), which put a
 * slot in `env`, the route leaves the feed there and answers with headers only. Once every middleware has had
 * its say on those headers, the glue writes them to Node's response and starts the feed straight into it: no
 * web stream for the adapter to pump per viewer, and no Request, Response or context held for the stream's life.
 * Anywhere else (workerd, a test calling `fetch`, a host mounting `server.fetch` in its own Hono app) there is
 * no slot, and the feed is a web stream as before.
 */
import type { Feed } from './feed.js';

/**
 * Where the route leaves a feed it built and the glue starts (`feed.start`) or, if the answer changed on the way,
 * lets go of (`feed.cancel`: its subscription and its stream place).
 */
export interface FeedSlot {
  feed?: Pick<Feed, 'start' | 'cancel'>;
}

/** Only this package's Node glue has this key: no other `env` can ask for a bodiless answer by accident. */
export const FEED_SLOT: unique symbol = Symbol('recording-status feed slot');

export function feedSlotOf(env: unknown): FeedSlot | undefined {
  if (typeof env !== 'object' || env === null || !(FEED_SLOT in env)) return undefined;
  return (env as { [FEED_SLOT]: FeedSlot })[FEED_SLOT];
}
