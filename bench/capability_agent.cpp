// capability_agent: asks the JVM for the JVMTI capabilities a hotframe session asks for, and optionally enables
// their events with callbacks that do nothing, and nothing else: no signals, no threads, no stack walks. It
// separates what a capability or an enabled event costs the application by itself (a JIT that compiles
// differently, a slow path taken on every allocation or contended monitor) from what hotframe's own work per
// sample costs. scripts/bench builds it with g++ like the floor agent and runs it in the diagnose workload's
// capability configurations (--only cap-...).
// Options, comma-separated: tags, monitor, alloc, compiled, lines, cputime (capabilities, added at OnLoad);
// events (also enable the events of the capabilities added: monitor contended enter/entered, sampled object
// allocation, compiled method load); interval=BYTES (the heap sampling interval, default 512 KiB);
// live (add the capabilities in the live phase, at VMInit, as an attach would, instead of at OnLoad).
#include <jvmti.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

jvmtiCapabilities g_wanted{};
bool g_events = false;
bool g_live = false;
jint g_interval = 512 * 1024;

void JNICALL on_monitor(jvmtiEnv*, JNIEnv*, jthread, jobject) {}
void JNICALL on_sampled_alloc(jvmtiEnv*, JNIEnv*, jthread, jobject, jclass, jlong) {}
void JNICALL on_compiled_load(jvmtiEnv*, jmethodID, jint, const void*, jint, const jvmtiAddrLocationMap*, const void*) {
}

void parse(const char* options) {
    std::string text = options == nullptr ? "" : options;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        std::string word = text.substr(start, end - start);
        if (word == "tags") g_wanted.can_tag_objects = 1;
        if (word == "monitor") g_wanted.can_generate_monitor_events = 1;
        if (word == "alloc") g_wanted.can_generate_sampled_object_alloc_events = 1;
        if (word == "compiled") g_wanted.can_generate_compiled_method_load_events = 1;
        if (word == "lines") g_wanted.can_get_line_numbers = g_wanted.can_get_source_file_name = 1;
        if (word == "cputime") g_wanted.can_get_thread_cpu_time = 1;
        if (word == "events") g_events = true;
        if (word == "live") g_live = true;
        if (word.rfind("interval=", 0) == 0) g_interval = std::atoi(word.c_str() + 9);
        start = end + 1;
    }
}

void enable(jvmtiEnv* jvmti, jvmtiEvent event) {
    if (jvmtiError error = jvmti->SetEventNotificationMode(JVMTI_ENABLE, event, nullptr); error != JVMTI_ERROR_NONE) {
        std::fprintf(stderr, "capability_agent: event %d not enabled (error %d)\n", event, error);
    }
}

void add_capabilities_and_events(jvmtiEnv* jvmti) {
    if (jvmtiError error = jvmti->AddCapabilities(&g_wanted); error != JVMTI_ERROR_NONE) {
        std::fprintf(stderr, "capability_agent: capabilities refused (error %d)\n", error);
        return;
    }
    if (!g_events) return;
    jvmtiEventCallbacks callbacks{};
    callbacks.MonitorContendedEnter = on_monitor;
    callbacks.MonitorContendedEntered = on_monitor;
    callbacks.SampledObjectAlloc = on_sampled_alloc;
    callbacks.CompiledMethodLoad = on_compiled_load;
    jvmti->SetEventCallbacks(&callbacks, sizeof(callbacks));
    if (g_wanted.can_generate_monitor_events) {
        enable(jvmti, JVMTI_EVENT_MONITOR_CONTENDED_ENTER);
        enable(jvmti, JVMTI_EVENT_MONITOR_CONTENDED_ENTERED);
    }
    if (g_wanted.can_generate_sampled_object_alloc_events) {
        jvmti->SetHeapSamplingInterval(g_interval);
        enable(jvmti, JVMTI_EVENT_SAMPLED_OBJECT_ALLOC);
    }
    if (g_wanted.can_generate_compiled_method_load_events) enable(jvmti, JVMTI_EVENT_COMPILED_METHOD_LOAD);
}

void JNICALL on_vm_init(jvmtiEnv* jvmti, JNIEnv*, jthread) { add_capabilities_and_events(jvmti); }

}  // namespace

extern "C" JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM* vm, char* options, void*) {
    jvmtiEnv* jvmti = nullptr;
    if (vm->GetEnv(reinterpret_cast<void**>(&jvmti), JVMTI_VERSION_11) != JNI_OK) return JNI_ERR;
    parse(options);
    if (!g_live) {
        add_capabilities_and_events(jvmti);
        return JNI_OK;
    }
    jvmtiEventCallbacks callbacks{};
    callbacks.VMInit = on_vm_init;
    jvmti->SetEventCallbacks(&callbacks, sizeof(callbacks));
    jvmti->SetEventNotificationMode(JVMTI_ENABLE, JVMTI_EVENT_VM_INIT, nullptr);
    return JNI_OK;
}
