/** `recording-status/server`: the backend half. Web-standard only; Node glue lives in `./node`. */
export {
  createRecordingServer,
  type Authorization,
  type Authorize,
  type RecordingServer,
  type RecordingServerOptions,
  type RecordingServerStats,
} from './app.js';
export { ConfigurationError } from './options/resolve.js';
export { serverOptionsFromEnv } from './options/variables.js';
export { createTokenHandler, type TokenHandler, type TokenHandlerOptions } from './token-handler.js';
export { createViewerToken, type ViewerTarget, type ViewerTokenOptions } from './tokens.js';
