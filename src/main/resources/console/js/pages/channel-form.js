// Create or edit a channel. The upstream key is write-only: the form shows its hint, and an empty key keeps it.
import { html } from '../lib.js';
import { patch, post } from '../api.js';
import { t } from '../i18n.js';
import { list, splitList } from '../format.js';
import { ErrorNote, Field, Modal, formValues, useAction } from '../ui.js';

const TYPES = ['openai', 'anthropic', 'ideogram', 'midjourney', 'suno', 'udio', 'kling', 'luma', 'minimax', 'pika',
  'recraft', 'replicate', 'runway', 'runway-compat', 'flux'];

function mappingText(mapping) {
  return Object.entries(mapping || {}).map(([from, to]) => `${from}=${to}`).join('\n');
}

function parseMapping(text) {
  const mapping = {};
  text.split('\n').map((line) => line.trim()).filter((line) => line).forEach((line) => {
    const at = line.indexOf('=');
    if (at < 1) throw new Error(t('Model mapping: "{line}" (expected: client-model=upstream-model)', { line }));
    mapping[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  });
  return mapping;
}

const intOrNull = (value) => (value === '' || value === undefined ? null : Number(value));

export function ChannelForm({ channel, onDone, onClose }) {
  const { error, busy, run } = useAction();
  const editing = !!channel;
  const c = channel || { type: 'openai', priority: 0, weight: 1, groups: ['default'], enabled: true };
  const submit = (event) => {
    const v = formValues(event);
    run(async () => {
      const body = {
        name: v.name.trim(), type: v.type.trim(), base_url: v.base_url.trim(), models: splitList(v.models),
        model_mapping: parseMapping(v.model_mapping), priority: Number(v.priority), weight: Number(v.weight),
        groups: splitList(v.groups), connect_timeout_ms: intOrNull(v.connect_timeout_ms),
        idle_timeout_ms: intOrNull(v.idle_timeout_ms), total_timeout_ms: intOrNull(v.total_timeout_ms),
      };
      if (v.key) body.key = v.key;
      if (!editing) body.enabled = v.enabled;
      if (!body.base_url && !editing) delete body.base_url;
      onDone(editing ? await patch(`/api/admin/channels/${c.id}`, body) : await post('/api/admin/channels', body));
    });
  };
  return html`<${Modal} title=${editing ? t('Edit channel {name}', { name: c.name }) : t('New channel')} onClose=${onClose}>
    <form class="form" onSubmit=${submit} data-test="channel-form">
      <div class="row2">
        <${Field} label=${t('Name')}><input name="name" required value=${c.name || ''} /><//>
        <${Field} label=${t('Type')}><input name="type" list="channel-types" required value=${c.type} />
          <datalist id="channel-types">${TYPES.map((type) => html`<option value=${type} />`)}</datalist><//>
      </div>
      <${Field} label=${t('Base URL')} hint=${t('Empty: the type\'s default')}>
        <input name="base_url" type="url" placeholder="https://api.openai.com" value=${c.base_url || ''} /><//>
      <${Field} label=${t('Upstream key')} hint=${editing ? t('Write-only. Stored key: {hint}. Leave empty to keep it.', { hint: c.key_hint }) : t('Write-only: it is never shown again.')}>
        <input name="key" type="password" autocomplete="off" required=${!editing} placeholder=${editing ? c.key_hint : ''} /><//>
      <${Field} label=${t('Models')} hint=${t('Comma-separated; empty: every model of the family')}>
        <input name="models" value=${list(c.models)} /><//>
      <${Field} label=${t('Model mapping')} hint=${t('One per line: client-model=upstream-model')}>
        <textarea name="model_mapping" rows="2" value=${mappingText(c.model_mapping)}></textarea><//>
      <div class="row3">
        <${Field} label=${t('Priority')}><input name="priority" type="number" value=${c.priority} /><//>
        <${Field} label=${t('Weight')}><input name="weight" type="number" min="0" value=${c.weight} /><//>
        <${Field} label=${t('Groups')}><input name="groups" value=${list(c.groups)} required /><//>
      </div>
      <div class="row3">
        <${Field} label=${t('Connect timeout (ms)')}><input name="connect_timeout_ms" type="number" min="1" value=${c.connect_timeout_ms ?? ''} /><//>
        <${Field} label=${t('Idle timeout (ms)')}><input name="idle_timeout_ms" type="number" min="1" value=${c.idle_timeout_ms ?? ''} /><//>
        <${Field} label=${t('Total timeout (ms)')}><input name="total_timeout_ms" type="number" min="1" value=${c.total_timeout_ms ?? ''} /><//>
      </div>
      ${!editing && html`<label class="check"><input type="checkbox" name="enabled" checked /> ${t('Enabled')}</label>`}
      <${ErrorNote} error=${error} />
      <div class="actions"><button type="button" class="secondary" onClick=${onClose}>${t('Cancel')}</button>
        <button type="submit" data-test="save" disabled=${busy}>${t('Save')}</button></div>
    </form>
  <//>`;
}
