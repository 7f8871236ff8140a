// The portal's service worker: it keeps the shell (the page, its modules, styles and icons) so that the portal
// opens like an app on a phone, also while the hub cannot be reached. The API and the live socket never go
// through its cache: what people read is always the hub's. It also shows the hub's push notifications, which only
// count what waits (the page they open reads the rest from the hub once the person is signed in).
const CACHE = 'relais-shell-v3';
const PAGE = '/';
const SHELL = [PAGE, '/app/app.js', '/app/api.js', '/app/apps.js', '/app/bell.js', '/app/care.js', '/app/chart.js', '/app/devices.js', '/app/i18n.js',
  '/app/live.js', '/app/messages.js', '/app/patient.js', '/app/phone.js', '/app/professional.js', '/app/ui.js', '/app/welcome.js',
  '/app/style.css', '/app/manifest.webmanifest', '/app/icon-192.png', '/app/icon-512.png'];
const ICON = SHELL.find((path) => path.endsWith('icon-192.png'));
/** The addresses that answer the page itself. */
const PAGES = ['/', '/activate', '/oauth/authorize'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

// Network first, so a new version of the portal is used at once; the cache answers when the network fails.
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) {
    return;
  }
  const key = PAGES.includes(url.pathname) ? PAGE : url.pathname;
  if (key !== PAGE && !url.pathname.startsWith('/app/')) {
    return;
  }
  event.respondWith(fetch(event.request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      event.waitUntil(caches.open(CACHE).then((cache) => cache.put(key, copy)));
    }
    return response;
  }).catch(() => caches.match(key).then((cached) => cached || Response.error())));
});

// A push: the hub's count-only words, shown as they came; nothing is fetched.
self.addEventListener('push', (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (e) {
    message = {};
  }
  const url = samePortalPath(message.url) ? message.url : '/';
  event.waitUntil(self.registration.showNotification(message.title || 'Relais', {
    body: message.body || '', tag: message.tag || 'relais', data: { url }, icon: ICON, badge: ICON,
  }));
});

// A click: the portal's open window goes to the notification's page, or a new one opens there.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL(samePortalPath(event.notification.data && event.notification.data.url) ? event.notification.data.url : '/',
    self.location.origin).href;
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
    const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
    if (open) { // brought forward if the browser lets it, and taken to the page either way
      return open.focus().catch(() => open).then(() => open.navigate(url));
    }
    return self.clients.openWindow(url);
  }));
});

/** Only a path of this portal ("/#/messages"): never another site, nor "//host" which leaves the origin. */
function samePortalPath(url) {
  return typeof url === 'string' && url.startsWith('/') && !url.startsWith('//')
    && new URL(url, self.location.origin).origin === self.location.origin;
}
