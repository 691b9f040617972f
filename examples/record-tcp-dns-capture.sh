#!/usr/bin/env bash
# Records examples/tcp-dns-capture/capture.snoop: real DNS over TCP (dig +tcp against dnsmasq,
# one lookup per connection and two lookups on one kept-open connection) and the connection
# attempts that follow them, between two network namespaces, captured with tcpdump on the
# client's veth and converted to snoop with editcap.
#
# Run as root: sudo examples/record-tcp-dns-capture.sh [OUTPUT.snoop]
#
# Namespaces cb-tcp-client (198.18.2.10) and cb-tcp-dns (198.18.2.53, dnsmasq), joined by one veth
# pair, only 198.18.0.0/15 addresses; no packet leaves them, and both are removed on exit. The
# client routes 198.18.3.0/24 via the DNS namespace, which does not forward: SYNs to the backends
# are captured leaving the client and never answered (curl gives up after 1 s, after the kernel
# has retransmitted the SYN once), which is all connbal needs of an attempt.
#
# The zone tcp.test (TTL 3 s):
#   web.tcp.test         A 198.18.3.11, 198.18.3.12, 198.18.3.13
#   _http._tcp.tcp.test  SRV 0 10 8081 api1.tcp.test, SRV 0 10 8082 api2.tcp.test
#   api1.tcp.test        A 198.18.3.21     api2.tcp.test  A 198.18.3.22
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
output=${1:-"$script_dir/tcp-dns-capture/capture.snoop"}

if [[ $(id -u) -ne 0 ]]; then
  echo "record-tcp-dns-capture.sh: must run as root (it creates network namespaces)" >&2
  exit 1
fi
for tool in ip tcpdump editcap dnsmasq dig curl; do
  command -v "$tool" >/dev/null || { echo "record-tcp-dns-capture.sh: $tool not found" >&2; exit 1; }
done

namespaces=(cb-tcp-client cb-tcp-dns)
zone=tcp.test
dns_ip=198.18.2.53
client=198.18.2.10
work=$(mktemp -d /tmp/connbal-record-tcp.XXXXXX)
background_pids=()

log_name=record-tcp-dns-capture
source "$script_dir/netns.bash"

add_namespaces
in_ns cb-tcp-dns sysctl -q -w net.ipv4.ip_forward=0
ip link add veth-tc netns cb-tcp-client type veth peer name veth-td netns cb-tcp-dns
in_ns cb-tcp-client ip link set veth-tc up
in_ns cb-tcp-dns ip link set veth-td up
in_ns cb-tcp-client ip addr add "$client/24" dev veth-tc
in_ns cb-tcp-dns ip addr add "$dns_ip/24" dev veth-td
in_ns cb-tcp-client ip route add 198.18.3.0/24 via "$dns_ip"

cat >"$work/zone.hosts" <<EOF
198.18.3.11 web.$zone
198.18.3.12 web.$zone
198.18.3.13 web.$zone
198.18.3.21 api1.$zone
198.18.3.22 api2.$zone
EOF
ip netns exec cb-tcp-dns dnsmasq --keep-in-foreground --user=root --group=root \
  --conf-file=/dev/null --no-resolv --no-hosts --no-poll --no-negcache \
  --bind-interfaces --listen-address="$dns_ip" --port=53 \
  --local="/$zone/" --local-ttl=3 --addn-hosts="$work/zone.hosts" \
  --srv-host="_http._tcp.$zone,api1.$zone,8081,0,10" \
  --srv-host="_http._tcp.$zone,api2.$zone,8082,0,10" \
  --pid-file="$work/dnsmasq.pid" &
background_pids+=($!)
wait_until "dnsmasq" sh -c "ip netns exec cb-tcp-dns ss -Hlnt 'sport = :53' | grep -q ."

ip netns exec cb-tcp-client tcpdump -Z root -i veth-tc -n -U --immediate-mode -s 0 \
  -w "$work/capture.pcap" 2>"$work/tcpdump.log" &
tcpdump_pid=$!
background_pids+=("$tcpdump_pid")
wait_until "tcpdump" grep -q "listening on" "$work/tcpdump.log"

connect() {  # connect IP PORT
  log "connect $client -> $1:$2"
  in_ns cb-tcp-client curl --noproxy '*' -s -o /dev/null --connect-timeout 1 \
    "http://$1:$2/" || true
}

log "1. web.tcp.test over TCP, then a connection to its first backend"
in_ns cb-tcp-client dig @"$dns_ip" +tcp +tries=1 +time=2 +noall +answer web.$zone A
connect 198.18.3.11 80
log "2. the SRV name and a target's address, two lookups on one TCP connection"
in_ns cb-tcp-client dig @"$dns_ip" +tcp +keepopen +tries=1 +time=2 +noall +answer \
  _http._tcp.$zone SRV api1.$zone A
connect 198.18.3.21 8081
connect 198.18.3.22 8082
sleep 0.5

kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" || true
editcap -F snoop "$work/capture.pcap" "$output"
log "wrote $output"
