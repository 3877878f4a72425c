// Channels: list with live state, create, edit, enable/disable, test now, delete.
import { html, useState } from '../lib.js';
import { del, get, patch, post } from '../api.js';
import { t } from '../i18n.js';
import { list } from '../format.js';
import { Badge, ErrorNote, Modal, Page, Table, useAction, useLoad } from '../ui.js';
import { channelState } from './dashboard.js';
import { ChannelForm } from './channel-form.js';

export function Channels() {
  const { data, error, reload } = useLoad(() => get('/api/admin/channels'), []);
  const [editing, setEditing] = useState(null); // null: closed; {}: new; a channel: edit
  const [tested, setTested] = useState(null);
  const action = useAction();
  const toggle = (c) => action.run(async () => { await patch(`/api/admin/channels/${c.id}`, { enabled: !c.enabled }); reload(); });
  const test = (c) => action.run(async () => { setTested(await post(`/api/admin/channels/${c.id}/test`)); reload(); });
  const remove = (c) => confirm(t('Delete channel {name}?', { name: c.name }))
    && action.run(async () => { await del(`/api/admin/channels/${c.id}`); reload(); });
  const done = () => { setEditing(null); reload(); };
  return html`<${Page} title=${t('Channels')} actions=${html`<button type="button" data-test="new-channel"
      onClick=${() => setEditing({})}>${t('New channel')}</button>`}>
    <${ErrorNote} error=${error || action.error} />
    <${Table} testId="channels" rows=${data && data.data} empty=${t('No channels yet: add the first upstream.')} columns=${[
      { label: t('Name'), render: (c) => html`<strong>${c.name}</strong><div class="muted">${c.type} · ${c.base_url || t('default URL')}</div>` },
      { label: t('Key'), render: (c) => html`<code>${c.key_hint}</code>` },
      { label: t('Models'), render: (c) => list(c.models) || t('all') },
      { label: t('Priority / weight'), render: (c) => `${c.priority} / ${c.weight}` },
      { label: t('Groups'), render: (c) => list(c.groups) },
      { label: t('State'), render: (c) => { const [label, tone] = channelState(c); return html`<${Badge} tone=${tone}>${label}<//>${c.status_reason ? html`<div class="muted">${c.status_reason}</div>` : null}`; } },
      { label: '', cls: 'row-actions', render: (c) => html`
        <button type="button" class="secondary" data-test="edit" onClick=${() => setEditing(c)}>${t('Edit')}</button>
        <button type="button" class="secondary" data-test="toggle" onClick=${() => toggle(c)}>${c.enabled ? t('Disable') : t('Enable')}</button>
        <button type="button" class="secondary" data-test="test" onClick=${() => test(c)}>${t('Test now')}</button>
        <button type="button" class="danger" onClick=${() => remove(c)}>${t('Delete')}</button>` },
    ]} />
    ${editing && html`<${ChannelForm} channel=${editing.id ? editing : null} onDone=${done} onClose=${() => setEditing(null)} />`}
    ${tested && html`<${TestResult} result=${tested} onClose=${() => setTested(null)} />`}
  <//>`;
}

function TestResult({ result, onClose }) {
  return html`<${Modal} title=${t('Test result')} onClose=${onClose}>
    <dl class="facts" data-test="test-result">
      <dt>${t('Result')}</dt><dd>${!result.testable ? t('This channel type has no free test request.')
        : html`<${Badge} tone=${result.passed ? 'good' : 'bad'}>${result.passed ? t('Passed') : t('Failed')}<//>`}</dd>
      ${result.testable && html`<dt>${t('Status')}</dt><dd>${result.status}</dd>
        <dt>${t('Latency')}</dt><dd>${result.latency_ms} ms</dd><dt>${t('Message')}</dt><dd>${result.message}</dd>`}
      ${result.re_enabled && html`<dt></dt><dd>${t('The channel was enabled again.')}</dd>`}
      ${result.disabled && html`<dt></dt><dd>${t('The channel was disabled: the key or the account was refused.')}</dd>`}
    </dl>
    <div class="actions"><button type="button" onClick=${onClose}>${t('Close')}</button></div>
  <//>`;
}
