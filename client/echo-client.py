#!/usr/bin/env python3
"""The echo example's client: forever, send a line to the echo server and print its reply.

Settings come from the environment, with the example's values as defaults:
ECHO_HOST (talkto), ECHO_PORT (2000), ECHO_MESSAGE (Hello, world), ECHO_INTERVAL seconds (5).
In ECHO_MESSAGE, {n} stands for the exchange's number (1, 2, …), so that every message differs.
"""
import os
import signal
import socket
import sys
import time

HOST = os.environ.get("ECHO_HOST", "talkto")
PORT = int(os.environ.get("ECHO_PORT", "2000"))
MESSAGE = os.environ.get("ECHO_MESSAGE", "Hello, world")
INTERVAL = float(os.environ.get("ECHO_INTERVAL", "5"))


def stop(signum, frame):
    # As PID 1, Python ignores SIGTERM unless it has a handler: without this one every
    # `docker stop` would wait out its grace period and then kill.
    sys.exit(0)


def exchange(message):
    with socket.create_connection((HOST, PORT), timeout=10) as conn:
        conn.sendall((message + "\n").encode())
        reply = b""
        while not reply.endswith(b"\n"):
            chunk = conn.recv(4096)
            if not chunk:
                break
            reply += chunk
    return reply.decode(errors="replace").rstrip("\n")


def main():
    signal.signal(signal.SIGTERM, stop)
    count = 0
    while True:
        count += 1
        try:
            reply = exchange(MESSAGE.replace("{n}", str(count)))
        except OSError as error:
            print(f"Error: cannot reach {HOST}:{PORT}: {error}", file=sys.stderr, flush=True)
            sys.exit(1)
        print(f"Received: {reply}", flush=True)
        time.sleep(INTERVAL)


if __name__ == "__main__":
    main()
