#!/usr/bin/env bash
# libagent.so must export only the JVMTI entry points: anything else could clash with the JVM or other agents.
# It must also be marked NODELETE, so that HotSpot's dlclose after a failed Agent_OnAttach cannot unmap it.
set -euo pipefail
library=$1
exported=$(nm -D --defined-only "$library" | awk '$2 ~ /[TWDBVR]/ {print $3}' | sort -u)
unexpected=$(echo "$exported" | grep -vE '^(Agent_OnLoad|Agent_OnAttach|Agent_OnUnload)$' || true)
if [ -n "$unexpected" ]; then
    echo "libagent.so exports more than the Agent_* entry points:"
    echo "$unexpected" | head -20
    exit 1
fi
for symbol in Agent_OnLoad Agent_OnAttach Agent_OnUnload; do
    echo "$exported" | grep -qx "$symbol" || { echo "missing export: $symbol"; exit 1; }
done
echo "exports: $(echo $exported)"
# And it must never be unmapped while its callbacks and signal handler are registered (see CMakeLists.txt).
if ! readelf -d "$library" | grep -q 'NODELETE'; then
    echo "libagent.so is not marked NODELETE: a failed attach command would unload it under its own callbacks"
    exit 1
fi
echo "marked NODELETE"
