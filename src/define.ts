/** Registers `<recording-status>`. Importing this module is the only side effect the package has. */
import { RecordingStatusElement } from './recording-status.js';

export { RecordingStatusElement };

if (!customElements.get('recording-status')) {
  customElements.define('recording-status', RecordingStatusElement);
}

declare global {
  interface HTMLElementTagNameMap {
    'recording-status': RecordingStatusElement;
  }
}
