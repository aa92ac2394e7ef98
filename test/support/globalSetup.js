// Decides once per run whether the Redis tests can run, and tells every worker through the environment.
// CI=true: Redis is required, a missing server fails the run. Elsewhere: use REDIS_URL, else a local
// server on 127.0.0.1:6379 (database 15) if one answers, else skip the Redis tests with a loud notice.
const net = require('net');

function answers(host, port, timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => {
      socket.write('PING\r\n');
      socket.once('data', (d) => done(String(d).startsWith('+PONG')));
    });
  });
}

module.exports = async function globalSetup() {
  if (process.env.REDIS_URL) return;
  if (await answers('127.0.0.1', 6379)) {
    process.env.REDIS_URL = 'redis://127.0.0.1:6379/15';
    console.log('\n[tests] REDIS_URL unset: using the local Redis at redis://127.0.0.1:6379/15');
    return;
  }
  if (process.env.CI === 'true') {
    throw new Error('[tests] CI=true but no Redis: set REDIS_URL or start redis-server on 127.0.0.1:6379');
  }
  process.env.SG_TEST_SKIP_REDIS = '1';
  console.warn(
    '\n' +
      '!'.repeat(78) +
      '\n[tests] NO REDIS: REDIS_URL is unset and nothing answers on 127.0.0.1:6379.\n' +
      '[tests] The Redis store tests are SKIPPED. Start redis-server or set REDIS_URL to run them.\n' +
      '!'.repeat(78),
  );
};
