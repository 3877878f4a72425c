// A user's overview: balance, spend over time, redeem a code.
import { html, useState } from '../lib.js';
import { get, post } from '../api.js';
import { t } from '../i18n.js';
import { count, nanoToUsd, usd } from '../format.js';
import { ErrorNote, Field, Page, formValues, useAction, useLoad } from '../ui.js';
import { SeriesChart, WindowSelect } from '../series.js';

export function MyHome() {
  const me = useLoad(() => get('/api/user/me'), []);
  const [window, setWindow] = useState('day');
  const m = me.data;
  return html`<${Page} title=${t('Overview')} actions=${html`<${WindowSelect} value=${window} onChange=${setWindow} />`}>
    <${ErrorNote} error=${me.error} />
    ${m && html`<div class="cards">
      <div class="card stat"><span>${t('Balance')}</span><strong data-test="my-balance">${usd(m.balance_usd ?? nanoToUsd(m.balance_nano))}</strong></div>
      <div class="card stat"><span>${t('Used')}</span><strong>${usd(nanoToUsd(m.used_nano))}</strong></div>
      <div class="card stat"><span>${t('Requests')}</span><strong>${count(m.request_count)}</strong></div>
      <div class="card stat"><span>${t('Group')}</span><strong>${m.group}</strong></div>
    </div>`}
    <${SeriesChart} path="/api/user/usage/series" window=${window} />
    <${Redeem} onDone=${me.reload} />
  <//>`;
}

function Redeem({ onDone }) {
  const { error, busy, run } = useAction();
  const [credited, setCredited] = useState(null);
  const submit = (event) => {
    const v = formValues(event);
    run(async () => {
      const answer = await post('/api/user/redeem', { code: v.code.trim() });
      setCredited(nanoToUsd(answer.credited_nano));
      event.target.reset();
      onDone();
    });
  };
  return html`<form class="panel form" onSubmit=${submit} data-test="redeem-form"><h2>${t('Redeem a code')}</h2>
    <${Field} label=${t('Code')}><input name="code" required autocomplete="off" /><//>
    <${ErrorNote} error=${error} />
    ${credited && html`<p class="ok" data-test="redeemed">${t('{amount} added to your balance.', { amount: usd(credited) })}</p>`}
    <div class="actions"><button type="submit" data-test="redeem" disabled=${busy}>${t('Redeem')}</button></div>
  </form>`;
}
