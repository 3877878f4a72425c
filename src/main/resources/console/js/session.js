// Who is signed in: {role: 'admin'|'user', user, csrf}. Components subscribe with useSession().
import { useEffect, useState } from './lib.js';

let current = null;
const listeners = new Set();

export function getSession() {
  return current;
}

export function setSession(value) {
  current = value;
  listeners.forEach((listener) => listener(current));
}

export function useSession() {
  const [value, setValue] = useState(current);
  useEffect(() => {
    listeners.add(setValue);
    return () => listeners.delete(setValue);
  }, []);
  return value;
}
