// Signal-safe. What the vm walker writes for each Java frame: a jmethodID (turned from a Method* here, see
// java_walk.h for why it cannot name the wrong method), a bci and the way the frame ran, into the record's
// fixed array. Reads VM memory: call under the fault guard.
#pragma once

#include <jni.h>
#include <stdint.h>

#include "native/capture/sample_record.h"
#include "native/capture/vm_layout.h"

namespace hotframe {

// Method* to jmethodID; null when the class has no jmethodID for it (yet) or the structures do not agree.
jmethodID method_id(const VmLayout& layout, uintptr_t method);

bool is_native_method(const VmLayout& layout, uintptr_t method);

// Appends frames to a caller's array, never past `max`.
class FrameWriter {
public:
    FrameWriter(AgctFrame* frames, int max) : frames_(frames), max_(max) {}
    bool full() const { return count_ >= max_; }
    void add(jmethodID method, int bci, uint8_t type) {
        if (full()) return;
        frames_[count_].bci = bci;
        frames_[count_].type = type;
        frames_[count_].method = method;
        count_++;
    }
    int count() const { return count_; }
    // The last frame written, to turn the outermost of a compiled frame's scopes from "inlined" to compiled.
    void set_last_type(uint8_t type) {
        if (count_ > 0) frames_[count_ - 1].type = type;
    }

private:
    AgctFrame* frames_;
    int max_;
    int count_ = 0;
};

}  // namespace hotframe
