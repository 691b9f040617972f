# Sourced by the examples' recording scripts: network namespaces that live as long as the script.
# The script sets, before sourcing: namespaces (an array of names), work (its temporary
# directory), background_pids (an array, usually empty), and log_name (its name in messages).
# On exit, however it ends, what runs in the background and in the namespaces is stopped, the
# namespaces are deleted and the work directory is removed.

cleanup() {
  local pid
  for pid in "${background_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${background_pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  remove_namespaces
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Ends what still runs inside the script's namespaces, then deletes them.
remove_namespaces() {
  local ns pid
  for ns in "${namespaces[@]}"; do
    if [[ -e /run/netns/$ns ]]; then
      for pid in $(ip netns pids "$ns"); do
        kill "$pid" 2>/dev/null || true
      done
      ip netns del "$ns" 2>/dev/null || true
    fi
  done
}

# Creates the namespaces anew (leftovers of an interrupted run removed first), loopback up.
# IPv6 is off unless the script set dual_stack=1: its router solicitations and MLD reports only
# add noise to a capture. With it on, no router solicitations are sent and addresses are usable at
# once (no duplicate address detection).
add_namespaces() {
  local ns
  remove_namespaces
  for ns in "${namespaces[@]}"; do
    ip netns add "$ns"
    if [[ ${dual_stack:-0} == 1 ]]; then
      in_ns "$ns" sysctl -q -w net.ipv6.conf.default.router_solicitations=0 \
        net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0
    else
      in_ns "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 \
        net.ipv6.conf.default.disable_ipv6=1
    fi
    in_ns "$ns" ip link set lo up
  done
}

in_ns() {
  local ns=$1
  shift
  ip netns exec "$ns" "$@"
}

log() {
  echo "$log_name: $*" >&2
}

wait_until() {  # wait_until DESCRIPTION COMMAND...: poll for up to 10 s
  local what=$1 i
  shift
  for i in $(seq 1 100); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  log "timed out waiting for $what"
  exit 1
}
