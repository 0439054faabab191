import Foundation

/// Display width of text in terminal columns, and removal of what must never reach a terminal.
public enum TextWidth {
    /// Columns taken by one Unicode scalar: 0 for combining marks, 2 for wide East Asian and emoji.
    public static func columns(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        if v < 0x300 { return v < 0x20 || (v >= 0x7F && v < 0xA0) ? 0 : 1 }
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B || (v >= 0xFE00 && v <= 0xFE0F) { return 0 }
        if (v >= 0x1100 && v <= 0x115F) || (v >= 0x2E80 && v <= 0x303E) || (v >= 0x3041 && v <= 0x33FF)
            || (v >= 0x3400 && v <= 0x4DBF) || (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0xA000 && v <= 0xA4CF)
            || (v >= 0xAC00 && v <= 0xD7A3) || (v >= 0xF900 && v <= 0xFAFF) || (v >= 0xFE30 && v <= 0xFE4F)
            || (v >= 0xFF00 && v <= 0xFF60) || (v >= 0xFFE0 && v <= 0xFFE6) || (v >= 0x1F300 && v <= 0x1F64F)
            || (v >= 0x1F900 && v <= 0x1F9FF) || (v >= 0x20000 && v <= 0x3FFFD) {
            return 2
        }
        // Emoji shown as emoji by default (✅ U+2705, ⭐, ☕, 🚀): East Asian Wide, as terminals draw them.
        if v >= 0x231A, s.properties.isEmojiPresentation { return 2 }
        return 1
    }

    /// Columns taken by a grapheme cluster (its widest scalar; joiners and marks add nothing).
    public static func columns(_ c: Character) -> Int {
        var width = 0
        for s in c.unicodeScalars { width = max(width, columns(s)) }
        return width
    }

    public static func columns<S: StringProtocol>(_ text: S) -> Int {
        text.reduce(0) { $0 + columns($1) }
    }

    /// What a curses cell can hold of a grapheme: one spacing character and the marks after it.
    /// Emoji joined by U+200D, a flag's two regional indicators and an emoji with a skin-tone
    /// modifier are clusters of several spacing characters: written whole, curses spreads them over
    /// the next cells, the next cell overwrites part, and what is left may join into something else
    /// (🇫 of 🇫🇷 and 🇯 of 🇯🇵 make 🇫🇯). Those become their first character (⚑ for a flag), padded
    /// to the columns `columns` counts for the cluster. Every other cluster (a consonant with its
    /// vowel signs, decomposed Hangul, a keycap) is written whole, as before.
    public static func cellText(_ grapheme: String) -> String {
        let scalars = grapheme.unicodeScalars
        let joined = scalars.contains { $0.value == 0x200D }
        let flag = scalars.filter { (0x1F1E6...0x1F1FF).contains($0.value) }.count >= 2
        let toned = scalars.contains { (0x1F3FB...0x1F3FF).contains($0.value) }
        guard joined || flag || toned, let first = scalars.first(where: { columns($0) > 0 }) else { return grapheme }
        let out = flag ? "⚑" : String(first)
        let pad = columns(Character(grapheme)) - columns(out)
        return pad > 0 ? out + String(repeating: " ", count: pad) : out
    }

    /// Text safe to draw: control characters and escape sequences become visible placeholders.
    public static func sanitise(_ c: Character) -> Character {
        for s in c.unicodeScalars where s.value < 0x20 || (s.value >= 0x7F && s.value < 0xA0) {
            return s == "\t" ? " " : "\u{FFFD}"
        }
        return c
    }

    /// The longest prefix of `text` that fits in `width` columns, with "…" when cut.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        if columns(text) <= width { return text }
        return String(text[..<prefixEnd(text, fitting: width - 1)]) + "…"
    }

    /// Where the longest prefix of `text` that fits in `width` columns ends (its start when not a
    /// character fits): the one place text is cut to a width, by characters, a wide one taking two.
    public static func prefixEnd<S: StringProtocol>(_ text: S, fitting width: Int) -> S.Index {
        var used = 0, end = text.startIndex
        while end < text.endIndex {
            let w = columns(text[end])
            if used + w > width { break }
            used += w
            end = text.index(after: end)
        }
        return end
    }

    private static let asciiTable: [Character: String] = [
        "“": "\"", "”": "\"", "„": "\"", "‘": "'", "’": "'", "–": "-", "—": "-", "−": "-", "…": "~", "·": ".",
        "›": ">", "‹": "<", "»": ">>", "«": "<<", "•": "*", "▶": ">", "▸": "+", "▾": "-", "▌": "|", "▏": "_",
        "│": "|", "─": "-", "┌": "+", "┐": "+", "└": "+", "┘": "+", "├": "+", "┤": "+", "░": "#", "█": "#",
        "▁": ".", "▂": ".", "▃": ":", "▄": ":", "▅": "=", "▆": "=", "▇": "#", "✓": "*", "↕": "^", "↔": "<>",
        "→": "->", "←": "<-", "↑": "^", "↓": "v", "×": "x", "©": "(c)", "®": "(R)", "™": "TM", "€": "EUR",
        "£": "GBP", "\u{A0}": " ", "\u{FFFD}": "?",
    ]

    /// An ASCII stand-in for text on a terminal whose locale is not UTF-8.
    public static func ascii(_ text: String) -> String {
        var out = ""
        for c in text {
            if c.isASCII { out.append(c); continue }
            if let mapped = asciiTable[c] { out += mapped; continue }
            // Letters with accents lose them: "é" → "e".
            let base = String(c).decomposedStringWithCanonicalMapping.unicodeScalars.filter { $0.isASCII }
            if !base.isEmpty { out += String(String.UnicodeScalarView(base)); continue }
            out += columns(c) == 2 ? "??" : "?"
        }
        return out
    }
}
