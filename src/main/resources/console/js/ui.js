// Small shared components: page frame, table, dialog, notices, copy button, data loading.
import { html, useCallback, useEffect, useState } from './lib.js';
import { lang, setLang, t } from './i18n.js';

export function Page({ title, actions, children }) {
  return html`<section class="page">
    <header class="page-head"><h1>${title}</h1><div class="actions">${actions}</div></header>
    ${children}
  </section>`;
}

/** columns: [{label, render: row => content, cls}] */
export function Table({ columns, rows, onRow, empty, testId }) {
  if (!rows) return null;
  if (!rows.length) return html`<p class="empty">${empty || t('Nothing here yet.')}</p>`;
  return html`<div class="table-wrap"><table data-test=${testId}>
    <thead><tr>${columns.map((c) => html`<th class=${c.cls}>${c.label}</th>`)}</tr></thead>
    <tbody>${rows.map((row, i) => html`<tr key=${i} class=${onRow ? 'clickable' : ''}
        onClick=${onRow ? () => onRow(row) : undefined}>
      ${columns.map((c) => html`<td class=${c.cls} data-label=${c.label}>${c.render(row)}</td>`)}</tr>`)}
    </tbody></table></div>`;
}

export function Modal({ title, onClose, children }) {
  useEffect(() => {
    const onKey = (e) => e.key === 'Escape' && onClose();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);
  return html`<div class="overlay" onClick=${(e) => e.target === e.currentTarget && onClose()}>
    <div class="modal" role="dialog" aria-modal="true" aria-label=${title}>
      <header><h2>${title}</h2><button type="button" class="ghost" aria-label=${t('Close')} onClick=${onClose}>×</button></header>
      ${children}
    </div></div>`;
}

export function ErrorNote({ error }) {
  return error ? html`<p class="error" role="alert" data-test="error">${error.message || String(error)}</p>` : null;
}

export function Badge({ tone, children }) {
  return html`<span class=${'badge ' + (tone || '')}>${children}</span>`;
}

export function CopyButton({ text, label }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) {
      // Without clipboard access (plain http on another host) the text stays selectable on the page.
    }
    setDone(true);
    setTimeout(() => setDone(false), 1500);
  };
  return html`<button type="button" class="secondary" data-test="copy" onClick=${copy}>
    ${done ? t('Copied') : label || t('Copy')}</button>`;
}

/** A secret shown once (new keys, redemption codes), with a copy button. */
export function ShownOnce({ title, secret, onClose }) {
  return html`<${Modal} title=${title} onClose=${onClose}>
    <p class="warn">${t('Shown this once only: copy it now. It cannot be shown again.')}</p>
    <pre class="secret" data-test="secret">${secret}</pre>
    <div class="actions"><${CopyButton} text=${secret} /><button type="button" onClick=${onClose}>${t('Done')}</button></div>
  <//>`;
}

/** Loads with fn() when deps change: {data, error, reload}. */
export function useLoad(fn, deps) {
  const [state, setState] = useState({ data: null, error: null });
  const load = useCallback(() => {
    let live = true;
    fn().then((data) => live && setState({ data, error: null }), (error) => live && setState({ data: null, error }));
    return () => {
      live = false;
    };
  }, deps);
  useEffect(load, [load]);
  return { ...state, reload: load };
}

/** The values of a submitted form, as strings keyed by input name (checkboxes as booleans). */
export function formValues(event) {
  event.preventDefault();
  const form = event.target;
  const values = Object.fromEntries(new FormData(form));
  form.querySelectorAll('input[type=checkbox][name]').forEach((box) => (values[box.name] = box.checked));
  return values;
}

/** A submit handler that shows the error of a failed action; ok() runs after success. */
export function useAction() {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const run = async (action) => {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run, setError };
}

export function Field({ label, children, hint }) {
  return html`<label class="field"><span>${label}</span>${children}${hint ? html`<small>${hint}</small>` : null}</label>`;
}

/** English or Simplified Chinese; the choice is remembered. */
export function LanguageSwitch() {
  return html`<select class="lang" aria-label="Language / 语言" data-test="lang" value=${lang()}
      onChange=${(e) => setLang(e.target.value)}>
    <option value="en">English</option><option value="zh">简体中文</option>
  </select>`;
}
