/** The `<ol>` of four steps. Each says its state in words as well as shape and colour. */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { StepView } from '../lifecycle.js';
import { fill, pascal, type Strings } from '../i18n/strings.js';
import { pausedIcon, stepIcons } from './icons.js';

export interface StepperModel {
  readonly steps: readonly StepView[];
  readonly paused: boolean;
  readonly label: string | null;
  readonly strings: Strings;
}

export function renderStepper({ steps, paused, label, strings }: StepperModel): TemplateResult {
  const name = label ? fill(strings.stepsLabelNamed, { label }) : strings.stepsLabel;
  return html`<ol part="steps" class="steps" aria-label=${name}>
    ${steps.map((view) => {
      const isPaused = paused && view.step === 'RECORDING';
      const parts = `step step-${view.state}${view.current && view.state !== 'current' ? ' step-current' : ''}`;
      return html`<li
        part=${parts}
        class="step ${view.state} ${isPaused ? 'paused' : ''}"
        aria-current=${ifDefined(view.current ? 'step' : undefined)}
      >
        <span part="indicator" class="indicator">${isPaused ? pausedIcon : stepIcons[view.state]}</span>
        <span part="label" class="label"
          >${strings[`step${pascal(view.step)}`]}${
            isPaused ? html` <span class="badge">(${strings.pausedBadge})</span>` : nothing
          }</span
        >
        <span class="visually-hidden">, ${strings[`state${pascal(view.state)}`]}</span>
      </li>`;
    })}
  </ol>`;
}
