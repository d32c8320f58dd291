/** `recording-status/server`: the backend half. Web-standard only; Node glue lives in `./node`. */
export {
  createRecordingServer,
  type Authorization,
  type RecordingServer,
  type RecordingServerOptions,
  type RecordingServerStats,
} from './app.js';
export { ConfigurationError, serverOptionsFromEnv } from './options.js';
export { createViewerToken, type ViewerTarget, type ViewerTokenOptions } from './tokens.js';
