import TerminalUI

/// Every user action, with the help text the overlay and status bar show.
public enum Action: String, CaseIterable, Sendable {
    case down, up, top, bottom, pageDown, pageUp, halfPageDown, halfPageUp, nextPane, previousPane, open, back
    case search, nextHit, previousHit, compare, mark, nextChange, previousChange, toggleStack
    case filter, toggleLinks, toggleTags, facts, topics, changes, help, escape, quit

    public var help: String {
        switch self {
        case .down: return "move down"
        case .up: return "move up"
        case .top: return "go to the top"
        case .bottom: return "go to the bottom"
        case .pageDown: return "page down"
        case .pageUp: return "page up"
        case .halfPageDown: return "half a page down"
        case .halfPageUp: return "half a page up"
        case .nextPane: return "next pane"
        case .previousPane: return "previous pane"
        case .open: return "open / expand"
        case .back: return "collapse / back"
        case .search: return "search every clause"
        case .nextHit: return "next search hit (or clause of the category opened)"
        case .previousHit: return "previous search hit (or category clause)"
        case .compare: return "compare: selected ↔ previous, or marked ↔ selected"
        case .mark: return "mark a version to compare"
        case .nextChange: return "next change (in compare)"
        case .previousChange: return "previous change (in compare)"
        case .toggleStack: return "side by side ↔ stacked"
        case .toggleLinks: return "show link URLs"
        case .filter: return "filter the retailers as you type (fuzzy)"
        case .toggleTags: return "category tags on clauses"
        case .facts: return "facts of this version (contacts, age, laws…)"
        case .topics: return "topics: retailer × category heat map"
        case .changes: return "changes: every version against the one before"
        case .help: return "this help"
        case .escape: return "back / close"
        case .quit: return "quit"
        }
    }

    /// The short name in the status bar, for the main keys.
    public var hint: String? {
        switch self {
        case .search: return "search"
        case .compare: return "compare"
        case .topics: return "topics"
        case .changes: return "changes"
        case .facts: return "facts"
        case .mark: return "mark"
        case .open: return "open"
        case .nextPane: return "pane"
        case .help: return "help"
        case .quit: return "quit"
        case .nextChange: return "next change"
        case .toggleStack: return "stack"
        case .escape: return "back"
        default: return nil
        }
    }
}

/// Keys mapped to actions: one table drives dispatch, the help overlay and the status bar.
public struct KeyMap: Sendable {
    public struct Binding: Sendable {
        public var keys: [Key]
        public var action: Action
    }
    public var bindings: [Binding]

    public static let standard = KeyMap(bindings: [
        Binding(keys: [.char("j"), .down], action: .down),
        Binding(keys: [.char("k"), .up], action: .up),
        Binding(keys: [.char("g"), .home], action: .top),
        Binding(keys: [.char("G"), .end], action: .bottom),
        Binding(keys: [.pageDown, .char(" ")], action: .pageDown),
        Binding(keys: [.pageUp, .char("b")], action: .pageUp),
        Binding(keys: [.ctrl("d")], action: .halfPageDown),
        Binding(keys: [.ctrl("u")], action: .halfPageUp),
        Binding(keys: [.tab], action: .nextPane),
        Binding(keys: [.backTab], action: .previousPane),
        Binding(keys: [.enter, .char("l"), .right], action: .open),
        Binding(keys: [.char("h"), .left], action: .back),
        Binding(keys: [.char("/")], action: .search),
        Binding(keys: [.char("n")], action: .nextHit),
        Binding(keys: [.char("N")], action: .previousHit),
        Binding(keys: [.char("c")], action: .compare),
        Binding(keys: [.char("m")], action: .mark),
        Binding(keys: [.char("]")], action: .nextChange),
        Binding(keys: [.char("[")], action: .previousChange),
        Binding(keys: [.char("s")], action: .toggleStack),
        Binding(keys: [.char("u")], action: .toggleLinks),
        Binding(keys: [.char("F"), .ctrl("f")], action: .filter),
        Binding(keys: [.char("T")], action: .toggleTags),
        Binding(keys: [.char("f")], action: .facts),
        Binding(keys: [.char("t")], action: .topics),
        Binding(keys: [.char("C")], action: .changes),
        Binding(keys: [.char("?")], action: .help),
        Binding(keys: [.escape], action: .escape),
        Binding(keys: [.char("q"), .ctrl("c")], action: .quit),
    ])

    public func action(for key: Key) -> Action? {
        bindings.first { $0.keys.contains(key) }?.action
    }

    /// "j ↓" style labels of an action's keys.
    public func keys(for action: Action) -> String {
        guard let b = bindings.first(where: { $0.action == action }) else { return "" }
        var labels = b.keys.map(\.label)
        // "]c" and "[c": the prefix key is followed by c.
        if action == .nextChange || action == .previousChange { labels = labels.map { $0 + "c" } }
        return labels.joined(separator: " ")
    }
}
