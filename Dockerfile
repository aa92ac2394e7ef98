# syntax=docker/dockerfile:1
# Multi-stage: the build stage has the dev tools (tsc, esbuild); the runtime stage has only the built
# service and its production dependencies, runs as the unprivileged `node` user and writes only to DATA_DIR
# (run it with a read-only root filesystem: compose.yaml sets read_only and a tmpfs /tmp).
# Node 26 is the active LTS line (README "Supported versions"); change NODE_VERSION only to another LTS line.
ARG NODE_VERSION=26

FROM node:${NODE_VERSION}-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc* ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-trixie-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3978 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --from=build --chown=root:root /app/docs ./docs
# The code and dependencies stay root-owned and read-only to the service; only DATA_DIR is its own.
RUN mkdir -p /data && chown node:node /data && chmod 0700 /data
VOLUME ["/data"]
USER node
EXPOSE 3978
# /healthz answers 200 while the process serves requests (readiness, incl. Redis, is /readyz).
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3978)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/server/main.js"]
