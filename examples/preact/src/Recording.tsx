import 'recording-status/define';

export function Recording({ meetingId }: { meetingId: string }) {
  return (
    <recording-status
      meeting-id={meetingId}
      proxy-url="/api/proxy"
      token-endpoint="/api/token"
      onrecording-status-change={(event) => console.log(event.detail.status)}
    />
  );
}
