import ArgumentParser
import Foundation
import PolicyCore

/// `redline show DOC`: the text of a version or one of its sections.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a policy version, or one section of it.")

    @OptionGroup var corpus: CorpusOptions
    @Argument(help: "A version: domain@YYYY-MM-DD, or a retailer prefix with an optional @date prefix.")
    var doc: String
    @Option(name: .long, help: "Only this section (a path such as 6.1); given again, those sections in turn.", transform: SectionPath.parse)
    var section: [String] = []
    @Flag(name: .long, help: "Print JSON.") var json = false

    struct Output: Encodable {
        var id, domain, title, format, archiveDate: String
        var snapshotURL, lastUpdated: String?
        var caseFolded: Bool
        var sections: [PolicySection]
    }

    func run() throws {
        let document = try resolve(doc, in: try corpus.catalog())
        var sections = document.sections
        if !section.isEmpty {
            sections = try section.map { path in
                guard let found = document.section(at: path) else {
                    let paths = document.allSections.map(\.path).joined(separator: ", ")
                    throw CommandFailure("\(document.id) has no section \(path); its sections are: \(paths)")
                }
                return found
            }
        }
        if json {
            return try printJSON(Output(id: document.id, domain: document.domain, title: document.title,
                                        format: document.format.rawValue, archiveDate: document.archiveDate,
                                        snapshotURL: document.snapshotURL, lastUpdated: document.lastUpdated,
                                        caseFolded: document.caseFolded, sections: sections))
        }
        if section.isEmpty {
            print(document.title)
            print("\(document.id) · \(document.format.rawValue) · \(document.snapshotURL ?? "no snapshot URL")"
                  + (document.lastUpdated.map { " · last updated \($0)" } ?? ""))
            print("")
        }
        for s in sections.flatMap(\.flattened) {
            if !s.isPreamble { print("\(String(repeating: "#", count: s.level)) \(PolicySection.numbered(path: s.path, title: s.title))\n") }
            var k = 0
            while k < s.clauses.count {
                let clause = s.clauses[k]
                switch clause.kind {
                case .listItem:
                    let lead = String(repeating: "  ", count: clause.depth) + (clause.marker ?? "•") + " "
                    print(lead + Self.lines(clause, indent: String(repeating: " ", count: lead.count)))
                    k += 1
                case .tableHeader, .tableRow:
                    let end = TableGrid.end(of: s.clauses, from: k)
                    for line in Self.tableLines(s.clauses[k..<end]) { print(line) }
                    k = end
                case .paragraph:
                    print((clause.marker.map { $0 + " " } ?? "") + Self.lines(clause) + "\n")
                    k += 1
                    continue
                }
                // A list or a table ends with a blank line, as a paragraph does.
                if k < s.clauses.count, s.clauses[k].kind != .listItem || clause.kind != .listItem { print("") }
            }
            print("")
        }
    }

    /// A clause's text with its hard line breaks, each line after the first led by `indent`.
    static func lines(_ clause: Clause, indent: String = "") -> String {
        let breaks = Set(clause.lineBreaks)
        guard !breaks.isEmpty else { return clause.text }
        var out = String.UnicodeScalarView()
        for (k, scalar) in clause.text.unicodeScalars.enumerated() {
            if breaks.contains(k), scalar == " " { out.append("\n"); out.append(contentsOf: indent.unicodeScalars) } else { out.append(scalar) }
        }
        return String(out)
    }

    /// A table's rows, each cell in its column as the browser lays it out (`TableGrid`): a cell left
    /// empty keeps its place, so what follows stays under its header.
    static func tableLines(_ clauses: ArraySlice<Clause>) -> [String] {
        let grid = TableGrid(clauses)
        return clauses.map { "| " + grid.shown(grid.parts($0)).joined(separator: " | ") + " |" }
    }
}
