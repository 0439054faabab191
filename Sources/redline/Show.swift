import ArgumentParser
import Foundation
import PolicyCore

/// `redline show DOC`: the text of a version or one of its sections.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a policy version, or one section of it.")

    @OptionGroup var corpus: CorpusOptions
    @Argument(help: "A version: domain@YYYY-MM-DD, or a retailer prefix with an optional @date prefix.")
    var doc: String
    @Option(name: .long, help: "Only this section (a path such as 6.1).") var section: String?
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
        if let path = section {
            guard let found = document.section(at: path) else {
                let paths = document.allSections.map(\.path).joined(separator: ", ")
                throw CommandFailure("\(document.id) has no section \(path); its sections are: \(paths)")
            }
            sections = [found]
        }
        if json {
            return try printJSON(Output(id: document.id, domain: document.domain, title: document.title,
                                        format: document.format.rawValue, archiveDate: document.archiveDate,
                                        snapshotURL: document.snapshotURL, lastUpdated: document.lastUpdated,
                                        caseFolded: document.caseFolded, sections: sections))
        }
        if section == nil {
            print(document.title)
            print("\(document.id) · \(document.format.rawValue) · \(document.snapshotURL ?? "no snapshot URL")"
                  + (document.lastUpdated.map { " · last updated \($0)" } ?? ""))
            print("")
        }
        for s in sections.flatMap(\.flattened) {
            if !s.isPreamble { print("\(String(repeating: "#", count: s.level)) \(PolicySection.numbered(path: s.path, title: s.title))\n") }
            for clause in s.clauses {
                switch clause.kind {
                case .listItem: print(String(repeating: "  ", count: clause.depth) + "• " + clause.text)
                case .tableHeader, .tableRow: print("| " + clause.text + " |")
                case .paragraph: print(clause.text + "\n")
                }
            }
            print("")
        }
    }
}
