// The dashboard's entry point: session, navigation and the hash router (#/page/arg?query).
import { show, state, h, api, can, toast, field, form, loadCameras } from './ui.js';
import * as feed from './pages/feed.js';
import * as search from './pages/search.js';
import * as rules from './pages/rules.js';
import * as devices from './pages/devices.js';
import * as admin from './pages/admin.js';
import * as parking from './pages/parking.js';
import * as exportsPage from './pages/exports.js';
import * as overview from './pages/overview.js';

/** Pages: route -> [title shown in the menu (null: not in it), least role, render(main, args, query), menu section]. */
const routes = {
  overview: ['Overview', 'viewer', overview.render, 'Monitor'],
  feed: ['Live feed', 'viewer', feed.render, 'Monitor'],
  search: ['Search', 'viewer', search.render, 'Monitor'],
  alerts: ['Alerts', 'viewer', rules.renderAlerts, 'Monitor'],
  read: [null, 'viewer', search.renderRead],
  pass: [null, 'viewer', search.renderPass],
  sessions: ['Sessions', 'viewer', parking.renderSessions, 'Parking'],
  tariffs: ['Tariffs', 'viewer', parking.renderTariffs, 'Parking'],
  reports: ['Reports', 'viewer', parking.renderReports, 'Parking'],
  groups: ['Groups', 'viewer', rules.renderGroups, 'Lists'],
  group: [null, 'viewer', rules.renderGroup],
  watchlists: ['Watch lists', 'viewer', rules.renderWatchlists, 'Lists'],
  watchlist: [null, 'viewer', rules.renderWatchlist],
  upload: ['Upload', 'operator', devices.renderUpload, 'Data'],
  exports: ['Exports', 'viewer', exportsPage.renderExports, 'Data'],
  cameras: ['Cameras', 'viewer', devices.renderCameras, 'Admin'],
  camera: [null, 'viewer', devices.renderCamera],
  webhooks: ['Webhooks', 'admin', devices.renderWebhooks, 'Admin'],
  webhook: [null, 'admin', devices.renderWebhook],
  keys: ['API keys', 'admin', admin.renderKeys, 'Admin'],
  users: ['Users', 'admin', admin.renderUsers, 'Admin'],
  audit: ['Audit log', 'admin', admin.renderAudit, 'Admin'],
  privacy: ['Privacy', 'admin', admin.renderPrivacy, 'Admin'],
  usage: ['Usage', 'viewer', admin.renderUsage, 'Admin'],
  settings: ['Settings', 'admin', admin.renderSettings, 'Admin'],
  account: ['Account', 'viewer', admin.renderAccount],
};
const sections = ['Monitor', 'Parking', 'Lists', 'Data', 'Admin'];

let cleanup = null;

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  const [name, ...args] = path.split('/').filter(Boolean);
  return { name: name || 'overview', args: args.map(decodeURIComponent), query: new URLSearchParams(query) };
}

/** The top bar (brand, menu button on phones, who is signed in) and the sidebar: pages grouped by section, only
 * those the user's role may open. On phones the sidebar opens under the top bar with the Menu button. */
function renderNav(current) {
  const top = document.getElementById('top');
  const side = document.getElementById('side');
  if (!state.session) { top.replaceChildren(h('div', { class: 'brand' }, 'MicroANPR')); side.replaceChildren(); side.hidden = true; return; }
  const link = (name, title) => h('li', {}, h('a', { href: '#/' + name, 'aria-current': name === current ? 'page' : null }, title));
  const groups = sections.map((section) => {
    const items = Object.entries(routes).filter(([, [title, role, , sec]]) => title && sec === section && can(role));
    if (!items.length) return null;
    const id = 'nav-' + section.toLowerCase();
    return h('div', { class: 'nav-section' }, h('h2', { id }, section),
      h('ul', { 'aria-labelledby': id }, items.map(([name, [title]]) => link(name, title))));
  });
  side.hidden = false;
  side.classList.remove('open');  // a page was chosen: the phone menu closes
  side.replaceChildren(...groups.filter(Boolean));
  const menu = h('button', { type: 'button', class: 'menu', 'aria-expanded': 'false', 'aria-controls': 'side' }, 'Menu');
  menu.addEventListener('click', () => {
    const open = side.classList.toggle('open');
    menu.setAttribute('aria-expanded', String(open));
  });
  const u = state.session.user;
  top.replaceChildren(h('a', { class: 'brand', href: '#/overview' }, 'MicroANPR'), menu,
    h('div', { class: 'who' }, h('a', { href: '#/account', 'aria-current': current === 'account' ? 'page' : null }, `${u.email} · ${u.role}`),
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
        location.hash = '#/overview';
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
        location.hash = '#/overview';
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
    if (state.session && name === 'signin') { location.hash = '#/overview'; return; }
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
// Leaving the page (reload, another site): close its event stream now. A frozen page kept in the back-forward cache
// would otherwise hold its connection, and after six of them the browser has none left for this server.
window.addEventListener('pagehide', () => {
  if (cleanup) { try { cleanup(); } catch { /* page gone */ } cleanup = null; }
});
route();
