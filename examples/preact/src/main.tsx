import { render } from 'preact';
import { Recording } from './Recording.js';

render(<Recording meetingId={new URLSearchParams(location.search).get('meeting') ?? ''} />, document.body);
