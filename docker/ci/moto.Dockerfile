# CI only: moto's server from the project's tools lock (python/requirements/tools.lock), for
# machines that cannot pull motoserver/moto. Same entry point as the official image.
ARG BASE_IMAGE=dagwright-ci/debian:bookworm
FROM ${BASE_IMAGE}
ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv unzip ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY docker/build-ca/ /tmp/build-ca/
COPY python/requirements/tools.lock /opt/moto/tools.lock
RUN if [ -s /tmp/build-ca/ca-certificates.crt ]; then export PIP_CERT=/tmp/build-ca/ca-certificates.crt; fi \
 && python3 -m venv /opt/moto/venv \
 && /opt/moto/venv/bin/pip install --no-cache-dir --disable-pip-version-check --no-deps --require-hashes -r /opt/moto/tools.lock \
 && /opt/moto/venv/bin/moto_server --help >/dev/null
ENV PATH=/opt/moto/venv/bin:$PATH
ENTRYPOINT ["moto_server", "-H", "0.0.0.0"]
