// The Worker a host deploys: the package's routes, your own check for /token, and the two Durable Objects.
import { createRecordingWorker, RecordingHub, UpstreamBudget } from 'recording-status/server/cloudflare';

export { RecordingHub, UpstreamBudget };

export default createRecordingWorker({
  // Who may watch what: your own session check. Here: signed-in viewers (a session cookie), without download
  // links. Answer true, false, or { download: false }.
  authorize: (request) => (request.headers.get('Cookie')?.includes('session=') ? { download: false } : false),
});
