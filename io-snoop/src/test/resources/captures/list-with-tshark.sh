#!/usr/bin/env bash
# Writes the tshark listing of each capture here to <capture>.tshark.tsv: frame number, interface
# id, epoch time (as tshark prints it), captured length, length, Wireshark's encapsulation type.
# CaptureFixturesTest reads these listings (and, when tshark is installed, compares them with a
# fresh run); nothing in them comes from connbal.
set -euo pipefail
cd "$(dirname "$0")"
for f in *.snoop *.pcap *.pcapng; do
  tshark -r "$f" -T fields -e frame.number -e frame.interface_id -e frame.time_epoch \
    -e frame.cap_len -e frame.len -e frame.encap_type 2>/dev/null > "$f.tshark.tsv"
done
