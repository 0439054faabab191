import Foundation
import PolicyCore
import TerminalUI

extension BrowserApp {
    /// Draws the whole frame for the current state.
    public func render() -> ScreenBuffer {
        var buf = ScreenBuffer(width: state.width, height: state.height)
        if isTooSmall {
            let lines = ["terminal too small", "\(state.width)×\(state.height), need \(Self.minimumSize.width)×\(Self.minimumSize.height)", "q quits"]
            for (n, l) in lines.enumerated() where n < state.height {
                buf.put(TextWidth.truncate(l, to: state.width), x: 0, y: n, style: Style(.warning, [.bold]))
            }
            return buf
        }
        switch state.mode {
        case .compare: renderCompare(&buf)
        case .topics: renderTopics(&buf)
        case .categoryCompare: renderCategoryCompare(&buf)
        case .changes: renderChanges(&buf)
        case .browse: renderBrowse(&buf)
        }
        if state.showFacts { renderFacts(&buf) }
        if state.searching || (!state.hits.isEmpty && state.searching) { renderSearch(&buf) }
        renderStatus(&buf)
        if state.showHelp { renderHelp(&buf) }
        noteShown()
        return unicode ? buf : Self.asciiFolded(buf)
    }

    /// The frame with every cell in ASCII (a non-UTF-8 locale), widths preserved.
    static func asciiFolded(_ buf: ScreenBuffer) -> ScreenBuffer {
        var out = buf
        for y in 0..<buf.height {
            var x = 0
            while x < buf.width {
                let cell = buf[x, y]
                guard !cell.grapheme.isEmpty, !cell.grapheme.allSatisfy(\.isASCII) else { x += 1; continue }
                let width = max(1, TextWidth.columns(cell.grapheme))
                let folded = Array(TextWidth.ascii(cell.grapheme).prefix(width))
                for k in 0..<width {
                    out[x + k, y] = Cell(k < folded.count ? String(folded[k]) : " ", cell.style)
                }
                x += width
            }
        }
        return out
    }

    var ascii: Bool { !unicode }

    // MARK: browse

    func renderBrowse(_ buf: inout ScreenBuffer) {
        let rects = paneRects()
        if let r = rects[.retailers], r.width > 0 { renderRetailers(&buf, r) }
        if let r = rects[.versions], r.width > 0 { renderVersions(&buf, r) }
        if let r = rects[.sections], r.width > 0 { renderSections(&buf, r) }
        if let r = rects[.reader], r.width > 0 { renderReader(&buf, r) }
    }

    /// A virtual list: only the visible rows are built (`row(k)`), so 100 000 entries cost nothing.
    func list(_ buf: inout ScreenBuffer, _ r: Rect, title: String, pane: AppState.Pane, list: inout ListState,
              count: Int, row: (Int) -> [Run]) {
        let focused = state.focus == pane
        buf.box(x: r.x, y: r.y, width: r.width, height: r.height, title: title, focused: focused, ascii: ascii)
        let height = r.height - 2
        list.clamp(count: count, height: height)
        for i in 0..<max(0, height) {
            let k = list.offset + i
            guard k < count else { break }
            let runs = row(k)
            let y = r.y + 1 + i
            let selected = k == list.selected
            var x = r.x + 1
            let marker = selected ? (unicode ? "▶" : ">") : " "
            x = buf.put(marker, x: x, y: y, style: Style(.selection, [.bold]), maxX: r.x + r.width - 1)
            for run in Self.clipped(runs, to: r.width - 3) { x = buf.put(run.text, x: x, y: y, style: run.style, maxX: r.x + r.width - 1) }
            if selected {
                let style = focused ? Style(.selection, [.reverse, .bold]) : Style(.selectionUnfocused, [.bold])
                for cx in (r.x + 1)..<(r.x + r.width - 1) {
                    var cell = buf[cx, y]
                    cell.style = Style(cell.style.role == .normal || cell.style.role == .dim ? style.role : cell.style.role,
                                       cell.style.attributes.union(style.attributes))
                    buf[cx, y] = cell
                }
            }
        }
    }

    /// `runs` within `width` columns: what does not fit is cut, and the last column says so ("…").
    static func clipped(_ runs: [Run], to width: Int) -> [Run] {
        guard width > 0 else { return [] }
        guard runs.reduce(0, { $0 + TextWidth.columns($1.text) }) > width else { return runs }
        var out: [Run] = [], used = 0
        for run in runs {
            let room = width - 1 - used
            if room <= 0 { break }
            if TextWidth.columns(run.text) <= room {
                out.append(run)
                used += TextWidth.columns(run.text)
                continue
            }
            let text = run.text[..<TextWidth.prefixEnd(run.text, fitting: room)]
            if !text.isEmpty { out.append(Run(String(text), run.style)) }
            break
        }
        out.append(Run("…", out.last?.style ?? .normal))
        return out
    }

    func renderRetailers(_ buf: inout ScreenBuffer, _ r: Rect) {
        let inner = r.width - 3
        let retailers = self.retailers
        if state.filtering {
            // The filter box: the query on the pane's title, matches below with their letters marked.
            let matches = state.filterMatches
            let positions = state.filterPositions
            let names = retailers.domainsAndNames()   // names only: no page of versions read for a match
            let row = { (k: Int) -> [Run] in
                let ret = names[matches[k]]
                let label = ret.name == ret.domain ? ret.name : ret.name + " " + ret.domain
                let marked = Set(positions[k])
                var runs: [Run] = []
                // The list cuts the row where the pane ends, with an ellipsis.
                for (i, c) in label.enumerated() {
                    let style = marked.contains(i) ? Style(.searchMatch, [.bold, .underline]) : (i >= ret.name.count ? Style(.dim) : .normal)
                    runs.append(Run(String(TextWidth.sanitise(c)), style))
                }
                return runs
            }
            var l = state.filterList
            let title = "Filter: " + state.filterText + (unicode ? "▏" : "_")
            list(&buf, r, title: title, pane: .retailers, list: &l, count: matches.count, row: row)
            state.filterList = l
            buf.cursor = (min(r.x + r.width - 2, r.x + 10 + TextWidth.columns(state.filterText)), r.y)
            if matches.isEmpty { buf.put("no retailer matches", x: r.x + 2, y: r.y + 1, style: Style(.dim, [.italic]), maxX: r.x + r.width - 1) }
            return
        }
        let row = { (k: Int) -> [Run] in
            let ret = retailers[k]
            let count = "\(ret.versions.count)"
            let name = TextWidth.truncate(ret.name, to: max(1, inner - count.count - 1))
            let pad = String(repeating: " ", count: max(1, inner - TextWidth.columns(name) - count.count))
            return [Run(name), Run(pad), Run(count, Style(.dim))]
        }
        var l = state.retailers
        list(&buf, r, title: "Retailers (\(retailers.count))", pane: .retailers, list: &l, count: retailers.count, row: row)
        state.retailers = l
        if let source = emptySource, retailers.isEmpty {
            putWrapped(&buf, "no policies in \(source)", in: r, y: r.y + 1, margin: 3, style: Style(.dim, [.italic]))
        }
    }

    /// Puts `text` in one style inside the box `r` from row `y`, wrapped at `margin` columns short of
    /// its width, as many rows as the box holds; the row after the last one put.
    @discardableResult
    func putWrapped(_ buf: inout ScreenBuffer, _ text: String, in r: Rect, y: Int, margin: Int, style: Style) -> Int {
        var y = y
        for piece in Wrapper.wrap(text, width: max(1, r.width - margin), styleAt: { _ in style }) where y < r.y + r.height - 1 {
            var x = r.x + 2
            for run in piece { x = buf.put(run.text, x: x, y: y, style: run.style, maxX: r.x + r.width - 1) }
            y += 1
        }
        return y
    }

    func renderVersions(_ buf: inout ScreenBuffer, _ r: Rect) {
        guard let retailer else {
            buf.box(x: r.x, y: r.y, width: r.width, height: r.height, title: "Versions (0)", focused: state.focus == .versions, ascii: ascii)
            return
        }
        let stats = history(retailer)
        let bars = unicode ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] : [".", ":", "-", "=", "+", "*", "#", "@"]
        let sizes = retailer.versions.map { v -> String in
            let words = wordCount(v)
            return " " + (words >= 1000 ? "\(words / 1000).\(words % 1000 / 100)k" : "\(words)") + "w"
        }
        // The bars give way to the sizes in a narrow pane (the marker, the date, a space and the size first).
        // (And the mark, when one of these versions carries it.)
        let markWidth = retailer.versions.contains { $0.id == state.marked } ? 2 : 0
        let barWidth = max(0, min(5, r.width - 3 - 11 - (sizes.map(\.count).max() ?? 0) - markWidth))
        let rows = retailer.versions.enumerated().map { n, v -> [Run] in
            var runs = [Run(v.archiveDate + " ")]
            let size = sizes[n]
            if n == 0 {
                // No change to draw: dots (blank in ASCII, whose lowest bar is a dot).
                runs.append(Run(String(repeating: unicode ? "·" : " ", count: barWidth), Style(.dim)))
            } else {
                let share = stats.indices.contains(n - 1) ? stats[n - 1].changedShare : 0
                let level = min(bars.count - 1, Int(share * Double(bars.count)))
                runs.append(Run(String(repeating: bars[level], count: barWidth), Style(.bar)))
            }
            runs.append(Run(size, Style(.dim)))
            if state.marked == v.id { runs.append(Run(unicode ? " ✓" : " *", Style(.warning, [.bold]))) }
            return runs
        }
        var l = state.versions
        let title = "Versions (\(retailer.versions.count))"
        list(&buf, r, title: title, pane: .versions, list: &l, count: rows.count, row: { rows[$0] })
        state.versions = l
        // Provenance under the list, when there is room.
        guard let doc = document else { return }
        var info: [String] = []
        let n = state.versions.selected
        if n > 0, stats.indices.contains(n - 1) {
            info.append("+\(stats[n - 1].addedWords) −\(stats[n - 1].removedWords) words since previous")
        }
        info.append("archived " + doc.archiveDate)
        if let u = doc.lastUpdated { info.append("updated  " + u) }
        info.append(doc.format == .flat ? "flat scrape (lower-cased)" : "Wayback Markdown")
        if let url = doc.snapshotURL { info.append(url) }
        let top = r.y + 1 + retailer.versions.count + 1
        var y = top
        for line in info { y = putWrapped(&buf, line, in: r, y: y, margin: 3, style: Style(.dim)) }
    }

    func renderSections(_ buf: inout ScreenBuffer, _ r: Rect) {
        let items = treeItems
        let rows = items.map { s -> [Run] in
            let indent = String(repeating: "  ", count: max(0, s.level - 1))
            let glyph = s.children.isEmpty ? " " : (state.collapsed.contains(s.path) ? (unicode ? "▸" : "+") : (unicode ? "▾" : "-"))
            let title = s.isPreamble ? "Preamble" : s.title
            // The preamble and sections whose heading was empty (titled by their opening words) in italics.
            return [Run(indent + glyph, Style(.dim)), Run(title, s.isPreamble || s.titleIsExcerpt ? Style(.dim, [.italic]) : .normal)]
        }
        var l = state.sections
        // Counted as `list` counts them: the preamble, a row of the tree, is no section.
        let sectionCount = document?.allSections.filter { !$0.isPreamble }.count ?? items.count
        list(&buf, r, title: "Sections (\(sectionCount))", pane: .sections, list: &l, count: rows.count, row: { rows[$0] })
        state.sections = l
    }

    func renderReader(_ buf: inout ScreenBuffer, _ r: Rect) {
        guard let doc = document, let retailer else {
            buf.box(x: r.x, y: r.y, width: r.width, height: r.height, title: "Reader", focused: state.focus == .reader, ascii: ascii)
            // An empty corpus says where it looked and what it reads.
            guard let source = emptySource else { return }
            // What to do first (a small window shows the start), then what Redline reads.
            let git = source.hasPrefix("git history of ")
            let text = ["No policies in \(source).", "",
                        "Open another: redline --data DIR (or REDLINE_DATA=DIR), or a git history: redline --git REPO. q quits.", "",
                        "Redline reads Wayback Markdown extracts (.md) and flat page scrapes (.txt with a 来源URL: header), "
                        + (git ? "in the files its commits add or change." : "in the folder and every folder below it.")]
            var y = r.y + 1
            for paragraph in text { y = putWrapped(&buf, paragraph, in: r, y: y, margin: 4, style: Style(.dim)) }
            return
        }
        let lines = readerLines()
        let height = r.height - 2
        state.readerOffset = max(0, min(state.readerOffset, max(0, lines.count - height)))
        let percent = lines.count <= height ? 100 : min(100, (state.readerOffset + height) * 100 / max(1, lines.count))
        let title = "\(retailer.name) · \(doc.archiveDate) · \(wordCount(doc)) words · \(percent)%"
        buf.box(x: r.x, y: r.y, width: r.width, height: r.height, title: title, focused: state.focus == .reader, ascii: ascii)
        for i in 0..<max(0, height) {
            let k = state.readerOffset + i
            guard lines.indices.contains(k) else { break }
            var x = r.x + 2
            let line = lines[k]
            // The clause the reader was last taken to (a hit opened sets it too): one mark.
            if let clause = line.clauseIndex, state.shownClause == .init(doc: doc.id, index: clause) {
                buf.put(unicode ? "▌" : ">", x: r.x + 1, y: r.y + 1 + i, style: Style(.searchMatch, [.bold]))
            }
            for run in line.runs { x = buf.put(run.text, x: x, y: r.y + 1 + i, style: run.style, maxX: r.x + r.width - 1) }
        }
        pinHeading(&buf, r, doc: doc, lines: lines)
    }

    /// When the top of the reader is inside a section whose heading has scrolled (even partly) out
    /// of sight, the first row shows that heading, whole or cut with "…", so the reader always says
    /// where it is.
    func pinHeading(_ buf: inout ScreenBuffer, _ r: Rect, doc: PolicyDocument, lines: [Line]) {
        let top = state.readerOffset
        guard r.height > 4, let start = Self.headingStart(of: top, in: lines), start < top,
              let path = lines[top].sectionPath, let section = doc.section(at: path) else { return }
        let title = section.titleIsExcerpt ? "(untitled section)" : section.title
        buf.fill(x: r.x + 1, y: r.y + 1, width: r.width - 2, height: 1)
        let text = TextWidth.truncate(title, to: max(1, r.width - 4))
        buf.put(text, x: r.x + 2, y: r.y + 1, style: Style(.heading, [.bold, .underline]), maxX: r.x + r.width - 1)
    }

    // MARK: search

    func renderSearch(_ buf: inout ScreenBuffer) {
        let w = state.width
        let h = max(5, min(state.height - 2, max(8, state.height * 2 / 3)))
        let r = Rect(0, 0, w, h)
        buf.fill(x: r.x, y: r.y, width: r.width, height: r.height)
        let versions = Set(state.hits.map(\.doc)).count
        let blank = state.query.allSatisfy(\.isWhitespace)
        // Enter on an empty prompt searches the last query again, as less and vim do: said.
        let count = blank ? (state.previousSearch.map { "type to search, or Enter: \"\($0.query)\" again" } ?? "type to search")
            : index == nil ? "waiting for the index"
            : state.searchPending ? "searching…"
            : "\(hitCount) hit\(state.hits.count == 1 ? "" : "s") in \(versions)\(state.hitsCapped ? "+" : "") version\(versions == 1 && !state.hitsCapped ? "" : "s")"
        // The cursor stays in view: a query longer than the room left beside the count shows the
        // words before the cursor after an ellipsis, and those after it as far as they fit.
        let showCount = w > count.count + 20
        let room = max(1, w - 4 - TextWidth.columns("Search: ") - 1 - (showCount ? count.count + 3 : 0))
        let at = state.query.index(state.query.startIndex, offsetBy: min(state.queryCursor ?? state.query.count, state.query.count))
        var before = String(state.query[..<at]), after = String(state.query[at...])
        // Some of what follows the cursor stays in view too (a quarter of the room, up to all of it).
        let keep = min(TextWidth.columns(after), max(3, room / 4))
        if TextWidth.columns(before) > room - keep {
            while TextWidth.columns(before) > room - keep - 1, !before.isEmpty { before.removeFirst() }
            before = "…" + before
        }
        let left = room - TextWidth.columns(before)
        if TextWidth.columns(after) > left { after = TextWidth.truncate(after, to: max(0, left)) }
        buf.box(x: r.x, y: r.y, width: r.width, height: r.height, title: "Search: " + before + (unicode ? "▏" : "_") + after,
                focused: true, ascii: ascii)
        if showCount { buf.put(" " + count + " ", x: w - count.count - 4, y: 0, style: Style(.title)) }
        buf.cursor = (min(w - 2, 10 + TextWidth.columns(before)), 0)
        let rowsAvailable = h - 2
        var l = state.hitList
        // Each hit takes two rows, where it is and its snippet, when there is room for two.
        let rowsPerHit = rowsAvailable >= 4 ? 2 : 1
        l.clamp(count: state.hits.count, height: max(1, rowsAvailable / rowsPerHit))
        state.hitList = l
        // Wide: where it is, then the snippet, side by side. Narrower: where it is above the snippet,
        // so the section title is readable. Fewer than four rows: the snippet alone.
        let stacked = rowsPerHit == 2 && w < 100
        // (A wide screen gives the section's title more room: three tenths of the width, at most 80.)
        let metaWidth = w >= 100 ? min(80, max(46, w * 3 / 10)) : 0
        var y = 1
        var k = l.offset
        let query = SearchQuery(state.query)
        while y + rowsPerHit - 1 < h - 1, state.hits.indices.contains(k) {
            let hit = state.hits[k]
            let selected = k == l.selected
            var x = 1
            x = buf.put(selected ? (unicode ? "▶" : ">") : " ", x: x, y: y, style: Style(.selection, [.bold]))
            if metaWidth > 0 {
                let name = TextWidth.truncate(hit.retailer, to: 13).padding(toLength: 13, withPad: " ", startingAt: 0)
                let meta = name + " " + hit.date + " " + TextWidth.truncate(Self.sectionName(hit), to: max(4, metaWidth - 26))
                buf.put(meta, x: x + 1, y: y, style: Style(.dim), maxX: x + 1 + metaWidth)
                x += metaWidth + 2
            } else if stacked {
                let sep = unicode ? " · " : " - "
                let meta = hit.retailer + sep + hit.date + sep + Self.sectionName(hit)
                buf.put(TextWidth.truncate(meta, to: w - 5), x: x + 1, y: y, style: Style(.dim), maxX: w - 2)
                x = 3
            }
            // As much of the clause around its first match as the hit's rows hold, matches
            // highlighted, wrapped at word boundaries.
            let rows = stacked ? 1 : rowsPerHit
            let snippetTop = stacked ? y + 1 : y
            // A clause found through its section's title alone says so: nothing in it is marked.
            if hit.matchedByTitle(query) { x = buf.put("(title match) ", x: x, y: snippetTop, style: Style(.dim, [.italic]), maxX: w - 1) }
            // (A column of margin before the border.)
            let (plain, marked) = Self.excerpt(hit.text, matches: hit.matches, columns: max(4, w - 2 - x) * rows - 12 * (rows - 1))
            let lines = Wrapper.wrap(plain, width: max(4, w - 2 - x), styleAt: { i in
                marked.contains(i) ? Style(.searchMatch, [.bold, .reverse]) : .normal
            })
            for (n, line) in lines.prefix(rows).enumerated() {
                var cx = x
                for run in line { cx = buf.put(run.text, x: cx, y: snippetTop + n, style: run.style, maxX: w - 1) }
            }
            if selected {
                for row in y..<(y + rowsPerHit) { for cx in 1..<(w - 1) where buf[cx, row].style.role == .normal || buf[cx, row].style.role == .dim {
                    buf[cx, row].style = Style(.selection, buf[cx, row].style.attributes.union(.bold))
                } }
            }
            y += rowsPerHit
            k += 1
        }
        if state.hits.isEmpty, !blank {
            let query = SearchQuery(state.query)
            let note = index == nil ? "the index is being built; the search runs when it is ready"
                : state.searchPending ? "searching…"
                : query.onlyFilters ? (["retailer: and date: narrow a search: add a word"] + query.fieldNotes).joined(separator: "; ")
                : query.onlyExcludes ? "NOT and -word leave words out: add a word to search for"
                : (["no clause matches"] + query.fieldNotes + (index?.retailerNotes(query) ?? [])).joined(separator: "; ")
            // Wrapped: a field's note names the categories.
            putWrapped(&buf, note, in: Rect(0, 0, w, h), y: 1, margin: 4, style: Style(.dim, [.italic]))
        }
    }

    // MARK: compare

    func renderCompare(_ buf: inout ScreenBuffer) {
        let geometry = compareGeometry()
        guard let (c, layout) = comparison(columnWidth: geometry.column) else { return }
        let h = state.height - 1
        let tree = geometry.treeWidth
        let rows = layout.left.count
        state.compareOffset = max(0, min(state.compareOffset, max(0, rows - geometry.paneHeight)))
        if tree == 0 { state.compareSelectedPair = nil }
        let treeFocused = state.compareSelectedPair != nil
        // The pair selected in the list, else the one at the top of the view.
        let currentPair = listedPair(layout)
        if tree > 0 {
            buf.box(x: 0, y: 0, width: tree, height: h, title: "Sections", focused: treeFocused, ascii: ascii)
            let visible = compareListRows
            let first = Self.treeFirst(current: currentPair, count: c.pairs.count, visible: visible)
            for (n, pair) in c.pairs.enumerated().dropFirst(first).prefix(max(0, visible)) {
                let y = 1 + n - first
                let (glyph, style): (String, Style) = {
                    switch pair.status {
                    case .added: return ("+", Style(.added, [.bold]))
                    case .removed: return ("−", Style(.removed, [.bold]))
                    case .changed: return ("~", Style(.warning, [.bold]))
                    case .moved: return ("↕", Style(.warning, [.bold]))
                    case .unchanged: return ("=", Style(.dim))
                    }
                }()
                let title = (pair.right ?? pair.left).map { $0.isPreamble ? "Preamble" : $0.title } ?? ""
                var x = buf.put(n == currentPair ? (unicode ? "▶" : ">") : " ", x: 1, y: y, style: Style(.selection, [.bold]))
                x = buf.put(unicode ? glyph : (glyph == "−" ? "-" : glyph == "↕" ? "^" : glyph), x: x, y: y, style: style)
                buf.put(TextWidth.truncate(" " + title, to: max(1, tree - 1 - x)), x: x, y: y,
                        style: n == currentPair ? Style(.selection, [.bold]) : .normal, maxX: tree - 1)
            }
        }
        let x0 = tree
        let rest = state.width - tree
        // A column too narrow for a version's name keeps what tells the two apart: the date for two
        // versions of one retailer, else the domain.
        let room = (state.stacked ? rest : rest / 2) - 4
        func title(_ doc: PolicyDocument) -> String {
            guard TextWidth.columns(doc.id) > room else { return doc.id }
            return c.left.domain == c.right.domain ? doc.archiveDate : doc.domain
        }
        let leftTitle = title(c.left)
        let rightTitle = title(c.right)
        let pinned = layout.pairStarts.last { $0 <= state.compareOffset }
        if state.stacked {
            let paneH = geometry.paneHeight + 2
            drawColumn(&buf, Rect(x0, 0, rest, paneH), title: leftTitle, lines: layout.left, offset: state.compareOffset, focused: !treeFocused, pinned: pinned)
            drawColumn(&buf, Rect(x0, paneH, rest, h - paneH), title: rightTitle, lines: layout.right, offset: state.compareOffset, focused: !treeFocused, pinned: pinned)
        } else {
            let lw = rest / 2
            drawColumn(&buf, Rect(x0, 0, lw, h), title: leftTitle, lines: layout.left, offset: state.compareOffset, focused: !treeFocused, pinned: pinned)
            drawColumn(&buf, Rect(x0 + lw, 0, rest - lw, h), title: rightTitle, lines: layout.right, offset: state.compareOffset, focused: !treeFocused, pinned: pinned)
        }
    }

    /// The first pair the comparison's sections list shows: the current one kept in the middle.
    static func treeFirst(current: Int, count: Int, visible: Int) -> Int {
        max(0, min(current - visible / 2, count - visible))
    }

    /// Draws rows `offset…` of a comparison's column. Scrolled into a pair whose heading row
    /// (`pinned`) is out of sight, the first row shows that heading, as the reader pins its section's.
    func drawColumn(_ buf: inout ScreenBuffer, _ r: Rect, title: String, lines: [Line], offset: Int, focused: Bool = true,
                    pinned: Int? = nil) {
        buf.box(x: r.x, y: r.y, width: r.width, height: r.height, title: title, focused: focused, ascii: ascii)
        for i in 0..<max(0, r.height - 2) {
            let k = i == 0 && r.height > 6 ? (pinned.flatMap { $0 < offset && lines.indices.contains($0) ? $0 : nil } ?? offset) : offset + i
            guard lines.indices.contains(k) else { break }
            var x = r.x + 2
            for run in lines[k].runs { x = buf.put(run.text, x: x, y: r.y + 1 + i, style: run.style, maxX: r.x + r.width - 2) }
        }
    }

    // MARK: status and help

    func renderStatus(_ buf: inout ScreenBuffer) {
        let y = state.height - 1
        buf.fill(x: 0, y: y, width: state.width, height: 1, style: Style(.status))
        var left: String
        var hints: [Action]
        if state.mode == .compare, let (c, _) = comparison(columnWidth: compareGeometry().column) {
            let s = c.stats
            // The sections as `diff` counts them (a list row is a pair, an added or a removed section).
            left = "+\(s.addedWords) −\(s.removedWords) words · " + ChangeSummary.Sections.counted(changed: s.sectionsChanged, renamed: s.sectionsRenamed, moved: s.sectionsMoved,
                                                                                                 added: s.sectionsAdded, removed: s.sectionsRemoved)
            // Narrow, the counts whole in fewer words ("+4622 −958 · 5 changed, 1 moved, 7 added, 1 removed").
            if TextWidth.columns(left) + 8 > state.width {
                left = left.replacingOccurrences(of: " words · sections: ", with: " · ").replacingOccurrences(of: " renamed)", with: " ren.)")
            }
            hints = [.nextChange, .toggleStack, .escape, .help]
        } else if state.mode == .topics {
            left = "\(retailers.count) retailers × \(PrivacyCategory.allCases.count) categories" +
                (state.topicMarked.map { " · marked \($0)" } ?? "")
            hints = [.mark, .compare, .open, .escape, .help]
        } else if state.mode == .categoryCompare {
            left = "by category: " + PrivacyCategory.allCases.map(\.shortName).joined(separator: " ")
            hints = [.nextChange, .open, .escape, .help]
        } else if state.mode == .changes {
            left = changesStatus()
            hints = [.open, .escape, .help]
        } else if state.filtering {
            left = "\(state.filterMatches.count)/\(retailers.count) retailers match · letters in order (fuzzy) · Enter picks · Esc cancels"
            hints = []
        } else if state.searching {
            // How to walk the hits first, then the query language: 80 columns hold both (77 for the text).
            left = (unicode ? "↑↓ Enter Esc · " : "Up Dn Enter Esc - ") + "\"phrases\" prefix* OR -word retailer: date: section: topic:"
            hints = []
        } else {
            var crumbs = [retailer?.name ?? "", document?.archiveDate ?? ""]
            let items = treeItems
            if items.indices.contains(state.sections.selected) {
                let s = items[state.sections.selected]
                crumbs.append(s.isPreamble ? "preamble" : s.title)
            }
            left = crumbs.filter { !$0.isEmpty }.joined(separator: unicode ? " › " : " > ")
            hints = [.search, .compare, .topics, .facts, .nextPane, .help, .quit]
        }
        // A comparison's counts are its summary: they keep their room, as a message does.
        let summary = state.mode == .compare ? left : nil
        // A message, else the index's state (read once: it changes on another thread).
        let indexing = indexingStatus
        if let message = state.message { left = message } else if let indexing { left = indexing }
        var pieces = hints.compactMap { a -> String? in
            guard let hint = a.hint else { return nil }
            let key = a == .nextChange ? "]c" : keymap.keys(for: a).split(separator: " ").first.map(String.init) ?? ""
            if a == .nextChange, state.mode == .categoryCompare { return key + " next category" }
            if a == .open, state.mode == .categoryCompare { return key + (state.categoryExpanded ? " first \(Self.clausesShown)" : " all") }
            if a == .toggleStack, state.stacked { return key + " side by side" }
            return key + " " + hint
        }
        // Narrow: drop hints from the right (help stays), keeping room for the breadcrumbs, or for
        // the whole of a message: a message is read once, the hints are always there.
        // Progress outranks the hints as a message does; a lasting failure does not hide them.
        let notice = state.message ?? (indexing?.hasPrefix("indexing ") == true ? indexing : nil) ?? (indexing == nil ? summary : nil)
        let room = notice.map { max(36, TextWidth.columns($0) + 2) } ?? 36
        let helpHint = pieces.first { $0.hasPrefix("? ") }
        while pieces.count > 1, state.width - TextWidth.columns(pieces.joined(separator: "  ")) - 2 < room {
            if let last = pieces.indices.last(where: { pieces[$0] != helpHint }) { pieces.remove(at: last) } else { break }
        }
        var hintText = pieces.joined(separator: "  ")
        if state.width - TextWidth.columns(hintText) - 2 < 20 { hintText = "? help" }
        if notice != nil, state.width - TextWidth.columns(hintText) - 2 < room { hintText = "" }
        let hintX = max(0, state.width - TextWidth.columns(hintText) - 1)
        buf.put(" " + TextWidth.truncate(left, to: max(1, hintX - 2)), x: 0, y: y, style: Style(.status, [.bold]), maxX: hintX)
        buf.put(hintText, x: hintX, y: y, style: Style(.statusKey))
    }

    /// The help's rows (keys, what they do) and how many of them the window shows at once: all of
    /// them with the mouse line below, or, when they do not fit, a scrolled window of them with the
    /// mouse line as the last row and a line saying where the window is.
    func helpLayout() -> (rows: [(keys: String, help: String)], height: Int, visible: Int, scrolls: Bool) {
        // A half page shares its page's row: "PgDn Space Ctrl-d  page down (Ctrl-d: half a page down)".
        let halves: [Action: Action] = [.pageDown: .halfPageDown, .pageUp: .halfPageUp]
        var bindings = Action.allCases.filter { !halves.values.contains($0) }.map { action in
            guard let half = halves[action] else { return (keys: keymap.keys(for: action), help: action.help) }
            let keys = keymap.keys(for: half)
            return (keys: keymap.keys(for: action) + " " + keys, help: "\(action.help) (\(keys): \(half.help))")
        }
        // A view with keys of its own lists them first, then the browser's.
        let own = Self.viewKeys(state.mode)
        if !own.isEmpty { bindings = own + [(keys: "", help: "The other keys, where the keys above do not say otherwise:")] + bindings }
        let h = min(state.height - 2, bindings.count + 4)
        if bindings.count <= h - 3 { return (bindings, h, bindings.count, false) }
        return (bindings + [(keys: "", help: Self.helpMouseLine)], h, max(1, h - 3), true)
    }

    static let helpMouseLine = "Mouse: wheel scrolls the pane under the pointer, click selects."

    /// The keys a view reads otherwise than the browser does (the heat map, the category
    /// comparison, the change feed).
    static func viewKeys(_ mode: AppState.Mode) -> [(keys: String, help: String)] {
        switch mode {
        case .topics:
            return [("h l ← →", "heat map: the category column"), ("Enter", "open the retailer at the column's first clause"),
                    ("m", "mark a retailer"), ("c", "compare by category: the marked retailer ↔ this one")]
        case .categoryCompare:
            return [("]c [c", "next / previous category"), (KeyMap.standard.keys(for: .open), "every clause in full ↔ the first \(Self.clausesShown)"),
                    ("Esc h", "back to the heat map")]
        case .changes:
            return [("h l ← →", "changes: the category filter"), ("f", "changes: the fact kind filter"),
                    ("Enter", "open the comparison (Esc comes back)")]
        case .compare:
            return [("]c [c", "next / previous change"), ("s", "side by side ↔ stacked"),
                    ("Tab", "the sections list (from 100 columns): j k pick a section, ]c [c a changed one; Tab, Enter or a click on the text give the keys back"),
                    ("Esc h", "back")]
        case .browse:
            return []
        }
    }

    /// Moves the help's window when it does not fit: j k ↓ ↑, pages, g G, the wheel.
    func scrollHelp(_ action: Action) {
        let layout = helpLayout()
        let last = max(0, layout.rows.count - layout.visible)
        switch action {
        case .down: state.helpOffset += 1
        case .up: state.helpOffset -= 1
        case .pageDown: state.helpOffset += max(1, layout.visible - 1)
        case .pageUp: state.helpOffset -= max(1, layout.visible - 1)
        case .halfPageDown: state.helpOffset += max(1, layout.visible / 2)
        case .halfPageUp: state.helpOffset -= max(1, layout.visible / 2)
        case .top: state.helpOffset = 0
        case .bottom: state.helpOffset = last
        default: break
        }
        state.helpOffset = max(0, min(last, state.helpOffset))
    }

    func renderHelp(_ buf: inout ScreenBuffer) {
        let layout = helpLayout()
        let rows = layout.rows
        let widestKeys = min(24, rows.map { TextWidth.columns($0.keys) }.max() ?? 10)
        let w = min(state.width - 2, widestKeys + 58)
        // Narrow, the keys take at most a third of the box; what does not fit ends in "…".
        let keyWidth = min(widestKeys, max(6, w / 3))
        let h = layout.height
        let x = (state.width - w) / 2
        let y = max(0, (state.height - h) / 2)
        state.helpOffset = max(0, min(state.helpOffset, rows.count - layout.visible))
        buf.fill(x: x, y: y, width: w, height: h)
        buf.box(x: x, y: y, width: w, height: h, title: "Help · Esc, ? or q closes", focused: true, ascii: ascii)
        for (n, row) in rows.dropFirst(state.helpOffset).prefix(layout.visible).enumerated() {
            if row.keys.isEmpty {
                buf.put(TextWidth.truncate(row.help, to: max(1, w - 3)), x: x + 2, y: y + 1 + n, style: Style(.dim), maxX: x + w - 1)
                continue
            }
            buf.put(TextWidth.truncate(row.keys, to: keyWidth), x: x + 2, y: y + 1 + n, style: Style(.statusKey, [.bold]), maxX: x + 2 + keyWidth)
            buf.put(TextWidth.truncate(row.help, to: max(1, w - 5 - keyWidth)), x: x + 4 + keyWidth, y: y + 1 + n, maxX: x + w - 1)
        }
        guard layout.scrolls else {
            buf.put(TextWidth.truncate(Self.helpMouseLine, to: max(1, w - 3)), x: x + 2, y: y + h - 2, style: Style(.dim), maxX: x + w - 1)
            return
        }
        // Where the window is, and the keys that move it.
        let first = state.helpOffset + 1, last = state.helpOffset + layout.visible
        // The ways it scrolls: ▼ at the top, ▲ at the end, both between.
        let arrows = (first > 1 ? (unicode ? "▲" : "^") : "") + (last < rows.count ? (unicode ? "▼" : "v") : "")
        let note = "\(arrows) \(first)–\(last) of \(rows.count) · j k PgDn PgUp g G scroll"
        buf.put(TextWidth.truncate(note, to: max(1, w - 3)), x: x + 2, y: y + h - 2, style: Style(.statusKey, [.bold]), maxX: x + w - 1)
    }
}

extension BrowserApp {
    /// About `columns` characters of `text` around its first match (the start when it has none),
    /// cut at spaces, with "…" where text was left out, and which characters are matched
    /// (offsets into the result). Control characters are made visible.
    static func excerpt(_ text: String, matches: [[Int]], columns: Int) -> (String, Set<Int>) {
        let scalars = Array(text.unicodeScalars)
        let budget = max(8, columns)
        var start = 0
        if let first = matches.first?.first, scalars.count > budget {
            // The match a quarter of the way in: some context before it, more after.
            start = max(0, min(first - budget / 4, scalars.count - budget))
            if start > 0 {
                var s = start
                while s < first, s < scalars.count, scalars[s - 1] != " " { s += 1 }
                start = s < first ? s : start
            }
        }
        let lead = start > 0 ? 1 : 0   // the "…" in front
        var end = min(scalars.count, start + budget - lead)
        if end < scalars.count {
            // Cut at a space, which the closing "…" replaces, or inside a word when none is in reach.
            let last = start + budget - lead - 1
            var e = last
            while e > start + budget / 2, scalars[e] != " " { e -= 1 }
            end = scalars[e] == " " ? e : last
        }
        var out = String.UnicodeScalarView()
        var marked = Set<Int>()
        if start > 0 { out.append("…") }
        var inMatch = Set<Int>()
        for m in matches where m.count == 2 && m[0] < m[1] && m[0] < end && m[1] > start {
            for i in max(m[0], start)..<min(m[1], end) { inMatch.insert(i) }
        }
        for i in start..<end {
            if inMatch.contains(i) { marked.insert(out.count) }
            let s = scalars[i]
            out.append(s == "\n" || s == "\t" ? " " : TextWidth.sanitise(Character(s)).unicodeScalars.first ?? s)
        }
        if end < scalars.count { out.append("…") }
        return (String(out), marked)
    }
}
