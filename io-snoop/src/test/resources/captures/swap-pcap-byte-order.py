#!/usr/bin/env python3
# Writes a pcap file in the other byte order: every field of the file header and of each record
# header swapped, frames untouched (tcpdump and editcap write the host's order, little-endian
# here). Usage: swap-pcap-byte-order.py IN OUT
import struct, sys
data = open(sys.argv[1], 'rb').read()
little = data[:4] in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1')
i, o = ('<', '>') if little else ('>', '<')
out = struct.pack(o + 'IHHiIII', *struct.unpack(i + 'IHHiIII', data[:24]))
pos = 24
while pos < len(data):
    sec, frac, incl, orig = struct.unpack(i + 'IIII', data[pos:pos + 16])
    out += struct.pack(o + 'IIII', sec, frac, incl, orig) + data[pos + 16:pos + 16 + incl]
    pos += 16 + incl
open(sys.argv[2], 'wb').write(out)
