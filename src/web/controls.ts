// The form of <landscape-lab>, built from a descriptor's fields: a number input per int or number
// field (its range as min/max), a text input per list or path, a select per choice, a checkbox
// per switch; the field's help and range as the title, and a slot beside each for its error.
// Text goes back out by flag, unparsed: state.ts reads it with the CLI's own checks.
import { EXPERIMENTS } from '../registry.js';
import { rangeText, type Field } from '../experiment/fields.js';
import type { Experiment } from '../experiment/descriptor.js';
import { PAGE_PROFILES, WORKERS_FIELD, fieldText, pageFields, type PageProfile } from './state.js';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const options = (values: readonly string[], chosen: string, label: (v: string) => string = (v) => v) =>
  values.map((v) => `<option value="${esc(v)}"${v === chosen ? ' selected' : ''}>${esc(label(v))}</option>`).join('');

function input(f: Field, v: unknown): string {
  const k = f.kind;
  const name = `name="${esc(f.flag)}"`;
  switch (k.type) {
    case 'bool': return `<input type="checkbox" ${name}${v ? ' checked' : ''}>`;
    case 'choice': return `<select ${name}>${options(k.choices, String(v))}</select>`;
    case 'int': return `<input type="number" ${name} min="${k.min}" max="${k.max}" step="1" value="${esc(fieldText(f, v))}">`;
    case 'number': return `<input type="number" ${name}${k.min === undefined ? '' : ` min="${k.min}"`}${k.max === undefined ? '' : ` max="${k.max}"`} step="any" value="${esc(fieldText(f, v))}">`;
    default: return `<input type="text" ${name} spellcheck="false" autocomplete="off"${f.nullable ? ' placeholder="none"' : ''} value="${esc(fieldText(f, v))}">`;
  }
}

function control(f: Field, v: unknown): string {
  const title = `${f.help}: ${rangeText(f.kind)}${f.nullable ? ' (empty: none)' : ''}`;
  const cls = f.kind.type === 'bool' ? 'field switch' : 'field';
  return `<label class="${cls}" data-flag="${esc(f.flag)}" title="${esc(title)}"><span class="flag">${esc(f.flag)}</span>${input(f, v)}<span class="error" role="alert"></span></label>`;
}

/** The whole form: experiment and profile, Run and Stop, then one control per setting, seed and workers. */
export function controlsHtml(exp: Experiment, profile: PageProfile, values: Record<string, unknown>, workers: number): string {
  const names = EXPERIMENTS.map((e) => e.name);
  const labelOf = (name: string) => EXPERIMENTS.find((e) => e.name === name)!.label;
  return `<div class="head">
  <label class="pick" title="${esc(exp.title)}"><span class="flag">experiment</span><select name="exp">${options(names, exp.name, labelOf)}</select></label>
  <label class="pick" title="the descriptor's profile the fields start from"><span class="flag">profile</span><select name="profile">${options(PAGE_PROFILES, profile)}</select></label>
  <button type="submit" name="run">Run</button><button type="button" name="stop" disabled>Stop</button>
  <span class="error" data-flag="" role="alert"></span>
</div>
<div class="fields">${pageFields(exp).map((f) => control(f, values[f.key])).join('')}${control(WORKERS_FIELD, workers)}</div>`;
}

/** Every control's text by flag (a checkbox as 'true' or 'false'). */
export function readTexts(form: HTMLFormElement): Map<string, string> {
  const texts = new Map<string, string>();
  for (const el of Array.from(form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('.fields input, .fields select'))) {
    texts.set(el.name, el instanceof HTMLInputElement && el.type === 'checkbox' ? String(el.checked) : el.value);
  }
  return texts;
}

/** Puts each message beside its field (flag '' beside the buttons) and clears the others. */
export function showErrors(form: HTMLFormElement, errors: Record<string, string>): void {
  for (const slot of Array.from(form.querySelectorAll<HTMLElement>('.error'))) {
    const flag = slot.dataset.flag ?? slot.closest<HTMLElement>('[data-flag]')?.dataset.flag ?? '';
    slot.textContent = errors[flag] ?? '';
    slot.closest('.field')?.classList.toggle('invalid', flag in errors);
  }
}
