#!/usr/bin/env bash
# Regenerates the strongSwan IKEv2 captures next to this script (run as root; needs charon,
# swanctl, tshark). Two charons in network namespaces run IKE_SA_INIT + IKE_AUTH with each other
# for a few proposal sets; tshark records the UDP payloads, one hex line per datagram, into
# <scenario>.hex as "<direction> <hex>" (i = initiator->responder, r = responder->initiator).
# The IKE_AUTH datagrams are SK-encrypted with throwaway keys from a throwaway PSK.
set -euo pipefail
OUT=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d /tmp/ikecap.XXXXXX)
A=ikecap-a; B=ikecap-b
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  ip netns del $A 2>/dev/null || true; ip netns del $B 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT
ip netns add $A; ip netns add $B
ip link add ikecap0 netns $A type veth peer name ikecap1 netns $B
ip -n $A addr add 10.77.0.1/24 dev ikecap0; ip -n $A link set ikecap0 up; ip -n $A link set lo up
ip -n $B addr add 10.77.0.2/24 dev ikecap1; ip -n $B link set ikecap1 up; ip -n $B link set lo up

conf() { # $1 = side dir, $2 = extra charon options
  mkdir -p "$W/$1"
  cat > "$W/$1/strongswan.conf" <<C
charon {
  load = random nonce openssl aes sha1 sha2 hmac gcm pem pkcs1 x509 pubkey kdf kernel-libipsec kernel-netlink socket-default vici
  filelog { f { path = $W/$1/charon.log
                default = 1
                ike = 4
                chd = 4 } }
  plugins { vici { socket = unix://$W/$1/charon.vici } }
  $2
}
C
}
start() { # $1 = netns, $2 = side dir
  ip netns exec "$1" env STRONGSWAN_CONF="$W/$2/strongswan.conf" \
     sh -c 'mount -t tmpfs tmpfs /run && exec /usr/lib/ipsec/charon' >/dev/null 2>&1 &
  PIDS+=($!)
  for _ in $(seq 50); do [ -S "$W/$2/charon.vici" ] && return; sleep 0.1; done
  echo "charon in $1 did not start" >&2; exit 1
}
swan() { # $1 = side dir, rest = swanctl args
  local d=$1; shift
  swanctl "$@" --uri "unix://$W/$d/charon.vici"
}
scenario() { # $1 name, $2 initiator ike proposals, $3 responder ike proposals, $4 responder charon options
  local name=$1
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; PIDS=(); sleep 0.5
  rm -rf "$W/a" "$W/b"
  conf a ""; conf b "$4"
  for side in a b; do
    local me peer props
    if [ $side = a ]; then me=10.77.0.1; peer=10.77.0.2; props=$2; else me=10.77.0.2; peer=10.77.0.1; props=$3; fi
    cat > "$W/$side/swanctl.conf" <<S
connections { c {
  version = 2
  local_addrs = $me
  remote_addrs = $peer
  proposals = $props
  fragmentation = yes
  local { auth = psk
          id = ce-$side.example.net }
  remote { auth = psk }
  children { net { local_ts = 10.10.$([ $side = a ] && echo 1 || echo 2).0/24
                   remote_ts = 10.10.$([ $side = a ] && echo 2 || echo 1).0/24
                   esp_proposals = aes128gcm16 } }
}
c2 {
  version = 2
  local_addrs = $me
  remote_addrs = $peer
  proposals = $props
  local { auth = psk
          id = ce-$side-2.example.net }
  remote { auth = psk }
  children { net2 { local_ts = 10.20.$([ $side = a ] && echo 1 || echo 2).0/24
                    remote_ts = 10.20.$([ $side = a ] && echo 2 || echo 1).0/24
                    esp_proposals = aes128gcm16 } }
}
}
secrets { ike-1 { secret = "throwaway-capture-psk-0123456789" } }
S
  done
  start $A a 2>/dev/null; start $B b 2>/dev/null
  swan a --load-all --file "$W/a/swanctl.conf" >/dev/null 2>&1
  swan b --load-all --file "$W/b/swanctl.conf" >/dev/null 2>&1
  ip netns exec $B tshark -q -i ikecap1 -f 'udp port 500 or udp port 4500' -w "$W/$name.pcap" >/dev/null 2>&1 &
  local tp=$!
  sleep 1.5
  if [ -n "${5:-}" ]; then
    # Two IKE SAs at once: the second IKE_SA_INIT arrives while the first is half-open.
    swan a --initiate --child net --timeout 10 >/dev/null 2>&1 &
    swan a --initiate --child net2 --timeout 10 >/dev/null 2>&1 || true
    wait $! || true
  else
    swan a --initiate --child net --timeout 10 >/dev/null 2>&1 || true
  fi
  sleep 1
  kill $tp; wait $tp 2>/dev/null || true
  tshark -r "$W/$name.pcap" -T fields -e ip.src -e udp.payload 2>/dev/null \
    | awk '{ d = ($1 == "10.77.0.1") ? "i" : "r"; print d, $2 }' > "$OUT/$name.hex"
  # The initiator's derived secrets of this throwaway session, as charon logged them at level 4:
  # known answers for our key derivation (and the keys to open the IKE_AUTH SK payloads).
  /usr/bin/python3 "$OUT/charon-keys.py" < "$W/a/charon.log" > "$OUT/$name.keys"
  echo "$name: $(wc -l < "$OUT/$name.hex") datagrams" >&2
}
scenario modp2048-psk  "aes256-sha256-modp2048" "aes256-sha256-modp2048" ""
scenario ecp256-gcm    "aes128gcm16-prfsha256-ecp256" "aes128gcm16-prfsha256-ecp256" ""
scenario x25519-multi  "aes256-sha384-x25519,aes128-sha256-ecp384-modp2048" "aes256-sha384-x25519" ""
# The initiator's first group (MODP-2048) is not what the responder wants: INVALID_KE_PAYLOAD, retry.
scenario invalid-ke    "aes256-sha256-modp2048-ecp384" "aes256-sha256-ecp384" ""
# Responder demands a COOKIE from the first half-open SA on.
scenario cookie        "aes256-sha256-ecp256" "aes256-sha256-ecp256" "cookie_threshold = 1" two
