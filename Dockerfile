# syntax=docker/dockerfile:1
# One multi-stage build, one image per role (docker-compose.yml picks the target):
#   server     API: sharp's libvips (it renders viewer previews on request), no ffmpeg
#   worker     job runner: sharp's libvips and ffmpeg
#   scheduler  periodic jobs: no libvips, no ffmpeg
#   migrate    schema migrations (same slim image as the scheduler)
#   allinone   `photo-sync serve` with everything, for a single container
# Node 22 LTS (maintained until April 2027). scripts/replay-dockerfile.sh (CI) replays this file
# with the same major version.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The web UI (vite builds it into dist/web, which the server serves).
COPY web ./web
RUN npm run build

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
# sharp ships libvips, @node-rs/argon2 its binding, as prebuilt optional dependencies: no install
# scripts and no toolchain are needed.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS base
ENV NODE_ENV=production \
    DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
RUN mkdir -p /data && chown node:node /data
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
ENTRYPOINT ["node", "/app/dist/cli/launch.cjs"]

# Roles that never decode an image drop libvips entirely (the code loads it lazily).
FROM base AS slim
RUN rm -rf node_modules/@img node_modules/sharp
USER node

# The server keeps sharp: it renders viewer previews (GET /api/assets/:id/preview) itself.
FROM base AS server
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["server"]

FROM slim AS scheduler
ENV HEARTBEAT_FILE=/tmp/photo-sync.heartbeat
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["sh", "-c", "test -n \"$(find /tmp/photo-sync.heartbeat -mmin -1 2>/dev/null)\""]
CMD ["scheduler"]

FROM slim AS migrate
CMD ["migrate"]

FROM base AS worker
# ffmpeg/ffprobe: video poster frames and metadata (only the worker reads media).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg \
 && rm -rf /var/lib/apt/lists/*
ENV HEARTBEAT_FILE=/tmp/photo-sync.heartbeat
USER node
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["sh", "-c", "test -n \"$(find /tmp/photo-sync.heartbeat -mmin -1 2>/dev/null)\""]
CMD ["worker"]

FROM worker AS allinone
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["serve"]
