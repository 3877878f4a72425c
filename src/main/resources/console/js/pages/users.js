// Users: list (paged), create with an opening balance; a row opens the user's page.
import { html, useState } from '../lib.js';
import { get, post } from '../api.js';
import { t } from '../i18n.js';
import { count, time, usd } from '../format.js';
import { navigate } from '../router.js';
import { Badge, ErrorNote, Field, Modal, Page, Table, formValues, useAction, useLoad } from '../ui.js';
import { Invites } from './invites.js';

const PAGE = 50;

export function Users() {
  const [offset, setOffset] = useState(0);
  const [creating, setCreating] = useState(false);
  const { data, error } = useLoad(() => get('/api/admin/users', { limit: PAGE, offset }), [offset]);
  const rows = data && data.data;
  return html`<${Page} title=${t('Users and keys')} actions=${html`<button type="button" data-test="new-user"
      onClick=${() => setCreating(true)}>${t('New user')}</button>`}>
    <${ErrorNote} error=${error} />
    <${Table} testId="users" rows=${rows} onRow=${(u) => navigate(`/console/users/${u.id}`)} columns=${[
      { label: 'ID', render: (u) => u.id, cls: 'num' },
      { label: t('Name'), render: (u) => html`<a href=${`/console/users/${u.id}`}>${u.name}</a>` },
      { label: t('Group'), render: (u) => u.group },
      { label: t('Status'), render: (u) => html`<${Badge} tone=${u.status === 'active' ? 'good' : 'bad'}>${t(u.status)}<//>
        ${u.is_admin && html` <${Badge} tone="warn">${t('operator')}<//>`}` },
      { label: t('Balance'), render: (u) => usd(u.balance), cls: 'num' },
      { label: t('Used'), render: (u) => usd(u.used), cls: 'num' },
      { label: t('Requests'), render: (u) => count(u.request_count), cls: 'num' },
      { label: t('Created'), render: (u) => time(u.created_at) },
    ]} />
    <div class="pager">
      <button type="button" class="secondary" disabled=${offset === 0} onClick=${() => setOffset(Math.max(0, offset - PAGE))}>${t('Previous')}</button>
      <button type="button" class="secondary" disabled=${!rows || rows.length < PAGE} onClick=${() => setOffset(offset + PAGE)}>${t('Next')}</button>
    </div>
    <${Invites} />
    ${creating && html`<${NewUser} onClose=${() => setCreating(false)} />`}
  <//>`;
}

function NewUser({ onClose }) {
  const { error, busy, run } = useAction();
  const groups = useLoad(() => get('/api/admin/groups'), []);
  const submit = (event) => {
    const v = formValues(event);
    run(async () => {
      const body = { name: v.name.trim(), group: v.group, balance: v.balance || '0', is_admin: v.is_admin };
      if (v.password) body.password = v.password;
      const user = await post('/api/admin/users', body);
      navigate(`/console/users/${user.id}`);
    });
  };
  return html`<${Modal} title=${t('New user')} onClose=${onClose}>
    <form class="form" onSubmit=${submit} data-test="user-form">
      <${Field} label=${t('Name')}><input name="name" required maxlength="128" /><//>
      <${Field} label=${t('Group')}><${GroupSelect} groups=${groups.data} value="default" /><//>
      <${Field} label=${t('Opening balance (USD)')}><input name="balance" inputmode="decimal" placeholder="0.00" /><//>
      <${Field} label=${t('Console password')} hint=${t('Optional: lets the user sign in to the console')}>
        <input name="password" type="password" autocomplete="new-password" minlength="8" /><//>
      <label class="check"><input type="checkbox" name="is_admin" /> ${t('Operator (may use the admin pages)')}</label>
      <${ErrorNote} error=${error} />
      <div class="actions"><button type="button" class="secondary" onClick=${onClose}>${t('Cancel')}</button>
        <button type="submit" data-test="save" disabled=${busy}>${t('Create')}</button></div>
    </form>
  <//>`;
}

export function GroupSelect({ groups, value, name = 'group' }) {
  const names = groups ? groups.data.map((g) => g.name) : [value];
  return html`<select name=${name} value=${value}>${names.map((n) => html`<option value=${n}>${n}</option>`)}</select>`;
}
