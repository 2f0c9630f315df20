// Overview (the home page): what a site is doing now, from GET /v1/overview; every figure links to its page, and
// the figures follow the event stream (refreshed at most every 2 seconds while events arrive, else every 30).
import { show, h, api, heading, fmtTime, plate, qs, poorLightText } from '../ui.js';

const money = (rows) => (rows.length ? rows.map((r) => `${(r.total / 100).toFixed(2)} ${r.currency}`).join(' + ') : '0.00');

/** "last Tuesday: 4 (+3)": the same hours a week ago, and the difference. */
function versus(today, before, zone) {
  const day = new Intl.DateTimeFormat(undefined, { weekday: 'long', timeZone: zone }).format(new Date(Date.now() - 7 * 86400000));
  const d = today - before;
  return `last ${day}: ${before}` + (d === 0 ? ' (same)' : ` (${d > 0 ? '+' : '−'}${Math.abs(d)})`);
}

/** A figure card: its value, what it is, a comparison, and the page that explains it. */
function figure(name, value, label, href, note, warn = false) {
  return h('a', { class: 'figure' + (warn ? ' warn' : ''), href, dataset: { figure: name } },
    h('span', { class: 'value' }, String(value)), h('span', { class: 'label' }, label), note ? h('span', { class: 'note small' }, note) : null);
}

/** A camera at a glance: state, last read with its picture, frames per second, reconnects, poor light. */
export function cameraCard(c) {
  const read = c.last_read;
  const stateClass = c.problem ? 'bad' : c.state === 'connected' ? 'ok' : '';
  const picture = read && (read.image_url || read.crop_url);
  return h('li', { class: 'camera-card' + (c.problem ? ' problem' : ''), dataset: { camera: c.id } },
    picture ? h('img', { src: picture, alt: `Last read at ${c.name}: ${read.display}`, class: 'thumb', loading: 'lazy' })
      : h('div', { class: 'thumb none' }, 'no picture yet'),
    h('div', { class: 'camera-body' },
      h('a', { href: `#/camera/${encodeURIComponent(c.id)}`, class: 'camera-name' }, c.name),
      h('div', { class: 'small muted' }, c.site || 'no site'),
      h('div', {}, h('span', { class: 'status ' + stateClass }, c.live ? c.state : 'uploads / edge'),
        c.live && c.fps_processed != null ? h('span', { class: 'small' }, ` ${c.fps_processed} fps`) : null,
        c.reconnects ? h('span', { class: 'small' }, ` · ${c.reconnects} reconnects`) : null),
      c.last_error ? h('div', { class: 'small bad' }, c.last_error) : null,
      poorLightText(c.poor_light) ? h('div', { class: 'small bad poor-light' }, poorLightText(c.poor_light)) : null,
      read ? h('div', { class: 'small' }, 'Last read ', h('a', { href: `#/read/${encodeURIComponent(read.id)}` }, plate(read.display)), ' ',
        h('time', { datetime: read.captured_at }, fmtTime(read.captured_at))) : h('div', { class: 'small muted' }, 'no read yet')));
}

export async function render(main, args, query) {
  const site = query.get('site') || '';
  const live = h('span', { class: 'status', role: 'status' }, 'connecting…');
  const body = h('div', { 'aria-live': 'polite' });
  let sites = [];
  const draw = (o) => {
    sites = o.sites;
    const zone = o.time_zone;
    const at = (p) => p + qs({ site });
    body.replaceChildren(
      h('div', { class: 'figures' },
        figure('vehicles_on_site', o.vehicles_on_site, 'vehicles on site now', '#/sessions' + qs({ status: 'open', site })),
        figure('entries_today', o.entries.today, 'entries today', at('#/sessions'), versus(o.entries.today, o.entries.same_weekday_last_week, zone)),
        figure('exits_today', o.exits.today, 'exits today', at('#/sessions'), versus(o.exits.today, o.exits.same_weekday_last_week, zone)),
        figure('revenue_today', money(o.revenue_today), 'revenue today', at('#/reports'),
          `last ${new Intl.DateTimeFormat(undefined, { weekday: 'long', timeZone: zone }).format(new Date(Date.now() - 7 * 86400000))}: ${money(o.revenue_same_weekday_last_week)}`),
        figure('open_alerts', o.open_alerts.count + (o.open_alerts.at_least ? '+' : ''), 'open alerts', '#/alerts', null, o.open_alerts.count > 0),
        figure('cameras_with_problem', o.cameras_with_problem, 'cameras with a problem', '#/cameras', null, o.cameras_with_problem > 0),
        figure('reads_last_hour', o.reads_last_hour, 'reads in the last hour', '#/search')),
      h('section', { class: 'card' }, h('h2', {}, 'Open alerts, newest first'),
        o.open_alerts.newest.length ? h('ul', { class: 'alerts' }, o.open_alerts.newest.map((a) => h('li', {},
          h('span', { class: 'badge bad' }, a.kind.replaceAll('_', ' ')), ' ', a.message, ' ',
          h('time', { class: 'small muted', datetime: a.created_at }, fmtTime(a.created_at)),
          a.read_id ? [' · ', h('a', { href: `#/read/${encodeURIComponent(a.read_id)}` }, 'read')] : null)))
          : h('p', { class: 'muted' }, 'No open alerts.'),
        h('p', {}, h('a', { href: '#/alerts' }, 'All alerts »'))),
      h('section', {}, h('h2', {}, 'Cameras'),
        o.cameras.length ? h('ul', { class: 'cameras' }, o.cameras.map(cameraCard)) : h('p', { class: 'muted' }, 'No cameras yet.')),
      h('p', { class: 'small muted' }, `Days in ${zone}; today began ${fmtTime(o.today_from)}. Updated ${fmtTime(o.generated_at)}.`));
  };
  const load = async () => draw(await api('GET', '/v1/overview' + qs({ site })));
  await load();
  const picker = h('select', { 'aria-label': 'Site', onchange: (e) => { location.hash = '#/overview' + qs({ site: e.target.value }); } },
    h('option', { value: '' }, 'All sites'), sites.map((s) => h('option', { value: s, selected: s === site }, s)));
  show(main, ...heading('Overview', site ? `Site ${site}, now.` : 'All sites, now.'),
    h('div', { class: 'toolbar' }, h('label', {}, 'Site ', picker), h('span', { class: 'small' }, 'Updates: ', live)), body);
  performance.mark('overview-painted');

  // Live: refresh on events, at most every 2 s; and every 30 s for camera states.
  let pending = null;
  const soon = () => { if (!pending) pending = setTimeout(async () => { pending = null; await load().catch(() => {}); }, 2000); };
  const source = new EventSource('/v1/stream?types=plate.detected,pass.completed,alert.raised');
  source.addEventListener('open', () => { live.textContent = 'live'; live.className = 'status ok'; });
  source.addEventListener('error', () => { live.textContent = 'reconnecting…'; live.className = 'status bad'; });
  for (const type of ['plate.detected', 'pass.completed', 'alert.raised']) source.addEventListener(type, soon);
  const timer = setInterval(() => load().catch(() => {}), 30000);
  return () => { source.close(); clearInterval(timer); clearTimeout(pending); };
}
