#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>

#include "native/capture/java_frames.h"

using namespace hotframe;

namespace {

// Just enough of HotSpot's metadata for method_id's walk, at offsets of the test's choosing:
// Method -> ConstMethod -> ConstantPool -> InstanceKlass -> its jmethodID array -> the jmethodID's slot.
struct FakeClass {
    uintptr_t method[4] = {};        // [1]: _constMethod
    uintptr_t const_method[4] = {};  // [1]: _constants, [2]: _method_idnum (u2)
    uintptr_t constants[4] = {};     // [1]: _pool_holder
    uintptr_t klass[4] = {};         // [1]: _methods_jmethod_ids
    uintptr_t ids[4] = {};           // [0]: length, then one jmethodID per idnum
    uintptr_t slots[4] = {};         // what the jmethodIDs point at: the Method* they stand for

    FakeClass() {
        method[1] = reinterpret_cast<uintptr_t>(const_method);
        const_method[1] = reinterpret_cast<uintptr_t>(constants);
        uint16_t idnum = 1;
        std::memcpy(&const_method[2], &idnum, sizeof(idnum));
        constants[1] = reinterpret_cast<uintptr_t>(klass);
        klass[1] = reinterpret_cast<uintptr_t>(ids);
        ids[0] = 3;
        ids[2] = reinterpret_cast<uintptr_t>(&slots[1]);  // idnum 1's jmethodID
        slots[1] = reinterpret_cast<uintptr_t>(method);
    }
    uintptr_t method_address() const { return reinterpret_cast<uintptr_t>(method); }
    jmethodID id() const { return reinterpret_cast<jmethodID>(const_cast<uintptr_t*>(&slots[1])); }
};

VmLayout fake_layout() {
    VmLayout layout{};
    layout.method_const_method = 8;
    layout.const_method_constants = 8;
    layout.const_method_idnum = 16;
    layout.constant_pool_holder = 8;
    layout.klass_jmethod_ids = 8;
    layout.jmethod_id_is_method_slot = true;
    return layout;
}

}  // namespace

TEST_CASE("a remembered jmethodID is used only while its slot still holds that Method*", "[method_id]") {
    VmLayout layout = fake_layout();
    FakeClass live;
    REQUIRE(method_id(layout, live.method_address()) == live.id());
    // Remembered now: the same answer without the class's own walk, which a broken holder would fail.
    live.constants[1] = 0;
    CHECK(method_id(layout, live.method_address()) == live.id());

    // The method goes away (class unloading clears its jmethodID's slot): the remembered id is not used, and the
    // full walk, still broken, finds nothing.
    live.slots[1] = 0;
    CHECK(method_id(layout, live.method_address()) == nullptr);

    // Another method now lives at the same address with a jmethodID of its own (metaspace and slots reused): it
    // gets its own id, not the one remembered for the address.
    live.constants[1] = reinterpret_cast<uintptr_t>(live.klass);
    live.ids[2] = reinterpret_cast<uintptr_t>(&live.slots[2]);
    live.slots[2] = live.method_address();
    jmethodID second = reinterpret_cast<jmethodID>(&live.slots[2]);
    CHECK(method_id(layout, live.method_address()) == second);
}

TEST_CASE("without jmethodID slots that hold the Method*, every lookup walks the class", "[method_id]") {
    VmLayout layout = fake_layout();
    layout.jmethod_id_is_method_slot = false;
    FakeClass live;
    REQUIRE(method_id(layout, live.method_address()) == live.id());
    live.constants[1] = 0;  // nothing remembered: the broken walk finds nothing
    CHECK(method_id(layout, live.method_address()) == nullptr);
}
