// "Notifications on this device": this browser's push subscription, and the person's devices that receive them.
import { t } from './i18n.js';
import { api, session } from './api.js';
import { el, formatTime, problem } from './ui.js';

/** The id the hub gave this browser's device, kept per account (the hub never shows endpoints). */
const thisDeviceKey = () => `relais.push.device.${session().account.id}`;

function supported() {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** The VAPID key as pushManager.subscribe takes it: bytes, from base64url. */
function keyBytes(base64url) {
  const text = atob(base64url.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

async function subscribeThisDevice() {
  if ((await Notification.requestPermission()) !== 'granted') {
    return false;
  }
  const registration = await navigator.serviceWorker.ready;
  const { applicationServerKey } = await api('GET', '/api/v1/push/key');
  const subscription = await registration.pushManager.getSubscription()
    || await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(applicationServerKey) });
  const device = await api('POST', '/api/v1/push/subscriptions', subscription.toJSON());
  localStorage.setItem(thisDeviceKey(), device.id);
  return true;
}

async function forgetThisDevice() {
  localStorage.removeItem(thisDeviceKey());
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = registration && await registration.pushManager.getSubscription();
  if (subscription) {
    await subscription.unsubscribe();
  }
}

/** The settings block: turn notifications on here, and the list of devices, each removable. */
export async function devicesBlock() {
  const section = el('section', { id: 'push-devices-block', 'aria-labelledby': 'push-devices-title' });
  const render = async () => {
    const devices = await api('GET', '/api/v1/push/subscriptions');
    const here = localStorage.getItem(thisDeviceKey());
    const status = el('p', { role: 'status', id: 'push-status' });
    let action = null;
    if (!supported()) {
      status.textContent = t('devices.unsupported');
    } else if (Notification.permission === 'denied') {
      status.textContent = t('devices.denied');
    } else if (here && devices.some((d) => d.id === here) && Notification.permission === 'granted') {
      status.textContent = t('devices.enabled');
    } else {
      action = el('button', { type: 'button', class: 'primary', id: 'push-enable', onclick: async () => {
        action.disabled = true;
        try {
          if (!(await subscribeThisDevice())) {
            status.textContent = t('devices.denied');
            return;
          }
          await render();
        } catch (error) {
          status.replaceChildren(problem(error));
        } finally {
          action.disabled = false;
        }
      } }, t('devices.enable'));
    }
    const items = devices.map((d) => el('li', { 'data-device': d.id }, el('strong', {}, d.label),
      d.id === here ? ` (${t('devices.this')})` : '', ' ', el('span', { class: 'meta' }, t('devices.since', { date: formatTime(d.createdAt) })), ' ',
      el('button', { type: 'button', 'aria-label': t('devices.removeOne', { label: d.label }), onclick: async () => {
        await api('DELETE', `/api/v1/push/subscriptions/${d.id}`);
        if (d.id === here) {
          await forgetThisDevice();
        }
        await render();
      } }, t('devices.remove'))));
    section.replaceChildren(el('h2', { id: 'push-devices-title' }, t('devices.title')), el('p', {}, t('devices.intro')), status,
      action || '', el('h3', {}, t('devices.list')),
      items.length ? el('ul', { class: 'list', id: 'push-devices' }, items) : el('p', { class: 'meta' }, t('devices.none')));
  };
  await render();
  return section;
}
