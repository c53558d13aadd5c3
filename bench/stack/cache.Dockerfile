# Redis from Debian 12, answering every address.
FROM debian:bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server tini \
 && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["redis-server", "--protected-mode", "no", "--bind", "0.0.0.0", "--save", ""]
