/**
 * JSX typings for <recording-status>, for TSX with React 19 and Preact: attributes as the element takes them,
 * and its two events. Importing 'recording-status' or 'recording-status/define' brings these in.
 */
import type { RecordingStatusChangeEvent, RecordingStatusErrorEvent } from './events.js';

/** The element's attributes, as written in markup. */
export interface RecordingStatusAttributes {
  'recording-id'?: string;
  'meeting-id'?: string;
  'proxy-url'?: string;
  'token-endpoint'?: string;
  'poll-interval'?: number | string;
  'request-timeout'?: number | string;
  /** `auto` (default): push where the proxy offers it; `poll`: never open an event stream. */
  transport?: 'auto' | 'poll';
  label?: string;
  orientation?: 'horizontal' | 'vertical';
  compact?: boolean;
  id?: string;
  class?: string;
  className?: string;
  lang?: string;
  dir?: string;
  hidden?: boolean;
  slot?: string;
  style?: unknown;
  ref?: unknown;
  key?: string | number;
  children?: unknown;
  /** React 19 attaches listeners for custom events from `on` + the event name. */
  'onrecording-status-change'?: (event: RecordingStatusChangeEvent) => void;
  'onrecording-status-error'?: (event: RecordingStatusErrorEvent) => void;
  /** Solid's `on:` namespace. */
  'on:recording-status-change'?: (event: RecordingStatusChangeEvent) => void;
  'on:recording-status-error'?: (event: RecordingStatusErrorEvent) => void;
}

declare global {
  // Any JSX that reads the global namespace.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'recording-status': RecordingStatusAttributes;
    }
  }
  // Preact's own namespace, which jsxImportSource: "preact" reads; through Preact's UMD global name, so
  // that projects without Preact see nothing (a module augmentation of 'preact' would not compile there).
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace preact.JSX {
    interface IntrinsicElements {
      'recording-status': RecordingStatusAttributes;
    }
  }
}

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'recording-status': RecordingStatusAttributes;
    }
  }
}
