// Prices (each model's built-in default beside the operator's override, and which is in force) and group multipliers.
import { html, useState } from '../lib.js';
import { del, get, put } from '../api.js';
import { t } from '../i18n.js';
import { usd } from '../format.js';
import { Badge, ErrorNote, Field, Modal, Page, Table, formValues, useAction, useLoad } from '../ui.js';

const COMPONENTS = [
  ['input_per_mtok', 'Input / 1M tokens'], ['output_per_mtok', 'Output / 1M tokens'],
  ['cached_input_per_mtok', 'Cached input / 1M tokens'], ['cache_write_per_mtok', 'Cache write / 1M tokens'],
  ['per_image', 'Per image'], ['per_call', 'Per call'], ['per_second', 'Per second'],
];

export function Prices() {
  const prices = useLoad(() => get('/api/admin/prices'), []);
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState(null);
  const action = useAction();
  const rows = prices.data && prices.data.data.filter((p) => p.model.toLowerCase().includes(filter.toLowerCase()));
  const reset = (p) => action.run(async () => { await del(`/api/admin/prices/${encodeURIComponent(p.model)}`); prices.reload(); });
  return html`<${Page} title=${t('Prices and groups')} actions=${html`<button type="button" data-test="new-price"
      onClick=${() => setEditing({ model: '' })}>${t('New price')}</button>`}>
    <${Groups} />
    <div class="panel">
      <div class="panel-head"><h2>${t('Prices (USD)')}</h2>
        <input type="search" placeholder=${t('Filter models')} value=${filter} onInput=${(e) => setFilter(e.target.value)} /></div>
      <${ErrorNote} error=${prices.error || action.error} />
      <${Table} testId="prices" rows=${rows} columns=${[
        { label: t('Model'), render: (p) => html`<code>${p.model}</code>` },
        { label: t('In force'), render: (p) => html`<${Badge} tone=${p.source === 'override' ? 'warn' : ''}>${t(p.source === 'override' ? 'override' : 'default')}<//>` },
        { label: t('Built-in default'), render: (p) => html`<${Components} price=${p.default} test="default-price"
            replaced=${p.source === 'override'} />` },
        { label: t('Override'), render: (p) => (p.source === 'override' ? html`<${Components} price=${p} test="override-price" />` : '') },
        { label: '', cls: 'row-actions', render: (p) => html`
          <button type="button" class="secondary" onClick=${() => setEditing(p)}>${t('Edit')}</button>
          ${p.source === 'override' && html`<button type="button" class="secondary" onClick=${() => reset(p)}>${t(p.default ? 'Use default' : 'Remove')}</button>`}` },
      ]} />
    </div>
    ${editing && html`<${PriceForm} price=${editing} onClose=${() => { setEditing(null); prices.reload(); }} />`}
  <//>`;
}

/** A price's components, one per line; struck through when an override replaces them. */
function Components({ price, test, replaced }) {
  if (!price) return html`<span class="muted" data-test=${test}>${t('none')}</span>`;
  const set = COMPONENTS.filter(([name]) => price[name] != null);
  return html`<dl class=${'price' + (replaced ? ' replaced' : '')} data-test=${test}>${set.map(([name, label]) =>
    html`<dt>${t(label)}</dt><dd>${usd(price[name])}</dd>`)}</dl>`;
}

function PriceForm({ price, onClose }) {
  const { error, busy, run } = useAction();
  const submit = (event) => {
    const v = formValues(event);
    const body = {};
    COMPONENTS.forEach(([name]) => { if (v[name] !== '') body[name] = v[name]; });
    run(async () => { await put(`/api/admin/prices/${encodeURIComponent(v.model.trim())}`, body); onClose(); });
  };
  return html`<${Modal} title=${price.model ? t('Price of {model}', { model: price.model }) : t('New price')} onClose=${onClose}>
    <form class="form" onSubmit=${submit}>
      <${Field} label=${t('Model')}><input name="model" required value=${price.model} readonly=${!!price.model} /><//>
      <p class="muted">${t('The override replaces the model\'s price whole: components left empty are not charged.')}</p>
      <div class="row2">${COMPONENTS.map(([name, label]) => html`<${Field} label=${t(label)}>
        <input name=${name} inputmode="decimal" value=${price[name] ?? ''}
          placeholder=${price.default && price.default[name] != null ? price.default[name] : ''} /><//>`)}</div>
      <${ErrorNote} error=${error} />
      <div class="actions"><button type="button" class="secondary" onClick=${onClose}>${t('Cancel')}</button>
        <button type="submit" disabled=${busy}>${t('Save')}</button></div>
    </form>
  <//>`;
}

function Groups() {
  const groups = useLoad(() => get('/api/admin/groups'), []);
  const { error, busy, run } = useAction();
  const submit = (event) => {
    const v = formValues(event);
    run(async () => {
      await put(`/api/admin/groups/${encodeURIComponent(v.name.trim())}`, { multiplier: v.multiplier, description: v.description || null });
      event.target.reset();
      groups.reload();
    });
  };
  return html`<div class="panel"><h2>${t('Groups')}</h2>
    <${ErrorNote} error=${groups.error} />
    <${Table} testId="groups" rows=${groups.data && groups.data.data} columns=${[
      { label: t('Name'), render: (g) => g.name },
      { label: t('Multiplier'), render: (g) => `× ${g.multiplier}`, cls: 'num' },
      { label: t('Description'), render: (g) => g.description || '' },
    ]} />
    <form class="form inline" onSubmit=${submit}>
      <${Field} label=${t('Group')}><input name="name" required pattern="[A-Za-z0-9._-]{1,64}" /><//>
      <${Field} label=${t('Multiplier')}><input name="multiplier" required inputmode="decimal" placeholder="1" /><//>
      <${Field} label=${t('Description')}><input name="description" /><//>
      <button type="submit" disabled=${busy}>${t('Save group')}</button>
    </form>
    <${ErrorNote} error=${error} />
  </div>`;
}
