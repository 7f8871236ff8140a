// The notification centre behind the bell: the person's notifications as the hub keeps them (GET
// /api/v1/notifications), each with its read state; opening one marks it read and goes to what it is about. The
// unread count is the hub's, so it is the same after a reload and on every device: another device's marks come
// as notifications.read events.
import { t } from './i18n.js';
import { api } from './api.js';
import { el, announce, formatTime, isPatient } from './ui.js';

/** The events that are items of the centre (the hub's list); the others only update views. */
const NOTIFIED = ['message.created', 'conversation.closed', 'document.arrived', 'reminder.due', 'record.accessed',
  'record.emergency_access', 'appointment.created', 'appointment.moved', 'appointment.cancelled', 'care.requested',
  'care.accepted', 'care.declined', 'care.started', 'care.ended'];
const PAGE = 20;
const MAX_PAGE = 50;

const centre = { items: [], unread: 0, next: null, loaded: false };
let me = null;

/** Loads the first page for this person (after a login, or a reload). */
export async function startBell(accountId) {
  me = accountId;
  await reload();
}

/** A live event: a new item (not one's own act), or another device's marks. */
export async function bellEvent(event) {
  const mine = [event.data.actorId, event.data.senderId, event.data.closedBy].includes(me);
  if (event.type === 'notifications.read' || event.type === 'notifications.archived') {
    await reload();
  } else if (NOTIFIED.includes(event.type) && !mine) {
    await reload();
    const item = centre.items.find((i) => i.id === event.offset);
    announce(item ? itemText(item) : t(`event.${event.type}`));
  }
}

async function reload() {
  // the first items again, as many as shown (at most a page of the hub's): older ones come back with 'older'
  const page = await api('GET', `/api/v1/notifications?limit=${Math.min(MAX_PAGE, Math.max(PAGE, centre.items.length))}`);
  Object.assign(centre, { items: page.items, unread: page.unread, next: page.next, loaded: true });
  renderBell();
}

async function older() {
  const page = await api('GET', `/api/v1/notifications?limit=${PAGE}&before=${centre.next}`);
  centre.items.push(...page.items);
  Object.assign(centre, { unread: page.unread, next: page.next });
  renderBell();
}

async function markRead(body) {
  const answer = await api('POST', '/api/v1/notifications/read', body);
  centre.unread = answer.unread;
  renderBell();
}

/** Putting an item away: out of the list, on every device. */
async function archive(item) {
  const answer = await api('POST', '/api/v1/notifications/archive', { ids: [item.id] });
  centre.items = centre.items.filter((i) => i !== item);
  centre.unread = answer.unread;
  renderBell();
}

/** Opening an item marks it read, and shows what it is about. */
async function open(item) {
  if (!item.read) {
    item.read = true;
    await markRead({ ids: [item.id] });
  }
  location.hash = destination(item);
  toggleBell(false);
}

function destination(item) {
  const target = item.target || {};
  switch (target.kind) {
    case 'conversation': return `#/messages/${target.id}`;
    case 'document': return '#/documents';
    case 'appointment':
    case 'reminder': return isPatient() ? '#/agenda' : '#/patients';
    case 'access_history': return '#/access';
    case 'patient': return `#/patients/${target.id}`;
    default: return isPatient() ? '#/care' : '#/patients';
  }
}

/** Who did what, in words: the actor's name, and for appointments when. */
export function itemText(item) {
  const data = item.data || {};
  const actor = (item.actor && item.actor.name) || t('notice.someone');
  switch (item.type) {
    case 'message.created':
    case 'conversation.closed':
    case 'care.declined':
    case 'care.ended':
      return t(`notice.${item.type}`, { actor });
    case 'appointment.created':
    case 'appointment.moved':
    case 'appointment.cancelled':
      return t(`notice.${item.type}`, { actor, date: data.startsAt ? formatTime(data.startsAt) : '' });
    case 'document.arrived':
      return t('event.document.arrived', { kind: t(`kind.${data.kind}`), author: actor });
    case 'reminder.due':
      return t('event.reminder.due', { kind: t(`reminder.${data.kind}`) });
    case 'record.accessed':
      return data.what && data.what !== 'document' ? `${actor} ${t(`access.what.${data.what}`)}` : t('event.record.accessed', { actor });
    case 'care.accepted':
    case 'care.started':
      return t(`event.${item.type}`, { patient: actor });
    default:
      return t(`event.${item.type}`, { actor });
  }
}

export function renderBell() {
  const count = document.getElementById('bell-count');
  count.textContent = centre.unread > 99 ? '99+' : String(centre.unread);
  if (centre.unread === 0) {
    count.dataset.zero = '';
  } else {
    delete count.dataset.zero;
  }
  document.getElementById('bell').setAttribute('aria-label', `${t('bell.label')} (${centre.unread})`);
  const list = document.getElementById('notification-list');
  list.replaceChildren(...centre.items.map((item) => el('li', { 'data-type': item.type, 'data-read': String(item.read),
    'data-id': String(item.id) }, el('button', { type: 'button', class: 'notice', onclick: () => open(item) },
    item.read ? [] : el('span', { class: 'unread-dot' }, el('span', { class: 'visually-hidden' }, t('bell.unread'))),
    el('span', {}, itemText(item)), ' ', el('span', { class: 'meta' }, formatTime(item.time))),
    el('button', { type: 'button', class: 'archive', 'aria-label': t('bell.archiveOne', { item: itemText(item) }),
      onclick: () => archive(item) }, t('bell.archive')))));
  document.getElementById('notifications-empty').hidden = !centre.loaded || centre.items.length > 0;
  const markAll = document.getElementById('mark-all-read');
  markAll.textContent = t('bell.markAll');
  markAll.hidden = centre.unread === 0;
  const more = document.getElementById('older-notifications');
  more.textContent = t('bell.more');
  more.hidden = centre.next === null;
}

/** Opens or closes the panel (`open` forces one way). */
export function toggleBell(open) {
  const bell = document.getElementById('bell');
  const panel = document.getElementById('notifications');
  const opening = typeof open === 'boolean' ? open : panel.hidden;
  panel.hidden = !opening;
  bell.setAttribute('aria-expanded', String(opening));
}

document.getElementById('mark-all-read').addEventListener('click', () => {
  if (centre.items.length) {
    markRead({ upTo: centre.items[0].id }).then(reload);
  }
});
document.getElementById('older-notifications').addEventListener('click', () => older());
