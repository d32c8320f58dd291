import { css, unsafeCSS } from 'lit';

/**
 * Colours are chosen for ≥ 4.5:1 text and ≥ 3:1 indicator contrast on the default surfaces, light and dark
 * (checked in test/recording-status.styles.test.ts). Only logical properties, so RTL needs no overrides.
 */
const base = css`
  /*
   * light-dark() follows the colour scheme the page declares, inherited or set on the element, in CSS or in
   * a <meta name="color-scheme">: no script reads it, so every element on a page agrees, whenever it rendered.
   * A page that declares none is light, as its own canvas is; \`light dark\` follows the user's preference.
   * Forced colours replace these colours with system ones (see the end of this sheet).
   */
  :host {
    --_accent: var(--recording-status-accent, light-dark(#1d4ed8, #79b8ff));
    --_success: var(--recording-status-success, light-dark(#15803d, #56d364));
    --_danger: var(--recording-status-danger, light-dark(#b91c1c, #ff7b72));
    --_muted: var(--recording-status-muted, light-dark(#57606a, #9da7b3));
    --_surface: var(--recording-status-surface, light-dark(#ffffff, #161b22));
    --_text: var(--recording-status-text, light-dark(#1f2328, #e6edf3));
    --_radius: var(--recording-status-radius, 0.5rem);

    display: block;
    container-type: inline-size;
    font-family: var(--recording-status-font, system-ui, sans-serif);
    font-size: 0.9375rem;
    line-height: 1.4;
    max-inline-size: 100%;
  }

  .base {
    color: var(--_text);
    background: var(--_surface);
    border-radius: var(--_radius);
    padding: 0.75rem 1rem;
  }

  :host([hidden]) {
    display: none;
  }

  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }

  .steps {
    display: flex;
    list-style: none;
    margin: 0;
    padding: 0;
    gap: 0;
  }

  .step {
    position: relative;
    flex: 1 1 0;
    display: flex;
    flex-direction: column;
    align-items: center;
    text-align: center;
    gap: 0.375rem;
    min-inline-size: 0;
    color: var(--_muted);
  }

  /* The connector to the previous step: drawn, not content, so assistive technology never meets it. */
  .step + .step::before {
    content: '';
    position: absolute;
    inset-block-start: calc(0.875rem - 1px);
    inset-inline-end: calc(50% + 1.125rem);
    inline-size: calc(100% - 2.25rem);
    border-block-start: 2px solid var(--_muted);
  }
  .step.complete + .step::before,
  .step.complete + .step.current::before,
  .step.complete + .step.failed::before {
    border-block-start-color: var(--_success);
  }

  .indicator {
    display: inline-grid;
    place-items: center;
    inline-size: 1.75rem;
    block-size: 1.75rem;
    border-radius: 50%;
    border: 2px solid var(--_muted);
    box-sizing: border-box;
    background: var(--_surface);
  }
  .complete .indicator {
    border-color: var(--_success);
    color: var(--_success);
  }
  .current .indicator {
    border-color: var(--_accent);
    color: var(--_accent);
    border-width: 3px;
  }
  .failed .indicator {
    border-color: var(--_danger);
    color: var(--_danger);
    border-style: double;
    border-width: 4px;
  }
  .complete,
  .current,
  .failed {
    color: var(--_text);
  }
  .current .label,
  .failed .label {
    font-weight: 600;
  }

  .current:not(.paused) .indicator svg {
    animation: pulse 1.6s ease-in-out infinite;
  }
  @keyframes pulse {
    50% {
      opacity: 0.35;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .current:not(.paused) .indicator svg {
      animation: none;
    }
  }

  .badge {
    font-weight: normal;
  }

  .description {
    margin: 0.75rem 0 0;
  }

  .details {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.25rem 1rem;
    margin: 0.75rem 0 0;
  }
  .row {
    display: contents;
  }
  dt {
    color: var(--_muted);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .relative,
  .expires {
    color: var(--_muted);
  }

  .download {
    margin: 0.75rem 0 0;
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: baseline;
  }
  a {
    color: var(--_accent);
    font-weight: 600;
  }

  .notice {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    margin: 0.75rem 0 0;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--_danger);
    border-inline-start-width: 4px;
    border-radius: var(--_radius);
    color: var(--_text);
  }
  .notice-icon {
    color: var(--_danger);
    display: inline-flex;
  }
  .retry {
    font: inherit;
    color: var(--_accent);
    background: transparent;
    border: 1px solid currentColor;
    border-radius: var(--_radius);
    padding: 0.125rem 0.625rem;
    cursor: pointer;
    margin-inline-start: auto;
  }

  a:focus-visible,
  .retry:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }

  @container (max-width: 30rem) {
    .details {
      grid-template-columns: 1fr;
    }
  }

  :host([compact]) .description,
  :host([compact]) .details {
    display: none;
  }
`;

/**
 * The vertical layout, written once: forced by the attribute here, and chosen by the element itself when it
 * is too narrow for four columns (the container query below, made from the same rules).
 */
const vertical = css`
  :host([orientation='vertical']) .steps {
    flex-direction: column;
    gap: 0.75rem;
  }
  :host([orientation='vertical']) .step {
    flex-direction: row;
    text-align: start;
    gap: 0.625rem;
  }
  :host([orientation='vertical']) .step + .step::before {
    inset-block-start: auto;
    inset-block-end: calc(100% - 0.0625rem);
    inset-inline-start: calc(0.875rem - 1px);
    inset-inline-end: auto;
    inline-size: 0;
    block-size: 0.75rem;
    border-block-start: 0;
    border-inline-start: 2px solid var(--_muted);
  }
  :host([orientation='vertical']) .step.complete + .step::before {
    border-inline-start-color: var(--_success);
  }
`;
const narrow = unsafeCSS(
  `@container (max-width: 30rem) {${vertical.cssText.replace(/:host\([^)]*\)/g, ":host(:not([orientation='horizontal']))")}}`,
);

const forcedColors = css`
  /*
   * Forced colours: system colours only, and shape (border style and width, icon) to tell the states apart.
   * Selectors match the specificity of the state rules above, or those would win.
   * Text gets its system colour in so many words, fill included: Chromium otherwise reports
   * -webkit-text-fill-color (which axe reads first) as the unforced scheme colour while painting the forced one.
   */
  @media (forced-colors: active) {
    .base,
    .step,
    .complete,
    .current,
    .failed,
    dt,
    .relative,
    .expires,
    .notice {
      color: CanvasText;
      -webkit-text-fill-color: CanvasText;
    }
    a {
      color: LinkText;
      -webkit-text-fill-color: LinkText;
    }
    .retry {
      color: ButtonText;
      -webkit-text-fill-color: ButtonText;
    }
    .step .indicator,
    .complete .indicator,
    .failed .indicator,
    .upcoming .indicator {
      border-color: CanvasText;
      color: CanvasText;
      background: Canvas;
    }
    .current .indicator {
      border-color: Highlight;
      color: Highlight;
      background: Canvas;
    }
    .upcoming .indicator {
      border-style: dashed;
    }
    .step + .step::before,
    .step.complete + .step::before,
    .step.complete + .step.current::before,
    .step.complete + .step.failed::before {
      border-color: CanvasText;
    }
    .notice,
    .notice-icon {
      border-color: CanvasText;
      color: CanvasText;
    }
  }
`;

export const styles = [base, vertical, narrow, forcedColors];
