#!/usr/bin/env bash
# Records examples/real-capture/capture.snoop: real DNS lookups (dig against dnsmasq) and real TCP
# connections (curl against python3 http.server) between network namespaces, captured with
# tcpdump on the client's veth and converted to snoop with editcap.
#
# Run as root: sudo examples/record-capture.sh [OUTPUT.snoop]
#
# Everything lives in namespaces this script creates (cb-client, cb-dns, cb-backend, cb-switch)
# and uses only 198.18.0.0/15 (RFC 2544 benchmarking) addresses; no packet leaves them. The
# script is idempotent (it removes leftovers of an interrupted run first) and removes the
# namespaces and its temporary directory on exit, whatever the exit path.
#
# Topology: every namespace has one veth leg on a bridge in cb-switch, all in 198.18.0.0/24.
#   cb-client   198.18.0.10 (client A), 198.18.0.11 (client B)   <- tcpdump runs here
#   cb-dns      198.18.0.53  dnsmasq, authoritative for lb.test
#   cb-backend  198.18.0.3   router address; also holds the backend addresses 198.18.1.x/32
#               and listens on TCP 80, 8081 and 8082 (python3 http.server).
# The client routes 198.18.1.0/24 via 198.18.0.3, so connections to backends need no ARP per
# backend address. 198.18.1.13 is published in DNS but held by nobody: the backend namespace
# does not forward, so SYNs to it vanish and the client retransmits them (a dead backend).
#
# The zone lb.test (TTL 3 s for every record):
#   web.lb.test           A 198.18.1.11, 198.18.1.12, 198.18.1.13 (dead)   three A records
#   _http._tcp.lb.test    SRV 0 10 8081 api1.lb.test, SRV 0 10 8082 api2.lb.test
#   api1.lb.test          A 198.18.1.21     api2.lb.test  A 198.18.1.22   (SRV targets)
#   alias.lb.test         CNAME solo.lb.test, solo.lb.test A 198.18.1.31   (one backend behind an alias)
#   single.lb.test        A 198.18.1.41                                    (one backend)
#
# dig keeps its default EDNS (an OPT record in every query and response, with a cookie): real
# resolvers send OPT, and connbal must skip it in the additional section next to the SRV
# targets' A records.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
output=${1:-"$script_dir/real-capture/capture.snoop"}

if [[ $(id -u) -ne 0 ]]; then
  echo "record-capture.sh: must run as root (it creates network namespaces)" >&2
  exit 1
fi
for tool in ip tcpdump editcap dnsmasq dig curl python3; do
  command -v "$tool" >/dev/null || { echo "record-capture.sh: $tool not found" >&2; exit 1; }
done

namespaces=(cb-client cb-dns cb-backend cb-switch)
zone=lb.test
dns_ip=198.18.0.53
client_a=198.18.0.10
client_b=198.18.0.11
router_ip=198.18.0.3
ttl=3

work=$(mktemp -d /tmp/connbal-record.XXXXXX)
background_pids=()

log_name=record-capture
source "$script_dir/netns.bash"

# --- namespaces and links -------------------------------------------------------------------

add_namespaces
in_ns cb-backend sysctl -q -w net.ipv4.ip_forward=0

in_ns cb-switch ip link add br0 type bridge
in_ns cb-switch ip link set br0 up
attach() {  # attach NS IFNAME: a veth from NS to the bridge
  local ns=$1 ifname=$2
  ip link add "$ifname" netns "$ns" type veth peer name "sw-$ifname" netns cb-switch
  in_ns cb-switch ip link set "sw-$ifname" master br0 up
  in_ns "$ns" ip link set "$ifname" up
}
attach cb-client veth-client
attach cb-dns veth-dns
attach cb-backend veth-backend

in_ns cb-client ip addr add "$client_a/24" dev veth-client
in_ns cb-client ip addr add "$client_b/24" dev veth-client
in_ns cb-client ip route add 198.18.1.0/24 via "$router_ip"
in_ns cb-dns ip addr add "$dns_ip/24" dev veth-dns
in_ns cb-backend ip addr add "$router_ip/24" dev veth-backend
for backend in 198.18.1.11 198.18.1.12 198.18.1.21 198.18.1.22 198.18.1.31 198.18.1.41; do
  in_ns cb-backend ip addr add "$backend/32" dev veth-backend
done

# --- DNS server --------------------------------------------------------------------------------

cat >"$work/zone.hosts" <<EOF
198.18.1.11 web.$zone
198.18.1.12 web.$zone
198.18.1.13 web.$zone
198.18.1.21 api1.$zone
198.18.1.22 api2.$zone
198.18.1.31 solo.$zone
198.18.1.41 single.$zone
EOF
# Background commands run through `ip netns exec` directly (not through in_ns) so that $! is the
# process itself and the cleanup can end it.
ip netns exec cb-dns dnsmasq --keep-in-foreground --user=root --group=root \
  --conf-file=/dev/null --no-resolv --no-hosts --no-poll --no-negcache \
  --bind-interfaces --listen-address="$dns_ip" --port=53 \
  --local="/$zone/" --local-ttl="$ttl" \
  --addn-hosts="$work/zone.hosts" \
  --srv-host="_http._tcp.$zone,api1.$zone,8081,0,10" \
  --srv-host="_http._tcp.$zone,api2.$zone,8082,0,10" \
  --cname="alias.$zone,solo.$zone" \
  --log-facility="$work/dnsmasq.log" --log-queries \
  --pid-file="$work/dnsmasq.pid" &
background_pids+=($!)

# --- backends ----------------------------------------------------------------------------------

mkdir -p "$work/www"
echo "connbal example backend" >"$work/www/index.html"
for port in 80 8081 8082; do
  ip netns exec cb-backend python3 -m http.server "$port" --bind 0.0.0.0 --directory "$work/www" \
    >>"$work/http-$port.log" 2>&1 &
  background_pids+=($!)
done

listening() {  # listening NS PROTO PORT
  in_ns "$1" ss -Hln"$2" "sport = :$3" | grep -q .
}
wait_until "dnsmasq" listening cb-dns u 53
for port in 80 8081 8082; do
  wait_until "http.server on $port" listening cb-backend t "$port"
done

# --- capture -----------------------------------------------------------------------------------

ip netns exec cb-client tcpdump -Z root -i veth-client -n -U --immediate-mode -s 0 -w "$work/capture.pcap" 2>"$work/tcpdump.log" &
tcpdump_pid=$!
background_pids+=("$tcpdump_pid")
wait_until "tcpdump" grep -q "listening on" "$work/tcpdump.log"

# The client side of the scenario. Every connection is one HTTP GET; a backend that does not
# answer makes curl give up after 2 s, long enough for the kernel to retransmit the SYN once.
lookup() {  # lookup CLIENT NAME TYPE: prints the answer records
  in_ns cb-client dig @"$dns_ip" -b "$1" +tries=1 +time=2 +noall +answer "$2" "$3"
}
lookup_addresses() {  # lookup_addresses CLIENT NAME: the A record addresses in answer order
  lookup "$1" "$2" A | awk '$4 == "A" { print $5 }'
}
connect() {  # connect CLIENT IP PORT
  log "connect $1 -> $2:$3"
  in_ns cb-client curl --noproxy '*' -s -o /dev/null --connect-timeout 2 --interface "$1" \
    "http://$2:$3/" || log "  (no answer from $2:$3)"
}

log "1. client A connects to a web backend before any lookup"
connect "$client_a" 198.18.1.11 80
sleep 0.5

log "2. client A honours the TTL: resolves once, round-robins over the answer, re-resolves on expiry"
mapfile -t web < <(lookup_addresses "$client_a" "web.$zone")
expires=$((SECONDS + ttl))
for i in 0 1 2 3 4; do
  if ((SECONDS >= expires)); then
    log "  TTL expired: resolving again"
    mapfile -t web < <(lookup_addresses "$client_a" "web.$zone")
    expires=$((SECONDS + ttl))
  fi
  connect "$client_a" "${web[i % ${#web[@]}]}" 80
  sleep 0.5
done

log "3. client B connects to a web backend that only client A has looked up so far"
connect "$client_b" 198.18.1.12 80

log "4. client B resolves before every connection and takes the first address"
for i in 1 2 3; do
  mapfile -t web < <(lookup_addresses "$client_b" "web.$zone")
  connect "$client_b" "${web[0]}" 80
  sleep 0.3
done

log "5. client A looks up the SRV service and connects to each target on its port"
# The targets' addresses come from the additional section of the SRV response, as a resolver
# library would take them; no separate A lookup.
in_ns cb-client dig @"$dns_ip" -b "$client_a" +tries=1 +time=2 +noall +answer +additional \
  "_http._tcp.$zone" SRV >"$work/srv.txt"
while read -r port target; do
  address=$(awk -v name="$target" '$1 == name && $4 == "A" { print $5; exit }' "$work/srv.txt")
  connect "$client_a" "$address" "$port"
done < <(awk '$4 == "SRV" { print $7, $8 }' "$work/srv.txt")
connect "$client_a" 198.18.1.21 8081

log "6. client B looks up only the A record of an SRV target, then connects twice"
address=$(lookup_addresses "$client_b" "api1.$zone" | head -n 1)
connect "$client_b" "$address" 8081
connect "$client_b" "$address" 8081

log "7. client A resolves an alias (CNAME to one A) and a single-A name, and connects to each"
address=$(lookup_addresses "$client_a" "alias.$zone" | tail -n 1)
connect "$client_a" "$address" 80
address=$(lookup_addresses "$client_a" "single.$zone" | head -n 1)
connect "$client_a" "$address" 80

# Let the last FIN/ACK exchange reach the capture before tcpdump stops.
sleep 1
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" || true

mkdir -p "$(dirname "$output")"
editcap -F snoop "$work/capture.pcap" "$output"
log "wrote $output ($(stat -c %s "$output") bytes)"
