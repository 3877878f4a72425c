// Spend, requests, errors and latency over a window, as chart series (shared by the operator and user pages).
import { html, useState } from './lib.js';
import { t } from './i18n.js';
import { TimeChart } from './chart.js';
import { ErrorNote, useLoad } from './ui.js';
import { get } from './api.js';

export const WINDOWS = [
  { value: 'hour', label: 'Last hour', ms: 3600e3 },
  { value: 'day', label: 'Last 24 hours', ms: 86400e3 },
  { value: 'month', label: 'Last 30 days', ms: 30 * 86400e3 },
];

export function windowStart(window) {
  return new Date(Date.now() - WINDOWS.find((w) => w.value === window).ms).toISOString();
}

export function WindowSelect({ value, onChange }) {
  return html`<select data-test="window" value=${value} onChange=${(e) => onChange(e.target.value)}>
    ${WINDOWS.map((w) => html`<option value=${w.value}>${t(w.label)}</option>`)}</select>`;
}

const METRICS = [
  { value: 'spend', label: 'Spend (USD)', pick: (b) => Number(b.spend_nano) / 1e9 },
  { value: 'requests', label: 'Requests', pick: (b) => b.requests },
  { value: 'errors', label: 'Errors', pick: (b) => b.errors },
  { value: 'latency', label: 'Latency p50 / p95 (ms)' },
];

const p50 = (b) => b.p50_latency_ms ?? b.latency_p50_ms ?? null;
const p95 = (b) => b.p95_latency_ms ?? b.latency_p95_ms ?? null;

/** A chart of path (answering {buckets}) for the window, with a metric picker. */
export function SeriesChart({ path, window, query }) {
  const [metric, setMetric] = useState('spend');
  const { data, error } = useLoad(() => get(path, { window, ...(query || {}) }), [path, window]);
  const buckets = data ? data.buckets || [] : null;
  const times = buckets ? buckets.map((b) => Date.parse(b.start) / 1000) : null;
  const chosen = METRICS.find((m) => m.value === metric);
  const series = !buckets ? null : metric === 'latency'
    ? [{ label: 'p50', values: buckets.map(p50) }, { label: 'p95', values: buckets.map(p95) }]
    : [{ label: t(chosen.label), values: buckets.map(chosen.pick) }];
  return html`<div class="panel">
    <div class="panel-head"><h2>${t('Over time')}</h2>
      <select data-test="metric" value=${metric} onChange=${(e) => setMetric(e.target.value)}>
        ${METRICS.map((m) => html`<option value=${m.value}>${t(m.label)}</option>`)}</select></div>
    <${ErrorNote} error=${error} />
    ${buckets && html`<${TimeChart} times=${times} series=${series} money=${metric === 'spend'} />`}
  </div>`;
}
