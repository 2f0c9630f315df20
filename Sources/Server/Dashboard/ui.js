// Shared helpers of the dashboard: element builder, API client, formatting, tables, forms, paging.

/** The signed-in session: { user: {id, email, name, role}, csrf_token }. */
export const state = { session: null, cameras: new Map() };

/** The user roles, least first: the one role table of the dashboard (the server's is Auth/Permissions.swift). */
export const roles = ['viewer', 'operator', 'admin', 'owner'];
const ranks = Object.fromEntries(roles.map((r, i) => [r, i]));
/** Whether the signed-in user has at least `role`. */
export const can = (role) => !!state.session && ranks[state.session.user.role] >= ranks[role];

/** Creates an element: h('a', {href, onclick}, 'text', child, ...). Text is always inserted as text. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** An API error with the server's code and message. */
export class APIError extends Error {
  constructor(status, code, message, body) { super(message); this.status = status; this.code = code; this.body = body; }
}

/** Calls the API as the signed-in user (cookie + CSRF header). `body` may be an object (JSON), FormData or text. */
export async function api(method, path, body, headers = {}) {
  const init = { method, headers: { ...headers }, credentials: 'same-origin' };
  if (state.session && method !== 'GET') init.headers['X-CSRF-Token'] = state.session.csrf_token;
  if (body instanceof FormData || typeof body === 'string') init.body = body;
  else if (body !== undefined) { init.body = JSON.stringify(body); init.headers['Content-Type'] = 'application/json'; }
  const res = await fetch(path, init);
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  return answer(path, res.status, type.includes('json') ? await res.json() : await res.text());
}

/** The data of an answer, or an APIError (a lost session goes back to sign-in). */
function answer(path, status, data) {
  if (status < 200 || status >= 300) {
    const e = data && data.error ? data.error : { code: 'http_' + status, message: String(data).slice(0, 200) };
    if (status === 401 && !path.startsWith('/v1/session') && !path.startsWith('/v1/invitations')) {
      state.session = null;
      location.hash = '#/signin';
    }
    throw new APIError(status, e.code, e.message, data);
  }
  return data;
}

/** POSTs a form as `api` does, calling `onProgress(sent, total)` while it is sent (fetch cannot report an
 *  upload's progress; a video of hundreds of megabytes takes a while to send). */
export function uploadForm(path, body, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    if (state.session) xhr.setRequestHeader('X-CSRF-Token', state.session.csrf_token);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded, e.total); };
    xhr.onload = () => {
      let data = xhr.responseText;
      if ((xhr.getResponseHeader('Content-Type') || '').includes('json')) { try { data = JSON.parse(data); } catch { /* text */ } }
      try { resolve(answer(path, xhr.status, data)); } catch (e) { reject(e); }
    };
    xhr.onerror = () => reject(new APIError(0, 'network_error', 'the upload could not be sent', null));
    xhr.send(body);
  });
}

/** Shows a short message (errors stay longer). */
export function toast(message, isError = false) {
  const t = document.getElementById('toast');
  t.replaceChildren(h('div', { class: isError ? 'msg error' : 'msg' }, message));
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.replaceChildren(), isError ? 8000 : 3000);
}

/** Runs an action, reporting failure as a toast; returns its result or undefined. */
export async function attempt(fn, done) {
  try {
    const r = await fn();
    if (done) toast(done);
    return r;
  } catch (e) {
    toast(e.message || String(e), true);
  }
}

export const fmtTime = (s) => (s ? new Date(s).toLocaleString() : '—');
export const pct = (x) => (x == null ? '—' : Math.round(x * 100) + '%');
/** What a camera's `poor_light` share says to an operator, or null while under half of its recent frames are poor. */
export const poorLightText = (share) => (share != null && share >= 0.5
  ? `Poor light in ${pct(share)} of recent frames (dark or flat picture): plates may be missed; check exposure, lighting, lens`
  : null);
export const cameraName = (id) => (id ? (state.cameras.get(id)?.name || id) : '—');

/** Loads the tenant's cameras into the name cache. */
export async function loadCameras() {
  const r = await api('GET', '/v1/cameras');
  state.cameras = new Map(r.cameras.map((c) => [c.id, c]));
  return r.cameras;
}

/** The access decision as a coloured badge, with the reason. */
export function decisionBadge(access) {
  if (!access) return h('span', { class: 'badge' }, '—');
  const reason = access.reason.replaceAll('_', ' ');
  return h('span', { class: 'badge ' + (access.decision === 'allow' ? 'ok' : 'bad') }, `${access.decision} · ${reason}`);
}

/** The group member matched, or "unknown". */
export function groupText(m) {
  if (!m) return 'no group';
  return `${m.group}: ${m.member}` + (m.match !== 'exact' ? ` (${m.match})` : '') + (m.valid ? '' : ' — outside validity');
}

/** A plate in UK-plate style. */
export const plate = (text) => h('span', { class: 'plate' }, text);

/** A table with a header row; rows are arrays of cells (strings or nodes). */
export function table(headers, rows, caption) {
  return h('div', { class: 'table-wrap' },
    h('table', {},
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.length ? rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))
        : h('tr', {}, h('td', { colspan: headers.length, class: 'muted' }, 'Nothing here yet.')))));
}

let fieldSeq = 0;
/** A labelled input: field('Email', {name:'email', type:'email', required:true}). */
export function field(label, attrs = {}, tag = 'input', options = []) {
  const id = 'f' + (++fieldSeq);
  const control = tag === 'select'
    ? h('select', { id, ...attrs }, options.map(([v, t]) => h('option', { value: v, selected: String(v) === String(attrs.value ?? '') }, t)))
    : h(tag, { id, ...attrs });
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

/** A form whose submit calls `onsubmit(values, form)` with the named fields' values (empty ones left out). */
export function form(children, submitLabel, onsubmit, attrs = {}) {
  const f = h('form', { ...attrs, class: 'form ' + (attrs.class || '') }, children,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, submitLabel)));
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const values = {};
    for (const [k, v] of new FormData(f).entries()) if (v !== '' && !(v instanceof File)) values[k] = v;
    const button = f.querySelector('button[type=submit]');
    button.disabled = true;
    try { await onsubmit(values, f); } finally { button.disabled = false; }
  });
  return f;
}

/** A page heading and an optional line under it. */
export const heading = (title, sub) => [h('h1', {}, title), sub ? h('p', { class: 'muted' }, sub) : null].filter(Boolean);

/** A button that runs an async action. */
export const button = (label, fn, cls = '') => h('button', { type: 'button', class: cls, onclick: fn }, label);

/** Draws a plate box over a frame: the image scales, the SVG overlay uses the image's pixel coordinates. */
export function frameWithBox(src, box, alt) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'overlay');
  svg.setAttribute('aria-hidden', 'true');
  const img = h('img', { src, alt, class: 'frame' });
  img.addEventListener('load', () => {
    svg.setAttribute('viewBox', `0 0 ${img.naturalWidth} ${img.naturalHeight}`);
    const r = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    for (const [k, v] of Object.entries({ x: box.x, y: box.y, width: box.width, height: box.height })) r.setAttribute(k, v);
    r.setAttribute('class', 'box');
    svg.replaceChildren(r);
  });
  return h('figure', { class: 'framebox' }, img, svg);
}

/** Query string from an object, skipping empty values. Spaces are sent as %20, not the form encoding's "+", which
 * the server reads as a plus sign (a typed plate "GY12 UBL" must arrive with its space). */
export const qs = (o) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null && v !== '') p.set(k, v);
  const s = p.toString().replace(/\+/g, '%20');
  return s ? '?' + s : '';
};

/** Newest-first paging links of a list at `route` with `filters`: "« Newest" once past the first page, "Older »"
 * while the server gave a `next_cursor`. */
export function pager(route, filters, nextCursor) {
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    filters.cursor ? h('a', { href: route + qs({ ...filters, cursor: '' }) }, '« Newest') : null,
    nextCursor ? h('a', { href: route + qs({ ...filters, cursor: nextCursor }), rel: 'next' }, 'Older »') : null);
}

/** Replaces a page's content, skipping absent (null/false) parts. */
export const show = (main, ...children) =>
  main.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
