# CI only: PostgreSQL 15 from Debian's packages, for machines that cannot pull postgres:15.
# It honours the subset of the official image's interface docker-compose.yml uses:
# POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB, PGPORT, PGDATA, and *.sql / *.sh files in
# /docker-entrypoint-initdb.d run once on a fresh data directory.
ARG BASE_IMAGE=dagwright-ci/debian:bookworm
FROM ${BASE_IMAGE}
ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/postgresql/data /docker-entrypoint-initdb.d \
 && chown -R postgres: /var/lib/postgresql && chmod 700 /var/lib/postgresql/data
COPY docker/ci/postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN chmod 0755 /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
USER postgres
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
