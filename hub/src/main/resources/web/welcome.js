// The activation emails' link (/activate#code=…): the person chooses a password, or a patient opposes the creation
// of their space. Nothing here needs a session.
import { t } from './i18n.js';
import { api, ApiError } from './api.js';
import { el, field, show, submitting } from './ui.js';

/** The code the link carries after #code=, or null. */
export function activationCode() {
  if (location.pathname !== '/activate') {
    return null;
  }
  return new URLSearchParams(location.hash.slice(1)).get('code') || '';
}

/** Leaves /activate#code=… for the portal's address: the code is spent, and must not stay in the history. */
function leaveTheLink() {
  history.replaceState(null, '', '/');
}

/**
 * Activation: the password twice, its rules said before it is refused. `onActivated(email)` once it is done; the
 * opposition below it for a patient who does not want the space.
 */
export async function activationView(code, onActivated) {
  let policy = { minLength: 12, maxLength: 256 };
  try {
    policy = await api('GET', '/api/v1/auth/password-policy');
  } catch {
    // the hub refuses a password that breaks its rules anyway; the page says the usual ones
  }
  const codeInput = el('input', { name: 'code', required: true, autocomplete: 'off', value: code || '' });
  const password = el('input', { type: 'password', name: 'password', autocomplete: 'new-password', required: true,
    minlength: String(policy.minLength), maxlength: String(policy.maxLength), 'aria-describedby': 'password-rules' });
  const again = el('input', { type: 'password', name: 'password-again', autocomplete: 'new-password', required: true });
  const form = el('form', { id: 'activation-form' },
    el('p', {}, t('activation.intro')),
    code ? [] : field(t('activation.code'), codeInput),
    field(t('activation.password'), password),
    el('p', { id: 'password-rules', class: 'meta' }, t('activation.rules', { min: policy.minLength, max: policy.maxLength })),
    field(t('activation.again'), again),
    el('button', { type: 'submit', class: 'primary' }, t('activation.submit')));
  submitting(form, async () => {
    if (password.value !== again.value) {
      throw new ApiError(400, { detail: t('activation.mismatch') });
    }
    let account;
    try {
      account = await api('POST', '/api/v1/auth/activate', { code: codeInput.value.trim(), password: password.value });
    } catch (e) {
      throw e instanceof ApiError && e.code === 'activation_invalid' ? new ApiError(400, { detail: t('activation.invalid') }) : e;
    }
    leaveTheLink();
    onActivated(account.email);
  });
  show(t('activation.title'), form, oppositionSection(codeInput));
  (code ? password : codeInput).focus();
}

function oppositionSection(codeInput) {
  const understood = el('input', { type: 'checkbox', name: 'understood', required: true });
  const form = el('form', { id: 'opposition-form' },
    el('p', {}, t('opposition.explain')),
    el('label', { class: 'check' }, understood, t('opposition.understood')),
    el('button', { type: 'submit', class: 'danger' }, t('opposition.submit')));
  submitting(form, async () => {
    try {
      await api('POST', '/api/v1/auth/oppose', { code: codeInput.value.trim() });
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'activation_invalid' || e.code === 'not_a_patient')) {
        throw new ApiError(400, { detail: t(`opposition.${e.code}`) });
      }
      throw e;
    }
    leaveTheLink();
    show(t('opposition.done.title'), el('p', { role: 'status' }, t('opposition.done')));
  });
  return el('details', { class: 'opposition' }, el('summary', {}, t('opposition.title')), form);
}
