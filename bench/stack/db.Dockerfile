# PostgreSQL 15 from Debian 12, answering every address without a password (a test database).
FROM debian:bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-15 tini \
 && rm -rf /var/lib/apt/lists/* \
 && echo "host all all 0.0.0.0/0 trust" >> /etc/postgresql/15/main/pg_hba.conf \
 && echo "listen_addresses = '*'" >> /etc/postgresql/15/main/postgresql.conf
USER postgres
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["/usr/lib/postgresql/15/bin/postgres", "-D", "/var/lib/postgresql/15/main", "-c", "config_file=/etc/postgresql/15/main/postgresql.conf"]
