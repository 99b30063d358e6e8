# kubeguard's image: every in-cluster part (`kubeguard install`) and the CLI run it.
#
#   buildah build --timestamp "$(git log -1 --format=%ct)" -t kubeguard:dev .     # or: docker build -t kubeguard:dev .
#
# Stage "build" compiles the TypeScript and better-sqlite3's native addon with a Node.js 20 toolchain image, then
# keeps production dependencies only. The runtime stage is distroless Node.js 20 (Debian 12): no shell, no package
# manager; the application is owned by root and read-only to the process, which runs as UID 65532 and writes
# nothing to the root filesystem (the vulnerability database and scan results go where KUBEGUARD_DB /
# KUBEGUARD_SCAN_RESULTS point, a mounted volume). Both bases are pinned by digest and can be overridden; a
# replacement runtime base needs Node.js 20 at /nodejs/bin/node and the build image's glibc ABI (docs/install.md).
ARG BUILD_IMAGE=docker.io/library/node:20-bookworm@sha256:8f693eaa7e0a8e71560c9a82b55fd54c2ae920a2ba5d2cde28bac7d1c01c9ba5
ARG BASE_IMAGE=gcr.io/distroless/nodejs20-debian12:nonroot@sha256:c4c595a36ad2ced3cd952fad295a6afcb4469e91927159cfb95790031fe65d95

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
ENV npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts/gen-rules-index.mjs scripts/gen-validators.ts scripts/gen-kube-bench.mjs scripts/gen-version.mjs scripts/generated-file.mjs scripts/generated-file.d.mts scripts/bundle-cli.mjs scripts/
COPY bin bin
COPY schema schema
COPY benchmarks benchmarks
COPY src src
COPY web web
# One step: the dev dependencies compile the TypeScript; then only production dependencies stay, and of
# better-sqlite3 only its JavaScript and the compiled addon (not its C sources and object files).
RUN npm ci --prefer-offline --ignore-scripts \
 && npm rebuild better-sqlite3 \
 && npm run build \
 && npm prune --omit=dev --ignore-scripts \
 && cd node_modules/better-sqlite3 \
 && find build -mindepth 1 -not -path build/Release -not -path build/Release/better_sqlite3.node -exec rm -rf {} + \
 && rm -rf deps src \
 && cd /src && node -e "new (require('better-sqlite3'))(':memory:').close()"

FROM ${BASE_IMAGE}
COPY --from=build --chown=0:0 --chmod=0755 /src/bin /app/bin
COPY --from=build --chown=0:0 /src/package.json /app/package.json
COPY --from=build --chown=0:0 /src/schema /app/schema
COPY --chown=0:0 trust /app/trust
COPY --from=build --chown=0:0 /src/dist /app/dist
COPY --from=build --chown=0:0 /src/node_modules /app/node_modules
ENV NODE_ENV=production
WORKDIR /tmp
USER 65532:65532
ENTRYPOINT ["/nodejs/bin/node", "/app/bin/kubeguard.js"]
# Which part runs is decided by the arguments; Kubernetes probes the served endpoints (/healthz, /readyz).
HEALTHCHECK NONE
CMD ["--help"]
LABEL org.opencontainers.image.title="kubeguard" \
      org.opencontainers.image.description="Kubernetes security across the container lifecycle" \
      org.opencontainers.image.licenses="Apache-2.0"
