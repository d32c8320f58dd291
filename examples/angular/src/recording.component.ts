import { Component, CUSTOM_ELEMENTS_SCHEMA, input } from '@angular/core';
import 'recording-status/define';
import { RecordingStatusChangeEvent } from 'recording-status';

@Component({
  selector: 'app-recording',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `<recording-status
    [attr.meeting-id]="meetingId()"
    proxy-url="/api/proxy"
    token-endpoint="/api/token"
    (recording-status-change)="onChange($event)"
  ></recording-status>`,
})
export class RecordingComponent {
  readonly meetingId = input.required<string>();
  // Angular types a custom element's events as Event; the class narrows it, detail and all.
  onChange(event: Event) {
    if (event instanceof RecordingStatusChangeEvent) console.log(event.detail.status);
  }
}
