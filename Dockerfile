# Safe City in a container (README, "Deploying with Docker"). The app listens on port 3000 inside;
# put it behind a TLS reverse proxy and set SAFECITY_PUBLIC_URL=https://... (HSTS, Secure cookies).
FROM node:20-bookworm-slim

# Build tools only for the case where better-sqlite3 has no prebuilt binary for the platform.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Manifests first: the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json ./
COPY packages/core/package.json packages/core/
COPY packages/server/package.json packages/server/
COPY packages/web/package.json packages/web/
COPY packages/server/bin packages/server/bin
# Dev dependencies too: esbuild builds the CLI bundle (`prepare`), tsx runs the sources if it is stale.
RUN npm ci --ignore-scripts
COPY . .
# Native modules and the CLI bundle, as `npm ci` would have done with scripts on.
RUN npm rebuild better-sqlite3 esbuild && npm run prepare

# Never as root. The data folder (SQLite store, uploads) is a volume owned by the app's user.
RUN mkdir -p /data && chown node:node /data
USER node
ENV NODE_ENV=production \
  SAFECITY_DATA_DIR=/data \
  HOST=0.0.0.0 \
  PORT=3000
VOLUME ["/data"]
EXPOSE 3000

# Liveness: the process answers and its database answers a query (/readyz is for load balancers).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# node directly (not npm start): SIGTERM from `docker stop` reaches the server, which finishes the
# requests in flight (SAFECITY_SHUTDOWN_TIMEOUT_S, default 20 s) and stops its import cleanly.
STOPSIGNAL SIGTERM
CMD ["node", "packages/server/bin/safecity.js", "serve"]
