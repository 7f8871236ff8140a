// The professional's read view of one patient, shown above the forms that write to her: the medical profile
// (allergies first, with their severity), her documents as the hub lets this professional see them, their
// appointments and conversations together; and break-glass (emergency access) when they have no access at all.
// Each part is its own request: one the access policy refuses says so in its place and the rest still shows.
import { t } from './i18n.js';
import { api, ApiError } from './api.js';
import { el, field, submitting, formatTime, formatDate, save, problem } from './ui.js';
import { SECTIONS, author } from './patient.js';

const PROFILE_ORDER = ['allergies', 'conditions', 'treatments', 'vaccinations', 'measurements'];
const SEVERITY_RANK = { severe: 0, moderate: 1, mild: 2 };

/** A part the hub would not give: refused by the access policy (403, 404), or another failure, said in its place. */
function unavailable(error) {
  if (error instanceof ApiError && (error.status === 403 || error.status === 404)) {
    return el('p', { class: 'meta refused', role: 'note' }, t('chart.refused'));
  }
  return problem(error);
}

/** A part of the view: a heading and what the request gave (or why it gave nothing). */
function part(id, title, settled, render) {
  const body = settled.status === 'fulfilled' ? render(settled.value) : unavailable(settled.reason);
  return el('section', { id, 'aria-labelledby': `${id}-title` }, el('h2', { id: `${id}-title` }, title), body);
}

function allergyItem(entry) {
  const d = entry.data;
  return el('li', { 'data-severity': d.severity }, el('strong', {}, d.substance), d.reaction ? ` (${d.reaction})` : '', ' — ',
    el('span', { class: `severity severity-${d.severity}` }, t('chart.severity', { severity: t(`severity.${d.severity}`) })));
}

/** Allergies first, the most severe on top; then the other sections; a section the profession may not read says so. */
function profileBody(profile) {
  return PROFILE_ORDER.map((name) => {
    const heading = el('h3', { id: `chart-${name}-title` }, t(`profile.${name}`));
    if (!(name in profile)) {
      return [heading, el('p', { class: 'meta refused' }, t('chart.notForProfession'))];
    }
    const entries = profile[name];
    if (!entries.length) {
      return [heading, el('p', { class: 'meta', id: `chart-${name}` }, name === 'allergies' ? t('chart.noAllergy') : t('profile.none'))];
    }
    if (name === 'allergies') {
      const sorted = [...entries].sort((a, b) => (SEVERITY_RANK[a.data.severity] ?? 3) - (SEVERITY_RANK[b.data.severity] ?? 3));
      return [heading, el('ul', { class: 'list allergies', id: 'chart-allergies', 'aria-labelledby': heading.id }, sorted.map(allergyItem))];
    }
    return [heading, el('ul', { class: 'list', id: `chart-${name}`, 'aria-labelledby': heading.id },
      entries.map((e) => el('li', {}, SECTIONS[name](e.data))))];
  }).flat();
}

function documentsBody(page) {
  const items = page.items.map((d) => el('li', { 'data-document': d.id }, el('strong', {}, d.title), ' ',
    el('span', { class: 'meta' }, `${t(`kind.${d.kind}`)} — ${formatDate(d.careDate)} — ${author(d)}`), ' ',
    el('button', { type: 'button', class: 'open-document', onclick: () => save(`/api/v1/documents/${d.id}/content`, d.title) },
      t('documents.download'), el('span', { class: 'visually-hidden' }, ` : ${d.title}`))));
  return [el('p', { class: 'meta' }, t('chart.documentsNote')),
    items.length ? el('ul', { class: 'list', id: 'chart-document-list' }, items) : el('p', { class: 'meta' }, t('documents.empty'))];
}

function appointmentItem(a) {
  return el('li', { 'data-status': a.status }, el('strong', {}, formatTime(a.startsAt)), ' ', a.title || t('agenda.appointment'),
    a.place ? ` — ${a.place}` : '', a.status === 'cancelled' ? el('span', { class: 'meta' }, ` — ${t('chart.cancelled')}`) : '');
}

function appointmentsBody(appointments) {
  const now = Date.now();
  const upcoming = appointments.filter((a) => new Date(a.endsAt).getTime() > now);
  const past = appointments.filter((a) => new Date(a.endsAt).getTime() <= now).reverse();
  const list = (id, items, empty) => (items.length ? el('ul', { class: 'list', id }, items.map(appointmentItem))
    : el('p', { class: 'meta' }, empty));
  return [el('h3', {}, t('chart.upcoming')), list('chart-upcoming', upcoming, t('chart.noUpcoming')),
    el('h3', {}, t('chart.past')), list('chart-past', past, t('chart.noPast'))];
}

function conversationsBody(conversations) {
  if (!conversations.length) {
    return el('p', { class: 'meta' }, t('chart.noConversation'));
  }
  return el('ul', { class: 'list', id: 'chart-conversation-list' }, conversations.map((c) => el('li', {},
    el('a', { href: `#/messages/${c.id}` }, c.subject), ' ',
    el('span', { class: 'meta' }, t('chart.lastActivity', { time: formatTime(c.lastActivityAt) }),
      c.state === 'closed' ? ` — ${t('messages.closed')}` : ''))));
}

/**
 * The read view of patient {@code id}, whose identity {@code patient} the hub gave: its parts, each asked on its
 * own. Answers the nodes to show, and how to show the documents and appointments again (after a deposit, a booking).
 */
export async function chart(id, patient) {
  const base = `/api/v1/patients/${encodeURIComponent(id)}`;
  const [profile, documents, appointments, conversations] = await Promise.allSettled([
    api('GET', `${base}/profile`), api('GET', `${base}/documents?limit=100`),
    api('GET', `${base}/appointments`), api('GET', `${base}/conversations`)]);
  const nodes = {
    profile: part('chart-profile', t('profile.title'), profile, profileBody),
    documents: part('chart-documents', t('chart.documents'), documents, documentsBody),
    appointments: part('chart-appointments', t('chart.appointments'), appointments, appointmentsBody),
    conversations: part('chart-conversations', t('chart.conversations'), conversations, conversationsBody),
  };
  const again = async (name, path, render, title) => {
    const [settled] = await Promise.allSettled([api('GET', path)]);
    const fresh = part(`chart-${name}`, title, settled, render);
    nodes[name].replaceWith(fresh);
    nodes[name] = fresh;
  };
  const emergency = patient.access && patient.access.emergency
    ? el('p', { class: 'notice emergency', id: 'emergency-notice', role: 'status' },
      t('chart.emergencyUntil', { time: formatTime(patient.access.expiresAt) }))
    : [];
  return {
    nodes: [emergency, nodes.profile, nodes.documents, nodes.appointments, nodes.conversations],
    documentsAgain: () => again('documents', `${base}/documents?limit=100`, documentsBody, t('chart.documents')),
    appointmentsAgain: () => again('appointments', `${base}/appointments`, appointmentsBody, t('chart.appointments')),
  };
}

/**
 * Break-glass: a professional in an emergency opens a patient's record without a care relationship, by INS and
 * with a reason, after reading what it entails and confirming. {@code onOpened} gets the hub's answer
 * ({patientId, expiresAt}).
 */
export function emergencyForm(onOpened) {
  const ins = el('input', { name: 'ins', required: true, inputmode: 'numeric', pattern: '[0-9AB]{15}', maxlength: '15',
    autocomplete: 'off' });
  const reason = el('textarea', { name: 'reason', required: true, minlength: '10', maxlength: '500',
    'aria-describedby': 'emergency-reason-help' });
  const confirm = el('input', { type: 'checkbox', name: 'confirm', required: true });
  return submitting(el('form', { id: 'emergency-form' },
    el('ul', { id: 'emergency-warnings' }, el('li', {}, t('emergency.recorded')), el('li', {}, t('emergency.told')),
      el('li', {}, t('emergency.expires'))),
    field(t('care.ins'), ins), field(t('emergency.reason'), reason),
    el('p', { class: 'meta', id: 'emergency-reason-help' }, t('emergency.reasonHelp')),
    el('label', { class: 'check' }, confirm, t('emergency.confirm')),
    el('button', { type: 'submit', class: 'danger' }, t('emergency.open'))), async () => {
    let opened;
    try {
      opened = await api('POST', '/api/v1/emergency-access', { ins: ins.value.trim(), reason: reason.value.trim() });
    } catch (e) {
      const words = { emergency_access_refused: 'emergency.refused', patient_not_found: 'emergency.unknown' };
      throw e instanceof ApiError && words[e.code] ? new ApiError(e.status, { detail: t(words[e.code]) }) : e;
    }
    onOpened(opened);
  });
}

/** The break-glass part of a screen: what it is for, then the form. */
export function emergencySection(onOpened) {
  return el('section', { id: 'emergency', 'aria-labelledby': 'emergency-title' },
    el('h2', { id: 'emergency-title' }, t('emergency.title')), el('p', {}, t('emergency.intro')), emergencyForm(onOpened));
}
