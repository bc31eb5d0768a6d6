#!/usr/bin/python3
"""Extracts the hex dumps charon logs at ike/chd level 4 ("name => N bytes @ addr" followed by
"  off: hex ... ascii" lines) from a charon filelog on stdin, printing "name: hex" per dump."""
import re
import sys

HEAD = re.compile(r"\] (.+?) => (\d+) bytes @ (0x[0-9a-f]+|\(nil\))")
ROW = re.compile(r"^\s*\d+: ((?:[0-9A-F]{2} ){1,16})")
wanted = ("shared Diffie Hellman secret", "SKEYSEED", "Sk_d secret", "Sk_ai secret", "Sk_ar secret",
          "Sk_ei secret", "Sk_er secret", "Sk_pi secret", "Sk_pr secret", "encryption initiator key",
          "encryption responder key", "integrity initiator key", "integrity responder key")
name, need, buf = None, 0, ""
for line in sys.stdin:
    m = HEAD.search(line)
    if m:
        if m.group(1) in wanted:
            name, need, buf = m.group(1), int(m.group(2)), ""
            if need == 0:
                print(f"{name}: ")
                name = None
        else:
            name = None
        continue
    if name:
        r = ROW.match(line.split("]", 1)[-1] if "]" in line[:40] else line)
        if not r:
            continue
        buf += r.group(1).replace(" ", "").lower()
        if len(buf) >= 2 * need:
            print(f"{name}: {buf[:2 * need]}")
            name = None
