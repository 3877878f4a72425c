// A user's own keys: create (shown once), revoke.
import { html, useState } from '../lib.js';
import { del, get, post } from '../api.js';
import { t } from '../i18n.js';
import { isoOfLocal, list, time, usd } from '../format.js';
import { Badge, ErrorNote, Field, Page, ShownOnce, Table, formValues, useAction, useLoad } from '../ui.js';

export function MyKeys() {
  const keys = useLoad(() => get('/api/user/keys'), []);
  const [secret, setSecret] = useState(null);
  const { error, busy, run } = useAction();
  const create = (event) => {
    const v = formValues(event);
    const body = { name: v.name || 'default' };
    if (v.models) body.models = v.models.split(',').map((s) => s.trim()).filter((s) => s);
    if (v.expires_at) body.expires_at = isoOfLocal(v.expires_at);
    run(async () => {
      const created = await post('/api/user/keys', body);
      setSecret(created.key);
      event.target.reset();
      keys.reload();
    });
  };
  const revoke = (k) => confirm(t('Revoke key {name}? Requests with it will be refused.', { name: k.name }))
    && run(async () => { await del(`/api/user/keys/${k.id}`); keys.reload(); });
  return html`<${Page} title=${t('My keys')}>
    <form class="panel form" onSubmit=${create} data-test="my-key-form"><h2>${t('New key')}</h2>
      <div class="row2">
        <${Field} label=${t('Name')}><input name="name" placeholder="default" maxlength="128" /><//>
        <${Field} label=${t('Expires')}><input name="expires_at" type="datetime-local" /><//>
      </div>
      <${Field} label=${t('Models')} hint=${t('Comma-separated; empty: every model of the group')}><input name="models" /><//>
      <${ErrorNote} error=${error} />
      <div class="actions"><button type="submit" data-test="create-key" disabled=${busy}>${t('Create')}</button></div>
    </form>
    <${ErrorNote} error=${keys.error} />
    <${Table} testId="my-keys" rows=${keys.data && keys.data.data} empty=${t('No keys yet.')} columns=${[
      { label: t('Name'), render: (k) => html`<strong>${k.name}</strong> <code>${k.hint}</code>` },
      { label: t('Status'), render: (k) => html`<${Badge} tone=${k.status === 'active' ? 'good' : 'bad'}>${t(k.status)}<//>` },
      { label: t('Models'), render: (k) => list(k.models) || t('all') },
      { label: t('Used'), render: (k) => usd(k.used), cls: 'num' },
      { label: t('Expires'), render: (k) => (k.expires_at ? time(k.expires_at) : t('never')) },
      { label: t('Last used'), render: (k) => time(k.last_used_at) },
      { label: '', cls: 'row-actions', render: (k) => k.status === 'active'
        && html`<button type="button" class="danger" data-test="revoke" onClick=${() => revoke(k)}>${t('Revoke')}</button>` },
    ]} />
    ${secret && html`<${ShownOnce} title=${t('New API key')} secret=${secret} onClose=${() => setSecret(null)} />`}
  <//>`;
}
