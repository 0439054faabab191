import Foundation
import PolicyCore
import TerminalUI

/// Work that runs off the input loop; its result comes back through `receive`.
public enum Effect: Sendable {
    case search(query: String, generation: Int)
    /// The change feed of the whole corpus (`BrowserApp.changeFeedSource`).
    case changeFeed
}

/// The result of an effect.
public enum EffectResult: Sendable {
    case searchResults(generation: Int, hits: [SearchHit])
    case changeFeed([ChangeSummary])
}

/// A rectangle on screen.
public struct Rect: Sendable, Equatable {
    public var x, y, width, height: Int
    public init(_ x: Int, _ y: Int, _ width: Int, _ height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
    public func contains(_ px: Int, _ py: Int) -> Bool { px >= x && px < x + width && py >= y && py < y + height }
}

/// The terminal browser: state, key handling (`handle`), effects, and drawing (`render`).
public final class BrowserApp: @unchecked Sendable {
    public internal(set) var state: AppState
    /// The retailers, each with its versions (a catalog's are read a page at a time).
    public let retailers: RetailerList
    private let backgroundLock = NSLock()
    private var attachedIndex: SearchIndex?
    private var indexingProgress: (done: Int, total: Int)?
    /// Why the search index could not be opened, shown instead of an empty result.
    private var indexFailure: String?
    private var backgroundChanged = false
    /// How far the change feed's first computation has come (set from its thread).
    private var changeFeedProgress: (done: Int, total: Int)?
    private var changeFeedWaits = false

    /// The search index; nil while it is still being built in the background.
    public var index: SearchIndex? {
        backgroundLock.lock()
        defer { backgroundLock.unlock() }
        return attachedIndex
    }

    /// Says on the first frame how many files of the corpus could not be read (they are listed
    /// on stderr once the terminal is back).
    public func skippedFiles(_ count: Int) {
        guard count > 0 else { return }
        state.message = "\(count) file\(count == 1 ? "" : "s") could not be read: listed when you quit"
    }

    /// Says, in the reader and the status line, that the corpus read from `source` has no policy.
    public func corpusIsEmpty(source: String) {
        emptySource = source
        // Then what could not be read, when something could not be.
        state.message = ["no policies in \(source)", state.message].compactMap { $0 }.joined(separator: " · ")
    }

    /// Called from the change feed's thread while it compares versions for the first time.
    public func changeFeedProgressed(done: Int, total: Int) {
        backgroundLock.lock()
        changeFeedProgress = (done, total)
        backgroundChanged = true
        backgroundLock.unlock()
    }

    /// Called from the change feed's thread when another process is making the feed: it waits for
    /// that one's comparisons.
    public func changeFeedWaiting() {
        backgroundLock.lock()
        changeFeedWaits = true
        backgroundChanged = true
        backgroundLock.unlock()
    }

    /// " 1200/40130": the change feed's progress, while it is being made (or that another process
    /// is making it).
    var changeFeedCount: String {
        backgroundLock.lock()
        defer { backgroundLock.unlock() }
        return changeFeedProgress.map { " \($0.done)/\($0.total)" } ?? (changeFeedWaits ? " (another redline is at it: waiting)" : "")
    }

    /// Called from the indexing thread: progress, then the finished index.
    public func indexingProgressed(done: Int, total: Int) {
        backgroundLock.lock()
        indexingProgress = (done, total)
        backgroundChanged = true
        backgroundLock.unlock()
    }

    /// Attaches the finished index, or records why there is none (`failure`, shown in the status bar).
    public func attach(index: SearchIndex?, failure: String? = nil) {
        backgroundLock.lock()
        attachedIndex = index
        indexFailure = index == nil ? failure : nil
        indexingProgress = nil
        backgroundChanged = true
        backgroundLock.unlock()
    }

    /// Whether the category model is read, so the reader can show its tags. Tests, which draw one
    /// frame at a time, take it as read (the tags then wait for the model); the terminal asks
    /// whether it is (`CategoryClassifier.sharedIfMade`) and draws without them until then.
    public var categoriesRead: @Sendable () -> Bool = { true }

    /// Called once the category model is read: the reader's tags can be drawn.
    public func categoriesMade() {
        backgroundLock.lock()
        backgroundChanged = true
        backgroundLock.unlock()
    }

    /// True once after background work changed what the screen shows.
    public func takeBackgroundChange() -> Bool {
        backgroundLock.lock()
        defer { backgroundLock.unlock() }
        let changed = backgroundChanged
        backgroundChanged = false
        return changed
    }

    /// Work to redo once the index arrives: the query typed while it was being built.
    public func refreshEffects() -> [Effect] {
        // The category tags arrived: the reader keeps its place as its text rewraps around them,
        // also while another view covers it.
        if laidOutWithoutTags, categoriesRead() { placeReader(anchoredIn: documentCache?.lines ?? []) {} }
        guard index != nil, !state.query.isEmpty, state.searching || state.hits.isEmpty else { return [] }
        return [requestSearch()]
    }

    /// The generation of the newest query, read by the effect queue to skip superseded ones.
    private var latestSearch = 0

    /// A search for the current query. An older query still running is interrupted and any still
    /// queued is skipped: only the newest one costs time (a short prefix can take seconds on a
    /// large corpus).
    func requestSearch() -> Effect {
        state.searchGeneration += 1
        state.searchPending = true
        backgroundLock.lock()
        latestSearch = state.searchGeneration
        let running = attachedIndex
        backgroundLock.unlock()
        running?.interrupt()
        return .search(query: state.query, generation: state.searchGeneration)
    }

    private func isLatestSearch(_ generation: Int) -> Bool {
        backgroundLock.lock()
        defer { backgroundLock.unlock() }
        return generation == latestSearch
    }

    var indexingStatus: String? {
        backgroundLock.lock()
        defer { backgroundLock.unlock() }
        if let failure = indexFailure { return "search unavailable: \(failure)" }
        guard let p = indexingProgress else { return nil }
        return "indexing \(p.done)/\(p.total) policies… (search is ready when this is done)"
    }
    public var colour: Bool
    public var unicode: Bool
    let keymap = KeyMap.standard

    private var documentCache: (key: String, lines: [Line])?
    /// Whether the reader was last laid out without the category tags it shows once they are read.
    private var laidOutWithoutTags = false
    /// The reader's top line while the screen is too small to lay it out (`placeReader`).
    private var heldReaderAnchor: (doc: String, offset: Int, line: Line)?
    private var compareCache: (key: String, comparison: Comparison, layout: CompareLayout)?
    private var highlightCache: (key: String, highlights: Highlights)?
    private var historyCache: [String: [ComparisonStats]] = [:]
    private var wordCounts: [String: Int] = [:]
    var topicsCache: [String: [ClauseTopics]] = [:]
    /// How the changes view gets the feed (run off the input loop): by default computed from the
    /// corpus; a caller with summaries kept in a catalog passes its own.
    public var changeFeedSource: @Sendable ([Retailer]) -> [ChangeSummary] = { ChangeFeed.compute($0) }
    /// The feed, once computed; whether it has been asked for.
    var changeFeed: [ChangeSummary]?
    var changeFeedRequested = false
    /// Retailer domain → display name, for the feed's rows; built once.
    var retailerNameTable: [String: String]?
    var factsCache: [String: [PolicyFact]] = [:]
    var profileCache: [String: TopicProfile] = [:]
    var categoryCache: (key: String, layout: CategoryCompareLayout)?
    /// What the retailer filter matches against, built once.
    var filterNames: [String]?

    /// Versions shown lately, most recent last. Past `retainedDocuments` the oldest lets its
    /// sections go (read again from the document cache when it is next shown), so walking
    /// through a large corpus does not end up holding every version it passed.
    private var recentlyShown: [PolicyDocument] = []
    var retainedDocuments = 16
    /// Where the corpus was read, when it holds no policy (`corpusIsEmpty`).
    var emptySource: String?

    /// Notes the versions on screen (the selected one, a compared pair) for `recentlyShown`.
    func noteShown() {
        var shown: [PolicyDocument] = []
        if let doc = document { shown.append(doc) }
        if let ids = state.comparing, let c = compareCache?.comparison, c.left.id == ids.left, c.right.id == ids.right {
            shown += [c.left, c.right]
        }
        for doc in shown where recentlyShown.last?.id != doc.id {
            recentlyShown.removeAll { $0.id == doc.id }
            recentlyShown.append(doc)
        }
        while recentlyShown.count > max(retainedDocuments, shown.count) {
            recentlyShown.removeFirst().evictSections()
        }
    }

    /// A version's word count, computed once (it tokenises the whole text; frames ask every time).
    func wordCount(_ doc: PolicyDocument) -> Int {
        if let n = wordCounts[doc.id] { return n }
        // The versions list counts every version of a retailer: one decoded only for that lets go
        // (not the version on screen, which the reader is about to show).
        let n = doc.id == document?.id ? doc.wordCount : [doc].readingSections { doc.wordCount }
        wordCounts[doc.id] = n
        return n
    }

    public convenience init(corpus: Corpus, index: SearchIndex?, width: Int, height: Int, colour: Bool = true, unicode: Bool = true) {
        self.init(retailers: RetailerList(corpus.retailers), index: index, width: width, height: height, colour: colour, unicode: unicode)
    }

    public init(retailers: RetailerList, index: SearchIndex?, width: Int, height: Int, colour: Bool = true, unicode: Bool = true) {
        self.retailers = retailers
        self.attachedIndex = index
        self.colour = colour
        self.unicode = unicode
        state = AppState(width: width, height: height)
        state.versions.selected = max(0, (retailers.first?.versions.count ?? 1) - 1)
    }

    // MARK: selection helpers

    var retailer: Retailer? {
        retailers.indices.contains(state.retailers.selected) ? retailers[state.retailers.selected] : nil
    }

    var document: PolicyDocument? {
        guard let r = retailer, r.versions.indices.contains(state.versions.selected) else { return nil }
        return r.versions[state.versions.selected]
    }

    /// Sections shown in the tree (children of collapsed sections hidden).
    var treeItems: [PolicySection] {
        guard let doc = document else { return [] }
        var out: [PolicySection] = []
        func walk(_ s: PolicySection) {
            out.append(s)
            if !state.collapsed.contains(s.path) { s.children.forEach(walk) }
        }
        doc.sections.forEach(walk)
        return out
    }

    // MARK: input

    /// Handles one key; returns effects to run off the input loop.
    public func handle(_ key: Key) -> [Effect] {
        state.message = nil
        if key == .resize { return [] }
        // Ctrl-c quits from anywhere, a prompt too; so does q on a screen too small to show one,
        // where no other key (nor the mouse) does anything unseen.
        if key == .ctrl("c") || (isTooSmall && key == .char("q")) { state.quit = true; return [] }
        if isTooSmall { return [] }
        if case .mouse(let m) = key { handleMouse(m); return [] }
        // Alt and a letter is the prompt's word motion (Alt-b, Alt-f, Alt-d); elsewhere it is what
        // it always was to a terminal, Esc and then the letter.
        if case .alt(let c) = key, !(state.searching && "bfd".contains(c)) { return handle(.escape) + handle(.char(c)) }
        if state.searching { return handleSearchKey(key) }
        // A key once the prompt is closed: the reader is the user's again, no hit will pull it away.
        state.openWhenAnswered = false
        if state.filtering { handleFilterKey(key); return [] }
        if state.mode == .topics, !state.showFacts, !state.showHelp {
            // Left and right walk the category columns (Enter opens the retailer).
            let count = PrivacyCategory.allCases.count
            switch key {
            case .char("l"), .right: state.topicColumn = min(count - 1, state.topicColumn + 1); return []
            case .char("h"), .left: state.topicColumn = max(0, state.topicColumn - 1); return []
            default: break
            }
        }
        if state.mode == .changes, !state.showFacts, !state.showHelp, changesKey(key) { return [] }
        if state.pendingBracket {
            state.pendingBracket = false
            if key == .char("c") { return perform(state.pendingAction ?? .nextChange) }
        }
        guard let action = keymap.action(for: key) else { return [] }
        if action == .nextChange || action == .previousChange {
            state.pendingBracket = true
            state.pendingAction = action
            return []
        }
        return perform(action)
    }

    /// Carries out an action.
    public func perform(_ action: Action) -> [Effect] {
        // q closes an overlay (help, the facts), as in less; Ctrl-c still quits from anywhere.
        if state.showHelp {
            if action == .help || action == .escape || action == .quit { state.showHelp = false }
            scrollHelp(action)
            return []
        }
        if state.showFacts, action == .quit {
            state.showFacts = false
            return []
        }
        if state.showFacts, action != .help, action != .search {
            factsAction(action)
            return []
        }
        let inTopics = state.mode == .topics || state.mode == .categoryCompare
        switch action {
        case .quit: state.quit = true
        case .help:
            state.showHelp = true
            state.helpOffset = 0
        case .toggleTags:
            keepingReaderPlace { state.showTags.toggle() }
            state.message = state.showTags ? "category tags shown" : "category tags hidden"
        case .filter:
            show(.browse)
            state.filtering = true
            state.filterText = ""
            state.focus = .retailers
            refilter()
        case .facts:
            if state.mode != .browse { show(.browse) }
            openFacts()
        case .topics: toggleTopics()
        case .changes: return toggleChanges()
        case .compare where state.mode == .changes: changesAction(.open)
        case .mark where inTopics, .compare where inTopics: topicsAction(action)
        case .search:
            // A search still unanswered is dropped: its answer would fill this prompt.
            if state.searchPending { state.searchGeneration += 1; state.searchPending = false; state.openWhenAnswered = false }
            else { state.previousSearch = state.hits.isEmpty ? nil : (state.query, state.hits, state.hitsCapped, state.currentHit) }
            state.searching = true
            state.query = ""
            state.queryCursor = nil
            state.categoryWalk = nil
            state.hits = []; state.hitsCapped = false
            state.hitList = ListState()
        case .nextHit, .previousHit:
            if state.mode == .browse, let walk = state.categoryWalk, walk.doc == document?.id, !walk.clauses.isEmpty {
                walkCategory(walk, forward: action == .nextHit)
                break
            }
            guard !state.hits.isEmpty else { state.message = "no search hits: press / to search"; break }
            let current = state.currentHit ?? -1
            let next = action == .nextHit ? current + 1 : current - 1
            openHit((next + state.hits.count) % state.hits.count)
            // Past the last hit (or before the first) it goes round, and says so, as vim does.
            if current >= 0, next == state.hits.count || next < 0, let message = state.message {
                state.message = (next < 0 ? "from the last hit again · " : "from the first hit again · ") + message
            }
        case .compare: startCompare()
        case .mark:
            if let doc = document {
                state.marked = state.marked == doc.id ? nil : doc.id
                state.message = state.marked == nil ? "unmarked" : "marked \(doc.id): select another version and press c"
            }
        case .toggleStack:
            if state.mode == .compare { state.stackedChoice = !state.stacked }
        case .toggleLinks:
            keepingReaderPlace { state.showLinks.toggle() }
            state.message = state.showLinks ? "link targets shown after their links (in tables, after the cell)" : "link targets hidden"
        case .escape:
            switch state.mode {
            case .compare, .topics, .changes: goBack(else: .browse)
            case .categoryCompare: goBack(else: .topics)
            case .browse:
                if state.highlightQuery != nil { state.highlightQuery = nil }
                else if !state.returns.isEmpty { goBack(else: .browse) }
                else { browseAction(.back) }
            }
        case .back where state.mode == .compare:
            goBack(else: .browse)
        default:
            switch state.mode {
            case .compare: compareAction(action)
            case .topics, .categoryCompare: topicsAction(action)
            case .changes: changesAction(action)
            case .browse: browseAction(action)
            }
        }
        return []
    }

    func cyclePane(_ delta: Int) {
        let panes = visiblePanes()
        guard let i = panes.firstIndex(of: state.focus) else { state.focus = panes.first ?? .retailers; return }
        state.focus = panes[(i + delta + panes.count) % panes.count]
    }

    func browseAction(_ action: Action) {
        // A page is the focused pane's rows (a list pane may be a third of the screen).
        let page = max(1, (paneRects()[state.focus]?.height ?? state.height) - 2)
        switch action {
        case .nextPane: cyclePane(1)
        case .previousPane: cyclePane(-1)
        case .down, .up, .pageDown, .pageUp, .halfPageDown, .halfPageUp, .top, .bottom:
            let delta: Int
            switch action {
            case .down: delta = 1
            case .up: delta = -1
            case .pageDown: delta = max(1, page - 1)
            case .pageUp: delta = -max(1, page - 1)
            case .halfPageDown: delta = max(1, page / 2)
            case .halfPageUp: delta = -max(1, page / 2)
            case .top: delta = -1_000_000
            default: delta = 1_000_000
            }
            move(delta)
        case .open:
            switch state.focus {
            case .retailers: state.focus = .versions
            case .versions: state.focus = .sections
            case .sections:
                let items = treeItems
                if items.indices.contains(state.sections.selected) {
                    let s = items[state.sections.selected]
                    if !s.children.isEmpty, state.collapsed.contains(s.path) { state.collapsed.remove(s.path) }
                    else { state.focus = .reader }
                }
            case .reader: break
            }
        case .back:
            switch state.focus {
            case .sections:
                let items = treeItems
                if items.indices.contains(state.sections.selected) {
                    let s = items[state.sections.selected]
                    if !s.children.isEmpty, !state.collapsed.contains(s.path) { state.collapsed.insert(s.path) }
                    else if let parent = items.firstIndex(where: { s.path.hasPrefix($0.path + ".") && $0.path.count < s.path.count && s.path.split(separator: ".").dropLast().joined(separator: ".") == $0.path }) {
                        state.sections.selected = parent
                        scrollReaderToSection()
                    } else { state.focus = .versions }
                }
            case .reader: state.focus = .sections
            case .versions: state.focus = .retailers
            case .retailers: break
            }
        default: break
        }
    }

    func move(_ delta: Int) {
        switch state.focus {
        case .retailers:
            let before = state.retailers.selected
            state.retailers.move(delta, count: retailers.count)
            if before != state.retailers.selected { selectVersion(max(0, (retailer?.versions.count ?? 1) - 1)) }
        case .versions:
            let before = state.versions.selected
            state.versions.move(delta, count: retailer?.versions.count ?? 0)
            if before != state.versions.selected { selectVersion(state.versions.selected) }
        case .sections:
            state.sections.move(delta, count: treeItems.count)
            scrollReaderToSection()
        case .reader:
            let total = readerLines().count
            state.readerOffset = max(0, min(max(0, total - readerHeight()), state.readerOffset + delta))
            followReader()
        }
    }

    /// Opens `mode` from the view shown, which Esc then goes back to.
    func open(_ mode: AppState.Mode) {
        if state.mode != mode { state.returns.append(state.mode) }
        state.mode = mode
    }

    /// The key of a view of one content (the heat map, the change feed): closes it when shown,
    /// goes back to it when it is among the views to go back to (so t C t C… piles nothing up),
    /// else opens it.
    func toggle(_ mode: AppState.Mode) {
        if state.mode == mode { goBack(else: .browse) }
        else if let i = state.returns.lastIndex(of: mode) {
            state.returns.removeSubrange(i...)
            state.mode = mode
        } else { open(mode) }
    }

    /// Goes back to the view the one shown was opened from, else to `fallback`.
    func goBack(else fallback: AppState.Mode) { state.mode = state.returns.popLast() ?? fallback }

    /// Shows `mode` afresh: Esc goes back to nothing opened before.
    func show(_ mode: AppState.Mode) {
        state.returns.removeAll()
        state.mode = mode
    }

    func selectVersion(_ i: Int) {
        // Another version in the reader: Esc no longer leads back to the heat map.
        if state.mode == .browse { state.returns.removeAll() }
        state.versions.selected = i
        state.sections = ListState()
        state.collapsed = []
        state.readerOffset = 0
    }

    /// Scrolls the reader to the heading of the section selected in the tree.
    func scrollReaderToSection() {
        let items = treeItems
        guard items.indices.contains(state.sections.selected) else { return }
        let path = items[state.sections.selected].path
        // The first section from the top, the policy's title over it.
        if state.sections.selected == 0 { state.readerOffset = 0; return }
        // Its heading on the first row, not the blank row before it.
        if let row = readerLines().firstIndex(where: { $0.sectionPath == path && !$0.runs.isEmpty }) { state.readerOffset = row }
    }

    /// The tree follows the reader: the section of the top line is selected (over the policy's
    /// title, which belongs to no section, the first one below it).
    func followReader() {
        let lines = readerLines()
        guard lines.indices.contains(state.readerOffset),
              let path = lines[state.readerOffset...].lazy.compactMap(\.sectionPath).first else { return }
        if let i = treeItems.firstIndex(where: { $0.path == path }) { state.sections.selected = i }
    }

    // MARK: retailer filter

    func refilter() {
        if filterNames == nil { filterNames = retailers.domainsAndNames().map { $0.name == $0.domain ? $0.name : $0.name + " " + $0.domain } }
        let ranked = Fuzzy.rank(state.filterText, filterNames ?? [])
        state.filterMatches = ranked.map(\.index)
        state.filterPositions = ranked.map(\.positions)
        state.filterList = ListState()
    }

    func handleFilterKey(_ key: Key) {
        switch key {
        case .escape, .ctrl("g"):
            state.filtering = false
            return
        case .enter:
            state.filtering = false
            guard state.filterMatches.indices.contains(state.filterList.selected) else { return }
            let r = state.filterMatches[state.filterList.selected]
            state.retailers.selected = r
            selectVersion(max(0, retailers[r].versions.count - 1))
            return
        case .down, .ctrl("n"), .tab: state.filterList.move(1, count: state.filterMatches.count); return
        case .up, .ctrl("p"), .backTab: state.filterList.move(-1, count: state.filterMatches.count); return
        case .pageDown: state.filterList.move(10, count: state.filterMatches.count); return
        case .pageUp: state.filterList.move(-10, count: state.filterMatches.count); return
        case .backspace, .delete:
            if !state.filterText.isEmpty { state.filterText.removeLast() }
        case .ctrl("u"): state.filterText = ""
        case .char(let c): state.filterText.append(c)
        default: return
        }
        refilter()
    }

    // MARK: search

    func handleSearchKey(_ key: Key) -> [Effect] {
        switch key {
        case .escape, .ctrl("g"):
            state.searching = false
            restorePreviousSearch()
            return []
        case .enter:
            state.searching = false
            // Nothing typed: the last search again, at the hit it was on (n goes on from there).
            if restorePreviousSearch() { return [] }
            // Typed faster than the search answers: the query's first hit opens when it comes.
            if state.searchPending { state.openWhenAnswered = true; return [] }
            if !state.hits.isEmpty { openHit(state.hitList.selected) }
            return []
        case .down, .ctrl("n"), .tab:
            state.hitList.move(1, count: state.hits.count)
            return []
        case .up, .ctrl("p"), .backTab:
            state.hitList.move(-1, count: state.hits.count)
            return []
        case .pageDown: state.hitList.move(10, count: state.hits.count); return []
        case .pageUp: state.hitList.move(-10, count: state.hits.count); return []
        default: break
        }
        // Line editing as readline does it: the cursor moves, and text goes in and out where it is.
        var text = Array(state.query)
        let at = min(state.queryCursor ?? text.count, text.count)
        var cursor = at
        switch key {
        case .left, .ctrl("b"): cursor = max(0, at - 1)
        case .right, .ctrl("f"): cursor = min(text.count, at + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = text.count
        case .backspace:
            guard at > 0 else { return [] }
            text.remove(at: at - 1)
            cursor = at - 1
        case .delete, .ctrl("d"):
            guard at < text.count else { return [] }
            text.remove(at: at)
        case .ctrl("u"):
            text.removeSubrange(0..<at)
            cursor = 0
        case .ctrl("k"): text.removeSubrange(at..<text.count)
        case .ctrl("w"):
            let start = wordStart(text, before: at)
            text.removeSubrange(start..<at)
            cursor = start
        case .alt("b"): cursor = wordStart(text, before: at)
        case .alt("f"): cursor = wordEnd(text, after: at)
        case .alt("d"): text.removeSubrange(at..<wordEnd(text, after: at))
        case .char(let c):
            text.insert(c, at: at)
            cursor = at + 1
        default: return []
        }
        let edited = String(text)
        // Counted again in the joined text: a combining mark typed alone joins the letter before it.
        let joined = String(text[..<cursor]).count
        state.queryCursor = joined >= edited.count ? nil : joined
        guard edited != state.query else { return [] }
        state.query = edited
        if state.query.trimmingCharacters(in: .whitespaces).isEmpty {
            state.searchGeneration += 1
            state.searchPending = false
            state.hits = []; state.hitsCapped = false
            return []
        }
        return [requestSearch()]
    }

    /// Where the word before `at` starts (spaces before it skipped), as readline's Alt-b and Ctrl-w.
    func wordStart(_ text: [Character], before at: Int) -> Int {
        var start = at
        while start > 0, text[start - 1] == " " { start -= 1 }
        while start > 0, text[start - 1] != " " { start -= 1 }
        return start
    }

    /// Where the word after `at` ends (spaces before it skipped), as readline's Alt-f and Alt-d.
    func wordEnd(_ text: [Character], after at: Int) -> Int {
        var end = at
        while end < text.count, text[end] == " " { end += 1 }
        while end < text.count, text[end] != " " { end += 1 }
        return end
    }

    /// A hit's section as the browser names it ("Preamble" for the text before the first heading).
    static func sectionName(_ hit: SearchHit) -> String { hit.sectionTitle.isEmpty ? "Preamble" : hit.sectionTitle }

    /// How many hits the prompt lists, best first.
    static let hitLimit = 200

    /// "200+" when there are more than the prompt lists (a narrower query finds them), else the count.
    var hitCount: String { "\(state.hits.count)\(state.hitsCapped ? "+" : "")" }

    /// With nothing typed in the prompt, the search before it comes back (as in less and vim).
    @discardableResult
    func restorePreviousSearch() -> Bool {
        guard state.query.trimmingCharacters(in: .whitespaces).isEmpty, let previous = state.previousSearch else { return false }
        (state.query, state.hits, state.hitsCapped, state.currentHit) = previous
        state.queryCursor = nil
        state.hitList = ListState()
        state.hitList.selected = previous.currentHit ?? 0
        return true
    }

    /// Runs an effect (called off the input loop by the runner, or inline by tests).
    public func run(_ effect: Effect) -> EffectResult {
        switch effect {
        case .search(let query, let generation):
            guard isLatestSearch(generation) else { return .searchResults(generation: generation, hits: []) }
            // One more than is listed: whether there are more.
            return .searchResults(generation: generation, hits: index?.search(query, limit: Self.hitLimit + 1, prefixLast: true, snippets: false) ?? [])
        case .changeFeed:
            return .changeFeed(changeFeedSource(Array(retailers)))
        }
    }

    /// Takes an effect's result; stale search results (an older generation) are dropped.
    public func receive(_ result: EffectResult) {
        switch result {
        case .searchResults(let generation, let hits):
            guard generation == state.searchGeneration else { return }
            state.searchPending = false
            state.hits = Array(hits.prefix(Self.hitLimit))
            state.hitsCapped = hits.count > Self.hitLimit
            state.hitList = ListState()
            state.currentHit = nil
            if state.openWhenAnswered {
                state.openWhenAnswered = false
                if !state.searching, !state.hits.isEmpty { openHit(0) }
            }
        case .changeFeed(let changes):
            changeFeed = changes
        }
    }

    /// The next (or previous) clause of the walked category after the one shown, round the ends.
    func walkCategory(_ walk: AppState.CategoryWalk, forward: Bool) {
        let shown = state.shownClause.flatMap { $0.doc == walk.doc ? $0.index : nil } ?? -1
        let next = forward ? walk.clauses.firstIndex { $0 > shown } : walk.clauses.lastIndex { $0 < shown }
        let k = next ?? (forward ? 0 : walk.clauses.count - 1)
        showClause(walk.clauses[k])
        state.message = (next == nil ? (forward ? "from the first clause again · " : "from the last clause again · ") : "")
            + "\(walk.title): clause \(k + 1) of \(walk.clauses.count) (n N)"
    }

    /// Opens hit `i` in the reader: its retailer, version and clause, every match highlighted.
    func openHit(_ i: Int) {
        guard state.hits.indices.contains(i) else { return }
        state.categoryWalk = nil
        let hit = state.hits[i]
        state.currentHit = i
        state.hitList.selected = i
        state.highlightQuery = state.query.isEmpty ? state.highlightQuery : state.query
        guard let r = retailers.position(ofDomain: hit.domain),
              let v = retailers[r].versions.firstIndex(where: { $0.id == hit.doc }) else { return }
        show(.browse)
        state.retailers.selected = r
        if state.versions.selected != v || documentCache == nil { selectVersion(v) }
        state.focus = .reader
        showClause(hit.clauseIndex)
        state.message = "hit \(i + 1) of \(hitCount): \(hit.retailer) · \(hit.date) · \(Self.sectionName(hit))"
    }

    /// Scrolls the reader to clause `index` of the document.
    func showClause(_ index: Int) {
        if let doc = document { state.shownClause = .init(doc: doc.id, index: index) }
        let lines = readerLines()
        if let row = Self.row(ofClause: index, in: lines) {
            state.readerOffset = Self.offset(showing: row, in: lines, height: readerHeight())
        }
        followReader()
    }

    /// The first line of clause `index`, else the first line of a later clause (a table's header
    /// has no line of its own when the table is shown as records).
    static func row(ofClause index: Int, in lines: [Line]) -> Int? {
        lines.firstIndex { $0.clauseIndex == index } ?? lines.firstIndex { ($0.clauseIndex ?? -1) >= index }
    }

    /// The reader's first line for showing line `row`: its section's whole heading at the top when
    /// the line is within half a window of it, else the line with two lines above it (the pinned
    /// heading then says which section it is in).
    static func offset(showing row: Int, in lines: [Line], height: Int) -> Int {
        if let start = headingStart(of: row, in: lines), row - start <= height / 2 { return start }
        return max(0, row - 2)
    }

    /// The first line of the heading of the section that line `row` belongs to (nil in the preamble,
    /// which has none).
    static func headingStart(of row: Int, in lines: [Line]) -> Int? {
        guard lines.indices.contains(row), let path = lines[row].sectionPath else { return nil }
        var k = row
        while k > 0, lines[k - 1].sectionPath == path { k -= 1 }
        // The section's lines start with a blank line (after the previous section), then its heading.
        while k < row, lines[k].runs.isEmpty { k += 1 }
        return lines[k].clauseIndex == nil && !lines[k].runs.isEmpty ? k : nil
    }

    /// Match ranges of the highlighted query in the current document.
    func highlights() -> Highlights {
        guard let query = state.highlightQuery, let doc = document, let index else { return [:] }
        let key = doc.id + "|" + query
        if let cache = highlightCache, cache.key == key { return cache.highlights }
        let terms = SearchQuery(query).terms
        let styles = [Style(.searchMatch, [.bold, .reverse]), Style(.searchMatch2, [.bold, .reverse]), Style(.searchMatch3, [.bold, .reverse])]
        var out: Highlights = [:]
        // Every hit of the version, unscored: only their matches are shown (the phrases' IDFs
        // were most of it in 100 000 policies). The filters come first, so that the query's last
        // word is a prefix as it was in the list of hits.
        for hit in index.search("retailer:\(doc.domain) date:\(doc.archiveDate) " + query, limit: 100_000, prefixLast: true,
                                snippets: false, scored: false)
            where hit.doc == doc.id {
            let scalars = Array(hit.text.unicodeScalars)
            out[hit.clauseIndex] = hit.matches.map { m in
                let word = String(String.UnicodeScalarView(scalars[m[0]..<min(m[1], scalars.count)])).lowercased()
                let n = terms.firstIndex { term in
                    let stem = String(term.prefix(max(3, min(term.count, 4))))
                    return word.hasPrefix(stem) || term.hasPrefix(word)
                } ?? 0
                return (m[0]..<m[1], styles[n % styles.count])
            }
        }
        highlightCache = (key, out)
        return out
    }

    // MARK: compare

    func startCompare() {
        guard let retailer, let doc = document else { return }
        var pair: (PolicyDocument, PolicyDocument)?
        if let marked = state.marked, marked != doc.id, let other = retailers.document(id: marked) {
            pair = other.archiveDate <= doc.archiveDate ? (other, doc) : (doc, other)
        } else if retailer.versions.count >= 2 {
            // The selected version against the one before it (the first against the next), as the
            // versions pane's "since previous" counts.
            let n = max(1, min(retailer.versions.count - 1, state.versions.selected))
            pair = (retailer.versions[n - 1], retailer.versions[n])
        }
        guard let (a, b) = pair else {
            state.message = "\(retailer.name) has one version: m marks a version, c on another compares"
            return
        }
        state.comparing = (a.id, b.id)
        state.compareOffset = 0
        state.compareChange = nil
        state.compareSelectedPair = nil
        show(.compare)
    }

    func comparison(columnWidth: Int) -> (Comparison, CompareLayout)? {
        guard let ids = state.comparing, let a = retailers.document(id: ids.left), let b = retailers.document(id: ids.right) else { return nil }
        let key = "\(ids.left)|\(ids.right)|\(columnWidth)|\(colour)|\(unicode)"
        if let cache = compareCache, cache.key == key { return (cache.comparison, cache.layout) }
        let c = compareCache.flatMap { $0.comparison.left.id == a.id && $0.comparison.right.id == b.id ? $0.comparison : nil }
            ?? Comparison(a, b)
        let layout = CompareLayout(c, width: columnWidth, colour: colour, unicode: unicode,
                                   facts: FactDiff(old: facts(a), new: facts(b)))
        // Laid out anew for another width (a resize, `s`): the same section stays in view, as far
        // into it as it was.
        if let old = compareCache?.layout, compareCache?.comparison.left.id == a.id, compareCache?.comparison.right.id == b.id {
            state.compareOffset = Self.sameplace(state.compareOffset, from: old, to: layout, pane: compareGeometry().paneHeight)
            state.compareChange = nil
        }
        compareCache = (key, c, layout)
        return (c, layout)
    }

    /// The row of `to` showing what row `offset` of `from` shows: the same pair, the same share of it,
    /// back to the start of the paragraph there when that leaves the row in the top half of a pane
    /// of `pane` rows (a long paragraph's changed sentence stays in view).
    static func sameplace(_ offset: Int, from: CompareLayout, to: CompareLayout, pane: Int = .max) -> Int {
        guard let p = from.pairStarts.lastIndex(where: { $0 <= offset }), to.pairStarts.indices.contains(p) else { return offset }
        func height(_ layout: CompareLayout, _ p: Int) -> Int {
            (p + 1 < layout.pairStarts.count ? layout.pairStarts[p + 1] : layout.left.count) - layout.pairStarts[p]
        }
        let into = Double(offset - from.pairStarts[p]) / Double(max(1, height(from, p)))
        var row = to.pairStarts[p] + Int((into * Double(height(to, p))).rounded(.down))
        // From the top of that paragraph, not halfway into a sentence.
        func blank(_ r: Int) -> Bool {
            [to.left, to.right].allSatisfy { side in r >= side.count || side[r].runs.allSatisfy { $0.text.allSatisfy(\.isWhitespace) } }
        }
        if offset != from.pairStarts[p] {
            var start = row
            while start > to.pairStarts[p], !blank(start - 1) { start -= 1 }
            if row - start < max(1, pane / 2) { row = start }
        }
        return row
    }

    func compareAction(_ action: Action) {
        guard let (c, layout) = comparison(columnWidth: compareGeometry().column) else { return }
        // Tab: the sections list takes the keys (a pair per line, the text follows it); Tab, Enter
        // or `l` give them back to the text.
        if compareGeometry().treeWidth == 0 { state.compareSelectedPair = nil }
        if action == .nextPane || action == .previousPane {
            if compareGeometry().treeWidth == 0 { state.message = "the sections list shows from 100 columns" }
            else if state.compareSelectedPair != nil { state.compareSelectedPair = nil }
            else { state.compareSelectedPair = listedPair(layout) }
            return
        }
        if let current = state.compareSelectedPair {
            let page = max(1, compareListRows)
            var target: Int?
            switch action {
            case .down: target = current + 1
            case .up: target = current - 1
            case .pageDown: target = current + page
            case .pageUp: target = current - page
            case .halfPageDown: target = current + page / 2
            case .halfPageUp: target = current - page / 2
            case .top: target = 0
            case .bottom: target = c.pairs.count - 1
            // ]c [c: the next (previous) section that changed.
            case .nextChange:
                target = c.pairs.indices.first { $0 > current && c.pairs[$0].status != .unchanged }
                if target == nil { state.message = "no more changes below"; return }
            case .previousChange:
                target = c.pairs.indices.last { $0 < current && c.pairs[$0].status != .unchanged }
                if target == nil { state.message = "no earlier change"; return }
            case .open: state.compareSelectedPair = nil; return
            default: break
            }
            if let target {
                selectPair(max(0, min(c.pairs.count - 1, target)), layout)
                return
            }
        }
        // A change inside a pair lands a row below the top, where the pair's pinned heading does not
        // cover it (as the reader lands a hit); `]c` goes on from the change it went to, also on
        // the last page, where the view cannot bring it to the top.
        func inPair(_ row: Int) -> Bool { (layout.pairStarts.last { $0 <= row }).map { $0 < row } ?? false }
        if action == .nextChange || action == .previousChange {
            let landed = inPair(state.compareOffset + 1) && layout.changeRows.contains(state.compareOffset + 1)
            let from = state.compareChange ?? (landed ? state.compareOffset + 1 : state.compareOffset)
            let stops = layout.changeRows
            guard let stop = action == .nextChange ? stops.first(where: { $0 > from }) : stops.last(where: { $0 < from }) else {
                state.message = action == .nextChange ? "no more changes below" : "no earlier change"
                return
            }
            state.compareChange = stop
            let last = max(0, layout.left.count - compareGeometry().paneHeight)
            state.compareOffset = min(last, inPair(stop) ? stop - 1 : stop)
            return
        }
        switch Self.scroll(state.compareOffset, action, rows: layout.left.count,
                           height: compareGeometry().paneHeight, stops: layout.changeRows) {
        case .moved(let offset):
            state.compareOffset = offset
            state.compareChange = nil
        case .noNextStop, .noPreviousStop, .notAScroll: break
        }
    }

    /// The pair the comparison's sections list marks: the selected one, else the one of the change
    /// `]c` went to, else the one at the top of the text.
    func listedPair(_ layout: CompareLayout) -> Int {
        state.compareSelectedPair ?? state.compareChange.flatMap { row in layout.pairStarts.lastIndex { $0 <= row } }
            ?? layout.pairStarts.lastIndex { $0 <= state.compareOffset } ?? 0
    }

    /// Rows of the comparison's sections list (inside its box, above the status line).
    var compareListRows: Int { state.height - 3 }

    /// Selects pair `p` in the sections list and scrolls the text to its first row (as far as the
    /// last page allows).
    func selectPair(_ p: Int, _ layout: CompareLayout) {
        guard layout.pairStarts.indices.contains(p) else { return }
        state.compareSelectedPair = p
        state.compareChange = nil
        state.compareOffset = max(0, min(layout.pairStarts[p], layout.left.count - compareGeometry().paneHeight))
    }

    enum ScrollResult: Equatable { case moved(Int), noNextStop, noPreviousStop, notAScroll }

    /// A two-column view's scrolling: lines, pages, ends, and `]c`/`[c` between `stops` (first rows of
    /// changes or categories), clamped so the last page stays full.
    static func scroll(_ offset: Int, _ action: Action, rows: Int, height: Int, stops: [Int]) -> ScrollResult {
        func clamp(_ row: Int) -> ScrollResult { .moved(max(0, min(max(0, rows - height), row))) }
        switch action {
        case .down: return clamp(offset + 1)
        case .up: return clamp(offset - 1)
        case .pageDown: return clamp(offset + max(1, height - 1))
        case .pageUp: return clamp(offset - max(1, height - 1))
        case .halfPageDown: return clamp(offset + max(1, height / 2))
        case .halfPageUp: return clamp(offset - max(1, height / 2))
        case .top: return clamp(0)
        case .bottom: return clamp(rows)
        case .nextChange, .nextHit:
            // A stop on the last page is already in view there: the view cannot go further.
            let last = max(0, rows - height)
            guard let stop = stops.first(where: { $0 > offset }), offset < last else { return .noNextStop }
            return .moved(min(stop, last))
        case .previousChange, .previousHit: return stops.last { $0 < offset }.map { .moved($0) } ?? .noPreviousStop
        default: return .notAScroll
        }
    }

    // MARK: mouse

    func handleMouse(_ m: MouseEvent) {
        if state.showHelp {
            if m.kind == .wheelDown { for _ in 0..<3 { scrollHelp(.down) } }
            if m.kind == .wheelUp { for _ in 0..<3 { scrollHelp(.up) } }
            return
        }
        // A click in the comparison's sections list selects that pair, the wheel there moves the
        // selection; a click or the wheel on the text gives it the keys back.
        if state.mode == .compare, let (c, layout) = comparison(columnWidth: compareGeometry().column) {
            if m.x < compareGeometry().treeWidth {
                let visible = compareListRows
                let current = listedPair(layout)
                switch m.kind {
                case .press:
                    let p = Self.treeFirst(current: current, count: c.pairs.count, visible: visible) + m.y - 1
                    if m.y >= 1, m.y <= visible, c.pairs.indices.contains(p) { selectPair(p, layout) }
                case .wheelDown: selectPair(min(c.pairs.count - 1, current + 1), layout)
                case .wheelUp: selectPair(max(0, current - 1), layout)
                }
                return
            }
            state.compareSelectedPair = nil
        }
        if state.mode != .browse {
            let scroll: (Action) -> Void = state.mode == .compare ? { self.compareAction($0) }
                : state.mode == .changes ? { self.changesAction($0) } : { self.topicsAction($0) }
            if m.kind == .wheelDown { for _ in 0..<3 { scroll(.down) } }
            if m.kind == .wheelUp { for _ in 0..<3 { scroll(.up) } }
            return
        }
        let rects = paneRects()
        for pane in AppState.Pane.allCases {
            guard let r = rects[pane], r.contains(m.x, m.y) else { continue }
            state.focus = pane
            switch m.kind {
            case .wheelDown: move(3)
            case .wheelUp: move(-3)
            case .press:
                let row = m.y - r.y - 1
                guard row >= 0 else { return }
                switch pane {
                case .retailers: move(state.retailers.offset + row - state.retailers.selected)
                case .versions: move(state.versions.offset + row - state.versions.selected)
                case .sections: move(state.sections.offset + row - state.sections.selected)
                case .reader: break
                }
            }
            return
        }
    }

    // MARK: layout

    static let minimumSize = (width: 30, height: 8)

    var isTooSmall: Bool { state.width < Self.minimumSize.width || state.height < Self.minimumSize.height }

    /// Panes on screen at this size (narrow terminals show fewer at once).
    func visiblePanes() -> [AppState.Pane] {
        Array(paneRects().keys).sorted { $0.rawValue < $1.rawValue }
    }

    /// Where each browse pane sits; collapsed sensibly at smaller widths.
    func paneRects() -> [AppState.Pane: Rect] {
        let w = state.width
        let h = state.height - 1   // status line
        if w >= 100 {
            let left = min(30, max(24, w / 5))
            let tree = min(40, max(28, w / 4))
            let top = max(5, min(retailers.count + 2, h / 2))
            return [.retailers: Rect(0, 0, left, top), .versions: Rect(0, top, left, h - top),
                    .sections: Rect(left, 0, tree, h), .reader: Rect(left + tree, 0, w - left - tree, h)]
        }
        if w >= 60 {
            let left = max(22, w * 3 / 10)
            let third = h / 3
            return [.retailers: Rect(0, 0, left, third), .versions: Rect(0, third, left, third),
                    .sections: Rect(0, 2 * third, left, h - 2 * third), .reader: Rect(left, 0, w - left, h)]
        }
        // Very narrow: the focused pane fills the screen; Tab walks through them.
        return [state.focus: Rect(0, 0, w, h)].merging(
            AppState.Pane.allCases.filter { $0 != state.focus }.map { ($0, Rect(0, 0, 0, 0)) }, uniquingKeysWith: { a, _ in a })
    }

    func readerWidth() -> Int { max(10, (paneRects()[.reader]?.width ?? state.width) - 4) }
    func readerHeight() -> Int { max(1, (paneRects()[.reader]?.height ?? state.height) - 2) }

    func readerLines() -> [Line] {
        guard let doc = document else { return [] }
        let width = max(10, state.width >= 60 ? readerWidth() : state.width - 4)
        let key = "\(doc.id)|\(width)|\(state.highlightQuery ?? "")|\(state.showLinks)|\(state.showTags && categoriesRead())|\(unicode)"
        if let cache = documentCache, cache.key == key { return cache.lines }
        laidOutWithoutTags = state.showTags && !categoriesRead()
        let lines = DocumentLayout.lines(doc, width: width, highlights: highlights(), showLinks: state.showLinks, unicode: unicode,
                                         tags: state.showTags ? tagTexts(doc) : [:])
        documentCache = (key, lines)
        return lines
    }

    func compareGeometry() -> (column: Int, paneHeight: Int, treeWidth: Int) {
        // Wider terminals give the tree room for whole titles; prose columns stay near 100.
        let tree = state.width >= 100 ? min(state.width >= 200 ? 48 : 32, state.width / 5) : 0
        let rest = state.width - tree
        let h = state.height - 1
        // A column inside its box, a space either side, as the reader's.
        if state.stacked { return (max(8, rest - 4), max(1, (h - 4) / 2), tree) }
        return (max(8, rest / 2 - 4), max(1, h - 2), tree)
    }

    /// Versions' change since the previous one, for the timeline bars.
    func history(_ retailer: Retailer) -> [ComparisonStats] {
        if let cached = historyCache[retailer.domain] { return cached }
        let stats = retailer.versions.readingSections { Comparison.history(of: retailer).map(\.stats) }
        historyCache[retailer.domain] = stats
        return stats
    }

    /// Resizes the screen; layouts are recomputed on the next frame.
    public func resize(width: Int, height: Int) {
        keepingReaderPlace {
            state.width = width
            state.height = height
        }
    }

    /// Runs `change` and keeps the reader on the same clause: line numbers change when text rewraps,
    /// also while another view (a comparison, the topics) covers the reader.
    func keepingReaderPlace(_ change: () -> Void) {
        placeReader(anchoredIn: readerLines(), change)
    }

    /// Runs `change`, then puts the reader on the clause (or section) it showed at the top of `lines`,
    /// as many rows into it as the top row was (a heading or blank row above a clause counts as
    /// rows before it). A screen too small to draw keeps that clause until a size that can show it.
    private func placeReader(anchoredIn lines: [Line], _ change: () -> Void) {
        // Kept only while nothing moved the reader meanwhile (keys still work on a tiny screen).
        let held = heldReaderAnchor.flatMap { $0.doc == document?.id && $0.offset == state.readerOffset ? $0.line : nil }
        var anchor = held ?? (lines.indices.contains(state.readerOffset) ? lines[state.readerOffset] : nil)
        // Rows from the clause's first row to the top row, or (a blank row at a section's end) from its last.
        var within = 0, fromEnd = false, rows = 1
        let topRow = state.readerOffset
        if held == nil, let top = anchor, let path = top.sectionPath {
            let section = lines[state.readerOffset...].prefix(while: { $0.sectionPath == path })
            if let k = section.firstIndex(where: { $0.clauseIndex != nil }), let clause = lines[k].clauseIndex,
               let first = Self.row(ofClause: clause, in: lines) {
                anchor = lines[k]
                within = state.readerOffset - first
                rows = lines[first...].prefix(while: { $0.clauseIndex == clause }).count
            } else if let k = lines[..<state.readerOffset].lastIndex(where: { $0.clauseIndex != nil }), lines[k].sectionPath == path {
                anchor = lines[k]
                within = state.readerOffset - k
                fromEnd = true
            }
        }
        change()
        guard let anchor, let doc = document?.id else { return }
        if isTooSmall { heldReaderAnchor = (doc, state.readerOffset, anchor); return }
        heldReaderAnchor = nil
        let relaid = readerLines()
        if let clause = anchor.clauseIndex, let row = Self.row(ofClause: clause, in: relaid), relaid[row].sectionPath == anchor.sectionPath {
            // (A table's header has no row of its own as records: its first row stands for it.)
            let landed = relaid[row].clauseIndex
            let count = relaid[row...].prefix(while: { $0.clauseIndex == landed }).count
            // The row that reads the same, tags aside (tags shown or hidden); else, rewrapped, the
            // same share of the clause.
            let text = lines.indices.contains(topRow) ? Self.untagged(lines[topRow].text) : ""
            let same = within > 0 && !text.isEmpty ? (row..<(row + count)).first { Self.untagged(relaid[$0].text) == text } : nil
            let into = landed != clause ? 0 : same.map { $0 - row } ?? (within > 0 && count != rows ? within * count / rows : within)
            state.readerOffset = fromEnd ? min(row + count - 1 + within, relaid.count - 1) : max(0, min(row + into, row + count - 1))
        } else if let path = anchor.sectionPath, let row = relaid.firstIndex(where: { $0.sectionPath == path }) {
            state.readerOffset = row
        }
    }

    /// A reader row's text without its category tags ("… the order. ‹collect›").
    static func untagged(_ text: String) -> String {
        guard let open = text.firstIndex(of: "‹") else { return text }
        return String(text[..<open]).trimmingCharacters(in: .whitespaces)
    }

    public var wantsQuit: Bool { state.quit }
}

extension AppState {
    var pendingAction: Action? {
        get { pendingActionRaw.flatMap(Action.init(rawValue:)) }
        set { pendingActionRaw = newValue?.rawValue }
    }
}
