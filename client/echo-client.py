#!/usr/bin/env python3
"""The echo example's client: forever, send a line to the echo server and print its reply.

Settings come from the environment, with the example's values as defaults:
  ECHO_HOST (talkto), ECHO_PORT (2000), ECHO_MESSAGE (Hello, world), ECHO_INTERVAL seconds (5).
In ECHO_MESSAGE, {n} stands for the exchange's number (1, 2, …) and {host} for this container's
host name, so that every message can differ.
  ECHO_TIMEOUT   seconds to wait for the server to connect and answer (10)
  ECHO_RETRY     1: after an error, print it and try again after the interval (default: exit 1)
  ECHO_COUNT     stop, exit 0, after this many exchanges (default: never)
A reply that differs from what was sent is printed as "Mismatch: …" and ends the client with 2.
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
TIMEOUT = float(os.environ.get("ECHO_TIMEOUT", "10"))
RETRY = os.environ.get("ECHO_RETRY", "0") == "1"
COUNT = int(os.environ.get("ECHO_COUNT", "0"))


def stop(signum, frame):
    # As PID 1, Python ignores SIGTERM unless it has a handler: without this one every
    # `docker stop` would wait out its grace period and then kill.
    sys.exit(0)


def exchange(message):
    with socket.create_connection((HOST, PORT), timeout=TIMEOUT) as conn:
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
    while not COUNT or count < COUNT:
        message = MESSAGE.replace("{n}", str(count + 1)).replace("{host}", socket.gethostname())
        try:
            reply = exchange(message)
        except OSError as error:
            print(f"Error: cannot reach {HOST}:{PORT}: {error}", file=sys.stderr, flush=True)
            if not RETRY:
                sys.exit(1)
            time.sleep(INTERVAL)
            continue
        count += 1
        if reply != message:
            print(f"Mismatch: sent {message!r}, received {reply!r}", flush=True)
            sys.exit(2)
        print(f"Received: {reply}", flush=True)
        if not COUNT or count < COUNT:
            time.sleep(INTERVAL)


if __name__ == "__main__":
    main()
