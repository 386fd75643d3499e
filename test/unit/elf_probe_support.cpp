// A shared library with known function symbols for elf_symbols_test.cpp: one exported, one static (only in
// .symtab). C linkage keeps the names unmangled.
extern "C" {

static int __attribute__((noinline, used)) hotframe_elf_probe_static(int x) { return x * 7 + 3; }

__attribute__((visibility("default"))) int hotframe_elf_probe_exported(int x) {
    return hotframe_elf_probe_static(x) + 1;
}
}

namespace hotframe_probe {

// A C++ function, so that its symbol is mangled.
__attribute__((visibility("default"), noinline)) int twice(int x) { return 2 * x; }

}  // namespace hotframe_probe
