import { RecordingStatus } from 'recording-status/react';

export function Recording({ recordingId }: { recordingId: string }) {
  return (
    <RecordingStatus
      recordingId={recordingId}
      proxyUrl="/api/proxy"
      tokenEndpoint="/api/token"
      onRecordingStatusChange={(event) => console.log(event.detail.status)}
      onRecordingStatusError={(event) => console.warn(event.detail.kind)}
    />
  );
}
