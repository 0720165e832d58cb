# Design subgraph images. Two targets from one file:
#   docker build --target api    -t design-api .      # the subgraph: node dist/src/main.js, port 4001
#   docker build --target worker -t design-worker .   # the BullMQ workers: node dist/workers/main.js
# Both need PostgreSQL (DATABASE_URL) and Redis (REDIS_URL); both run the migrations at start (an
# advisory lock lets one at a time do it). See compose.yaml for a whole stack.

# ---- build: TypeScript → dist/ (dist/src/main.js, dist/workers/main.js, same layout as the sources)
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: tsc needs no install script, and it skips compiling the optional `gl`
# (which needs X11/GL headers this image does not have) and the dev-only binaries' postinstalls.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY resolvers ./resolvers
COPY entities ./entities
COPY workers ./workers
RUN npx tsc -p tsconfig.build.json

# ---- production dependencies of the API
# `--omit=optional` (which also keeps `gl` out) is right for the API only: it imports neither sharp,
# @napi-rs/canvas nor ffmpeg, whose native binaries are optional per-platform packages (about 200 MB
# the API image does without). Should the API ever import one of them, give it the worker's
# node_modules instead: without its platform package, that module fails as soon as it is loaded.
FROM node:20-bookworm-slim AS api-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund

# ---- production dependencies of the workers
# NOT `--omit=optional`: sharp (@img/sharp-linux-x64, @img/sharp-libvips-linux-x64), @napi-rs/canvas
# (canvas-linux-x64-gnu) and the ffmpeg/ffprobe binaries (@ffmpeg-installer/linux-x64,
# @ffprobe-installer/linux-x64) are all optional dependencies of their packages; omitting optionals
# would leave the workers without them. The optional `gl` is dropped instead: its install script fails
# here (no compiler, no GL headers), which npm tolerates for an optional package, or fetches a
# prebuilt binary that could not run here anyway (no libGL, no Xvfb); the rm makes both cases the same.
# chmod a+rX: ffprobe's postinstall does `chmod u+x`, executable only by its owner (root); the
# workers run as `node`.
FROM node:20-bookworm-slim AS worker-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/gl \
 && chmod -R a+rX node_modules

# ---- common runtime
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
# FILES_DIR defaults to .data/files (relative to /app) when S3_BUCKET is unset: writable by `node`.
# With local files, the API (serves /files) and the workers (write them) must share this directory
# as one volume; with S3 (compose.yaml) it stays unused.
RUN mkdir -p /app/.data && chown node:node /app/.data

# ---- worker: renders with the Chromium inside @sparticuz/chromium, encodes with the ffmpeg inside
# @ffmpeg-installer. The packaged Chromium (a headless shell) links against only glibc plus nss, nspr
# and expat (readelf -d: libnspr4 libnss3 libnssutil3 libexpat.so.1); everything else it needs
# (SwiftShader for WebGL, fonts) it carries. src/render/browser-executable.ts would otherwise point
# LD_LIBRARY_PATH at the package's Amazon Linux copies of these three when ldd finds them missing;
# with Debian's installed (about 3 MB), the browser runs on the system's own.
# ffmpeg/ffprobe are static builds; sharp and @napi-rs/canvas bring their own libraries.
FROM runtime AS worker
RUN apt-get update \
 && apt-get install -y --no-install-recommends libnss3 libnspr4 libexpat1 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=worker-deps /app/node_modules ./node_modules
# The browser is unpacked at its first use into node_modules/.cache/sparticuz-chromium-<version>
# (src/render/browser-executable.ts), so only that directory has to be writable by `node`.
# With a read-only root filesystem, mount a writable volume (or tmpfs, ~250 MB) there.
RUN mkdir -p node_modules/.cache && chown node:node node_modules/.cache
COPY --from=build /app/dist ./dist
# Read at run time, relative to dist/src/render/chromium-renderer.js (ROOT = /app): the page the
# browser loads. three's build and addons are served from /app/node_modules/three.
COPY --from=build /app/src/render/page ./src/render/page
# `gl` is not installed (see worker-deps): ask for chromium rather than log the fallback at each start.
ENV RENDERER=chromium
USER node
# No port and no HEALTHCHECK: the workers serve nothing. They log "workers ready" once started and,
# at start, one line each on what renders and videos will use (or why they cannot work).
CMD ["node", "dist/workers/main.js"]

# ---- api (last, so a plain `docker build .` builds it)
FROM runtime AS api
COPY --from=api-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 4001
# /health answers once the process listens (after the migrations); /ready also checks PostgreSQL and
# Redis, for an orchestrator's readiness probe. No curl in slim images: node's fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4001) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
