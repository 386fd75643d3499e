/*
 * The JNI side of hotframe.examples.NativeChecksum: a native method that spends nearly all of its time in one
 * named C helper, checksum_block, so that a profile of a thread calling it must show
 * NativeChecksum.checksumLoop;NativeChecksum.checksum;Java_hotframe_examples_NativeChecksum_checksum;checksum_block.
 */
#include <jni.h>
#include <stddef.h>
#include <stdint.h>

#define BLOCK_SIZE 65536

static uint8_t block[BLOCK_SIZE];

/* Not inlined, so that it keeps its own frame and name; FNV-1a over the block, seeded. */
__attribute__((noinline)) uint64_t checksum_block(const uint8_t* data, size_t size, uint64_t seed) {
    uint64_t hash = 1469598103934665603ull ^ seed;
    for (size_t i = 0; i < size; i++) {
        hash ^= data[i];
        hash *= 1099511628211ull;
    }
    return hash;
}

JNIEXPORT jlong JNICALL Java_hotframe_examples_NativeChecksum_checksum(JNIEnv* env, jclass type, jint rounds) {
    (void)env;
    (void)type;
    uint64_t hash = 0;
    for (jint round = 0; round < rounds; round++) {
        block[round % BLOCK_SIZE] = (uint8_t)round;
        hash = checksum_block(block, BLOCK_SIZE, hash);
    }
    return (jlong)hash;
}
