// The Relais portal: one page, hash routes, views built with the DOM (never innerHTML with data: what people
// wrote is shown as text only).
import { t, setLang, currentLang, applyTo } from './i18n.js';
import { api, ApiError, session, saveSession, clearSession, onRefresh, refresh, download, base64Of } from './api.js';
import { Live } from './live.js';

const main = document.getElementById('main');
const state = { live: null, notifications: [], unseen: 0, view: null };

// ---- small DOM helpers ------------------------------------------------------------------------------

function el(tag, attributes = {}, ...children) {
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

function field(label, input) {
  return el('label', {}, label, input);
}

function show(title, ...content) {
  main.replaceChildren(el('h1', {}, title), ...content);
  document.title = `${title} — Relais`;
  main.focus();
}

function announce(text) {
  document.getElementById('announcer').textContent = text;
}

function problem(error) {
  if (error instanceof ApiError) {
    return el('p', { class: 'error', role: 'alert' }, t('error.generic', { detail: error.message }));
  }
  return el('p', { class: 'error', role: 'alert' }, t('error.network'));
}

/** Runs a form's action; the button is disabled meanwhile and a failure is shown inside the form. */
function submitting(form, action) {
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

function formatTime(iso) {
  return new Date(iso).toLocaleString(currentLang() === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: 'Europe/Paris' });
}

// ---- login ------------------------------------------------------------------------------------------

function loginView() {
  const email = el('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = el('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const form = el('form', { id: 'login-form' }, field(t('login.email'), email), field(t('login.password'), password),
    el('button', { type: 'submit', class: 'primary' }, t('login.submit')));
  submitting(form, async () => {
    let challenge;
    try {
      challenge = await api('POST', '/api/v1/auth/login', { email: email.value, password: password.value });
    } catch (e) {
      throw e instanceof ApiError && e.status === 401 ? new ApiError(401, { detail: t('login.failed') }) : e;
    }
    codeView(challenge.challengeId);
  });
  show(t('login.title'), form);
  email.focus();
}

function codeView(challengeId) {
  const code = el('input', { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}',
    maxlength: '6', required: true, 'aria-describedby': 'code-help' });
  const form = el('form', { id: 'code-form' }, el('p', { id: 'code-help' }, t('login.codeHelp')),
    field(t('login.code'), code), el('button', { type: 'submit', class: 'primary' }, t('login.verify')));
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
  show(t('login.title'), form);
  code.focus();
}

// ---- the signed-in frame: navigation, bell, live stream ----------------------------------------------

function isPatient() {
  return session()?.account?.kind === 'patient';
}

function startSession() {
  const me = session().account;
  document.getElementById('logout').hidden = false;
  document.getElementById('bell').hidden = false;
  const links = isPatient()
    ? [['#/messages', 'nav.messages'], ['#/documents', 'nav.documents']]
    : [['#/patients', 'nav.patients'], ['#/messages', 'nav.messages']];
  document.getElementById('nav').replaceChildren(el('ul', {}, links.map(([href, key]) =>
    el('li', {}, el('a', { href, 'data-route': href }, t(key))))));
  state.live = new Live({
    token: session().accessToken, accountId: me.id, onEvent: notify, onSignedOut: signedOut,
    onStatus: (status) => {
      const badge = document.getElementById('status');
      badge.dataset.state = status;
      badge.textContent = t(`status.${status}`);
    },
  });
  onRefresh((token) => state.live && state.live.refreshed(token));
  state.live.start();
  scheduleRefresh();
  if (!location.hash || location.hash === '#/login') {
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

function notificationText(event) {
  const data = event.data || {};
  switch (event.type) {
    case 'document.arrived':
      return t('event.document.arrived', { kind: t(`kind.${data.kind}`), author: data.authorName || '' });
    case 'reminder.due':
      return t('event.reminder.due', { kind: data.kind || '' });
    case 'record.accessed':
    case 'record.emergency_access':
      return t(`event.${event.type}`, { actor: data.actorName || '' });
    default:
      return t(`event.${event.type}`);
  }
}

const NOTIFIED = ['message.created', 'document.arrived', 'reminder.due', 'record.accessed', 'record.emergency_access',
  'appointment.created', 'conversation.closed'];

function notify(event) {
  const mine = event.type === 'message.created' && event.data.senderId === session().account.id;
  if (NOTIFIED.includes(event.type) && !mine) {
    const text = notificationText(event);
    state.notifications.unshift({ text, time: event.time, type: event.type, fresh: true });
    state.unseen += 1;
    renderBell();
    announce(text);
  }
  if (state.view && state.view.onEvent) {
    state.view.onEvent(event);
  }
}

function renderBell() {
  const count = document.getElementById('bell-count');
  count.textContent = String(state.unseen);
  if (state.unseen === 0) {
    count.dataset.zero = '';
  } else {
    delete count.dataset.zero;
  }
  document.getElementById('bell').setAttribute('aria-label', `${t('bell.label')} (${state.unseen})`);
  const list = document.getElementById('notification-list');
  list.replaceChildren(...state.notifications.map((n) => el('li', { 'data-type': n.type, 'data-new': n.fresh },
    n.text, ' ', el('span', { class: 'meta' }, formatTime(n.time)))));
  document.getElementById('notifications-empty').hidden = state.notifications.length > 0;
}

function toggleBell() {
  const bell = document.getElementById('bell');
  const panel = document.getElementById('notifications');
  const open = panel.hidden;
  panel.hidden = !open;
  bell.setAttribute('aria-expanded', String(open));
  if (!open) { // closing: what was shown is now seen
    state.unseen = 0;
    state.notifications.forEach((n) => { n.fresh = false; });
    renderBell();
  }
}

// ---- messages ---------------------------------------------------------------------------------------

async function messagesView() {
  const page = await api('GET', '/api/v1/conversations?limit=50');
  const items = page.items.map((c) => el('li', {},
    el('a', { href: `#/messages/${c.id}` }, c.subject || '—'), ' ',
    c.unread > 0 ? el('span', { class: 'count' }, t('messages.unread', { n: c.unread })) : '',
    c.state === 'closed' ? el('span', { class: 'meta' }, ` — ${t('messages.closed')}`) : ''));
  show(t('messages.title'), items.length ? el('ul', { class: 'list', id: 'conversations' }, items) : el('p', {}, t('messages.empty')));
  return { onEvent: (event) => { if (event.type.startsWith('message.') || event.type.startsWith('conversation.')) route(); } };
}

async function conversationView(id) {
  const me = session().account.id;
  const page = await api('GET', `/api/v1/conversations/${encodeURIComponent(id)}/messages?limit=200`);
  const conversations = await api('GET', '/api/v1/conversations?limit=200');
  const conversation = conversations.items.find((c) => c.id === id) || { subject: '', state: 'open', participants: [] };
  const names = Object.fromEntries((conversation.participants || []).map((p) => [p.id, p.displayName]));
  const othersRead = Math.max(0, ...Object.entries(page.readUpTo || {}).filter(([who]) => who !== me).map(([, seq]) => seq));
  const messages = page.items.map((m) => el('article', { class: 'message', 'data-mine': m.senderId === me, 'data-seq': m.seq },
    el('p', { class: 'meta' }, `${m.senderId === me ? t('messages.you') : (names[m.senderId] || '')} — ${formatTime(m.createdAt)}`,
      m.senderId === me && m.seq <= othersRead ? ` — ${t('messages.readBy')}` : ''),
    el('div', { class: 'body' }, m.body),
    (m.attachments || []).map((a) => el('button', { type: 'button', onclick: () => save(
      `/api/v1/conversations/${id}/attachments/${a.id}`, a.filename) }, `${t('documents.download')} ${a.filename}`))));
  const content = [el('p', {}, el('a', { href: '#/messages' }, t('messages.back'))), el('section', { id: 'thread', 'aria-live': 'polite' }, messages)];
  if (conversation.state === 'closed') {
    content.push(el('p', { class: 'meta' }, t('messages.closed')));
  } else {
    const body = el('textarea', { name: 'body', required: true, maxlength: '10000' });
    const file = el('input', { type: 'file', name: 'attachment', accept: 'application/pdf,image/jpeg,image/png' });
    const form = el('form', { id: 'reply-form' }, field(t('messages.body'), body),
      isPatient() ? '' : field(t('messages.attachment'), file),
      el('button', { type: 'submit', class: 'primary' }, t('messages.send')));
    submitting(form, async () => {
      const message = { body: body.value };
      if (file.files && file.files[0]) {
        message.attachments = [{ filename: file.files[0].name, contentType: file.files[0].type, data: await base64Of(file.files[0]) }];
      }
      await api('POST', `/api/v1/conversations/${encodeURIComponent(id)}/messages`, message);
      route();
    });
    content.push(el('h2', {}, t('messages.reply')), form);
    if (!isPatient()) {
      content.push(el('p', {}, el('button', { type: 'button', id: 'close-conversation', onclick: async () => {
        await api('POST', `/api/v1/conversations/${encodeURIComponent(id)}/close`, {});
        route();
      } }, t('messages.close'))));
    }
  }
  show(conversation.subject || t('messages.title'), ...content);
  const last = page.items.length ? page.items[page.items.length - 1].seq : 0;
  if (last > 0) {
    api('POST', `/api/v1/conversations/${encodeURIComponent(id)}/read`, { upTo: last }).catch(() => {});
  }
  return { onEvent: (event) => { if ((event.data || {}).conversationId === id) route(); } };
}

async function save(path, filename) {
  const blob = await download(path);
  const link = el('a', { href: URL.createObjectURL(blob), download: filename });
  document.body.append(link);
  link.click();
  link.remove();
}

// ---- documents (patients) ---------------------------------------------------------------------------

const KINDS = ['prescription', 'lab_result', 'discharge_report', 'imaging_report', 'vaccination_certificate', 'other'];

async function documentsView(kind = '') {
  const me = session().account.id;
  const page = await api('GET', `/api/v1/patients/${me}/documents?limit=100${kind ? `&kind=${kind}` : ''}`);
  const filter = el('select', { id: 'kind-filter', onchange: (e) => { location.hash = `#/documents${e.target.value ? `?kind=${e.target.value}` : ''}`; } },
    el('option', { value: '' }, t('documents.all')), KINDS.map((k) => el('option', { value: k, selected: k === kind }, t(`kind.${k}`))));
  const items = page.items.map((d) => el('li', { 'data-document': d.id },
    el('strong', {}, d.title), ' ', el('span', { class: 'meta' }, `${t(`kind.${d.kind}`)} — ${d.careDate} — ${d.authorName || ''}`),
    d.hidden ? el('span', { class: 'meta' }, ` — ${t('documents.hidden')}`) : '',
    el('div', { class: 'row' },
      el('button', { type: 'button', onclick: () => save(`/api/v1/documents/${d.id}/content`, d.title) }, t('documents.download')),
      el('button', { type: 'button', onclick: async () => {
        await api('PUT', `/api/v1/documents/${d.id}/hidden`, { hidden: !d.hidden });
        route();
      } }, d.hidden ? t('documents.show') : t('documents.hide')))));
  show(t('documents.title'), field(t('documents.kind'), filter),
    items.length ? el('ul', { class: 'list', id: 'documents' }, items) : el('p', {}, t('documents.empty')));
  return { onEvent: (event) => { if (event.type === 'document.arrived') route(); } };
}

// ---- patients (professionals) -----------------------------------------------------------------------

async function patientsView() {
  const page = await api('GET', '/api/v1/patients');
  const patients = page.items || page;
  const items = patients.map((p) => el('li', {}, el('a', { href: `#/patients/${p.id}` }, p.displayName)));
  show(t('patients.title'), items.length ? el('ul', { class: 'list', id: 'patients' }, items) : el('p', {}, t('patients.empty')));
}

async function patientView(id) {
  const patient = await api('GET', `/api/v1/patients/${encodeURIComponent(id)}`);
  const subject = el('input', { name: 'subject', required: true, maxlength: '200' });
  const body = el('textarea', { name: 'body', required: true, maxlength: '10000' });
  const attachment = el('input', { type: 'file', name: 'attachment', accept: 'application/pdf,image/jpeg,image/png' });
  const write = el('form', { id: 'write-form' }, field(t('patients.subject'), subject), field(t('messages.body'), body),
    field(t('messages.attachment'), attachment), el('button', { type: 'submit', class: 'primary' }, t('patients.start')));
  submitting(write, async () => {
    const message = { body: body.value };
    if (attachment.files[0]) {
      message.attachments = [{ filename: attachment.files[0].name, contentType: attachment.files[0].type,
        data: await base64Of(attachment.files[0]) }];
    }
    const created = await api('POST', '/api/v1/conversations', { subject: subject.value, participants: [id], message });
    announce(t('patients.sent'));
    location.hash = `#/messages/${created.conversationId}`;
  });
  const kind = el('select', { name: 'kind' }, KINDS.map((k) => el('option', { value: k }, t(`kind.${k}`))));
  const title = el('input', { name: 'title', required: true, maxlength: '200' });
  const careDate = el('input', { type: 'date', name: 'careDate', required: true, value: new Date().toISOString().slice(0, 10) });
  const file = el('input', { type: 'file', name: 'file', required: true, accept: 'application/pdf,image/jpeg,image/png' });
  const done = el('p', { role: 'status' });
  const deposit = el('form', { id: 'deposit-form' }, field(t('documents.kind'), kind), field(t('patients.title.field'), title),
    field(t('patients.careDate'), careDate), field(t('patients.file'), file),
    el('button', { type: 'submit', class: 'primary' }, t('patients.deposit')), done);
  submitting(deposit, async () => {
    await api('POST', '/api/v1/documents', { patientId: id, kind: kind.value, title: title.value, careDate: careDate.value,
      contentType: file.files[0].type, data: await base64Of(file.files[0]) });
    done.textContent = t('patients.deposited');
    deposit.reset();
  });
  show(patient.displayName, el('h2', {}, t('patients.write')), write, el('h2', {}, t('patients.deposit')), deposit);
}

// ---- routing ----------------------------------------------------------------------------------------

async function route() {
  if (!session()) {
    loginView();
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
      state.view = await conversationView(parts[1]);
    } else if (parts[0] === 'messages') {
      state.view = await messagesView();
    } else if (parts[0] === 'documents' && isPatient()) {
      state.view = await documentsView(new URLSearchParams(query || '').get('kind') || '');
    } else if (parts[0] === 'patients' && parts[1] && !isPatient()) {
      state.view = await patientView(parts[1]);
    } else if (parts[0] === 'patients' && !isPatient()) {
      state.view = await patientsView();
    } else {
      location.hash = isPatient() ? '#/messages' : '#/patients';
    }
  } catch (error) {
    state.view = null;
    show(t('messages.title'), problem(error));
  }
}

/** The session ended elsewhere (logout on another device, closed space, expired refresh): back to the login. */
function signedOut() {
  if (state.live) {
    state.live.stop();
  }
  clearSession();
  location.hash = '#/login';
  location.reload();
}

async function logout() {
  try {
    await api('POST', '/api/v1/auth/logout', {});
  } finally {
    signedOut();
  }
}

document.getElementById('lang').addEventListener('click', () => {
  setLang(currentLang() === 'fr' ? 'en' : 'fr');
  renderBell();
  route();
});
document.getElementById('bell').addEventListener('click', toggleBell);
document.getElementById('logout').addEventListener('click', logout);
window.addEventListener('hashchange', route);
applyTo(document);
renderBell();
if (session()) {
  startSession();
} else {
  loginView();
}
