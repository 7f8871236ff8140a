// The patient's own screens: documents, agenda, profile, access history, settings.
import { t } from './i18n.js';
import { api, session } from './api.js';
import { el, field, show, submitting, formatTime, formatDate, formatQuantity, save, announce, problem } from './ui.js';
import { phoneSection } from './phone.js';
import { devicesBlock } from './devices.js';

export const KINDS = ['prescription', 'lab_result', 'discharge_report', 'imaging_report', 'vaccination_certificate', 'other'];

export async function documentsView(route, kind = '') {
  const me = session().account.id;
  const page = await api('GET', `/api/v1/patients/${me}/documents?limit=100${kind ? `&kind=${kind}` : ''}`);
  const filter = el('select', { id: 'kind-filter', onchange: (e) => { location.hash = `#/documents${e.target.value ? `?kind=${e.target.value}` : ''}`; } },
    el('option', { value: '' }, t('documents.all')), KINDS.map((k) => el('option', { value: k, selected: k === kind }, t(`kind.${k}`))));
  const items = page.items.map((d) => el('li', { 'data-document': d.id },
    el('strong', {}, d.title), ' ', el('span', { class: 'meta' }, `${t(`kind.${d.kind}`)} — ${formatDate(d.careDate)} — ${author(d)}`),
    d.hidden ? el('span', { class: 'meta' }, ` — ${t('documents.hidden')}`) : '',
    el('div', { class: 'row' },
      el('button', { type: 'button', onclick: () => save(`/api/v1/documents/${d.id}/content`, d.title) }, t('documents.download')),
      el('button', { type: 'button', onclick: async () => {
        await api('PUT', `/api/v1/documents/${d.id}/hidden`, { hidden: !d.hidden });
        route();
      } }, d.hidden ? t('documents.show') : t('documents.hide')),
      el('button', { type: 'button', class: 'delete-document', onclick: async () => {
        if (window.confirm(t('documents.deleteConfirm', { title: d.title }))) {
          await api('DELETE', `/api/v1/documents/${d.id}`);
          route();
        }
      } }, t('documents.delete')),
      d.organisationId ? el('button', { type: 'button', class: 'block-system', onclick: async () => {
        if (window.confirm(t('documents.blockConfirm', { organisation: d.authorName }))) {
          await api('POST', '/api/v1/me/blocked-systems', { organisationId: d.organisationId });
          route();
        }
      } }, t('documents.blockOrganisation')) : '')));
  show(t('documents.title'), field(t('documents.kind'), filter),
    items.length ? el('ul', { class: 'list', id: 'documents' }, items) : el('p', {}, t('documents.empty')));
  return { onEvent: (event) => { if (event.type === 'document.arrived') route(); } };
}


/** "Laboratoire Bio Plus (via LabConnect)" for a system's document, the author's name otherwise. */
export function author(d) {
  return d.via ? t('documents.via', { author: d.authorName || '', via: d.via }) : (d.authorName || '');
}

// ---- agenda ---------------------------------------------------------------------------------------------

const DAY = 86400000;

/** "1 heure 30 minutes", "45 minutes": the length between two instants, in words. */
function duration(startsAt, endsAt) {
  const minutes = Math.round((new Date(endsAt) - new Date(startsAt)) / 60000);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return [hours ? formatQuantity(hours, 'hour') : '', rest || !hours ? formatQuantity(rest, 'minute') : ''].filter(Boolean).join(' ');
}

/** Who the appointment is with, for the one looking: the professional (and profession), or the patient. */
function otherParty(a, viewer) {
  if (viewer === 'professional') {
    return t('agenda.withPatient', { name: a.patientName || '' });
  }
  if (!a.professionalId && !a.professionalName) {
    return t('agenda.personal');
  }
  return t('agenda.with', { name: a.professionalName || t('agenda.unknownProfessional') })
    + (a.profession ? ` (${t(`profession.${a.profession}`)})` : '');
}

/** A Paris wall-clock time (`2026-11-28T10:30`) plus {@code minutes}, as the API takes it. */
function plusMinutes(wallClock, minutes) {
  return new Date(new Date(`${wallClock}:00Z`).getTime() + minutes * 60000).toISOString().slice(0, 16);
}

/**
 * One appointment as people read it: when (in words), how long, with whom, where, its state; and, for one still to
 * come, cancel (with a confirmation) and, where the API lets {@code viewer} do it, move (a new date and time, the same
 * length). {@code done} is called after a change (the list also follows the hub's events).
 */
export function appointmentItem(a, { viewer, actions, done }) {
  const when = formatTime(a.startsAt);
  const state = el('span', { class: `status status-${a.status}` }, t(`agenda.status.${a.status}`));
  const item = el('li', { 'data-appointment': a.id, 'data-status': a.status },
    el('strong', { class: 'when' }, when), ' — ', el('span', { class: 'duration' }, t('agenda.duration', { duration: duration(a.startsAt, a.endsAt) })),
    ' — ', state,
    el('div', { class: 'who' }, otherParty(a, viewer), a.title && a.title !== 'Rendez-vous' ? ` — ${a.title}` : ''),
    el('div', { class: 'meta place' }, t('agenda.place', { place: a.place || '' })));
  if (!actions || a.status === 'cancelled') {
    return item;
  }
  const failed = (error) => { item.querySelectorAll('.error').forEach((e) => e.remove()); item.append(problem(error)); };
  const cancel = el('button', { type: 'button', class: 'danger cancel-appointment', onclick: async () => {
    if (!window.confirm(t('agenda.cancelConfirm', { when }))) {
      return;
    }
    try {
      await api('POST', `/api/v1/appointments/${encodeURIComponent(a.id)}/cancel`, {});
      announce(t('agenda.cancelled', { when }));
      done();
    } catch (error) {
      failed(error);
    }
  } }, t('agenda.cancel'), el('span', { class: 'visually-hidden' }, ` : ${when}`));
  const row = el('div', { class: 'row' }, cancel);
  const movable = viewer === 'professional' || !a.professionalId;
  if (movable) {
    const length = Math.round((new Date(a.endsAt) - new Date(a.startsAt)) / 60000);
    const startsAt = el('input', { type: 'datetime-local', name: 'startsAt', required: true, value: a.startsAt.slice(0, 16) });
    const form = submitting(el('form', { class: 'move-form', hidden: true }, field(t('agenda.newTime'), startsAt),
      el('button', { type: 'submit', class: 'primary' }, t('agenda.moveHere'))), async () => {
      await api('PUT', `/api/v1/appointments/${encodeURIComponent(a.id)}`,
        { startsAt: startsAt.value, endsAt: plusMinutes(startsAt.value, length) });
      announce(t('agenda.moved'));
      done();
    });
    row.append(el('button', { type: 'button', class: 'move-appointment', 'aria-expanded': 'false', onclick: (e) => {
      form.hidden = !form.hidden;
      e.currentTarget.setAttribute('aria-expanded', String(!form.hidden));
      if (!form.hidden) {
        startsAt.focus();
      }
    } }, t('agenda.move'), el('span', { class: 'visually-hidden' }, ` : ${when}`)));
    item.append(row, form);
  } else {
    item.append(row);
  }
  return item;
}

/** A reminder to come in words: when it comes, what kind, and what about (never a code). */
function reminderWords(r, appointments) {
  const d = r.data || {};
  if (r.kind === 'appointment') {
    const a = appointments.get(d.appointmentId);
    const when = d.startsAt ? formatTime(d.startsAt) : '';
    return a && a.professionalName ? t('reminder.about.appointmentWith', { when, name: a.professionalName })
      : t('reminder.about.appointment', { when });
  }
  if (r.kind === 'vaccination' || r.kind === 'screening') {
    const key = `prevention.${d.code}`;
    return t(key) === key ? t(`reminder.${r.kind}`) : t(key);
  }
  if (r.kind === 'treatment') {
    return d.time ? t('reminder.about.treatment', { time: d.time }) : t('reminder.treatment');
  }
  return t(`reminder.${r.kind}`) === `reminder.${r.kind}` ? '' : t(`reminder.${r.kind}`);
}

/**
 * The patient's agenda: the appointments to come (cancel them; move personal ones), the reminders to come in the
 * next 30 days in words, then past appointments of the last year, newest first. Live: the hub's appointment and
 * reminder events show it again.
 */
export async function agendaView(route) {
  const now = Date.now();
  const range = `from=${encodeURIComponent(new Date(now - 365 * DAY).toISOString())}&to=${encodeURIComponent(new Date(now + 730 * DAY).toISOString())}`;
  const [appointments, reminders] = await Promise.all([api('GET', `/api/v1/appointments?${range}`),
    api('GET', '/api/v1/agenda/reminders?days=30')]);
  const byId = new Map(appointments.map((a) => [a.id, a]));
  const upcoming = appointments.filter((a) => new Date(a.endsAt).getTime() > now);
  const past = appointments.filter((a) => new Date(a.endsAt).getTime() <= now).reverse();
  const item = (actions) => (a) => appointmentItem(a, { viewer: 'patient', actions, done: () => route() });
  const reminderItems = reminders.map((r) => el('li', { 'data-kind': r.kind }, el('strong', {}, formatTime(r.dueAt)), ' — ',
    el('span', { class: 'kind' }, t(`reminder.${r.kind}`)), ' — ', reminderWords(r, byId)));
  const link = el('p', { id: 'calendar-link' });
  const make = el('button', { type: 'button', id: 'make-calendar-link', onclick: async () => {
    const made = await api('POST', '/api/v1/agenda/calendar-link', {});
    link.replaceChildren(t('agenda.linkHelp'), ' ', el('input', { readonly: true, value: made.url, 'aria-label': t('agenda.link'), size: '60' }));
  } }, t('agenda.makeLink'));
  const revoke = el('button', { type: 'button', onclick: async () => {
    await api('DELETE', '/api/v1/agenda/calendar-link');
    link.textContent = t('agenda.revoked');
  } }, t('agenda.revoke'));
  show(t('agenda.title'),
    el('section', { 'aria-labelledby': 'upcoming-title' }, el('h2', { id: 'upcoming-title' }, t('agenda.upcoming')),
      upcoming.length ? el('ul', { class: 'list', id: 'appointments' }, upcoming.map(item(true))) : el('p', {}, t('agenda.empty'))),
    el('section', { 'aria-labelledby': 'reminders-title' }, el('h2', { id: 'reminders-title' }, t('agenda.reminders')),
      reminderItems.length ? el('ul', { class: 'list', id: 'reminders' }, reminderItems) : el('p', {}, t('agenda.noReminder'))),
    el('section', { 'aria-labelledby': 'past-title' }, el('h2', { id: 'past-title' }, t('agenda.past')),
      past.length ? el('ul', { class: 'list', id: 'past-appointments' }, past.map(item(false))) : el('p', {}, t('agenda.noPast'))),
    el('h2', {}, t('agenda.link')), el('div', { class: 'row' }, make, revoke), link);
  return { onEvent: (event) => { if (event.type.startsWith('appointment.') || event.type === 'reminder.due') route(); } };
}

// ---- profile --------------------------------------------------------------------------------------------

/** How each section's entries read, as text: also the professional's view of a patient (chart.js). */
export const SECTIONS = {
  allergies: (d) => `${d.substance}${d.reaction ? ` (${d.reaction})` : ''} — ${t(`severity.${d.severity}`)}`,
  conditions: (d) => `${d.name}${d.since ? ` — ${formatDate(d.since)}` : ''}`,
  treatments: (d) => `${d.medicine} — ${d.dose} — ${(d.times || []).join(', ')}`,
  vaccinations: (d) => `${d.vaccine} — ${formatDate(d.date)}`,
  measurements: (d) => `${t(`measure.${d.type}`)} : ${d.value ?? `${d.systolic}/${d.diastolic}`} ${d.unit} — ${formatTime(d.at)}`,
};

const MEASURES = { weight: 'kg', height: 'cm', glucose: 'g/L', temperature: '°C', heart_rate: 'bpm', blood_pressure: 'mmHg' };

/** The form that adds an entry to a section: its fields, and how they become the entry. */
function entryForm(section) {
  const input = (name, attributes = {}) => el('input', { name, required: true, maxlength: '200', ...attributes });
  switch (section) {
    case 'allergies': {
      const substance = input('substance');
      const severity = el('select', { name: 'severity' }, ['mild', 'moderate', 'severe'].map((s) => el('option', { value: s }, t(`severity.${s}`))));
      return { fields: [field(t('profile.substance'), substance), field(t('profile.severity'), severity)],
        entry: () => ({ substance: substance.value, severity: severity.value }) };
    }
    case 'conditions': {
      const name = input('name');
      return { fields: [field(t('profile.condition'), name)], entry: () => ({ name: name.value }) };
    }
    case 'treatments': {
      const medicine = input('medicine');
      const dose = input('dose');
      const times = input('times', { pattern: '\\s*[0-2][0-9]:[0-5][0-9](\\s*,\\s*[0-2][0-9]:[0-5][0-9])*\\s*', placeholder: '08:00, 20:00' });
      return { fields: [field(t('profile.medicine'), medicine), field(t('profile.dose'), dose), field(t('profile.times'), times)],
        entry: () => ({ medicine: medicine.value, dose: dose.value, times: times.value.split(',').map((x) => x.trim()) }) };
    }
    case 'vaccinations': {
      const vaccine = input('vaccine');
      const date = input('date', { type: 'date' });
      return { fields: [field(t('profile.vaccine'), vaccine), field(t('profile.date'), date)],
        entry: () => ({ vaccine: vaccine.value, date: date.value }) };
    }
    default: { // measurements
      const type = el('select', { name: 'type' }, Object.keys(MEASURES).map((m) => el('option', { value: m }, `${t(`measure.${m}`)} (${MEASURES[m]})`)));
      const value = input('value', { inputmode: 'decimal', required: false });
      const systolic = input('systolic', { inputmode: 'numeric', required: false });
      const diastolic = input('diastolic', { inputmode: 'numeric', required: false });
      return { fields: [field(t('profile.measure'), type), field(t('profile.value'), value),
        field(t('profile.systolic'), systolic), field(t('profile.diastolic'), diastolic)],
      entry: () => {
        const measured = { type: type.value, unit: MEASURES[type.value], at: new Date().toISOString() };
        if (type.value === 'blood_pressure') {
          return { ...measured, systolic: Number(systolic.value), diastolic: Number(diastolic.value) };
        }
        return { ...measured, value: Number(value.value.replace(',', '.')) };
      } };
    }
  }
}

export async function profileView(route) {
  const me = session().account.id;
  const profile = await api('GET', `/api/v1/patients/${me}/profile`);
  const sections = Object.entries(SECTIONS).map(([section, describe]) => {
    const entries = profile[section] || [];
    const list = entries.length ? el('ul', { class: 'list', id: section }, entries.map((e) => el('li', {}, describe(e.data), ' ',
      el('button', { type: 'button', 'aria-label': `${t('profile.remove')} : ${describe(e.data)}`, onclick: async () => {
        await api('DELETE', `/api/v1/patients/${me}/profile/${section}/${e.id}`);
        route();
      } }, t('profile.remove'))))) : el('p', { class: 'meta' }, t('profile.none'));
    const form = entryForm(section);
    const add = submitting(el('form', { id: `${section}-form` }, form.fields,
      el('button', { type: 'submit', class: 'primary' }, t('profile.add'))), async () => {
      await api('POST', `/api/v1/patients/${me}/profile/${section}`, form.entry());
      route();
    });
    return el('section', { 'aria-labelledby': `section-${section}` }, el('h2', { id: `section-${section}` }, t(`profile.${section}`)),
      list, el('details', {}, el('summary', {}, `${t('profile.add')} — ${t(`profile.${section}`)}`), add));
  });
  show(t('profile.title'), ...sections);
  return { onEvent: (event) => { if (event.type === 'profile.updated') route(); } };
}

// ---- access history -------------------------------------------------------------------------------------

/**
 * What an access showed, in words: the documents list, one document by its title (while it is in the record), the
 * medical profile (read, its history, or changed), appointments, conversations, the name and INS.
 */
function seen(a) {
  if (a.what === 'document') {
    return a.documentTitle ? t('access.what.document', { title: a.documentTitle }) : t('access.what.documentGone');
  }
  if (a.what === 'profile' && (a.action === 'profile.write' || a.action === 'profile.history')) {
    return t(`access.${a.action}`);
  }
  const key = `access.what.${a.what}`;
  return t(key) !== key ? t(key) : t(`access.${a.action}`);
}

export async function accessView() {
  const page = await api('GET', '/api/v1/me/access-history?limit=100');
  const items = page.items.map((a) => el('li', { 'data-what': a.what }, el('strong', {}, a.actorName || t('access.someone')), ' — ',
    seen(a), a.emergency ? ` — ${t('access.emergency')}${a.reason ? ` : ${a.reason}` : ''}` : '',
    ' ', el('span', { class: 'meta' }, formatTime(a.at))));
  show(t('access.title'), items.length ? el('ul', { class: 'list', id: 'access-history' }, items) : el('p', {}, t('access.empty')));
  return { onEvent: (event) => { if (event.type.startsWith('record.')) accessView(); } };
}

// ---- settings -------------------------------------------------------------------------------------------

const CATEGORIES = ['messages', 'documents', 'reminders', 'record_accesses'];

export async function settingsView(route, signedOut) {
  const [preferences, blocked, blockedSystems, phone, devices] = await Promise.all([api('GET', '/api/v1/me/notifications'),
    api('GET', '/api/v1/me/blocked-professionals'), api('GET', '/api/v1/me/blocked-systems'), phoneSection(), devicesBlock()]);
  const choices = Object.fromEntries(CATEGORIES.map((c) => [c, el('select', { name: c },
    ['live', 'email', 'digest'].map((v) => el('option', { value: v, selected: preferences.categories[c] === v }, t(`notify.${v}`))))]));
  const pushes = Object.fromEntries(CATEGORIES.map((c) => [c, el('input', { type: 'checkbox', name: `push-${c}`,
    checked: preferences.push?.[c] !== false })]));
  const quiet = el('input', { name: 'quietHours', value: preferences.quietHours || '', pattern: '[0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9]',
    placeholder: '22:00-08:00' });
  const saved = el('p', { role: 'status' });
  const notifications = submitting(el('form', { id: 'notifications-form' },
    el('p', { class: 'meta' }, t('settings.notificationsIntro')),
    CATEGORIES.map((c) => el('fieldset', { 'data-category': c }, el('legend', {}, t(`category.${c}`)),
      el('label', { class: 'row' }, pushes[c], t('settings.onDevices')), field(t('settings.byEmail'), choices[c]))),
    field(t('settings.quietHours'), quiet),
    el('button', { type: 'submit', class: 'primary' }, t('settings.save')), saved), async () => {
    await api('PUT', '/api/v1/me/notifications', { categories: Object.fromEntries(CATEGORIES.map((c) => [c, choices[c].value])),
      push: Object.fromEntries(CATEGORIES.map((c) => [c, pushes[c].checked])), quietHours: quiet.value || null });
    saved.textContent = t('settings.saved');
  });

  const rpps = el('input', { name: 'rpps', required: true, inputmode: 'numeric', pattern: '[0-9]{11}' });
  const block = submitting(el('form', { id: 'block-form' }, field(t('settings.rpps'), rpps),
    el('button', { type: 'submit' }, t('settings.block'))), async () => {
    await api('POST', '/api/v1/me/blocked-professionals', { rpps: rpps.value });
    route();
  });
  const blockedList = blocked.map((pro) => el('li', {}, `${pro.displayName} (${pro.rpps})`, ' ',
    el('button', { type: 'button', onclick: async () => {
      await api('DELETE', `/api/v1/me/blocked-professionals/${pro.id}`);
      route();
    } }, t('settings.unblock'))));

  const blockedSystemList = blockedSystems.map((b) => el('li', {},
    b.system ? t('settings.blockedSystem', { system: b.system.name, organisation: b.organisation.name }) : b.organisation.name, ' ',
    el('button', { type: 'button', onclick: async () => {
      await api('DELETE', `/api/v1/me/blocked-systems/${b.id}`);
      route();
    } }, t('settings.unblock'))));

  const confirm = el('input', { type: 'checkbox', name: 'confirm', required: true });
  const close = submitting(el('form', { id: 'close-form' }, el('p', {}, t('settings.closeWarning')),
    el('label', { class: 'row' }, confirm, t('settings.closeConfirm')),
    el('button', { type: 'submit' }, t('settings.close'))), async () => {
    if (!window.confirm(t('settings.closeLast'))) {
      return;
    }
    await api('POST', '/api/v1/me/close', { confirm: true });
    signedOut();
  });

  show(t('settings.title'), el('h2', {}, t('settings.notifications')), notifications, devices, phone,
    el('h2', {}, t('settings.blocked')), blockedList.length ? el('ul', { class: 'list', id: 'blocked' }, blockedList)
      : el('p', { class: 'meta' }, t('settings.noneBlocked')), block,
    el('h2', {}, t('settings.blockedSystems')), blockedSystemList.length ? el('ul', { class: 'list', id: 'blocked-systems' }, blockedSystemList)
      : el('p', { class: 'meta' }, t('settings.noneBlockedSystems')),
    el('h2', {}, t('settings.closeTitle')), close);
}
