// MQTT 5 scenarios run by MQTT.js (npm package mqtt 5) against a WrenMQ broker.
// Usage: node scenarios.cjs SCENARIO PORT
// Each scenario prints what the client saw as "key=value" lines; the Java test (MqttJsTests) checks them.
// Assertions live in Java, so a scenario only reports: it never decides what is right.
'use strict';
const mqtt = require('mqtt');

const [scenario, port] = process.argv.slice(2);
const url = `mqtt://127.0.0.1:${port}`;
const clients = [];

function out(key, value) {
  process.stdout.write(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
}

async function connect(clientId, options = {}) {
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 5, clientId, clean: true, reconnectPeriod: 0, connectTimeout: 5000, ...options,
  });
  clients.push(client);
  return client;
}

/** Collects the messages a client receives, with the properties MQTT.js decoded. */
function collect(client) {
  const messages = [];
  client.on('message', (topic, payload, packet) => messages.push({ topic, payload: payload.toString(), packet }));
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

const scenarios = {
  /** CONNACK with an empty client id and a keep alive above max_keepalive. */
  async connack() {
    const client = mqtt.connect(url, { protocolVersion: 5, clientId: '', keepalive: 120, reconnectPeriod: 0 });
    clients.push(client);
    const connack = await new Promise((resolve, reject) => {
      client.once('connect', resolve);
      client.once('error', reject);
    });
    out('reasonCode', String(connack.reasonCode ?? connack.returnCode));
    out('sessionPresent', String(connack.sessionPresent));
    out('properties', connack.properties || {});
  },

  /** Application message properties from one MQTT.js client to another, with a subscription identifier. */
  async properties() {
    const sub = await connect('js-props-sub');
    const received = collect(sub);
    await sub.subscribeAsync('js/props', { qos: 1, properties: { subscriptionIdentifier: 17 } });
    const pub = await connect('js-props-pub');
    await pub.publishAsync('js/props', 'grüße', {
      qos: 1,
      properties: {
        payloadFormatIndicator: true,
        messageExpiryInterval: 120,
        contentType: 'text/plain; charset=utf-8',
        responseTopic: 'js/replies',
        correlationData: Buffer.from([0, 255, 7]),
        userProperties: { zeta: 'z1', alpha: ['a1', 'a2'] },
      },
    });
    await until(() => received.length === 1, 'the message');
    const { topic, payload, packet } = received[0];
    const p = packet.properties || {};
    out('topic', topic);
    out('payload', payload);
    out('qos', String(packet.qos));
    out('payloadFormatIndicator', String(p.payloadFormatIndicator));
    out('messageExpiryInterval', String(p.messageExpiryInterval));
    out('contentType', p.contentType);
    out('responseTopic', p.responseTopic);
    out('correlationData', Buffer.from(p.correlationData || []).toString('hex'));
    out('userProperties', p.userProperties || {});
    out('subscriptionIdentifier', String(p.subscriptionIdentifier));
  },

  /** Topic aliases: MQTT.js assigns its own towards the broker and resolves the broker's. */
  async aliases() {
    const sub = await connect('js-alias-sub', { properties: { topicAliasMaximum: 2 } });
    const received = collect(sub);
    await sub.subscribeAsync('js/alias/#', { qos: 0 });
    const pub = await connect('js-alias-pub', { autoAssignTopicAlias: true });
    const topics = ['js/alias/a', 'js/alias/b', 'js/alias/a', 'js/alias/b', 'js/alias/a'];
    for (const [i, topic] of topics.entries()) {
      await pub.publishAsync(topic, `m${i}`, { qos: 1 });
    }
    await until(() => received.length === topics.length, 'every message');
    received.forEach((m, i) => {
      out(`message${i}`, `${m.topic} ${m.payload}`);
      out(`alias${i}`, String(m.packet.properties?.topicAlias ?? 'none'));
    });
  },

  /** Subscription options: no local, and retain handling 2 then 0. */
  async options() {
    const self = await connect('js-nl');
    const received = collect(self);
    await self.subscribeAsync('js/nl', { qos: 1, nl: true });
    const other = await connect('js-nl-other');
    await self.publishAsync('js/nl', 'own', { qos: 1 });
    await other.publishAsync('js/nl', 'other', { qos: 1 });
    await other.publishAsync('js/rh', 'kept', { qos: 1, retain: true });
    await self.subscribeAsync('js/rh', { qos: 1, rh: 2 });
    await sleep(300);
    await self.subscribeAsync('js/rh', { qos: 1, rh: 0 });
    await until(() => received.some((m) => m.topic === 'js/rh'), 'the retained message');
    await sleep(300);
    out('received', received.map((m) => `${m.topic}:${m.payload}:${m.packet.retain}`).join(','));
  },

  /** A shared subscription spreads QoS 1 messages over its two members. */
  async shared() {
    const a = await connect('js-share-a');
    const b = await connect('js-share-b');
    const gotA = collect(a);
    const gotB = collect(b);
    await a.subscribeAsync('$share/js/jobs', { qos: 1 });
    await b.subscribeAsync('$share/js/jobs', { qos: 1 });
    const pub = await connect('js-share-pub');
    for (let i = 0; i < 6; i++) {
      await pub.publishAsync('jobs', `job${i}`, { qos: 1 });
    }
    await until(() => gotA.length + gotB.length === 6, 'six jobs');
    await sleep(300);
    out('a', gotA.map((m) => m.payload).join(','));
    out('b', gotB.map((m) => m.payload).join(','));
  },

  /** Session expiry and message expiry: what a returning client gets, and the remaining expiry interval. */
  async expiry() {
    const options = { clean: false, properties: { sessionExpiryInterval: 60 } };
    const first = await connect('js-expiry', options);
    await first.subscribeAsync('js/expiry', { qos: 1 });
    await first.endAsync();
    const pub = await connect('js-expiry-pub');
    await pub.publishAsync('js/expiry', 'short', { qos: 1, properties: { messageExpiryInterval: 1 } });
    await pub.publishAsync('js/expiry', 'long', { qos: 1, properties: { messageExpiryInterval: 60 } });
    await sleep(2100);
    const back = mqtt.connect(url, { protocolVersion: 5, clientId: 'js-expiry', reconnectPeriod: 0, ...options });
    clients.push(back);
    const received = collect(back);
    const connack = await new Promise((resolve, reject) => {
      back.once('connect', resolve);
      back.once('error', reject);
    });
    out('sessionPresent', String(connack.sessionPresent));
    await until(() => received.length >= 1, 'the long-lived message');
    await sleep(500);
    out('received', received.map((m) => `${m.payload}:${m.packet.properties?.messageExpiryInterval}`).join(','));
  },

  /** Reason codes MQTT.js reports: PUBACK 0x99 for a payload that is not the UTF-8 it claims, SUBACK per filter. */
  async reasons() {
    const client = await connect('js-reasons');
    try {
      await client.publishAsync('js/bad', Buffer.from([0xc3, 0x28]), { qos: 1, properties: { payloadFormatIndicator: true } });
      out('puback', 'success');
    } catch (e) {
      out('puback', String(e.code));
    }
    const granted = await client.subscribeAsync([ 'js/ok', '$share/g/js/s' ], { qos: 2 });
    out('suback', granted.map((g) => g.qos).join(','));
  },

  /** The broker ends this session: a second connection takes it over (0x8E). */
  async takeover() {
    const first = await connect('js-twin');
    const disconnect = new Promise((resolve) => first.once('disconnect', resolve));
    await connect('js-twin');
    out('reasonCode', String((await disconnect).reasonCode));
  },

  /** Waits for the broker's DISCONNECT while the Java side stops the broker (0x8B). */
  async shutdown() {
    const client = await connect('js-shutdown');
    const ended = new Promise((resolve) => {
      client.once('disconnect', (packet) => resolve(String(packet.reasonCode)));
      client.once('close', () => resolve('closed without DISCONNECT'));
    });
    out('ready', 'true');
    out('reasonCode', await ended);
  },
};

const timer = setTimeout(() => {
  out('error', 'scenario timed out');
  process.exit(2);
}, 20000);

(async () => {
  try {
    if (!scenarios[scenario]) throw new Error(`unknown scenario ${scenario}`);
    await scenarios[scenario]();
    clients.forEach((c) => c.end(true));
    clearTimeout(timer);
    process.exit(0);
  } catch (e) {
    out('error', e.stack || String(e));
    process.exit(1);
  }
})();
