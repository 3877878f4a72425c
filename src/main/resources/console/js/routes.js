// Which page answers which path, for which role.
import { Dashboard } from './pages/dashboard.js';
import { Channels } from './pages/channels.js';
import { Users } from './pages/users.js';
import { UserDetail } from './pages/user-detail.js';
import { Prices } from './pages/prices.js';
import { Logs } from './pages/logs.js';
import { Tasks } from './pages/tasks.js';
import { Redemptions } from './pages/redemptions.js';
import { Audit } from './pages/audit.js';
import { MyHome } from './pages/my-home.js';
import { MyKeys } from './pages/my-keys.js';
import { MyUsage } from './pages/my-usage.js';
import { MyTasks } from './pages/my-tasks.js';
import { Snippets } from './pages/snippets.js';

export const ADMIN_PAGES = [
  { path: '/console/dashboard', label: 'Dashboard', page: Dashboard },
  { path: '/console/channels', label: 'Channels', page: Channels },
  { path: '/console/users', label: 'Users and keys', page: Users },
  { path: '/console/prices', label: 'Prices and groups', page: Prices },
  { path: '/console/logs', label: 'Usage logs', page: Logs },
  { path: '/console/tasks', label: 'Tasks', page: Tasks },
  { path: '/console/redemptions', label: 'Redemption codes', page: Redemptions },
  { path: '/console/audit', label: 'Audit log', page: Audit },
];

export const USER_PAGES = [
  { path: '/console/me', label: 'Overview', page: MyHome },
  { path: '/console/me/keys', label: 'My keys', page: MyKeys },
  { path: '/console/me/usage', label: 'My usage', page: MyUsage },
  { path: '/console/me/tasks', label: 'My tasks', page: MyTasks },
  { path: '/console/me/snippets', label: 'Quick start', page: Snippets },
];

/** The page for a path and role, with its path parameters; null when none. */
export function pageFor(path, role) {
  const pathname = path.split('?')[0].replace(/\/$/, '');
  if (role === 'admin') {
    const user = pathname.match(/^\/console\/users\/(\d+)$/);
    if (user) return { page: UserDetail, params: { id: user[1] } };
  }
  const pages = role === 'admin' ? ADMIN_PAGES : USER_PAGES;
  const found = pages.find((p) => p.path === pathname);
  return found ? { page: found.page, params: {} } : null;
}

export function homeOf(role) {
  return role === 'admin' ? ADMIN_PAGES[0].path : USER_PAGES[0].path;
}
