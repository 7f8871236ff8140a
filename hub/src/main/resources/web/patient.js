// The patient's own screens: documents, agenda, profile, access history, settings.
import { t } from './i18n.js';
import { api, session } from './api.js';
import { el, field, show, submitting, formatTime, formatDate, save } from './ui.js';

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

export async function agendaView(route) {
  const [appointments, reminders] = await Promise.all([api('GET', '/api/v1/appointments'), api('GET', '/api/v1/agenda/reminders?days=60')]);
  const reminderItems = reminders.map((r) => el('li', {}, el('strong', {}, formatTime(r.dueAt)), ' ', t(`reminder.${r.kind}`)));
  const upcoming = appointments.filter((a) => a.status !== 'cancelled' && new Date(a.endsAt) > new Date());
  const items = upcoming.map((a) => el('li', {}, el('strong', {}, formatTime(a.startsAt)), ' ',
    a.title || t('agenda.appointment'), ' — ', a.place || ''));
  const link = el('p', { id: 'calendar-link' });
  const make = el('button', { type: 'button', id: 'make-calendar-link', onclick: async () => {
    const made = await api('POST', '/api/v1/agenda/calendar-link', {});
    link.replaceChildren(t('agenda.linkHelp'), ' ', el('input', { readonly: true, value: made.url, 'aria-label': t('agenda.link'), size: '60' }));
  } }, t('agenda.makeLink'));
  const revoke = el('button', { type: 'button', onclick: async () => {
    await api('DELETE', '/api/v1/agenda/calendar-link');
    link.textContent = t('agenda.revoked');
  } }, t('agenda.revoke'));
  show(t('agenda.title'), items.length ? el('ul', { class: 'list', id: 'appointments' }, items) : el('p', {}, t('agenda.empty')),
    el('h2', {}, t('agenda.reminders')),
    reminderItems.length ? el('ul', { class: 'list', id: 'reminders' }, reminderItems) : el('p', {}, t('agenda.noReminder')),
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
  const [preferences, blocked, blockedSystems] = await Promise.all([api('GET', '/api/v1/me/notifications'),
    api('GET', '/api/v1/me/blocked-professionals'), api('GET', '/api/v1/me/blocked-systems')]);
  const choices = Object.fromEntries(CATEGORIES.map((c) => [c, el('select', { name: c },
    ['live', 'email', 'digest'].map((v) => el('option', { value: v, selected: preferences.categories[c] === v }, t(`notify.${v}`))))]));
  const quiet = el('input', { name: 'quietHours', value: preferences.quietHours || '', pattern: '[0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9]',
    placeholder: '22:00-08:00' });
  const saved = el('p', { role: 'status' });
  const notifications = submitting(el('form', { id: 'notifications-form' },
    CATEGORIES.map((c) => field(t(`category.${c}`), choices[c])), field(t('settings.quietHours'), quiet),
    el('button', { type: 'submit', class: 'primary' }, t('settings.save')), saved), async () => {
    await api('PUT', '/api/v1/me/notifications', { categories: Object.fromEntries(CATEGORIES.map((c) => [c, choices[c].value])),
      quietHours: quiet.value || null });
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

  show(t('settings.title'), el('h2', {}, t('settings.notifications')), notifications,
    el('h2', {}, t('settings.blocked')), blockedList.length ? el('ul', { class: 'list', id: 'blocked' }, blockedList)
      : el('p', { class: 'meta' }, t('settings.noneBlocked')), block,
    el('h2', {}, t('settings.blockedSystems')), blockedSystemList.length ? el('ul', { class: 'list', id: 'blocked-systems' }, blockedSystemList)
      : el('p', { class: 'meta' }, t('settings.noneBlockedSystems')),
    el('h2', {}, t('settings.closeTitle')), close);
}
