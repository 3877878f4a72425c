// Entry point: restore the session (the HttpOnly cookie is sent by the browser), then render the app.
import { html, render } from './lib.js';
import { api } from './api.js';
import { setSession } from './session.js';
import { applyDocumentLang } from './i18n.js';
import { App } from './app.js';

applyDocumentLang();
api('GET', '/api/session')
  .then((session) => setSession(session), () => setSession(null))
  .finally(() => render(html`<${App} />`, document.getElementById('app')));
