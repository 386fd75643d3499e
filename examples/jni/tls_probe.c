/*
 * Loaded and unloaded by TlsChurn (tls_churn.c) thousands of times a second: a library with a thread-local
 * block of its own, touched once per load, so that each load gives every thread's thread-local table work.
 */
__thread long tls_probe_counters[64];

long tls_probe_touch(void) { return ++tls_probe_counters[0]; }
