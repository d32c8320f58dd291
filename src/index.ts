/** The public API, free of side effects: importing it never registers the tag (see `./define`). */
export { RecordingStatusElement } from './recording-status.js';
export {
  RecordingStatusChangeEvent,
  RecordingStatusErrorEvent,
  type RecordingStatusChangeDetail,
  type RecordingStatusErrorDetail,
} from './events.js';
export { STATUSES, STEPS, type Recording, type RecordingStatus, type Step } from './lifecycle.js';
export { ERROR_KINDS, type ErrorKind } from './api/errors.js';
export { defaultStrings, type Strings, type StringKey } from './i18n/strings.js';
export type { RecordingStatusAttributes } from './jsx.js';
export type { Transport } from './config.js';
export type { Connection } from './stream/recording-stream.js';
