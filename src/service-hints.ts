import { findOnPath } from './find-on-path';

const onPath = (binary: string) => findOnPath([binary]) !== null;

/** How to start what is down, said in the one line that reports it. */
export const startPostgresHint = () =>
  onPath('pg_ctlcluster')
    ? 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start (or unset DATABASE_URL: npm run dev and npm test then start an embedded PostgreSQL)'
    : 'unset DATABASE_URL and stop whatever holds 127.0.0.1:5432: npm run dev and npm test then start an embedded PostgreSQL';

/** No npm package ships a Redis server, so a machine without one is told how to get it. */
export const startRedisHint = () =>
  onPath('redis-server')
    ? 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'
    : 'npm run setup (Redis is not installed: it installs redis-server with apt-get, or brew on macOS, and starts it)';
