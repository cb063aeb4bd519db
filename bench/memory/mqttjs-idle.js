// N idle MQTT.js connections (MQTT 3.1.1, keepalive 60 s, 100 CONNECTs at a time) to 127.0.0.1:PORT; prints
// "ready" once all are connected and holds them until stdin closes. Used by bench/memory/idle-mqttjs.sh.
const mqtt = require('mqtt');
const [port, n] = [process.argv[2], parseInt(process.argv[3])];
let connected = 0, i = 0;
const clients = [];
function next() {
  const batch = Math.min(100, n - i);
  for (let k = 0; k < batch; k++, i++) {
    const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, { clientId: `idle-${i}`, keepalive: 60, reconnectPeriod: 0, protocolVersion: 4 });
    c.once('connect', () => { if (++connected === n) console.log('ready'); else if (connected % 100 === 0 && i < n) next(); });
    c.on('error', e => { console.error('error', e.message); process.exit(1); });
    clients.push(c);
  }
}
next();
process.stdin.on('end', () => { clients.forEach(c => c.end(true)); process.exit(0); });
process.stdin.resume();
