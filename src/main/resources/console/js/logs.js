// The usage log browser shared by the operator's and the user's pages: filters, paging, row detail, CSV export.
// Paging follows the answer: keyset when it gives a next_cursor (usage logs) or next_before_id (tasks), else offset.
import { html, useState } from './lib.js';
import { get } from './api.js';
import { t } from './i18n.js';
import { count, isoOfLocal, time, usd } from './format.js';
import { Badge, ErrorNote, Field, Modal, Table, formValues, useAction, useLoad } from './ui.js';

const PAGE = 50;
const CSV_MAX_ROWS = 100000;
const CSV_COLUMNS = ['request_id', 'time', 'user_id', 'key_id', 'endpoint', 'model', 'upstream_model', 'channel_id',
  'status', 'stream', 'prompt_tokens', 'completion_tokens', 'cached_tokens', 'cache_write_tokens', 'units', 'cost',
  'latency_ms', 'first_byte_ms', 'end_reason', 'billed_basis', 'attempts', 'error'];

/** filters: [{name, label, type?}] — the query parameters this log accepts besides paging. */
export function LogBrowser({ path, filters }) {
  const [query, setQuery] = useState({});
  const [cursors, setCursors] = useState([null]); // the cursor of each page seen; the last is the current page
  const [detail, setDetail] = useState(null);
  const cursor = cursors[cursors.length - 1];
  const paging = cursor == null ? {} : cursor.keyset || { offset: cursor.offset };
  const { data, error } = useLoad(() => get(path, { ...query, ...paging, limit: PAGE }), [path, query, cursor]);
  const rows = data && data.data;
  const next = () => setCursors([...cursors, keysetAfter(data)
    ? { keyset: keysetAfter(data) } : { offset: (cursor ? cursor.offset || 0 : 0) + PAGE }]);
  const hasNext = data && (keyed(data) ? keysetAfter(data) != null : rows.length === PAGE);
  const apply = (event) => {
    const v = formValues(event);
    ['from', 'to'].forEach((name) => { if (v[name]) v[name] = isoOfLocal(v[name]); });
    setQuery(v);
    setCursors([null]);
  };
  return html`<div>
    <form class="filters" onSubmit=${apply} data-test="log-filters">
      ${filters.map((f) => html`<${Field} label=${t(f.label)}>${f.options
        ? html`<select name=${f.name}>${f.options.map((o) => html`<option value=${o}>${o ? t(o) : t('any')}</option>`)}</select>`
        : html`<input name=${f.name} type=${f.type || 'text'} inputmode=${f.numeric ? 'numeric' : undefined} />`}<//>`)}
      <button type="submit" data-test="apply-filters">${t('Filter')}</button>
      <${CsvExport} path=${path} query=${query} />
    </form>
    <${ErrorNote} error=${error} />
    <${Table} testId="logs" rows=${rows} onRow=${setDetail} empty=${t('No requests match.')} columns=${[
      { label: t('Time'), render: (r) => time(r.time) },
      { label: t('Model'), render: (r) => r.model },
      { label: t('Status'), render: (r) => html`<${Badge} tone=${r.status < 400 ? 'good' : 'bad'}>${r.status}<//>` },
      { label: t('Tokens in / out'), render: (r) => `${count(r.prompt_tokens)} / ${count(r.completion_tokens)}`, cls: 'num' },
      { label: t('Cost'), render: (r) => usd(r.cost), cls: 'num' },
      { label: t('Latency'), render: (r) => `${r.latency_ms} ms`, cls: 'num' },
      { label: t('User / key'), render: (r) => `${r.user_id} / ${r.key_id}` },
      { label: t('End'), render: (r) => t(r.end_reason) },
    ]} />
    <div class="pager">
      <button type="button" class="secondary" disabled=${cursors.length < 2} onClick=${() => setCursors(cursors.slice(0, -1))}>${t('Previous')}</button>
      <span class="muted">${t('Page {n}', { n: cursors.length })}</span>
      <button type="button" class="secondary" data-test="next-page" disabled=${!hasNext} onClick=${next}>${t('Next')}</button>
    </div>
    ${detail && html`<${LogDetail} row=${detail} onClose=${() => setDetail(null)} />`}
  </div>`;
}

function LogDetail({ row, onClose }) {
  const fields = CSV_COLUMNS.filter((name) => row[name] !== undefined);
  return html`<${Modal} title=${row.request_id} onClose=${onClose}>
    <dl class="facts" data-test="log-detail">${fields.map((name) => html`<dt>${name}</dt>
      <dd>${name === 'cost' ? usd(row.cost) : name === 'time' ? time(row.time) : String(row[name] ?? '—')}</dd>`)}</dl>
    <h3>${t('Attempts')}</h3>
    <${Table} rows=${row.attempt_log || []} empty=${t('No upstream was tried.')} columns=${[
      { label: t('Channel'), render: (a) => `${a.channel || ''} (#${a.channel_id})` },
      { label: t('Status'), render: (a) => (a.status === 0 ? t('no answer') : a.status) },
      { label: t('Error'), render: (a) => a.error || '' },
      { label: 'ms', render: (a) => a.ms, cls: 'num' },
    ]} />
  <//>`;
}

function csvCell(value) {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) || /^[=+\-@]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

/** Whether a page answer carries a keyset position for the next page (the last page's is null). */
function keyed(page) {
  return page.next_cursor !== undefined || page.next_before_id !== undefined;
}

/** The query parameters of the page after this one, or null on the last page. */
function keysetAfter(page) {
  if (page.next_cursor !== undefined) return page.next_cursor == null ? null : { cursor: page.next_cursor };
  if (page.next_before_id !== undefined) return page.next_before_id == null ? null : { before_id: page.next_before_id };
  return null;
}

/** Pages through the filtered log (1000 rows a request) and saves it as a CSV file. */
function CsvExport({ path, query }) {
  const { error, busy, run } = useAction();
  const exportCsv = () => run(async () => {
    const lines = [CSV_COLUMNS.join(',')];
    let paging = {};
    for (let total = 0; total < CSV_MAX_ROWS;) {
      const page = await get(path, { ...query, ...paging, limit: 1000 });
      page.data.forEach((r) => lines.push(CSV_COLUMNS.map((c) => csvCell(r[c])).join(',')));
      total += page.data.length;
      if (keyed(page)) {
        if (keysetAfter(page) == null) break;
        paging = keysetAfter(page);
      } else {
        if (page.data.length < 1000) break;
        paging = { offset: total };
      }
    }
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([lines.join('\r\n') + '\r\n'], { type: 'text/csv' }));
    link.download = 'usage.csv';
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });
  return html`<button type="button" class="secondary" data-test="csv" disabled=${busy} onClick=${exportCsv}>
    ${busy ? t('Exporting…') : t('Export CSV')}</button>${error && html`<span class="error">${error.message}</span>`}`;
}
