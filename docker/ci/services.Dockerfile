# CI only: the services image for machines that cannot pull node:20-bookworm-slim nor reach
# npm from a build. The same runtime layout as services/Dockerfile (/app with package.json,
# production node_modules and dist/, the same ENV, user and entry point), but made of what
# the host already built: its Node binary, `npm run build`'s dist/ and node_modules pruned to
# production dependencies (scripts/compose-e2e.sh stages them; the host is Debian bookworm too,
# so the native modules match).
ARG BASE_IMAGE=dagwright-ci/debian:bookworm
FROM ${BASE_IMAGE}
RUN useradd --create-home --uid 1000 node && mkdir -p /data /app && chown node: /data
COPY node /usr/local/bin/node
COPY app/ /app/
ENV NODE_ENV=production \
    DAGWRIGHT_STATE=/data/state.sqlite \
    DAGWRIGHT_HOST=0.0.0.0
WORKDIR /app
VOLUME ["/data"]
USER node
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/services/main.js"]
CMD ["bookmarks", "--port", "8080"]
