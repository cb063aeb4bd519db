// The WrenMQ web console: plain JavaScript over the JSON endpoints under /api/ (no build step, no library).
// Credentials: HTTP basic authentication, sent by this script and kept for the browser tab only.
'use strict';

const $ = id => document.getElementById(id);
const PAGES = ['overview', 'clients', 'subscriptions', 'retained', 'publish'];
const AUTH_KEY = 'wrenmq.auth';
let me = null;          // the last /api/overview answer: user and rights
let timer = null;       // refreshes the page shown
let selectedClient = null;

function basic(user, password) {
  const bytes = new TextEncoder().encode(user + ':' + password);
  return 'Basic ' + btoa(String.fromCharCode(...bytes));
}

async function api(path, form) {
  const headers = {};
  const auth = sessionStorage.getItem(AUTH_KEY);
  if (auth) headers.Authorization = auth;
  const init = { headers, cache: 'no-store' };
  if (form) {
    init.method = 'POST';
    headers['X-WrenMQ-Console'] = '1';
    init.body = new URLSearchParams(form);
  }
  const response = await fetch(path, init);
  if (response.status === 401) {
    showLogin(auth ? 'Wrong user name or password.' : '');
    throw new Error('login required');
  }
  const type = response.headers.get('Content-Type') || '';
  const body = type.startsWith('application/json') ? await response.json() : { error: await response.text() };
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function status(text, isError) {
  $('status').textContent = text;
  $('status').className = isError ? 'error' : '';
}

function showLogin(message) {
  clearInterval(timer);
  PAGES.forEach(p => { $(p).hidden = true; });
  $('nav').hidden = true;
  $('logout').hidden = true;
  $('who').textContent = '';
  $('login').hidden = false;
  $('login-error').textContent = message;
}

async function login(event) {
  event.preventDefault();
  sessionStorage.setItem(AUTH_KEY, basic($('login-user').value, $('login-password').value));
  try {
    await start();
  } catch (e) { /* showLogin has said why */ }
}

function logout() {
  sessionStorage.removeItem(AUTH_KEY);
  showLogin('');
}

async function start() {
  me = await api('/api/overview');
  $('login').hidden = true;
  $('nav').hidden = false;
  $('logout').hidden = !sessionStorage.getItem(AUTH_KEY);
  $('who').textContent = me.user ? 'user ' + me.user : 'anonymous';
  show();
}

function show() {
  const page = PAGES.includes(location.hash.slice(1)) ? location.hash.slice(1) : 'overview';
  PAGES.forEach(p => { $(p).hidden = p !== page; });
  document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', a.hash === '#' + page));
  status('');
  clearInterval(timer);
  const refresh = { overview: overview, clients: clients, subscriptions: subscriptions }[page];
  if (refresh) {
    refresh().catch(e => status(e.message, true));
    timer = setInterval(() => refresh().catch(e => status(e.message, true)), 2000);
  }
  if (page === 'retained') browseRetained().catch(e => status(e.message, true));
}

// ---- overview: cards and charts of the last minutes ----

async function overview() {
  me = await api('/api/overview');
  const c = me.counters;
  const cards = [
    ['Clients connected', c['connections.current']], ['Sessions', c['sessions']],
    ['Subscriptions', c['subscriptions']], ['Retained messages', c['retained.messages']],
    ['Messages received', c['messages.received']], ['Messages sent', c['messages.sent']],
    ['Queued', c['messages.queued']], ['Refused logins', c['connections.refused.auth']]];
  $('cards').replaceChildren(...cards.map(([label, value]) => {
    const card = el('div', 'card');
    card.append(el('b', null, String(value ?? 0)), el('span', null, label));
    return card;
  }));
  const h = me.history;
  const rate = key => h.slice(1).map((s, i) => ({
    t: s.timeMillis, v: Math.max(0, (s[key] - h[i][key]) * 1000 / Math.max(1, s.timeMillis - h[i].timeMillis)) }));
  chart($('chart-connected'), h.map(s => ({ t: s.timeMillis, v: s.connected })));
  chart($('chart-received'), rate('received'));
  chart($('chart-sent'), rate('sent'));
  chart($('chart-dropped'), rate('dropped'));
}

/** A line chart in an SVG of 600 x 160: time across, value up, the largest value and the span as labels. */
function chart(svg, points) {
  const W = 600, H = 160, top = 18, bottom = 20;
  const ns = 'http://www.w3.org/2000/svg';
  const node = (name, attrs, text) => {
    const n = document.createElementNS(ns, name);
    Object.entries(attrs).forEach(([k, v]) => n.setAttribute(k, v));
    if (text !== undefined) n.textContent = text;
    return n;
  };
  const parts = [node('line', { x1: 0, y1: H - bottom, x2: W, y2: H - bottom, class: 'axis' })];
  if (points.length > 1) {
    const t0 = points[0].t, span = Math.max(1, points[points.length - 1].t - t0);
    const max = Math.max(1, ...points.map(p => p.v));
    const xy = points.map(p => [(p.t - t0) / span * W, H - bottom - p.v / max * (H - top - bottom)]);
    const line = xy.map(([x, y]) => x.toFixed(1) + ',' + y.toFixed(1)).join(' ');
    parts.push(node('polygon', { points: '0,' + (H - bottom) + ' ' + line + ' ' + W + ',' + (H - bottom),
      class: 'area' }));
    parts.push(node('polyline', { points: line, class: 'line' }));
    parts.push(node('text', { x: 4, y: 12 }, 'max ' + round(max)));
    parts.push(node('text', { x: W - 4, y: 12, 'text-anchor': 'end' }, 'now ' + round(points[points.length - 1].v)));
    parts.push(node('text', { x: 4, y: H - 4 }, Math.round(span / 60000 * 10) / 10 + ' min ago'));
  } else {
    parts.push(node('text', { x: 4, y: 12 }, 'collecting…'));
  }
  svg.replaceChildren(...parts);
}

const round = v => v >= 100 ? Math.round(v) : Math.round(v * 10) / 10;

// ---- clients ----

async function clients() {
  if (!me.maySeeClients) {
    status('The acl_file does not let this user see other clients.', true);
    return;
  }
  const page = await api('/api/clients?q=' + encodeURIComponent($('client-search').value));
  $('client-count').textContent = count(page, 'client');
  $('client-table').tBodies[0].replaceChildren(...page.rows.map(c => {
    const row = tr([c.clientId, c.connected ? 'yes' : 'no', c.remoteAddress || '', version(c.protocolVersion),
      c.inflight, c.queued]);
    row.className = 'selectable' + (c.clientId === selectedClient ? ' selected' : '');
    row.dataset.clientId = c.clientId;
    row.addEventListener('click', () => { selectedClient = c.clientId; details(); clients(); });
    return row;
  }));
  if (selectedClient) await details();
}

async function details() {
  let d;
  try {
    d = await api('/api/client?id=' + encodeURIComponent(selectedClient));
  } catch (e) {
    $('client-details').hidden = true;
    return;
  }
  const c = d.client;
  $('client-details').hidden = false;
  $('detail-id').textContent = c.clientId;
  $('detail-connected').textContent = c.connected ? 'yes' : 'no';
  $('detail-address').textContent = c.remoteAddress || '—';
  $('detail-protocol').textContent = version(c.protocolVersion);
  $('detail-keepalive').textContent = c.connected ? (d.keepAliveSeconds ? d.keepAliveSeconds + ' s' : 'none') : '—';
  $('detail-persistent').textContent = c.persistent ? 'yes' : 'no';
  $('detail-inflight').textContent = c.inflight;
  $('detail-queued').textContent = c.queued;
  $('detail-subscriptions').replaceChildren(...(d.subscriptions.length ? d.subscriptions.map(s =>
    el('li', null, s.topicFilter + '  (QoS ' + qosOf(s.qos) + ')')) : [el('li', 'hint', 'none')]));
  $('disconnect').hidden = !c.connected || !me.mayDisconnect;
}

async function disconnect() {
  try {
    const done = await api('/api/disconnect', { id: selectedClient });
    status(done.message);
    setTimeout(clients, 300);
  } catch (e) {
    status(e.message, true);
  }
}

const version = v => ({ 3: '3.1', 4: '3.1.1', 5: '5.0' })[v] || '—';
const qosOf = q => typeof q === 'number' ? q : ({ AT_MOST_ONCE: 0, AT_LEAST_ONCE: 1, EXACTLY_ONCE: 2 })[q];

// ---- subscriptions and shared groups ----

async function subscriptions() {
  if (!me.maySeeClients) {
    status('The acl_file does not let this user see other clients.', true);
    return;
  }
  const page = await api('/api/subscriptions?q=' + encodeURIComponent($('subscription-search').value));
  $('subscription-count').textContent = count(page, 'subscription');
  $('subscription-table').tBodies[0].replaceChildren(...page.rows.map(s => tr([s.topicFilter, s.clientId, s.qos])));
  const groups = new Map();
  page.rows.filter(s => s.shareGroup !== null && s.shareGroup !== undefined).forEach(s => {
    const filter = s.topicFilter.slice(('$share/' + s.shareGroup + '/').length);
    const key = s.shareGroup + '\u0000' + filter;
    if (!groups.has(key)) groups.set(key, { group: s.shareGroup, filter, members: [] });
    groups.get(key).members.push(s.clientId);
  });
  $('group-table').tBodies[0].replaceChildren(...[...groups.values()].map(g =>
    tr([g.group, g.filter, g.members.join(', ')])));
}

// ---- retained messages ----

async function browseRetained(event) {
  if (event) event.preventDefault();
  const page = await api('/api/retained?filter=' + encodeURIComponent($('retained-filter').value));
  $('retained-count').textContent = count(page, 'retained message');
  $('retained-table').tBodies[0].replaceChildren(...page.rows.map(m => {
    const payload = el('td', 'payload', m.text === null || m.text === undefined ? '(binary)' : m.text);
    const row = tr([m.topic, m.qos, m.bytes]);
    row.append(payload);
    const cell = el('td');
    if (m.mayDelete) {
      const button = el('button', 'small danger', 'Delete');
      button.type = 'button';
      button.addEventListener('click', () => deleteRetained(m.topic));
      cell.append(button);
    }
    row.append(cell);
    row.dataset.topic = m.topic;
    return row;
  }));
}

async function deleteRetained(topic) {
  try {
    status((await api('/api/retained/delete', { topic })).message);
    await browseRetained();
  } catch (e) {
    status(e.message, true);
  }
}

// ---- publish a test message ----

async function publish(event) {
  event.preventDefault();
  try {
    const done = await api('/api/publish', { topic: $('publish-topic').value, payload: $('publish-payload').value,
      qos: $('publish-qos').value, retain: $('publish-retain').checked });
    status(done.message);
  } catch (e) {
    status(e.message, true);
  }
}

// ---- small helpers ----

function el(name, className, text) {
  const n = document.createElement(name);
  if (className) n.className = className;
  if (text !== undefined) n.textContent = text;
  return n;
}

function tr(cells) {
  const row = el('tr');
  cells.forEach(c => row.append(el('td', null, String(c))));
  return row;
}

function count(page, noun) {
  const plural = page.total === 1 ? noun : noun + 's';
  return page.rows.length < page.total ? page.rows.length + ' of ' + page.total + ' ' + plural + ' shown'
    : page.total + ' ' + plural;
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  $('disconnect').addEventListener('click', disconnect);
  $('retained-form').addEventListener('submit', browseRetained);
  $('publish-form').addEventListener('submit', publish);
  $('client-search').addEventListener('input', () => clients().catch(e => status(e.message, true)));
  $('subscription-search').addEventListener('input', () => subscriptions().catch(e => status(e.message, true)));
  window.addEventListener('hashchange', () => { if (me) show(); });
  start().catch(() => { /* showLogin has been called */ });
});
