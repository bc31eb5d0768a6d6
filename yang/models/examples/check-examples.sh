#!/usr/bin/env bash
# Checks every example with yanglint: valid/ and operations/ must be accepted silently,
# invalid/ rejected.
# Run from anywhere after a build (the build unpacks the imported standard modules into
# target/dependency-yang). The JUnit YanglintTest does the same, plus the expect comments.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MODELS=$(dirname "$HERE")
YANG=$MODELS/src/main/yang
DEPS=$MODELS/target/dependency-yang
command -v yanglint >/dev/null || { echo "yanglint not found (apt-get install libyang2-tools)" >&2; exit 2; }
[[ -d $DEPS ]] || { echo "$DEPS missing: build yang/models first" >&2; exit 2; }

# The module an example instantiates: its root element's (or first member's) namespace/module.
module_of() {
  local m
  case $1 in
    *.json) m=$(grep -o -m1 '"[a-z0-9-]*:' "$1" | tr -d '":') ;;
    *)      m=$(grep -o -m1 'xmlns="urn:cevpn:params:xml:ns:yang:[a-z0-9-]*"' "$1" | sed 's/.*yang://; s/"//') ;;
  esac
  echo "$YANG/$m.yang"
}

fail=0
for f in "$HERE"/valid/*.xml "$HERE"/valid/*.json; do
  out=$(yanglint -p "$YANG" -p "$DEPS" -t config "$YANG/cevpn-types.yang" "$(module_of "$f")" "$f" 2>&1)
  if [[ $? -ne 0 || -n $out ]]; then echo "FAIL (rejected) valid/$(basename "$f"): $out"; fail=1
  else echo "ok   valid/$(basename "$f")"; fi
done
for f in "$HERE"/invalid/*.xml; do
  head -1 "$f" | grep -q '^<!-- expect: error-tag=' || { echo "FAIL invalid/$(basename "$f"): no expect comment"; fail=1; }
  out=$(yanglint -p "$YANG" -p "$DEPS" -t config "$YANG/cevpn-types.yang" "$(module_of "$f")" "$f" 2>&1)
  if [[ $? -eq 0 ]]; then echo "FAIL (accepted) invalid/$(basename "$f")"; fail=1
  else echo "ok   invalid/$(basename "$f"): $(echo "$out" | head -1 | sed 's/^libyang err : //')"; fi
done
for f in "$HERE"/operations/*.xml; do
  type=$(basename "$f" .xml); type=${type##*.}
  out=$(yanglint -p "$YANG" -p "$DEPS" -t "$type" "$YANG/cevpn-types.yang" "$(module_of "$f")" "$f" 2>&1)
  if [[ $? -ne 0 || -n $out ]]; then echo "FAIL (rejected) operations/$(basename "$f"): $out"; fail=1
  else echo "ok   operations/$(basename "$f")"; fi
done
exit $fail
