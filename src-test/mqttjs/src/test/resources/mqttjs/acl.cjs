// acl_file outcomes as MQTT.js (npm package mqtt 5) sees them, at MQTT 3.1.1 or 5.
// Usage: node acl.cjs VERSION PORT   (VERSION 4 = MQTT 3.1.1, 5 = MQTT 5)
// The Java test (MqttJsAclTests) writes the password and acl files; this script only reports "key=value" lines.
// Users: writer (write acl/#, read acl/mine/#), reader (read acl/open/#).
'use strict';
const mqtt = require('mqtt');

const [version, port] = process.argv.slice(2);
const url = `mqtt://127.0.0.1:${port}`;
const clients = [];

function out(key, value) {
  process.stdout.write(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
}

async function connect(clientId, username) {
  const client = await mqtt.connectAsync(url, {
    protocolVersion: Number(version), clientId, clean: true, reconnectPeriod: 0, connectTimeout: 5000,
    username, password: `${username}-secret`,
  });
  clients.push(client);
  return client;
}

function collect(client) {
  const messages = [];
  client.on('message', (topic, payload, packet) => messages.push(`${topic}:${payload}:${packet.retain}`));
  return messages;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition, what, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The SUBACK's return or reason codes, in order: MQTT.js rejects a SUBACK with a refusal but keeps the packet. */
async function subscribe(client, filters) {
  try {
    await client.subscribeAsync(filters);
  } catch (e) {
    if (!e.packet) throw e;
    return e.packet.granted.join(',');
  }
  return 'all granted';
}

/** What a QoS 1 publish ended with: "ok", or the reason code MQTT.js reported. */
async function publish(client, topic, payload, retain = false) {
  try {
    await client.publishAsync(topic, payload, { qos: 1, retain });
    return 'ok';
  } catch (e) {
    return `refused ${e.code}`;
  }
}

(async () => {
  const timer = setTimeout(() => {
    out('error', 'scenario timed out');
    process.exit(2);
  }, 20000);
  try {
    const writer = await connect(`js-acl-writer-${version}`, 'writer');
    const watcher = await connect(`js-acl-watcher-${version}`, 'reader');
    const live = collect(watcher);

    out('suback', await subscribe(writer, { 'acl/secret/#': { qos: 1 }, 'acl/mine/#': { qos: 1 } }));
    out('subackPartlyReadable', await subscribe(watcher, { 'acl/#': { qos: 1 } }));

    out('publishDenied', await publish(writer, 'other/x', 'nope'));
    out('publishDeniedRetained', await publish(writer, 'other/r', 'nope', true));
    out('publishAllowed', await publish(writer, 'acl/closed/live', 'hidden'));
    await publish(writer, 'acl/open/live', 'shown');
    await until(() => live.length > 0, 'the readable message');
    out('live', live.join(','));

    await publish(writer, 'acl/closed/kept', 'hidden', true);
    await publish(writer, 'acl/open/kept', 'shown', true);
    const late = await connect(`js-acl-late-${version}`, 'reader');
    const retained = collect(late);
    await late.subscribeAsync('acl/#', { qos: 1 });
    await publish(writer, 'acl/open/end', 'end');
    await until(() => retained.some((m) => m.startsWith('acl/open/end')), 'the message after the retained ones');
    out('retained', retained.filter((m) => !m.startsWith('acl/open/end')).join(','));
    out('subackUnreadable', await subscribe(watcher, { 'other/#': { qos: 1 } }));

    clients.forEach((c) => c.end(true));
    clearTimeout(timer);
    process.exit(0);
  } catch (e) {
    out('error', e.stack || String(e));
    process.exit(1);
  }
})();
