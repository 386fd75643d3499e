#!/usr/bin/env bash
# Fails if the capture library (code that runs in signal handlers) calls anything outside a short list of
# async-signal-safe functions: a malloc, a mutex or a logger that slips in breaks the build, not a JVM.
set -euo pipefail
library=$1
# pthread_getspecific is not on POSIX's list, but glibc's only reads the thread's key array.
allowed='^(pthread_getspecific|memcpy|memset|__errno_location|gettid|getpid|ioctl|sigaction|sigemptyset|sigaddset|pthread_sigmask|_setjmp|__sigsetjmp|siglongjmp|__longjmp_chk|nanosleep|_GLOBAL_OFFSET_TABLE_|__stack_chk_fail)$'
defined=$(nm --defined-only "$library" | awk 'NF == 3 {print $3}' | sort -u)
external=$(nm -u "$library" | awk '{print $2}' | sed 's/@.*//' | sort -u | grep -vxF -f <(echo "$defined") || true)
bad=$(echo "$external" | grep -vE "$allowed" | grep -v '^$' || true)
if [ -n "$bad" ]; then
    echo "not async-signal-safe (or not on the allowlist) in $library:"
    echo "$bad"
    exit 1
fi
echo "capture library calls only: $(echo $external)"
