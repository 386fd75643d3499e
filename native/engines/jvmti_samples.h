// Records a sample from a JVMTI callback or a hooked native method, on the thread the sample is about: its Java
// stack (JVMTI GetStackTrace), the class the sample is about as the leaf, and a weight, into the same rings as
// the SIGPROF samples. Used by the JVMTI engines (jvmti_engine.h).
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

// A new session begins: weight carried over from dropped samples of the last one is forgotten.
void start_jvmti_sample_session();

// Writes one record of event `event` for the current thread. Dropped (and counted) when sampling is not
// accepting samples or the ring is full; the weight of a sample dropped on a full ring is added to the
// thread's next one.
void record_current_thread_sample(jvmtiEnv* jvmti, EventSlot event, uint32_t leaf_class, uint64_t weight);

}  // namespace hotframe
