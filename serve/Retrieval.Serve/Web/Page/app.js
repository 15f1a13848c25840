// The search page: the server's JSON API (gRPC JSON transcoding of retrieval.v1) from plain browser JavaScript.
// Calls: GET v1/info, POST v1/search {image: base64, options: {k, exact}}, GET v1/thumbnail?path=... (the gallery image).
'use strict';

const KEY_STORAGE = 'retrieval.apiKey';
const state = { key: sessionStorage.getItem(KEY_STORAGE) || '', image: null, search: 0, thumbnails: [] };
const $ = id => document.getElementById(id);

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `HTTP ${status}`);
    this.status = status;
    this.code = body && typeof body.code === 'number' ? body.code : null;
  }
}

function headers(json) {
  const h = {};
  if (state.key) h['x-api-key'] = state.key;
  if (json) h['content-type'] = 'application/json';
  return h;
}

async function call(path, body) {
  const response = await fetch(path, body === undefined
    ? { headers: headers(false) }
    : { method: 'POST', headers: headers(true), body: JSON.stringify(body) });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) throw new ApiError(response.status, json || { message: text.trim() || `HTTP ${response.status}` });
  return json;
}

// UNAUTHENTICATED (16) or HTTP 401: ask for the key and keep the rest of the page as it is.
function needsKey(error) {
  if (!(error instanceof ApiError) || (error.code !== 16 && error.status !== 401)) return false;
  $('key-form').hidden = false;
  $('key-message').textContent = state.key ? `The key was refused: ${error.message}` : `This server needs an API key: ${error.message}`;
  $('key').focus();
  return true;
}

function setStatus(text, isError) {
  $('status').textContent = text;
  $('status').classList.toggle('error', !!isError);
}

function add(list, term, value, group) {
  if (group) {
    const title = document.createElement('dt');
    title.className = 'group';
    title.textContent = group;
    list.append(title);
    return;
  }
  const dt = document.createElement('dt');
  const dd = document.createElement('dd');
  dt.textContent = term;
  dd.textContent = value === undefined || value === null || value === '' ? '—' : String(value);
  list.append(dt, dd);
}

async function loadInfo() {
  let info;
  try {
    info = await call('v1/info');
  } catch (error) {
    if (!needsKey(error)) $('summary').textContent = `server unavailable: ${error.message}`;
    return false;
  }
  const m = info.modelMetadata || {};
  const list = $('info');
  list.replaceChildren();
  add(list, null, null, 'model');
  add(list, 'backbone', m['retrieval.backbone']);
  add(list, 'loss', m['retrieval.loss']);
  add(list, 'trained on', m['retrieval.dataset']);
  add(list, 'embedding', `${info.embeddingSize || 0}-d, ${info.metric || ''}`);
  add(list, 'input', `${info.imageSize || 0} px (resize ${m['retrieval.resize_size'] || '?'})`);
  add(list, null, null, 'index');
  add(list, 'items', info.indexSize || '0');
  add(list, 'HNSW', `M ${info.hnswM || 0} · efC ${info.hnswEfConstruction || 0} · ef ${info.hnswEfSearch || 0}`);
  add(list, null, null, 'build');
  add(list, 'model sha256', (info.modelSha256 || '').slice(0, 16));
  add(list, 'git revision', (m['retrieval.git_revision'] || '').slice(0, 12));
  add(list, 'format', m['retrieval.format_version']);
  const all = $('metadata');
  all.replaceChildren();
  for (const key of Object.keys(m).sort()) add(all, key, m[key]);
  $('summary').textContent = `${m['retrieval.backbone'] || 'model'} · ${info.indexSize || 0} gallery items · ${info.embeddingSize || 0}-d`;
  $('key-form').hidden = true;
  return true;
}

function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',', 2)[1] || '');
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

async function choose(file) {
  if (!file) return;
  const preview = $('query-preview');
  if (preview.src) URL.revokeObjectURL(preview.src);
  preview.src = URL.createObjectURL(file);
  preview.hidden = false;
  $('drop-text').hidden = true;
  state.image = await readBase64(file);
  await search();
}

function options() {
  const k = Math.max(1, Math.min(100, parseInt($('k').value, 10) || 10));
  $('k').value = k;
  return { k, exact: document.querySelector('input[name=mode]:checked').value === 'exact' };
}

async function search() {
  if (!state.image) return;
  const ticket = ++state.search;
  const opts = options();
  setStatus('searching…');
  const started = performance.now();
  let response;
  try {
    response = await call('v1/search', { image: state.image, options: opts });
  } catch (error) {
    if (ticket !== state.search) return;
    needsKey(error);
    setStatus(error.message, true);
    return;
  }
  if (ticket !== state.search) return;
  const neighbors = (response && response.neighbors) || [];
  const ms = Math.round(performance.now() - started);
  setStatus(`${neighbors.length} neighbours · ${opts.exact ? 'exact search' : 'HNSW'} · ${ms} ms`);
  show(neighbors);
}

function show(neighbors) {
  state.thumbnails.forEach(url => URL.revokeObjectURL(url));
  state.thumbnails = [];
  const list = $('neighbors');
  list.replaceChildren();
  neighbors.forEach((n, i) => {
    const item = document.createElement('li');
    item.className = 'neighbor';
    item.dataset.itemId = n.itemId;
    item.dataset.label = n.label || '';
    item.dataset.score = n.score || 0;
    const thumb = document.createElement('div');
    thumb.className = 'thumb';
    const rank = document.createElement('span');
    rank.className = 'rank';
    rank.textContent = `#${i + 1}`;
    thumb.append(rank);
    const caption = document.createElement('div');
    caption.className = 'caption';
    const label = document.createElement('div');
    label.className = 'label';
    label.textContent = n.label || '';
    label.title = n.imagePath || '';
    const meta = document.createElement('div');
    meta.className = 'meta';
    const score = document.createElement('span');
    score.className = 'score';
    score.textContent = (n.score || 0).toFixed(3);
    const id = document.createElement('span');
    id.textContent = `id ${n.itemId}`;
    meta.append(score, id);
    caption.append(label, meta);
    item.append(thumb, caption);
    list.append(item);
    thumbnail(thumb, n);
  });
}

async function thumbnail(box, neighbor) {
  const none = text => {
    const span = document.createElement('span');
    span.className = 'none';
    span.textContent = text;
    box.append(span);
  };
  if (!neighbor.imagePath) return none('no image path');
  try {
    const response = await fetch(`v1/thumbnail?path=${encodeURIComponent(neighbor.imagePath)}`, { headers: headers(false) });
    if (!response.ok) return none(`no thumbnail (${response.status})`);
    const url = URL.createObjectURL(await response.blob());
    state.thumbnails.push(url);
    const img = document.createElement('img');
    img.alt = neighbor.label || '';
    img.src = url;
    box.append(img);
  } catch {
    none('no thumbnail');
  }
}

function wire() {
  const drop = $('drop');
  $('file').addEventListener('change', e => choose(e.target.files[0]));
  drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', e => {
    e.preventDefault();
    drop.classList.remove('over');
    choose(e.dataTransfer.files[0]);
  });
  $('k').addEventListener('change', search);
  document.querySelectorAll('input[name=mode]').forEach(r => r.addEventListener('change', search));
  $('key-form').addEventListener('submit', async e => {
    e.preventDefault();
    state.key = $('key').value.trim();
    sessionStorage.setItem(KEY_STORAGE, state.key);
    if (await loadInfo()) await search();
  });
}

wire();
loadInfo();
