// The one fetch wrapper: JSON in and out, the CSRF token on every state change, 401 sends to the sign-in page.
import { getSession, setSession } from './session.js';
import { navigate } from './router.js';

export class ApiError extends Error {
  constructor(status, message, type) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  const session = getSession();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session && session.csrf_token) headers['X-CSRF-Token'] = session.csrf_token;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401 && !path.startsWith('/api/session')) {
    setSession(null);
    navigate('/console/signin');
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (e) {
    data = null;
  }
  if (!response.ok) {
    const error = data && data.error ? data.error : {};
    throw new ApiError(response.status, error.message || `${response.status} ${response.statusText}`, error.type);
  }
  return data;
}

export const get = (path, query) => api('GET', query ? path + '?' + queryString(query) : path);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);
export const put = (path, body) => api('PUT', path, body);
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);

/** A query string of the non-empty values. */
export function queryString(query) {
  const params = new URLSearchParams();
  Object.entries(query).forEach(([name, value]) => {
    if (value !== undefined && value !== null && value !== '') params.set(name, value);
  });
  return params.toString();
}
