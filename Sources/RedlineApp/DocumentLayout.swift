import PolicyCore
import TerminalUI

/// Match ranges to highlight in a document: clause index → ranges with a style per query term.
public typealias Highlights = [Int: [(range: Range<Int>, style: Style)]]

/// Lays a policy out for the reader: headings, wrapped paragraphs with inline styles, bullet
/// lists with hanging indents, tables as columns (or as records when too narrow), provenance.
enum DocumentLayout {
    /// `tags`: clause index → its category tag, shown dim after the clause.
    static func lines(_ doc: PolicyDocument, width: Int, highlights: Highlights, showLinks: Bool, unicode: Bool,
                      tags: [Int: String] = [:]) -> [Line] {
        var out: [Line] = []
        let bullet = unicode ? "• " : "* "
        var clauseIndex = 0
        // The policy's own title first ("Privacy Policy | JamesAllen.com"), as `show` prints it; of
        // no section, so that no section's heading is taken for it (`headingStart`).
        if !doc.title.isEmpty, let first = doc.allSections.first {
            for l in Wrapper.wrap(doc.title, width: width, styleAt: { _ in Style(.title, [.bold]) }) { out.append(Line(l, section: nil)) }
            // A blank row before the text (a heading brings its own).
            if first.isPreamble { out.append(Line(section: nil)) }
        }
        for section in doc.allSections {
            if !section.isPreamble {
                if !out.isEmpty { out.append(Line(section: section.path)) }
                let indent = String(repeating: "  ", count: max(0, section.level - 1))
                // A heading that was empty in the source: its text follows, so no excerpt of it here.
                let heading = section.titleIsExcerpt ? "(untitled section)" : section.title
                let style = section.titleIsExcerpt ? Style(.dim, [.italic]) : Style(.heading, [.bold])
                for l in Wrapper.wrap(heading, width: width - indent.count, styleAt: { _ in style }) {
                    out.append(Line([Run(indent)] + l, section: section.path))
                }
                out.append(Line(section: section.path))
            }
            var k = 0
            let clauses = section.clauses
            while k < clauses.count {
                let clause = clauses[k]
                if clause.kind == .tableHeader || clause.kind == .tableRow {
                    let end = TableGrid.end(of: clauses, from: k)
                    out += table(Array(clauses[k..<end]), firstIndex: clauseIndex, width: width, section: section.path,
                                 highlights: highlights, unicode: unicode, tags: tags, showLinks: showLinks)
                    clauseIndex += end - k
                    k = end
                    continue
                }
                let marks = highlights[clauseIndex] ?? []
                // With `u`, each link's target right after it (styled dim: it is not the clause's text).
                var (text, origin) = showLinks ? withTargets(clause.text, clause.styles) : (clause.text, nil)
                let tagStart = text.unicodeScalars.count
                if let tag = tags[clauseIndex], !tag.isEmpty { text += " " + tag }
                let base = styler(clause, marks)
                let styleAt = { (i: Int) -> Style in
                    if i > tagStart { return Style(.tag, [.italic]) }
                    guard let origin else { return base(i) }
                    return i < origin.count ? origin[i].map(base) ?? Style(.dim) : base(i)
                }
                // A hard line break's space, where it lands in the text shown.
                var breaks = Set(clause.lineBreaks)
                if let origin, !breaks.isEmpty {
                    breaks = Set(origin.indices.filter { origin[$0].map(breaks.contains) ?? false })
                }
                let wrapped: [[Run]]
                if clause.kind == .listItem {
                    // An ordered item keeps its number; its text hangs after it.
                    let pad = String(repeating: "  ", count: clause.depth)
                    let mark = clause.marker.map { $0 + " " } ?? bullet
                    wrapped = Wrapper.wrap(text, width: width, firstPrefix: Run(pad + mark), indent: pad.count + TextWidth.columns(mark),
                                           breaks: breaks, styleAt: styleAt)
                } else {
                    // A numbered paragraph ("3 We collect …") keeps its number before it, its text hanging after it.
                    let mark = clause.marker.map { $0 + " " }
                    wrapped = Wrapper.wrap(text, width: width, firstPrefix: mark.map { Run($0) }, indent: mark.map(TextWidth.columns) ?? 0,
                                           breaks: breaks, styleAt: styleAt)
                }
                for l in wrapped { out.append(Line(l, section: section.path, clause: clauseIndex)) }
                let nextIsItem = k + 1 < clauses.count && clauses[k + 1].kind == .listItem && clause.kind == .listItem
                if !nextIsItem { out.append(Line(section: section.path)) }
                clauseIndex += 1
                k += 1
            }
        }
        return out
    }

    /// `text` with the target of each of its links that does not write it out (" <url>") right after
    /// the link (after the rest of a word the link ends inside), and for each scalar of the result
    /// its offset in `text` (nil for a target's).
    static func withTargets(_ text: String, _ styles: [InlineStyle]) -> (text: String, origin: [Int?]) {
        let scalars = Array(text.unicodeScalars)
        func wordGoesOn(_ s: Unicode.Scalar) -> Bool {
            Tokenizer.isWordScalar(s) || s.value == 0x200D || (0xFE00...0xFE0F).contains(s.value)
        }
        let links = styles.compactMap { style -> (end: Int, url: String)? in
            guard let url = shownTarget(style, of: text) else { return nil }
            var end = min(style.end, scalars.count)
            while end > 0, end < scalars.count, wordGoesOn(scalars[end - 1]), wordGoesOn(scalars[end]) { end += 1 }
            return (end, url)
        }.sorted { $0.end < $1.end }
        var out = String.UnicodeScalarView(), origin: [Int?] = []
        var next = 0
        func copy(to end: Int) {
            while next < min(end, scalars.count) { out.append(scalars[next]); origin.append(next); next += 1 }
        }
        for link in links {
            copy(to: link.end)
            for s in (" <" + link.url + ">").unicodeScalars { out.append(s); origin.append(nil) }
        }
        copy(to: scalars.count)
        return (String(out), origin)
    }

    /// " <url> <url>": the targets of the links that start in `range` and are not written in `text`.
    static func linkTargets(_ styles: [InlineStyle], in range: Range<Int>, of text: String) -> String {
        let urls = styles.filter { range.contains($0.start) }.compactMap { shownTarget($0, of: text) }
        return urls.isEmpty ? "" : " <" + urls.joined(separator: "> <") + ">"
    }

    /// The target `u` shows for `style`: a link's, unless it is empty or `text` writes it out.
    static func shownTarget(_ style: InlineStyle, of text: String) -> String? {
        guard style.kind == .link, let url = style.url, !url.isEmpty, !text.contains(url) else { return nil }
        return url
    }

    /// Style of each scalar of a clause: inline styles, then search matches on top.
    static func styler(_ clause: Clause, _ marks: [(range: Range<Int>, style: Style)]) -> (Int) -> Style {
        let styles = clause.styles
        return { i in
            for m in marks where m.range.contains(i) { return m.style }
            var attributes: Attributes = []
            var role = Role.normal
            for s in styles where s.start <= i && i < s.end {
                switch s.kind {
                case .bold: attributes.insert(.bold)
                case .italic: attributes.insert(.italic)
                case .link: role = .link; attributes.insert(.underline)
                case .lineBreak: break
                }
            }
            return Style(role, attributes)
        }
    }

    /// Scalar offset of each displayed cell within the row's clause text ("a | b | c"); nil for empty cells.
    static func partOffsets(_ texts: [String]) -> [Int?] {
        var offset = 0
        var out: [Int?] = []
        for t in texts {
            if t.isEmpty { out.append(nil); continue }
            out.append(offset)
            offset += t.unicodeScalars.count + 3
        }
        return out
    }

    /// Each column's width out of `width` (the separators' columns taken out already), from the
    /// widest cell of each (`natural`), as a browser lays out an automatic table: a column that
    /// fits in an equal share of what is left gets what it needs; the others share the rest in
    /// proportion to what they hold, none below 14. Nil when the columns cannot all get 14 (or
    /// what they need, if less): then the table is laid out as records.
    static func columnWidths(natural: [Int], width: Int) -> [Int]? {
        let natural = natural.map { max(1, $0) }
        guard natural.map({ min($0, 14) }).reduce(0, +) <= width else { return nil }
        var widths = natural
        var open = Set(natural.indices), room = width
        // Columns that fit in an equal share take what they need, until none does.
        while case let fitting = open.filter({ natural[$0] <= room / max(1, open.count) }), !fitting.isEmpty {
            for n in fitting { room -= natural[n]; open.remove(n) }
        }
        // The rest in proportion; one that would fall below 14 gets 14, and the others share again.
        while !open.isEmpty {
            let total = open.reduce(0) { $0 + natural[$1] }
            let narrow = open.filter { room * natural[$0] / total < 14 }
            guard narrow.isEmpty else {
                for n in narrow { widths[n] = 14; room -= 14; open.remove(n) }
                continue
            }
            let order = open.sorted()
            for n in order { widths[n] = room * natural[n] / total }
            for n in order.prefix(room - order.reduce(0) { $0 + widths[$1] }) { widths[n] += 1 }
            break
        }
        return widths
    }

    /// A table: columns sized to what they hold when each gets at least 14 columns of width (or
    /// all it needs), else one record per row.
    static func table(_ clauses: [Clause], firstIndex: Int, width: Int, section: String, highlights: Highlights,
                      unicode: Bool, tags: [Int: String] = [:], showLinks: Bool = false) -> [Line] {
        var out: [Line] = []
        let header = clauses.first { $0.kind == .tableHeader }
        let rows = clauses.enumerated().filter { $0.element.kind == .tableRow }
        // Columns as `show` prints them: a column of row titles when a row has its own, spacers left out.
        let grid = TableGrid(clauses)
        let titled = TableGrid.hasOwnTitle
        let hasTitles = grid.hasTitles
        let headers = grid.shown(header.map(grid.parts) ?? [])
        let columnCount = grid.kept.count
        let sep = unicode ? " │ " : " | "
        func cellsOf(_ c: Clause) -> [String] { grid.shown(grid.parts(c)) }
        /// A part of a row as shown (with its links' targets after it when they are shown), and the
        /// style of each of its scalars: the row's own (links, emphasis, matches) from `start` in
        /// the row's text, plain for what was added.
        func shownText(_ text: String, start: Int?, row: Clause?) -> String {
            guard showLinks, let row, let start else { return text }
            return text + linkTargets(row.styles, in: start..<(start + text.unicodeScalars.count), of: text)
        }
        func shown(_ text: String, start: Int?, row: Clause?, marks: [(range: Range<Int>, style: Style)], base: Style)
            -> (text: String, styleAt: (Int) -> Style) {
            guard let row, let start else { return (text, { _ in base }) }
            let length = text.unicodeScalars.count
            let out = shownText(text, start: start, row: row)
            let inline = styler(row, marks)
            return (out, { i in
                guard i < length else { return base }
                let s = inline(start + i)
                return s == .normal ? base : s
            })
        }
        // Each column as wide as its widest cell as shown (with its links' targets when they are).
        var natural = headers.prefix(columnCount).map { TextWidth.columns($0) } + Array(repeating: 0, count: max(0, columnCount - headers.count))
        for (_, row) in rows {
            let texts = cellsOf(row), offsets = partOffsets(texts)
            for (n, text) in texts.prefix(columnCount).enumerated() {
                natural[n] = max(natural[n], TextWidth.columns(shownText(text, start: n < offsets.count ? offsets[n] : nil, row: row)))
            }
        }
        let widths = columnCount > 1 ? columnWidths(natural: natural, width: width - (columnCount - 1) * 3) : nil
        if let widths {
            func emit(_ texts: [String], _ style: Style, clause: Int?, row: Clause?, marks: [(range: Range<Int>, style: Style)]) {
                let offsets = partOffsets(texts)
                let wrapped = (0..<columnCount).map { n -> [[Run]] in
                    let part = shown(n < texts.count ? texts[n] : "", start: n < offsets.count ? offsets[n] : nil,
                                     row: row, marks: marks, base: style)
                    return Wrapper.wrap(part.text, width: widths[n], styleAt: part.styleAt)
                }
                let height = wrapped.map(\.count).max() ?? 1
                for r in 0..<height {
                    var runs: [Run] = []
                    for n in 0..<columnCount {
                        let cell = r < wrapped[n].count ? wrapped[n][r] : []
                        let used = cell.reduce(0) { $0 + TextWidth.columns($1.text) }
                        runs += cell
                        if n < columnCount - 1 { runs.append(Run(String(repeating: " ", count: max(0, widths[n] - used)) + sep, Style(.border))) }
                    }
                    out.append(Line(runs, section: section, clause: clause))
                }
                let rule = unicode ? "─" : "-"
                out.append(Line([Run(String(repeating: rule, count: width), Style(.border))], section: section, clause: clause))
            }
            if header != nil {
                let index = clauses.firstIndex { $0.kind == .tableHeader }.map { firstIndex + $0 }
                emit(headers, Style(.heading, [.bold]), clause: index, row: nil, marks: [])
            }
            for (offset, row) in rows {
                let index = firstIndex + offset
                emit(cellsOf(row), .normal, clause: index, row: row, marks: highlights[index] ?? [])
                if let tag = tags[index], !tag.isEmpty {
                    // The rule under the row carries its tag at the right.
                    let label = " " + tag + " "
                    let rule = out.removeLast()
                    let ruleText = rule.runs.first?.text ?? ""
                    let keep = max(0, TextWidth.columns(ruleText) - TextWidth.columns(label) - 1)
                    out.append(Line([Run(String(ruleText.prefix(keep)), Style(.border)), Run(label, Style(.tag, [.italic])),
                                     Run(String(ruleText.prefix(1)), Style(.border))], section: section, clause: index))
                }
            }
        } else {
            for (offset, row) in rows {
                let index = firstIndex + offset
                let marks = highlights[index] ?? []
                let offsets = partOffsets(grid.parts(row))
                // The record's title is its own, or its first non-empty cell (not repeated below), styled as it is.
                let shift = hasTitles ? 1 : 0
                let titleCell = titled(row) ? nil : row.cells.firstIndex { !$0.text.isEmpty }
                let titleStart = titleCell.map { $0 + shift < offsets.count ? offsets[$0 + shift] : nil } ?? (offsets.first ?? nil)
                let title = shown(titleCell.map { row.cells[$0].text } ?? row.rowTitle ?? "", start: titleStart, row: row, marks: marks,
                                  base: Style(.heading, [.bold]))
                let tag = tags[index].map { " " + $0 } ?? ""
                let titleEnd = title.text.unicodeScalars.count
                for l in Wrapper.wrap(title.text + tag, width: width, firstPrefix: Run(unicode ? "▸ " : "> "), indent: 2,
                                      styleAt: { i in i > titleEnd ? Style(.tag, [.italic]) : title.styleAt(i) }) {
                    out.append(Line(l, section: section, clause: index))
                }
                for (n, cell) in row.cells.enumerated() where n != titleCell && !cell.text.isEmpty {
                    // A header longer than the row is cut, so the cell's text still starts on it.
                    let label = cell.header.map { TextWidth.truncate($0, to: max(4, width * 2 / 3)) + ": " } ?? ""
                    let part = shown(cell.text, start: n + shift < offsets.count ? offsets[n + shift] : nil, row: row, marks: marks, base: .normal)
                    for l in Wrapper.wrap(part.text, width: width, firstPrefix: Run("  " + label, Style(.dim, [.bold])), indent: 4,
                                          styleAt: part.styleAt) {
                        out.append(Line(l, section: section, clause: index))
                    }
                }
                out.append(Line(section: section))
            }
        }
        out.append(Line(section: section))
        return out
    }
}
