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
        var builder = Builder()
        if let scalars = ScalarText(source) {
            Self.parse(scalars, 0, scalars.count, into: &builder)
        } else {
            let chars = CharacterText(source)
            Self.parse(chars, 0, chars.count, into: &builder)
        }
        (text, styles) = builder.finish()
    }

    /// Parses `source` Character by Character, as the plain path does (for tests of the scalar path).
    init(characterwise source: String) {
        var builder = Builder()
        let chars = CharacterText(source)
        Self.parse(chars, 0, chars.count, into: &builder)
        (text, styles) = builder.finish()
    }

    /// Whether `source` has a byte the plain path cannot take: markup, a control character, a tab,
    /// or a C1 control's lead byte.
    static func hasMarkup(_ source: String) -> Bool {
        var source = source
        // One bit per ASCII byte that answers yes (controls but the line feed, * _ [ < \ ! and DEL).
        let low: UInt64 = ~(1 << 0x0A) & 0xFFFF_FFFF | 1 << 0x2A | 1 << 0x3C | 1 << 0x21
        let high: UInt64 = 1 << (0x5F - 64) | 1 << (0x5B - 64) | 1 << (0x5C - 64) | 1 << (0x7F - 64)
        return source.withUTF8 { bytes in
            for b in bytes {
                if b < 0x40 { if low >> b & 1 != 0 { return true } } else if b < 0x80 { if high >> (b - 64) & 1 != 0 { return true } } else if b == 0xC2 { return true }
            }
            return false
        }
    }

    /// The words of `source` (split at spaces and line feeds) joined by single spaces, as
    /// `split(whereSeparator:)` over Characters gives them, read as bytes (splitting by
    /// Character was 7% of parsing). A space that is one Character with its neighbour (a
    /// combining mark after it, a prepended sign before it) is no separator there: such text
    /// takes the Character path.
    static func collapsingSpaces(_ source: String) -> String {
        var source = source
        var asItIs = false
        let collapsed: String? = source.withUTF8 { bytes in
            let n = bytes.count
            // Only a scalar next to a space can join it: the bytes around each space are read.
            func joins(at i: Int) -> Bool {
                if i + 1 < n, bytes[i + 1] >= 0x80, joinsPrecedingSpace(Tokenizer.scalar(in: bytes, at: i + 1).0) { return true }
                if i > 0, bytes[i - 1] >= 0x80 {
                    var lead = i - 1
                    while lead > 0, bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
                    if isPrepend(Tokenizer.scalar(in: bytes, at: lead).0) { return true }
                }
                return false
            }
            // Text with nothing to collapse (no line feed, no space at an end or after another) is
            // returned as it is, neither copied nor checked again.
            var unchanged = n == 0 || (bytes[0] != 0x20 && bytes[n - 1] != 0x20)
            if unchanged {
                for i in 0..<n where bytes[i] == 0x0A || (bytes[i] == 0x20 && (bytes[i - 1] == 0x20 || joins(at: i))) {
                    unchanged = false
                    break
                }
            }
            if unchanged { asItIs = true; return nil }
            var joined = false
            let out = String(unsafeUninitializedCapacity: n) { out in
                var count = 0
                var pendingSpace = false
                for i in 0..<n {
                    let byte = bytes[i]
                    if byte == 0x20 || byte == 0x0A {
                        if byte == 0x20, joins(at: i) { joined = true; return 0 }
                        pendingSpace = count > 0
                        continue
                    }
                    if pendingSpace { out[count] = 0x20; count += 1; pendingSpace = false }
                    out[count] = byte
                    count += 1
                }
                return count
            }
            return joined ? nil : out
        }
        if asItIs { return source }
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
        var bytes: [UInt8] = []
        var count = 0
        var styles: [InlineStyle] = []
        var lastWasSpace = true
        var lastWasWordCharacter = false

        /// A one-scalar ASCII Character (or CR LF, whose `asciiValue` is a line feed).
        mutating func append(ascii a: UInt8) {
            if a == 0x20 || (a >= 0x09 && a <= 0x0D) {
                if lastWasSpace { return }
                bytes.append(0x20)
                count += 1
                lastWasSpace = true
                lastWasWordCharacter = false
                return
            }
            if a >= 0x20, a != 0x7F {
                bytes.append(a)
                count += 1
            }
            lastWasSpace = false
            lastWasWordCharacter = (a >= 0x30 && a <= 0x39) || (a | 0x20 >= 0x61 && a | 0x20 <= 0x7A)
        }

        mutating func append(_ ch: Character) {
            // ASCII without Unicode property lookups (they were 6 % of parsing a corpus; perf).
            if let a = ch.asciiValue { append(ascii: a); return }
            if ch.isWhitespace {
                if lastWasSpace { return }
                bytes.append(0x20)
                count += 1
                lastWasSpace = true
                lastWasWordCharacter = false
                return
            }
            for s in ch.unicodeScalars {
                if s.value < 0x20 || (s.value >= 0x7F && s.value < 0xA0) { continue }
                UTF8.encode(s) { bytes.append($0) }
                count += 1
            }
            lastWasSpace = false
            lastWasWordCharacter = ch.isLetter || ch.isNumber
        }

        mutating func finish() -> (String, [InlineStyle]) {
            var text = String(decoding: bytes, as: UTF8.self)
            // Trim trailing space; styles never extend past the text.
            while text.last == " " { text.removeLast() }
            guard !styles.isEmpty else { return (text, []) }
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

    private static func parse<T: InlineText>(_ c: T, _ lo: Int, _ hi: Int, into b: inout Builder) {
        var i = lo
        while i < hi {
            let ch = c.code(i)
            if ch == 0x5C, i + 1 < hi, c.isEscapable(i + 1) {   // \
                c.append(i + 1, to: &b); i += 2; continue
            }
            if ch == 0x21, i + 1 < hi, c.code(i + 1) == 0x5B, let (close, urlEnd, _) = link(c, i + 1, hi) {   // ![
                parse(c, i + 2, close, into: &b)      // image: keep the alt text
                i = urlEnd + 1; continue
            }
            if ch == 0x5B, let (close, urlEnd, url) = link(c, i, hi) {   // [
                // "please[Contact Us](…)": the extractor glued the link to the word before it.
                if b.lastWasWordCharacter, close > i + 1, c.isLetterOrNumber(i + 1) { b.append(ascii: 0x20) }
                let start = b.count
                parse(c, i + 1, close, into: &b)
                b.styles.append(InlineStyle(kind: .link, start: start, end: b.count, url: url))
                i = urlEnd + 1; continue
            }
            if ch == 0x3C, let end = autolink(c, i, hi) {   // <
                let start = b.count
                var url = c.string(i + 1..<end)
                c.appendAll(i + 1..<end, to: &b)
                if url.contains("@") && !url.hasPrefix("mailto:") { url = "mailto:" + url }
                b.styles.append(InlineStyle(kind: .link, start: start, end: b.count, url: url))
                i = end + 1; continue
            }
            if ch == 0x2A || ch == 0x5F {   // * _
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
                for _ in 0..<run { b.append(ascii: ch) }
                i += run; continue
            }
            c.append(i, to: &b)
            i += 1
        }
    }

    private static func runLength<T: InlineText>(_ c: T, _ i: Int, _ hi: Int, _ ch: UInt8) -> Int {
        var j = i
        while j < hi, c.code(j) == ch { j += 1 }
        return j - i
    }

    private static func canOpen<T: InlineText>(_ c: T, _ i: Int, _ hi: Int, _ ch: UInt8) -> Bool {
        guard i + 1 < hi, !c.isWhitespace(i + 1) else { return false }
        if ch == 0x5F, i > 0, c.isLetterOrNumber(i - 1) { return false }
        return true
    }

    /// Finds a closing run of exactly `n` markers (ignoring escaped ones and link bodies).
    private static func findClosing<T: InlineText>(_ c: T, _ from: Int, _ hi: Int, _ ch: UInt8, _ n: Int) -> Int? {
        var j = from
        while j < hi {
            let x = c.code(j)
            if x == 0x5C { j += 2; continue }
            if x == ch {
                let run = runLength(c, j, hi, ch)
                if run == n || (n == 2 && run >= 2) {
                    if j > from, !c.isWhitespace(j - 1) || n == 2 {
                        if ch == 0x5F, j + run < hi, c.isLetterOrNumber(j + run) { j += run; continue }
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
    private static func link<T: InlineText>(_ c: T, _ open: Int, _ hi: Int) -> (Int, Int, String)? {
        var depth = 0
        var j = open
        var close = -1
        while j < hi {
            let x = c.code(j)
            if x == 0x5C { j += 2; continue }
            if x == 0x5B { depth += 1 }
            if x == 0x5D { depth -= 1; if depth == 0 { close = j; break } }
            j += 1
        }
        guard close > 0, close + 1 < hi, c.code(close + 1) == 0x28 else { return nil }
        var k = close + 2
        var parens = 1
        while k < hi {
            let x = c.code(k)
            if x == 0x28 { parens += 1 }
            if x == 0x29 { parens -= 1; if parens == 0 { break } }
            if x == 0x0A { return nil }
            k += 1
        }
        guard k < hi else { return nil }
        var url = c.string(close + 2..<k).trimmedSpaces
        if let space = url.firstIndex(of: " ") { url = String(url[..<space]) }   // drop a title
        return (close, k, url)
    }

    private static func autolink<T: InlineText>(_ c: T, _ open: Int, _ hi: Int) -> Int? {
        var j = open + 1
        while j < hi, j - open < 2048 {
            let x = c.code(j)
            if x == 0x3E { break }
            if x == 0x3C || c.isWhitespace(j) { return nil }
            j += 1
        }
        guard j < hi, c.code(j) == 0x3E else { return nil }
        let body = c.string(open + 1..<j)
        if body.hasPrefix("http://") || body.hasPrefix("https://") || body.hasPrefix("mailto:")
            || (body.contains("@") && body.contains(".")) { return j }
        return nil
    }
}

/// The text inline parsing walks, one Character at a time.
protocol InlineText {
    var count: Int { get }
    /// The ASCII value of the Character at `i` when it is that one ASCII scalar, else 0.
    func code(_ i: Int) -> UInt8
    /// Whether the Character at `i` is one of the characters a backslash escapes.
    func isEscapable(_ i: Int) -> Bool
    func isLetterOrNumber(_ i: Int) -> Bool
    func isWhitespace(_ i: Int) -> Bool
    func append(_ i: Int, to b: inout InlineMarkdown.Builder)
    /// Appends the Characters of `string(range)`, as that String iterates them.
    func appendAll(_ range: Range<Int>, to b: inout InlineMarkdown.Builder)
    func string(_ range: Range<Int>) -> String
}

/// Any text, as its Characters: the plain path.
struct CharacterText: InlineText {
    let c: [Character]
    init(_ source: String) { c = Array(source) }
    var count: Int { c.count }
    private static let escapable: Set<Character> = Set("\\`*_{}[]()#+-.!|<>~\"'$&:;=?@^")
    func code(_ i: Int) -> UInt8 {
        let utf8 = c[i].utf8
        return utf8.count == 1 ? utf8[utf8.startIndex] : 0
    }
    func isEscapable(_ i: Int) -> Bool { Self.escapable.contains(c[i]) }
    func isLetterOrNumber(_ i: Int) -> Bool { c[i].isLetter || c[i].isNumber }
    func isWhitespace(_ i: Int) -> Bool { c[i].isWhitespace }
    func append(_ i: Int, to b: inout InlineMarkdown.Builder) { b.append(c[i]) }
    func appendAll(_ range: Range<Int>, to b: inout InlineMarkdown.Builder) { for x in string(range) { b.append(x) } }
    func string(_ range: Range<Int>) -> String { String(c[range]) }
}

/// Text whose every Character is one scalar, as scalars: most policy text. Only ASCII (without a
/// carriage return, which joins a line feed) and scalars that never join a neighbour (Latin-1 and
/// Latin Extended letters, general punctuation, currency signs, ™) are taken; none of them is
/// canonically equal to an ASCII character. Walking `[Character]` was a fifth of parsing (perf).
struct ScalarText: InlineText {
    let u: [UInt32]

    init?(_ source: String) {
        var source = source
        guard let scalars = source.withUTF8({ bytes -> [UInt32]? in
            var out: [UInt32] = []
            out.reserveCapacity(bytes.count)
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b < 0x80 {
                    if b == 0x0D { return nil }
                    out.append(UInt32(b)); i += 1; continue
                }
                let (s, length) = Tokenizer.scalar(in: bytes, at: i)
                guard ScalarText.standsAlone(s.value) else { return nil }
                out.append(s.value)
                i += length
            }
            return out
        }) else { return nil }
        u = scalars
    }

    static func standsAlone(_ v: UInt32) -> Bool {
        (v >= 0xA0 && v <= 0x2FF) || (v >= 0x2010 && v <= 0x2027) || (v >= 0x2030 && v <= 0x205E) || (v >= 0x20A0 && v <= 0x20BF)
            || v == 0x2122
    }

    var count: Int { u.count }
    @inline(__always) func code(_ i: Int) -> UInt8 { u[i] < 0x80 ? UInt8(u[i]) : 0 }
    private func character(_ i: Int) -> Character { Character(Unicode.Scalar(u[i])!) }
    func isEscapable(_ i: Int) -> Bool {
        switch code(i) {
        case 0x5C, 0x60, 0x2A, 0x5F, 0x7B, 0x7D, 0x5B, 0x5D, 0x28, 0x29, 0x23, 0x2B, 0x2D, 0x2E, 0x21, 0x7C, 0x3C, 0x3E, 0x7E,
             0x22, 0x27, 0x24, 0x26, 0x3A, 0x3B, 0x3D, 0x3F, 0x40, 0x5E: return true
        default: return false
        }
    }
    /// The ASCII Characters' properties, asked of `Character` once.
    private static let asciiLetterOrNumber: [Bool] = (0..<128).map { Character(Unicode.Scalar(UInt8($0))).isLetter || Character(Unicode.Scalar(UInt8($0))).isNumber }
    private static let asciiWhitespace: [Bool] = (0..<128).map { Character(Unicode.Scalar(UInt8($0))).isWhitespace }
    func isLetterOrNumber(_ i: Int) -> Bool {
        let v = u[i]
        if v < 0x80 { return Self.asciiLetterOrNumber[Int(v)] }
        let ch = character(i)
        return ch.isLetter || ch.isNumber
    }
    func isWhitespace(_ i: Int) -> Bool {
        let v = u[i]
        if v < 0x80 { return Self.asciiWhitespace[Int(v)] }
        return character(i).isWhitespace
    }
    func append(_ i: Int, to b: inout InlineMarkdown.Builder) {
        let v = u[i]
        if v < 0x80 { b.append(ascii: UInt8(v)) } else { b.append(character(i)) }
    }
    func appendAll(_ range: Range<Int>, to b: inout InlineMarkdown.Builder) { for i in range { append(i, to: &b) } }
    func string(_ range: Range<Int>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(range.count)
        for i in range {
            if u[i] < 0x80 { bytes.append(UInt8(u[i])) } else { UTF8.encode(Unicode.Scalar(u[i])!) { bytes.append($0) } }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
