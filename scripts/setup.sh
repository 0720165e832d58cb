#!/usr/bin/env bash
# npm run setup: what a fresh machine lacks that npm cannot bring, which is Redis alone (PostgreSQL,
# the browser and ffmpeg come from npm packages). Installs redis-server with the system's package
# manager when it is missing, and starts it on 127.0.0.1:6379 when nothing answers there.
set -euo pipefail

if (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  echo "Redis already answers on 127.0.0.1:6379: nothing to do"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

if ! command -v redis-server >/dev/null; then
  if command -v apt-get >/dev/null; then
    echo "installing redis-server with apt-get"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server
  elif command -v brew >/dev/null; then
    echo "installing redis with brew"
    brew install redis
  elif command -v dnf >/dev/null; then
    echo "installing redis with dnf"
    $sudo dnf install -y redis
  else
    echo "no apt-get, brew or dnf here: install Redis 7 yourself and start it on 127.0.0.1:6379" >&2
    exit 1
  fi
fi

# Daemonized by itself rather than by a service manager, so it works in containers and without systemd;
# nothing is written to disk (development data only).
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
for _ in $(seq 1 50); do
  if (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
    echo "Redis started on 127.0.0.1:6379 ($(command -v redis-server))"
    exit 0
  fi
  sleep 0.1
done
echo "redis-server did not answer on 127.0.0.1:6379" >&2
exit 1
