// Live feed: recent reads, then every new read and pass as it is stored (server-sent events), newest first.
import { show, h, api, heading, fmtTime, pct, cameraName, decisionBadge, groupText, plate, toast } from '../ui.js';

const LIMIT = 100;

function card(item) {
  return h('li', { class: 'feed-item' + (item.watchlist ? ' watch' : ''), dataset: { plate: item.plate } },
    item.crop ? h('img', { src: item.crop, alt: `Plate crop ${item.display}`, class: 'crop', loading: 'lazy' })
      : h('div', { class: 'crop none' }, 'no crop'),
    h('div', { class: 'feed-body' },
      h('a', { href: `#/${item.kind}/${encodeURIComponent(item.id)}`, class: 'feed-plate' }, plate(item.display)),
      h('div', {}, decisionBadge(item.access), ' ', h('span', { class: 'muted' }, item.kind === 'pass' ? `pass · ${item.direction}` : 'read')),
      h('div', { class: 'small' }, `${cameraName(item.camera_id)} · ${groupText(item.group_match)} · ${pct(item.confidence)}`),
      item.watchlist ? h('div', { class: 'small bad' }, `Watch list ${item.watchlist.list} (${item.watchlist.reason})`) : null,
      h('time', { class: 'small muted', datetime: item.time }, fmtTime(item.time))));
}

const fromRead = (r) => ({ kind: 'read', id: r.id ?? r.read_id, plate: r.plate, display: r.display ?? r.plate, crop: r.crop_url ?? r.image_url,
  camera_id: r.camera_id, group_match: r.group_match, watchlist: r.watchlist, access: r.access, confidence: r.confidence, time: r.captured_at });
const fromPass = (d) => ({ kind: 'pass', id: d.pass_id, plate: d.plate, display: d.pass.display, crop: d.image_url, camera_id: d.camera_id,
  group_match: d.group_match, watchlist: d.watchlist, access: d.access, confidence: d.confidence, time: d.pass.last_seen_at,
  direction: d.pass.direction });

export async function render(main) {
  const list = h('ol', { class: 'feed', 'aria-live': 'polite', 'aria-label': 'Plates, newest first' });
  const status = h('span', { class: 'status', role: 'status' }, 'connecting…');
  show(main, ...heading('Live feed', 'Plates appear here as cameras, uploads and edge agents report them.'),
    h('p', {}, 'Stream: ', status), list);
  const recent = await api('GET', '/v1/reads?limit=20');
  list.replaceChildren(...recent.reads.map((r) => card(fromRead(r))));
  const add = (item) => {
    list.prepend(card(item));
    while (list.children.length > LIMIT) list.lastElementChild.remove();
  };
  const source = new EventSource('/v1/stream?types=plate.detected,pass.completed,alert.raised');
  source.addEventListener('open', () => { status.textContent = 'live'; status.className = 'status ok'; });
  source.addEventListener('error', () => { status.textContent = 'reconnecting…'; status.className = 'status bad'; });
  source.addEventListener('plate.detected', (e) => add(fromRead(JSON.parse(e.data).data)));
  source.addEventListener('pass.completed', (e) => add(fromPass(JSON.parse(e.data).data)));
  source.addEventListener('alert.raised', (e) => {
    const a = JSON.parse(e.data).data.alert;
    toast(`Alert: ${a.message}`, true);
  });
  return () => source.close();
}
