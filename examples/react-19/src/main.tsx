import { createRoot } from 'react-dom/client';
import { Recording } from './Recording.js';

const container = document.createElement('div');
document.body.append(container);
createRoot(container).render(<Recording meetingId={new URLSearchParams(location.search).get('meeting') ?? ''} />);
