// Create an account from an operator's invite link (/console/signup?invite=…), or by open sign-up when the operator
// allows it; then sign in with it.
import { html } from '../lib.js';
import { api } from '../api.js';
import { setSession } from '../session.js';
import { navigate, queryOf } from '../router.js';
import { t } from '../i18n.js';
import { ErrorNote, Field, LanguageSwitch, formValues, useAction } from '../ui.js';
import { homeOf } from '../routes.js';

export function SignUp({ path }) {
  const invite = queryOf(path).invite || '';
  const { error, busy, run } = useAction();
  const submit = (event) => {
    const v = formValues(event);
    if (v.password !== v.repeat) {
      run(async () => { throw new Error(t('The two passwords differ.')); });
      return;
    }
    run(async () => {
      const body = { username: v.username.trim(), password: v.password };
      if (invite) body.invite = invite;
      await api('POST', '/api/signup', body);
      const session = await api('POST', '/api/session', { username: body.username, password: body.password });
      setSession(session);
      navigate(homeOf(session.role), true);
    });
  };
  return html`<div class="signin">
    <form class="card" onSubmit=${submit} data-test="signup-form">
      <div class="signin-head"><h1>${t('Create an account')}</h1><${LanguageSwitch} /></div>
      ${!invite && html`<p class="muted">${t('Without an invite link this works only when the operator allows open sign-up.')}</p>`}
      <${Field} label=${t('Username')}><input name="username" autocomplete="username" required maxlength="128" /><//>
      <${Field} label=${t('Password')} hint=${t('At least 8 characters')}>
        <input name="password" type="password" autocomplete="new-password" required minlength="8" /><//>
      <${Field} label=${t('Repeat the password')}>
        <input name="repeat" type="password" autocomplete="new-password" required minlength="8" /><//>
      <${ErrorNote} error=${error} />
      <button type="submit" data-test="sign-up" disabled=${busy}>${t('Create account')}</button>
      <p class="muted"><a href="/console/signin">${t('Sign in instead')}</a></p>
    </form>
  </div>`;
}
