import Foundation

/// A table's clauses as the reader and `show` lay them out: a first column of row titles when a
/// row has a title of its own (a mangled table's lead line, not its first cell), then each cell
/// in its column, a cell left empty keeping its place; a column empty in every row, header
/// included (a layout table's spacer), is left out.
public struct TableGrid: Sendable {
    /// Whether the table has a column of row titles.
    public let hasTitles: Bool
    /// The columns shown, as indices into `parts`.
    public let kept: [Int]

    public init(_ clauses: some Collection<Clause>) {
        let titles = clauses.contains { $0.kind == .tableRow && Self.hasOwnTitle($0) }
        hasTitles = titles
        let rows = clauses.map { Self.parts($0, titles: titles) }
        let columns = rows.map(\.count).max() ?? 0
        kept = (0..<columns).filter { n in rows.contains { n < $0.count && !$0[n].isEmpty } }
    }

    /// Where the table that starts at `start` of `clauses` ends: at the next header (the next
    /// table's) or after its last row.
    public static func end(of clauses: some RandomAccessCollection<Clause>, from start: Int) -> Int {
        var end = start + 1
        while end < clauses.count, clauses[clauses.index(clauses.startIndex, offsetBy: end)].kind == .tableRow { end += 1 }
        return end
    }

    /// Whether a row's title is its own, not its first non-empty cell (which the parser gives as the
    /// title of a row without one).
    public static func hasOwnTitle(_ c: Clause) -> Bool {
        c.rowTitle != nil && c.rowTitle != c.cells.first(where: { !$0.text.isEmpty })?.text
    }

    private static func parts(_ c: Clause, titles: Bool) -> [String] {
        (titles ? [c.kind == .tableRow && hasOwnTitle(c) ? c.rowTitle ?? "" : ""] : []) + (c.cells.isEmpty ? [c.text] : c.cells.map(\.text))
    }

    /// A clause's parts in every column: its title first when the table has a column of them, then
    /// its cells, as its text joins them (empty ones hold no place there).
    public func parts(_ c: Clause) -> [String] { Self.parts(c, titles: hasTitles) }

    /// `parts` in the columns shown; a part left out is empty, so the offsets of the others in the
    /// row's text stay as they are.
    public func shown(_ parts: [String]) -> [String] { kept.map { $0 < parts.count ? parts[$0] : "" } }
}
