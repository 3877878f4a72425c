// The task browser shared by the operator's and the user's pages: filters, paging, detail with charge and refund.
import { html, useState } from './lib.js';
import { get } from './api.js';
import { t } from './i18n.js';
import { time, usd } from './format.js';
import { Badge, ErrorNote, Field, Modal, Table, formValues, useLoad } from './ui.js';

const PAGE = 50;
const STATUSES = ['NOT_START', 'SUBMITTED', 'QUEUED', 'IN_PROGRESS', 'MODAL', 'SUCCESS', 'FAILURE', 'CANCEL'];
const tone = (status) => (status === 'SUCCESS' ? 'good' : status === 'FAILURE' || status === 'CANCEL' ? 'bad' : 'warn');

export function TaskBrowser({ path, withUser }) {
  const [query, setQuery] = useState({});
  const [cursors, setCursors] = useState([null]);
  const [detail, setDetail] = useState(null);
  const cursor = cursors[cursors.length - 1];
  const paging = cursor == null ? {} : cursor.before_id != null ? { before_id: cursor.before_id } : { offset: cursor.offset };
  const { data, error } = useLoad(() => get(path, { ...query, ...paging, limit: PAGE }), [path, query, cursor]);
  const rows = data && data.data;
  const hasNext = data && (data.next_before_id !== undefined ? data.next_before_id != null : rows.length === PAGE);
  const next = () => setCursors([...cursors, data.next_before_id !== undefined
    ? { before_id: data.next_before_id } : { offset: (cursor ? cursor.offset || 0 : 0) + PAGE }]);
  const apply = (event) => { setQuery(formValues(event)); setCursors([null]); };
  return html`<div>
    <form class="filters" onSubmit=${apply}>
      <${Field} label=${t('Family')}><input name="family" placeholder="midjourney" /><//>
      <${Field} label=${t('Status')}><select name="status"><option value="">${t('any')}</option>
        ${STATUSES.map((s) => html`<option value=${s}>${s}</option>`)}</select><//>
      ${withUser && html`<${Field} label=${t('User ID')}><input name="user_id" inputmode="numeric" /><//>`}
      <button type="submit">${t('Filter')}</button>
    </form>
    <${ErrorNote} error=${error} />
    <${Table} testId="tasks" rows=${rows} onRow=${setDetail} empty=${t('No tasks match.')} columns=${[
      { label: t('Submitted'), render: (r) => time(r.submitted_at) },
      { label: t('Family'), render: (r) => `${r.family} · ${r.action || ''}` },
      { label: t('Status'), render: (r) => html`<${Badge} tone=${tone(r.status)}>${r.status}<//> ${r.progress || ''}` },
      { label: t('Cost'), render: (r) => usd(r.cost), cls: 'num' },
      { label: t('Refund'), render: (r) => t(r.refund_state || 'none') },
      ...(withUser ? [{ label: t('User'), render: (r) => r.user_id }] : []),
    ]} />
    <div class="pager">
      <button type="button" class="secondary" disabled=${cursors.length < 2} onClick=${() => setCursors(cursors.slice(0, -1))}>${t('Previous')}</button>
      <button type="button" class="secondary" disabled=${!hasNext} onClick=${next}>${t('Next')}</button>
    </div>
    ${detail && html`<${Modal} title=${t('Task {id}', { id: detail.id })} onClose=${() => setDetail(null)}>
      <dl class="facts" data-test="task-detail">${Object.entries(detail).map(([name, value]) => html`<dt>${name}</dt>
        <dd>${name === 'cost' ? usd(value) : value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value ?? '—')}</dd>`)}</dl>
    <//>`}
  </div>`;
}
