import PolicyCore
import TerminalUI

/// How much one version says per category: clauses and words in clauses carrying each label.
struct TopicProfile: Sendable {
    var clauses: [PrivacyCategory: Int] = [:]
    var words: [PrivacyCategory: Int] = [:]
    var totalWords = 0

    func share(_ c: PrivacyCategory) -> Double {
        totalWords == 0 ? 0 : Double(words[c] ?? 0) / Double(totalWords)
    }
}

/// Two retailers side by side, category by category: a header per category, then each side's clauses.
struct CategoryCompareLayout {
    var left: [Line] = []
    var right: [Line] = []
    /// First row of each category block, for ]c / [c.
    var starts: [Int] = []
}

extension BrowserApp {
    // MARK: data

    /// Categories of every clause of a version, in reading order (clause index), computed once.
    func topics(_ doc: PolicyDocument) -> [ClauseTopics] {
        if let cached = topicsCache[doc.id] { return cached }
        let t = CategoryClassifier.shared.classify(doc)
        topicsCache[doc.id] = t
        return t
    }

    func facts(_ doc: PolicyDocument) -> [PolicyFact] {
        if let cached = factsCache[doc.id] { return cached }
        let f = FactExtractor.facts(in: doc)
        factsCache[doc.id] = f
        return f
    }

    func profile(_ doc: PolicyDocument) -> TopicProfile {
        if let cached = profileCache[doc.id] { return cached }
        var p = TopicProfile()
        let clauses = doc.allClauses
        // Not through `topics(_:)`: the heat map visits many versions, and only their profiles are kept.
        let labels = topicsCache[doc.id] ?? CategoryClassifier.shared.classify(doc)
        for (i, t) in labels.enumerated() where i < clauses.count {
            let n = Tokenizer.words(clauses[i].text).count
            p.totalWords += n
            for c in t.categories {
                p.clauses[c, default: 0] += 1
                p.words[c, default: 0] += n
            }
        }
        profileCache[doc.id] = p
        return p
    }

    /// Reader tags: clause index → "share·choice".
    func tagTexts(_ doc: PolicyDocument) -> [Int: String] {
        var out: [Int: String] = [:]
        guard categoriesRead() else { return out }
        for (i, t) in topics(doc).enumerated() {
            let names = t.categories.map(\.shortName).joined(separator: unicode ? "·" : ",")
            out[i] = unicode ? "‹" + names + "›" : "[" + names + "]"
        }
        return out
    }

    // MARK: actions

    func toggleTopics() {
        switch state.mode {
        case .categoryCompare:
            // Out of the heat map altogether, from a comparison of two retailers too.
            if state.returns.last == .topics { state.returns.removeLast() }
            goBack(else: .browse)
        default:
            toggle(.topics)
            if state.mode == .topics { state.topicRows.selected = state.retailers.selected }
        }
    }

    func topicsAction(_ action: Action) {
        let count = retailers.count
        let page = max(1, state.height - 6)
        if state.mode == .categoryCompare {
            guard let layout = categoryLayout() else { goBack(else: .topics); return }
            if action == .back { goBack(else: .topics); return }
            // Moves start from what is shown: the offset kept may lie past the end (a taller window
            // than when it was set), and is kept as it is by any other key.
            let shown = categoryShownOffset(layout)
            if action == .open {
                // The category at the top stays there, from its heading (the short view is not a
                // scaled copy of the full one).
                let top = layout.starts.lastIndex { $0 <= shown } ?? 0
                state.categoryExpanded.toggle()
                state.categoryOffset = categoryLayout().map { $0.starts[top] } ?? 0
                state.message = state.categoryExpanded ? "every clause in full (Enter: the first \(Self.clausesShown) of each)"
                    : "the first \(Self.clausesShown) clauses of each category, three lines each"
                return
            }
            switch Self.scroll(shown, action, rows: layout.left.count, height: categoryPaneHeight, stops: layout.starts) {
            case .moved(let offset): state.categoryOffset = offset
            case .noNextStop: state.message = "last category"
            case .noPreviousStop: state.message = "first category"
            case .notAScroll: break
            }
            return
        }
        switch action {
        case .down: state.topicRows.move(1, count: count)
        case .up: state.topicRows.move(-1, count: count)
        case .pageDown: state.topicRows.move(page, count: count)
        case .pageUp: state.topicRows.move(-page, count: count)
        case .halfPageDown: state.topicRows.move(max(1, page / 2), count: count)
        case .halfPageUp: state.topicRows.move(-max(1, page / 2), count: count)
        case .top: state.topicRows.move(-count, count: count)
        case .bottom: state.topicRows.move(count, count: count)
        case .mark:
            guard retailers.indices.contains(state.topicRows.selected) else { return }
            let domain = retailers[state.topicRows.selected].domain
            state.topicMarked = state.topicMarked == domain ? nil : domain
            state.message = state.topicMarked == nil ? "unmarked" : "marked \(domain): select another retailer and press c"
        case .compare:
            guard retailers.indices.contains(state.topicRows.selected) else { return }
            let here = retailers[state.topicRows.selected].domain
            guard let marked = state.topicMarked else {
                state.message = "mark a retailer with m, then press c on another to compare them by category"
                return
            }
            guard marked != here else {
                state.message = "\(here) is the one marked: select another retailer and press c"
                return
            }
            state.categoryComparing = (marked, here)
            state.categoryExpanded = false
            open(.categoryCompare)
            // At the category of the column selected, as Enter opens a retailer.
            state.categoryOffset = 0
            if let layout = categoryLayout(), layout.starts.indices.contains(state.topicColumn) {
                state.categoryOffset = layout.starts[state.topicColumn]
            }
        case .open:
            guard retailers.indices.contains(state.topicRows.selected) else { return }
            // The reader, opened from the heat map (kept below it, as the browser is not left):
            // Esc goes back to it.
            let back = state.returns + [state.mode]
            state.mode = .browse
            state.categoryWalk = nil
            state.retailers.selected = state.topicRows.selected
            selectVersion(max(0, retailers[state.topicRows.selected].versions.count - 1))
            state.returns = back
            state.focus = .reader
            // At the first clause of the category whose column is selected.
            let categories = PrivacyCategory.allCases
            guard let doc = document, categoriesRead(), categories.indices.contains(state.topicColumn) else { return }
            let category = categories[state.topicColumn]
            let clauses = topics(doc)
            let labelled = clauses.indices.filter { clauses[$0].categories.contains(category) }
            guard let first = labelled.first else {
                state.message = "no clause of \(doc.id) is labelled \(category.title)"
                return
            }
            showClause(first)
            state.categoryWalk = .init(doc: doc.id, title: category.title, clauses: labelled)
            state.message = "\(category.title): \(labelled.count) clause\(labelled.count == 1 ? "" : "s") of \(doc.id)"
                + (labelled.count > 1 ? " · n N walk them" : "")
        case .back: show(.browse)
        default: break
        }
    }

    func openFacts() {
        guard let doc = document else { return }
        state.showFacts.toggle()
        state.factList = ListState()
        if state.showFacts, facts(doc).isEmpty { state.message = "no facts found in \(doc.id)" }
    }

    func factsAction(_ action: Action) {
        guard let doc = document else { state.showFacts = false; return }
        let list = facts(doc)
        switch action {
        case .down: state.factList.move(1, count: list.count)
        case .up: state.factList.move(-1, count: list.count)
        case .pageDown, .halfPageDown: state.factList.move(10, count: list.count)
        case .pageUp, .halfPageUp: state.factList.move(-10, count: list.count)
        case .top: state.factList.move(-list.count, count: list.count)
        case .bottom: state.factList.move(list.count, count: list.count)
        case .open:
            state.showFacts = false
            guard list.indices.contains(state.factList.selected) else { return }
            let fact = list[state.factList.selected]
            // The clause index within the document: count the clauses of the sections before it.
            var index = 0
            for s in doc.allSections {
                if s.path == fact.sectionPath { index += fact.clauseIndex; break }
                index += s.clauses.count
            }
            state.focus = .reader
            showClause(index)
            state.message = "\(fact.kind.title): \(fact.value) (§\(fact.sectionPath))"
        case .escape, .facts, .back: state.showFacts = false
        default: break
        }
    }

    // MARK: drawing

    func renderFacts(_ buf: inout ScreenBuffer) {
        guard let doc = document else { return }
        let list = facts(doc)
        let w = min(state.width - 2, 100)
        let h = min(state.height - 2, max(6, list.count + 4))
        let x = (state.width - w) / 2
        let y = max(0, (state.height - 1 - h) / 2)
        buf.fill(x: x, y: y, width: w, height: h)
        buf.box(x: x, y: y, width: w, height: h, title: "Facts · \(doc.id) · Enter jumps to the clause, Esc or q closes",
                focused: true, ascii: ascii)
        // As wide as the widest kind shown, up to a third of the box ("Last updated" whole at 40 columns).
        let kindWidth = min(list.map { TextWidth.columns($0.kind.title) }.max() ?? 8, max(8, w / 3))
        var l = state.factList
        l.clamp(count: list.count, height: h - 2)
        state.factList = l
        if list.isEmpty { buf.put("no facts found", x: x + 2, y: y + 1, style: Style(.dim, [.italic])) }
        // Columns: the kind, the value, the section's title (dim), its number at the right edge.
        func context(_ f: PolicyFact) -> String { f.sectionTitle == "Preamble" ? "" : f.sectionTitle }
        let valueX = x + 3 + kindWidth
        let placeWidth = list.map { TextWidth.columns(" §" + $0.sectionPath) }.max() ?? 0
        let room = x + w - 1 - placeWidth - valueX
        let widestValue = list.map { TextWidth.columns(String($0.value.map(TextWidth.sanitise))) }.max() ?? 0
        let widestContext = list.map { TextWidth.columns(context($0)) }.max() ?? 0
        // The value takes what it needs, leaving the titles what they need up to a third of the row;
        // all of it when no section has a title; a title column narrower than 8 is left out.
        var valueWidth = widestContext == 0 ? room : min(widestValue, room - min(widestContext, room / 3) - 2)
        if room - valueWidth - 2 < 8 { valueWidth = room }
        let contextX = valueX + valueWidth + 2
        for i in 0..<max(0, h - 2) {
            let k = l.offset + i
            guard list.indices.contains(k) else { break }
            let f = list[k]
            let row = y + 1 + i
            let selected = k == l.selected
            buf.put(selected ? (unicode ? "▶" : ">") : " ", x: x + 1, y: row, style: Style(.selection, [.bold]))
            let showKind = k == 0 || list[k - 1].kind != f.kind
            if showKind { buf.put(TextWidth.truncate(f.kind.title, to: kindWidth), x: x + 2, y: row, style: Style(.heading, [.bold]), maxX: x + 2 + kindWidth) }
            let place = " §" + f.sectionPath
            let placeX = x + w - 1 - TextWidth.columns(place)
            // What does not fit ends in "…", as the reader's titles do.
            buf.put(TextWidth.truncate(String(f.value.map(TextWidth.sanitise)), to: valueWidth), x: valueX, y: row,
                    style: selected ? Style(.selection, [.bold, .reverse]) : .normal, maxX: valueX + valueWidth)
            // Titles end where the widest number starts; each number is set right.
            let placeColumn = x + w - 1 - placeWidth
            if contextX < placeColumn {
                buf.put(TextWidth.truncate(context(f), to: placeColumn - contextX), x: contextX, y: row, style: Style(.dim), maxX: placeColumn)
            }
            buf.put(place, x: placeX, y: row, style: Style(.dim))
        }
    }

    static let shades = ["·", "░", "▒", "▓", "█"]
    static let asciiShades = [".", ":", "+", "#", "@"]

    func renderTopics(_ buf: inout ScreenBuffer) {
        let w = state.width
        let h = state.height - 1
        let categories = PrivacyCategory.allCases
        let nameWidth = max(10, min(40, w / 5))
        // Columns keep a readable width ("██ 61"); when they do not all fit, h/l scroll them.
        let room = w - nameWidth - 3
        let cell = max(8, min(12, room / categories.count))
        let fit = max(1, min(categories.count, room / cell))
        state.topicColumn = max(0, min(categories.count - 1, state.topicColumn))
        if state.topicColumn < state.topicColumnOffset { state.topicColumnOffset = state.topicColumn }
        if state.topicColumn >= state.topicColumnOffset + fit { state.topicColumnOffset = state.topicColumn - fit + 1 }
        state.topicColumnOffset = max(0, min(state.topicColumnOffset, categories.count - fit))
        let shown = Array(categories.indices.dropFirst(state.topicColumnOffset).prefix(fit))
        let more = (state.topicColumnOffset > 0 ? "‹ " : "") + "\(fit)/\(categories.count)" + (shown.last! < categories.count - 1 ? " ›" : "")
        buf.box(x: 0, y: 0, width: w, height: h,
                // The column indicator before the description, which a narrow window cuts.
                title: "Topics" + (fit < categories.count ? " · " + more : "") + " · share of each retailer's latest policy per category",
                focused: true, ascii: ascii)
        var x = 1 + nameWidth + 1
        buf.put("Retailer", x: 2, y: 1, style: Style(.heading, [.bold]), maxX: 1 + nameWidth)
        for i in shown {
            let selected = i == state.topicColumn
            // The last column's name may use the room left after it ("audience", not "audien…").
            let room = i == shown.last ? max(cell - 1, w - 2 - x) : cell - 1
            buf.put(TextWidth.truncate(categories[i].shortName, to: room), x: x, y: 1,
                    style: selected ? Style(.selection, [.bold, .underline]) : Style(.heading, [.bold]), maxX: x + room)
            x += cell
        }
        let rowsHeight = max(1, h - 5)
        var l = state.topicRows
        l.clamp(count: retailers.count, height: rowsHeight)
        state.topicRows = l
        // Colour scale per category: the retailer saying most about it (among those shown) tops the scale.
        var visible: [(Int, TopicProfile)] = []
        for i in 0..<rowsHeight {
            let k = l.offset + i
            guard retailers.indices.contains(k), let latest = retailers[k].latest else { break }
            visible.append((k, profile(latest)))
        }
        var maxima: [PrivacyCategory: Double] = [:]
        for (_, p) in visible { for c in categories { maxima[c] = max(maxima[c] ?? 0, p.share(c)) } }
        let shades = unicode ? Self.shades : Self.asciiShades
        for (row, (k, p)) in visible.enumerated() {
            let y = 2 + row
            let selected = k == l.selected
            let marked = state.topicMarked == retailers[k].domain
            buf.put(selected ? (unicode ? "▶" : ">") : " ", x: 1, y: y, style: Style(.selection, [.bold]))
            let name = TextWidth.truncate((marked ? (unicode ? "✓ " : "* ") : "") + retailers[k].name, to: nameWidth - 1)
            buf.put(name, x: 2, y: y, style: selected ? Style(.selection, [.bold, .reverse]) : (marked ? Style(.warning, [.bold]) : .normal),
                    maxX: 1 + nameWidth)
            var cx = 1 + nameWidth + 1
            for i in shown {
                let c = categories[i]
                let share = p.share(c)
                let top = maxima[c] ?? 0
                let level = share <= 0 ? 0 : max(1, min(4, Int((share / max(top, 0.0001)) * 4 + 0.5)))
                let role: Role = [Role.dim, .heat1, .heat2, .heat3, .heat4][level]
                let percent = share <= 0 ? "–" : (share < 0.01 ? "<1" : "\(Int((share * 100).rounded()))")
                let text = shades[level] + shades[level] + " " + percent
                var attributes: Attributes = level == 4 ? [.bold] : []
                if selected && i == state.topicColumn { attributes.insert(.reverse) }
                buf.put(text, x: cx, y: y, style: Style(role, attributes), maxX: min(w - 1, cx + cell - 1))
                cx += cell
            }
        }
        let column = categories[state.topicColumn]
        let legend = "\(column.title): \(column.shortName) · % of words in clauses of each category; shade = share against the most in its column on screen (" +
            shades.joined() + ") · h/l columns · Enter opens · m marks · c compares"
        // Two lines at least; more when rows below the retailers are free, so the keys stay in view.
        let lines = Wrapper.wrap(legend, width: w - 4, styleAt: { _ in Style(.dim) })
        let count = min(lines.count, max(2, h - 3 - visible.count))
        for (n, line) in lines.prefix(count).enumerated() {
            var lx = 2
            for run in line { lx = buf.put(run.text, x: lx, y: h - 1 - count + n, style: run.style, maxX: w - 1) }
        }
    }

    func categoryLayout() -> CategoryCompareLayout? {
        guard let ids = state.categoryComparing,
              let a = retailers.retailer(domain: ids.left)?.latest,
              let b = retailers.retailer(domain: ids.right)?.latest else { return nil }
        let column = max(10, state.width / 2 - 4)
        let key = "\(a.id)|\(b.id)|\(column)|\(unicode)|\(state.categoryExpanded)"
        if let cached = categoryCache, cached.key == key { return cached.layout }
        var layout = CategoryCompareLayout()
        let sides = [a, b].map { doc -> (PolicyDocument, [ClauseTopics], [Clause], TopicProfile) in
            (doc, topics(doc), doc.allClauses, profile(doc))
        }
        for c in PrivacyCategory.allCases {
            layout.starts.append(layout.left.count)
            var blocks: [[Line]] = []
            for (_, tops, clauses, p) in sides {
                var lines: [Line] = []
                let n = p.clauses[c] ?? 0
                let head = "\(c.title)"
                let figure = n == 0 ? "nothing" : "\(n) clause\(n == 1 ? "" : "s") · \(Int((p.share(c) * 100).rounded()))% of words"
                lines.append(Line([Run(TextWidth.truncate(head, to: column), Style(.heading, [.bold]))]))
                lines.append(Line([Run(TextWidth.truncate(figure, to: column), Style(n == 0 ? .dim : .bar))]))
                var shown = 0
                let expanded = state.categoryExpanded
                for (i, t) in tops.enumerated() where t.categories.contains(c) && i < clauses.count {
                    shown += 1
                    if !expanded, shown > Self.clausesShown {
                        lines.append(Line([Run("… \(n - Self.clausesShown) more (Enter shows all)", Style(.dim, [.italic]))]))
                        break
                    }
                    let section = clauses[i].sectionPath
                    let wrapped = Wrapper.wrap(String(clauses[i].text.map(TextWidth.sanitise)), width: column,
                                               firstPrefix: Run("§" + section + " ", Style(.dim)), indent: 2, styleAt: { _ in .normal })
                    for (k, l) in wrapped.prefix(expanded ? wrapped.count : 3).enumerated() {
                        lines.append(Line(!expanded && k == 2 && wrapped.count > 3 ? l + [Run("…", Style(.dim))] : l))
                    }
                }
                lines.append(Line([]))
                blocks.append(lines)
            }
            let height = max(blocks[0].count, blocks[1].count)
            for k in 0..<height {
                layout.left.append(k < blocks[0].count ? blocks[0][k] : Line([]))
                layout.right.append(k < blocks[1].count ? blocks[1][k] : Line([]))
            }
        }
        // Laid out again for another width (or Enter): the category at the top stays at the top,
        // as far into it as before in proportion.
        if let old = categoryCache?.layout, categoryCache?.key.hasPrefix("\(a.id)|\(b.id)|") == true,
           let top = old.starts.lastIndex(where: { $0 <= state.categoryOffset }), top < layout.starts.count {
            let oldEnd = top + 1 < old.starts.count ? old.starts[top + 1] : old.left.count
            let newEnd = top + 1 < layout.starts.count ? layout.starts[top + 1] : layout.left.count
            let into = state.categoryOffset - old.starts[top]
            state.categoryOffset = layout.starts[top] + into * (newEnd - layout.starts[top]) / max(1, oldEnd - old.starts[top])
        }
        categoryCache = (key, layout)
        return layout
    }

    /// How many clauses of each category the comparison shows until Enter asks for all.
    static let clausesShown = 8

    /// The first row shown: the offset kept, within the rows there are. The offset itself is kept as
    /// set (by keys or a layout for a new width), so a window made taller and then shorter again
    /// comes back to the same place.
    func categoryShownOffset(_ layout: CategoryCompareLayout) -> Int {
        max(0, min(state.categoryOffset, max(0, layout.left.count - categoryPaneHeight)))
    }

    /// The rows each column of the category comparison shows (the screen less the status line and borders).
    var categoryPaneHeight: Int { max(1, state.height - 3) }

    func renderCategoryCompare(_ buf: inout ScreenBuffer) {
        guard let ids = state.categoryComparing, let layout = categoryLayout() else { return }
        let h = state.height - 1
        let offset = categoryShownOffset(layout)
        let lw = state.width / 2
        let name = { (domain: String) in self.retailers.retailer(domain: domain).map { "\($0.name) · \($0.latest?.archiveDate ?? "")" } ?? domain }
        drawColumn(&buf, Rect(0, 0, lw, h), title: name(ids.left), lines: layout.left, offset: offset)
        drawColumn(&buf, Rect(lw, 0, state.width - lw, h), title: name(ids.right), lines: layout.right, offset: offset)
    }
}
