/*
 * The JNI side of hotframe.examples.JniUpcall: a native method that calls back into Java (an upcall), so that the
 * Java code it calls runs above an entry frame inside a native frame, which is inside Java again:
 * JniUpcall.upcallLoop -> JniUpcall.callBack (native) -> Java_hotframe_examples_JniUpcall_callBack -> JNI ->
 * JniUpcall.javaWork.
 */
#include <jni.h>

JNIEXPORT jlong JNICALL Java_hotframe_examples_JniUpcall_callBack(JNIEnv* env, jclass type, jint calls) {
    jmethodID work = (*env)->GetStaticMethodID(env, type, "javaWork", "(I)J");
    if (work == NULL) return 0;
    jlong sum = 0;
    for (jint call = 0; call < calls; call++) {
        sum += (*env)->CallStaticLongMethod(env, type, work, (jint)call);
        if ((*env)->ExceptionCheck(env)) return sum;
    }
    return sum;
}
