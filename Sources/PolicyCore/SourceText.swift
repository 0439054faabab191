import Foundation

/// Why a file could not be read as a policy.
public enum PolicyReadError: Error, CustomStringConvertible, Equatable, Sendable {
    case empty
    case binary
    case unrecognisedFormat
    case unreadable(String)

    public var description: String {
        switch self {
        case .empty: return "the file is empty"
        case .binary: return "the file looks binary (it contains NUL bytes)"
        case .unrecognisedFormat:
            return "neither a Wayback Markdown extract (\"> *The following text is extracted…\") nor a flat scrape (\"来源URL: …\")"
        case .unreadable(let why): return "cannot read the file: \(why)"
        }
    }
}

/// Turns raw bytes into clean text: BOM stripped, CRLF folded, invalid UTF-8 replaced.
public enum SourceText {
    /// Decoded text, or an error for input that is not text at all.
    public static func decode(_ data: Data) throws -> String {
        if data.isEmpty { throw PolicyReadError.empty }
        if data.prefix(65_536).contains(0) { throw PolicyReadError.binary }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if text.contains("\r") {
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        if text.allSatisfy({ $0.isWhitespace }) { throw PolicyReadError.empty }
        return text
    }

    /// Removes control characters (other than tab and newline) that a source may carry.
    public static func stripControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isStrippable) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars where !isStrippable(s) { out.append(s) }
        return String(out)
    }

    private static func isStrippable(_ s: Unicode.Scalar) -> Bool {
        (s.value < 0x20 && s != "\n" && s != "\t") || (s.value >= 0x7F && s.value < 0xA0)
    }
}
