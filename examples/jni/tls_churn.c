/*
 * The JNI side of hotframe.examples.TlsChurn: loads a small library with thread-local variables, calls it and
 * unloads it, over and over. Every load and unload of a library with thread-locals moves glibc's thread-local
 * generation, so each thread's next thread-local read through __tls_get_addr (libjvm's Thread::current() is
 * one) updates that thread's table, freeing and allocating: a profiler whose signal handler reads a
 * thread-local of a dlopen'ed library (JavaVM::GetEnv does) then updates the table again from inside malloc,
 * free or that same update.
 */
#include <dlfcn.h>
#include <jni.h>

JNIEXPORT jlong JNICALL Java_hotframe_examples_TlsChurn_churn(JNIEnv* env, jclass type, jstring path, jint times) {
    (void)type;
    const char* library = (*env)->GetStringUTFChars(env, path, NULL);
    if (library == NULL) return -1;
    jlong sum = 0;
    for (jint i = 0; i < times; i++) {
        void* handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
        if (handle == NULL) {
            sum = -1;
            break;
        }
        long (*touch)(void) = (long (*)(void))dlsym(handle, "tls_probe_touch");
        if (touch == NULL) {
            dlclose(handle);
            sum = -1;
            break;
        }
        sum += touch();
        dlclose(handle);
    }
    (*env)->ReleaseStringUTFChars(env, path, library);
    return sum;
}
