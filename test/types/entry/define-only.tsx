/**
 * Its own program (tsconfig.json beside it, in npm run lint): a TSX file that imports only
 * 'recording-status/define', as the README's React 19 example does, must get the JSX typings and typed events.
 * In the main program the index's import would bring them in and hide a regression.
 */
import '../../../src/define.js';

export function React19WithDefineOnly() {
  return (
    <recording-status
      recording-id="4c2f0a9e"
      proxy-url="/api/recording-proxy"
      transport="poll"
      onrecording-status-change={(event) => {
        const status: string = event.detail.status;
        console.log(status, event.detail.recording.outputFileName);
      }}
      onrecording-status-error={(event) => {
        console.warn(event.detail.kind, event.detail.willRetry);
      }}
    />
  );
}

export function Mistake() {
  // @ts-expect-error: orientation takes "horizontal" or "vertical"
  return <recording-status orientation="diagonal" />;
}

export const element: HTMLElement = document.createElement('recording-status');
