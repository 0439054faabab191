import CZlib
import Foundation

/// zlib's deflate, for the sections the catalog keeps: their bytes with the original length in
/// front (4 bytes, little-endian), compressed at level 1 (fast; prose shrinks to about a third).
enum Deflate {
    struct Malformed: Error, CustomStringConvertible {
        var description: String { "malformed compressed sections in the catalog" }
    }

    static func compress(_ data: Data) -> Data {
        var bound = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: 4 + Int(bound))
        let count = UInt32(data.count)
        for k in 0..<4 { out[k] = UInt8(truncatingIfNeeded: count >> (8 * UInt32(k))) }
        let status = data.withUnsafeBytes { raw in
            out.withUnsafeMutableBufferPointer { buffer in
                compress2(buffer.baseAddress! + 4, &bound, raw.bindMemory(to: Bytef.self).baseAddress, uLong(data.count), 1)
            }
        }
        precondition(status == Z_OK, "deflate failed (\(status))")
        return Data(out.prefix(4 + Int(bound)))
    }

    static func decompress(_ data: Data) throws -> Data {
        guard data.count >= 4 else { throw Malformed() }
        return try data.withUnsafeBytes { raw -> Data in
            let bytes = raw.bindMemory(to: UInt8.self)
            let count = (0..<4).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
            var out = Data(count: count)
            var length = uLong(count)
            let status = out.withUnsafeMutableBytes { target in
                uncompress(target.bindMemory(to: Bytef.self).baseAddress, &length, bytes.baseAddress! + 4, uLong(data.count - 4))
            }
            guard status == Z_OK, Int(length) == count else { throw Malformed() }
            return out
        }
    }
}
