// SOUK_TARGET_CLONES: compiles a function three times, for x86-64-v4 (AVX-512), x86-64-v3 (AVX2,
// FMA) and the baseline, and lets the loader pick the best for the running CPU, so one binary
// runs on any x86-64 and still uses the wide registers where they exist. Meant for loops over
// GCC vector types (`typedef float Lanes __attribute__((vector_size(64)))`), which each clone
// lowers to its own registers.
//
// Empty off x86-64 and under ThreadSanitizer, whose runtime is not ready when the loader runs
// the clones' resolver (the process crashes before main).
#pragma once

#if defined(__SANITIZE_THREAD__)
#define SOUK_NO_TARGET_CLONES
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SOUK_NO_TARGET_CLONES
#endif
#endif

#if defined(__x86_64__) && !defined(SOUK_NO_TARGET_CLONES)
#define SOUK_TARGET_CLONES \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define SOUK_TARGET_CLONES
#endif
