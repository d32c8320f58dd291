/** Step indicator shapes: state is told by shape as well as colour, so it survives greyscale and forced colours. */
import { svg, type SVGTemplateResult } from 'lit';
import type { StepState } from '../lifecycle.js';

const frame = (content: SVGTemplateResult) =>
  svg`<svg viewBox="0 0 16 16" width="16" height="16" focusable="false" aria-hidden="true">${content}</svg>`;

export const stepIcons: Record<StepState, SVGTemplateResult> = {
  complete: frame(
    svg`<path d="M3.5 8.5l3 3 6-7" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>`,
  ),
  current: frame(svg`<circle cx="8" cy="8" r="4" fill="currentColor"/>`),
  upcoming: frame(svg``),
  failed: frame(
    svg`<path d="M4.5 4.5l7 7m0-7l-7 7" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>`,
  ),
};

export const pausedIcon = frame(
  svg`<path d="M5.5 4v8M10.5 4v8" stroke="currentColor" stroke-width="2.5" stroke-linecap="round"/>`,
);

export const warningIcon = frame(
  svg`<path d="M8 1.5l7 13H1z" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/><path d="M8 6v4M8 12v.5" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>`,
);
