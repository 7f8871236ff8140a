// Building blocks of the views: DOM helpers (text only, never HTML from data), forms, errors, dates.
import { t, currentLang } from './i18n.js';
import { ApiError, session, download } from './api.js';

const main = document.getElementById('main');

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith('on')) {
      node.addEventListener(name.slice(2), value);
    } else if (value !== false && value !== null && value !== undefined) {
      node.setAttribute(name, value === true ? '' : value);
    }
  }
  children.flat().forEach((child) => node.append(child instanceof Node ? child : document.createTextNode(String(child))));
  return node;
}

export function field(label, input) {
  return el('label', {}, label, input);
}

export function show(title, ...content) {
  main.replaceChildren(el('h1', {}, title), ...content);
  document.title = `${title} — Relais`;
  main.focus();
}

export function announce(text) {
  document.getElementById('announcer').textContent = text;
}

export function problem(error) {
  if (error instanceof ApiError) {
    return el('p', { class: 'error', role: 'alert' }, t('error.generic', { detail: error.message }));
  }
  return el('p', { class: 'error', role: 'alert' }, t('error.network'));
}

/** Runs a form's action; the button is disabled meanwhile and a failure is shown inside the form. */
export function submitting(form, action) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    form.querySelectorAll('.error').forEach((e) => e.remove());
    try {
      await action();
    } catch (error) {
      form.append(problem(error));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

const locale = () => (currentLang() === 'fr' ? 'fr-FR' : 'en-GB');

/** An instant, in Paris time, as people write it: « 28 novembre 2026 à 10:30 », "28 November 2026 at 10:30". */
export function formatTime(iso) {
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' })
    .format(new Date(iso));
}

/** A calendar date (`2026-11-28`) as people write it; anything else (a year alone) as it is. */
export function formatDate(date) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date || '')) {
    return date || '';
  }
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

/** A whole number of a unit in words, as Intl writes it: « 30 minutes », « 1 heure », "2 hours". */
export function formatQuantity(value, unit) {
  return new Intl.NumberFormat(locale(), { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

export function isPatient() {
  return session()?.account?.kind === 'patient';
}

/** Downloads a file the API serves, under {@code filename}. */
export async function save(path, filename) {
  const blob = await download(path);
  const link = el('a', { href: URL.createObjectURL(blob), download: filename });
  document.body.append(link);
  link.click();
  link.remove();
}
