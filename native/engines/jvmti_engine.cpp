#include "native/engines/jvmti_engine.h"

#include <string>

#include "native/engines/jvmti_samples.h"

namespace hotframe {

Status JvmtiEngine::start(JNIEnv* jni) {
    if (jvmtiError error = jvmti_->AddCapabilities(&capabilities_); error != JVMTI_ERROR_NONE) {
        return Status::error(refused_capabilities(error));
    }
    enable_class_tags(jvmti_);
    if (Status prepared = prepare(jni); !prepared.is_ok()) return prepared;
    // Active before the events are on: the first callback must not be lost to the flag.
    active_.store(true);
    for (jvmtiEvent event : events_) {
        if (jvmtiError error = jvmti_->SetEventNotificationMode(JVMTI_ENABLE, event, nullptr);
            error != JVMTI_ERROR_NONE) {
            disarm();
            return Status::error(std::string("enabling the ") + event_name() + " events failed with JVMTI error " +
                                 std::to_string(error));
        }
    }
    return Status::ok();
}

void JvmtiEngine::disarm() {
    if (!active_.exchange(false)) return;
    for (jvmtiEvent event : events_) jvmti_->SetEventNotificationMode(JVMTI_DISABLE, event, nullptr);
}

void JvmtiEngine::record(EventSlot event, jclass leaf_class, uint64_t weight) {
    record_current_thread_sample(jvmti_, event, intern_class(jvmti_, *class_names_, leaf_class), weight);
}

}  // namespace hotframe
