// Secure messaging: the list of conversations and one conversation (read, reply, attach, close, receipts).
import { t } from './i18n.js';
import { api, session, base64Of } from './api.js';
import { el, field, show, submitting, formatTime, isPatient, save, problem } from './ui.js';

/** What the search field holds, kept while the list is refreshed by live events. */
let query = '';

export async function messagesView() {
  const me = session().account.id;
  const loaded = { items: [], next: null };
  const list = el('ul', { class: 'list', id: 'conversations' });
  const status = el('p', { class: 'meta', id: 'conversations-status', role: 'status' });
  const scope = el('p', { class: 'meta', id: 'conversations-scope' });
  const more = el('button', { type: 'button', id: 'more-conversations', onclick: () => load(loaded.next)
    .catch((error) => more.after(problem(error))) }, t('messages.more'));
  const search = el('input', { type: 'search', name: 'q', id: 'conversation-search', value: query, autocomplete: 'off',
    oninput: () => { query = search.value; render(); } });

  function render() {
    const wanted = normalised(query.trim());
    const shown = loaded.items.filter((c) => !wanted || normalised(searchableText(c, me)).includes(wanted));
    list.replaceChildren(...shown.map((c) => conversationItem(c, me)));
    list.hidden = shown.length === 0;
    more.hidden = !loaded.next;
    scope.textContent = loaded.next ? t('messages.searchScope', { n: loaded.items.length }) : '';
    scope.hidden = !loaded.next;
    if (!loaded.items.length) {
      status.textContent = t('messages.empty');
    } else if (wanted) {
      status.textContent = shown.length ? t('messages.found', { n: shown.length, total: loaded.items.length })
        : t('messages.noMatch', { total: loaded.items.length });
    } else {
      status.textContent = '';
    }
  }

  /** The next page after {@code before}, or the first pages again (as many conversations as are shown) without it. */
  let latest = 0;
  async function load(before) {
    const limit = before ? 50 : Math.min(200, Math.max(50, loaded.items.length));
    const asked = ++latest;
    const page = await api('GET', `/api/v1/conversations?limit=${limit}${before ? `&before=${encodeURIComponent(before)}` : ''}`);
    if (asked !== latest) {
      return; // a later load (a live event, another page) answers instead
    }
    loaded.items = before ? loaded.items.concat(page.items) : page.items;
    loaded.next = page.next || null;
    render();
  }

  await load(null);
  show(t('messages.title'), field(t('messages.search'), search), scope, status, list, more,
    ...(isPatient() ? [] : [el('h2', {}, t('colleague.title')), colleagueForm()]));
  return { onEvent: (event) => {
    if (event.type.startsWith('message.') || event.type.startsWith('conversation.')) {
      load(null).catch(() => {});
    }
  } };
}

/**
 * One conversation of the list: its subject (the link, described by the lines below it for screen readers), the
 * correspondents and the last message's date, then its author and start.
 */
function conversationItem(c, me) {
  const last = c.lastMessage;
  const about = `about-${c.id}`;
  const preview = `preview-${c.id}`;
  return el('li', { class: 'conversation', 'data-unread': c.unread > 0 },
    el('a', { href: `#/messages/${c.id}`, class: 'subject', 'aria-describedby': last ? `${about} ${preview}` : about }, c.subject || '—'),
    ' ', c.unread > 0 ? el('span', { class: 'count' }, t('messages.unread', { n: c.unread })) : '',
    c.state === 'closed' ? el('span', { class: 'meta' }, ` — ${t('messages.closed')}`) : '',
    el('p', { class: 'meta', id: about }, el('span', { class: 'correspondents' }, t('messages.with', { names: correspondents(c, me) })),
      last ? [' — ', el('time', { datetime: last.at }, formatTime(last.at))] : ''),
    last ? el('p', { class: 'preview', id: preview }, t('messages.preview', {
      author: authorOf(last, me, { [last.senderId]: last.senderName }), text: last.preview })) : '');
}

/** The other participants' names, as the list shows them. */
function correspondents(c, me) {
  return (c.participants || []).filter((p) => p.id !== me).map((p) => p.displayName).join(', ');
}

/** What the search looks in: the subject, the correspondents, the last message's author and start. */
function searchableText(c, me) {
  const last = c.lastMessage || {};
  return [c.subject, correspondents(c, me), last.senderName, last.via, last.preview].filter(Boolean).join(' ');
}

/** Lower case without accents, so that « lefevre » finds « Lefèvre ». */
function normalised(text) {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** A professional writes to a colleague found by RPPS number (a care team conversation). */
function colleagueForm() {
  const rpps = el('input', { name: 'rpps', required: true, inputmode: 'numeric', pattern: '[0-9]{11}' });
  const subject = el('input', { name: 'subject', required: true, maxlength: '200' });
  const body = el('textarea', { name: 'body', required: true, maxlength: '10000' });
  return submitting(el('form', { id: 'colleague-form' }, field(t('colleague.rpps'), rpps), field(t('patients.subject'), subject),
    field(t('messages.body'), body), el('button', { type: 'submit', class: 'primary' }, t('patients.start'))), async () => {
    const colleague = await api('GET', `/api/v1/professionals/${encodeURIComponent(rpps.value)}`);
    const created = await api('POST', '/api/v1/conversations', { subject: subject.value, participants: [colleague.id],
      message: { body: body.value } });
    location.hash = `#/messages/${created.conversationId}`;
  });
}

export async function conversationView(route, id) {
  const me = session().account.id;
  const page = await api('GET', `/api/v1/conversations/${encodeURIComponent(id)}/messages?limit=200`);
  const conversations = await api('GET', '/api/v1/conversations?limit=200');
  const conversation = conversations.items.find((c) => c.id === id) || { subject: '', state: 'open', participants: [] };
  const names = Object.fromEntries((conversation.participants || []).map((p) => [p.id, p.displayName]));
  const othersRead = Math.max(0, ...Object.entries(page.readUpTo || {}).filter(([who]) => who !== me).map(([, seq]) => seq));
  const messages = page.items.map((m) => el('article', { class: 'message', 'data-mine': m.senderId === me, 'data-seq': m.seq },
    el('p', { class: 'meta' }, `${authorOf(m, me, names)} — ${formatTime(m.createdAt)}`,
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
      field(t('messages.attachment'), file),
      el('button', { type: 'submit', class: 'primary' }, t('messages.send')));
    submitting(form, async () => {
      await api('POST', `/api/v1/conversations/${encodeURIComponent(id)}/messages`, await messageOf(body, file));
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

/** A message as the API takes it: the text of {@code body}, and the file chosen in {@code file} if any. */
export async function messageOf(body, file) {
  const message = { body: body.value };
  const chosen = file.files && file.files[0];
  if (chosen) {
    message.attachments = [{ filename: chosen.name, contentType: chosen.type, data: await base64Of(chosen) }];
  }
  return message;
}

/** "Dr Martin (via Logiciel Cabinet)" for a message a system sent for its author; the author alone otherwise. */
function authorOf(message, me, names) {
  const name = message.senderId === me ? t('messages.you') : (names[message.senderId] || '');
  return message.via ? t('messages.via', { name, via: message.via }) : name;
}
