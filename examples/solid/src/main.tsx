import { render } from 'solid-js/web';
import { Recording } from './Recording.js';

render(() => <Recording meetingId={new URLSearchParams(location.search).get('meeting') ?? ''} />, document.body);
