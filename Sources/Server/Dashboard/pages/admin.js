// API keys, users and roles, the audit log, usage against quota, tenant settings and the user's own account.
import { show, h, api, can, roles, heading, field, form, table, button, attempt, fmtTime, qs, state, toast } from '../ui.js';

const reload = () => window.dispatchEvent(new HashChangeEvent('hashchange'));

export async function renderKeys(main) {
  const { api_keys: keys } = await api('GET', '/v1/api-keys');
  show(main, ...heading('API keys', 'For machines (edge agents, scripts): send as Authorization: Bearer KEY. A key acts with its role; '
    + 'an ingest key (for edge agents and cameras) may only send images, videos and passes.'),
    table(['Name', 'Prefix', 'Role', 'Created', 'State', ''], keys.map((k) => [k.name, h('code', {}, k.prefix + '…'), k.role, fmtTime(k.created_at),
      k.revoked_at ? `revoked ${fmtTime(k.revoked_at)}` : 'live',
      k.revoked_at ? '' : button('Revoke', async () => {
        if (confirm(`Revoke key ${k.name}? Machines using it stop working.`)
          && await attempt(() => api('DELETE', `/v1/api-keys/${k.id}`), 'Key revoked') !== undefined) reload();
      }, 'danger')])),
    h('section', { class: 'card' }, h('h2', {}, 'New key'),
      form([field('Name', { name: 'name', required: true, maxlength: 200 }),
        field('Role', { name: 'role', value: 'ingest' }, 'select', [['ingest', 'ingest: send images, videos and passes'],
          ['viewer', 'viewer'], ['operator', 'operator'], ['admin', 'admin']])], 'Create key', async (v) => {
        const k = await attempt(() => api('POST', '/v1/api-keys', v));
        if (!k) return;
        await renderKeys(main);
        main.append(h('p', { class: 'notice', role: 'status' }, 'Copy the key now; it is not shown again: ', h('code', { class: 'secret' }, k.api_key)));
      })));
}

export async function renderUsers(main) {
  const { users } = await api('GET', '/v1/users');
  const me = state.session.user;
  const grantable = roles.filter((r) => r !== 'owner' || can('owner'));
  const roleSelect = (u) => {
    if (u.role === 'owner' && !can('owner')) return u.role;
    const s = h('select', { 'aria-label': `Role of ${u.email}` }, grantable.map((r) => h('option', { value: r, selected: r === u.role }, r)));
    s.addEventListener('change', async () => {
      if (await attempt(() => api('PATCH', `/v1/users/${u.id}`, { role: s.value }), `${u.email} is now ${s.value}`) === undefined) s.value = u.role;
    });
    return s;
  };
  show(main, ...heading('Users', 'Owners manage everything; admins manage users (not owners), cameras, webhooks, keys and settings; '
    + 'operators upload and manage groups, watch lists and alerts; viewers look.'),
    table(['Email', 'Name', 'Role', 'Status', 'Last sign-in', ''], users.map((u) => [u.email, u.name, roleSelect(u), u.status,
      fmtTime(u.last_login_at), u.id === me.id || (u.role === 'owner' && !can('owner')) ? '' : button('Remove', async () => {
        if (confirm(`Remove ${u.email}?`) && await attempt(() => api('DELETE', `/v1/users/${u.id}`), 'User removed') !== undefined) reload();
      }, 'danger')])),
    h('section', { class: 'card' }, h('h2', {}, 'Invite someone'),
      form([field('Email', { name: 'email', type: 'email', required: true }), field('Name', { name: 'name' }),
        field('Role', { name: 'role', value: 'viewer' }, 'select', grantable.map((r) => [r, r]))], 'Invite', async (v, f) => {
        const r = await attempt(() => api('POST', '/v1/users', v));
        if (!r) return;
        const link = new URL(r.invite_url, location.href).href;
        await renderUsers(main);
        main.append(h('p', { class: 'notice' }, `Send this link to ${r.user.email} (valid 7 days, shown once): `,
          h('code', { class: 'secret' }, link)));
      })));
}

export async function renderAudit(main, args, query) {
  const page = await api('GET', '/v1/audit' + qs({ before: query.get('before') || '', limit: 100 }));
  show(main, ...heading('Audit log', 'Sign-ins, permission changes, keys, settings, exports and deletions.'),
    table(['Time', 'Who', 'Action', 'Target', 'Detail', 'Address'], page.entries.map((e) => [fmtTime(e.created_at), e.actor, e.action,
      e.target || '', e.detail || '', e.ip || ''])),
    page.next_before ? h('p', {}, h('a', { href: '#/audit' + qs({ before: page.next_before }) }, 'Older »')) : null);
}

export async function renderUsage(main) {
  const u = await api('GET', '/v1/usage');
  const share = u.quota ? Math.min(100, (100 * u.plate_reads) / u.quota) : 0;
  show(main, ...heading('Usage', `Plan ${u.plan}, month ${u.month}.`),
    h('section', { class: 'card' },
      h('p', { class: 'big' }, `${u.plate_reads.toLocaleString()} of ${u.quota.toLocaleString()} plate reads used`),
      h('meter', { min: 0, max: 100, low: 80, high: 95, optimum: 0, value: share.toFixed(1), 'aria-label': 'Share of quota used' }),
      h('p', {}, `${share.toFixed(1)}% used · ${u.remaining.toLocaleString()} left this month.`)));
}

export async function renderSettings(main) {
  const { tenant } = await api('GET', '/v1/tenant');
  show(main, ...heading('Settings', `Tenant ${tenant.name} (${tenant.id}), plan ${tenant.plan}.`),
    h('section', { class: 'card' }, h('h2', {}, 'Retention, time zone and pseudonymisation'),
      h('p', { class: 'small muted' }, 'Reads, passes, their images, events and alerts older than the retention period are deleted. '
        + 'Permit days and hours are read in the time zone. After the pseudonymisation age, reads of plates in no group, on no watch list '
        + 'and in no open parking session keep a keyed hash (~…) instead of the plate and lose their images: counts still work, '
        + 'and a search for the plate still finds them (0: off).'),
      form([field('Keep data for (days)', { name: 'retention_days', type: 'number', min: 1, max: 3650, required: true, value: tenant.retention_days }),
        field('Time zone (IANA, e.g. Europe/London)', { name: 'time_zone', required: true, value: tenant.time_zone }),
        field('Pseudonymise plates after (hours, 0: off)', { name: 'pseudonymise_after_hours', type: 'number', min: 0, max: 87600, required: true,
          value: tenant.pseudonymise_after_hours ?? 0 })], 'Save', async (v) => {
        await attempt(() => api('PATCH', '/v1/tenant', {
          retention_days: Number(v.retention_days), time_zone: v.time_zone, pseudonymise_after_hours: Number(v.pseudonymise_after_hours),
        }), 'Settings saved');
      })),
    h('section', { class: 'card' }, h('h2', {}, 'All your data'),
      h('p', {}, 'A SQL script with the schema and every row of this tenant (no keys or passwords), for an empty database: ',
        h('a', { href: '/v1/exports/tenant?format=sql&dialect=sqlite', download: '' }, 'SQLite'), ' · ',
        h('a', { href: '/v1/exports/tenant?format=sql&dialect=postgres', download: '' }, 'PostgreSQL'), '.')));
}

export async function renderAccount(main) {
  const u = state.session.user;
  show(main, ...heading('Account', `${u.email} · ${u.role}`),
    h('section', { class: 'card narrow' }, h('h2', {}, 'Change password'),
      form([field('Current password', { name: 'current_password', type: 'password', required: true, autocomplete: 'current-password' }),
        field('New password (10 or more characters)', { name: 'new_password', type: 'password', required: true, minlength: 10, autocomplete: 'new-password' })],
      'Change password', async (v, f) => {
        if (await attempt(() => api('POST', '/v1/session/password', v), 'Password changed; other sessions were signed out') !== undefined) f.reset();
      })));
}

/** Privacy requests for one plate (UK GDPR): subject access as a ZIP, erasure with its counts. */
export async function renderPrivacy(main) {
  const result = h('div', { id: 'privacy-result' });
  const link = h('a', { id: 'subject-access', hidden: true, download: '' }, 'Download the subject-access ZIP');
  show(main, ...heading('Privacy', 'Answer a request about one plate: everything held about it, or its erasure. '
    + 'Both are written to the audit log; an erasure keeps only a keyed hash of the plate there.'),
    h('section', { class: 'card' }, h('h2', {}, 'Subject access'),
      form([field('Plate', { name: 'plate', required: true, maxlength: 40, autocomplete: 'off' })], 'Prepare', async (v) => {
        link.href = '/v1/privacy/subject-access' + qs({ plate: v.plate });
        link.hidden = false;
        link.focus();
      }), link),
    h('section', { class: 'card' }, h('h2', {}, 'Erasure'),
      h('p', {}, 'Deletes the plate\'s reads, passes, parking sessions and charges, alerts, events and images. '
        + 'Group members and watch-list entries are kept unless you tick the box.'),
      form([field('Plate', { name: 'plate', required: true, maxlength: 40, autocomplete: 'off' }),
        field('Reason', { name: 'reason', required: true, maxlength: 500 }),
        h('div', { class: 'field' }, h('label', {}, h('input', { type: 'checkbox', name: 'include_lists', value: 'true' }),
          ' Also delete its group members and watch-list entries'))], 'Erase', async (v) => {
        if (!confirm(`Erase everything about ${v.plate}? This cannot be undone.`)) return;
        const r = await attempt(() => api('POST', '/v1/privacy/erasures',
          { plate: v.plate, reason: v.reason, include_lists: v.include_lists === 'true' }), 'Erased');
        if (!r) return;
        result.replaceChildren(table(['What', 'Deleted'], [['Reads', r.reads], ['Passes', r.passes],
          ['Parking sessions', r.parking_sessions], ['Alerts', r.alerts], ['Events', r.events], ['Corrections', r.corrections],
          ['Group members', r.members], ['Watch-list entries', r.watchlist_entries], ['Images', r.media_files]], `Erasure of ${r.plate}`),
        r.exports_containing_plate.length
          ? h('p', {}, `Export files that still hold the plate (delete them on the Exports page): ${r.exports_containing_plate.join(', ')}`)
          : h('p', {}, 'No export file holds the plate.'),
        h('p', {}, 'Audit entry: ', h('code', {}, r.audit_target)));
      }), result));
}
