import Foundation

/// A pipe table, including the mangled multi-line tables the Wayback extractor produces.
struct MarkdownTable {
    struct Row {
        var title: Styled?
        var cells: [Styled]
        var line: Int
    }

    /// A cell's text without markup, and its inline styles (links, emphasis) at scalar offsets.
    struct Styled {
        var text: String
        var styles: [InlineStyle] = []

        init(text: String, styles: [InlineStyle] = []) {
            self.text = text
            self.styles = styles
        }

        init(markdown: String) {
            let inline = InlineMarkdown(markdown)
            self.init(text: inline.text, styles: inline.styles)
        }

        /// `parts` joined by `separator`, each part's styles moved to where it lands.
        static func joined(_ parts: [Styled], separator: String) -> Styled {
            var out = Styled(text: "")
            var offset = 0
            for (n, part) in parts.enumerated() {
                if n > 0 {
                    out.text += separator
                    offset += separator.unicodeScalars.count
                }
                out.styles += part.styles.map { var s = $0; s.start += offset; s.end += offset; return s }
                out.text += part.text
                offset += part.text.unicodeScalars.count
            }
            return out
        }
    }

    var headers: [String]
    var headerLine: Int
    var rows: [Row]

    /// Parses the table whose header is at `headerAt`; returns it and the index after it.
    static func parse(_ lines: [String], headerAt h: Int) -> (MarkdownTable, Int) {
        let headers = splitCells(lines[h]).map { InlineMarkdown($0).text }
        let columns = max(headers.count, splitCells(lines[h + 1]).count)
        let headerHasOuterBar = lines[h].trimmedSpaces.hasPrefix("|")
        var j = h + 2
        var rows: [Row] = []
        // A well-formed table: consecutive lines with pipes.
        var k = j
        while true {
            while k < lines.count {
                if MarkdownBlockScanner.containsBar(lines[k]), !MarkdownBlockScanner.isDelimiter(lines[k]) || k > j { k += 1; continue }
                // A cell going on to the next line after a hard break (spotify.com 2018's recipients),
                // when a row follows those lines: the extractor ends every row with two spaces, so a
                // paragraph right under a table would read as one otherwise.
                func goesOn(_ l: String) -> Bool {
                    !MarkdownBlockScanner.isBlank(l) && MarkdownBlockScanner.headingMatch(l) == nil && MarkdownBlockScanner.listMatch(l) == nil
                        && !MarkdownBlockScanner.isRule(l) && !MarkdownBlockScanner.containsBar(l)
                }
                if k > j, MarkdownBlockScanner.endsInHardBreak(lines[k - 1]), goesOn(lines[k]) {
                    var m = k
                    while m < lines.count, goesOn(lines[m]), MarkdownBlockScanner.endsInHardBreak(lines[m - 1]) { m += 1 }
                    if m < lines.count, m > k, MarkdownBlockScanner.containsBar(lines[m]), !MarkdownBlockScanner.isDelimiter(lines[m]),
                       !(m + 1 < lines.count && MarkdownBlockScanner.isDelimiter(lines[m + 1])) {
                        k = m; continue
                    }
                }
                break
            }
            // The extractor leaves blank lines inside tables (bangor.ac.uk 2013's cookies): rows go on
            // after them when the next lines are rows with the table's columns (or a row of empty
            // cells) and head no table of their own; a lone line of links under a table stays text.
            var m = k
            while m < lines.count, MarkdownBlockScanner.isBlank(lines[m]) { m += 1 }
            let resumed = m < lines.count ? splitCells(lines[m]) : []
            guard m > k, m < lines.count, MarkdownBlockScanner.containsBar(lines[m]), !MarkdownBlockScanner.isDelimiter(lines[m]),
                  !(m + 1 < lines.count && MarkdownBlockScanner.isDelimiter(lines[m + 1])),
                  resumed.allSatisfy(\.isEmpty)
                    || (resumed.count == columns && m + 1 < lines.count && MarkdownBlockScanner.containsBar(lines[m + 1]))
            else { break }
            k = m
        }
        let closing = findClosing(lines, from: j)
        let mangled = closing.map { c in
            (j..<c).contains { MarkdownBlockScanner.listMatch(lines[$0]) != nil || (!MarkdownBlockScanner.containsBar(lines[$0]) && !MarkdownBlockScanner.isBlank(lines[$0])) }
        } ?? false
        if mangled, let c = closing {
            rows = mangledRows(lines, j..<c, columns: columns)
            j = c + 1
        } else if closing == nil, let end = listCellsEnd(lines, from: j, columns: columns) {
            rows = listCellRows(lines, j..<end, columns: columns)
            j = end
        } else {
            while j < k {
                if MarkdownBlockScanner.isDelimiter(lines[j]) || MarkdownBlockScanner.isBlank(lines[j]) { j += 1; continue }
                if !MarkdownBlockScanner.containsBar(lines[j]) {
                    // The last cell of the row above goes on here.
                    let more = Styled(markdown: lines[j].trimmedSpaces)
                    if var row = rows.popLast(), let n = row.cells.lastIndex(where: { !$0.text.isEmpty }) {
                        row.cells[n] = Styled.joined([row.cells[n], more], separator: " ")
                        rows.append(row)
                    } else if !more.text.isEmpty {
                        rows.append(Row(title: nil, cells: [more], line: j + 1))
                    }
                    j += 1; continue
                }
                var cells = splitCells(lines[j]).map { Styled(markdown: $0) }
                // A header written without outer bars makes a row's leading bar a separator: the
                // row's first cell is empty (`  |   | 8671 Robert Fulton Drive` under `Write to us: |   | Pandora`).
                if cells.count == columns - 1, !headerHasOuterBar, lines[j].trimmedSpaces.hasPrefix("|") {
                    cells.insert(Styled(text: ""), at: 0)
                }
                if cells.contains(where: { !$0.text.isEmpty }) { rows.append(Row(title: nil, cells: cells, line: j + 1)) }
                j += 1
            }
        }
        return (MarkdownTable(headers: headers, headerLine: h + 1, rows: rows), j)
    }

    /// The end of a table whose cells hold lists, with no closing line (spotify.com 2018's purposes,
    /// legal bases and data): a row opens with its first cell and a bar (`To provide the service. | `),
    /// each list fills the cell it follows, and a line of a bar alone (`| `) opens the next cell.
    /// The table runs over blank lines, such lines and lists, each list following an open line (a
    /// bar last, one cell with text at most), up to anything else; nil when no list follows one.
    private static func listCellsEnd(_ lines: [String], from: Int, columns: Int) -> Int? {
        var k = from, open = false, lists = 0
        while k < lines.count {
            let line = lines[k]
            if MarkdownBlockScanner.isBlank(line) { k += 1; continue }
            if MarkdownBlockScanner.headingMatch(line) != nil || MarkdownBlockScanner.isDelimiter(line) { break }
            if MarkdownBlockScanner.listMatch(line) != nil, !MarkdownBlockScanner.containsBar(line) {
                guard open else { break }
                lists += 1
                k += 1; continue
            }
            guard MarkdownBlockScanner.containsBar(line) else { break }
            let trimmed = line.trimmedSpaces
            let cells = splitCells(line)
            open = trimmed.hasSuffix("|") && cells.count < columns && cells.filter { !$0.isEmpty }.count <= 1
            k += 1
        }
        guard lists > 0 else { return nil }
        // Trailing blank lines are not the table's.
        while k > from, MarkdownBlockScanner.isBlank(lines[k - 1]) { k -= 1 }
        return k
    }

    /// The rows of `listCellsEnd`'s table: a new row at each line whose first cell has text.
    private static func listCellRows(_ lines: [String], _ range: Range<Int>, columns: Int) -> [Row] {
        var rows: [Row] = []
        var start: Int?
        func close(_ end: Int) {
            guard let s = start else { return }
            let kinds: [LineKind] = (s..<end).map { idx in
                let l = lines[idx]
                if MarkdownBlockScanner.isBlank(l) { return .blank }
                if let item = MarkdownBlockScanner.listMatch(l), !MarkdownBlockScanner.containsBar(item.text) { return .item(item.text) }
                return .piped(l)
            }
            let cells = cellTexts(kinds[...], columns: columns)
            if cells.contains(where: { !$0.text.isEmpty }) { rows.append(Row(title: nil, cells: cells, line: s + 1)) }
        }
        for idx in range where MarkdownBlockScanner.containsBar(lines[idx]) && !(splitCells(lines[idx]).first ?? "").isEmpty {
            close(idx)
            start = idx
        }
        close(range.upperBound)
        return rows
    }

    /// The closing `---|---` line of a mangled table, before the next heading.
    private static func findClosing(_ lines: [String], from: Int) -> Int? {
        var k = from
        while k < lines.count {
            if MarkdownBlockScanner.headingMatch(lines[k]) != nil { return nil }
            if MarkdownBlockScanner.isDelimiter(lines[k]) {
                // A line of cells after a blank line, right above this one, heads a table of its
                // own: this delimiter is that table's (an empty layout table ends where it is).
                if k - 2 >= from, MarkdownBlockScanner.containsBar(lines[k - 1]), MarkdownBlockScanner.isBlank(lines[k - 2]),
                   splitCells(lines[k - 1]).count == splitCells(lines[k]).count {
                    return nil
                }
                return k
            }
            k += 1
        }
        return nil
    }

    static func splitCells(_ line: String) -> [String] {
        var t = line.trimmedSpaces
        if t.hasPrefix("|") { t.removeFirst() }
        if t.hasSuffix("|") { t.removeLast() }
        var cells: [String] = []
        var current = ""
        var escaped = false
        for ch in t {
            if escaped { current.append(ch); escaped = false; continue }
            if ch == "\\" { current.append(ch); escaped = true; continue }
            if ch == "|" { cells.append(current.trimmedSpaces); current = ""; continue }
            current.append(ch)
        }
        cells.append(current.trimmedSpaces)
        return cells
    }

    private enum LineKind { case blank, item(String), separator, plain(String), piped(String) }

    /// Rebuilds rows of a table whose cells were spread over many lines: a row starts at its lead line
    /// (plain text directly followed by a list), and `|` separates its cells.
    private static func mangledRows(_ lines: [String], _ range: Range<Int>, columns: Int) -> [Row] {
        let kinds: [LineKind] = range.map { idx in
            let l = lines[idx]
            if MarkdownBlockScanner.isBlank(l) { return .blank }
            if MarkdownBlockScanner.isRule(l) { return .separator }
            if let item = MarkdownBlockScanner.listMatch(l), !MarkdownBlockScanner.containsBar(item.text) { return .item(item.text) }
            if MarkdownBlockScanner.containsBar(l) { return .piped(l) }
            return .plain(l.trimmedSpaces)
        }
        // Runs of plain lines followed (after blanks) by a list item are row leads.
        var leads: [(lines: [Int], startOffset: Int)] = []
        var r = 0
        while r < kinds.count {
            guard case .plain = kinds[r] else { r += 1; continue }
            var e = r
            while e < kinds.count, case .plain = kinds[e] { e += 1 }
            var f = e
            while f < kinds.count, case .blank = kinds[f] { f += 1 }
            if f < kinds.count, case .item = kinds[f] {
                let run = Array(r..<e)
                leads.append(leads.isEmpty && !hasContent(kinds[0..<r]) ? (run, r) : ([e - 1], e - 1))
            }
            r = e
        }
        var rows: [Row] = []
        if leads.isEmpty {
            return [Row(title: nil, cells: cellTexts(kinds[...], columns: columns), line: range.lowerBound + 1)]
        }
        if hasContent(kinds[0..<leads[0].startOffset]) {
            rows.append(Row(title: nil, cells: cellTexts(kinds[0..<leads[0].startOffset], columns: columns), line: range.lowerBound + 1))
        }
        for (n, lead) in leads.enumerated() {
            let bodyStart = (lead.lines.last ?? lead.startOffset) + 1
            let bodyEnd = n + 1 < leads.count ? leads[n + 1].startOffset : kinds.count
            let title = Styled.joined(lead.lines.compactMap { idx -> Styled? in
                if case .plain(let t) = kinds[idx] { return Styled(markdown: t) } else { return nil }
            }, separator: " / ")
            rows.append(Row(title: title, cells: cellTexts(kinds[bodyStart..<bodyEnd], columns: columns),
                            line: range.lowerBound + lead.startOffset + 1))
        }
        return rows
    }

    private static func hasContent(_ kinds: ArraySlice<LineKind>) -> Bool {
        kinds.contains { if case .blank = $0 { return false }; if case .separator = $0 { return false }; return true }
    }

    /// Splits a row body at `|` into cells; pieces inside a cell are joined with "; ".
    private static func cellTexts(_ kinds: ArraySlice<LineKind>, columns: Int) -> [Styled] {
        var cells: [[Styled]] = [[]]
        func add(_ s: String) {
            let t = Styled(markdown: s)
            if !t.text.isEmpty { cells[cells.count - 1].append(t) }
        }
        for kind in kinds {
            switch kind {
            case .blank, .separator: continue
            case .item(let t), .plain(let t): add(t)
            case .piped(let l):
                var t = l.trimmedSpaces
                if let item = MarkdownBlockScanner.listMatch(t) { t = item.text }
                let parts = t.split(separator: "|", omittingEmptySubsequences: false)
                for (p, part) in parts.enumerated() {
                    if p > 0 { cells.append([]) }
                    add(String(part))
                }
            }
        }
        var texts = cells.map { Styled.joined($0, separator: "; ") }
        // Nested tables leave empty cells behind: drop them until the row fits the header.
        while texts.count > columns, let empty = texts.lastIndex(where: { $0.text.isEmpty }) { texts.remove(at: empty) }
        if texts.count > columns, columns > 0 {
            let extra = Styled.joined(texts[(columns - 1)...].filter { !$0.text.isEmpty }, separator: "; ")
            texts = Array(texts[..<(columns - 1)]) + [extra]
        }
        while texts.count < columns { texts.append(Styled(text: "")) }
        return texts
    }

    /// The table as clauses: a header clause, then one clause per row with labelled cells.
    func clauses() -> [Clause] {
        var out: [Clause] = []
        let labels = headers.map { $0.isEmpty ? nil : $0 }
        if headers.contains(where: { !$0.isEmpty }) {
            let text = headers.filter { !$0.isEmpty }.joined(separator: " | ")
            out.append(Clause(kind: .tableHeader, text: text,
                              cells: headers.map { TableCell(header: nil, text: $0) }, line: headerLine))
        }
        for row in rows {
            let cells = row.cells.enumerated().map { i, cell in
                TableCell(header: i < labels.count ? labels[i] : nil, text: cell.text)
            }
            let parts = ([row.title].compactMap { $0 } + row.cells).filter { !$0.text.isEmpty }
            guard !parts.isEmpty else { continue }
            // The row's text is its parts joined, and so are their links and emphasis.
            let joined = Styled.joined(parts, separator: " | ")
            out.append(Clause(kind: .tableRow, text: joined.text, styles: joined.styles,
                              rowTitle: row.title?.text ?? row.cells.first(where: { !$0.text.isEmpty })?.text,
                              cells: cells, line: row.line))
        }
        return out
    }
}
