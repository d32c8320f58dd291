/**
 * The demo's Worker (`npm run worker`): the package's Worker with a `/token` route whose "host app" lets
 * everyone watch everything, as the Node demo does. A real host checks its own session in `authorize`.
 */
import { createRecordingWorker } from '../src/server/cloudflare/index.js';

export { RecordingHub, UpstreamBudget } from '../src/server/cloudflare/index.js';

export default createRecordingWorker({ authorize: () => true });
