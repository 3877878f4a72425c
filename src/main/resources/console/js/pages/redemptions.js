// Redemption codes: generate a batch (codes shown once), list, disable.
import { html, useState } from '../lib.js';
import { get, patch, post } from '../api.js';
import { t } from '../i18n.js';
import { isoOfLocal, time, usd } from '../format.js';
import { Badge, ErrorNote, Field, Page, ShownOnce, Table, formValues, useAction, useLoad } from '../ui.js';

/** The code texts of a creation answer, whichever list it carries them in. */
function codesOf(answer) {
  const rows = answer.codes || answer.data || [];
  return rows.map((row) => (typeof row === 'string' ? row : row.code));
}

export function Redemptions() {
  const codes = useLoad(() => get('/api/admin/redemptions'), []);
  const [created, setCreated] = useState(null);
  const { error, busy, run } = useAction();
  const submit = (event) => {
    const v = formValues(event);
    const body = { count: Number(v.count), amount_usd: v.amount_usd };
    if (v.name) body.name = v.name;
    if (v.expires_at) body.expires_at = isoOfLocal(v.expires_at);
    run(async () => {
      setCreated(codesOf(await post('/api/admin/redemptions', body)).join('\n'));
      event.target.reset();
      codes.reload();
    });
  };
  const disable = (c) => run(async () => { await patch(`/api/admin/redemptions/${c.id}`, { status: 'disabled' }); codes.reload(); });
  return html`<${Page} title=${t('Redemption codes')}>
    <form class="panel form" onSubmit=${submit} data-test="redemption-form"><h2>${t('Generate codes')}</h2>
      <div class="row2">
        <${Field} label=${t('How many')}><input name="count" type="number" min="1" max="1000" value="1" required /><//>
        <${Field} label=${t('Amount each (USD)')}><input name="amount_usd" required inputmode="decimal" /><//>
        <${Field} label=${t('Name')}><input name="name" maxlength="128" /><//>
        <${Field} label=${t('Expires')}><input name="expires_at" type="datetime-local" /><//>
      </div>
      <${ErrorNote} error=${error} />
      <div class="actions"><button type="submit" data-test="generate" disabled=${busy}>${t('Generate')}</button></div>
    </form>
    <div class="panel"><h2>${t('Codes')}</h2>
      <${ErrorNote} error=${codes.error} />
      <${Table} testId="redemptions" rows=${codes.data && codes.data.data} columns=${[
        { label: t('Code'), render: (c) => html`<code>${c.code_hint || c.code || c.masked_code || ''}</code>` },
        { label: t('Name'), render: (c) => c.name || '' },
        { label: t('Amount'), render: (c) => usd(c.amount_usd ?? c.amount), cls: 'num' },
        { label: t('Status'), render: (c) => html`<${Badge} tone=${c.status === 'active' ? 'good' : ''}>${t(c.status)}<//>` },
        { label: t('Redeemed by'), render: (c) => (c.redeemed_by == null ? '' : `#${c.redeemed_by} ${time(c.redeemed_at)}`) },
        { label: t('Expires'), render: (c) => (c.expires_at ? time(c.expires_at) : t('never')) },
        { label: '', cls: 'row-actions', render: (c) => c.status === 'active'
          && html`<button type="button" class="secondary" onClick=${() => disable(c)}>${t('Disable')}</button>` },
      ]} />
    </div>
    ${created && html`<${ShownOnce} title=${t('New codes')} secret=${created} onClose=${() => setCreated(null)} />`}
  <//>`;
}
