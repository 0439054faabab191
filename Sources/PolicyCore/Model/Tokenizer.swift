import Foundation

/// Splits text into words the same way everywhere (counts, diff, recall checks).
public enum Tokenizer {
    /// Words: maximal runs of letters, digits and combining marks.
    public static func words(_ text: String) -> [Substring] {
        var out: [Substring] = []
        let scalars = text.unicodeScalars
        var start: String.Index?
        var index = scalars.startIndex
        while index < scalars.endIndex {
            if isWordScalar(scalars[index]) {
                if start == nil { start = index }
            } else if let s = start {
                out.append(text[s..<index])
                start = nil
            }
            index = scalars.index(after: index)
        }
        if let s = start { out.append(text[s..<text.endIndex]) }
        return out
    }

    /// How many words `words` finds, without making them: ASCII bytes classified in place.
    public static func wordCount(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return 0 }
            let n = bytes.count
            var count = 0
            var inWord = 0   // 1 inside a word: a word starts where 1 follows 0, counted without a branch
            var i = 0
            while i < n {
                let b = base[i]
                let isWord: Int
                if b < 0x80 {
                    // ASCII letters and digits, two comparisons (the byte loop is most of counting).
                    isWord = ((b | 0x20) &- 0x61 < 26 || b &- 0x30 < 10) ? 1 : 0
                    i &+= 1
                } else {
                    // A multi-byte scalar: decoded, and classified as `isWordScalar` does.
                    let (s, length) = scalar(in: bytes, at: i)
                    isWord = isWordScalar(s) ? 1 : 0
                    i &+= length
                }
                count &+= isWord & (inWord ^ 1)
                inWord = isWord
            }
            return count
        }
    }

    /// Lower-cased words, for comparisons that ignore case.
    public static func foldedWords(_ text: String) -> [String] {
        words(text).map { $0.lowercased() }
    }

    /// Letters, digits and combining marks belong to words; ASCII is decided without a table lookup.
    @inline(__always)
    public static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 {
            return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39)
        }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }

    /// Splits on whitespace (the scalars `spaceWidth` knows), by the text's UTF-8 bytes, each token
    /// made once from its bytes: fast for long one-line pages.
    public static func whitespaceTokens<S: StringProtocol>(_ text: S) -> [String] {
        if let tokens = text.utf8.withContiguousStorageIfAvailable(whitespaceTokens(utf8:)) { return tokens }
        var copy = String(text)   // a text not stored as contiguous UTF-8: made so
        return copy.withUTF8(whitespaceTokens(utf8:))
    }

    /// `tokens.joined(separator: " ")`, copying each token's bytes once (the generic `joined` was
    /// a twentieth of flat parsing).
    static func joinedBySpaces(_ tokens: ArraySlice<String>) -> String {
        guard !tokens.isEmpty else { return "" }
        var count = tokens.count - 1
        for t in tokens { count += t.utf8.count }
        return String(unsafeUninitializedCapacity: count) { out in
            var at = 0
            for k in tokens.indices {
                if k > tokens.startIndex { out[at] = 0x20; at += 1 }
                var token = tokens[k]
                token.withUTF8 { u in
                    if let base = u.baseAddress { (out.baseAddress! + at).update(from: base, count: u.count) }
                    at += u.count
                }
            }
            return at
        }
    }

    /// `whitespaceTokens` of valid UTF-8.
    static func whitespaceTokens(utf8 u: UnsafeBufferPointer<UInt8>) -> [String] {
        var out: [String] = []
        out.reserveCapacity(u.count / 6)
        var start = -1, i = 0
        while i < u.count {
            let width = spaceWidth(u, at: i)
            if width > 0 {
                if start >= 0 {
                    out.append(String(decoding: UnsafeBufferPointer(rebasing: u[start..<i]), as: UTF8.self))
                    start = -1
                }
                i += width
            } else {
                if start < 0 { start = i }
                i += 1
            }
        }
        if start >= 0 { out.append(String(decoding: UnsafeBufferPointer(rebasing: u[start...]), as: UTF8.self)) }
        return out
    }

    /// The length in bytes of the whitespace scalar at byte `i` of valid UTF-8 (space, tab to CR,
    /// U+00A0, U+2028, U+2029, U+3000), 0 when none starts there.
    @inline(__always) static func spaceWidth(_ u: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let b = u[i]
        if b < 0x80 { return b == 0x20 || (b >= 0x09 && b <= 0x0D) ? 1 : 0 }
        if b == 0xC2 { return i + 1 < u.count && u[i + 1] == 0xA0 ? 2 : 0 }
        if b == 0xE2 { return i + 2 < u.count && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9) ? 3 : 0 }
        if b == 0xE3 { return i + 2 < u.count && u[i + 1] == 0x80 && u[i + 2] == 0x80 ? 3 : 0 }
        return 0
    }
}

extension Unicode.Scalar {
    /// Whitespace or a line break (ASCII ones without a Unicode property lookup).
    var isSpace: Bool {
        value < 0x80 ? (value == 0x20 || (value >= 0x09 && value <= 0x0D)) : properties.isWhitespace
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace (a fast, Foundation-free trim).
    var trimmedSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isSpace }),
              let last = scalars.lastIndex(where: { !$0.isSpace }) else { return "" }
        // The bytes between the two, copied at once (scalar by scalar was 3 % of parsing).
        return String(decoding: utf8[first..<scalars.index(after: last)], as: UTF8.self)
    }

    /// `trimmedSpaces` made scalar by scalar, the reference its test holds it to.
    var trimmedSpacesByScalars: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isSpace }),
              let last = scalars.lastIndex(where: { !$0.isSpace }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// The first and last scalars that are not whitespace, without copying the text (nil when
    /// it is all whitespace): for tests of a paragraph's ends before it is trimmed.
    var edgeScalars: (first: Unicode.Scalar, last: Unicode.Scalar)? {
        let scalars = unicodeScalars
        guard let first = scalars.first(where: { !$0.isSpace }), let last = scalars.last(where: { !$0.isSpace }) else { return nil }
        return (first, last)
    }
}

extension Tokenizer {
    /// Copies ASCII bytes with the capital letters made small.
    @inline(__always)
    static func lowercaseASCII(_ source: UnsafeBufferPointer<UInt8>, into target: UnsafeMutableBufferPointer<UInt8>) {
        for k in source.indices { target[k] = source[k] &+ (source[k] >= 0x41 && source[k] <= 0x5A ? 0x20 : 0) }
    }

    /// Calls `body` with each word of valid UTF-8 (a run of `isWordScalar` scalars, as `words`
    /// finds them), whether it is all ASCII, and whether it is all ASCII digits.
    @inline(__always)
    static func forEachWord(in bytes: UnsafeBufferPointer<UInt8>,
                            _ body: (_ word: UnsafeBufferPointer<UInt8>, _ ascii: Bool, _ digits: Bool) -> Void) {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        // ASCII bytes are classed in place (most text is ASCII); other scalars are decoded.
        @inline(__always) func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
        @inline(__always) func isASCIIDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
        var i = 0
        while i < count {
            let lead = base[i]
            if lead < 0x80 {
                guard isASCIILetter(lead) || isASCIIDigit(lead) else { i += 1; continue }
            } else {
                let (s, length) = scalar(in: bytes, at: i)
                guard isWordScalar(s) else { i += length; continue }
            }
            let start = i
            var ascii = true, digits = true
            while i < count {
                let b = base[i]
                if b < 0x80 {
                    if isASCIILetter(b) { digits = false } else if !isASCIIDigit(b) { break }
                    i += 1
                } else {
                    let (s, length) = scalar(in: bytes, at: i)
                    guard isWordScalar(s) else { break }
                    ascii = false
                    i += length
                }
            }
            body(UnsafeBufferPointer(rebasing: bytes[start..<i]), ascii, ascii && digits)
        }
    }

    /// The scalar that starts at byte `i` of valid UTF-8 (a `String`'s), and its length in bytes.
    @inline(__always)
    static func scalar(in bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int) {
        let lead = UInt32(bytes[i])
        if lead < 0x80 { return (Unicode.Scalar(UInt8(lead)), 1) }
        func tail(_ k: Int) -> UInt32 { UInt32(bytes[i + k]) & 0x3F }
        let (value, length): (UInt32, Int) =
            lead < 0xE0 ? ((lead & 0x1F) << 6 | tail(1), 2)
            : lead < 0xF0 ? ((lead & 0x0F) << 12 | tail(1) << 6 | tail(2), 3)
            : ((lead & 0x07) << 18 | tail(1) << 12 | tail(2) << 6 | tail(3), 4)
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }
}
