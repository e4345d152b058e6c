// The fncache console: plain DOM, every value shown with textContent (never as HTML).
'use strict';

const csrf = document.querySelector('meta[name="csrf-token"]').content;
const $ = (id) => document.getElementById(id);
const state = { pattern: '*', cursors: [null], page: 0, nextCursor: null, rows: [], selected: null, lastInfo: null };

async function api(method, path, body) {
  const options = { method, headers: {}, credentials: 'same-origin' };
  if (method !== 'GET') {
    options.headers['X-CSRF-Token'] = csrf;
  }
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch('/_console/api/' + path, options);
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(answer.error || ('HTTP ' + response.status));
  }
  return answer;
}

function status(text) {
  $('status').textContent = text;
}

function formatTtl(millis) {
  if (millis <= 0) return 'expired';
  let seconds = Math.ceil(millis / 1000);
  const days = Math.floor(seconds / 86400); seconds %= 86400;
  const hours = Math.floor(seconds / 3600); seconds %= 3600;
  const minutes = Math.floor(seconds / 60); seconds %= 60;
  if (days) return days + 'd ' + hours + 'h';
  if (hours) return hours + 'h ' + minutes + 'm';
  if (minutes) return minutes + 'm ' + seconds + 's';
  return seconds + 's';
}

async function loadInfo() {
  try {
    const info = await api('GET', 'info');
    $('backend').textContent = info.backend;
    $('entries').textContent = info.entries + (info.entriesCapped ? '+' : '');
    $('hit-rate').textContent = info.hitRate === null ? 'no reads yet'
      : (100 * info.hitRate).toFixed(1) + '% of ' + (info.hits + info.misses);
    $('near-cache-row').hidden = !info.nearCache;
    if (info.nearCache) {
      const near = info.nearCache;
      $('near-cache').textContent = near.hits + ' hits, ' + near.misses + ' misses, ' + near.evictions + ' evicted';
    }
    const now = Date.now();
    if (state.lastInfo) {
      const seconds = (now - state.lastInfo.at) / 1000;
      const rates = Object.entries(info.operations)
        .map(([operation, count]) => [operation, (count - (state.lastInfo.operations[operation] || 0)) / seconds])
        .filter(([, rate]) => rate > 0)
        .map(([operation, rate]) => operation + ' ' + rate.toFixed(1));
      $('rates').textContent = rates.length ? rates.join(', ') : 'idle';
    }
    state.lastInfo = { at: now, operations: info.operations };
  } catch (error) {
    status('info: ' + error.message);
  }
}

// Each load has a number; an answer that arrives after a later load started is dropped, so a slow
// refresh can never paint an older page over the one just asked for.
let loads = 0;

async function loadPage() {
  const load = ++loads;
  const cursor = state.cursors[state.page];
  const query = new URLSearchParams({ pattern: state.pattern, limit: '50' });
  if (cursor) query.set('cursor', cursor);
  try {
    const page = await api('GET', 'keys?' + query);
    if (load !== loads) return;
    const fetchedAt = Date.now();
    state.rows = page.keys.map((row) => ({ ...row, expiresAt: fetchedAt + row.ttlMillis }));
    state.nextCursor = page.nextCursor;
    render();
  } catch (error) {
    if (load === loads) status(error.message);
  }
}

function render() {
  const body = $('rows');
  body.replaceChildren();
  for (const row of state.rows) {
    const tr = document.createElement('tr');
    tr.dataset.key = row.key;
    const keyCell = document.createElement('td');
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'key';
    open.textContent = row.key;
    open.addEventListener('click', () => openEntry(row.key));
    keyCell.append(open);
    const ttlCell = document.createElement('td');
    ttlCell.className = 'ttl';
    const preview = document.createElement('td');
    preview.className = 'preview';
    preview.textContent = row.preview;
    tr.append(keyCell, ttlCell, preview);
    body.append(tr);
  }
  tick();
  $('previous').disabled = state.page === 0;
  $('next').disabled = !state.nextCursor;
  $('page-label').textContent = 'page ' + (state.page + 1) + (state.rows.length ? '' : ' (no keys)');
}

function tick() {
  const now = Date.now();
  const gone = state.rows.filter((row) => row.expiresAt <= now);
  if (gone.length) {
    state.rows = state.rows.filter((row) => row.expiresAt > now);
    for (const row of gone) {
      const tr = $('rows').querySelector('tr[data-key="' + CSS.escape(row.key) + '"]');
      if (tr) tr.remove();
    }
  }
  for (const tr of $('rows').children) {
    const row = state.rows.find((candidate) => candidate.key === tr.dataset.key);
    if (row) tr.querySelector('.ttl').textContent = formatTtl(row.expiresAt - now);
  }
  if (state.selected) {
    $('detail-ttl').textContent = formatTtl(state.selected.expiresAt - now);
  }
}

async function openEntry(key) {
  try {
    const entry = await api('GET', 'entry?' + new URLSearchParams({ key }));
    state.selected = { key, expiresAt: Date.now() + entry.ttlMillis };
    $('detail').hidden = false;
    $('detail-key').textContent = key;
    $('value').value = JSON.stringify(entry.value, null, 2);
    $('ttl').value = Math.max(1, Math.ceil(entry.ttlMillis / 1000));
    $('value-error').textContent = '';
    tick();
    $('value').focus();
  } catch (error) {
    status(error.message);
  }
}

async function save() {
  let value;
  try {
    value = JSON.parse($('value').value);
  } catch (error) {
    $('value-error').textContent = 'Not valid JSON: ' + error.message;
    return;
  }
  $('value-error').textContent = '';
  try {
    await api('PUT', 'entry?' + new URLSearchParams({ key: state.selected.key }),
      { value, ttlSeconds: Number($('ttl').value) });
    status('saved ' + state.selected.key);
    await openEntry(state.selected.key);
    await loadPage();
  } catch (error) {
    $('value-error').textContent = error.message;
  }
}

async function extend() {
  try {
    await api('POST', 'extend?' + new URLSearchParams({ key: state.selected.key }),
      { seconds: Number($('extend-seconds').value) });
    status('extended ' + state.selected.key);
    await openEntry(state.selected.key);
    await loadPage();
  } catch (error) {
    status(error.message);
  }
}

async function remove() {
  const key = state.selected.key;
  if (!window.confirm('Delete ' + key + '?')) return;
  try {
    await api('DELETE', 'entry?' + new URLSearchParams({ key }));
    state.selected = null;
    $('detail').hidden = true;
    status('deleted ' + key);
    await loadPage();
  } catch (error) {
    status(error.message);
  }
}

async function purge(event) {
  event.preventDefault();
  const pattern = $('purge-pattern').value;
  try {
    const counted = await api('GET', 'count?' + new URLSearchParams({ pattern }));
    const count = counted.count + (counted.capped ? '+' : '');
    if (!window.confirm('Delete ' + count + ' keys matching ' + pattern + '?')) {
      status('nothing purged');
      return;
    }
    const done = await api('POST', 'purge', { pattern });
    status('purged ' + done.deleted + ' keys matching ' + pattern);
    state.cursors = [null];
    state.page = 0;
    await loadPage();
    await loadInfo();
  } catch (error) {
    status(error.message);
  }
}

function search(event) {
  event.preventDefault();
  state.pattern = $('pattern').value || '*';
  state.cursors = [null];
  state.page = 0;
  loadPage();
}

$('search').addEventListener('submit', search);
$('purge').addEventListener('submit', purge);
$('next').addEventListener('click', () => {
  state.cursors[state.page + 1] = state.nextCursor;
  state.page += 1;
  loadPage();
});
$('previous').addEventListener('click', () => {
  state.page = Math.max(0, state.page - 1);
  loadPage();
});
$('logout').addEventListener('click', async () => {
  await api('POST', 'logout').catch(() => {});
  document.body.textContent = 'Logged out. Open /_console?token=... to log in again.';
});
$('save').addEventListener('click', save);
$('extend').addEventListener('click', extend);
$('delete').addEventListener('click', remove);
document.addEventListener('keydown', (event) => {
  if (event.key === '/' && document.activeElement.tagName !== 'INPUT' && document.activeElement.tagName !== 'TEXTAREA') {
    event.preventDefault();
    $('pattern').focus();
  }
});

setInterval(tick, 250);
setInterval(loadInfo, 5000);
setInterval(() => { if (!document.hidden) loadPage(); }, 5000);
loadInfo();
loadPage();
