/** Registers `<recording-status>`. Importing this module is the only side effect the package has. */
import { RecordingStatusElement } from './recording-status.js';

export { RecordingStatusElement };

RecordingStatusElement.define();

declare global {
  interface HTMLElementTagNameMap {
    'recording-status': RecordingStatusElement;
  }
}
