// Care relationships in the portal: the patient's care team (requests to accept or decline, professionals to
// declare or let go) and, for professionals, asking a patient to take them into their care.
import { t } from './i18n.js';
import { api } from './api.js';
import { el, field, show, submitting, formatTime } from './ui.js';

const card = (pro) => `${pro.displayName} — ${t(`profession.${pro.profession}`)} (RPPS ${pro.rpps})`;

export async function careTeamView(route) {
  const [requests, team] = await Promise.all([api('GET', '/api/v1/me/care-requests'), api('GET', '/api/v1/me/care-relationships')]);
  const pending = requests.map((r) => el('li', { 'data-request': r.id }, el('strong', {}, card(r.professional)), ' ',
    el('span', { class: 'meta' }, formatTime(r.requestedAt)), ' ',
    el('button', { type: 'button', class: 'primary', onclick: async () => {
      await api('POST', `/api/v1/me/care-requests/${r.id}/accept`, {});
      route();
    } }, t('care.accept')), ' ',
    el('button', { type: 'button', onclick: async () => {
      await api('POST', `/api/v1/me/care-requests/${r.id}/decline`, {});
      route();
    } }, t('care.decline'))));
  const members = team.map((pro) => el('li', {}, card(pro), ' ', el('span', { class: 'meta' }, formatTime(pro.since)), ' ',
    el('button', { type: 'button', onclick: async () => {
      if (window.confirm(t('care.endConfirm', { name: pro.displayName }))) {
        await api('DELETE', `/api/v1/me/care-relationships/${pro.id}`);
        route();
      }
    } }, t('care.end'))));
  const declare = declareForm(route);
  show(t('care.title'), el('p', {}, t('care.explain')),
    el('h2', {}, t('care.requests')), pending.length ? el('ul', { class: 'list', id: 'care-requests' }, pending)
      : el('p', { class: 'meta' }, t('care.noRequest')),
    el('h2', {}, t('care.team')), members.length ? el('ul', { class: 'list', id: 'care-team' }, members)
      : el('p', { class: 'meta' }, t('care.nobody')),
    el('h2', {}, t('care.declareTitle')), declare);
  return { onEvent: (event) => { if (event.type.startsWith('care.')) route(); } };
}

/**
 * Finding a professional to add: by name (each word starts a word of the name) or by RPPS number (11 digits,
 * added at once); each professional found is added with one click.
 */
function declareForm(route) {
  const query = el('input', { name: 'query', required: true, minlength: '2', maxlength: '100', autocomplete: 'off',
    'aria-describedby': 'declare-help' });
  const found = el('div', { id: 'found-professionals', 'aria-live': 'polite' });
  const add = async (rpps) => {
    await api('POST', '/api/v1/me/care-relationships', { rpps });
    route();
  };
  return submitting(el('form', { id: 'declare-form' }, el('p', { id: 'declare-help', class: 'meta' }, t('care.findHelp')),
    field(t('care.find'), query), el('button', { type: 'submit', class: 'primary' }, t('care.search')), found), async () => {
    const typed = query.value.trim();
    if (/^[0-9]{11}$/.test(typed)) {
      await add(typed);
      return;
    }
    const professionals = await api('GET', `/api/v1/professionals?q=${encodeURIComponent(typed)}`);
    found.replaceChildren(professionals.length
      ? el('ul', { class: 'list' }, professionals.map((pro) => el('li', {}, card(pro), ' ',
        el('button', { type: 'button', onclick: () => add(pro.rpps) }, t('care.declare')))))
      : el('p', { class: 'meta' }, t('care.notFound')));
  });
}

/** For professionals: ask a patient, named by INS, to take them into their care; the answer arrives live. */
export function careRequestForm(route) {
  const ins = el('input', { name: 'ins', required: true, inputmode: 'numeric', pattern: '[0-9AB]{15}', maxlength: '15' });
  const done = el('p', { role: 'status' });
  return submitting(el('form', { id: 'care-request-form' }, el('p', { class: 'meta' }, t('care.askExplain')),
    field(t('care.ins'), ins), el('button', { type: 'submit', class: 'primary' }, t('care.ask')), done), async () => {
    await api('POST', '/api/v1/care-requests', { ins: ins.value.trim() });
    done.textContent = t('care.asked');
    ins.value = '';
    route();
  });
}

export function myRequestsList(requests) {
  const items = requests.filter((r) => r.status === 'pending' || r.status === 'declined').slice(0, 20)
    .map((r) => el('li', { 'data-status': r.status }, t(`care.status.${r.status}`), ' ',
      el('span', { class: 'meta' }, formatTime(r.decidedAt || r.requestedAt))));
  return items.length ? el('ul', { class: 'list', id: 'my-care-requests' }, items) : el('p', { class: 'meta' }, t('care.noneAsked'));
}
