#!/usr/bin/env python3
# qmp.py SOCKET COMMAND [ARGUMENTS-JSON]: one command to a QEMU machine's monitor (QMP),
# for test-boot.sh: "screendump" of what the virtual screen shows, "send-key" for a
# key combination typed on its keyboard. Prints the answer's "return"; exits 1 with the
# monitor's error.
#
# The standard library only: QMP is JSON lines on a Unix socket, a greeting, then
# qmp_capabilities before any command.
import json
import socket
import sys


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: qmp.py SOCKET COMMAND [ARGUMENTS-JSON]")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(30)
    sock.connect(sys.argv[1])
    stream = sock.makefile("rw")

    def answer():
        # Events (asynchronous notices) may come before the answer: skip them.
        while True:
            line = stream.readline()
            if not line:
                sys.exit("qmp.py: the monitor closed the connection")
            message = json.loads(line)
            if "return" in message or "error" in message:
                return message

    def execute(command, arguments=None):
        request = {"execute": command}
        if arguments is not None:
            request["arguments"] = arguments
        stream.write(json.dumps(request) + "\n")
        stream.flush()
        message = answer()
        if "error" in message:
            sys.exit(f"qmp.py: {command}: {message['error'].get('desc', message['error'])}")
        return message["return"]

    json.loads(stream.readline())  # the greeting
    execute("qmp_capabilities")
    arguments = json.loads(sys.argv[3]) if len(sys.argv) == 4 else None
    print(json.dumps(execute(sys.argv[2], arguments)))


if __name__ == "__main__":
    main()
