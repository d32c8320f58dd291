import { createApp, h } from 'vue';
import Recording from './Recording.vue';

const meetingId = new URLSearchParams(location.search).get('meeting') ?? '';
createApp({ render: () => h(Recording, { meetingId }) }).mount(document.body);
