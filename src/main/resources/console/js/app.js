// The frame around every page: navigation (a menu button on narrow screens), language, sign-out.
import { html, useEffect, useState } from './lib.js';
import { api } from './api.js';
import { navigate, useLocation } from './router.js';
import { setSession, useSession } from './session.js';
import { lang, onLangChange, t } from './i18n.js';
import { LanguageSwitch } from './ui.js';
import { ADMIN_PAGES, USER_PAGES, homeOf, pageFor } from './routes.js';
import { SignIn } from './pages/signin.js';
import { SignUp } from './pages/signup.js';

export function App() {
  const session = useSession();
  const path = useLocation();
  const [language, setLanguage] = useState(lang());
  useEffect(() => onLangChange(setLanguage), []);
  const role = session && session.role;
  const target = role ? pageFor(path, role) : null;
  const signingUp = path.startsWith('/console/signup');
  useEffect(() => {
    if (!role && !signingUp && !path.startsWith('/console/signin')) navigate('/console/signin', true);
    else if (role && !target) navigate(homeOf(role), true);
  }, [role, path, target]);
  if (!role) return signingUp ? html`<${SignUp} key=${language} path=${path} />` : html`<${SignIn} key=${language} />`;
  if (!target) return null;
  const Page = target.page;
  return html`<${Shell} key=${language} session=${session} path=${path}>
    <${Page} ...${target.params} path=${path} />
  <//>`;
}

function Shell({ session, path, children }) {
  const [open, setOpen] = useState(false);
  const pages = session.role === 'admin' ? ADMIN_PAGES : USER_PAGES;
  const current = path.split('?')[0];
  const signOut = async () => {
    try {
      await api('DELETE', '/api/session');
    } catch (e) {
      // Signed out here whatever the server said; the cookie expires on its own.
    }
    setSession(null);
    navigate('/console/signin');
  };
  return html`<div class="shell">
    <header class="topbar">
      <button type="button" class="ghost menu-button" aria-label=${t('Menu')} onClick=${() => setOpen(!open)}>☰</button>
      <a class="brand" href=${homeOf(session.role)}>Antler</a>
      <span class="who" data-test="who">${session.user ? session.user.name : t('Administrator')}</span>
      <${LanguageSwitch} />
      <button type="button" class="ghost" data-test="sign-out" onClick=${signOut}>${t('Sign out')}</button>
    </header>
    <nav class=${open ? 'nav open' : 'nav'} onClick=${() => setOpen(false)}>
      ${pages.map((p) => html`<a href=${p.path} data-test=${'nav-' + p.path.split('/').pop()}
          class=${current === p.path || current.startsWith(p.path + '/') ? 'active' : ''}>${t(p.label)}</a>`)}
    </nav>
    <main class="content">${children}</main>
  </div>`;
}
