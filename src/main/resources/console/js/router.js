// A small history-API router: paths under /console/, links handled without a page load.
import { useEffect, useState } from './lib.js';

const listeners = new Set();

export function navigate(path, replace = false) {
  if (path === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  listeners.forEach((listener) => listener(location.pathname + location.search));
}

window.addEventListener('popstate', () => listeners.forEach((l) => l(location.pathname + location.search)));

// Same-origin <a href="/console/..."> clicks become in-app navigation.
document.addEventListener('click', (event) => {
  const link = event.target.closest && event.target.closest('a[href^="/console/"]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || link.target) return;
  event.preventDefault();
  navigate(link.getAttribute('href'));
});

export function useLocation() {
  const [path, setPath] = useState(location.pathname + location.search);
  useEffect(() => {
    listeners.add(setPath);
    return () => listeners.delete(setPath);
  }, []);
  return path;
}

/** The query of the current location as a plain object. */
export function queryOf(path) {
  const index = path.indexOf('?');
  return index < 0 ? {} : Object.fromEntries(new URLSearchParams(path.slice(index + 1)));
}
