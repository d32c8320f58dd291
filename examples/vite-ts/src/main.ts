import 'recording-status/define';
import { inFrench } from './french.js';

const widget = document.createElement('recording-status');
widget.recordingId = new URLSearchParams(location.search).get('recording');
widget.proxyUrl = '/api/proxy';
widget.tokenEndpoint = '/api/token';
widget.addEventListener('recording-status-change', (event) => {
  console.log(event.detail.status, event.detail.recording.outputFileName);
});
if (new URLSearchParams(location.search).get('lang') === 'fr') inFrench(widget);
document.body.append(widget);
