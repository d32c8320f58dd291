import { Component, provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { RecordingComponent } from './recording.component';

@Component({
  selector: 'app-root',
  imports: [RecordingComponent],
  template: `<app-recording [meetingId]="meetingId" />`,
})
class App {
  readonly meetingId = new URLSearchParams(location.search).get('meeting') ?? '';
}

bootstrapApplication(App, { providers: [provideZonelessChangeDetection()] }).catch((error: unknown) => {
  console.error(error);
});
