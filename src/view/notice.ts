/** The short "updates are failing" notice, shown while the last good state stays on screen. */
import { html, type TemplateResult } from 'lit';
import { fill, pascal, type Strings } from '../i18n/strings.js';
import type { RecordingStatusErrorDetail } from '../events.js';
import { warningIcon } from './icons.js';

/** "Connection lost, retrying in 8 s." or "Not allowed to see this recording. Updates have stopped." */
export function noticeText(error: RecordingStatusErrorDetail, strings: Strings, lang: string): string {
  const problem = strings[`problem${pascal(error.kind)}`];
  if (!error.willRetry || error.retryIn === undefined) return fill(strings.noticeStopped, { problem });
  const seconds = Math.max(1, Math.round(error.retryIn / 1000));
  const time = new Intl.NumberFormat(lang, { style: 'unit', unit: 'second', unitDisplay: 'short' }).format(seconds);
  return fill(strings.noticeRetrying, { problem, time });
}

export function renderNotice(
  error: RecordingStatusErrorDetail,
  strings: Strings,
  lang: string,
  onRetry: () => void,
): TemplateResult {
  return html`<div part="notice" class="notice">
    <span class="notice-icon">${warningIcon}</span>
    <span class="notice-text">${noticeText(error, strings, lang)}</span>
    ${
      error.kind === 'config'
        ? ''
        : html`<button part="retry" type="button" class="retry" @click=${onRetry}>${strings.retryNow}</button>`
    }
  </div>`;
}
