import { mount } from 'svelte';
import Recording from './Recording.svelte';

mount(Recording, {
  target: document.body,
  props: { meetingId: new URLSearchParams(location.search).get('meeting') ?? '' },
});
