#ifndef CZSTD_H
#define CZSTD_H

#include <stddef.h>

/// zstd at level 1 through the system's libzstd.so.1, version 1.4.0 or later (libzstd1: a dependency
/// of dpkg, so on every current Debian and Ubuntu system; its development headers are not needed). Each thread keeps one
/// compression and one decompression context (freed when it ends), so a call allocates nothing.

/// The most bytes `redline_zstd_compress` may write for `size` bytes in.
size_t redline_zstd_bound(size_t size);

/// Compresses `size` bytes at `source` into `target` (`capacity` bytes), with a checksum of them:
/// the bytes written, or 0 on failure.
size_t redline_zstd_compress(void *target, size_t capacity, const void *source, size_t size);

/// Decompresses `size` bytes at `source` into `target` (`capacity` bytes): the bytes written, or
/// (size_t)-1 on failure (malformed data, or more than `capacity` bytes).
size_t redline_zstd_decompress(void *target, size_t capacity, const void *source, size_t size);

/// The content size a frame at `source` records, or -1 when it records none or is not a frame.
long long redline_zstd_content_size(const void *source, size_t size);

#endif
