// Catalogue apps: the consent page an app sends a patient to (/oauth/authorize), and the patient's connected apps.
import { t } from './i18n.js';
import { api, ApiError } from './api.js';
import { el, show, announce, problem, formatTime, isPatient } from './ui.js';

let pending = null; // the query of /oauth/authorize, kept through the login (the page is not reloaded)

/** Keeps an app's authorization request until the patient answers it; true while there is one. */
export function keepAuthorizationRequest() {
  if (location.pathname === '/oauth/authorize') {
    pending = location.search;
    history.replaceState(null, '', '/#/authorize');
  }
  return pending !== null;
}

function scopeList(scopes) {
  return el('ul', { class: 'list scopes' }, scopes.filter((s) => s !== 'launch/patient')
    .map((s) => el('li', { 'data-scope': s }, t(`scope.${s}`))));
}

/** What the app asks, and the patient's answer: back to the app with a code, or with a refusal. */
export async function consentView() {
  const query = pending;
  if (query === null) {
    location.hash = '#/apps';
    return null;
  }
  if (!isPatient()) {
    show(t('consent.title'), el('p', { class: 'error', role: 'alert' }, t('consent.patientsOnly')));
    return null;
  }
  let request;
  try {
    request = await api('GET', `/api/v1/oauth/authorize${query}`);
  } catch (error) {
    pending = null;
    if (error instanceof ApiError && error.body.redirect) {
      location.assign(error.body.redirect); // RFC 6749 §4.1.2.1: the app hears of a faulty request
      return null;
    }
    show(t('consent.title'), problem(error));
    return null;
  }
  const params = Object.fromEntries(new URLSearchParams(query));
  const answer = async (decision) => {
    const { redirect } = await api('POST', '/api/v1/oauth/authorize', { request: params, decision });
    pending = null;
    location.assign(redirect);
  };
  const buttons = el('p', { class: 'actions' },
    el('button', { type: 'button', class: 'primary', id: 'consent-grant', onclick: () => answer('grant').catch(fail) }, t('consent.grant')),
    ' ', el('button', { type: 'button', id: 'consent-deny', onclick: () => answer('deny').catch(fail) }, t('consent.deny')));
  const failure = el('div');
  function fail(error) {
    failure.replaceChildren(problem(error));
  }
  show(t('consent.title'),
    el('p', { id: 'consent-app' }, t('consent.asks', { app: request.app.name, organisation: request.app.organisation })),
    scopeList(request.scopes), el('p', { class: 'meta' }, t('consent.revocable')), buttons, failure);
  return null;
}

/** The apps the patient connected: what each may do, since when; revoke. */
export async function appsView(route) {
  const apps = await api('GET', '/api/v1/me/apps');
  const items = apps.map((a) => el('li', { 'data-client': a.clientId },
    el('strong', {}, a.name), ` — ${a.organisation}, `, t('apps.since', { since: formatTime(a.grantedAt) }),
    scopeList(a.scopes),
    el('button', { type: 'button', onclick: async () => {
      await api('DELETE', `/api/v1/me/apps/${encodeURIComponent(a.clientId)}`);
      announce(t('apps.revoked', { name: a.name }));
      route();
    } }, t('apps.revoke'))));
  show(t('apps.title'), el('p', {}, t('apps.intro')),
    items.length ? el('ul', { class: 'list', id: 'apps' }, items) : el('p', { class: 'meta' }, t('apps.none')));
  return { onEvent: () => {} };
}
