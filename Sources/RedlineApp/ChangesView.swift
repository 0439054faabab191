import PolicyCore
import TerminalUI

/// The changes view: every version against the retailer's previous one, newest first, filtered
/// by category (`h l`) and fact kind (`f`); Enter opens the comparison of the selected change.
extension BrowserApp {
    // MARK: data

    /// The feed with the view's filters applied (empty while it is being computed).
    var visibleChanges: [ChangeSummary] {
        ChangeFilter(category: state.changeCategory, fact: state.changeFact).apply(changeFeed ?? [])
    }

    // MARK: actions

    func toggleChanges() -> [Effect] {
        toggle(.changes)
        guard state.mode == .changes else { return [] }
        guard changeFeed == nil, !changeFeedRequested else { return [] }
        changeFeedRequested = true
        return [.changeFeed]
    }

    /// The view's own keys: `h l ← →` walk the category filter, `f` the fact kind filter.
    func changesKey(_ key: Key) -> Bool {
        let list = visibleChanges
        let selected = list.indices.contains(state.changeList.selected) ? list[state.changeList.selected] : nil
        switch key {
        case .char("h"), .left: cycleCategory(-1)
        case .char("l"), .right: cycleCategory(1)
        case .char("f"): cycleFact(1)
        default: return false
        }
        // The selected change stays selected when the new filter keeps it (as lazygit keeps its place).
        state.changeList = ListState()
        if let selected, let k = visibleChanges.firstIndex(where: { $0.from == selected.from && $0.to == selected.to }) {
            state.changeList.selected = k
        }
        return true
    }

    func cycleCategory(_ delta: Int) {
        let options: [PrivacyCategory?] = [nil] + PrivacyCategory.allCases.map(Optional.some)
        let i = options.firstIndex(of: state.changeCategory) ?? 0
        state.changeCategory = options[(i + delta + options.count) % options.count]
    }

    func cycleFact(_ delta: Int) {
        let options: [PolicyFact.Kind?] = [nil] + PolicyFact.Kind.allCases.map(Optional.some)
        let i = options.firstIndex(of: state.changeFact) ?? 0
        state.changeFact = options[(i + delta + options.count) % options.count]
    }

    func changesAction(_ action: Action) {
        let count = visibleChanges.count
        let page = max(1, (state.height - 4) / 2)
        switch action {
        case .down: state.changeList.move(1, count: count)
        case .up: state.changeList.move(-1, count: count)
        case .pageDown: state.changeList.move(page, count: count)
        case .pageUp: state.changeList.move(-page, count: count)
        case .halfPageDown: state.changeList.move(max(1, page / 2), count: count)
        case .halfPageUp: state.changeList.move(-max(1, page / 2), count: count)
        case .top: state.changeList.move(-count, count: count)
        case .bottom: state.changeList.move(count, count: count)
        case .open:
            let list = visibleChanges
            guard list.indices.contains(state.changeList.selected) else { return }
            let change = list[state.changeList.selected]
            state.comparing = (change.from, change.to)
            state.compareOffset = 0
            state.compareChange = nil
            state.compareSelectedPair = nil
            // The comparison the feed was opened from is replaced: no going back to it.
            state.returns.removeAll { $0 == .compare }
            open(.compare)
        case .back: show(.browse)
        default: break
        }
    }

    var filterDescription: String {
        "category: " + (state.changeCategory?.rawValue ?? "all") + " · fact: " + (state.changeFact.map { $0.title.lowercased() } ?? "all")
    }

    func changesStatus() -> String {
        guard let feed = changeFeed else { return "comparing every version with the one before…" + changeFeedCount }
        return "\(visibleChanges.count) of \(feed.count) changes · \(filterDescription)"
    }

    // MARK: drawing

    func renderChanges(_ buf: inout ScreenBuffer) {
        let w = state.width
        let h = state.height - 1
        let wide = w >= 110
        let listWidth = wide ? min(100, max(60, w * 11 / 20)) : w
        let list = visibleChanges
        let title = "Changes · newest first · " + filterDescription
        buf.box(x: 0, y: 0, width: listWidth, height: h, title: title, focused: true, ascii: ascii)
        let legend = "h/l category · f fact kind · Enter compares · Esc back"
        let rowsHeight = max(1, h - 3)
        let perChange = 2
        var l = state.changeList
        l.clamp(count: list.count, height: max(1, rowsHeight / perChange))
        state.changeList = l
        let note: String?
        if changeFeed == nil { note = "comparing every version with the one before…" + changeFeedCount }
        else if changeFeed?.isEmpty == true { note = "no retailer has two versions to compare" }
        else if list.isEmpty { note = "no change touches this \(state.changeFact != nil ? "fact kind" : "category"); h/l and f change the filters" }
        else { note = nil }
        if let note { buf.put(note, x: 2, y: 1, style: Style(.dim, [.italic]), maxX: listWidth - 1) }
        let names = retailerNames
        for i in 0..<(rowsHeight / perChange) {
            let k = l.offset + i
            guard list.indices.contains(k) else { break }
            let c = list[k]
            let y = 1 + i * perChange
            let selected = k == l.selected
            buf.put(selected ? (unicode ? "▶" : ">") : " ", x: 1, y: y, style: Style(.selection, [.bold]))
            var x = buf.put(c.date + "  ", x: 2, y: y, style: selected ? Style(.selection, [.bold, .reverse]) : Style(.heading, [.bold]))
            // The figures whole, then the name (cut with "…"), then the older date if there is room.
            let figures = "+\(c.added) −\(c.removed)"
            var since = (unicode ? " ← " : " < ") + (c.from.split(separator: "@").last.map(String.init) ?? "") + "  "
            if x + 6 + TextWidth.columns(since) + TextWidth.columns(figures) > listWidth - 2 { since = "  " }
            let nameRoom = listWidth - 3 - TextWidth.columns(since) - TextWidth.columns(figures) - x
            x = buf.put(TextWidth.truncate(names[c.retailer] ?? c.retailer, to: max(1, nameRoom)), x: x, y: y,
                        style: selected ? Style(.selection, [.bold]) : .normal, maxX: x + max(1, nameRoom))
            let fx = max(x, listWidth - 2 - TextWidth.columns(figures) - TextWidth.columns(since))
            let ax = buf.put(since, x: fx, y: y, style: Style(.dim), maxX: listWidth - 1)
            let plus = "+\(c.added)"
            buf.put(plus, x: ax, y: y, style: Style(.added, [.bold]), maxX: listWidth - 1)
            buf.put(" −\(c.removed)", x: ax + TextWidth.columns(plus), y: y, style: Style(.removed, [.bold]), maxX: listWidth - 1)
            var sx = 4
            let runs = summaryRuns(c)
            for (k, run) in runs.enumerated() {
                // A summary longer than the list ends in "…", also when a run fills the row exactly
                // and more would follow.
                let room = listWidth - 1 - sx
                guard room > 0 else { break }
                let width = TextWidth.columns(run.text)
                let cut = width > room || (width == room && k < runs.count - 1)
                sx = buf.put(cut ? TextWidth.truncate(run.text, to: room) : run.text, x: sx, y: y + 1, style: run.style, maxX: listWidth - 1)
                if cut { break }
            }
        }
        for (n, line) in Wrapper.wrap(legend, width: listWidth - 4, styleAt: { _ in Style(.dim) }).prefix(1).enumerated() {
            var lx = 2
            for run in line { lx = buf.put(run.text, x: lx, y: h - 2 + n, style: run.style, maxX: listWidth - 1) }
        }
        guard wide else { return }
        let detail = Rect(listWidth, 0, w - listWidth, h)
        let selected = list.indices.contains(l.selected) ? list[l.selected] : nil
        drawColumn(&buf, detail, title: selected.map { "\($0.from) → \($0.date)" } ?? "Change",
                   lines: selected.map { detailLines($0, width: detail.width - 4) } ?? [], offset: 0)
    }

    /// Retailer domain → display name.
    var retailerNames: [String: String] {
        if let table = retailerNameTable { return table }
        let table = Dictionary(retailers.domainsAndNames().map { ($0.domain, $0.name) }, uniquingKeysWith: { a, _ in a })
        retailerNameTable = table
        return table
    }

    /// The second row of a change: its facts (those of the filtered kind first), else its sections;
    /// with a category filter, that category's words first.
    func summaryRuns(_ c: ChangeSummary) -> [Run] {
        var runs: [Run] = []
        func add(_ text: String, _ style: Style) {
            if !runs.isEmpty { runs.append(Run("  ")) }
            runs.append(Run(text, style))
        }
        if let category = state.changeCategory, let k = c.categories.first(where: { $0.category == category }) {
            add("\(category.rawValue) +\(k.added) −\(k.removed)", Style(.warning, [.bold]))
        }
        var facts: [(PolicyFact.Kind, String, Style)] = c.facts.changed.map { ($0.kind, "\($0.kind.title.lowercased()) \($0.from)→\($0.to)", Style(.warning)) }
        facts += c.facts.added.map { ($0.kind, "+" + Self.shortFact($0), Style(.added)) }
        facts += c.facts.removed.map { ($0.kind, (unicode ? "−" : "-") + Self.shortFact($0), Style(.removed)) }
        if let kind = state.changeFact { facts = facts.filter { $0.0 == kind } + facts.filter { $0.0 != kind } }
        for f in facts.prefix(12) { add(f.1, f.2) }
        if facts.isEmpty {
            let s = c.sections
            add(s.counted, Style(.dim))
        }
        return runs
    }

    /// A fact value in a few words: dates and ages say what they are.
    static func shortFact(_ v: FactDiff.Value) -> String {
        switch v.kind {
        case .lastUpdated: return "updated " + v.value
        case .minimumAge: return "age " + v.value
        default: return v.value
        }
    }

    /// The selected change in full: facts, sections, words per category.
    func detailLines(_ c: ChangeSummary, width: Int) -> [Line] {
        var lines: [Line] = []
        let name = retailerNames[c.retailer] ?? c.retailer
        lines.append(Line([Run(TextWidth.truncate(name == c.retailer ? name : "\(name) (\(c.retailer))", to: width), Style(.heading, [.bold]))]))
        lines.append(Line([Run("+\(c.added)", Style(.added, [.bold])), Run(" "), Run("−\(c.removed)", Style(.removed, [.bold])), Run(" words")]))
        lines.append(Line())
        func item(_ text: String, _ style: Style) -> Line { Line([Run(TextWidth.truncate("  " + text, to: width), style)]) }
        let f = c.facts
        lines.append(Line([Run(f.isEmpty ? "Facts: none changed" : "Facts", Style(.heading, [.bold]))]))
        for v in f.changed { lines.append(item("~ \(v.kind.title): \(v.from) → \(v.to)", Style(.warning))) }
        for v in f.added { lines.append(item("+ \(v.kind.title): \(v.value)", Style(.added))) }
        for v in f.removed { lines.append(item("− \(v.kind.title): \(v.value)", Style(.removed))) }
        lines.append(Line())
        let s = c.sections
        lines.append(Line([Run(s.count == 0 ? "Sections: none changed" : "Sections", Style(.heading, [.bold]))]))
        for t in s.added { lines.append(item("+ " + t, Style(.added))) }
        for t in s.removed { lines.append(item("− " + t, Style(.removed))) }
        for t in s.changed { lines.append(item("~ " + t, .normal)) }
        for t in s.moved { lines.append(item((unicode ? "↕ " : "^ ") + t, .normal)) }
        lines.append(Line())
        if !c.categories.isEmpty {
            lines.append(Line([Run("Words by category", Style(.heading, [.bold]))]))
            let biggest = max(1, c.categories.map { $0.added + $0.removed }.max() ?? 1)
            for k in c.categories {
                let label = "  " + k.category.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                let figures = " +\(k.added) −\(k.removed) ".padding(toLength: max(14, (" +\(k.added) −\(k.removed) ").count), withPad: " ", startingAt: 0)
                let room = max(1, width - TextWidth.columns(label) - TextWidth.columns(figures))
                let bar = String(repeating: unicode ? "█" : "#", count: max(1, min(room, 16) * (k.added + k.removed) / biggest))
                lines.append(Line([Run(label), Run(figures, Style(.dim)), Run(bar, Style(.bar))]))
            }
        }
        return lines
    }
}
