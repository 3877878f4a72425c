// Operator's usage log: every request, filtered by user, key, model, channel and time.
import { html } from '../lib.js';
import { t } from '../i18n.js';
import { Page } from '../ui.js';
import { LogBrowser } from '../logs.js';

const FILTERS = [
  { name: 'user_id', label: 'User ID', numeric: true },
  { name: 'key_id', label: 'Key ID', numeric: true },
  { name: 'model', label: 'Model' },
  { name: 'channel_id', label: 'Channel ID', numeric: true },
  { name: 'from', label: 'From', type: 'datetime-local' },
  { name: 'to', label: 'To', type: 'datetime-local' },
];

export function Logs() {
  return html`<${Page} title=${t('Usage logs')}><${LogBrowser} path="/api/admin/logs" filters=${FILTERS} /><//>`;
}
