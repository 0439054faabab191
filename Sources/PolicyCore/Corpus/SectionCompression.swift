import CZstd
import Foundation

/// zstd, for the sections the catalog keeps: their bytes with the original length in front (4
/// bytes, little-endian), compressed at level 1 (prose shrinks to about a third, at about 250 MB/s).
enum SectionCompression {
    struct Malformed: Error, CustomStringConvertible {
        var description: String { "malformed compressed sections in the catalog" }
    }

    static func compress(_ data: Data) -> Data {
        let bound = redline_zstd_bound(data.count)
        var out = [UInt8](repeating: 0, count: 4 + bound)
        let count = UInt32(data.count)
        for k in 0..<4 { out[k] = UInt8(truncatingIfNeeded: count >> (8 * UInt32(k))) }
        let written = data.withUnsafeBytes { raw in
            out.withUnsafeMutableBufferPointer { buffer in
                redline_zstd_compress(buffer.baseAddress! + 4, bound, raw.baseAddress, data.count)
            }
        }
        precondition(written > 0, "zstd failed to compress \(data.count) bytes")
        return Data(out.prefix(4 + written))
    }

    static func decompress(_ data: Data) throws -> Data {
        guard data.count >= 4 else { throw Malformed() }
        return try data.withUnsafeBytes { raw -> Data in
            let bytes = raw.bindMemory(to: UInt8.self)
            let count = (0..<4).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
            // The length in front must be the frame's own (a damaged one is not allocated).
            guard redline_zstd_content_size(bytes.baseAddress! + 4, data.count - 4) == count else { throw Malformed() }
            var out = Data(count: count)
            let written = out.withUnsafeMutableBytes { target in
                redline_zstd_decompress(target.baseAddress, count, bytes.baseAddress! + 4, data.count - 4)
            }
            guard written == count else { throw Malformed() }
            return out
        }
    }
}
