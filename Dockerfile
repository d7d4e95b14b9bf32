# paperbot image: small, non-root, SQLite on a volume.
# The install step is .ci/install.sh, the same script CI runs on every submission.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE requirements.lock ./
COPY .ci/install.sh .ci/install.sh
COPY bot bot
COPY cogs cogs
COPY fakediscord fakediscord
RUN sh .ci/install.sh /opt/paperbot image

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 paperbot \
 && mkdir -p /data && chown paperbot:paperbot /data
COPY --from=build /opt/paperbot /opt/paperbot
ENV PATH="/opt/paperbot/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    PAPERBOT_STORE__PATH=/data/paperbot.db
USER paperbot
WORKDIR /home/paperbot
VOLUME ["/data"]
# The token comes from the environment (DISCORD_TOKEN) or a secret file (DISCORD_TOKEN_FILE).
# Healthy = the bot recorded a heartbeat (every 30 s while connected) in the last 2 minutes.
HEALTHCHECK --interval=60s --timeout=10s --start-period=60s \
    CMD ["paperbot", "health", "--max-age", "120"]
CMD ["paperbot", "run"]
