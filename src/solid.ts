/**
 * `recording-status/solid`: registers `<recording-status>` (as `./define` does) and types it in Solid's own JSX
 * namespace, which a global JSX augmentation does not reach. A module augmentation of 'solid-js' only
 * compiles where Solid is installed, hence an entry of its own rather than part of the index.
 */
// The augmented module must be part of the program; a type-only import brings it and emits nothing.
import type {} from 'solid-js';
import type { RecordingStatusAttributes } from './jsx.js';

export { RecordingStatusElement } from './define.js';
export type { RecordingStatusAttributes } from './jsx.js';

declare module 'solid-js' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'recording-status': RecordingStatusAttributes;
    }
  }
}
