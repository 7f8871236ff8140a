// Secure messaging: the list of conversations and one conversation (read, reply, attach, close, receipts).
import { t } from './i18n.js';
import { api, session, base64Of } from './api.js';
import { el, field, show, submitting, formatTime, isPatient, save } from './ui.js';

export async function messagesView(route) {
  const page = await api('GET', '/api/v1/conversations?limit=50');
  const items = page.items.map((c) => el('li', {},
    el('a', { href: `#/messages/${c.id}` }, c.subject || '—'), ' ',
    c.unread > 0 ? el('span', { class: 'count' }, t('messages.unread', { n: c.unread })) : '',
    c.state === 'closed' ? el('span', { class: 'meta' }, ` — ${t('messages.closed')}`) : ''));
  show(t('messages.title'), items.length ? el('ul', { class: 'list', id: 'conversations' }, items) : el('p', {}, t('messages.empty')),
    ...(isPatient() ? [] : [el('h2', {}, t('colleague.title')), colleagueForm()]));
  return { onEvent: (event) => { if (event.type.startsWith('message.') || event.type.startsWith('conversation.')) route(); } };
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
      isPatient() ? '' : field(t('messages.attachment'), file),
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
