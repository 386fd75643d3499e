// The JVMTI side of the agent: capabilities, event callbacks (jmethodIDs for every class, compiled-method
// tracking for frame kinds, thread start/end for per-thread timers, VM start and death).
#pragma once

#include <jvmti.h>

#include "native/result.h"

namespace hotframe {

// Adds capabilities and enables the events. `live_phase` is true when loaded into a running JVM.
Status enable_jvm_events(jvmtiEnv* jvmti, bool live_phase);

// Creates jmethodIDs for every class loaded so far (AsyncGetCallTrace can only report methods that have
// one), and asks the JVM to replay CompiledMethodLoad for code compiled before we arrived.
void prepare_loaded_classes(jvmtiEnv* jvmti);

}  // namespace hotframe
