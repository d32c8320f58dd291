import 'recording-status/solid';

export function Recording(props: { meetingId: string }) {
  return (
    <recording-status
      meeting-id={props.meetingId}
      proxy-url="/api/proxy"
      token-endpoint="/api/token"
      on:recording-status-change={(event) => console.log(event.detail.status)}
    />
  );
}
