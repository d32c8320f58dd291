/** The events `<recording-status>` fires, as typed `Event` subclasses. */
import type { ErrorKind } from './api/errors.js';
import type { Recording, RecordingStatus } from './lifecycle.js';

export interface RecordingStatusChangeDetail {
  readonly status: RecordingStatus;
  readonly previousStatus: RecordingStatus | null;
  readonly recording: Recording;
}

export interface RecordingStatusErrorDetail {
  readonly kind: ErrorKind;
  /** For developers; never contains the token. */
  readonly message: string;
  readonly httpStatus?: number;
  readonly willRetry: boolean;
  /** Milliseconds until the next attempt, when `willRetry`. */
  readonly retryIn?: number;
}

/** Fired once per change of the shown status, including the first one known. */
export class RecordingStatusChangeEvent extends Event {
  static readonly eventName = 'recording-status-change';
  readonly detail: RecordingStatusChangeDetail;

  constructor(detail: RecordingStatusChangeDetail) {
    super(RecordingStatusChangeEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

/** Fired once per failed attempt to get the recording's status. */
export class RecordingStatusErrorEvent extends Event {
  static readonly eventName = 'recording-status-error';
  readonly detail: RecordingStatusErrorDetail;

  constructor(detail: RecordingStatusErrorDetail) {
    super(RecordingStatusErrorEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface HTMLElementEventMap {
    'recording-status-change': RecordingStatusChangeEvent;
    'recording-status-error': RecordingStatusErrorEvent;
  }
  // The events bubble and are composed, so hosts often listen on the document.
  interface DocumentEventMap {
    'recording-status-change': RecordingStatusChangeEvent;
    'recording-status-error': RecordingStatusErrorEvent;
  }
}
