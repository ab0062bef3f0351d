# CI only: what the services image needs besides the builds — the host's Node binary, the
# production node_modules and packages/dqdl/package.json (node_modules/@dagwright/dqdl links to
# packages/dqdl) — as its own image, cached by scripts/compose-e2e.sh under the hash of
# package-lock.json, that manifest and the Node version (so a code change rebuilds only the
# small layer in docker/ci/services.Dockerfile). The host is Debian bookworm too, so native
# modules match.
ARG BASE_IMAGE=dagwright-ci/debian:bookworm
FROM ${BASE_IMAGE}
RUN useradd --create-home --uid 1000 node && mkdir -p /data /app && chown node: /data
COPY node /usr/local/bin/node
COPY app/ /app/
