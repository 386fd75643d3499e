// A shared library whose interesting functions only its .symtab names, for debug_files_test.cpp. The build
// strips it and moves its symbols into separate debug files (test/CMakeLists.txt); the exported functions, which
// stay in .dynsym, hand out the addresses of the others.
extern "C" {

static int __attribute__((noinline, used)) hotframe_debug_probe_static(int x) { return x * 5 + 1; }

// Two local names for one function, as libc's debug file has `clone3` and `__clone3`: the rule picks the one
// without leading underscores.
static int __attribute__((noinline, used)) __hotframe_debug_probe_alias(int x) { return x * 3 + 2; }
extern int hotframe_debug_probe_alias(int x)
    __attribute__((alias("__hotframe_debug_probe_alias"), visibility("hidden")));
}

namespace hotframe_debug_probe {
namespace {

// A C++ function in an anonymous namespace with a parameter list to shorten.
struct Worker {
    __attribute__((noinline)) int run(const char* name, unsigned count) const { return name[0] + int(count); }
};

}  // namespace
}  // namespace hotframe_debug_probe

extern "C" __attribute__((visibility("default"))) void* hotframe_debug_probe_static_address() {
    return reinterpret_cast<void*>(&hotframe_debug_probe_static);
}

extern "C" __attribute__((visibility("default"))) void* hotframe_debug_probe_alias_address() {
    return reinterpret_cast<void*>(&__hotframe_debug_probe_alias);
}

extern "C" __attribute__((visibility("default"))) void* hotframe_debug_probe_method_address() {
    int (hotframe_debug_probe::Worker::*method)(const char*, unsigned) const = &hotframe_debug_probe::Worker::run;
    // A non-virtual member function pointer holds the function's address in its first word.
    void* address;
    static_assert(sizeof(method) >= sizeof(address), "Itanium member pointers are two words");
    __builtin_memcpy(&address, &method, sizeof(address));
    return address;
}
