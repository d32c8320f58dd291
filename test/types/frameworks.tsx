/**
 * Type-checked (npm run typecheck), not run: the README's framework examples must compile, with attributes
 * and events typed. A wrong attribute type or event detail is a compile error here.
 */
import { RecordingStatus } from '../../src/react.js';
import type { RecordingStatusElement, RecordingStatusChangeEvent } from '../../src/index.js';

// React 19: the element itself; custom events through `on` + the event name.
export function NativeReact19() {
  return (
    <recording-status
      meeting-id="7a6b5c4d"
      proxy-url="/api/recording-proxy"
      token-endpoint="/api/recording-token"
      poll-interval={3000}
      transport="auto"
      onrecording-status-change={(event) => {
        console.log(event.detail.status, event.detail.previousStatus);
      }}
      onrecording-status-error={(event) => {
        console.warn(event.detail.kind, event.detail.willRetry);
      }}
    />
  );
}

// React 18 and earlier: the @lit/react wrapper, with camelCase properties and typed event props.
export function WrappedReact18() {
  return (
    <RecordingStatus
      recordingId="4c2f0a9e"
      proxyUrl="/api/recording-proxy"
      pollInterval={3000}
      transport="poll"
      onRecordingStatusChange={(event: RecordingStatusChangeEvent) => event.detail.recording.outputFileName}
      onRecordingStatusError={(event) => event.detail.retryIn}
    />
  );
}

export function Mistakes() {
  return (
    <>
      {/* @ts-expect-error: orientation takes "horizontal" or "vertical" */}
      <recording-status orientation="diagonal" />
      {/* @ts-expect-error: transport takes "auto" or "poll" */}
      <recording-status transport="websocket" />
      {/* @ts-expect-error: connection is read-only: the element reflects it, markup never sets it */}
      <recording-status connection="push" />
      {/* @ts-expect-error: the wrapper's transport takes "auto" or "poll" */}
      <RecordingStatus transport="sse" />
      {/* @ts-expect-error: the wrapper's pollInterval is a number */}
      <RecordingStatus pollInterval="fast" />
      {/* @ts-expect-error: there is no such event */}
      <RecordingStatus onRecordingStatusExplode={() => {}} />
    </>
  );
}

// Plain DOM: createElement, querySelector and listeners are typed through the tag and event maps.
const created: RecordingStatusElement = document.createElement('recording-status');
created.addEventListener('recording-status-change', (event) => event.detail.status satisfies string);
document.addEventListener('recording-status-error', (event) => event.detail.kind satisfies string);
const found: RecordingStatusElement | null = document.querySelector('recording-status');
found;
// How updates arrive, read-only.
const connection: 'push' | 'poll' | null = created.connection;
connection;
// @ts-expect-error: connection is read-only
created.connection = 'push';
