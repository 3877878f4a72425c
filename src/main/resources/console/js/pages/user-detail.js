// One user: balance changes (ledger rows with a reason), status, group, daily cap, password, keys.
import { html, useState } from '../lib.js';
import { get, patch, post, put } from '../api.js';
import { t } from '../i18n.js';
import { count, time, usd } from '../format.js';
import { Badge, ErrorNote, Field, Page, formValues, useAction, useLoad } from '../ui.js';
import { GroupSelect } from './users.js';
import { UserKeys } from './user-keys.js';

export function UserDetail({ id }) {
  const user = useLoad(() => get(`/api/admin/users/${id}`), [id]);
  const u = user.data;
  return html`<${Page} title=${u ? u.name : t('User')}>
    <${ErrorNote} error=${user.error} />
    ${u && html`<div class="cards">
        <div class="card stat"><span>${t('Balance')}</span><strong data-test="balance">${usd(u.balance)}</strong></div>
        <div class="card stat"><span>${t('Used')}</span><strong>${usd(u.used)}</strong></div>
        <div class="card stat"><span>${t('Requests')}</span><strong>${count(u.request_count)}</strong></div>
        <div class="card stat"><span>${t('Status')}</span><strong><${Badge} tone=${u.status === 'active' ? 'good' : 'bad'}>${t(u.status)}<//></strong></div>
      </div>
      <div class="grid2">
        <${Balance} user=${u} onDone=${user.reload} />
        <${Settings} user=${u} onDone=${user.reload} />
        <${DailyCap} user=${u} />
        <${Password} user=${u} />
      </div>
      <${UserKeys} user=${u} />
      <p class="muted">${t('Created')} ${time(u.created_at)}</p>`}
  <//>`;
}

function Balance({ user, onDone }) {
  const { error, busy, run } = useAction();
  const submit = (event) => {
    const v = formValues(event);
    const amount = (v.direction === 'deduct' ? '-' : '') + v.amount.trim();
    run(async () => {
      await post(`/api/admin/users/${user.id}/topup`, { amount, note: v.note || undefined });
      event.target.reset();
      onDone();
    });
  };
  return html`<form class="panel form" onSubmit=${submit} data-test="topup-form"><h2>${t('Top up or deduct')}</h2>
    <div class="row2">
      <${Field} label=${t('Action')}><select name="direction"><option value="topup">${t('Top up')}</option>
        <option value="deduct">${t('Deduct')}</option></select><//>
      <${Field} label=${t('Amount (USD)')}><input name="amount" required inputmode="decimal" pattern="[0-9]+(\\.[0-9]{1,9})?" /><//>
    </div>
    <${Field} label=${t('Reason')} hint=${t('Kept on the ledger row')}><input name="note" maxlength="1000" /><//>
    <${ErrorNote} error=${error} />
    <div class="actions"><button type="submit" data-test="apply" disabled=${busy}>${t('Apply')}</button></div>
  </form>`;
}

function Settings({ user, onDone }) {
  const { error, busy, run } = useAction();
  const groups = useLoad(() => get('/api/admin/groups'), []);
  const submit = (event) => {
    const v = formValues(event);
    run(async () => {
      await patch(`/api/admin/users/${user.id}`, { group: v.group, status: v.status, is_admin: v.is_admin });
      onDone();
    });
  };
  return html`<form class="panel form" onSubmit=${submit} data-test="user-settings"><h2>${t('Settings')}</h2>
    <div class="row2">
      <${Field} label=${t('Group')}><${GroupSelect} groups=${groups.data} value=${user.group} /><//>
      <${Field} label=${t('Status')}><select name="status" value=${user.status}>
        <option value="active">${t('active')}</option><option value="disabled">${t('disabled')}</option></select><//>
    </div>
    <label class="check"><input type="checkbox" name="is_admin" checked=${!!user.is_admin} /> ${t('Operator (may use the admin pages)')}</label>
    <${ErrorNote} error=${error} />
    <div class="actions"><button type="submit" disabled=${busy}>${t('Save')}</button></div>
  </form>`;
}

function DailyCap({ user }) {
  const limits = useLoad(() => get(`/api/admin/users/${user.id}/limits`), [user.id]);
  const { error, busy, run } = useAction();
  const submit = (event) => {
    const v = formValues(event);
    run(async () => {
      await put(`/api/admin/users/${user.id}/limits`, { daily_spend_limit: v.daily_spend_limit || null });
      limits.reload();
    });
  };
  const l = limits.data;
  return html`<form class="panel form" onSubmit=${submit}><h2>${t('Daily spend cap')}</h2>
    ${l && html`<p class="muted">${t('Spent today')}: ${usd(l.spent_today)}</p>`}
    <${Field} label=${t('USD per UTC day (empty: no cap)')}>
      <input name="daily_spend_limit" inputmode="decimal" value=${l && l.daily_spend_limit != null ? l.daily_spend_limit : ''} /><//>
    <${ErrorNote} error=${error || limits.error} />
    <div class="actions"><button type="submit" disabled=${busy}>${t('Save')}</button></div>
  </form>`;
}

function Password({ user }) {
  const { error, busy, run } = useAction();
  const [saved, setSaved] = useState(false);
  const submit = (event) => {
    const v = formValues(event);
    run(async () => {
      await put(`/api/admin/users/${user.id}/password`, { password: v.password });
      event.target.reset();
      setSaved(true);
    });
  };
  return html`<form class="panel form" onSubmit=${submit} data-test="password-form"><h2>${t('Console password')}</h2>
    <${Field} label=${t('New password')}><input name="password" type="password" autocomplete="new-password" required minlength="8" /><//>
    <${ErrorNote} error=${error} />
    ${saved && html`<p class="ok" data-test="password-saved">${t('Password set. The user signs in with the name {name}.', { name: user.name })}</p>`}
    <div class="actions"><button type="submit" data-test="set-password" disabled=${busy}>${t('Set password')}</button></div>
  </form>`;
}
