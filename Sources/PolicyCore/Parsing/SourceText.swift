import Foundation

/// Why a file could not be read as a policy.
public enum PolicyReadError: Error, CustomStringConvertible, Equatable, Sendable {
    case empty
    case binary
    case unrecognisedFormat
    /// Recognised, but without a site or a snapshot date, in its header or its file name.
    case missing(format: String, what: String)
    case unreadable(String)

    public var description: String {
        switch self {
        case .empty: return "the file is empty"
        case .binary: return "the file looks binary (it contains NUL bytes)"
        case .unrecognisedFormat:
            return "neither a Wayback Markdown extract (\"> *The following text is extracted…\") nor a flat scrape (\"来源URL: …\")"
        case .missing(let format, let what): return "a \(format) without \(what), in its header or its file name"
        case .unreadable(let why): return "cannot read the file: \(why)"
        }
    }
}

/// Turns raw bytes into clean text: BOM stripped, CRLF folded, invalid UTF-8 replaced.
public enum SourceText {
    /// Decoded text, or an error for input that is not text at all.
    public static func decode(_ data: Data) throws -> String {
        try decodeCountingReplacements(data).text
    }

    /// Whether `byte` is among `bytes` (memchr: the scans of a whole file for one byte).
    private static func has(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        return memchr(base, Int32(byte), bytes.count) != nil
    }

    /// Decoded text and how many bytes of invalid UTF-8 it replaced with U+FFFD.
    public static func decodeCountingReplacements(_ data: Data) throws -> (text: String, replacedBytes: Int) {
        if data.isEmpty { throw PolicyReadError.empty }
        if let utf16 = utf16WithBOM(data) { return try decodeCountingReplacements(Data(utf16.utf8)) }
        var replaced = 0
        // On the bytes: a NUL in the first 64 KiB, a BOM, carriage returns (CR LF and a lone CR
        // both become LF). Foundation's substring search over the whole text was 6% of parsing.
        let text = data.withUnsafeBytes { raw -> String? in
            let bytes = raw.bindMemory(to: UInt8.self)
            if has(0, in: UnsafeBufferPointer(rebasing: bytes.prefix(65_536))) { return nil }
            let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? UnsafeBufferPointer(rebasing: bytes.dropFirst(3)) : bytes
            // Any replacement left a U+FFFD (EF BF BD) in the text: only then are the bytes counted.
            func counted(_ text: String) -> String {
                var text = text
                if text.withUTF8({ has(0xEF, in: $0) }) { replaced = invalidBytes(body) }
                return text
            }
            guard has(0x0D, in: body) else { return counted(String(decoding: body, as: UTF8.self)) }
            var folded: [UInt8] = []
            folded.reserveCapacity(body.count)
            var i = 0
            while i < body.count {
                if body[i] == 0x0D {
                    folded.append(0x0A)
                    if i + 1 < body.count, body[i + 1] == 0x0A { i += 1 }
                } else {
                    folded.append(body[i])
                }
                i += 1
            }
            return counted(String(decoding: folded, as: UTF8.self))
        }
        guard let text else { throw PolicyReadError.binary }
        if text.allSatisfy({ $0.isWhitespace }) { throw PolicyReadError.empty }
        return (text, replaced)
    }

    /// The text of a file that starts with a UTF-16 byte-order mark (FF FE little-endian, FE FF
    /// big-endian; an odd last byte dropped, unpaired surrogates as U+FFFD), else nil.
    static func utf16WithBOM(_ data: Data) -> String? {
        data.withUnsafeBytes { raw -> String? in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard bytes.count >= 2 else { return nil }
            let little: Bool
            switch (bytes[0], bytes[1]) {
            case (0xFF, 0xFE): little = true
            case (0xFE, 0xFF): little = false
            default: return nil
            }
            let units = stride(from: 2, to: bytes.count - 1, by: 2).map { (i: Int) -> UInt16 in
                let (first, second) = (UInt16(bytes[i]), UInt16(bytes[i + 1]))
                return little ? first | second << 8 : first << 8 | second
            }
            return String(decoding: units, as: UTF16.self)
        }
    }

    /// The bytes of `body` that are not valid UTF-8 (each maximal invalid run reads as one U+FFFD).
    static func invalidBytes(_ body: UnsafeBufferPointer<UInt8>) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var bytes = body.makeIterator()
        var invalid = 0
        while true {
            switch parser.parseScalar(from: &bytes) {
            case .valid: continue
            case .error(let length): invalid += length
            case .emptyInput: return invalid
            }
        }
    }

    /// The note for a file whose invalid bytes were replaced (it still loads).
    public static func replacementNote(_ count: Int) -> String {
        "\(count) byte\(count == 1 ? "" : "s") of invalid UTF-8 shown as U+FFFD (\u{FFFD}); the rest of the file is read as it is"
    }

    /// The lines of `text`: what `text.split(separator: "\n", omittingEmptySubsequences: false)`
    /// gives (a CR LF pair is one character there, so no break), found on the UTF-8 bytes. The
    /// `Character` split was a tenth of parsing a corpus.
    public static func lines(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var out: [String] = []
            var start = 0
            for i in bytes.indices where bytes[i] == 0x0A && (i == 0 || bytes[i - 1] != 0x0D) {
                out.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                start = i + 1
            }
            out.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
            return out
        }
    }

    /// Removes control characters (other than tab and newline) that a source may carry.
    public static func stripControls(_ text: String) -> String {
        // By bytes: C0 controls and DEL are single bytes, C1 controls are C2 80…C2 9F.
        let clean = text.utf8.withContiguousStorageIfAvailable { u -> Bool in
            for i in u.indices {
                let b = u[i]
                if (b < 0x20 && b != 0x0A && b != 0x09) || b == 0x7F { return false }
                if b == 0xC2, i + 1 < u.count, u[i + 1] >= 0x80, u[i + 1] < 0xA0 { return false }
            }
            return true
        }
        if clean == true { return text }
        guard text.unicodeScalars.contains(where: isStrippable) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars where !isStrippable(s) { out.append(s) }
        return String(out)
    }

    private static func isStrippable(_ s: Unicode.Scalar) -> Bool {
        (s.value < 0x20 && s != "\n" && s != "\t") || (s.value >= 0x7F && s.value < 0xA0)
    }
}
