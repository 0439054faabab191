#include "CZstd.h"

#include <pthread.h>

// The few declarations of zstd.h this target uses: stable since zstd 1.4.0 (libzstd.so.1).
typedef struct ZSTD_CCtx_s ZSTD_CCtx;
typedef struct ZSTD_DCtx_s ZSTD_DCtx;
size_t ZSTD_compressBound(size_t srcSize);
unsigned ZSTD_isError(size_t code);
ZSTD_CCtx *ZSTD_createCCtx(void);
ZSTD_DCtx *ZSTD_createDCtx(void);
size_t ZSTD_freeCCtx(ZSTD_CCtx *cctx);
size_t ZSTD_freeDCtx(ZSTD_DCtx *dctx);
size_t ZSTD_CCtx_setParameter(ZSTD_CCtx *cctx, int param, int value);
size_t ZSTD_compress2(ZSTD_CCtx *cctx, void *dst, size_t dstCapacity, const void *src, size_t srcSize);
enum { ZSTD_c_compressionLevel = 100, ZSTD_c_checksumFlag = 201 };
size_t ZSTD_decompressDCtx(ZSTD_DCtx *dctx, void *dst, size_t dstCapacity, const void *src, size_t srcSize);
unsigned long long ZSTD_getFrameContentSize(const void *src, size_t srcSize);

// Each thread's contexts, freed when the thread ends.
static pthread_key_t compressors, decompressors;
static pthread_once_t keys = PTHREAD_ONCE_INIT;
static int have_keys;   // 0 if the keys could not be made: a context per call then

static void free_compressor(void *c) { ZSTD_freeCCtx(c); }
static void free_decompressor(void *d) { ZSTD_freeDCtx(d); }
static void make_keys(void) {
    if (pthread_key_create(&compressors, free_compressor) != 0) return;
    if (pthread_key_create(&decompressors, free_decompressor) != 0) { pthread_key_delete(compressors); return; }
    have_keys = 1;
}

size_t redline_zstd_bound(size_t size) { return ZSTD_compressBound(size); }

size_t redline_zstd_compress(void *target, size_t capacity, const void *source, size_t size) {
    pthread_once(&keys, make_keys);
    ZSTD_CCtx *context = have_keys ? pthread_getspecific(compressors) : NULL;
    int kept = context != NULL;
    if (!context) {
        if (!(context = ZSTD_createCCtx())) return 0;
        // Level 1, and a checksum of the content in each frame: a damaged body is refused.
        if (ZSTD_isError(ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, 1))
            || ZSTD_isError(ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1))) {
            ZSTD_freeCCtx(context);
            return 0;
        }
        kept = have_keys && pthread_setspecific(compressors, context) == 0;
    }
    size_t written = ZSTD_compress2(context, target, capacity, source, size);
    if (!kept) ZSTD_freeCCtx(context);
    return ZSTD_isError(written) ? 0 : written;
}

size_t redline_zstd_decompress(void *target, size_t capacity, const void *source, size_t size) {
    pthread_once(&keys, make_keys);
    ZSTD_DCtx *context = have_keys ? pthread_getspecific(decompressors) : NULL;
    int kept = context != NULL;
    if (!context) {
        if (!(context = ZSTD_createDCtx())) return (size_t)-1;
        kept = have_keys && pthread_setspecific(decompressors, context) == 0;
    }
    size_t written = ZSTD_decompressDCtx(context, target, capacity, source, size);
    if (!kept) ZSTD_freeDCtx(context);
    return ZSTD_isError(written) ? (size_t)-1 : written;
}

long long redline_zstd_content_size(const void *source, size_t size) {
    unsigned long long content = ZSTD_getFrameContentSize(source, size);
    return content >= (unsigned long long)-2 || content > (unsigned long long)0x7fffffffffffffff ? -1 : (long long)content;
}
