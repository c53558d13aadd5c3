#!/usr/bin/env python3
"""A reaper that speaks Ryuk's protocol, for machines that cannot pull testcontainers/ryuk.

Clients connect over TCP (port 8080) and send filters, one a line, in the query form Ryuk uses
(`label=com.docker.compose.project=demo`); each line is answered `ACK`. A line that starts with
`-` takes back a filter sent before (the harness's own extension: a run that ends by keeping its
project releases it). When the last client has
been gone for RYUK_RECONNECTION_TIMEOUT (10s), or none came within RYUK_CONNECTION_TIMEOUT (60s),
every container, network and volume matching a filter is removed, and the reaper exits. Images
are never removed: built images are a cache.
"""
import json
import os
import signal
import socket
import sys
import threading
import time
import urllib.parse

DOCKER_SOCKET = os.environ.get("DOCKER_SOCKET", "/var/run/docker.sock")
PORT = int(os.environ.get("RYUK_PORT", "8080"))
UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}


def seconds(text, default):
    """Go-style durations as Ryuk reads them: "10s", "500ms", "1m"."""
    text = (text or default).strip()
    for unit in sorted(UNITS, key=len, reverse=True):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * UNITS[unit]
    return float(text)


RECONNECTION_TIMEOUT = seconds(os.environ.get("RYUK_RECONNECTION_TIMEOUT"), "10s")
CONNECTION_TIMEOUT = seconds(os.environ.get("RYUK_CONNECTION_TIMEOUT"), "60s")

state = {"filters": [], "connections": 0, "ever": False, "since": time.monotonic()}
lock = threading.Lock()


def log(message):
    print(message, flush=True)


def docker(method, path):
    """One request to the engine over its socket; HTTP/1.0 so that the body ends with the connection."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(DOCKER_SOCKET)
        conn.sendall(f"{method} {path} HTTP/1.0\r\nHost: docker\r\n\r\n".encode())
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(body) if body.strip() else None


def parse_filter(line):
    """`label=a=b&label=c` → {"label": ["a=b", "c"]}, Docker's filter form."""
    result = {}
    for key, value in urllib.parse.parse_qsl(line, keep_blank_values=True):
        result.setdefault(key, []).append(value)
    return result


def serve(conn):
    with lock:
        state["connections"] += 1
        state["ever"] = True
    buffer = b""
    try:
        while chunk := conn.recv(4096):
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                line = line.strip().decode()
                if line.startswith("-"):
                    with lock:
                        state["filters"] = [f for f in state["filters"] if f != parse_filter(line[1:])]
                    log(f"Releasing {line[1:]}")
                    conn.sendall(b"ACK\n")
                elif line:
                    with lock:
                        state["filters"].append(parse_filter(line))
                    log(f"Adding {line}")
                    conn.sendall(b"ACK\n")
    except OSError:
        pass
    finally:
        conn.close()
        with lock:
            state["connections"] -= 1
            state["since"] = time.monotonic()


def prune():
    removed = {"containers": 0, "networks": 0, "volumes": 0}
    for query in state["filters"]:
        encoded = urllib.parse.quote(json.dumps(query))
        _, containers = docker("GET", f"/containers/json?all=1&filters={encoded}")
        for c in containers or []:
            if docker("DELETE", f"/containers/{c['Id']}?force=1&v=1")[0] < 300:
                removed["containers"] += 1
        for attempt in range(10):
            _, networks = docker("GET", f"/networks?filters={encoded}")
            left = [n for n in networks or [] if docker("DELETE", f"/networks/{n['Id']}")[0] >= 300]
            removed["networks"] += len(networks or []) - len(left)
            if not left:
                break
            time.sleep(0.5)
        _, volumes = docker("GET", f"/volumes?filters={encoded}")
        for v in (volumes or {}).get("Volumes") or []:
            if docker("DELETE", f"/volumes/{v['Name']}")[0] < 300:
                removed["volumes"] += 1
    log(f"Removed {removed['containers']} container(s), {removed['networks']} network(s), {removed['volumes']} volume(s)")


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("0.0.0.0", PORT))
    server.listen(64)
    server.settimeout(0.2)
    log(f"Started, listening on {PORT}")
    while True:
        try:
            conn, _ = server.accept()
            threading.Thread(target=serve, args=(conn,), daemon=True).start()
        except socket.timeout:
            pass
        with lock:
            idle = time.monotonic() - state["since"]
            done = state["connections"] == 0 and idle > (RECONNECTION_TIMEOUT if state["ever"] else CONNECTION_TIMEOUT)
        if done:
            # No new client is heard from now on: one that connects meanwhile sees the refusal and waits for the exit.
            server.close()
            prune()
            return


if __name__ == "__main__":
    main()
