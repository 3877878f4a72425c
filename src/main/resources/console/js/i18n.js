// English and Simplified Chinese. The English text is the key; a missing translation shows the English.
// The language follows the browser until the user picks one, which is remembered in localStorage.
import { ZH } from './i18n-zh.js';

const STORAGE_KEY = 'antler.lang';
const listeners = new Set();
let current = initial();

function initial() {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'zh') return saved;
  return (navigator.language || 'en').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function lang() {
  return current;
}

export function setLang(value) {
  current = value === 'zh' ? 'zh' : 'en';
  localStorage.setItem(STORAGE_KEY, current);
  applyDocumentLang();
  listeners.forEach((listener) => listener(current));
}

export function onLangChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function applyDocumentLang() {
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
}

/** The text in the current language; {name} placeholders are filled from vars. */
export function t(text, vars) {
  const translated = current === 'zh' && ZH[text] ? ZH[text] : text;
  return vars ? translated.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m)) : translated;
}
