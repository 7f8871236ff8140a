// Calls to the hub's REST API with the session's access token; a 401 is answered once by refreshing the tokens.
const KEY = 'relais.session';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || String(status));
    this.status = status;
    this.code = problem.code;
    this.body = problem;
  }
}

export function session() {
  const stored = sessionStorage.getItem(KEY);
  return stored ? JSON.parse(stored) : null;
}

export function saveSession(tokens) {
  sessionStorage.setItem(KEY, JSON.stringify({
    accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, account: tokens.account,
  }));
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
}

const refreshListeners = [];

/** Called with the new access token after each refresh (the live socket passes it on). */
export function onRefresh(listener) {
  refreshListeners.push(listener);
}

let refreshing = null;

export async function refresh() {
  if (!refreshing) {
    refreshing = (async () => {
      const current = session();
      const tokens = await request('POST', '/api/v1/auth/refresh', { refreshToken: current.refreshToken }, false);
      saveSession({ ...tokens, account: tokens.account || current.account });
      refreshListeners.forEach((listener) => listener(tokens.accessToken));
    })().finally(() => { refreshing = null; });
  }
  return refreshing;
}

/** A JSON call; {@code body} may be null. Answers the parsed body (null for 204). */
export async function api(method, path, body = null) {
  try {
    return await request(method, path, body, true);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && session()) {
      await refresh();
      return request(method, path, body, true);
    }
    throw e;
  }
}

/** A file the API serves (a document's content, an attachment), as a Blob. */
export async function download(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${session().accessToken}` } });
  if (!response.ok) {
    throw new ApiError(response.status, {});
  }
  return response.blob();
}

async function request(method, path, body, authorised) {
  const headers = { Accept: 'application/json' };
  if (body !== null) {
    headers['Content-Type'] = 'application/json';
  }
  if (authorised && session()) {
    headers.Authorization = `Bearer ${session().accessToken}`;
  }
  const response = await fetch(path, { method, headers, body: body === null ? undefined : JSON.stringify(body) });
  if (response.status === 204) {
    return null;
  }
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : {};
  if (!response.ok) {
    throw new ApiError(response.status, parsed);
  }
  return parsed;
}

/** The base64 content of a File, for the API's JSON bodies. */
export function base64Of(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',')[1]);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}
