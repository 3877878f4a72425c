// Operator's tasks: every async task, by family, status and user.
import { html } from '../lib.js';
import { t } from '../i18n.js';
import { Page } from '../ui.js';
import { TaskBrowser } from '../tasks.js';

export function Tasks() {
  return html`<${Page} title=${t('Tasks')}><${TaskBrowser} path="/api/admin/tasks" withUser=${true} /><//>`;
}
