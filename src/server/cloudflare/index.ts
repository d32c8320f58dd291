/**
 * `recording-status/server/cloudflare`: the recording server on Cloudflare Workers, with a `RecordingHub`
 * Durable Object per recording or meeting and one `UpstreamBudget` object for the app. The default export is
 * the Worker built from its variables, with no `/token` route (the host's app mints viewer tokens); a host
 * that wants `/token` exports `createRecordingWorker({ authorize })` instead, or answers it with
 * `createTokenHandler`, which is re-exported here so that a Worker needs one import.
 */
import { createRecordingWorker } from './worker.js';

export {
  createRecordingWorker,
  type RecordingWorker,
  type RecordingWorkerBindings,
  type RecordingWorkerEnv,
  type RecordingWorkerOptions,
} from './worker.js';
export { RecordingHub } from './recording-hub.js';
export { createTokenHandler, type TokenHandler, type TokenHandlerOptions } from '../token-handler.js';
export type { Authorization, Authorize } from '../token-handler.js';
export { UpstreamBudget } from './upstream-budget.js';

export default createRecordingWorker();
