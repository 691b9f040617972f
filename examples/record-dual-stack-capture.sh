#!/usr/bin/env bash
# Records examples/dual-stack-capture/: one dual-stack exchange between two network namespaces,
# captured at once by tcpdump on "any" (Linux cooked capture v2) and on the client's veth
# (Ethernet, nanosecond timestamps), and written as pcap, pcapng and snoop:
#   any.pcapng      tcpdump -i any, converted to pcapng by editcap
#   any.pcap        tcpdump -i any as tcpdump wrote it (microsecond pcap)
#   eth-nano.pcap   tcpdump -i veth-dc --time-stamp-precision=nano
#   eth.pcapng      the same, converted to pcapng by editcap
#   eth.snoop       the same, converted to snoop by editcap
# The traffic: dig over UDP and over TCP, on IPv4 and IPv6; curl resolving through glibc forced
# onto TCP (resolv.conf "options use-vc", a nameserver reached over IPv6) and trying IPv6 and
# IPv4 backends; A, AAAA and SRV with several addresses.
#
# Run as root: sudo examples/record-dual-stack-capture.sh [OUTPUT-DIRECTORY]
#
# Namespaces cb-ds-client (198.18.6.10, fd00:cb:6::10) and cb-ds-dns (198.18.6.53, fd00:cb:6::53,
# dnsmasq), joined by one veth pair; only 198.18.0.0/15 and fd00:cb::/32 addresses, no packet
# leaves them, and both are removed on exit (with /etc/netns/cb-ds-client, which holds the
# client's resolv.conf while the script runs). The client routes 198.18.7.0/24 and fd00:cb:7::/64
# via the DNS namespace, which does not forward: SYNs to the backends are captured leaving the
# client and never answered (curl gives up after 1 s, after the kernel has retransmitted once).
#
# The zone dual.test (TTL 3 s):
#   web.dual.test         A 198.18.7.11, 198.18.7.12   AAAA fd00:cb:7::11, fd00:cb:7::12
#   _http._tcp.dual.test  SRV 0 10 8081 api1.dual.test, SRV 0 10 8082 api2.dual.test
#   api1.dual.test        AAAA fd00:cb:7::21
#   api2.dual.test        A 198.18.7.22   AAAA fd00:cb:7::22
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
output=${1:-"$script_dir/dual-stack-capture"}

if [[ $(id -u) -ne 0 ]]; then
  echo "record-dual-stack-capture.sh: must run as root (it creates network namespaces)" >&2
  exit 1
fi
for tool in ip tcpdump editcap dnsmasq dig curl; do
  command -v "$tool" >/dev/null ||
    { echo "record-dual-stack-capture.sh: $tool not found" >&2; exit 1; }
done

namespaces=(cb-ds-client cb-ds-dns)
zone=dual.test
dns4=198.18.6.53
dns6=fd00:cb:6::53
client4=198.18.6.10
client6=fd00:cb:6::10
netns_etc=/etc/netns/cb-ds-client
work=$(mktemp -d /tmp/connbal-record-ds.XXXXXX)
background_pids=()
dual_stack=1

log_name=record-dual-stack-capture
source "$script_dir/netns.bash"
trap 'cleanup; rm -rf "$netns_etc"' EXIT

add_namespaces
in_ns cb-ds-dns sysctl -q -w net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0
ip link add veth-dc netns cb-ds-client type veth peer name veth-dd netns cb-ds-dns
in_ns cb-ds-client ip addr add "$client4/24" dev veth-dc
in_ns cb-ds-client ip addr add "$client6/64" dev veth-dc nodad
in_ns cb-ds-dns ip addr add "$dns4/24" dev veth-dd
in_ns cb-ds-dns ip addr add "$dns6/64" dev veth-dd nodad
in_ns cb-ds-client ip link set veth-dc up
in_ns cb-ds-dns ip link set veth-dd up
in_ns cb-ds-client ip route add 198.18.7.0/24 via "$dns4"
in_ns cb-ds-client ip -6 route add fd00:cb:7::/64 via "$dns6"

# ip netns exec puts the files of /etc/netns/NAME over those of /etc: the client's glibc asks
# dnsmasq over IPv6 and over TCP (use-vc), once, with no search domain.
mkdir -p "$netns_etc"
printf 'nameserver %s\noptions use-vc attempts:1 timeout:2\n' "$dns6" >"$netns_etc/resolv.conf"

cat >"$work/zone.hosts" <<EOF
198.18.7.11 web.$zone
198.18.7.12 web.$zone
fd00:cb:7::11 web.$zone
fd00:cb:7::12 web.$zone
fd00:cb:7::21 api1.$zone
198.18.7.22 api2.$zone
fd00:cb:7::22 api2.$zone
EOF
ip netns exec cb-ds-dns dnsmasq --keep-in-foreground --user=root --group=root \
  --conf-file=/dev/null --no-resolv --no-hosts --no-poll --no-negcache \
  --bind-interfaces --listen-address="$dns4" --listen-address="$dns6" --port=53 \
  --local="/$zone/" --local-ttl=3 --addn-hosts="$work/zone.hosts" \
  --srv-host="_http._tcp.$zone,api1.$zone,8081,0,10" \
  --srv-host="_http._tcp.$zone,api2.$zone,8082,0,10" \
  --pid-file="$work/dnsmasq.pid" &
background_pids+=($!)
wait_until "dnsmasq on IPv4" sh -c "ip netns exec cb-ds-dns ss -Hlnt 'sport = :53' | grep -q '$dns4'"
wait_until "dnsmasq on IPv6" sh -c "ip netns exec cb-ds-dns ss -Hlnt 'sport = :53' | grep -q '$dns6'"

start_tcpdump() {  # start_tcpdump NAME TCPDUMP-OPTIONS...
  local name=$1
  shift
  ip netns exec cb-ds-client tcpdump -Z root -n -U --immediate-mode -s 0 "$@" \
    -w "$work/$name.pcap" 2>"$work/$name.log" &
  background_pids+=($!)
  tcpdump_pids+=($!)
  wait_until "tcpdump $name" grep -q "listening on" "$work/$name.log"
}
tcpdump_pids=()
start_tcpdump any -i any
start_tcpdump eth-nano -i veth-dc --time-stamp-precision=nano

connect() {  # connect URL [CURL-OPTIONS...]
  log "connect to $1"
  in_ns cb-ds-client curl --noproxy '*' -s -o /dev/null --connect-timeout 1 "${@:2}" "$1" || true
}

log "1. web AAAA over UDP on IPv6, then a connection to its first address"
in_ns cb-ds-client dig @"$dns6" +tries=1 +time=2 +noall +answer web.$zone AAAA
connect "http://[fd00:cb:7::11]:80/"
log "2. web A over TCP on IPv4, then a connection to its second address"
in_ns cb-ds-client dig @"$dns4" +tcp +tries=1 +time=2 +noall +answer web.$zone A
connect "http://198.18.7.12:80/"
log "3. the SRV name over TCP on IPv6, then a connection to api2's IPv6 address"
in_ns cb-ds-client dig @"$dns6" +tcp +tries=1 +time=2 +noall +answer _http._tcp.$zone SRV
connect "http://[fd00:cb:7::22]:8082/"
log "4. curl resolving web through glibc over TCP, trying IPv6 and IPv4 addresses"
connect "http://web.$zone:80/"
sleep 0.5

for pid in "${tcpdump_pids[@]}"; do
  kill -INT "$pid"
  wait "$pid" || true
done
mkdir -p "$output"
editcap -F pcapng "$work/any.pcap" "$output/any.pcapng"
cp "$work/any.pcap" "$output/any.pcap"
cp "$work/eth-nano.pcap" "$output/eth-nano.pcap"
editcap -F pcapng "$work/eth-nano.pcap" "$output/eth.pcapng"
editcap -F snoop "$work/eth-nano.pcap" "$output/eth.snoop"
log "wrote $output/any.pcapng, any.pcap, eth-nano.pcap, eth.pcapng and eth.snoop"
