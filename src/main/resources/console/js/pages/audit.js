// The audit log: every admin action, who did it and on what, newest first.
import { html, useState } from '../lib.js';
import { get } from '../api.js';
import { t } from '../i18n.js';
import { time } from '../format.js';
import { Badge, ErrorNote, Page, Table, useLoad } from '../ui.js';

export function Audit() {
  const [cursors, setCursors] = useState([null]);
  const before = cursors[cursors.length - 1];
  const { data, error } = useLoad(() => get('/api/admin/audit', { before_id: before, limit: 50 }), [before]);
  return html`<${Page} title=${t('Audit log')}>
    <${ErrorNote} error=${error} />
    <${Table} testId="audit" rows=${data && data.data} columns=${[
      { label: t('Time'), render: (r) => time(r.time) },
      { label: t('Who'), render: (r) => r.actor },
      { label: t('Action'), render: (r) => html`<code>${r.action}</code>` },
      { label: t('Target'), render: (r) => r.target || '' },
      { label: t('Status'), render: (r) => html`<${Badge} tone=${r.status < 400 ? 'good' : 'bad'}>${r.status}<//>` },
      { label: t('Request'), render: (r) => html`<code>${r.request_id || ''}</code>` },
    ]} />
    <div class="pager">
      <button type="button" class="secondary" disabled=${cursors.length < 2} onClick=${() => setCursors(cursors.slice(0, -1))}>${t('Previous')}</button>
      <button type="button" class="secondary" disabled=${!data || data.next_before_id == null}
        onClick=${() => setCursors([...cursors, data.next_before_id])}>${t('Next')}</button>
    </div>
  <//>`;
}
