// The dashboard's entry point: session, navigation and the hash router (#/page/arg?query).
import { show, state, h, api, can, toast, field, form, loadCameras } from './ui.js';
import * as feed from './pages/feed.js';
import * as search from './pages/search.js';
import * as rules from './pages/rules.js';
import * as devices from './pages/devices.js';
import * as admin from './pages/admin.js';
import * as parking from './pages/parking.js';
import * as exportsPage from './pages/exports.js';

/** Pages: route -> [title shown in the menu (null: not in it), least role, render(main, args, query)]. */
const routes = {
  feed: ['Live feed', 'viewer', feed.render],
  search: ['Search', 'viewer', search.render],
  read: [null, 'viewer', search.renderRead],
  pass: [null, 'viewer', search.renderPass],
  upload: ['Upload', 'operator', devices.renderUpload],
  groups: ['Groups', 'viewer', rules.renderGroups],
  group: [null, 'viewer', rules.renderGroup],
  watchlists: ['Watch lists', 'viewer', rules.renderWatchlists],
  watchlist: [null, 'viewer', rules.renderWatchlist],
  alerts: ['Alerts', 'viewer', rules.renderAlerts],
  sessions: ['Parking', 'viewer', parking.renderSessions],
  tariffs: ['Tariffs', 'viewer', parking.renderTariffs],
  reports: ['Reports', 'viewer', parking.renderReports],
  exports: ['Exports', 'viewer', exportsPage.renderExports],
  cameras: ['Cameras', 'viewer', devices.renderCameras],
  webhooks: ['Webhooks', 'admin', devices.renderWebhooks],
  webhook: [null, 'admin', devices.renderWebhook],
  keys: ['API keys', 'admin', admin.renderKeys],
  users: ['Users', 'admin', admin.renderUsers],
  audit: ['Audit log', 'admin', admin.renderAudit],
  privacy: ['Privacy', 'admin', admin.renderPrivacy],
  usage: ['Usage', 'viewer', admin.renderUsage],
  settings: ['Settings', 'admin', admin.renderSettings],
  account: ['Account', 'viewer', admin.renderAccount],
};

let cleanup = null;

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  const [name, ...args] = path.split('/').filter(Boolean);
  return { name: name || 'feed', args: args.map(decodeURIComponent), query: new URLSearchParams(query) };
}

function renderNav(current) {
  const top = document.getElementById('top');
  if (!state.session) { top.replaceChildren(h('div', { class: 'brand' }, 'MicroANPR')); return; }
  const links = Object.entries(routes).filter(([, [title, role]]) => title && can(role))
    .map(([name, [title]]) => h('li', {}, h('a', { href: '#/' + name, 'aria-current': name === current ? 'page' : null }, title)));
  const menu = h('button', { type: 'button', class: 'menu', 'aria-expanded': 'false', 'aria-controls': 'nav' }, 'Menu');
  const nav = h('nav', { id: 'nav', 'aria-label': 'Main' }, h('ul', {}, links));
  menu.addEventListener('click', () => {
    const open = nav.classList.toggle('open');
    menu.setAttribute('aria-expanded', String(open));
  });
  const u = state.session.user;
  top.replaceChildren(h('div', { class: 'brand' }, 'MicroANPR'), menu, nav,
    h('div', { class: 'who' }, h('span', {}, `${u.email} · ${u.role}`),
      h('button', { type: 'button', class: 'link', onclick: signOut }, 'Sign out')));
}

async function signOut() {
  await api('DELETE', '/v1/session').catch(() => {});
  state.session = null;
  location.hash = '#/signin';
}

function renderSignIn(main) {
  show(main, h('section', { class: 'card narrow' }, h('h1', {}, 'Sign in'),
    form([field('Email', { name: 'email', type: 'email', required: true, autocomplete: 'username' }),
      field('Password', { name: 'password', type: 'password', required: true, autocomplete: 'current-password' })],
    'Sign in', async (v, f) => {
      try {
        const body = { email: v.email, password: v.password };
        if (v.tenant) body.tenant = v.tenant;
        state.session = await api('POST', '/v1/session', body);
        location.hash = '#/feed';
      } catch (e) {
        // One email with the same password in several organisations: ask which, then sign in again.
        const choices = e.code === 'tenant_required' && e.body?.error?.tenants;
        if (choices && !f.querySelector('select[name=tenant]')) {
          f.querySelector('.actions').before(field('Organisation', { name: 'tenant', required: true }, 'select',
            choices.map((t) => [t.id, t.name])));
          toast('This email opens several organisations: choose one.');
        } else toast(e.message, true);
      }
    })));
  main.querySelector('input').focus();
}

function renderAccept(main, query) {
  const token = query.get('token') || '';
  show(main, h('section', { class: 'card narrow' }, h('h1', {}, 'Accept invitation'),
    h('p', {}, 'Choose your name and a password (at least 10 characters) to finish your account.'),
    form([field('Your name', { name: 'name', autocomplete: 'name' }),
      field('Password', { name: 'password', type: 'password', required: true, minlength: 10, autocomplete: 'new-password' })],
    'Create account', async (v) => {
      try {
        state.session = await api('POST', '/v1/invitations/accept', { token, password: v.password, name: v.name });
        location.hash = '#/feed';
      } catch (e) { toast(e.message, true); }
    })));
}

async function route() {
  if (cleanup) { try { cleanup(); } catch { /* page gone */ } cleanup = null; }
  const { name, args, query } = parseHash();
  const main = document.getElementById('main');
  if (name === 'accept') { state.session = null; renderNav(); renderAccept(main, query); return; }
  if (!state.session) {
    try { state.session = await api('GET', '/v1/session'); } catch { state.session = null; }
  }
  if (!state.session || name === 'signin') {
    if (state.session && name === 'signin') { location.hash = '#/feed'; return; }
    renderNav(); renderSignIn(main); return;
  }
  const entry = routes[name];
  renderNav(name);
  if (!entry) { show(main, h('h1', {}, 'Not found'), h('p', {}, 'No such page.')); return; }
  if (!can(entry[1])) { show(main, h('h1', {}, 'Not allowed'), h('p', {}, `This page needs the ${entry[1]} role.`)); return; }
  if (!state.cameras.size) await loadCameras().catch(() => {});
  show(main, h('p', { class: 'muted' }, 'Loading…'));
  try {
    cleanup = (await entry[2](main, args, query)) || null;
  } catch (e) {
    show(main, h('h1', {}, 'Error'), h('p', { class: 'error' }, e.message || String(e)));
  }
  document.title = `${entry[0] || name} · MicroANPR`;
  main.focus({ preventScroll: true });
}

window.addEventListener('hashchange', route);
route();
