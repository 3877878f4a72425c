// A user's own usage log.
import { html } from '../lib.js';
import { t } from '../i18n.js';
import { Page } from '../ui.js';
import { LogBrowser } from '../logs.js';

const FILTERS = [
  { name: 'model', label: 'Model' },
  { name: 'key_id', label: 'Key ID', numeric: true },
  { name: 'status', label: 'Status', options: ['', 'ok', 'error'] },
  { name: 'end_reason', label: 'End reason', options: ['', 'complete', 'client_gone', 'upstream_cut', 'timeout', 'error'] },
  { name: 'from', label: 'From', type: 'datetime-local' },
  { name: 'to', label: 'To', type: 'datetime-local' },
];

export function MyUsage() {
  return html`<${Page} title=${t('My usage')}><${LogBrowser} path="/api/user/usage" filters=${FILTERS} /><//>`;
}
