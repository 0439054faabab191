import Foundation

/// Parses inline Markdown (emphasis, links, autolinks, escapes) into plain text and style runs.
public struct InlineMarkdown {
    public var text: String
    public var styles: [InlineStyle]

    /// Parses `source`; offsets in the result are Unicode scalar offsets into `text`.
    public init(_ source: String) {
        // Fast path: no markup and no control characters, only whitespace to collapse.
        if !Self.hasMarkup(source) {
            text = Self.collapsingSpaces(source)
            styles = []
            return
        }
        let chars = Array(source)
        var builder = Builder()
        Self.parse(chars, 0, chars.count, into: &builder)
        let (text, styles) = builder.finish()
        self.text = text
        self.styles = styles
    }

    /// Whether `source` has a byte the plain path cannot take: markup, a control character, a tab,
    /// or a C1 control's lead byte.
    static func hasMarkup(_ source: String) -> Bool {
        var source = source
        return source.withUTF8 { bytes in
            bytes.contains { $0 == 0x2A || $0 == 0x5F || $0 == 0x5B || $0 == 0x3C || $0 == 0x5C || $0 == 0x21
                || $0 == 0x09 || $0 == 0x0D || ($0 < 0x20 && $0 != 0x0A) || $0 == 0x7F || $0 == 0xC2 }
        }
    }

    /// The words of `source` (split at spaces and line feeds) joined by single spaces, as
    /// `split(whereSeparator:)` over Characters gives them, read as bytes (splitting by
    /// Character was 7% of parsing). A space that is one Character with its neighbour (a
    /// combining mark after it, a prepended sign before it) is no separator there: such text
    /// takes the Character path.
    static func collapsingSpaces(_ source: String) -> String {
        var source = source
        let collapsed: String? = source.withUTF8 { bytes in
            let n = bytes.count
            // Only a scalar next to a space can join it: the bytes around each space are read.
            for i in 0..<n where bytes[i] == 0x20 {
                if i + 1 < n, bytes[i + 1] >= 0x80, joinsPrecedingSpace(Tokenizer.scalar(in: bytes, at: i + 1).0) { return nil }
                if i > 0, bytes[i - 1] >= 0x80 {
                    var lead = i - 1
                    while lead > 0, bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
                    if isPrepend(Tokenizer.scalar(in: bytes, at: lead).0) { return nil }
                }
            }
            return String(unsafeUninitializedCapacity: n) { out in
                var count = 0
                var pendingSpace = false
                for byte in bytes {
                    if byte == 0x20 || byte == 0x0A {
                        pendingSpace = count > 0
                        continue
                    }
                    if pendingSpace { out[count] = 0x20; count += 1; pendingSpace = false }
                    out[count] = byte
                    count += 1
                }
                return count
            }
        }
        return collapsed ?? characterwise(source)
    }

    /// The old scalar-by-scalar form of `collapsingSpaces`, kept as the reference its tests hold it to.
    static func collapsingSpacesByScalars(_ source: String) -> String {
        var previous: Unicode.Scalar = "\n"
        var afterSpace = false
        for s in source.unicodeScalars {
            if afterSpace, s.value >= 0x80, joinsPrecedingSpace(s) { return characterwise(source) }
            if s == " ", previous.value >= 0x80, isPrepend(previous) { return characterwise(source) }
            afterSpace = s == " "
            previous = s
        }
        var out: [UInt8] = []
        out.reserveCapacity(source.utf8.count)
        var pendingSpace = false
        for byte in source.utf8 {
            if byte == 0x20 || byte == 0x0A {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(0x20); pendingSpace = false }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func characterwise(_ source: String) -> String {
        source.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
    }

    /// Extend, ZWJ or SpacingMark: a scalar that stays in one Character with a space before it.
    private static func joinsPrecedingSpace(_ s: Unicode.Scalar) -> Bool {
        let category = s.properties.generalCategory
        return s.properties.isGraphemeExtend || category == .nonspacingMark || category == .spacingMark
            || category == .enclosingMark || s.value == 0x200D || s.value == 0x0E33 || s.value == 0x0EB3
    }

    /// Prepend: a scalar that stays in one Character with a space after it. The ones below U+11000
    /// by name, every scalar from U+11000 on to be safe (the other Prepend scalars live there).
    private static func isPrepend(_ s: Unicode.Scalar) -> Bool {
        (0x0600...0x0605).contains(s.value) || s.value == 0x06DD || s.value == 0x070F || (0x0890...0x0891).contains(s.value)
            || s.value == 0x08E2 || s.value == 0x0D4E || s.value >= 0x11000
    }

    struct Builder {
        var scalars = String.UnicodeScalarView()
        var count = 0
        var styles: [InlineStyle] = []
        var lastWasSpace = true
        var lastWasWordCharacter = false

        mutating func append(_ ch: Character) {
            // ASCII without Unicode property lookups (they were 6 % of parsing a corpus; perf).
            if let a = ch.asciiValue {
                if a == 0x20 || (a >= 0x09 && a <= 0x0D) {
                    if lastWasSpace { return }
                    scalars.append(" ")
                    count += 1
                    lastWasSpace = true
                    lastWasWordCharacter = false
                    return
                }
                if a >= 0x20, a != 0x7F {
                    scalars.append(Unicode.Scalar(a))
                    count += 1
                }
                lastWasSpace = false
                lastWasWordCharacter = (a >= 0x30 && a <= 0x39) || (a | 0x20 >= 0x61 && a | 0x20 <= 0x7A)
                return
            }
            if ch.isWhitespace {
                if lastWasSpace { return }
                scalars.append(" ")
                count += 1
                lastWasSpace = true
                lastWasWordCharacter = false
                return
            }
            for s in ch.unicodeScalars {
                if s.value < 0x20 || (s.value >= 0x7F && s.value < 0xA0) { continue }
                scalars.append(s)
                count += 1
            }
            lastWasSpace = false
            lastWasWordCharacter = ch.isLetter || ch.isNumber
        }

        mutating func finish() -> (String, [InlineStyle]) {
            var text = String(scalars)
            // Trim trailing space; styles never extend past the text.
            while text.last == " " { text.removeLast() }
            let scalarsArray = Array(text.unicodeScalars)
            let total = scalarsArray.count
            let clamped = styles.compactMap { style -> InlineStyle? in
                var s = style
                s.end = min(s.end, total)
                s.start = min(s.start, s.end)
                // Shrink runs off surrounding spaces.
                while s.start < s.end, scalarsArray[s.start] == " " { s.start += 1 }
                while s.end > s.start, scalarsArray[s.end - 1] == " " { s.end -= 1 }
                return s.start < s.end ? s : nil
            }
            return (text, clamped)
        }
    }

    private static let escapable: Set<Character> = Set("\\`*_{}[]()#+-.!|<>~\"'$&:;=?@^")

    private static func parse(_ c: [Character], _ lo: Int, _ hi: Int, into b: inout Builder) {
        var i = lo
        while i < hi {
            let ch = c[i]
            if ch == "\\", i + 1 < hi, escapable.contains(c[i + 1]) {
                b.append(c[i + 1]); i += 2; continue
            }
            if ch == "!", i + 1 < hi, c[i + 1] == "[", let (close, urlEnd, _) = link(c, i + 1, hi) {
                parse(c, i + 2, close, into: &b)      // image: keep the alt text
                i = urlEnd + 1; continue
            }
            if ch == "[", let (close, urlEnd, url) = link(c, i, hi) {
                // "please[Contact Us](…)": the extractor glued the link to the word before it.
                if b.lastWasWordCharacter, close > i + 1, c[i + 1].isLetter || c[i + 1].isNumber { b.append(" ") }
                let start = b.count
                parse(c, i + 1, close, into: &b)
                b.styles.append(InlineStyle(kind: .link, start: start, end: b.count, url: url))
                i = urlEnd + 1; continue
            }
            if ch == "<", let end = autolink(c, i, hi) {
                let start = b.count
                var url = String(c[(i + 1)..<end])
                for x in url { b.append(x) }
                if url.contains("@") && !url.hasPrefix("mailto:") { url = "mailto:" + url }
                b.styles.append(InlineStyle(kind: .link, start: start, end: b.count, url: url))
                i = end + 1; continue
            }
            if ch == "*" || ch == "_" {
                let run = runLength(c, i, hi, ch)
                if run >= 2, let close = findClosing(c, i + 2, hi, ch, 2) {
                    let start = b.count
                    parse(c, i + 2, close, into: &b)
                    b.styles.append(InlineStyle(kind: .bold, start: start, end: b.count))
                    i = close + 2; continue
                }
                if run == 1, canOpen(c, i, hi, ch), let close = findClosing(c, i + 1, hi, ch, 1) {
                    let start = b.count
                    parse(c, i + 1, close, into: &b)
                    b.styles.append(InlineStyle(kind: .italic, start: start, end: b.count))
                    i = close + 1; continue
                }
                // Unmatched markers are literal, but a lone run of them is markup noise.
                for _ in 0..<run { b.append(ch) }
                i += run; continue
            }
            b.append(ch)
            i += 1
        }
    }

    private static func runLength(_ c: [Character], _ i: Int, _ hi: Int, _ ch: Character) -> Int {
        var j = i
        while j < hi, c[j] == ch { j += 1 }
        return j - i
    }

    private static func canOpen(_ c: [Character], _ i: Int, _ hi: Int, _ ch: Character) -> Bool {
        guard i + 1 < hi, !c[i + 1].isWhitespace else { return false }
        if ch == "_", i > 0, c[i - 1].isLetter || c[i - 1].isNumber { return false }
        return true
    }

    /// Finds a closing run of exactly `n` markers (ignoring escaped ones and link bodies).
    private static func findClosing(_ c: [Character], _ from: Int, _ hi: Int, _ ch: Character, _ n: Int) -> Int? {
        var j = from
        while j < hi {
            if c[j] == "\\" { j += 2; continue }
            if c[j] == ch {
                let run = runLength(c, j, hi, ch)
                if run == n || (n == 2 && run >= 2) {
                    if j > from, !c[j - 1].isWhitespace || n == 2 {
                        if ch == "_", j + run < hi, c[j + run].isLetter || c[j + run].isNumber { j += run; continue }
                        return j
                    }
                }
                j += run; continue
            }
            j += 1
        }
        return nil
    }

    /// `[text](url)` starting at `open`: returns (index of `]`, index of `)`, url).
    private static func link(_ c: [Character], _ open: Int, _ hi: Int) -> (Int, Int, String)? {
        var depth = 0
        var j = open
        var close = -1
        while j < hi {
            if c[j] == "\\" { j += 2; continue }
            if c[j] == "[" { depth += 1 }
            if c[j] == "]" { depth -= 1; if depth == 0 { close = j; break } }
            j += 1
        }
        guard close > 0, close + 1 < hi, c[close + 1] == "(" else { return nil }
        var k = close + 2
        var parens = 1
        while k < hi {
            if c[k] == "(" { parens += 1 }
            if c[k] == ")" { parens -= 1; if parens == 0 { break } }
            if c[k] == "\n" { return nil }
            k += 1
        }
        guard k < hi else { return nil }
        var url = String(c[(close + 2)..<k]).trimmedSpaces
        if let space = url.firstIndex(of: " ") { url = String(url[..<space]) }   // drop a title
        return (close, k, url)
    }

    private static func autolink(_ c: [Character], _ open: Int, _ hi: Int) -> Int? {
        var j = open + 1
        while j < hi, j - open < 2048 {
            let x = c[j]
            if x == ">" { break }
            if x.isWhitespace || x == "<" { return nil }
            j += 1
        }
        guard j < hi, c[j] == ">" else { return nil }
        let body = String(c[(open + 1)..<j])
        if body.hasPrefix("http://") || body.hasPrefix("https://") || body.hasPrefix("mailto:")
            || (body.contains("@") && body.contains(".")) { return j }
        return nil
    }
}
