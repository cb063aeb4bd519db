// MQTT.js over WebSockets against a WrenMQ websockets listener.
// Usage: node websockets.cjs URL [CAFILE]   (URL ws://... or wss://...; CAFILE trusts the test CA for wss)
// Subscribes, publishes to itself with MQTT 3.1.1 and with MQTT 5, and reports what came back as key=value lines.
'use strict';
const fs = require('fs');
const mqtt = require('mqtt');

const [url, cafile] = process.argv.slice(2);
const tls = cafile ? { ca: fs.readFileSync(cafile) } : {};

function out(key, value) {
  process.stdout.write(`${key}=${value}\n`);
}

async function roundTrip(protocolVersion) {
  const client = await mqtt.connectAsync(url, {
    protocolVersion, clientId: `js-ws-${protocolVersion}`, clean: true, reconnectPeriod: 0, connectTimeout: 5000,
    ...tls,
  });
  const received = new Promise((resolve) => client.once('message', (topic, payload) => resolve(payload.toString())));
  await client.subscribeAsync('js/ws', { qos: 1 });
  await client.publishAsync('js/ws', `hello over ${url.split(':')[0]} v${protocolVersion}`, { qos: 1 });
  out(`v${protocolVersion}`, await received);
  await client.endAsync();
}

const timer = setTimeout(() => {
  out('error', 'timed out');
  process.exit(2);
}, 20000);

(async () => {
  try {
    await roundTrip(4);
    await roundTrip(5);
    clearTimeout(timer);
    process.exit(0);
  } catch (e) {
    out('error', e.stack || String(e));
    process.exit(1);
  }
})();
