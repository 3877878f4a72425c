// A user's own tasks.
import { html } from '../lib.js';
import { t } from '../i18n.js';
import { Page } from '../ui.js';
import { TaskBrowser } from '../tasks.js';

export function MyTasks() {
  return html`<${Page} title=${t('My tasks')}><${TaskBrowser} path="/api/user/tasks" withUser=${false} /><//>`;
}
