// Display formats. Money arrives as USD numbers or decimal strings (exact to 9 places) and is shown as given.
import { lang } from './i18n.js';

export function usd(value) {
  if (value === null || value === undefined || value === '') return '—';
  let text = typeof value === 'string' ? value : Number(value).toFixed(9);
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  const [whole, fraction = ''] = text.split('.');
  return '$' + whole + '.' + fraction.padEnd(2, '0');
}

/**
 * A money axis's tick labels: as many decimals as the step between ticks needs (2 to 9), so that ticks of
 * $0.00001 apart read $0.00001, $0.00002, … rather than all "0" (a chart's default shows 3 decimals at most).
 */
export function usdTicks(ticks) {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : Math.abs(ticks[0] || 0);
  let decimals = 2;
  while (decimals < 9 && Math.abs(Math.round(step * 10 ** decimals) - step * 10 ** decimals) > 1e-6) decimals++;
  return ticks.map((v) => (v < 0 ? '-$' : '$') + Math.abs(v).toFixed(decimals));
}

/** nano-USD (integer, as a number or string) to the USD decimal string, without rounding. */
export function nanoToUsd(nano) {
  const text = String(nano);
  const negative = text.startsWith('-');
  const digits = (negative ? text.slice(1) : text).padStart(10, '0');
  return (negative ? '-' : '') + digits.slice(0, -9) + '.' + digits.slice(-9);
}

export function time(value) {
  if (!value) return '—';
  const date = new Date(value);
  return isNaN(date) ? String(value) : date.toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-GB');
}

export function count(value) {
  return value === null || value === undefined ? '—' : Number(value).toLocaleString();
}

/** "a, b" from a list, "" when empty. */
export function list(values) {
  return values && values.length ? values.join(', ') : '';
}

/** A comma-separated input as a list of trimmed, non-empty names. */
export function splitList(text) {
  return String(text || '').split(',').map((s) => s.trim()).filter((s) => s);
}

/** ISO time of a datetime-local input value (local time), or null when empty. */
export function isoOfLocal(value) {
  return value ? new Date(value).toISOString() : null;
}
