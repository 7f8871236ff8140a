// The person's mobile number: added, proven with the code it receives by SMS, removed; and where login codes go.
import { api } from './api.js';
import { el, field, submitting, problem, announce } from './ui.js';
import { t } from './i18n.js';

/** A phone number kept on one line. */
export const unbroken = (number) => number.replace(/ /g, '\u00a0');

/** The settings section, drawn again in place after each change. */
export async function phoneSection() {
  const section = el('section', { id: 'phone-settings', 'aria-labelledby': 'phone-title' });
  await draw(section);
  return section;
}

async function draw(section) {
  const phone = await api('GET', '/api/v1/me/phone');
  const redraw = () => draw(section);
  const parts = [el('h2', { id: 'phone-title' }, t('phone.title')), el('p', { class: 'meta' }, t('phone.intro'))];
  if (!phone.number) {
    parts.push(numberForm(redraw, t('phone.add')));
  } else if (!phone.verified) {
    parts.push(el('p', { role: 'status' }, t('phone.codeSent', { number: unbroken(phone.display) })), codeForm(redraw),
      el('div', { class: 'row' }, resendButton(phone.number, section), removeButton(redraw)));
  } else {
    parts.push(el('p', { id: 'phone-number' }, t('phone.verified', { number: unbroken(phone.display) })), channelForm(phone, redraw),
      el('details', {}, el('summary', {}, t('phone.change')), numberForm(redraw, t('phone.sendCode'))), removeButton(redraw));
  }
  section.replaceChildren(...parts);
}

function numberForm(redraw, label) {
  const number = el('input', { name: 'number', type: 'tel', autocomplete: 'tel', required: true, maxlength: '40',
    placeholder: '06 12 34 56 78', 'aria-describedby': 'phone-format' });
  return submitting(el('form', { id: 'phone-form' }, field(t('phone.number'), number),
    el('p', { id: 'phone-format', class: 'meta' }, t('phone.format')),
    el('button', { type: 'submit', class: 'primary' }, label)), async () => {
    await api('PUT', '/api/v1/me/phone', { number: number.value });
    await redraw();
  });
}

function codeForm(redraw) {
  const code = el('input', { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}',
    maxlength: '6', required: true });
  return submitting(el('form', { id: 'phone-code-form' }, field(t('phone.code'), code),
    el('button', { type: 'submit', class: 'primary' }, t('phone.verify'))), async () => {
    await api('POST', '/api/v1/me/phone/verify', { code: code.value });
    await redraw();
  });
}

function channelForm(phone, redraw) {
  const choice = el('select', { name: 'loginCodeBy' }, ['email', 'sms'].map((by) =>
    el('option', { value: by, selected: phone.loginCodeBy === by }, t(`phone.by.${by}`))));
  const saved = el('p', { role: 'status' });
  return submitting(el('form', { id: 'login-code-form' }, field(t('phone.loginCodeBy'), choice),
    el('button', { type: 'submit' }, t('settings.save')), saved), async () => {
    await api('PUT', '/api/v1/me/login-code', { by: choice.value });
    await redraw();
    document.getElementById('phone-settings').append(el('p', { role: 'status' }, t('settings.saved')));
    announce(t('settings.saved'));
  });
}

function resendButton(number, section) {
  const button = el('button', { type: 'button', id: 'phone-resend' }, t('phone.resend'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await api('PUT', '/api/v1/me/phone', { number });
      await draw(section);
      section.append(el('p', { role: 'status' }, t('phone.resent')));
      announce(t('phone.resent'));
    } catch (error) {
      button.disabled = false;
      section.append(problem(error));
    }
  });
  return button;
}

function removeButton(redraw) {
  const button = el('button', { type: 'button', id: 'phone-remove' }, t('phone.remove'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await api('DELETE', '/api/v1/me/phone');
      await redraw();
    } catch (error) {
      button.disabled = false;
      button.after(problem(error));
    }
  });
  return button;
}
