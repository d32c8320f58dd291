/** Registers `<recording-status>`. Importing this module is the only side effect the package has. */
import { RecordingStatusElement } from './recording-status.js';

export { RecordingStatusElement };
// The JSX typings (React 19, Preact, Solid) come with the registration, not only with the index.
export type { RecordingStatusAttributes } from './jsx.js';

RecordingStatusElement.define();

declare global {
  interface HTMLElementTagNameMap {
    'recording-status': RecordingStatusElement;
  }
}
