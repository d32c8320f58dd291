/**
 * `recording-status/react`: a React component for React 18 and earlier, which cannot pass properties or
 * listen to custom events on custom elements. React 19 users can use <recording-status> directly.
 * Importing this module registers the tag.
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import './define.js';
import type { RecordingStatusChangeEvent, RecordingStatusErrorEvent } from './events.js';
import { RecordingStatusElement } from './recording-status.js';

export const RecordingStatus = createComponent({
  tagName: 'recording-status',
  elementClass: RecordingStatusElement,
  react: React,
  events: {
    onRecordingStatusChange: 'recording-status-change' as EventName<RecordingStatusChangeEvent>,
    onRecordingStatusError: 'recording-status-error' as EventName<RecordingStatusErrorEvent>,
  },
  displayName: 'RecordingStatus',
});

export { RecordingStatusElement };
export type { RecordingStatusChangeEvent, RecordingStatusErrorEvent };
