// A user's keys as the operator sees them: create (shown once), settings, limits, revoke.
import { html, useState } from '../lib.js';
import { get, patch, post, put } from '../api.js';
import { t } from '../i18n.js';
import { count, isoOfLocal, list, splitList, time, usd } from '../format.js';
import { Badge, ErrorNote, Field, Modal, ShownOnce, Table, formValues, useAction, useLoad } from '../ui.js';

export function UserKeys({ user }) {
  const keys = useLoad(() => get(`/api/admin/users/${user.id}/keys`), [user.id]);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState(null);
  const [secret, setSecret] = useState(null);
  const action = useAction();
  const setStatus = (k, status) => action.run(async () => { await patch(`/api/admin/keys/${k.id}`, { status }); keys.reload(); });
  return html`<div class="panel">
    <div class="panel-head"><h2>${t('API keys')}</h2>
      <button type="button" data-test="new-key" onClick=${() => setCreating(true)}>${t('New key')}</button></div>
    <${ErrorNote} error=${keys.error || action.error} />
    <${Table} testId="keys" rows=${keys.data && keys.data.data} empty=${t('No keys yet.')} columns=${[
      { label: t('Name'), render: (k) => html`<strong>${k.name}</strong> <code>${k.hint}</code>` },
      { label: t('Status'), render: (k) => html`<${Badge} tone=${k.status === 'active' ? 'good' : 'bad'}>${t(k.status)}<//>` },
      { label: t('Models'), render: (k) => list(k.models) || t('all') },
      { label: t('Spend limit'), render: (k) => (k.spend_limit == null ? t('none') : usd(k.spend_limit)), cls: 'num' },
      { label: t('Used'), render: (k) => usd(k.used), cls: 'num' },
      { label: t('Requests'), render: (k) => count(k.request_count), cls: 'num' },
      { label: t('Expires'), render: (k) => (k.expires_at ? time(k.expires_at) : t('never')) },
      { label: t('Last used'), render: (k) => time(k.last_used_at) },
      { label: '', cls: 'row-actions', render: (k) => html`
        <button type="button" class="secondary" onClick=${() => setEditing(k)}>${t('Edit')}</button>
        ${k.status === 'active'
          ? html`<button type="button" class="danger" data-test="revoke" onClick=${() => setStatus(k, 'disabled')}>${t('Revoke')}</button>`
          : html`<button type="button" class="secondary" onClick=${() => setStatus(k, 'active')}>${t('Enable')}</button>`}` },
    ]} />
    ${creating && html`<${NewKey} user=${user} onClose=${() => setCreating(false)}
        onCreated=${(k) => { setCreating(false); setSecret(k.key); keys.reload(); }} />`}
    ${secret && html`<${ShownOnce} title=${t('New API key')} secret=${secret} onClose=${() => setSecret(null)} />`}
    ${editing && html`<${EditKey} apiKey=${editing} onClose=${() => { setEditing(null); keys.reload(); }} />`}
  </div>`;
}

function NewKey({ user, onClose, onCreated }) {
  const { error, busy, run } = useAction();
  const submit = (event) => {
    const v = formValues(event);
    const body = { name: v.name || 'default', models: splitList(v.models) };
    if (v.spend_limit) body.spend_limit = v.spend_limit;
    if (v.expires_at) body.expires_at = isoOfLocal(v.expires_at);
    run(async () => onCreated(await post(`/api/admin/users/${user.id}/keys`, body)));
  };
  return html`<${Modal} title=${t('New key for {name}', { name: user.name })} onClose=${onClose}>
    <form class="form" onSubmit=${submit} data-test="key-form">
      <${Field} label=${t('Name')}><input name="name" placeholder="default" maxlength="128" /><//>
      <${Field} label=${t('Models')} hint=${t('Comma-separated; empty: every model of the group')}><input name="models" /><//>
      <div class="row2">
        <${Field} label=${t('Spend limit (USD)')}><input name="spend_limit" inputmode="decimal" /><//>
        <${Field} label=${t('Expires')}><input name="expires_at" type="datetime-local" /><//>
      </div>
      <${ErrorNote} error=${error} />
      <div class="actions"><button type="button" class="secondary" onClick=${onClose}>${t('Cancel')}</button>
        <button type="submit" data-test="save" disabled=${busy}>${t('Create')}</button></div>
    </form>
  <//>`;
}

function EditKey({ apiKey, onClose }) {
  const limits = useLoad(() => get(`/api/admin/keys/${apiKey.id}/limits`), [apiKey.id]);
  const { error, busy, run } = useAction();
  const int = (value) => (value === '' ? null : Number(value));
  const submit = (event) => {
    const v = formValues(event);
    run(async () => {
      await patch(`/api/admin/keys/${apiKey.id}`, { name: v.name, models: splitList(v.models),
        spend_limit: v.spend_limit || null, expires_at: isoOfLocal(v.expires_at) });
      await put(`/api/admin/keys/${apiKey.id}/limits`, { rpm_limit: int(v.rpm_limit), tpm_limit: int(v.tpm_limit),
        max_concurrent: int(v.max_concurrent) });
      onClose();
    });
  };
  const l = limits.data || {};
  const local = apiKey.expires_at ? new Date(Date.parse(apiKey.expires_at) - new Date().getTimezoneOffset() * 60e3)
    .toISOString().slice(0, 16) : '';
  return html`<${Modal} title=${t('Key {name}', { name: apiKey.name })} onClose=${onClose}>
    <form class="form" onSubmit=${submit}>
      <${Field} label=${t('Name')}><input name="name" required value=${apiKey.name} /><//>
      <${Field} label=${t('Models')}><input name="models" value=${list(apiKey.models)} /><//>
      <div class="row2">
        <${Field} label=${t('Spend limit (USD)')}><input name="spend_limit" value=${apiKey.spend_limit ?? ''} /><//>
        <${Field} label=${t('Expires')}><input name="expires_at" type="datetime-local" value=${local} /><//>
      </div>
      <div class="row3">
        <${Field} label=${t('Requests per minute')}><input name="rpm_limit" type="number" min="1" value=${l.rpm_limit ?? ''} /><//>
        <${Field} label=${t('Tokens per minute')}><input name="tpm_limit" type="number" min="1" value=${l.tpm_limit ?? ''} /><//>
        <${Field} label=${t('Concurrent requests')}><input name="max_concurrent" type="number" min="1" value=${l.max_concurrent ?? ''} /><//>
      </div>
      <${ErrorNote} error=${error || limits.error} />
      <div class="actions"><button type="button" class="secondary" onClick=${onClose}>${t('Cancel')}</button>
        <button type="submit" disabled=${busy}>${t('Save')}</button></div>
    </form>
  <//>`;
}
