/** The `<dl>` of what is known about the recording: times, duration, size, file name, download link. */
import { html, nothing, type TemplateResult } from 'lit';
import type { Recording } from '../lifecycle.js';
import { formatDateTime, formatDuration, formatFileSize, formatRelative, isoDuration } from '../i18n/format.js';
import { fill, type Strings } from '../i18n/strings.js';
import { safeDownloadUrl } from './download.js';

export interface DetailsModel {
  readonly recording: Recording;
  readonly now: number;
  readonly lang: string;
  readonly strings: Strings;
}

/** Live while recording (from `started_time`), the API's own figure once stopped. */
export function durationOf(recording: Recording, now: number): number | null {
  // A recording that never started has no duration, whatever the API's zero says.
  if (recording.startedAt === null) return null;
  if (recording.status === 'RECORDING' || recording.status === 'PAUSED') {
    // Paused time still counts: RealtimeKit reports no pause intervals to subtract.
    return Math.max(0, Math.floor((now - recording.startedAt.getTime()) / 1000));
  }
  if (recording.durationSeconds !== null && recording.status !== 'INVOKED') return recording.durationSeconds;
  if (recording.stoppedAt !== null) {
    return Math.max(0, Math.floor((recording.stoppedAt.getTime() - recording.startedAt.getTime()) / 1000));
  }
  return null;
}

function time(date: Date, now: number, lang: string): TemplateResult {
  return html`<time datetime=${date.toISOString()}
    >${formatDateTime(date, lang)} <span class="relative">(${formatRelative(date, now, lang)})</span></time
  >`;
}

function row(term: string, value: TemplateResult | string): TemplateResult {
  return html`<div class="row">
    <dt>${term}</dt>
    <dd>${value}</dd>
  </div>`;
}

export function renderDetails({ recording, now, lang, strings }: DetailsModel): TemplateResult {
  const duration = durationOf(recording, now);
  return html`<dl part="details" class="details" aria-label=${strings.detailsLabel}>
    ${recording.invokedAt ? row(strings.detailInvoked, time(recording.invokedAt, now, lang)) : nothing}
    ${recording.startedAt ? row(strings.detailStarted, time(recording.startedAt, now, lang)) : nothing}
    ${recording.stoppedAt ? row(strings.detailStopped, time(recording.stoppedAt, now, lang)) : nothing}
    ${
      duration !== null
        ? row(
            strings.detailDuration,
            html`<time datetime=${isoDuration(duration)}>${formatDuration(duration, lang)}</time>`,
          )
        : nothing
    }
    ${recording.fileSize !== null ? row(strings.detailFileSize, formatFileSize(recording.fileSize, lang)) : nothing}
    ${recording.outputFileName ? row(strings.detailFileName, recording.outputFileName) : nothing}
  </dl>`;
}

export function renderDownload({ recording, now, lang, strings }: DetailsModel): TemplateResult | typeof nothing {
  if (recording.status !== 'UPLOADED') return nothing;
  const href = safeDownloadUrl(recording.downloadUrl, recording.downloadUrlExpiresAt, now);
  if (href === null) return nothing;
  const expires = recording.downloadUrlExpiresAt;
  return html`<p class="download">
    <a part="download" href=${href} rel="noopener noreferrer" referrerpolicy="no-referrer">${strings.download}</a>
    ${
      expires
        ? html`<span class="expires"
            >${fill(strings.downloadExpires, { time: formatRelative(expires, now, lang) })}
            <time datetime=${expires.toISOString()} class="visually-hidden"
              >${formatDateTime(expires, lang)}</time
            ></span
          >`
        : nothing
    }
  </p>`;
}
