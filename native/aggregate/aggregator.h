// The aggregator thread: drains the sample rings every few milliseconds, names each frame (method name and
// frame kind) and counts the stack in the call-trace table. It attaches to the JVM as a daemon thread because
// naming methods goes through JVMTI; doing it soon after the sample keeps names of classes that are unloaded
// later. It also asks the engine now and then to arm threads that started without a JVMTI event.
#pragma once

#include <jni.h>
#include <jvmti.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "native/aggregate/call_trace_table.h"
#include "native/aggregate/compiled_methods.h"
#include "native/aggregate/method_symbols.h"
#include "native/aggregate/profile.h"
#include "native/aggregate/sample_rings.h"
#include "native/capture/sample_record.h"

namespace hotframe {

class Engine;

class Aggregator {
  public:
    Aggregator(JavaVM* vm, jvmtiEnv* jvmti, const CompiledMethods* compiled, SampleRings* rings);
    ~Aggregator();

    void start(Engine* engine);
    // Joins the thread after a last drain. Call after sampling stopped, so that nothing is left in the rings.
    void stop();

    // Drains what is ready and returns everything aggregated so far. From any JVM-attached thread.
    Profile snapshot(const std::string& event, const std::string& weight_unit);
    void clear();

    uint64_t total_samples();

  private:
    void run();
    void drain_locked(JNIEnv* jni);
    void add_record_locked(JNIEnv* jni, const SampleHeader& header);
    uint32_t java_frame_id_locked(JNIEnv* jni, jmethodID method, FrameKind kind);

    JavaVM* vm_;
    const CompiledMethods* compiled_;
    SampleRings* rings_;
    Engine* engine_ = nullptr;

    std::mutex mutex_;  // guards everything below and the consumer side of the rings
    CallTraceTable table_;
    MethodSymbols symbols_;
    std::unordered_map<uint64_t, uint32_t> frame_ids_;  // (jmethodID | kind) -> frame id in table_
    std::vector<uint32_t> scratch_frames_;

    std::thread thread_;
    std::mutex wake_mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
};

// "[GC_active]" and friends: the pseudo-frame that stands for a sample without Java frames.
const char* status_frame_name(int32_t status);

}  // namespace hotframe
