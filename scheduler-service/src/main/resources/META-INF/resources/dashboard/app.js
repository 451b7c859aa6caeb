// The Stagecoach dashboard: plain JavaScript over the scheduler's REST API, no build step.
// Pages: #/pipelines, #/runs, #/runs/<id>. Live updates come from the API's server-sent
// events, read with fetch() so that the bearer token travels in a header, not in the URL.
'use strict';

const TOKEN_KEY = 'stagecoach.token';
const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
const state = { me: null, page: null };

// ---- DOM ------------------------------------------------------------------------------

/** Builds an element; text children are text nodes, so nothing from the API is read as HTML. */
function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => {
    if (value === null || value === undefined || value === false) return;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : value);
  });
  children.flat(Infinity).forEach(child => {
    if (child === null || child === undefined || child === false) return;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  });
  return element;
}

function svg(tag, attributes, ...children) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  Object.entries(attributes || {}).forEach(([name, value]) => element.setAttribute(name, value));
  children.flat(Infinity).forEach(child => element.append(child instanceof Node ? child : document.createTextNode(String(child))));
  return element;
}

function badge(status) {
  return h('span', { class: 'badge s-' + status, 'data-status': status }, status);
}

function when(instant) {
  return instant ? new Date(instant).toLocaleString() : '';
}

function duration(millis) {
  if (millis === null || millis === undefined) return '';
  const seconds = Math.round(millis / 1000);
  if (seconds < 60) return seconds + ' s';
  if (seconds < 3600) return Math.floor(seconds / 60) + ' min ' + (seconds % 60) + ' s';
  return Math.floor(seconds / 3600) + ' h ' + Math.floor((seconds % 3600) / 60) + ' min';
}

/** Replaces an element's children; arrays are flattened and absent children (null, false) left out. */
function fill(element, ...children) {
  element.replaceChildren(...children.flat(Infinity).filter(c => c !== null && c !== undefined && c !== false));
}

function mount(...children) {
  fill(document.getElementById('main'), ...children);
}

function canOperate() {
  return state.me && (state.me.role === 'operator' || state.me.role === 'admin');
}

// ---- API ------------------------------------------------------------------------------

function headers(extra) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return Object.assign(token ? { Authorization: 'Bearer ' + token } : {}, extra || {});
}

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : 'HTTP ' + status);
    this.status = status;
    this.problems = body && body.problems ? body.problems : [];
  }
}

async function api(path, options) {
  const response = await fetch(path, Object.assign({}, options, {
    headers: headers(Object.assign({ Accept: 'application/json' }, options && options.headers)),
  }));
  const text = await response.text();
  const body = text && (response.headers.get('content-type') || '').includes('json') ? JSON.parse(text) : text;
  if (!response.ok) {
    if (response.status === 401) showSignIn('The token was refused: ' + (body.error || response.status));
    throw new ApiError(response.status, body);
  }
  return body;
}

function post(path, body) {
  return api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

/**
 * Reads a server-sent event stream and hands each event's JSON to onItem until the stream
 * ends or signal aborts it. Resolves when the server ends the stream.
 */
async function stream(path, onItem, signal) {
  const response = await fetch(path, { headers: headers({ Accept: 'text/event-stream' }), signal });
  if (!response.ok) throw new ApiError(response.status, null);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer = (buffer + decoder.decode(value, { stream: true })).replace(/\r\n/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').filter(line => line.startsWith('data:'))
        .map(line => line.slice(5).replace(/^ /, '')).join('\n');
      if (data) onItem(JSON.parse(data));
    }
  }
}

/** Calls fn at most once per `millis`, the last call winning: a burst of events refreshes once. */
function debounce(fn, millis) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, millis);
  };
}

// ---- Sign-in --------------------------------------------------------------------------

function showSignIn(message) {
  const form = document.getElementById('token-template').content.cloneNode(true);
  mount(form);
  document.getElementById('token-error').textContent = message || '';
  document.getElementById('token-form').addEventListener('submit', event => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById('token-input').value.trim());
    start();
  });
}

/** A dashboard address printed by `stagecoach up` carries the token after #token=; it is kept for the session and removed from the address bar. */
function takeTokenFromAddress() {
  const match = location.hash.match(/^#token=([^&]+)/);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + '#/pipelines');
  }
}

// ---- Pages ----------------------------------------------------------------------------

async function pipelinesPage(signal) {
  const table = h('section', { class: 'card' });
  mount(h('h1', {}, 'Pipelines'), h('div', { id: 'start-panel' }), table);
  await pipelinesTable(table);
  // A run that starts or ends anywhere changes a "last run" here; an open start form stays.
  const refresh = debounce(() => { if (!signal.aborted) pipelinesTable(table).catch(() => {}); }, 500);
  stream('/api/events', event => { if (event.type.startsWith('RUN_')) refresh(); }, signal).catch(() => {});
}

async function pipelinesTable(table) {
  const pipelines = await api('/api/pipelines');
  const rows = pipelines.map(pipeline => h('tr', { 'data-pipeline': pipeline.name },
    h('td', {}, h('b', {}, pipeline.name), h('div', { class: 'muted' }, pipeline.description || '')),
    h('td', {}, 'r' + pipeline.revision),
    h('td', {}, pipeline.triggers.map(t => h('div', {}, t.kind + (t.detail ? ': ' + t.detail : '')))),
    h('td', {}, when(pipeline.nextCronFire)),
    h('td', {}, pipeline.lastRun
      ? h('a', { href: '#/runs/' + pipeline.lastRun.runId }, badge(pipeline.lastRun.status), ' ', when(pipeline.lastRun.createdAt))
      : h('span', { class: 'muted' }, 'never run')),
    h('td', {}, canOperate() ? h('button', { class: 'start-run', onclick: () => startForm(pipeline) }, 'Run…') : '')));
  fill(table, pipelines.length === 0
    ? h('p', { class: 'muted' }, 'No pipeline is registered yet: stagecoach run <file> registers one.')
    : h('table', { id: 'pipelines-table' },
      h('thead', {}, h('tr', {}, ['Pipeline', 'Revision', 'Triggers', 'Next cron fire', 'Last run', ''].map(t => h('th', {}, t)))),
      h('tbody', {}, rows)));
}

function parameterInput(parameter) {
  const name = 'param-' + parameter.name;
  if (parameter.type === 'boolean') {
    return h('input', { type: 'checkbox', name, checked: parameter.defaultValue === 'true' });
  }
  if (parameter.allowed && parameter.allowed.length) {
    return h('select', { name }, (parameter.required ? [] : [h('option', { value: '' }, '')])
      .concat(parameter.allowed.map(v => h('option', { value: v, selected: v === parameter.defaultValue }, v))));
  }
  const type = parameter.secret ? 'password' : (parameter.type === 'integer' || parameter.type === 'number') ? 'number' : 'text';
  return h('input', {
    type, name, value: parameter.defaultValue || '', required: parameter.required && !parameter.defaultValue,
    step: parameter.type === 'number' ? 'any' : null,
    placeholder: parameter.type === 'duration' ? 'e.g. 10m' : parameter.type === 'list' ? 'a, b, c' : null,
  });
}

function startForm(pipeline) {
  const error = h('p', { class: 'error', id: 'start-error' });
  const form = h('form', { class: 'params', id: 'start-form' },
    pipeline.parameters.map(p => [
      h('label', {}, p.name, ' ', h('span', { class: 'hint' }, p.type + (p.required ? ', required' : '')
        + (p.secret ? ', secret' : '') + (p.description ? ' — ' + p.description : ''))),
      parameterInput(p)]),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'start-submit' }, 'Start run'),
      h('button', { type: 'button', class: 'secondary', onclick: () => fill(panel) }, 'Close')),
    error);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const parameters = {};
    pipeline.parameters.forEach(p => {
      const input = form.elements['param-' + p.name];
      const value = input.type === 'checkbox' ? String(input.checked) : input.value;
      if (value !== '') parameters[p.name] = value;
    });
    try {
      const started = await post('/api/pipelines/' + encodeURIComponent(pipeline.name) + '/runs', { parameters });
      location.hash = '#/runs/' + started.runId;
    } catch (e) {
      error.textContent = e.message + (e.problems.length ? '\n' + e.problems.join('\n') : '');
    }
  });
  const panel = document.getElementById('start-panel');
  fill(panel, h('section', { class: 'card narrow' }, h('h2', {}, 'Start ' + pipeline.name), form));
}

async function runsPage(signal, query) {
  const filters = new URLSearchParams(query);
  const pipelines = await api('/api/pipelines');
  const select = (name, values) => h('select', { name },
    [h('option', { value: '' }, 'any ' + name)].concat(values.map(v => h('option', { value: v, selected: filters.get(name) === v }, v))));
  const form = h('form', { class: 'filters', id: 'run-filters' },
    select('pipeline', pipelines.map(p => p.name)),
    select('status', ['RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']),
    select('trigger', ['MANUAL', 'CRON', 'WEBHOOK', 'EVENT', 'CONDITIONAL']),
    h('input', { name: 'since', placeholder: 'since (2h, 7d, or an instant)', value: filters.get('since') || '' }),
    h('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const chosen = new URLSearchParams();
    ['pipeline', 'status', 'trigger', 'since'].forEach(name => { if (form.elements[name].value) chosen.set(name, form.elements[name].value); });
    location.hash = '#/runs' + (chosen.toString() ? '?' + chosen : '');
  });
  const body = h('tbody');
  const more = h('button', { class: 'secondary', id: 'more-runs' }, 'Older runs');
  const error = h('p', { class: 'error' });
  let next = null;
  async function load(append) {
    const params = new URLSearchParams(filters);
    if (append && next) params.set('cursor', next);
    try {
      const page = await api('/api/runs?' + params);
      next = page.next;
      const rows = page.runs.map(run => h('tr', { 'data-run': run.runId, 'data-status': run.status },
        h('td', {}, h('a', { href: '#/runs/' + run.runId }, run.runId)),
        h('td', {}, run.pipeline), h('td', {}, badge(run.status)), h('td', {}, (run.trigger || '').toLowerCase()),
        h('td', {}, run.requestedBy || ''), h('td', {}, when(run.createdAt)),
        h('td', {}, run.finishedAt ? duration(new Date(run.finishedAt) - new Date(run.createdAt)) : ''),
        h('td', {}, run.stagesDone + ' / ' + run.stagesTotal + (run.running.length ? ' · ' + run.running.join(', ') : ''))));
      if (append) body.append(...rows); else fill(body, ...rows);
      more.hidden = !next;
      error.textContent = '';
    } catch (e) {
      error.textContent = e.message + (e.problems.length ? ': ' + e.problems.join('; ') : '');
    }
  }
  more.addEventListener('click', () => load(true));
  mount(h('h1', {}, 'Runs'), form, error, h('section', { class: 'card' },
    h('table', { id: 'runs-table' },
      h('thead', {}, h('tr', {}, ['Run', 'Pipeline', 'Status', 'Trigger', 'By', 'Created', 'Took', 'Stages'].map(t => h('th', {}, t)))),
      body), h('div', { class: 'actions' }, more)));
  await load(false);
  const refresh = debounce(() => { if (!signal.aborted) load(false); }, 300);
  stream('/api/events' + (filters.get('pipeline') ? '?pipeline=' + encodeURIComponent(filters.get('pipeline')) : ''),
    () => refresh(), signal).catch(() => {});
}

// ---- A run ----------------------------------------------------------------------------

/** Shards of a fanned-out stage are drawn as one node: "test ×8". */
function groupStages(stages) {
  const groups = new Map();
  stages.forEach(stage => {
    const name = stage.name.split('#')[0];
    if (!groups.has(name)) groups.set(name, { name, members: [], needs: new Set() });
    const group = groups.get(name);
    group.members.push(stage);
    stage.needs.forEach(n => group.needs.add(n.split('#')[0]));
  });
  const order = ['FAILED', 'RUNNING', 'DISPATCHED', 'AWAITING_APPROVAL', 'RETRY_WAIT', 'PENDING', 'CANCELLED', 'SKIPPED', 'SUCCEEDED'];
  groups.forEach(group => {
    group.needs.delete(group.name);
    const statuses = group.members.map(m => m.status);
    group.status = statuses.every(s => s === statuses[0]) ? statuses[0] : order.find(s => statuses.includes(s));
  });
  return groups;
}

function drawGraph(run, selected, onSelect) {
  const groups = groupStages(run.stages);
  const level = new Map();
  const levelOf = (name, seen = new Set()) => {
    if (level.has(name)) return level.get(name);
    if (seen.has(name) || !groups.has(name)) return 0;
    seen.add(name);
    const needs = [...groups.get(name).needs];
    const value = needs.length ? 1 + Math.max(...needs.map(n => levelOf(n, seen))) : 0;
    level.set(name, value);
    return value;
  };
  groups.forEach((_, name) => levelOf(name));
  const columns = [];
  groups.forEach((group, name) => {
    const column = level.get(name);
    (columns[column] = columns[column] || []).push(group);
  });
  const width = 160, height = 46, gapX = 48, gapY = 18;
  const place = new Map();
  columns.forEach((column, x) => column.forEach((group, y) =>
    place.set(group.name, { x: 10 + x * (width + gapX), y: 10 + y * (height + gapY) })));
  const totalWidth = 20 + columns.length * (width + gapX);
  const totalHeight = 20 + Math.max(...columns.map(c => c.length)) * (height + gapY);
  const edges = [];
  groups.forEach(group => group.needs.forEach(need => {
    const from = place.get(need), to = place.get(group.name);
    if (!from || !to) return;
    const x1 = from.x + width, y1 = from.y + height / 2, x2 = to.x, y2 = to.y + height / 2;
    edges.push(svg('path', { class: 'edge', d: `M${x1},${y1} C${x1 + 30},${y1} ${x2 - 30},${y2} ${x2},${y2}` }));
  }));
  const nodes = [];
  groups.forEach(group => {
    const at = place.get(group.name);
    const label = group.name + (group.members.length > 1 ? ' ×' + group.members.length : '');
    const node = svg('g', { class: 'stage' + (group.name === selected ? ' selected' : ''), 'data-stage': group.name,
      'data-status': group.status, transform: `translate(${at.x},${at.y})` },
    svg('rect', { width, height }),
    svg('text', { x: 10, y: 19 }, label.length > 24 ? label.slice(0, 23) + '…' : label),
    svg('text', { x: 10, y: 36, class: 'state' }, group.status.toLowerCase().replace('_', ' ')));
    node.addEventListener('click', () => onSelect(group.members.length > 1 ? group.members[0].name : group.name));
    nodes.push(node);
  });
  return svg('svg', { width: totalWidth, height: totalHeight, id: 'dag' }, edges, nodes);
}

function kv(pairs) {
  return h('dl', { class: 'kv' }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

async function runPage(signal, runId) {
  let run = null;
  let selected = null;
  let logsAbort = null;
  const header = h('section', { class: 'card', id: 'run-header' });
  const graph = h('section', { class: 'card', id: 'graph' });
  const detail = h('section', { class: 'card', id: 'stage-detail' }, h('p', { class: 'muted' }, 'Select a stage.'));
  const logs = h('section', { class: 'card', id: 'logs' });
  const report = h('section', { class: 'card', id: 'report', hidden: true });
  const error = h('p', { class: 'error', id: 'action-error' });
  mount(h('h1', {}, 'Run ', h('code', {}, runId)), error, header, graph,
    h('div', { class: 'layout' }, detail, logs), report);

  async function act(action, body) {
    try {
      await post('/api/runs/' + encodeURIComponent(runId) + '/' + action, body);
      error.textContent = '';
    } catch (e) {
      error.textContent = e.message;
    }
  }

  function renderHeader() {
    const progress = run.progress || { done: 0, total: run.stages.length, running: [] };
    const percent = progress.total ? Math.round(100 * progress.done / progress.total) : 100;
    const ended = TERMINAL.includes(run.status);
    const took = run.finishedAt ? new Date(run.finishedAt) - new Date(run.createdAt) : null;
    const buttons = [];
    if (canOperate() && !ended) buttons.push(h('button', { id: 'cancel', class: 'danger', onclick: () => act('cancel', {}) }, 'Cancel run'));
    if (canOperate() && (run.status === 'FAILED' || run.status === 'CANCELLED')) {
      buttons.push(h('button', { id: 'resume', onclick: () => act('resume', {}) }, 'Resume run'));
    }
    fill(header,
      h('div', { class: 'facts' },
        h('span', {}, h('b', {}, run.pipeline), ' r' + run.revision),
        h('span', { id: 'run-status', 'data-status': run.status }, badge(run.status)),
        h('span', {}, 'started by ', h('b', {}, run.requestedBy || '?'), run.trigger ? ' (' + run.trigger.toLowerCase() + ')' : ''),
        h('span', {}, when(run.createdAt)),
        took !== null ? h('span', {}, 'took ', h('b', {}, duration(took))) : null,
        !ended && progress.remainingMillis !== null && progress.remainingMillis !== undefined
          ? h('span', { id: 'eta' }, 'about ', h('b', {}, duration(progress.remainingMillis)), ' left') : null),
      h('div', { class: 'progress', title: progress.done + ' of ' + progress.total + ' stages done' },
        h('div', { style: 'width:' + percent + '%' })),
      h('div', { class: 'muted' }, progress.done + ' of ' + progress.total + ' stages done'
        + (progress.running.length ? ' · running: ' + progress.running.join(', ') : '')),
      run.reason ? h('p', { class: ended && run.status !== 'SUCCEEDED' ? 'error' : 'muted' }, run.reason) : null,
      Object.keys(run.parameters || {}).length ? kv(Object.entries(run.parameters)) : null,
      h('div', { class: 'actions' }, buttons));
  }

  // The same decision box across refreshes while its stage waits: an event arriving while the operator
  // types must not take the comment away, nor the button under the pointer.
  let decision = null;
  function decisionBox(stage) {
    if (stage.status !== 'AWAITING_APPROVAL' || stage.approval || !canOperate()) {
      decision = null;
      return null;
    }
    if (!decision || decision.stage !== stage.name) {
      const comment = h('input', { id: 'decision-comment', placeholder: 'comment (optional)' });
      const decide = action => () => act(action, { stage: stage.name, comment: comment.value || null });
      decision = { stage: stage.name, comment, box: h('div', { class: 'actions' }, comment,
        h('button', { id: 'approve', onclick: decide('approve') }, 'Approve'),
        h('button', { id: 'reject', class: 'danger', onclick: decide('reject') }, 'Reject')) };
    }
    return decision.box;
  }

  function renderDetail() {
    const stage = run.stages.find(s => s.name === selected);
    if (!stage) return;
    const typing = decision && decision.stage === stage.name && document.activeElement === decision.comment;
    const box = decisionBox(stage);
    fill(detail,
      h('h2', {}, stage.name, ' ', badge(stage.status)),
      kv([
        ['attempts', stage.attempts],
        ['worker', stage.worker],
        ['started', when(stage.startedAt)],
        ['finished', when(stage.finishedAt)],
        ['took', duration(stage.durationMillis)],
        ['exit code', stage.exitCode],
        ['error', stage.error],
        ['needs', (stage.needs || []).join(', ')],
        ['waits for approval since', when(stage.awaitingApprovalSince)],
        ['approvers', (stage.approvers || []).join(', ') || (stage.status === 'AWAITING_APPROVAL' ? 'any operator' : '')],
        ['decision', stage.approval ? (stage.approval.approved ? 'approved' : 'rejected') + ' by ' + stage.approval.by
          + (stage.approval.comment ? ': ' + stage.approval.comment : '') : ''],
      ].concat(Object.entries(stage.outputs || {}).map(([k, v]) => ['output ' + k, v]))
        .concat(Object.entries(stage.metrics || {}).map(([k, v]) => ['metric ' + k, v]))
        .concat((stage.artifacts || []).map(a => ['artifact', a.path + ' (' + a.sizeBytes + ' bytes) ' + a.location]))),
      box);
    if (typing && box) decision.comment.focus();
  }

  function followLogs(stage) {
    if (logsAbort) logsAbort.abort();
    logsAbort = new AbortController();
    signal.addEventListener('abort', () => logsAbort.abort());
    const pre = h('pre', { id: 'log-lines' });
    fill(logs, h('h2', {}, 'Output of ', stage), pre);
    let attempt = null;
    stream('/api/runs/' + encodeURIComponent(runId) + '/logs/stream?stage=' + encodeURIComponent(stage), chunk => {
      if (chunk.attempt !== attempt) {
        attempt = chunk.attempt;
        pre.append(h('div', { class: 'muted' }, '— attempt ' + attempt + ' —'));
        if (chunk.dropped > 0) pre.append(h('div', { class: 'dropped' }, '… ' + chunk.dropped + ' earlier lines were dropped'));
      }
      pre.append(...chunk.lines.map(line => h('div', { class: 'line', 'data-line': line.number }, line.text)));
      pre.scrollTop = pre.scrollHeight;
    }, logsAbort.signal).catch(() => {});
  }

  function select(name) {
    selected = name;
    render();
    followLogs(name);
  }

  async function renderReport() {
    try {
      const html = await api('/api/runs/' + encodeURIComponent(runId) + '/report/html', { headers: { Accept: 'text/html' } });
      const body = h('div');
      body.innerHTML = html; // rendered by the scheduler with raw HTML escaped
      fill(report, h('h2', {}, 'Execution report'), body);
      report.hidden = false;
    } catch (e) {
      fill(report, h('p', { class: 'error' }, e.message));
      report.hidden = false;
    }
  }

  function render() {
    renderHeader();
    fill(graph, h('h2', {}, 'Stages'), drawGraph(run, selected, select));
    renderDetail();
  }

  async function refresh() {
    if (signal.aborted) return;
    try {
      run = await api('/api/runs/' + encodeURIComponent(runId));
    } catch (e) {
      error.textContent = e.status === 404 ? 'No run ' + runId + ' (yet).' : e.message;
      return;
    }
    render();
    if (TERMINAL.includes(run.status)) renderReport();
    if (!selected) {
      const first = run.stages.find(s => !['PENDING', 'SUCCEEDED', 'SKIPPED'].includes(s.status)) || run.stages[0];
      if (first) select(first.name);
    }
  }

  await refresh();
  const later = debounce(refresh, 150);
  // Events until the run ends; then a last look. A run resumed later is followed again on a reload.
  (async () => {
    while (!signal.aborted) {
      try {
        await stream('/api/runs/' + encodeURIComponent(runId) + '/events', () => later(), signal);
      } catch (e) {
        if (signal.aborted) return;
      }
      await refresh();
      if (run && TERMINAL.includes(run.status)) return;
      await new Promise(resolve => setTimeout(resolve, 1000));
    }
  })();
}

// ---- Routing --------------------------------------------------------------------------

async function route() {
  if (location.hash.startsWith('#token=')) {
    start(); // another token: sign in again
    return;
  }
  if (state.page) state.page.abort();
  state.page = new AbortController();
  const signal = state.page.signal;
  const [path, query] = (location.hash.replace(/^#/, '') || '/pipelines').split('?');
  document.querySelectorAll('[data-nav]').forEach(a => a.classList.toggle('active', path.startsWith('/' + a.dataset.nav)));
  try {
    const runMatch = path.match(/^\/runs\/(.+)$/);
    if (runMatch) await runPage(signal, decodeURIComponent(runMatch[1]));
    else if (path.startsWith('/runs')) await runsPage(signal, query || '');
    else await pipelinesPage(signal);
  } catch (e) {
    if (!signal.aborted && e.status !== 401) mount(h('p', { class: 'error' }, e.message));
  }
}

async function start() {
  takeTokenFromAddress();
  try {
    state.me = await api('/api/me');
  } catch (e) {
    if (e.status !== 401) mount(h('p', { class: 'error' }, 'The scheduler did not answer: ' + e.message));
    return;
  }
  document.getElementById('who').textContent = !state.me.authEnabled ? 'auth off'
    : state.me.name + ' · ' + state.me.role + (state.me.pipelines ? ' · pipelines ' + state.me.pipelines : '');
  document.body.dataset.role = state.me.role;
  window.onhashchange = route;
  route();
}

start();
