// Groups and members (CSV import with its error report), watch lists and entries, alerts and alert rules.
import { show, h, api, can, heading, field, form, table, button, attempt, fmtTime, plate, qs, toast, cameraName, state, pager } from '../ui.js';

const reload = () => window.dispatchEvent(new HashChangeEvent('hashchange'));
const confirmDelete = (what, path) => button('Delete', async () => {
  if (!confirm(`Delete ${what}?`)) return;
  await attempt(() => api('DELETE', path), `${what} deleted`);
  reload();
}, 'danger');

export async function renderGroups(main) {
  const { groups } = await api('GET', '/v1/groups');
  show(main, ...heading('Groups', 'Permit holders: a plate of a group member is allowed while the permit is valid.'),
    table(['Name', 'Description', 'Created', ''], groups.map((g) => [
      h('a', { href: `#/group/${g.id}` }, g.name), g.description, fmtTime(g.created_at),
      can('operator') ? confirmDelete(`group ${g.name}`, `/v1/groups/${g.id}`) : ''])),
    can('operator') ? h('section', { class: 'card' }, h('h2', {}, 'New group'),
      form([field('Name', { name: 'name', required: true, maxlength: 200 }), field('Description', { name: 'description', maxlength: 1000 })],
        'Create group', async (v) => { if (await attempt(() => api('POST', '/v1/groups', v), 'Group created')) reload(); })) : null);
}

export async function renderGroup(main, [id]) {
  const g = await api('GET', `/v1/groups/${encodeURIComponent(id)}`);
  const { members } = await api('GET', `/v1/groups/${encodeURIComponent(id)}/members`);
  const report = h('div', { 'aria-live': 'polite' });
  const editing = can('operator');
  show(main, ...heading(`Group ${g.name}`, g.description),
    h('p', {}, h('a', { href: `/v1/groups/${g.id}/members/export`, download: `${g.name}.csv` }, 'Download members as CSV')),
    table(['Plate', 'Name', 'Permit', 'Valid', 'Days / hours', ''], members.map((m) => [
      plate(m.plate), m.name + (m.email ? ` <${m.email}>` : ''), m.permit_id || '—',
      `${m.valid_from ? fmtTime(m.valid_from) : 'always'} – ${m.valid_to ? fmtTime(m.valid_to) : 'open'}`,
      `${m.days || 'every day'} ${m.hours || ''}`,
      editing ? confirmDelete(`member ${m.plate}`, `/v1/groups/${g.id}/members/${m.id}`) : '']), `${members.length} members`),
    editing ? h('section', { class: 'card' }, h('h2', {}, 'Add member'),
      form([field('Plate', { name: 'plate', required: true, autocapitalize: 'characters' }), field('Name', { name: 'name', required: true }),
        field('Email', { name: 'email', type: 'email' }), field('Permit id', { name: 'permit_id' }),
        field('Days (e.g. mon-fri)', { name: 'days' }), field('Hours (e.g. 07:00-19:00)', { name: 'hours' })],
      'Add member', async (v) => { if (await attempt(() => api('POST', `/v1/groups/${g.id}/members`, v), 'Member added')) reload(); })) : null,
    editing ? h('section', { class: 'card' }, h('h2', {}, 'Import members from CSV'),
      h('p', { class: 'small muted' }, 'Header row with name and plate, optionally email, permit_id, valid_from, valid_to, days, hours. '
        + 'Every row is checked first: one bad row imports nothing.'),
      form([field('CSV file', { name: 'file', type: 'file', accept: '.csv,text/csv', required: true })], 'Import', async (v, f) => {
        const file = f.querySelector('input[type=file]').files[0];
        try {
          const r = await api('POST', `/v1/groups/${g.id}/members/import`, await file.text(), { 'Content-Type': 'text/csv' });
          toast(`${r.imported} members imported`);
          reload();
        } catch (e) {
          const rows = e.body?.error?.rows || [];
          report.replaceChildren(h('p', { class: 'error' }, e.message),
            rows.length ? table(['Row', 'Problems'], rows.map((r) => [String(r.row), r.errors.join('; ')]), 'Rows to fix') : '');
        }
      }), report) : null);
}

const reasons = [['stolen', 'Stolen'], ['banned', 'Banned'], ['vip', 'VIP'], ['other', 'Other']];

export async function renderWatchlists(main) {
  const { watchlists } = await api('GET', '/v1/watchlists');
  show(main, ...heading('Watch lists', 'A plate on a watch list raises an alert wherever it is read.'),
    table(['Name', 'Reason', 'Created', ''], watchlists.map((w) => [h('a', { href: `#/watchlist/${w.id}` }, w.name), w.reason,
      fmtTime(w.created_at), can('operator') ? confirmDelete(`watch list ${w.name}`, `/v1/watchlists/${w.id}`) : ''])),
    can('operator') ? h('section', { class: 'card' }, h('h2', {}, 'New watch list'),
      form([field('Name', { name: 'name', required: true }), field('Reason', { name: 'reason' }, 'select', reasons)], 'Create list',
        async (v) => { if (await attempt(() => api('POST', '/v1/watchlists', v), 'Watch list created')) reload(); })) : null);
}

export async function renderWatchlist(main, [id]) {
  const w = await api('GET', `/v1/watchlists/${encodeURIComponent(id)}`);
  const { entries } = await api('GET', `/v1/watchlists/${encodeURIComponent(id)}/entries`);
  show(main, ...heading(`Watch list ${w.name}`, `Reason: ${w.reason}`),
    table(['Plate', 'Note', 'Added', ''], entries.map((e) => [plate(e.plate), e.note, fmtTime(e.created_at),
      can('operator') ? confirmDelete(`entry ${e.plate}`, `/v1/watchlists/${w.id}/entries/${e.id}`) : ''])),
    can('operator') ? h('section', { class: 'card' }, h('h2', {}, 'Add plate'),
      form([field('Plate', { name: 'plate', required: true, autocapitalize: 'characters' }), field('Note', { name: 'note' })], 'Add plate',
        async (v) => { if (await attempt(() => api('POST', `/v1/watchlists/${w.id}/entries`, v), 'Plate added')) reload(); })) : null);
}

export async function renderAlerts(main, args, query) {
  const acknowledged = query.get('acknowledged') || 'false';
  const page = await api('GET', '/v1/alerts' + qs({ acknowledged: acknowledged === 'all' ? '' : acknowledged, cursor: query.get('cursor') || '' }));
  const rules = await api('GET', '/v1/alert-rules');
  const filter = h('nav', { class: 'tabs', 'aria-label': 'Alert filter' }, [['false', 'Open'], ['true', 'Acknowledged'], ['all', 'All']]
    .map(([v, t]) => h('a', { href: '#/alerts' + qs({ acknowledged: v }), 'aria-current': v === acknowledged ? 'page' : null }, t)));
  show(main, ...heading('Alerts', 'Watch-list hits, permits used outside their validity, unknown plates where a rule asks, disabled webhooks.'),
    filter,
    table(['Time', 'Kind', 'Plate', 'Message', 'Camera', ''], page.alerts.map((a) => [fmtTime(a.created_at), a.kind.replaceAll('_', ' '),
      a.plate ? plate(a.plate) : '—', a.message, cameraName(a.camera_id),
      a.acknowledged ? `acknowledged by ${a.acknowledged_by || '?'}` : can('operator')
        ? button('Acknowledge', async () => { if (await attempt(() => api('POST', `/v1/alerts/${a.id}/acknowledge`), 'Acknowledged')) reload(); }) : 'open'])),
    pager('#/alerts', { acknowledged, cursor: query.get('cursor') || '' }, page.next_cursor),
    h('h2', {}, 'Unknown-plate alert rules'),
    table(['Camera', 'Site', 'Created', ''], rules.alert_rules.map((r) => [cameraName(r.camera_id), r.site || 'any', fmtTime(r.created_at),
      can('admin') ? confirmDelete('alert rule', `/v1/alert-rules/${r.id}`) : ''])),
    can('admin') ? h('section', { class: 'card' }, h('h2', {}, 'Alert on unknown plates'),
      form([field('Camera', { name: 'camera_id' }, 'select', [['', 'Any camera'], ...[...state.cameras.values()].map((c) => [c.id, c.name])]),
        field('Site', { name: 'site' })], 'Add rule',
      async (v) => { if (await attempt(() => api('POST', '/v1/alert-rules', { kind: 'unknown_plate', ...v }), 'Rule added')) reload(); })) : null);
}
