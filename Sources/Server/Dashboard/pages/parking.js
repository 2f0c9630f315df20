// Parking: sessions (entry/exit pairs) with charges, revenue, tariffs with a quote form, overstay rules; reports
// with SVG charts (no chart library).
import { exportLinks } from './exports.js';
import { show, h, api, can, heading, field, form, table, button, attempt, fmtTime, plate, qs, state, toast, pager } from '../ui.js';

const reload = () => window.dispatchEvent(new HashChangeEvent('hashchange'));
const money = (minor, currency) => (minor == null ? '—' : `${(minor / 100).toFixed(2)} ${currency || ''}`.trim());
const sites = () => [...new Set([...state.cameras.values()].map((c) => c.site).filter(Boolean))];
const isoDaysAgo = (n) => new Date(Date.now() - n * 86400000).toISOString();

export async function renderSessions(main, args, query) {
  const filters = { site: query.get('site') || '', status: query.get('status') || '', plate: query.get('plate') || '', cursor: query.get('cursor') || '' };
  const page = await api('GET', '/v1/sessions' + qs({ ...filters, limit: 50 }));
  const revenue = await api('GET', '/v1/reports/revenue' + qs({ from: isoDaysAgo(30), to: new Date().toISOString() }));
  const f = form([
    field('Site', { name: 'site', value: filters.site }, 'select', [['', 'Any site'], ...sites().map((s) => [s, s])]),
    field('Status', { name: 'status', value: filters.status }, 'select',
      [['', 'Any'], ['open', 'Open'], ['closed', 'Closed'], ['missed_exit', 'Missed exit'], ['missed_entry', 'Missed entry']]),
    field('Plate', { name: 'plate', value: filters.plate, autocapitalize: 'characters' })], 'Filter',
  (v) => { location.hash = '#/sessions' + qs(v); }, { class: 'filters', role: 'search' });
  show(main, heading('Parking sessions', 'Entry and exit passes of a plate at a site, paired; charged with the site tariff when they close.'),
    f, exportLinks('sessions', { site: filters.site, status: filters.status }),
    table(['Plate', 'Site', 'Status', 'Entered', 'Exited', 'Stay', 'Charge'], page.sessions.map((s) => [plate(s.plate), s.site,
      s.status.replace('_', ' ') + (s.permit_holder ? ' · permit' : ''), fmtTime(s.entered_at), fmtTime(s.exited_at),
      s.minutes != null ? `${Math.floor(s.minutes / 60)} h ${s.minutes % 60} min` : '—', money(s.charge, s.currency)])),
    pager('#/sessions', filters, page.next_cursor),
    h('h2', {}, 'Revenue, last 30 days'),
    table(['Day', 'Site', 'Sessions', 'Revenue'], revenue.days.map((d) => [d.date, d.site, String(d.sessions), money(d.total, d.currency)])));
}

export async function renderTariffs(main) {
  const { tariffs } = await api('GET', '/v1/tariffs');
  const { overstay_rules: rules } = await api('GET', '/v1/overstay-rules');
  const quoteOut = h('div', { 'aria-live': 'polite' });
  const example = { currency: 'GBP', grace_minutes: 10, weekday: { bands: [{ up_to_minutes: 60, price: 200 }, { up_to_minutes: 120, price: 350 }], hourly: 150 },
    weekend: { hourly: 100 }, bank_holiday: { hourly: 0 }, daily_cap: 1200, permit_holders_free: true, uk_bank_holidays: true };
  const siteOptions = [...new Set([...sites(), ...tariffs.map((t) => t.site)])].map((s) => [s, s]);
  show(main, heading('Tariffs', 'Per site; money in minor units (pence). A stay is split at local midnights; each day is priced by its kind and capped.'),
    tariffs.map((t) => h('section', { class: 'card' }, h('h2', {}, t.site), h('pre', { class: 'json' }, JSON.stringify(t.tariff, null, 2)),
      can('admin') ? button('Remove tariff', async () => {
        if (confirm(`Remove the tariff of ${t.site}?`) && await attempt(() => api('DELETE', '/v1/tariffs' + qs({ site: t.site })), 'Removed') !== undefined) reload();
      }, 'danger') : null)),
    h('section', { class: 'card' }, h('h2', {}, 'Quote a stay'),
      form([field('Site', { name: 'site' }, 'select', siteOptions.length ? siteOptions : [['', 'no site has a tariff']]),
        field('Entered', { name: 'entered', type: 'datetime-local', required: true }), field('Exited', { name: 'exited', type: 'datetime-local', required: true })],
      'Quote', async (v) => {
        const q = await attempt(() => api('POST', '/v1/tariffs/quote', { site: v.site, entered_at: new Date(v.entered).toISOString(), exited_at: new Date(v.exited).toISOString() }));
        if (q) quoteOut.replaceChildren(h('p', { class: 'big' }, `${money(q.total, q.currency)}` + (q.free_reason ? ` (free: ${q.free_reason})` : '')),
          table(['Day', 'Kind', 'Minutes', 'Price'], q.lines.map((l) => [l.date, l.day_type.replace('_', ' '), String(l.minutes), money(l.price, q.currency) + (l.capped ? ' (cap)' : '')])));
      }), quoteOut),
    can('admin') ? h('section', { class: 'card' }, h('h2', {}, 'Set a site tariff'),
      form([field('Site', { name: 'site', required: true, list: 'site-names' }), h('datalist', { id: 'site-names' }, sites().map((s) => h('option', { value: s }))),
        field('Tariff (JSON)', { name: 'tariff', required: true, rows: 12, class: 'code' }, 'textarea')], 'Save tariff', async (v) => {
        let tariff;
        try { tariff = JSON.parse(v.tariff); } catch (e) { toast('The tariff is not valid JSON: ' + e.message, true); return; }
        if (await attempt(() => api('PUT', '/v1/tariffs', { site: v.site, tariff }), 'Tariff saved')) reload();
      })) : null,
    h('h2', {}, 'Overstay rules'),
    table(['Site', 'Group', 'Longest stay', ''], rules.map((r) => [r.site || 'any', r.group_id || 'anyone', `${r.max_minutes} min`,
      can('admin') ? button('Delete', async () => { if (await attempt(() => api('DELETE', `/v1/overstay-rules/${r.id}`), 'Deleted') !== undefined) reload(); }, 'danger') : ''])),
    can('admin') ? h('section', { class: 'card' }, h('h2', {}, 'Alert on long stays'),
      form([field('Site', { name: 'site' }, 'select', [['', 'Any site'], ...sites().map((s) => [s, s])]),
        field('Longest stay (minutes)', { name: 'max_minutes', type: 'number', min: 1, required: true })], 'Add rule', async (v) => {
        if (await attempt(() => api('POST', '/v1/overstay-rules', { ...v, max_minutes: Number(v.max_minutes) }), 'Rule added')) reload();
      })) : null);
  const area = main.querySelector('textarea[name=tariff]');
  if (area) area.value = JSON.stringify(example, null, 2);
}

const SVG = 'http://www.w3.org/2000/svg';
const s = (tag, attrs, ...kids) => {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const k of kids) el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return el;
};

/** The smallest of 1, 2, 5 x 10^k at or above `v` (a round top for the y axis). */
const niceMax = (v) => {
  const p = 10 ** Math.floor(Math.log10(Math.max(1, v)));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= v);
};

/** A bar chart: a y axis with grid lines, x ticks where `ticks[i]` is true (labelled `labels[i]`; `tips` say each
 * bar in full when hovered), bars at least 4 px wide, drawn at its own pixel size (it narrows on small screens,
 * never stretches), and the same figures as a table under it, for screen readers and for copying. */
function bars(title, labels, values, { ticks = labels.map(() => true), tips = labels, x = '', y = 'count' } = {}) {
  const n = Math.max(1, values.length);
  const left = 46, right = 12, top = 12, hgt = 180;
  const bw = Math.max(4, Math.min(80, 620 / n));
  const w = Math.round(left + right + bw * n);
  const max = niceMax(Math.max(1, ...values));
  const svg = s('svg', { viewBox: `0 0 ${w} ${top + hgt + 46}`, width: w, height: top + hgt + 46, role: 'img', 'aria-label': `${title} (table below)`, class: 'chart' });
  for (const f of [0, 0.5, 1]) {
    const v = max * f;
    if (!Number.isInteger(v)) continue;
    const yy = top + hgt - f * hgt;
    svg.append(s('line', { x1: left, y1: yy, x2: w - right, y2: yy, class: f === 0 ? 'axis' : 'grid' }));
    svg.append(s('text', { x: left - 6, y: yy + 4, class: 'tick', 'text-anchor': 'end' }, String(v)));
  }
  values.forEach((v, i) => {
    const bh = (v / max) * hgt;
    svg.append(s('rect', { x: left + i * bw + (bw > 6 ? 1 : 0.5), y: top + hgt - bh, width: Math.max(3, bw - (bw > 6 ? 2 : 1)), height: bh, class: 'bar' },
      s('title', {}, `${tips[i]}: ${v}`)));
    if (ticks[i]) {
      const cx = left + i * bw + bw / 2;
      svg.append(s('line', { x1: cx, y1: top + hgt, x2: cx, y2: top + hgt + 4, class: 'axis' }));
      svg.append(s('text', { x: cx, y: top + hgt + 18, class: 'tick', 'text-anchor': 'middle' }, labels[i]));
    }
  });
  if (x) svg.append(s('text', { x: left + (w - left - right) / 2, y: top + hgt + 40, class: 'axis-title', 'text-anchor': 'middle' }, x));
  svg.append(s('text', { x: 12, y: top + hgt / 2, class: 'axis-title', 'text-anchor': 'middle', transform: `rotate(-90 12 ${top + hgt / 2})` }, y));
  return h('figure', { class: 'card' }, h('figcaption', {}, title), h('div', { class: 'chart-scroll' }, svg),
    h('details', { class: 'chart-table' }, h('summary', {}, 'Show as a table'),
      table([x || 'label', y], values.map((v, i) => [tips[i], String(v)]), title)));
}

export async function renderReports(main, args, query) {
  const days = Number(query.get('days') || 7);
  const site = query.get('site') || '';
  const r = await api('GET', '/v1/reports/summary' + qs({ from: isoDaysAgo(days), to: new Date().toISOString(), site }));
  // Times in the tenant's zone (where its sites are), whatever the browser's.
  const zone = r.time_zone;
  const hourly = r.occupancy_step === 'hour';
  const fmt = (opts) => new Intl.DateTimeFormat(undefined, { timeZone: zone, ...opts });
  const occ = r.occupancy.map((o) => new Date(o.at));
  // Buckets start at whole local hours (or midnights): ticks at local midnights over several days, every 3 hours
  // within a day, every few days by day.
  const hourOf = (d) => Number(fmt({ hour: 'numeric', hourCycle: 'h23' }).format(d));
  const manyDays = hourly && occ.length > 30;
  const tick = manyDays ? fmt({ weekday: 'short', day: 'numeric' }) : hourly ? fmt({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    : fmt({ day: 'numeric', month: 'short' });
  const full = hourly ? fmt({ weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    : fmt({ weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
  const every = Math.ceil(occ.length / 10);
  const ticks = occ.map((d, i) => (manyDays ? hourOf(d) === 0 : hourly ? hourOf(d) % 3 === 0 : i % every === 0));
  const visitorsTotal = r.permit_holders + r.others;
  show(main, heading('Reports', `${r.sessions} parking sessions in the last ${days} days${site ? ' at ' + site : ''}; times in ${zone}.`),
    h('nav', { class: 'tabs', 'aria-label': 'Range' }, [1, 7, 30, 90].map((d) => h('a', { href: '#/reports' + qs({ days: d, site }), 'aria-current': d === days ? 'page' : null }, d === 1 ? '1 day' : `${d} days`))),
    bars(`Occupancy: vehicles inside, per ${r.occupancy_step}`, occ.map((d) => tick.format(d)), r.occupancy.map((o) => o.vehicles),
      { ticks, tips: occ.map((d) => full.format(d)), x: `${hourly ? 'hour' : 'day'} starting (${zone})`, y: 'vehicles' }),
    bars('Dwell time of closed sessions', r.dwell.map((d) => d.range), r.dwell.map((d) => d.sessions), { x: 'stay', y: 'sessions' }),
    bars(`Peak hours: entries by hour of day`, r.entries_by_hour.map((e) => `${String(e.hour).padStart(2, '0')}:00`), r.entries_by_hour.map((e) => e.entries),
      { ticks: r.entries_by_hour.map((e) => e.hour % 3 === 0), tips: r.entries_by_hour.map((e) => `${String(e.hour).padStart(2, '0')}:00-${String(e.hour).padStart(2, '0')}:59`), x: `hour of day (${zone})`, y: 'entries' }),
    bars('Permit holders vs others', ['permit holders', 'others'], [r.permit_holders, r.others], { x: 'visitor', y: 'sessions' }),
    h('section', { class: 'card' }, h('h2', {}, 'Repeat visitors'),
      h('p', {}, `${r.repeat_visitors.plates} of ${r.repeat_visitors.of_plates} plates came more than once` +
        (visitorsTotal ? `; ${Math.round((100 * r.permit_holders) / visitorsTotal)}% of stays were permit holders.` : '.')),
      table(['Plate', 'Visits'], r.repeat_visitors.top.map((t) => [plate(t.plate), String(t.visits)]))));
}
