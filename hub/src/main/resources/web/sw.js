// The portal's service worker: it keeps the shell (the page, its modules, styles and icons) so that the portal
// opens like an app on a phone, also while the hub cannot be reached. The API and the live socket never go
// through its cache: what people read is always the hub's. Push notifications will be handled here.
const CACHE = 'relais-shell-v2';
const PAGE = '/';
const SHELL = [PAGE, '/app/app.js', '/app/api.js', '/app/apps.js', '/app/bell.js', '/app/care.js', '/app/chart.js', '/app/i18n.js',
  '/app/live.js', '/app/messages.js', '/app/patient.js', '/app/phone.js', '/app/professional.js', '/app/ui.js', '/app/welcome.js',
  '/app/style.css', '/app/manifest.webmanifest', '/app/icon-192.png', '/app/icon-512.png'];
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
