// Records a sample from a JVMTI callback or a hooked native method, on the thread the sample is about: its Java
// stack, the class the sample is about as the leaf, and a weight, into the same rings as the SIGPROF samples.
// Used by the JVMTI engines (jvmti_engine.h). The stack comes from the vm walker (native/capture/anchor_walk.h)
// when the session runs it, else, or when it cannot walk, from JVMTI GetStackTrace.
#pragma once

#include <jni.h>
#include <jvmti.h>

#include <cstdint>

#include "native/aggregate/class_names.h"
#include "native/capture/sample_record.h"

namespace hotframe {

// Asks for the JVMTI capability that lets intern_class remember classes it has named (object tags).
void enable_class_tags(jvmtiEnv* jvmti);

// The ClassNames id of `klass` ("java.lang.String", "byte[]"); 0 if JVMTI cannot name it.
uint32_t intern_class(jvmtiEnv* jvmti, ClassNames& names, jclass klass);

// A new session begins: weight carried over from dropped samples of the last one is forgotten, and the counts
// below start again.
void start_jvmti_sample_session();

// Writes one record of event `event` for the current thread. Dropped (and counted) when sampling is not
// accepting samples or the ring is full; the weight of a sample dropped on a full ring is added to the
// thread's next one.
void record_current_thread_sample(jvmtiEnv* jvmti, EventSlot event, uint32_t leaf_class, uint64_t weight);

// How this session's callback samples got their stacks, and, with vmcheck, how the vm walk compared with
// GetStackTrace on the same stack (JVMTI's location -1 of a native method counts as the walker's bci -3).
struct CallbackWalkCounts {
    uint64_t vm_walked = 0;     // stacks from the vm walker
    uint64_t by_jvmti = 0;      // stacks from GetStackTrace: the walker is off ...
    uint64_t walk_failed = 0;   // ... or it could not walk (fault, stopped short, a method without a jmethodID)
    uint64_t compared = 0;      // vmcheck: both walks found frames
    uint64_t same_methods = 0;  // ... the same methods in the same order
    uint64_t same_bcis = 0;     // ... and the same bcis
    // vmcheck: the first frame where the last disagreeing sample differed (methods 0 when one walk ended).
    int differing_frame = -1;
    jmethodID vm_method = nullptr, jvmti_method = nullptr;
    int vm_bci = 0, jvmti_bci = 0;
    int vm_count = 0, jvmti_count = 0;
};
CallbackWalkCounts callback_walk_counts();

}  // namespace hotframe
