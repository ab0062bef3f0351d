# CI only: the services image for machines that cannot pull node:20-bookworm-slim nor reach
# npm from a build. The same runtime layout as services/Dockerfile (/app with package.json,
# production node_modules and dist/, the same ENV, user and entry point), made of what the host
# already built: docker/ci/services-deps.Dockerfile (its Node binary and node_modules pruned
# to production dependencies) plus `npm run build`'s dist/ and packages/dqdl/dist/ (the build
# of @dagwright/dqdl, which node_modules links to; scripts/compose-e2e.sh stages them).
ARG DEPS_IMAGE=dagwright-ci/services-deps:local
FROM ${DEPS_IMAGE}
COPY dist/ /app/dist/
COPY packages/dqdl/dist/ /app/packages/dqdl/dist/
ENV NODE_ENV=production \
    DAGWRIGHT_STATE=/data/state.sqlite \
    DAGWRIGHT_HOST=0.0.0.0
WORKDIR /app
VOLUME ["/data"]
USER node
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/services/main.js"]
CMD ["bookmarks", "--port", "8080"]
