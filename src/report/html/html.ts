import { escapeHtml } from './escape.js';

/**
 * A tagged template for HTML that escapes every interpolated value unless it is already
 * SafeHtml, so a scenario string can only reach the page as text. Arrays are joined; null,
 * undefined and false print nothing (for `${cond && html`...`}`).
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function render(v: Interpolation): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!));
  return new SafeHtml(out);
}

/** Markup made by our own code (an SVG drawing, the inlined script): trusted as it is. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

export type Cell = Interpolation | { text: Interpolation; className?: string; title?: string };

/**
 * A table; `numeric` marks right-aligned columns. Cells may carry a class (e.g. "bad" for a
 * loss) and a title shown on hover.
 */
export function table(headers: readonly string[], rows: readonly (readonly Cell[])[], numeric: readonly boolean[] = []): SafeHtml {
  const cls = (i: number, extra?: string) => [numeric[i] ? 'num' : '', extra ?? ''].filter(Boolean).join(' ');
  const cell = (c: Cell, i: number) => {
    const isObject = typeof c === 'object' && c !== null && !(c instanceof SafeHtml) && !Array.isArray(c);
    const { text, className, title } = isObject
      ? (c as { text: Interpolation; className?: string; title?: string })
      : { text: c as Interpolation, className: undefined, title: undefined };
    return html`<td${cls(i, className) ? html` class="${cls(i, className)}"` : ''}${title ? html` title="${title}"` : ''}>${text}</td>`;
  };
  return html`<div class="table-wrap"><table><thead><tr>${headers.map((h, i) => html`<th${numeric[i] ? html` class="num"` : ''}>${h}</th>`)}</tr></thead><tbody>${rows.map((r) => html`<tr>${r.map(cell)}</tr>`)}</tbody></table></div>`;
}
