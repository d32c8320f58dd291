import 'recording-status/define';

const widget = document.createElement('recording-status');
widget.recordingId = new URLSearchParams(location.search).get('recording');
widget.proxyUrl = '/api/proxy';
widget.tokenEndpoint = '/api/token';
widget.addEventListener('recording-status-change', (event) => {
  console.log(event.detail.status, event.detail.recording.outputFileName);
});
document.body.append(widget);
