// Cameras at a glance and one by one, webhooks with their delivery log, and uploads with job progress.
import { show, h, api, uploadForm, can, heading, field, form, table, button, attempt, fmtTime, toast, loadCameras, qs, state, plate, pct, decisionBadge, poorLightText } from '../ui.js';
import { cameraCard } from './overview.js';

const reload = () => window.dispatchEvent(new HashChangeEvent('hashchange'));

/** Cameras at a glance (state, last read and its picture, frames per second, reconnects; refreshed every 5 s),
 * then the list to manage them (admins add and delete). */
export async function renderCameras(main) {
  const cameras = await loadCameras();
  const grid = h('ul', { class: 'cameras', 'aria-live': 'polite' });
  const refresh = async () => {
    const o = await api('GET', '/v1/overview');
    grid.replaceChildren(...o.cameras.map(cameraCard));
  };
  const admin = can('admin');
  await refresh();
  show(main, ...heading('Cameras', 'State, last read and picture of each camera; refreshes every 5 seconds.'),
    cameras.length ? grid : h('p', { class: 'muted' }, 'No cameras yet.'),
    h('h2', {}, 'All cameras'),
    table(['Name', 'Site', 'Direction', 'Source', 'Unknown plates', ''], cameras.map((c) => [h('a', { href: `#/camera/${encodeURIComponent(c.id)}` }, c.name),
      c.site || '—', c.direction, c.source_url ? (c.enabled ? 'live' : 'disabled') : 'uploads / edge', c.unknown_access,
      admin ? button('Delete', async () => {
        if (confirm(`Delete camera ${c.name}?`) && await attempt(() => api('DELETE', `/v1/cameras/${c.id}`), 'Camera deleted') !== undefined) reload();
      }, 'danger') : ''])),
    admin ? h('section', { class: 'card' }, h('h2', {}, 'Add camera'),
      form([field('Name', { name: 'name', required: true }), field('Site', { name: 'site' }),
        field('Direction', { name: 'direction' }, 'select', [['both', 'Both'], ['entry', 'Entry'], ['exit', 'Exit']]),
        field('Stream URL (rtsp://, http://; empty for uploads and edge agents)', { name: 'source_url' }),
        field('Unknown plates', { name: 'unknown_access' }, 'select', [['deny', 'Deny'], ['allow', 'Allow']])],
      'Add camera', async (v) => { if (await attempt(() => api('POST', '/v1/cameras', v), 'Camera added')) reload(); })) : null);
  const timer = setInterval(() => refresh().catch(() => {}), 5000);
  return () => clearInterval(timer);
}

/** One camera: its settings and live status, then its recent passes and reads. */
export async function renderCamera(main, [id]) {
  const c = (await loadCameras()).find((x) => x.id === id);
  if (!c) { show(main, h('h1', {}, 'Not found'), h('p', {}, 'No such camera.')); return; }
  const status = h('span', { class: 'status', role: 'status' }, '…');
  const light = h('p', { class: 'small bad poor-light', hidden: true });
  const refresh = async () => {
    const st = await api('GET', `/v1/cameras/${encodeURIComponent(id)}/status`);
    status.textContent = st.state + (st.fps_processed != null ? ` · ${st.fps_processed} fps` : '') + (st.reconnects ? ` · ${st.reconnects} reconnects` : '')
      + (st.last_error ? ` · ${st.last_error}` : '');
    light.textContent = poorLightText(st.poor_light) || '';
    light.hidden = !light.textContent;
    status.className = 'status ' + (st.state === 'connected' ? 'ok' : ['offline', 'error'].includes(st.state) ? 'bad' : '');
  };
  const [passes, reads] = await Promise.all([api('GET', '/v1/passes' + qs({ camera_id: id, limit: 20 })), api('GET', '/v1/reads' + qs({ camera_id: id, limit: 10 }))]);
  await refresh();
  show(main, ...heading(c.name, `${c.site || 'No site'} · ${c.direction} · ${c.source_url ? (c.enabled ? 'live source' : 'source disabled') : 'uploads and edge agents'}`),
    h('p', {}, 'Status: ', status), light,
    table(['Plate', 'First seen', 'Last seen', 'Direction', 'Access'], passes.passes.map((p) => [
      h('a', { href: `#/pass/${encodeURIComponent(p.id)}` }, plate(p.display)), fmtTime(p.first_seen_at), fmtTime(p.last_seen_at), p.direction,
      decisionBadge(p.access)]), 'Recent passes'),
    h('p', {}, h('a', { href: '#/search' + qs({ kind: 'passes', camera_id: id }) }, 'All passes of this camera »')),
    table(['Plate', 'Seen', 'Confidence'], reads.reads.map((r) => [h('a', { href: `#/read/${encodeURIComponent(r.id)}` }, plate(r.display)),
      fmtTime(r.captured_at), pct(r.confidence)]), 'Recent reads'),
    h('p', {}, h('a', { href: '#/search' + qs({ camera_id: id }) }, 'All reads of this camera »')));
  const timer = setInterval(() => refresh().catch(() => {}), 5000);
  return () => clearInterval(timer);
}

const eventTypes = ['plate.detected', 'pass.completed', 'alert.raised', 'job.updated'];

export async function renderWebhooks(main) {
  const { webhooks } = await api('GET', '/v1/webhooks');
  show(main, ...heading('Webhooks', 'Events are POSTed, signed with HMAC-SHA256 (X-MicroANPR-Signature), retried for 24 hours.'),
    table(['URL', 'Events', 'State', 'Failures in a row', ''], webhooks.map((w) => [h('a', { href: `#/webhook/${w.id}` }, w.url),
      w.events.join(', '), w.enabled ? 'enabled' : `disabled${w.disabled_reason ? ': ' + w.disabled_reason : ''}`, String(w.consecutive_failures),
      button('Delete', async () => {
        if (confirm(`Delete webhook ${w.url}?`) && await attempt(() => api('DELETE', `/v1/webhooks/${w.id}`), 'Webhook deleted') !== undefined) reload();
      }, 'danger')])),
    h('section', { class: 'card' }, h('h2', {}, 'Add webhook'),
      form([field('URL (https://…)', { name: 'url', type: 'url', required: true }),
        h('fieldset', {}, h('legend', {}, 'Events'), eventTypes.map((t) => h('label', { class: 'check' },
          h('input', { type: 'checkbox', name: 'events', value: t, checked: t !== 'job.updated' }), ' ', t)))],
      'Add webhook', async (v, f) => {
        const events = [...f.querySelectorAll('input[name=events]:checked')].map((x) => x.value);
        const w = await attempt(() => api('POST', '/v1/webhooks', { url: v.url, events }));
        if (!w) return;
        await renderWebhooks(main);
        main.append(h('p', { class: 'notice', role: 'status' }, 'Webhook added. Its signing secret, shown only now: ', h('code', { class: 'secret' }, w.secret)));
      })));
}

export async function renderWebhook(main, [id]) {
  const w = await api('GET', `/v1/webhooks/${encodeURIComponent(id)}`);
  const { deliveries } = await api('GET', `/v1/webhooks/${encodeURIComponent(id)}/deliveries?limit=100`);
  show(main, ...heading(`Webhook ${w.url}`, `${w.enabled ? 'enabled' : 'disabled'} · ${w.events.join(', ')}`),
    h('p', {}, button(w.enabled ? 'Disable' : 'Enable', async () => {
      if (await attempt(() => api('PATCH', `/v1/webhooks/${w.id}`, { enabled: !w.enabled }), 'Saved')) reload();
    })),
    table(['Event', 'Status', 'Attempts', 'Last answer', 'Created', 'Delivered', ''], deliveries.map((d) => [`${d.event} #${d.event_id}`, d.status,
      String(d.attempts), d.last_status ? `HTTP ${d.last_status}` + (d.last_response_ms != null ? ` in ${d.last_response_ms} ms` : '') : (d.last_error || '—'),
      fmtTime(d.created_at), fmtTime(d.delivered_at),
      button('Redeliver', async () => {
        if (await attempt(() => api('POST', `/v1/webhooks/${w.id}/deliveries/${d.id}/redeliver`), 'Queued for delivery')) reload();
      })]), 'Latest deliveries'));
}

export async function renderUpload(main) {
  const progress = h('progress', { max: 100, value: 0, 'aria-label': 'Job progress' });
  const label = h('span', { role: 'status' }, '');
  const result = h('div', {});
  let timer = null;
  const cameras = [['', 'No camera'], ...[...state.cameras.values()].map((c) => [c.id, c.name])];
  show(main, ...heading('Upload', 'A photo is read in a second or two; a video becomes vehicle passes. Progress shows below.'),
    form([field('Photo or video', { name: 'file', type: 'file', accept: 'image/*,video/*', required: true }),
      field('Camera', { name: 'camera_id' }, 'select', cameras),
      // Footage uploaded after the fact keeps its own time (this browser's time zone); empty: now.
      field('Recorded at (optional, for footage from earlier)', { name: 'recorded_at', type: 'datetime-local', step: 1 })], 'Upload', async (v, f) => {
      const file = f.querySelector('input[type=file]').files[0];
      const body = new FormData();
      body.append('file', file, file.name);
      if (v.camera_id) body.append('camera_id', v.camera_id);
      if (v.recorded_at) body.append('recorded_at', new Date(v.recorded_at).toISOString());
      result.replaceChildren();
      label.textContent = 'uploading…';
      const job = await attempt(() => uploadForm('/v1/upload', body, (sent, total) => {
        progress.value = Math.floor((sent * 100) / total);
        label.textContent = `uploading · ${progress.value}%`;
      }));
      progress.value = 0;
      if (!job) { label.textContent = ''; return; }
      const poll = async () => {
        const j = await api('GET', `/v1/jobs/${job.job_id}`).catch(() => null);
        if (!j) return;
        progress.value = j.progress;
        label.textContent = `${j.status} · ${j.progress}%` + (j.error ? ` — ${j.error}` : '');
        if (['done', 'failed'].includes(j.status)) {
          clearInterval(timer); timer = null;
          if (j.status === 'done') {
            const n = j.reads_count, what = j.kind === 'video' ? `vehicle pass${n === 1 ? '' : 'es'}` : `plate${n === 1 ? '' : 's'} read`;
            result.replaceChildren(h('p', {}, `${n} ${what}. `,
              h('a', { href: '#/search' + qs({ job_id: j.id, kind: j.kind === 'video' ? 'passes' : 'reads' }) }, 'See them')));
            toast('Upload processed');
          }
        }
      };
      timer = setInterval(poll, 500);
      poll();
    }),
    h('p', {}, progress, ' ', label), result);
  return () => timer && clearInterval(timer);
}
