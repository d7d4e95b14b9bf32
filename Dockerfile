# paperbot image: small, non-root, read-only root file system, SQLite on a volume.
# The install step is .ci/install.sh (image profile), the same script CI runs on every
# submission: every dependency from requirements.lock with its hash, paperbot built with the
# locked setuptools, then pip and setuptools removed from the venv.
#
# The base image is pinned by the digest of its multi-arch index (the tag beside it is for
# the reader; Docker pulls by the digest), as every Python package is pinned by its hash.
# This is python:3.11-slim as published on 2026-09-02 (Python 3.11.16 on Debian trixie, 8
# platforms), as recorded by the official images' own repository: github.com/docker-library/
# repo-info, repos/python/remote/3.11-slim.md at commit cc54a6ea2f4eadb0312329a5c74d91778ee65aec.
# To refresh it (both FROM lines, together): `docker buildx imagetools inspect
# python:3.11-slim` and copy the "Digest:" of the index, not of one platform's manifest.
FROM python:3.11-slim@sha256:9534e5a8e315485d4061ed659af0fd78a284c015f9b73661b41d6bab25604534 AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE requirements.lock ./
COPY .ci/install.sh .ci/install.sh
COPY bot bot
COPY cogs cogs
COPY fakediscord fakediscord
RUN sh .ci/install.sh /opt/paperbot image

FROM python:3.11-slim@sha256:9534e5a8e315485d4061ed659af0fd78a284c015f9b73661b41d6bab25604534
# The base image's own pip, setuptools and wheel (and ensurepip's bundled wheels) are not
# needed to run paperbot, and old copies of them are what image scanners flag.
RUN python -m pip uninstall --yes --quiet pip setuptools wheel \
 && rm -rf /usr/local/lib/python3.11/ensurepip /usr/local/bin/pip* \
 && useradd --create-home --uid 10001 paperbot \
 && mkdir -p /data /digests /etc/paperbot && chown paperbot:paperbot /data
COPY --from=build /opt/paperbot /opt/paperbot
# The configuration: docker/config.toml, that is config.example.toml with the store on the
# /data volume and the digests from /digests (a folder to mount read-only, empty by default,
# so a production store never gets the bundled sample digests). Mount your own copy over it
# (compose.yaml does): the file decides, because the environment below sets no PAPERBOT_*
# setting, only PAPERBOT_CONFIG, the path of the file.
COPY docker/config.toml /etc/paperbot/config.toml
# MPLCONFIGDIR: matplotlib (the /trends chart) needs a *writable* directory for its font
# cache. The root file system is read-only and so is $HOME, and a cache prebuilt into the
# image would not do: matplotlib refuses a directory it cannot write (os.access W_OK), falls
# back to a fresh temporary one and logs two warnings. /tmp is a tmpfs under compose.yaml
# and under `docker run --read-only --tmpfs /tmp` (which SQLite's temporary files need too),
# so the cache lives there: built once per container on the first chart, in well under a
# second (the slim image has only matplotlib's own fonts), without a warning.
ENV PATH="/opt/paperbot/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PAPERBOT_CONFIG=/etc/paperbot/config.toml \
    MPLCONFIGDIR=/tmp/matplotlib
USER paperbot
WORKDIR /home/paperbot
VOLUME ["/data"]
# The token comes from a secret file (DISCORD_TOKEN_FILE, as in compose.yaml) or DISCORD_TOKEN.
# SIGTERM stops the bot cleanly at any moment, even during the first ingest.
STOPSIGNAL SIGTERM
# Healthy = the bot recorded a heartbeat (every 30 s while connected) in the last 2 minutes.
HEALTHCHECK --interval=60s --timeout=10s --start-period=60s \
    CMD ["paperbot", "health", "--max-age", "120"]
CMD ["paperbot", "run"]
