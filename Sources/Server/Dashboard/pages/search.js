// Search of reads and passes (filters, paging) and the detail of one read or pass with its frame and box.
import { exportLinks } from './exports.js';
import { show, h, api, heading, field, form, table, fmtTime, pct, cameraName, decisionBadge, groupText, plate, frameWithBox, qs, state, can, toast, pager } from '../ui.js';

const toISO = (local) => (local ? new Date(local).toISOString() : '');

export async function render(main, args, query) {
  const kind = query.get('kind') === 'passes' ? 'passes' : 'reads';
  const filters = Object.fromEntries(['plate', 'plate_prefix', 'camera_id', 'from', 'to', 'min_confidence', 'job_id', 'cursor']
    .map((k) => [k, query.get(k) || '']));
  const cameras = [['', 'Any camera'], ...[...state.cameras.values()].map((c) => [c.id, c.name])];
  const local = (iso) => (iso ? new Date(new Date(iso).getTime() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16) : '');
  const f = form([
    field('Show', { name: 'kind', value: kind }, 'select', [['reads', 'Reads'], ['passes', 'Passes']]),
    field('Plate (exact)', { name: 'plate', value: filters.plate, autocapitalize: 'characters' }),
    field('Plate starts with', { name: 'plate_prefix', value: filters.plate_prefix, autocapitalize: 'characters' }),
    field('Camera', { name: 'camera_id', value: filters.camera_id }, 'select', cameras),
    field('From', { name: 'from', type: 'datetime-local', value: local(filters.from) }),
    field('To', { name: 'to', type: 'datetime-local', value: local(filters.to) }),
    field('Min. confidence (0-1)', { name: 'min_confidence', type: 'number', min: 0, max: 1, step: 0.05, value: filters.min_confidence }),
  ], 'Search', (v) => {
    location.hash = '#/search' + qs({ ...v, from: toISO(v.from), to: toISO(v.to), job_id: filters.job_id });
  }, { class: 'filters', role: 'search' });
  const params = { ...filters, limit: query.get('limit') || 50 };
  const t0 = performance.now();
  const page = await api('GET', `/v1/${kind}` + qs(params));
  const items = page[kind];
  const rows = items.map((r) => [
    h('a', { href: `#/${kind === 'reads' ? 'read' : 'pass'}/${encodeURIComponent(r.id)}` }, plate(r.display)),
    kind === 'reads' ? fmtTime(r.captured_at) : `${fmtTime(r.first_seen_at)} (${r.direction})`,
    cameraName(r.camera_id), pct(r.confidence), groupText(r.group_match), decisionBadge(r.access)]);
  show(main, ...heading('Search', `${items.length} ${kind} shown, newest first (${Math.round(performance.now() - t0)} ms)`),
    f, exportLinks(kind, { ...filters, cursor: '' }, ['csv', 'xlsx', 'jsonl', 'pdf']), table(['Plate', kind === 'reads' ? 'Seen' : 'Seen (direction)', 'Camera', 'Confidence', 'Group', 'Access'], rows),
    pager('#/search', { ...filters, kind }, page.next_cursor));
}

function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== undefined).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '—')]));
}

export async function renderRead(main, [id]) {
  const r = await api('GET', `/v1/reads/${encodeURIComponent(id)}`);
  show(main, ...heading('Read ', null), h('p', {}, plate(r.display)),
    h('div', { class: 'detail' },
      r.image_url ? frameWithBox(r.image_url, r.box, `Frame with plate ${r.display} outlined`) : h('p', { class: 'muted' }, 'No frame stored.'),
      h('div', {},
        r.crop_url ? h('img', { src: r.crop_url, alt: `Plate crop ${r.display}`, class: 'crop big' }) : null,
        facts([['Plate', r.plate], ['Country / format', `${r.country || '—'} / ${r.format}`], ['Confidence', pct(r.confidence)],
          ['Captured', fmtTime(r.captured_at)], ['Camera', cameraName(r.camera_id)], ['Group', groupText(r.group_match)],
          ['Watch list', r.watchlist ? `${r.watchlist.list} (${r.watchlist.reason})` : 'none'], ['Access', decisionBadge(r.access)],
          ['Job', r.job_id ? h('a', { href: '#/search' + qs({ job_id: r.job_id }) }, r.job_id) : '—'], ['Id', r.id]]),
        // Operators fix misreads here; the correction is audited and becomes training data (training-export).
        can('operator') ? form([field('Correct plate', { name: 'plate', value: r.plate, required: true, minlength: 2, maxlength: 20,
          autocapitalize: 'characters', pattern: '[A-Za-z0-9 \\-]+' })], 'Save correction', async (v) => {
          const fixed = await api('POST', `/v1/reads/${encodeURIComponent(r.id)}/correction`, { plate: v.plate });
          toast(`Read corrected to ${fixed.display}`);
          await renderRead(main, [id]);
        }, { class: 'correction', 'aria-label': 'Correct the plate text' }) : null)));
  main.querySelector('h1').textContent = `Read ${r.display}`;
}

export async function renderPass(main, [id]) {
  const p = await api('GET', `/v1/passes/${encodeURIComponent(id)}`);
  const reads = await api('GET', `/v1/reads` + qs({ pass_id: p.id, limit: 100 }));
  show(main, ...heading(`Pass ${p.display}`, `${p.direction} · ${p.frames} frames`),
    h('div', { class: 'detail' },
      p.image_url ? frameWithBox(p.image_url, p.box, `Best frame with plate ${p.display} outlined`) : h('p', { class: 'muted' }, 'No frame stored.'),
      h('div', {},
        p.crop_url ? h('img', { src: p.crop_url, alt: `Plate crop ${p.display}`, class: 'crop big' }) : null,
        facts([['Plate', p.plate], ['Confidence', pct(p.confidence)], ['First seen', fmtTime(p.first_seen_at)],
          ['Last seen', fmtTime(p.last_seen_at)], ['Direction', `${p.direction} (${p.movement})`], ['Camera', cameraName(p.camera_id)],
          ['Group', groupText(p.group_match)], ['Access', decisionBadge(p.access)], ['Id', p.id]]))),
    h('h2', {}, 'Reads of this pass'),
    table(['Plate', 'Time', 'Confidence'], reads.reads.map((r) => [
      h('a', { href: `#/read/${encodeURIComponent(r.id)}` }, r.display), fmtTime(r.captured_at), pct(r.confidence)])));
}
