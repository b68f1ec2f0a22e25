# syntax=docker/dockerfile:1
# The production image of the open data API (docs/DEPLOYMENT.md). With no environment at all it serves
# the bundled dataset from SQLite under /var/lib/prisoners-api:
#   docker build -t prisoners-api .
#   docker run --read-only --tmpfs /tmp -p 8000:8000 prisoners-api
# With DATABASE_URL it serves PostgreSQL. tests/test_dockerfile.py checks this file and
# tests/test_deployment.py runs its commands on a host, as no container engine runs in CI.

# Stage 1: wheels of the service (with its dataset and migrations) and of every dependency, as locked.
FROM python:3.11.14-slim-bookworm AS build
ARG WHEELS=/wheels
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
COPY pyproject.toml requirements.lock README.md ./
COPY api/ api/
# The public dataset only: publications, reference tables, figures, schemas. Never dataset/demo/ (the
# demonstration release's record-level input): record-level rows never enter an image.
COPY dataset/README.md dataset/CHANGELOG.md dataset/
COPY dataset/schema/ dataset/schema/
COPY dataset/reference/ dataset/reference/
COPY dataset/figures/ dataset/figures/
COPY dataset/releases/ dataset/releases/
COPY migrations/ migrations/
# Every dependency at the version requirements.lock pins, checked against its hashes (a reproducible
# image: nothing resolved from ranges at build time), then the service's own wheel without dependencies.
RUN --mount=type=cache,target=/root/.cache/pip \
    pip wheel --wheel-dir "$WHEELS" --require-hashes --requirement requirements.lock \
 && pip wheel --wheel-dir "$WHEELS" --no-deps .

# Stage 2: the runtime. A virtual environment installed from those wheels alone (no index, no compiler,
# no pip in it), owned by root and read-only to the service, which runs as an unprivileged user.
FROM python:3.11.14-slim-bookworm AS runtime
LABEL org.opencontainers.image.title="prisoners-api" \
      org.opencontainers.image.description="Open data API: anonymized aggregate statistics on political prisoners in Belarus" \
      org.opencontainers.image.licenses="MIT"
ARG WHEELS=/wheels
# No peer's X-Forwarded-* headers are trusted until the operator names their proxy in
# PRISONERS_API_FORWARDED_ALLOW_IPS (docs/DEPLOYMENT.md); PRISONERS_API_PUBLIC_BASE_URL names the
# public address every absolute URL starts with.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/prisoners-api \
    PRISONERS_API_HOST=0.0.0.0 \
    PRISONERS_API_PORT=8000 \
    PRISONERS_API_DATA_DIR=/var/lib/prisoners-api \
    PRISONERS_API_FORWARDED_ALLOW_IPS=
RUN groupadd --system --gid 10001 prisoners-api \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin prisoners-api \
 && install --directory --owner=10001 --group=10001 --mode=0700 "$PRISONERS_API_DATA_DIR"
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    python -m venv --without-pip "$VIRTUAL_ENV" \
 && python -m pip --python "$VIRTUAL_ENV/bin/python" install --no-cache-dir --no-index \
        --find-links "$WHEELS" prisoners-api
# From here on `python` and `prisoners-api` are the virtual environment's.
ENV PATH=/opt/prisoners-api/bin:$PATH
# The only writable path: the SQLite database (unused with DATABASE_URL). Mount a volume here to keep it.
VOLUME ["/var/lib/prisoners-api"]
WORKDIR /var/lib/prisoners-api
USER 10001:10001
EXPOSE 8000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-m", "api.healthcheck"]
CMD ["prisoners-api", "serve"]
