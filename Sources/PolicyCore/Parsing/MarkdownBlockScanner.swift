import Foundation

/// A block-level element of a Markdown policy.
enum MarkdownBlock {
    case heading(level: Int, text: String, line: Int)
    case paragraph(text: String, line: Int)
    case listItem(depth: Int, text: String, marker: String?, line: Int)
    case table(MarkdownTable)
}

/// Splits Markdown lines into blocks: headings, paragraphs, list items, tables.
struct MarkdownBlockScanner {
    let lines: [String]
    let start: Int

    /// `|---|:--:|` table delimiter lines. (A constant pattern; `nil` only if the platform lacks ICU.)
    static let delimiterRegex = try? NSRegularExpression(pattern: "^\\s*\\|?\\s*:?-{3,}:?\\s*(?:\\|\\s*:?-{3,}:?\\s*)+\\|?\\s*$")

    /// Whether `s` holds the Character "|", as `s.contains(Character("|"))` answers, by its bytes
    /// (the Character walk was 4 % of parsing a corpus; perf). A bar byte between ASCII bytes is
    /// that Character; one next to a non-ASCII scalar may be joined to it (a combining mark after,
    /// a Prepend scalar before), so if only such bars are found the Characters decide.
    static func containsBar(_ s: String) -> Bool {
        var s = s
        let answer: Bool? = s.withUTF8 { b in
            var joinable = false
            for i in b.indices where b[i] == 0x7C {
                if (i > 0 && b[i - 1] >= 0x80) || (i + 1 < b.count && b[i + 1] >= 0x80) { joinable = true; continue }
                return true
            }
            return joinable ? nil : false
        }
        return answer ?? s.contains(Character("|"))
    }

    static func isBlank(_ s: String) -> Bool { s.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 } }

    static func isDelimiter(_ s: String) -> Bool {
        guard hasBarAndHyphen(s), let re = delimiterRegex else { return false }
        return re.firstMatch(in: s, range: NSRange(location: 0, length: (s as NSString).length)) != nil
    }

    /// A screen for the delimiter pattern: a bar and a hyphen, and after white space a bar, a
    /// colon or a hyphen first (or a non-ASCII scalar, which may be white space to ICU).
    private static func hasBarAndHyphen(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { bytes in
            var i = 0
            while i < bytes.count, bytes[i] == 0x20 || (bytes[i] >= 0x09 && bytes[i] <= 0x0D) { i += 1 }
            guard i < bytes.count else { return false }
            let first = bytes[i]
            guard first >= 0x80 || first == 0x7C || first == 0x3A || first == 0x2D else { return false }
            var bar = false, hyphen = false
            for b in bytes {
                bar = bar || b == 0x7C
                hyphen = hyphen || b == 0x2D
            }
            return bar && hyphen
        }
    }

    static func isRule(_ s: String) -> Bool {
        // Three or more of one of - * _, spaces allowed between, nothing else.
        var marker: UInt8 = 0
        var count = 0
        for b in s.utf8 {
            if b == 0x20 || b == 0x09 { continue }
            guard b == 0x2D || b == 0x2A || b == 0x5F else { return false }
            if marker == 0 { marker = b } else if b != marker { return false }
            count += 1
        }
        return count >= 3
    }

    /// `  * text`, `- text`, `12. text`, `3) text`: the marker's indent, the text after it, and
    /// an ordered item's number as written ("12.", "3)"; nil for a bullet).
    static func listMatch(_ s: String) -> (indent: Int, text: String, marker: String?)? {
        var s = s
        guard let (indent, start, end, offset) = s.withUTF8({ utf8 -> (Int, Int, Int, Int)? in
            var i = 0
            var indent = 0
            while i < utf8.count, utf8[i] == 0x20 || utf8[i] == 0x09 { indent += utf8[i] == 0x09 ? 4 : 1; i += 1 }
            guard i < utf8.count else { return nil }
            let start = i
            let c = utf8[i]
            if c == 0x2A || c == 0x2B || c == 0x2D {
                i += 1
            } else {
                var digits = 0
                while i < utf8.count, utf8[i] >= 0x30, utf8[i] <= 0x39 { digits += 1; i += 1 }
                guard digits >= 1, digits <= 3, i < utf8.count, utf8[i] == 0x2E || utf8[i] == 0x29 else { return nil }
                i += 1
            }
            let end = i
            guard i < utf8.count, utf8[i] == 0x20 || utf8[i] == 0x09 else { return nil }
            while i < utf8.count, utf8[i] == 0x20 || utf8[i] == 0x09 { i += 1 }
            return (indent, end - start > 1 ? start : -1, end, i)
        }) else { return nil }
        let utf8 = s.utf8
        let marker = start < 0 ? nil
            : String(s[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end)])
        return (indent, String(s[utf8.index(utf8.startIndex, offsetBy: offset)...]), marker)
    }

    /// `## Title ##`: level and text.
    static func headingMatch(_ s: String) -> (Int, String)? {
        var s = s
        guard let (level, offset) = s.withUTF8({ utf8 -> (Int, Int)? in
            var i = 0
            while i < utf8.count, i <= 3, utf8[i] == 0x20 { i += 1 }
            guard i <= 3 else { return nil }
            var level = 0
            while i < utf8.count, utf8[i] == 0x23 { level += 1; i += 1 }
            guard level >= 1, level <= 6 else { return nil }
            guard i == utf8.count || utf8[i] == 0x20 || utf8[i] == 0x09 else { return nil }
            return (level, i)
        }) else { return nil }
        var text = String(s[s.utf8.index(s.utf8.startIndex, offsetBy: offset)...]).trimmedSpaces
        while text.hasSuffix("#") { text.removeLast() }
        return (level, text.trimmedSpaces)
    }

    /// Whether `line` ends in two spaces or a backslash: a hard line break before the next.
    static func endsInHardBreak(_ line: String) -> Bool {
        let utf8 = line.utf8
        guard let last = utf8.last else { return false }
        return last == 0x5C || (last == 0x20 && utf8.dropLast().last == 0x20 && utf8.contains { $0 != 0x20 })
    }

    /// `line` without the block quote markers it opens with (`>   * item` is a list item), or nil
    /// when it opens with none.
    static func unquoted(_ line: String) -> String? {
        let utf8 = line.utf8
        var i = utf8.startIndex, spaces = 0
        while i < utf8.endIndex, utf8[i] == 0x20, spaces < 3 { i = utf8.index(after: i); spaces += 1 }
        guard i < utf8.endIndex, utf8[i] == 0x3E else { return nil }
        while i < utf8.endIndex, utf8[i] == 0x3E {
            i = utf8.index(after: i)
            if i < utf8.endIndex, utf8[i] == 0x20 { i = utf8.index(after: i) }
        }
        return String(line[i...])
    }

    func scan() -> [MarkdownBlock] {
        // Quoted lines are read as what they quote (chase.com 2008 quotes its lists of companies).
        var lines = self.lines
        for k in start..<lines.count { if let inner = Self.unquoted(lines[k]) { lines[k] = inner } }
        var blocks: [MarkdownBlock] = []
        var i = start
        var listIndents: [Int] = []
        let n = lines.count
        while i < n {
            let line = lines[i]
            if Self.isBlank(line) { i += 1; continue }
            if let (level, text) = Self.headingMatch(line) {
                // `###␠␠⏎Bitcoin and Bitcoin Cash` (mullvad.net 2018): the heading's text on the
                // line right after its marks, when that line is short and starts no block.
                if text.isEmpty, i + 1 < n, !Self.isBlank(lines[i + 1]), Self.headingMatch(lines[i + 1]) == nil,
                   Self.listMatch(lines[i + 1]) == nil, !Self.containsBar(lines[i + 1]), !Self.isRule(lines[i + 1]),
                   i + 2 >= n || Self.isBlank(lines[i + 2]), Tokenizer.wordCount(lines[i + 1]) <= 12,
                   let last = lines[i + 1].trimmedSpaces.last, !".;,".contains(last) {
                    blocks.append(.heading(level: level, text: lines[i + 1].trimmedSpaces, line: i + 1))
                    listIndents.removeAll()
                    i += 2; continue
                }
                blocks.append(.heading(level: level, text: text, line: i + 1))
                listIndents.removeAll()
                i += 1; continue
            }
            if i + 1 < n, Self.containsBar(line), Self.isDelimiter(lines[i + 1]) {
                let (table, next) = MarkdownTable.parse(lines, headerAt: i)
                blocks.append(.table(table))
                listIndents.removeAll()
                i = next; continue
            }
            if Self.isRule(line) || Self.isDelimiter(line) { i += 1; continue }
            if let item = Self.listMatch(line), let (level, text) = Self.headingMatch(item.text) {
                // `* #### Sharing Information with Third Parties`: a heading set in a list item.
                blocks.append(.heading(level: level, text: text, line: i + 1))
                listIndents.removeAll()
                i += 1; continue
            }
            if let item = Self.listMatch(line) {
                while let last = listIndents.last, item.indent < last - 1 { listIndents.removeLast() }
                if listIndents.isEmpty || item.indent > listIndents[listIndents.count - 1] + 1 { listIndents.append(item.indent) }
                var text = item.text
                let startLine = i + 1
                i += 1
                // Continuation lines: indented deeper than the marker, or after a hard line break
                // (`  * **Cookies.** …␠␠⏎Most browsers …`), not a new block. A line keeps its
                // trailing spaces: they mark a break.
                while i < n, !Self.isBlank(lines[i]), Self.listMatch(lines[i]) == nil, Self.headingMatch(lines[i]) == nil,
                      lines[i].prefix(while: { $0 == " " }).count > item.indent || Self.endsInHardBreak(lines[i - 1]),
                      !Self.containsBar(lines[i]) {
                    text += "\n" + lines[i].drop { $0 == " " }
                    i += 1
                }
                blocks.append(.listItem(depth: listIndents.count - 1, text: text, marker: item.marker, line: startLine))
                continue
            }
            // A paragraph: lines up to a blank line or the start of another block.
            let startLine = i + 1
            var parts: [String] = []
            while i < n {
                let l = lines[i]
                if Self.isBlank(l) || Self.headingMatch(l) != nil || (!parts.isEmpty && Self.listMatch(l) != nil) { break }
                if !parts.isEmpty, i + 1 < n, Self.containsBar(l), Self.isDelimiter(lines[i + 1]) { break }
                if !parts.isEmpty, Self.isRule(l) { break }
                parts.append(Self.paragraphLine(l))
                i += 1
            }
            if parts.isEmpty { i += 1; continue }
            // A paragraph keeps the lists open: items indented under an item before it are its
            // sub-items still (shoedazzle.com 2013: "We collect information in several ways:").
            // A line all in bold (a heading set in bold) closes them, as a heading does.
            if parts.count == 1, let edges = parts[0].edgeScalars, edges.first == "*" || edges.first == "_" {
                let t = parts[0].trimmedSpaces
                if t.count > 4, (t.hasPrefix("**") && t.hasSuffix("**")) || (t.hasPrefix("__") && t.hasSuffix("__")) { listIndents.removeAll() }
            }
            blocks.append(.paragraph(text: parts.joined(separator: "\n"), line: startLine))
        }
        return blocks
    }

    /// Whether `s` holds " | " (a table row without its outer pipes), by its bytes: Foundation's
    /// `contains` on every paragraph line was 4 % of parsing a corpus (perf).
    static func hasCellSeparator<S: StringProtocol>(_ s: S) -> Bool {
        if let found = s.utf8.withContiguousStorageIfAvailable({ bytes -> Bool in
            guard bytes.count >= 3 else { return false }
            for i in 1..<(bytes.count - 1) where bytes[i] == 0x7C && bytes[i - 1] == 0x20 && bytes[i + 1] == 0x20 { return true }
            return false
        }) { return found }
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in s.utf8 {
            if byte == 0x20, previous == (0x20, 0x7C) { return true }
            previous = (previous.1, byte)
        }
        return false
    }

    /// A paragraph line with stray table pipes removed (`scan` has taken quote marks off); bars
    /// between cells stay, as " | ", so a line of links (`[Types](#a) | [Cookies](#b)`) keeps them apart.
    static func paragraphLine(_ l: String) -> String {
        let s = Substring(l)
        // A table row starts or ends with a bar (spaces aside) or has " | " inside; a " | " that
        // only leading or trailing spaces make is next to such an end bar, so the untrimmed line
        // answers as the trimmed one would, without copying every paragraph line.
        if let edges = s.edgeScalars, edges.first == "|" || edges.last == "|" || Self.hasCellSeparator(s) {
            let cells = s.trimmedSpaces.split(separator: "|").map { $0.trimmedSpaces }.filter { !$0.isEmpty }
            return cells.joined(separator: " | ")
        }
        return String(s)
    }
}
