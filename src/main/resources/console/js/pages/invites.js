// Invite links: each lets one person create an account in a group.
import { html, useState } from '../lib.js';
import { del, get, post } from '../api.js';
import { t } from '../i18n.js';
import { isoOfLocal, time } from '../format.js';
import { Badge, ErrorNote, Field, ShownOnce, Table, formValues, useAction, useLoad } from '../ui.js';
import { GroupSelect } from './users.js';

export function Invites() {
  const invites = useLoad(() => get('/api/admin/invites'), []);
  const groups = useLoad(() => get('/api/admin/groups'), []);
  const [link, setLink] = useState(null);
  const { error, busy, run } = useAction();
  const submit = (event) => {
    const v = formValues(event);
    const body = { group: v.group };
    if (v.expires_at) body.expires_at = isoOfLocal(v.expires_at);
    run(async () => { setLink((await post('/api/admin/invites', body)).url); invites.reload(); });
  };
  const revoke = (i) => run(async () => { await del(`/api/admin/invites/${i.id}`); invites.reload(); });
  return html`<div class="panel"><h2>${t('Invite links')}</h2>
    <${ErrorNote} error=${invites.error || error} />
    <${Table} testId="invites" rows=${invites.data && invites.data.data} empty=${t('No invites yet.')} columns=${[
      { label: 'ID', render: (i) => i.id, cls: 'num' },
      { label: t('Group'), render: (i) => i.group },
      { label: t('Status'), render: (i) => html`<${Badge} tone=${i.status === 'active' ? 'good' : ''}>${t(i.status)}<//>` },
      { label: t('Used by'), render: (i) => (i.used_by == null ? '' : `#${i.used_by} ${time(i.used_at)}`) },
      { label: t('Expires'), render: (i) => (i.expires_at ? time(i.expires_at) : t('never')) },
      { label: '', cls: 'row-actions', render: (i) => i.status === 'active'
        && html`<button type="button" class="secondary" onClick=${() => revoke(i)}>${t('Revoke')}</button>` },
    ]} />
    <form class="form inline" onSubmit=${submit}>
      <${Field} label=${t('Group')}><${GroupSelect} groups=${groups.data} value="default" /><//>
      <${Field} label=${t('Expires')}><input name="expires_at" type="datetime-local" /><//>
      <button type="submit" data-test="new-invite" disabled=${busy}>${t('Create invite link')}</button>
    </form>
    ${link && html`<${ShownOnce} title=${t('Invite link')} secret=${link} onClose=${() => setLink(null)} />`}
  </div>`;
}
