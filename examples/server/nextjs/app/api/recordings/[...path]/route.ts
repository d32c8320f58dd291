// Every route of the recording server (reads, /events, /webhook, /healthz) under /api/recordings: a
// route handler takes the server's fetch as it is. Next leaves the body unread, so webhooks verify.
import { recordings } from '../../../../lib/recordings';

export const dynamic = 'force-dynamic';

const handler = (request: Request) => recordings().fetch(request);
export { handler as GET, handler as POST, handler as OPTIONS };
