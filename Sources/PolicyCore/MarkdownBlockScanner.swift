import Foundation

/// A block-level element of a Markdown policy.
enum MarkdownBlock {
    case heading(level: Int, text: String, line: Int)
    case paragraph(text: String, line: Int)
    case listItem(depth: Int, text: String, line: Int)
    case table(MarkdownTable)
}

/// Splits Markdown lines into blocks: headings, paragraphs, list items, tables.
struct MarkdownBlockScanner {
    let lines: [String]
    let start: Int

    private static let headingRegex = try! NSRegularExpression(pattern: "^ {0,3}(#{1,6})(?:[ \\t]+|$)(.*)$")
    private static let listRegex = try! NSRegularExpression(pattern: "^([ \\t]*)(?:[*+\\-]|\\d{1,3}[.)])[ \\t]+(.*)$")
    private static let delimiterRegex = try! NSRegularExpression(pattern: "^\\s*\\|?\\s*:?-{3,}:?\\s*(?:\\|\\s*:?-{3,}:?\\s*)+\\|?\\s*$")
    private static let ruleRegex = try! NSRegularExpression(pattern: "^\\s*(?:(?:-\\s*){3,}|(?:\\*\\s*){3,}|(?:_\\s*){3,})$")

    static func match(_ re: NSRegularExpression, _ s: String) -> [String]? {
        let ns = s as NSString
        guard let m = re.firstMatch(in: s, range: NSRange(location: 0, length: ns.length)) else { return nil }
        return (0..<m.numberOfRanges).map { m.range(at: $0).location == NSNotFound ? "" : ns.substring(with: m.range(at: $0)) }
    }

    static func isBlank(_ s: String) -> Bool { s.allSatisfy { $0 == " " || $0 == "\t" } }
    static func isDelimiter(_ s: String) -> Bool { s.contains(Character("|")) && match(delimiterRegex, s) != nil }
    static func isRule(_ s: String) -> Bool { match(ruleRegex, s) != nil }
    static func listMatch(_ s: String) -> (indent: Int, text: String)? {
        guard let m = match(listRegex, s) else { return nil }
        let indent = m[1].reduce(0) { $0 + ($1 == "\t" ? 4 : 1) }
        return (indent, m[2])
    }
    static func headingMatch(_ s: String) -> (Int, String)? {
        guard s.hasPrefix("#") || s.hasPrefix(" "), let m = match(headingRegex, s) else { return nil }
        var text = m[2].trimmedSpaces
        while text.hasSuffix("#") { text.removeLast() }
        return (m[1].count, text.trimmedSpaces)
    }

    func scan() -> [MarkdownBlock] {
        var blocks: [MarkdownBlock] = []
        var i = start
        var listIndents: [Int] = []
        let n = lines.count
        while i < n {
            let line = lines[i]
            if Self.isBlank(line) { i += 1; continue }
            if let (level, text) = Self.headingMatch(line) {
                blocks.append(.heading(level: level, text: text, line: i + 1))
                listIndents.removeAll()
                i += 1; continue
            }
            if i + 1 < n, line.contains(Character("|")), Self.isDelimiter(lines[i + 1]) {
                let (table, next) = MarkdownTable.parse(lines, headerAt: i)
                blocks.append(.table(table))
                listIndents.removeAll()
                i = next; continue
            }
            if Self.isRule(line) || Self.isDelimiter(line) { i += 1; continue }
            if let item = Self.listMatch(line) {
                while let last = listIndents.last, item.indent < last - 1 { listIndents.removeLast() }
                if listIndents.isEmpty || item.indent > listIndents[listIndents.count - 1] + 1 { listIndents.append(item.indent) }
                var text = item.text
                let startLine = i + 1
                i += 1
                // Continuation lines: indented deeper than the marker, not a new block.
                while i < n, !Self.isBlank(lines[i]), Self.listMatch(lines[i]) == nil, Self.headingMatch(lines[i]) == nil,
                      lines[i].prefix(while: { $0 == " " }).count > item.indent, !lines[i].contains(Character("|")) {
                    text += "\n" + lines[i].trimmedSpaces
                    i += 1
                }
                blocks.append(.listItem(depth: listIndents.count - 1, text: text, line: startLine))
                continue
            }
            // A paragraph: lines up to a blank line or the start of another block.
            let startLine = i + 1
            var parts: [String] = []
            while i < n {
                let l = lines[i]
                if Self.isBlank(l) || Self.headingMatch(l) != nil || (!parts.isEmpty && Self.listMatch(l) != nil) { break }
                if !parts.isEmpty, i + 1 < n, l.contains(Character("|")), Self.isDelimiter(lines[i + 1]) { break }
                if !parts.isEmpty, Self.isRule(l) { break }
                parts.append(Self.paragraphLine(l))
                i += 1
            }
            if parts.isEmpty { i += 1; continue }
            listIndents.removeAll()
            blocks.append(.paragraph(text: parts.joined(separator: "\n"), line: startLine))
        }
        return blocks
    }

    /// A paragraph line with blockquote markers and stray table pipes removed.
    static func paragraphLine(_ l: String) -> String {
        var s = Substring(l)
        while s.first == ">" { s = s.dropFirst().drop { $0 == " " } }
        let trimmed = s.trimmedSpaces
        if trimmed.hasPrefix("|") || trimmed.hasSuffix("|") || trimmed.contains(" | ") {
            let cells = trimmed.split(separator: "|").map { $0.trimmedSpaces }.filter { !$0.isEmpty }
            return cells.joined(separator: " ")
        }
        return String(s)
    }
}
