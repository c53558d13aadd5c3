# A small HTTP API over PostgreSQL and Redis: /health asks both, /visits counts in both.
FROM debian:bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-psycopg2 python3-redis tini \
 && rm -rf /var/lib/apt/lists/*
COPY api.py /usr/local/bin/api.py
EXPOSE 8080
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["python3", "-u", "/usr/local/bin/api.py"]
