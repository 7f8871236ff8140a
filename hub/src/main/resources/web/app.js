// The Relais portal: one page, hash routes; this module holds the session, the live stream, the notification
// bell and the routes. Views are in messages.js, patient.js and professional.js.
import { t, setLang, currentLang, applyTo } from './i18n.js';
import { api, ApiError, session, saveSession, clearSession, onRefresh, refresh } from './api.js';
import { Live } from './live.js';
import { el, field, show, problem, submitting, isPatient } from './ui.js';
import { messagesView, conversationView } from './messages.js';
import { documentsView, agendaView, profileView, accessView, settingsView } from './patient.js';
import { patientsView, patientView, softwareView, professionalSettingsView } from './professional.js';
import { unbroken } from './phone.js';
import { careTeamView } from './care.js';
import { keepAuthorizationRequest, consentView, appsView } from './apps.js';
import { activationCode, activationView } from './welcome.js';
import { startBell, bellEvent, renderBell, toggleBell } from './bell.js';

const state = { live: null, view: null, failed: false };
const RETURN_TO = 'relais.returnTo';

// ---- login ------------------------------------------------------------------------------------------

/** The login form; `notice` (an activation just done) is said above it, `knownEmail` filled in. */
function loginView(notice = null, knownEmail = '') {
  const email = el('input', { type: 'email', name: 'email', autocomplete: 'username', required: true, value: knownEmail });
  const password = el('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const form = el('form', { id: 'login-form' }, field(t('login.email'), email), field(t('login.password'), password),
    el('button', { type: 'submit', class: 'primary' }, t('login.submit')));
  submitting(form, async () => {
    codeView(await askCode(email.value, password.value), (delivery) => askCode(email.value, password.value, delivery));
  });
  show(t('login.title'), notice ? el('p', { class: 'notice', role: 'status' }, notice) : [], form);
  (knownEmail ? password : email).focus();
}

/** Checks the password and has a code sent (by SMS if the person chose so, or by email when asked): the challenge. */
async function askCode(email, password, delivery = undefined) {
  try {
    return await api('POST', '/api/v1/auth/login', { email, password, delivery });
  } catch (e) {
    throw e instanceof ApiError && e.status === 401 ? new ApiError(401, { detail: t('login.failed') }) : e;
  }
}

/**
 * The code sent by email or SMS; `resend(delivery)` asks for another one (a new challenge) when it did not come, by
 * email if `delivery` says so (a phone out of reach).
 */
function codeView(firstChallenge, resend) {
  let challengeId = firstChallenge.challengeId;
  const bySms = firstChallenge.delivery === 'sms';
  let delivery; // the person's choice, until they ask for the code by email
  const code = el('input', { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}',
    maxlength: '6', required: true, 'aria-describedby': 'code-help' });
  const form = el('form', { id: 'code-form' },
    el('p', { id: 'code-help' }, bySms ? t('login.codeBySms', { number: unbroken(firstChallenge.sentTo) }) : t('login.codeHelp')),
    el('label', {}, el('span', { id: 'code-label' }, bySms ? t('login.codeSms') : t('login.code')), code),
    el('button', { type: 'submit', class: 'primary' }, t('login.verify')));
  submitting(form, async () => {
    let tokens;
    try {
      tokens = await api('POST', '/api/v1/auth/login/verify', { challengeId, code: code.value });
    } catch (e) {
      throw e instanceof ApiError && e.status < 500 ? new ApiError(e.status, { detail: t('login.codeFailed') }) : e;
    }
    saveSession(tokens);
    startSession();
  });
  const sent = el('p', { class: 'meta', role: 'status' });
  const again = el('button', { type: 'button', id: 'resend-code' }, t('login.resend'));
  again.addEventListener('click', async () => {
    again.disabled = true;
    sent.textContent = '';
    try {
      challengeId = (await resend(delivery)).challengeId;
      code.value = '';
      sent.textContent = t('login.resent');
    } catch (error) {
      sent.replaceChildren(problem(error));
    } finally {
      setTimeout(() => { again.disabled = false; }, 30000); // one more email per half minute at most
    }
  });
  const byEmail = el('button', { type: 'button', id: 'code-by-email', hidden: !bySms }, t('login.byEmail'));
  byEmail.addEventListener('click', async () => {
    byEmail.disabled = true;
    sent.textContent = '';
    try {
      challengeId = (await resend('email')).challengeId;
      delivery = 'email';
      byEmail.hidden = true;
      code.value = '';
      document.getElementById('code-label').textContent = t('login.code');
      document.getElementById('code-help').textContent = t('login.sentByEmail');
      sent.textContent = t('login.sentByEmail');
    } catch (error) {
      byEmail.disabled = false;
      sent.replaceChildren(problem(error));
    }
  });
  const help = el('details', { class: 'code-help' }, el('summary', {}, t('login.noCode')),
    el('p', {}, t('login.noCodeHelp')), again, byEmail, sent);
  show(t('login.title'), form, help);
  code.focus();
}

// ---- the signed-in frame: navigation, bell, live stream ----------------------------------------------

function startSession() {
  const me = session().account;
  document.getElementById('logout').hidden = false;
  document.getElementById('bell').hidden = false;
  const links = isPatient()
    ? [['#/messages', 'nav.messages'], ['#/documents', 'nav.documents'], ['#/agenda', 'nav.agenda'], ['#/profile', 'nav.profile'],
      ['#/care', 'nav.care'], ['#/access', 'nav.access'], ['#/apps', 'nav.apps'], ['#/settings', 'nav.settings']]
    : [['#/patients', 'nav.patients'], ['#/messages', 'nav.messages'], ['#/software', 'nav.software'], ['#/settings', 'nav.settings']];
  document.getElementById('nav').replaceChildren(el('ul', {}, links.map(([href, key]) =>
    el('li', {}, el('a', { href, 'data-route': href, 'data-i18n': key }, t(key))))));
  state.live = new Live({
    token: session().accessToken, accountId: me.id, onEvent: onLiveEvent, onSignedOut: () => signedOut(),
    onStatus: (status) => {
      const badge = document.getElementById('status');
      badge.dataset.state = status;
      badge.textContent = t(`status.${status}`);
      if (status === 'live' && state.failed) {
        route(); // the hub answers again: the page that could not be shown comes back by itself
      }
    },
  });
  onRefresh((token) => state.live && state.live.refreshed(token));
  state.live.start();
  startBell(me.id);
  scheduleRefresh();
  const saved = JSON.parse(sessionStorage.getItem(RETURN_TO) || 'null');
  sessionStorage.removeItem(RETURN_TO);
  const returnTo = saved && saved.account === me.id ? saved.hash : null; // only the same person goes back there
  if (keepAuthorizationRequest()) {
    location.hash = '#/authorize';
    route();
  } else if (returnTo) {
    location.hash = returnTo;
    route();
  } else if (!location.hash || location.hash === '#/login') {
    location.hash = isPatient() ? '#/messages' : '#/patients';
  } else {
    route();
  }
}

/** Access tokens live minutes: they are refreshed a minute before they end. */
function scheduleRefresh() {
  const payload = JSON.parse(atob(session().accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  const wait = Math.max(5000, payload.exp * 1000 - Date.now() - 60000);
  setTimeout(async () => {
    if (session()) {
      try {
        await refresh();
        scheduleRefresh();
      } catch (error) {
        if (error instanceof ApiError && error.status < 500) {
          signedOut();
        } else {
          setTimeout(scheduleRefresh, 5000);
        }
      }
    }
  }, wait);
}

/** A live event: the bell's, then the view's. */
function onLiveEvent(event) {
  bellEvent(event);
  if (state.view && state.view.onEvent) {
    state.view.onEvent(event);
  }
}

// ---- routing ----------------------------------------------------------------------------------------

let routing = null;
let again = false;

/**
 * Shows the view of the current address. Calls that come while a view is being built (a click, a live event)
 * are folded into one more pass once it is done, so the last view shown is always that of the last address.
 */
function route() {
  if (routing) {
    again = true;
    return routing;
  }
  routing = (async () => {
    do {
      again = false;
      await render();
    } while (again);
  })().finally(() => { routing = null; });
  return routing;
}

/** Without a session: the activation page when the address is an activation link, else the login. */
function signedOutView() {
  const activation = activationCode();
  if (activation !== null) {
    activationView(activation, (email) => loginView(t('activation.done'), email));
  } else {
    loginView(sessionStorage.getItem(RETURN_TO) ? t('session.ended') : null);
  }
}

async function render() {
  if (!session()) {
    signedOutView();
    return;
  }
  const [path, query] = location.hash.slice(1).split('?');
  const parts = path.split('/').filter(Boolean);
  document.querySelectorAll('nav a').forEach((a) => {
    if (location.hash.startsWith(a.dataset.route)) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  });
  try {
    if (parts[0] === 'messages' && parts[1]) {
      state.view = await conversationView(route, parts[1]);
    } else if (parts[0] === 'messages') {
      state.view = await messagesView(route);
    } else if (parts[0] === 'documents' && isPatient()) {
      state.view = await documentsView(route, new URLSearchParams(query || '').get('kind') || '');
    } else if (parts[0] === 'agenda' && isPatient()) {
      state.view = await agendaView(route);
    } else if (parts[0] === 'profile' && isPatient()) {
      state.view = await profileView(route);
    } else if (parts[0] === 'care' && isPatient()) {
      state.view = await careTeamView(route);
    } else if (parts[0] === 'access' && isPatient()) {
      state.view = await accessView();
    } else if (parts[0] === 'authorize') {
      state.view = await consentView();
    } else if (parts[0] === 'apps' && isPatient()) {
      state.view = await appsView(route);
    } else if (parts[0] === 'settings' && isPatient()) {
      state.view = await settingsView(route, () => signedOut(false));
    } else if (parts[0] === 'settings') {
      state.view = await professionalSettingsView();
    } else if (parts[0] === 'software' && !isPatient()) {
      state.view = await softwareView(route);
    } else if (parts[0] === 'patients' && parts[1] && !isPatient()) {
      state.view = await patientView(parts[1], route);
    } else if (parts[0] === 'patients' && !isPatient()) {
      state.view = await patientsView(route);
    } else {
      location.hash = isPatient() ? '#/messages' : '#/patients';
    }
    state.failed = false;
  } catch (error) {
    state.view = null;
    state.failed = true;
    show(t('error.title'), problem(error), el('p', {}, t('error.retryLater')),
      el('button', { type: 'button', class: 'primary', id: 'retry', onclick: () => route() }, t('error.retry')));
  }
}

/** A request a view made outside a form failed (a button's): said above the view, which stays usable. */
window.addEventListener('unhandledrejection', (event) => {
  if (!(event.reason instanceof ApiError) && !(event.reason instanceof TypeError)) {
    return; // not a request's failure
  }
  event.preventDefault();
  const notice = el('div', { class: 'failure', role: 'alert' }, problem(event.reason),
    el('button', { type: 'button', onclick: () => notice.remove() }, t('error.dismiss')));
  document.getElementById('main').prepend(notice);
});

/**
 * The session ended elsewhere (logout on another device, closed space, expired refresh): back to the login, and after
 * it to the page the person was on.
 */
function signedOut(returnHere = true) {
  if (state.live) {
    state.live.stop();
  }
  if (returnHere && location.hash && location.hash !== '#/login') {
    sessionStorage.setItem(RETURN_TO, JSON.stringify({ account: session()?.account?.id, hash: location.hash }));
  }
  clearSession();
  location.hash = '#/login';
  location.reload();
}

async function logout() {
  try {
    await api('POST', '/api/v1/auth/logout', {});
  } finally {
    signedOut(false);
  }
}

document.getElementById('lang').addEventListener('click', () => {
  setLang(currentLang() === 'fr' ? 'en' : 'fr');
  const badge = document.getElementById('status');
  if (badge.dataset.state) {
    badge.textContent = t(`status.${badge.dataset.state}`);
  }
  renderBell();
  route();
});
document.getElementById('bell').addEventListener('click', () => toggleBell());
document.getElementById('logout').addEventListener('click', logout);
window.addEventListener('hashchange', route);
applyTo(document);
if ('serviceWorker' in navigator) { // installable, and the shell opens without the network
  navigator.serviceWorker.register('/sw.js').catch((error) => console.warn('no service worker:', error));
}
keepAuthorizationRequest();
if (session()) {
  startSession();
} else {
  signedOutView();
}
