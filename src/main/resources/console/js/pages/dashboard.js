// Operator dashboard: totals and chart over a window, breakdowns, channels' live state, tasks, ledger health.
import { html, useState } from '../lib.js';
import { get } from '../api.js';
import { t } from '../i18n.js';
import { count, time, usd } from '../format.js';
import { Badge, ErrorNote, Page, Table, useLoad } from '../ui.js';
import { SeriesChart, WindowSelect, windowStart } from '../series.js';

export function Dashboard() {
  const [window, setWindow] = useState('day');
  const [by, setBy] = useState('model');
  const from = windowStart(window);
  const summary = useLoad(() => get('/api/admin/logs/summary', { group_by: by, from }), [by, window]);
  const total = summary.data ? summary.data.total : null;
  return html`<${Page} title=${t('Dashboard')} actions=${html`<${WindowSelect} value=${window} onChange=${setWindow} />`}>
    <div class="cards" data-test="totals">
      <${Card} label=${t('Spend')} value=${total && usd(total.cost)} test="total-cost" />
      <${Card} label=${t('Requests')} value=${total && count(total.requests)} test="total-requests" />
      <${Card} label=${t('Input tokens')} value=${total && count(total.prompt_tokens)} />
      <${Card} label=${t('Output tokens')} value=${total && count(total.completion_tokens)} />
    </div>
    <${SeriesChart} path="/api/admin/stats/series" window=${window} query=${{ by: 'none' }} />
    <div class="panel">
      <div class="panel-head"><h2>${t('Breakdown')}</h2>
        <select data-test="group-by" value=${by} onChange=${(e) => setBy(e.target.value)}>
          <option value="model">${t('By model')}</option><option value="channel">${t('By channel')}</option>
          <option value="user">${t('By user')}</option></select></div>
      <${ErrorNote} error=${summary.error} />
      <${Table} testId="breakdown" rows=${summary.data && summary.data.data} columns=${[
        { label: t(by === 'model' ? 'Model' : by === 'channel' ? 'Channel' : 'User'),
          render: (r) => String(r.model ?? r.channel_id ?? r.user_id ?? '—') },
        { label: t('Requests'), render: (r) => count(r.requests), cls: 'num' },
        { label: t('Tokens'), render: (r) => count(r.prompt_tokens + r.completion_tokens), cls: 'num' },
        { label: t('Spend'), render: (r) => usd(r.cost), cls: 'num' },
      ]} />
    </div>
    <div class="grid2">
      <${ChannelState} />
      <div><${LedgerHealth} /><${TaskCounts} /></div>
    </div>
  <//>`;
}

function Card({ label, value, test }) {
  return html`<div class="card stat"><span>${label}</span><strong data-test=${test}>${value ?? '…'}</strong></div>`;
}

export function channelState(c) {
  if (!c.enabled) return [c.status_reason ? t('Auto-disabled') : t('Disabled'), 'bad'];
  const h = c.health || {};
  if (h.retry_after_until && Date.parse(h.retry_after_until) > Date.now()) return [t('Resting'), 'warn'];
  if (h.breaker === 'open') return [t('Breaker open'), 'bad'];
  if (h.breaker === 'half_open') return [t('Half open'), 'warn'];
  return [t('Healthy'), 'good'];
}

function ChannelState() {
  const { data, error } = useLoad(() => get('/api/admin/channels'), []);
  return html`<div class="panel"><h2>${t('Channels')}</h2><${ErrorNote} error=${error} />
    <${Table} testId="channel-state" rows=${data && data.data} columns=${[
      { label: t('Name'), render: (c) => c.name },
      { label: t('State'), render: (c) => { const [label, tone] = channelState(c); return html`<${Badge} tone=${tone}>${label}<//>`; } },
      { label: t('Detail'), render: (c) => c.status_reason
        || (c.health && c.health.retry_after_until ? t('Retry after {time}', { time: time(c.health.retry_after_until) }) : '')
        || (c.health && c.health.recent_failures ? t('{n} recent failures', { n: c.health.recent_failures }) : '') },
    ]} /></div>`;
}

function LedgerHealth() {
  const { data, error } = useLoad(() => get('/api/admin/ledger'), []);
  return html`<div class="panel" data-test="ledger"><h2>${t('Ledger')}</h2><${ErrorNote} error=${error} />
    ${data && html`<dl class="facts">
      <dt>${t('Store writable')}</dt><dd><${Badge} tone=${data.store_writable ? 'good' : 'bad'}>${data.store_writable ? t('Yes') : t('No')}<//></dd>
      <dt>${t('Queued')}</dt><dd>${count(data.queued)}</dd>
      <dt>${t('Oldest unwritten')}</dt><dd>${data.oldest_unwritten_ms} ms</dd>
      <dt>${t('Dead letters')}</dt><dd><${Badge} tone=${data.dead_letters ? 'bad' : 'good'}>${count(data.dead_letters)}<//></dd>
      ${data.last_failure && html`<dt>${t('Last failure')}</dt><dd>${data.last_failure}</dd>`}
    </dl>`}</div>`;
}

function TaskCounts() {
  const { data, error } = useLoad(() => get('/api/admin/tasks/summary'), []);
  return html`<div class="panel"><h2>${t('Tasks')}</h2><${ErrorNote} error=${error} />
    <${Table} testId="task-counts" rows=${data && data.data} empty=${t('No tasks yet.')} columns=${[
      { label: t('Family · status'), render: (r) => r.family + ' · ' + r.status },
      { label: t('Tasks'), render: (r) => count(r.tasks), cls: 'num' },
    ]} /></div>`;
}
