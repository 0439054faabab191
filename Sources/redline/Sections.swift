import ArgumentParser
import Foundation
import PolicyCore

/// `redline sections DOC`: the section tree of one version.
struct Sections: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sections", abstract: "Show the section tree of a policy version.")

    @OptionGroup var corpus: CorpusOptions
    @Argument(help: "A version: domain@YYYY-MM-DD, or a retailer prefix with an optional @date prefix (james@2019).")
    var doc: String
    @Flag(name: .long, help: "Print JSON.") var json = false

    final class Node: Encodable {
        var path, title: String
        var preamble: Bool?
        var clauses: Int
        var children: [Node]
        init(_ s: PolicySection) {
            path = s.path
            title = s.title
            preamble = s.isPreamble ? true : nil
            clauses = s.clauses.count
            children = s.children.map(Node.init)
        }
    }

    struct Output: Encodable {
        var id, title: String
        var sections: [Node]
    }

    func run() throws {
        let corpus = try corpus.load()
        let document = try resolve(doc, in: corpus)
        if json {
            return try printJSON(Output(id: document.id, title: document.title, sections: document.sections.map(Node.init)))
        }
        print("\(document.id)  \(document.title)")
        // Paths padded to the longest (never cut: `show --section` and `diff --section` take them).
        let sections = document.allSections
        let width = sections.map(\.path.count).max().map { max($0, 5) } ?? 5
        for section in sections {
            let indent = String(repeating: "  ", count: section.level)
            let title = section.isPreamble ? "(preamble)" : section.title
            print("\(indent)\(section.path.padding(toLength: width, withPad: " ", startingAt: 0)) \(title)")
        }
    }
}

/// A `--section` value: a section's number as `sections` prints it ("6", "6.1"); the full stop a
/// heading writes after it ("6.") and spaces around it are let go.
enum SectionPath {
    static func parse(_ raw: String) throws -> String {
        var path = raw.trimmingCharacters(in: .whitespaces)
        while path.hasSuffix(".") { path.removeLast() }
        guard !path.isEmpty else { throw ValidationError("--section takes a section's number as `redline sections` prints it (6 or 6.1)") }
        return path
    }
}
