#include "native/aggregate/hotspot_thread_key.h"

#include <limits.h>
#include <pthread.h>

#include <cstdint>

namespace hotframe {

namespace {

// The JNIEnv sits a few hundred bytes into JavaThread in every JDK we know; a bound keeps unrelated keys
// whose values merely happen to point below it from matching.
constexpr uintptr_t kMaxEnvOffset = 16 * 1024;

}  // namespace

HotspotThreadKey find_hotspot_thread_key(JNIEnv* jni) {
    HotspotThreadKey found;
    if (jni == nullptr) return found;
    auto env_address = reinterpret_cast<uintptr_t>(jni);
    uintptr_t best_offset = kMaxEnvOffset;
    for (int key = 0; key < PTHREAD_KEYS_MAX; key++) {
        auto value = reinterpret_cast<uintptr_t>(pthread_getspecific(static_cast<pthread_key_t>(key)));
        if (value == 0 || value > env_address) continue;
        uintptr_t offset = env_address - value;
        if (offset < best_offset) {
            best_offset = offset;
            found.key = key;
        }
    }
    if (found.key >= 0) {
        found.env_offset = best_offset;
        found.functions = jni->functions;
    }
    return found;
}

}  // namespace hotframe
