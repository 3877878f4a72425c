// Sign in with the admin key, or as a user with a username and password.
import { html, useState } from '../lib.js';
import { api } from '../api.js';
import { setSession } from '../session.js';
import { navigate } from '../router.js';
import { t } from '../i18n.js';
import { ErrorNote, Field, LanguageSwitch, formValues, useAction } from '../ui.js';
import { homeOf } from '../routes.js';

export function SignIn() {
  const [mode, setMode] = useState('user');
  const { error, busy, run } = useAction();
  const submit = (event) => {
    const values = formValues(event);
    const body = mode === 'admin' ? { admin_key: values.admin_key.trim() }
      : { username: values.username.trim(), password: values.password };
    run(async () => {
      const session = await api('POST', '/api/session', body);
      setSession(session);
      navigate(homeOf(session.role), true);
    });
  };
  return html`<div class="signin">
    <form class="card" onSubmit=${submit} data-test="signin-form">
      <div class="signin-head"><h1>Antler</h1><${LanguageSwitch} /></div>
      <div class="tabs" role="tablist">
        <button type="button" role="tab" data-test="mode-user" class=${mode === 'user' ? 'active' : ''}
          onClick=${() => setMode('user')}>${t('User')}</button>
        <button type="button" role="tab" data-test="mode-admin" class=${mode === 'admin' ? 'active' : ''}
          onClick=${() => setMode('admin')}>${t('Operator (admin key)')}</button>
      </div>
      ${mode === 'admin'
        ? html`<${Field} label=${t('Admin key')}>
            <input name="admin_key" type="password" autocomplete="current-password" required /><//>`
        : html`<${Field} label=${t('Username')}><input name="username" autocomplete="username" required /><//>
            <${Field} label=${t('Password')}>
              <input name="password" type="password" autocomplete="current-password" required /><//>`}
      <${ErrorNote} error=${error} />
      <button type="submit" data-test="sign-in" disabled=${busy}>${t('Sign in')}</button>
      ${mode === 'user' && html`<p class="muted"><a href="/console/signup">${t('Create an account')}</a></p>`}
    </form>
  </div>`;
}
