#!/usr/bin/env python3
# Crafts crafted.pcapng: what no capture tool writes. Section 1 big-endian: interfaces
# 0 Ethernet (default µs), 1 raw IP (if_tsresol 2^-20), 2 Linux cooked v1 (if_tsresol 10^-9), EPBs,
# an obsolete Packet Block with a drop count, Simple Packet Blocks (interface 0, snap length 96),
# a statistics block and a custom block. Section 2 little-endian: interface 0 BSD loopback at
# milliseconds (if_tsresol 3), its packets, and a Simple Packet Block.
import struct, sys
frames = []
# Frames taken from lo.pcap (Ethernet), the first ten records.
with open('lo.pcap','rb') as f:
    data = f.read()
pos = 24
while pos < len(data) and len(frames) < 10:
    sec, usec, incl, orig = struct.unpack('<IIII', data[pos:pos+16])
    frames.append(data[pos+16:pos+16+incl]); pos += 16 + incl
def pad(b): return b + b'\0' * (-len(b) % 4)
def block(o, t, body):
    body = pad(body); n = 12 + len(body)
    return struct.pack(o+'II', t, n) + body + struct.pack(o+'I', n)
def opt(o, code, val): return struct.pack(o+'HH', code, len(val)) + pad(val)
END = b'\0\0\0\0'
def shb(o): return block(o, 0x0A0D0D0A, struct.pack(o+'IHHq', 0x1A2B3C4D, 1, 0, -1) + opt(o, 4, b'craft.py') + END)
def idb(o, link, snap, tsresol=None):
    opts = opt(o, 2, b'if%d' % link) + (opt(o, 9, bytes([tsresol])) if tsresol is not None else b'') + END
    return block(o, 1, struct.pack(o+'HHI', link, 0, snap) + opts)
def epb(o, ifid, units, frame, orig=None):
    return block(o, 6, struct.pack(o+'IIIII', ifid, units >> 32, units & 0xffffffff, len(frame), orig or len(frame)) + pad(frame))
def pb(o, ifid, drops, units, frame):
    return block(o, 2, struct.pack(o+'HHIIII', ifid, drops, units >> 32, units & 0xffffffff, len(frame), len(frame)) + pad(frame))
def spb(o, frame): return block(o, 3, struct.pack(o+'I', len(frame)) + pad(frame))
T = 1796240963
out = b''
o = '>'
out += shb(o) + idb(o, 1, 96) + idb(o, 101, 0, 0x94) + idb(o, 113, 0, 9)
out += epb(o, 0, T * 10**6 + 123456, frames[0][:96], len(frames[0]))
out += spb(o, frames[1])                      # cut to the snap length 96; time of the packet before
out += epb(o, 1, (T + 1) * 2**20 + 777777, frames[2][14:])        # 777777 / 2^20 s = 0.741747...
out += block(o, 5, struct.pack(o+'III', 0, 0, 0) + END)            # interface statistics
out += pb(o, 2, 7, (T + 2) * 10**9 + 987654321, b'\0\0\0\0' + frames[3])   # ns -> 987654 µs
out += spb(o, frames[4][:60])                 # time of the obsolete packet block before it
out += block(o, 0x40000BAD, struct.pack(o+'I', 32473) + b'custom data')
out += epb(o, 2, (T + 3) * 10**9 + 1, b'\0\0\0\0' + frames[5])
o = '<'
out += shb(o) + idb(o, 0, 0, 3)
out += epb(o, 0, (T + 4) * 1000 + 5, b'\x02\0\0\0' + frames[6][14:])    # ms
out += spb(o, b'\x02\0\0\0' + frames[7][14:])
out += epb(o, 0, (T + 5) * 1000 + 999, b'\x02\0\0\0' + frames[8][14:])
open('crafted.pcapng', 'wb').write(out)
