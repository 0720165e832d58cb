/** How to start what is down, said in the one line that reports it. */
export const START_POSTGRES = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';
export const START_REDIS = 'redis-server --daemonize yes --save "" --appendonly no';
