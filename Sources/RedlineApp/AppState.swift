import PolicyCore
import TerminalUI

/// A scrollable list's position: the selected row and the first visible one (clamped when drawn).
public struct ListState: Sendable, Equatable {
    public var selected = 0
    public var offset = 0
    public init() {}

    mutating func move(_ delta: Int, count: Int) {
        selected = max(0, min(count - 1, selected + delta))
    }

    /// Keeps the selection visible in `height` rows.
    mutating func clamp(count: Int, height: Int) {
        selected = max(0, min(max(0, count - 1), selected))
        if selected < offset { offset = selected }
        if height > 0, selected >= offset + height { offset = selected - height + 1 }
        offset = max(0, min(offset, max(0, count - height)))
    }
}

/// Everything the screen shows, as one value.
public struct AppState: Sendable {
    public enum Pane: Int, CaseIterable, Sendable { case retailers, versions, sections, reader }
    public enum Mode: Sendable, Equatable { case browse, compare, topics, categoryCompare, changes }

    public var width: Int
    public var height: Int
    public var focus: Pane = .retailers
    public var mode: Mode = .browse
    /// The views Esc goes back to, the latest last: a comparison opened from the change feed, the
    /// heat map or the feed opened from a comparison, the reader opened from the heat map.
    public var returns: [Mode] = []
    public var showHelp = false
    /// The first help row shown when the help does not fit the window.
    public var helpOffset = 0
    public var showLinks = false
    public var retailers = ListState()
    public var versions = ListState()
    public var sections = ListState()
    /// Collapsed section paths in the tree.
    public var collapsed: Set<String> = []
    public var readerOffset = 0
    /// A version marked with `m` for comparison.
    public var marked: String?
    /// Category tags on clauses in the reader.
    public var showTags = true
    /// The facts panel of the selected version.
    public var showFacts = false
    public var factList = ListState()
    // Topics: the retailer × category grid, and two retailers compared category by category.
    public var topicRows = ListState()
    public var topicMarked: String?
    /// The selected category column, and the first one shown when they do not all fit.
    public var topicColumn = 0
    public var topicColumnOffset = 0
    public var categoryComparing: (left: String, right: String)?
    public var categoryOffset = 0
    /// Every clause of each category in full, not the first few in three lines each (Enter toggles).
    public var categoryExpanded = false

    // Changes: the feed of every version against the one before, and its filters.
    public var changeList = ListState()
    public var changeCategory: PrivacyCategory?
    public var changeFact: PolicyFact.Kind?

    // The fuzzy filter of the retailer list: open while typing; matches are retailer indices.
    public var filtering = false
    public var filterText = ""
    public var filterMatches: [Int] = []
    public var filterPositions: [[Int]] = []
    public var filterList = ListState()

    // Search
    public var searching = false          // the prompt is open and takes keys
    public var query = ""
    /// The clause the reader was last taken to (a search hit, a fact, a category's clause), marked
    /// in the margin while its document is shown.
    public var shownClause: ShownClause?
    /// The clauses of one category in the version a topics Enter opened: n and N walk them (until
    /// a search hit is opened).
    public var categoryWalk: CategoryWalk?
    public struct CategoryWalk: Equatable, Sendable { public var doc: String; public var title: String; public var clauses: [Int] }
    public struct ShownClause: Equatable, Sendable { public var doc: String; public var index: Int }
    /// Where the prompt's cursor is, in characters of `query`; nil at its end.
    public var queryCursor: Int?
    public var hits: [SearchHit] = []
    /// More clauses matched than the prompt lists (`BrowserApp.hitLimit`).
    public var hitsCapped = false
    public var hitList = ListState()
    public var searchGeneration = 0
    public var searchPending = false      // the latest query has not answered yet
    /// Enter came before the latest query's answer: open its first hit when it comes.
    public var openWhenAnswered = false
    public var currentHit: Int?
    public var highlightQuery: String?
    /// The search before the prompt was opened again: an empty prompt closed with Esc gives it back
    /// (n and N walk it still, as in less and vim).
    public var previousSearch: (query: String, hits: [SearchHit], capped: Bool, currentHit: Int?)?

    // Compare
    public var comparing: (left: String, right: String)?
    public var compareOffset = 0
    /// The change `]c`/`[c` last went to (a row of the layout): on the last page it may sit below
    /// the top row, and the sections list marks its pair, not the top one's.
    public var compareChange: Int?
    /// The pair selected in the comparison's sections list while that list has the keys (Tab).
    public var compareSelectedPair: Int?
    /// nil: automatic (stacked below 120 columns).
    public var stackedChoice: Bool?
    public var message: String?
    public var pendingBracket = false
    var pendingActionRaw: String?
    public var quit = false

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    public var stacked: Bool { stackedChoice ?? (width < 120) }
}
