/**
 * The live page's script (bundled into dist/browser/live.js, inlined in the page): follows the
 * server's event stream and draws each update with the report's own chart code (report/browser
 * draw.ts); at the end it goes to the final report. Text only through textContent: names come
 * from scenario files.
 */
import { CHART_ATTRIBUTE, type ChartSpec } from '../../report/html/chart-spec.js';
import { draw, type Slot } from '../../report/browser/draw.js';
import { readTheme } from '../../report/browser/theme.js';
import { LIVE_PATHS, type LiveFinished, type LiveMessage, type LiveRunInfo, type LiveUpdate } from '../live-messages.js';

const slots = new Map<string, Slot>();
let theme = readTheme();
let run: LiveRunInfo | null = null;
let latest: LiveUpdate | null = null;
let drawing = false;
let ended = false;

function el<T extends HTMLElement = HTMLElement>(name: string): T {
  const found = document.querySelector<T>(`[data-live-${name}]`);
  if (found === null) throw new Error(`the live page has no [data-live-${name}]`);
  return found;
}

function make<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

function setState(state: string, text: string): void {
  const pill = el('state');
  pill.dataset.liveState = state;
  pill.className = `verdict ${state}`;
  pill.textContent = text;
}

/** A new run: the page starts again from empty charts. */
function follow(r: LiveRunInfo): void {
  run = r;
  latest = null;
  for (const slot of slots.values()) slot.chart?.destroy();
  slots.clear();
  el('charts').replaceChildren();
  el('percentiles').replaceChildren();
  el('percentile-card').hidden = true;
  el('figures').replaceChildren();
  el('timeline').replaceChildren();
  el('timeline-count').textContent = '0';
  el('label').textContent = r.label;
  el('run').textContent = r.count > 1 ? `run ${r.index} of ${r.count} · ${r.scenario} · ${r.transport}` : `${r.scenario} · ${r.transport}`;
  el('phase').textContent = '-';
  el('elapsed').textContent = '';
  document.title = `zmq-bench live: ${r.label}`;
  if (!ended) setState('live', 'live');
}

/** The box a chart is drawn in, as the report's chartBox(), placed where the spec order puts it. */
function slotFor(spec: ChartSpec, order: readonly ChartSpec[]): Slot {
  const known = slots.get(spec.id);
  if (known) return known;
  const figure = make('figure', undefined, 'chart');
  figure.append(make('figcaption', spec.title));
  const box = make('div', undefined, `chart-box ${spec.kind === 'percentile' ? 'tall' : 'normal'}`);
  box.setAttribute(CHART_ATTRIBUTE, spec.id);
  box.setAttribute('role', 'img');
  box.setAttribute('aria-label', spec.title);
  const canvas = make('canvas');
  box.append(canvas);
  figure.append(box);
  const container = spec.kind === 'percentile' ? el('percentiles') : el('charts');
  const next = order.slice(order.indexOf(spec) + 1).find((s) => slots.has(s.id) && s.kind === spec.kind);
  container.insertBefore(figure, next ? (slots.get(next.id)!.box.parentElement ?? null) : null);
  const slot: Slot = { box, canvas, spec, chart: null };
  slots.set(spec.id, slot);
  return slot;
}

function render(u: LiveUpdate): void {
  el('phase').textContent = u.phase ?? '-';
  if (u.elapsedMs !== null && run !== null) {
    const s = u.elapsedMs / 1000;
    el('elapsed').textContent =
      s < 0 ? `warm-up, ${(-s).toFixed(1)} s to go` : `${s.toFixed(1)} s of ${(run.durationMs / 1000).toFixed(1)} s`;
  }
  el('point').textContent = u.pointMs > 0 ? `Each point covers ${u.pointMs} ms.` : '';
  el('figures').replaceChildren(
    ...u.figures.map((f) => {
      const box = make('div', undefined, 'figure');
      box.dataset.figure = f.name;
      box.append(make('dt', f.label), make('dd', f.text), make('small', f.detail));
      return box;
    }),
  );
  const ids = new Set(u.charts.map((c) => c.id));
  for (const [id, slot] of slots) {
    if (ids.has(id)) continue;
    slot.chart?.destroy();
    slot.box.parentElement?.remove();
    slots.delete(id);
  }
  for (const spec of u.charts) {
    const slot = slotFor(spec, u.charts);
    slot.spec = spec;
    draw(slot, theme);
  }
  el('percentile-card').hidden = !u.charts.some((c) => c.kind === 'percentile');
  el('timeline-count').textContent = String(u.timeline.total);
  el('timeline').replaceChildren(
    ...u.timeline.rows.map((cells) => {
      const tr = make('tr');
      tr.dataset.kind = cells[1]?.text ?? '';
      tr.append(...cells.map((c, i) => make('td', c.text, [i === 0 ? 'num' : '', c.bad ? 'bad' : ''].filter(Boolean).join(' '))));
      return tr;
    }),
  );
}

/** Draws the latest update once per frame, however many came since. */
function scheduleDraw(): void {
  if (drawing) return;
  drawing = true;
  requestAnimationFrame(() => {
    drawing = false;
    if (latest !== null) render(latest);
  });
}

function finished(f: LiveFinished): void {
  const card = el('finished');
  card.hidden = false;
  const li = make('li');
  const link = make('a', f.label);
  link.href = f.report;
  li.append(make('span', undefined, `dot ${f.status}`), link, make('span', ` · ${f.verdict}`));
  li.dataset.status = f.status;
  card.querySelector('ul')?.append(li);
  if (run?.index === f.index && !ended) setState(f.status, f.verdict);
}

function failed(label: string, lines: readonly string[]): void {
  const box = el('problems');
  box.hidden = false;
  box.append(make('strong', `${label} did not run`), ...lines.map((l) => make('div', l)));
}

function handle(m: LiveMessage): void {
  switch (m.type) {
    case 'run':
      follow(m.run);
      break;
    case 'update':
      if (m.update.index !== run?.index) return;
      latest = m.update;
      scheduleDraw();
      break;
    case 'finished':
      finished(m.finished);
      break;
    case 'failed':
      failed(m.label, m.lines);
      break;
    case 'end':
      ended = true;
      if (m.report !== null) {
        setState('ended', 'done: loading the report');
        location.replace(m.report);
      } else setState('failed', 'done: no run made a report (see the console)');
      break;
  }
}

function start(): void {
  const events = new EventSource(LIVE_PATHS.events);
  events.onopen = () => {
    if (!ended) setState(run ? 'live' : 'waiting', run ? 'live' : 'waiting for a run');
  };
  // After the end the stream stays open until the report replaces the page: the server closes
  // once every page has left, and leaving first could close it before the report was asked for.
  events.onerror = () => {
    if (ended) events.close();
    else setState('lost', 'connection lost: retrying');
  };
  events.onmessage = (e: MessageEvent<string>) => {
    try {
      handle(JSON.parse(e.data) as LiveMessage);
    } catch (err) {
      console.error(`zmq-bench live: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  // Colours live in the chart options: a theme switch means drawing again.
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    theme = readTheme();
    if (latest !== null) render(latest);
  });
}

start();
