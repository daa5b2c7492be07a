# One image for every imgate role; the command picks the role:
#   docker run imgate:local                                   # embedded default (all roles, in-memory)
#   docker run imgate:local dist/apps/comet/src/main.js       # comet (likewise logic, job)
# The default command never serves dev auth beyond the container: the embedded default trusts the
# client's mid (dev auth) only on loopback, so its client listeners bind the container's 127.0.0.1.
# To take clients from outside, give it real tokens (the listeners then bind 0.0.0.0):
#   docker run -e LOGIC_AUTH_MODE=jwt -e LOGIC_JWT_SECRET="$(openssl rand -hex 32)" -p 3101:3101 -p 3102:3102 ...
# Without LOGIC_API_KEYS its push API listens on the container's 127.0.0.1 only:
#   docker run -e LOGIC_API_KEYS="$(openssl rand -hex 32)" -p 3111:3111 ... to push from outside.
# The roles themselves refuse dev auth unless LOGIC_AUTH_MODE=dev comes with IMGATE_ALLOW_DEV_AUTH=1.
# No HEALTHCHECK: compose and Kubernetes probe /health/live and /health/ready over HTTP.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first, so source edits reuse the npm ci layer.
COPY package.json package-lock.json ./
# The npm workspaces' manifests too: npm ci installs their dependencies (the SDK's bundler) only with them.
COPY libs/protocol/package.json ./libs/protocol/
COPY libs/kcp/package.json ./libs/kcp/
COPY packages/sdk/package.json ./packages/sdk/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json nest-cli.json ./
COPY scripts ./scripts
COPY proto ./proto
COPY libs ./libs
COPY packages ./packages
COPY apps ./apps
# `npm run build` compiles each role from its tsconfig.app.json (nest-cli.json): no specs, tests or bench.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Build output only, owned by root and read-only to the app user: the root filesystem can be mounted read-only.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/proto ./proto
# The official image's unprivileged "node" user, by number so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
# comet: HTTP 3100, TCP 3101, WebSocket 3102, secure WebSocket 3103/tcp and TLS over TCP 3104
# (with COMET_TLS_CERT/KEY), KCP 3103/udp, gRPC 3109; logic: HTTP 3111, gRPC 3119; job: HTTP 3121.
EXPOSE 3100 3101 3102 3103/tcp 3103/udp 3104 3109 3111 3119 3121
# node is PID 1: every role installs its own SIGTERM handler, which drains before exit.
ENTRYPOINT ["node"]
CMD ["dist/apps/embedded/src/main.js"]
