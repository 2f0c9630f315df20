// Exports: direct download links for a page's filters, background export jobs with progress, and their list.
import { show, h, api, heading, table, button, attempt, fmtTime, qs, toast } from '../ui.js';

const names = { csv: 'CSV', xlsx: 'Excel', jsonl: 'JSON Lines', pdf: 'PDF report' };

/** Export links for a dataset with the page's filters, and a button that queues the same export as a job. */
export function exportLinks(dataset, filters, formats = ['csv', 'xlsx', 'jsonl']) {
  const format = h('select', { 'aria-label': 'Background export format' },
    ['csv', 'xlsx', 'jsonl'].map((f) => h('option', { value: f }, names[f])));
  const queue = button('Export in the background', async () => {
    // The page's filters that are set (the API checks them: it answers which one it does not know).
    const chosen = Object.fromEntries(Object.entries(filters).filter(([, v]) => v));
    const job = await attempt(() => api('POST', '/v1/export-jobs', { dataset, format: format.value, filters: chosen }));
    if (job) { toast('Export queued'); location.hash = '#/exports'; }
  }, 'secondary');
  return h('p', { class: 'exports' }, 'Export: ', formats.map((f, i) => [i ? ' · ' : '',
    h('a', { href: `/v1/exports/${dataset}` + qs({ ...filters, format: f }), download: '' }, names[f])]),
  ' — large exports: ', format, ' ', queue);
}

const size = (b) => (b == null ? '—' : b < 1e6 ? `${Math.max(1, Math.round(b / 1e3))} kB` : `${(b / 1e6).toFixed(1)} MB`);
const filterText = (f) => Object.entries(f).map(([k, v]) => `${k}=${v}`).join(', ') || 'everything';

/** Export jobs with their progress (refreshed every second while one runs), download and delete. */
export async function renderExports(main) {
  let timer = null;
  const body = h('div', {});
  const draw = async () => {
    const { exports } = await api('GET', '/v1/export-jobs');
    body.replaceChildren(table(['Export', 'Filters', 'Progress', 'Size', 'Asked', 'Kept until', ''], exports.map((e) => [
      `${e.dataset} · ${names[e.format]}`, filterText(e.filters),
      h('span', {}, h('progress', { max: 100, value: e.progress, 'aria-label': `Progress of ${e.dataset} export` }),
        ` ${e.status} · ${e.progress}%` + (e.rows_total != null ? ` (${e.rows_done} of ${e.rows_total} rows)` : '') + (e.error ? ` — ${e.error}` : '')),
      size(e.bytes), `${fmtTime(e.created_at)} by ${e.created_by || '—'}`, fmtTime(e.expires_at),
      h('span', { class: 'actions' }, e.download_url ? h('a', { href: e.download_url, download: '' }, 'Download') : null, ' ',
        button('Delete', async () => { await attempt(() => api('DELETE', `/v1/export-jobs/${e.id}`), 'Export deleted'); draw(); }, 'danger')),
    ]), 'Export jobs, newest first'));
    const busy = exports.some((e) => e.status === 'queued' || e.status === 'running');
    if (busy && !timer) timer = setInterval(() => draw().catch(() => {}), 1000);
    if (!busy && timer) { clearInterval(timer); timer = null; }
  };
  show(main, ...heading('Exports', 'Large exports run in the background; files are kept for a day. Start one from Search, Parking or here.'),
    h('p', {}, ['reads', 'passes', 'sessions', 'members', 'alerts'].map((d, i) => [i ? ' ' : '', button(`Export all ${d} (CSV)`, async () => {
      if (await attempt(() => api('POST', '/v1/export-jobs', { dataset: d, format: 'csv' }))) draw();
    }, 'secondary')])), body);
  await draw();
  return () => timer && clearInterval(timer);
}
