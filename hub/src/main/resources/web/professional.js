// The professional's screens: patients in their care (and asking a patient for access, or opening her record in an
// emergency), and one patient (what to know of her, then write, deposit, appointment).
import { t } from './i18n.js';
import { api, base64Of, ApiError } from './api.js';
import { el, field, show, submitting, announce, formatTime } from './ui.js';
import { KINDS, appointmentItem } from './patient.js';
import { messageOf } from './messages.js';
import { careRequestForm, myRequestsList } from './care.js';
import { chart, emergencySection } from './chart.js';
import { phoneSection } from './phone.js';
import { devicesBlock } from './devices.js';

/** After a break-glass: the patient's page, which now shows her record until the access ends (shown again if it is this one). */
const openPatient = (route) => (opened) => {
  const page = `#/patients/${opened.patientId}`;
  if (location.hash === page) {
    route();
  } else {
    location.hash = page;
  }
};

/** The patients in the professional's care, then their own appointments to come (cancel, move), asking for access, break-glass. */
export async function patientsView(route) {
  const [page, requests, appointments] = await Promise.all([api('GET', '/api/v1/patients'), api('GET', '/api/v1/care-requests'),
    api('GET', '/api/v1/appointments')]);
  const patients = page.items || page;
  const items = patients.map((p) => el('li', {}, el('a', { href: `#/patients/${p.id}` }, p.displayName)));
  const now = Date.now();
  const upcoming = appointments.filter((a) => new Date(a.endsAt).getTime() > now)
    .map((a) => appointmentItem(a, { viewer: 'professional', actions: true, done: () => route() }));
  show(t('patients.title'), items.length ? el('ul', { class: 'list', id: 'patients' }, items) : el('p', {}, t('patients.empty')),
    el('section', { 'aria-labelledby': 'my-appointments-title' }, el('h2', { id: 'my-appointments-title' }, t('agenda.mine')),
      upcoming.length ? el('ul', { class: 'list', id: 'my-appointments' }, upcoming) : el('p', { class: 'meta' }, t('agenda.mineEmpty'))),
    el('h2', {}, t('patients.ask')), careRequestForm(route), el('h3', {}, t('care.myRequests')), myRequestsList(requests),
    emergencySection(openPatient(route)));
  return { onEvent: (event) => { if (event.type.startsWith('care.') || event.type.startsWith('appointment.')) route(); } };
}

/** A patient whose record the professional may not open: how to be let in (her consent), or break-glass. */
function noAccessView(route) {
  show(t('chart.noAccess.title'), el('p', {}, t('chart.noAccess')), el('h2', {}, t('patients.ask')), careRequestForm(route),
    emergencySection(openPatient(route)));
}

export async function patientView(id, route) {
  let patient;
  try {
    patient = await api('GET', `/api/v1/patients/${encodeURIComponent(id)}`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      noAccessView(route);
      return null;
    }
    throw e;
  }
  const reading = await chart(id, patient);
  const subject = el('input', { name: 'subject', required: true, maxlength: '200' });
  const body = el('textarea', { name: 'body', required: true, maxlength: '10000' });
  const attachment = el('input', { type: 'file', name: 'attachment', accept: 'application/pdf,image/jpeg,image/png' });
  const write = el('form', { id: 'write-form' }, field(t('patients.subject'), subject), field(t('messages.body'), body),
    field(t('messages.attachment'), attachment), el('button', { type: 'submit', class: 'primary' }, t('patients.start')));
  submitting(write, async () => {
    const created = await api('POST', '/api/v1/conversations', { subject: subject.value, participants: [id],
      message: await messageOf(body, attachment) });
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
    await reading.documentsAgain();
  });
  const startsAt = el('input', { type: 'datetime-local', name: 'startsAt', required: true });
  const minutes = el('input', { type: 'number', name: 'minutes', min: '5', max: '480', value: '20', required: true });
  const place = el('input', { name: 'place', required: true, maxlength: '200' });
  const booked = el('p', { role: 'status' });
  const appointment = submitting(el('form', { id: 'appointment-form' }, field(t('appointment.startsAt'), startsAt),
    field(t('appointment.minutes'), minutes), field(t('appointment.place'), place),
    el('button', { type: 'submit', class: 'primary' }, t('appointment.book')), booked), async () => {
    const start = startsAt.value; // Paris wall-clock time, as the API takes it
    const end = new Date(new Date(`${start}:00Z`).getTime() + Number(minutes.value) * 60000).toISOString().slice(0, 16);
    await api('POST', '/api/v1/appointments', { patientId: id, startsAt: start, endsAt: end, place: place.value });
    booked.textContent = t('appointment.booked');
    appointment.reset();
    await reading.appointmentsAgain();
  });
  show(patient.displayName, ...reading.nodes, el('h2', {}, t('patients.write')), write, el('h2', {}, t('patients.deposit')), deposit,
    el('h2', {}, t('appointment.title')), appointment);
}


/** The software the professional lets act on their behalf: who, since when, revoke; allow another by its client id. */
export async function softwareView(route) {
  const granted = await api('GET', '/api/v1/me/delegations');
  const items = granted.map((s) => el('li', {}, t('software.entry', { name: s.name, organisation: s.organisation.name,
    since: formatTime(s.since) }), ' ', el('button', { type: 'button', onclick: async () => {
    await api('DELETE', `/api/v1/me/delegations/${encodeURIComponent(s.systemId)}`);
    route();
  } }, t('software.revoke'))));
  const clientId = el('input', { name: 'clientId', required: true, maxlength: '200', autocomplete: 'off' });
  const grant = submitting(el('form', { id: 'software-form' }, field(t('software.clientId'), clientId),
    el('button', { type: 'submit', class: 'primary' }, t('software.grant'))), async () => {
    const system = await api('POST', '/api/v1/me/delegations', { clientId: clientId.value.trim() });
    announce(t('software.granted', { name: system.name }));
    route();
  });
  show(t('software.title'), el('p', {}, t('software.intro')),
    items.length ? el('ul', { class: 'list', id: 'software' }, items) : el('p', { class: 'meta' }, t('software.none')), grant);
}

/** The professional's own settings: the devices that receive notifications, the mobile number for login codes. */
export async function professionalSettingsView() {
  const [devices, phone] = await Promise.all([devicesBlock(), phoneSection()]);
  show(t('settings.title'), devices, phone);
}
