"""The benchmark stack's API: GET /health (200 once PostgreSQL and Redis answer), GET /visits."""
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg2
import redis

DB = dict(host=os.environ.get("DB_HOST", "db"), user="postgres", dbname="postgres", connect_timeout=2)
CACHE = redis.Redis(host=os.environ.get("CACHE_HOST", "cache"), socket_timeout=2)


def visit():
    with psycopg2.connect(**DB) as db, db.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS visits (at timestamptz DEFAULT now())")
        cursor.execute("INSERT INTO visits DEFAULT VALUES")
        cursor.execute("SELECT count(*) FROM visits")
        stored = cursor.fetchone()[0]
    return {"stored": stored, "cached": CACHE.incr("visits")}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        try:
            if self.path == "/health":
                with psycopg2.connect(**DB) as db, db.cursor() as cursor:
                    cursor.execute("SELECT 1")
                CACHE.ping()
                body = {"ok": True}
            elif self.path == "/visits":
                body = visit()
            else:
                self.send_error(404)
                return
            data = json.dumps(body).encode()
            self.send_response(200)
        except Exception as error:  # the test sees why, not a reset connection
            data = json.dumps({"error": str(error)}).encode()
            self.send_response(503)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


print("api listening on 8080", flush=True)
ThreadingHTTPServer(("0.0.0.0", 8080), Handler).serve_forever()
