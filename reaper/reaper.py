#!/usr/bin/env python3
"""compose-harness's reaper: Ryuk's idea, for machines that cannot pull testcontainers/ryuk, made
safe on an engine shared with others.

Clients connect over TCP (port 8080) and send lines of at most 4096 bytes:

    SECRET label=com.docker.compose.project=NAME&label=com.compose-harness.session=SESSION
    SECRET -label=…       takes a filter back (a run that ends by keeping its project)
    SECRET adopt label=…  takes on another session's filter (a later run of the project)

Each accepted line is answered `ACK`; anything else `ERR reason`, and the connection is closed.
SECRET is REAPER_SECRET, minted by the process that starts the reaper; a filter names exactly a
project and a session, the reaper's own (REAPER_SESSION) unless adopted, and an adopted session
must label something of that project on the engine. Only a connection that has sent an accepted
line is a client: one that says nothing within 5 s is closed, and at most 64 connections are open
at once. When the last client has been gone for RYUK_RECONNECTION_TIMEOUT (10s), or none came
within RYUK_CONNECTION_TIMEOUT (20s), the containers, networks and volumes that carry both labels
of a filter are removed, each checked again before it goes, and the reaper removes its own
container. A request the client sent just before it died may still be under way in the engine (a
network or a container created after the first pass): the passes go on, a second apart, until one
finds nothing at least SETTLE_S (5 s) after the first, or MAX_PRUNE_S (30 s) have gone by. Images are never removed: built images are a cache.

The filters are kept in a file of the container, written before each ACK: an engine restart
starts the reaper again (its restart policy) with them, and it does its work once its clients
have not come back within the reconnection timeout.
"""
import hmac
import json
import os
import re
import signal
import socket
import sys
import threading
import time
import urllib.parse

DOCKER_SOCKET = os.environ.get("DOCKER_SOCKET", "/var/run/docker.sock")
PORT = int(os.environ.get("RYUK_PORT", "8080"))
SECRET = os.environ.get("REAPER_SECRET", "").encode()
SESSION = os.environ.get("REAPER_SESSION", "")
NAME = os.environ.get("REAPER_NAME", "")
STATE_FILE = os.environ.get("REAPER_STATE", "/var/lib/compose-harness-reaper/filters.json")
PROJECT_LABEL = "com.docker.compose.project"
SESSION_LABEL = "com.compose-harness.session"
REAPER_LABEL = "com.compose-harness.reaper"
PROJECT_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
SESSION_ID = re.compile(r"[0-9a-f]{16}")
MAX_LINE = 4096
MAX_CONNECTIONS = 64
MAX_FILTERS = 4096
FIRST_LINE_DEADLINE = 5.0
SETTLE_S = 5.0
MAX_PRUNE_S = 30.0
UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}


def seconds(text, default):
    """Go-style durations as Ryuk reads them: "10s", "500ms", "1m"."""
    text = (text or default).strip()
    for unit in sorted(UNITS, key=len, reverse=True):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * UNITS[unit]
    return float(text)


RECONNECTION_TIMEOUT = seconds(os.environ.get("RYUK_RECONNECTION_TIMEOUT"), "10s")
CONNECTION_TIMEOUT = seconds(os.environ.get("RYUK_CONNECTION_TIMEOUT"), "20s")

# filters: (project, session) pairs; clients: connections that sent an accepted line; open: all connections.
state = {"filters": [], "clients": 0, "open": 0, "ever": False, "since": time.monotonic()}
lock = threading.Lock()


class Refused(Exception):
    pass


def log(message):
    print(message, flush=True)


def docker(method, path):
    """One request to the engine over its socket; HTTP/1.0 so that the body ends with the connection."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(30)
        conn.connect(DOCKER_SOCKET)
        conn.sendall(f"{method} {path} HTTP/1.0\r\nHost: docker\r\n\r\n".encode())
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(body) if body.strip() and status < 300 else None


def save():
    """The filters, written whole before they are acknowledged."""
    os.makedirs(os.path.dirname(STATE_FILE), exist_ok=True)
    with open(f"{STATE_FILE}.new", "w") as f:
        json.dump(state["filters"], f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(f"{STATE_FILE}.new", STATE_FILE)


def load():
    try:
        with open(STATE_FILE) as f:
            return [tuple(pair) for pair in json.load(f)]
    except FileNotFoundError:
        return None


def parse_filter(text):
    """`label=PROJECT_LABEL=NAME&label=SESSION_LABEL=ID`, in either order, and nothing else."""
    try:
        pairs = urllib.parse.parse_qsl(text, keep_blank_values=True, strict_parsing=True, max_num_fields=2)
    except ValueError:
        raise Refused("a filter is label=com.docker.compose.project=NAME&label=com.compose-harness.session=ID")
    labels = dict(value.partition("=")[::2] for key, value in pairs if key == "label")
    if len(pairs) != 2 or set(labels) != {PROJECT_LABEL, SESSION_LABEL}:
        raise Refused("a filter names exactly a project and a session, by their labels")
    project, session = labels[PROJECT_LABEL], labels[SESSION_LABEL]
    if not PROJECT_NAME.fullmatch(project) or not SESSION_ID.fullmatch(session):
        raise Refused("not a project name or not a session of the harness")
    return project, session


def query(project, session):
    return urllib.parse.quote(json.dumps({"label": [f"{PROJECT_LABEL}={project}", f"{SESSION_LABEL}={session}"]}))


def labelled(project, session):
    """Whether the engine holds anything of `project` labelled with `session`."""
    encoded = query(project, session)
    _, containers = docker("GET", f"/containers/json?all=1&filters={encoded}")
    _, networks = docker("GET", f"/networks?filters={encoded}")
    _, volumes = docker("GET", f"/volumes?filters={encoded}")
    return bool(containers or networks or (volumes or {}).get("Volumes"))


def handle(line):
    """One line of a client: the filters changed, or Refused."""
    secret, _, rest = line.partition(b" ")
    if not hmac.compare_digest(secret, SECRET):
        raise Refused("wrong secret")
    try:
        text = rest.decode("ascii").strip()
    except UnicodeDecodeError:
        raise Refused("not ASCII")
    verb, _, argument = text.partition(" ")
    if verb == "adopt":
        pair = parse_filter(argument)
        if pair[1] != SESSION and not labelled(*pair):
            raise Refused(f"nothing of project {pair[0]} carries session {pair[1]}")
    elif text.startswith("-"):
        pair = parse_filter(text[1:])
    else:
        pair = parse_filter(text)
        if pair[1] != SESSION:
            raise Refused("a filter of another session is taken on only by adopt")
    with lock:
        if text.startswith("-"):
            state["filters"] = [f for f in state["filters"] if f != pair]
        elif pair not in state["filters"]:
            if len(state["filters"]) >= MAX_FILTERS:
                raise Refused("too many filters")
            state["filters"].append(pair)
        save()
    log(f"{'Releasing' if text.startswith('-') else 'Adding'} project {pair[0]} of session {pair[1]}")


def serve(conn):
    """A connection: lines up to MAX_LINE, the first within FIRST_LINE_DEADLINE; each newline looked for once."""
    client = False
    buffer = bytearray()
    conn.settimeout(FIRST_LINE_DEADLINE)
    try:
        while chunk := conn.recv(4096):
            start = len(buffer)
            buffer += chunk
            while (end := buffer.find(b"\n", start)) >= 0:
                line, buffer, start = bytes(buffer[:end]), buffer[end + 1 :], 0
                handle(line.rstrip(b"\r"))
                conn.sendall(b"ACK\n")
                if not client:
                    client = True
                    conn.settimeout(None)
                    with lock:
                        state["clients"] += 1
                        state["ever"] = True
            if len(buffer) > MAX_LINE:
                raise Refused(f"a line is at most {MAX_LINE} bytes")
    except Refused as refusal:
        log(f"Refused a line: {refusal}")
        linger(conn, f"ERR {refusal}\n".encode())
    except OSError:
        pass
    finally:
        conn.close()
        with lock:
            state["open"] -= 1
            if client:
                state["clients"] -= 1
                state["since"] = time.monotonic()


def linger(conn, answer):
    """Answers, then reads what the client is still sending for up to a second: closed with unread data, the connection would be reset and the answer lost."""
    try:
        conn.sendall(answer)
        conn.shutdown(socket.SHUT_WR)
        conn.settimeout(0.2)
        deadline = time.monotonic() + 1
        while time.monotonic() < deadline and conn.recv(65536):
            pass
    except OSError:
        pass


def remove(kind, path, labels, project, session):
    """Removes one thing, checked again first: both labels of the filter, and not a reaper."""
    labels = labels or {}
    if labels.get(PROJECT_LABEL) != project or labels.get(SESSION_LABEL) != session or REAPER_LABEL in labels:
        return False
    return docker("DELETE", path)[0] < 300


def prune_once():
    """One pass over the filters; returns how many things it removed."""
    removed = {"containers": 0, "networks": 0, "volumes": 0}
    for project, session in state["filters"]:
        encoded = query(project, session)
        _, containers = docker("GET", f"/containers/json?all=1&filters={encoded}")
        for c in containers or []:
            path = f"/containers/{c['Id']}?force=1&v=1"
            removed["containers"] += remove("container", path, c.get("Labels"), project, session)
        for attempt in range(10):
            _, networks = docker("GET", f"/networks?filters={encoded}")
            gone = [remove("network", f"/networks/{n['Id']}", n.get("Labels"), project, session) for n in networks or []]
            removed["networks"] += sum(gone)
            if all(gone):
                break
            time.sleep(0.5)
        _, volumes = docker("GET", f"/volumes?filters={encoded}")
        for v in (volumes or {}).get("Volumes") or []:
            path = f"/volumes/{urllib.parse.quote(v['Name'])}"
            removed["volumes"] += remove("volume", path, v.get("Labels"), project, session)
    if sum(removed.values()):
        log(f"Removed {removed['containers']} container(s), {removed['networks']} network(s), {removed['volumes']} volume(s)")
    return sum(removed.values())


def prune_pass():
    """prune_once, with an engine that does not answer (restarting) waited for, up to a minute."""
    for attempt in range(60):
        try:
            return prune_once()
        except OSError as error:
            log(f"The engine does not answer ({error}): trying again")
            time.sleep(1)
    return 0


def prune():
    """Removes what the filters name, pass after pass until the engine has settled (see the docstring at the top)."""
    first = time.monotonic()
    while True:
        removed = prune_pass()
        elapsed = time.monotonic() - first
        if (removed == 0 and elapsed >= SETTLE_S) or elapsed >= MAX_PRUNE_S:
            break
        time.sleep(1)
    log("Done")
    with lock:
        state["filters"] = []
        save()


def remove_self():
    """The reaper's container goes with it; should that fail, it exits and its restart policy brings it back to try again."""
    if NAME:
        try:
            docker("DELETE", f"/containers/{NAME}?force=1&v=1")
        except OSError:
            pass
    sys.exit(0)


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if not SECRET:
        log("REAPER_SECRET is not set")
        sys.exit(2)
    kept = load()
    if kept is not None:
        # Started again (the engine restarted): the clients had their chance to come back.
        state["filters"], state["ever"] = kept, True
        log(f"Restarted with {len(kept)} filter(s)")
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("0.0.0.0", PORT))
    server.listen(1024)
    server.settimeout(0.2)
    if kept is None:
        save()
    log(f"Started, listening on {PORT}")
    while True:
        try:
            conn, _ = server.accept()
            with lock:
                full = state["open"] >= MAX_CONNECTIONS
                state["open"] += 0 if full else 1
            if full:
                conn.close()
            else:
                threading.Thread(target=serve, args=(conn,), daemon=True).start()
        except socket.timeout:
            pass
        with lock:
            idle = time.monotonic() - state["since"]
            done = state["clients"] == 0 and idle > (RECONNECTION_TIMEOUT if state["ever"] else CONNECTION_TIMEOUT)
        if done:
            # No new client is heard from now on: one that connects meanwhile sees the refusal and waits for the exit.
            server.close()
            prune()
            remove_self()


if __name__ == "__main__":
    main()
