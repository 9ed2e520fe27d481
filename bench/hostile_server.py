"""A misbehaving HTTP server on loopback for bench/hostile.sh.

    python3 bench/hostile_server.py MODE PORT

MODE: silent (accepts, reads, never answers), comments (a 200 event stream of
`: keep-alive` comments forever), endless-line (a 200 event stream whose one `data:`
line never ends), endless-error (a 500 whose body never ends), html (a 200 HTML login
page where an event stream was asked for).
"""

import socket
import sys
import threading
import time

MODE, PORT = sys.argv[1], int(sys.argv[2])
STREAM = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n"


def serve(conn):
    try:
        conn.recv(65536)
        if MODE == "silent":
            time.sleep(3600)
        elif MODE == "comments":
            conn.sendall(STREAM)
            while True:
                conn.sendall(b": keep-alive\n\n")
                time.sleep(0.1)
        elif MODE == "endless-line":
            conn.sendall(STREAM + b"data: ")
            chunk = b"x" * 65536
            while True:
                conn.sendall(chunk)
        elif MODE == "endless-error":
            conn.sendall(b"HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/plain\r\n\r\n")
            chunk = b"e" * 65536
            while True:
                conn.sendall(chunk)
        elif MODE == "html":
            page = b"<html><body><form>Log in</form></body></html>"
            conn.sendall(
                b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: "
                + str(len(page)).encode()
                + b"\r\n\r\n"
                + page
            )
            time.sleep(1)
    except OSError:
        pass
    finally:
        conn.close()


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", PORT))
listener.listen(64)
while True:
    conn, _ = listener.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
