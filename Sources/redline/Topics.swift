import ArgumentParser
import Foundation
import PolicyCore
import TerminalUI

/// `redline topics DOC`: the OPP-115 categories of every clause, with the terms that triggered them.
struct Topics: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "Show the privacy categories of every clause of a version, and why.",
        discussion: "Categories: \(PrivacyCategory.allCases.map(\.rawValue).joined(separator: ", ")).")

    @OptionGroup var corpus: CorpusOptions
    @Argument(help: "A version: domain@YYYY-MM-DD, or a retailer prefix with an optional @date prefix.")
    var doc: String?
    @Flag(name: .long, help: "Label plain text from standard input instead, paragraph by paragraph (blank lines part them; a short line alone is the title of the paragraphs after it).")
    var text = false
    @Option(name: .long, help: "Only clauses with this category (e.g. security, children, third-party).")
    var category: String?
    @Flag(name: .long, help: "Print JSON.") var json = false

    struct Label: Encodable { var category, title: String; var score: Double; var terms: [String] }
    struct Row: Encodable { var section, sectionTitle: String; var index: Int; var kind, text: String; var categories: [Label] }
    struct Output: Encodable { var doc: String; var clauses: [Row]; var counts: [String: Int] }

    func validate() throws {
        if text, doc != nil { throw ValidationError("--text reads standard input: give no DOC") }
        if !text, doc == nil { throw ValidationError("give a DOC, or --text to label standard input") }
        if let category, PrivacyCategory.named(category) == nil { throw ValidationError(PrivacyCategory.notACategory(category)) }
    }

    struct Paragraph: Encodable { var index: Int; var title, text: String; var categories: [Label] }

    /// `--text`: paragraphs of standard input, each labelled under the last title seen, with the
    /// paragraphs before and after it as context (as a policy's clauses are).
    func runText(wanted: PrivacyCategory?) throws {
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        var title = "", out: [Paragraph] = [], paragraphs: [(text: String, title: String?)] = []
        let blocks = input.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        for (k, block) in blocks.enumerated() {
            // A short line alone titles the paragraphs after it; the last block has none after it.
            if k < blocks.count - 1, !block.contains("\n"), Tokenizer.words(block).count <= 12,
               !(block.last.map { ".;!?".contains($0) } ?? false) {
                title = block
                continue
            }
            paragraphs.append((block, title.isEmpty ? nil : title))
        }
        for ((block, blockTitle), labels) in zip(paragraphs, CategoryClassifier.shared.classify(paragraphs: paragraphs)) {
            let title = blockTitle ?? ""
            if let wanted, !labels.contains(where: { $0.category == wanted }) { continue }
            out.append(Paragraph(index: out.count, title: title, text: block,
                                 categories: labels.map { Label(category: $0.category.rawValue, title: $0.category.title, score: $0.score, terms: $0.evidence) }))
        }
        if paragraphs.isEmpty { Diagnostics.warn("no text on standard input to label (paragraphs are parted by blank lines)") }
        if json { return try printJSON(["paragraphs": out]) }
        let width = max(40, Terminal.columns ?? 100)
        for p in out {
            print("#\(p.index)  [\(p.categories.map(\.category).joined(separator: ", "))]" + (p.title.isEmpty ? "" : "  under \"\(p.title)\""))
            // A paragraph's line breaks read as spaces on its one line.
            print("    " + TextWidth.truncate(String(p.text.replacingOccurrences(of: "\n", with: " ").map(TextWidth.sanitise)), to: width - 4))
            for label in p.categories where !label.terms.isEmpty {
                print("    " + TextWidth.truncate("\(label.category): " + label.terms.joined(separator: "; "), to: width - 4))
            }
        }
    }

    func run() throws {
        let wanted = category.flatMap(PrivacyCategory.named)
        if text { return try runText(wanted: wanted) }
        let corpus = try corpus.load()
        let document = try resolve(doc ?? "", in: corpus)
        var rows: [Row] = []
        var counts: [String: Int] = [:]
        var total = 0
        for topics in CategoryClassifier.shared.classify(document) {
            guard let section = document.section(at: topics.sectionPath) else { continue }
            let clause = section.clauses[topics.index]
            for c in topics.categories { counts[c.rawValue, default: 0] += 1 }
            total += 1
            if let wanted, !topics.categories.contains(wanted) { continue }
            rows.append(Row(section: section.path, sectionTitle: section.namedTitle, index: topics.index,
                            kind: clause.kind.rawValue, text: clause.text,
                            categories: topics.labels.map { Label(category: $0.category.rawValue, title: $0.category.title, score: $0.score, terms: $0.evidence) }))
        }
        if json { return try printJSON(Output(doc: document.id, clauses: rows, counts: counts)) }
        let width = max(40, Terminal.columns ?? 100)
        print("\(document.id)  \(document.title)")
        for row in rows {
            let names = row.categories.map(\.category).joined(separator: ", ")
            let head = "\(row.section)#\(row.index)  [\(names)]"
            print(head)
            print("    " + TextWidth.truncate(String(row.text.map(TextWidth.sanitise)), to: width - 4))
            for label in row.categories where !label.terms.isEmpty {
                print("    " + TextWidth.truncate("\(label.category): " + label.terms.joined(separator: "; "), to: width - 4))
            }
        }
        let summary = PrivacyCategory.allCases.compactMap { c in counts[c.rawValue].map { "\(c.rawValue) \($0)" } }
        func clauses(_ n: Int) -> String { n == 1 ? "1 clause" : "\(n) clauses" }
        if let wanted {
            print("\(clauses(rows.count)) of \(total) labelled \(wanted.rawValue); labels of all \(total): " + summary.joined(separator: ", "))
        } else {
            print("\(clauses(rows.count)); " + summary.joined(separator: ", "))
        }
    }
}

/// `redline facts DOC`: contact details, minimum age, dates, third parties, laws and opt-out links.
struct Facts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facts",
        abstract: "List the facts a version states: contacts, minimum age, last update, third parties, laws, opt-outs.")

    @OptionGroup var corpus: CorpusOptions
    @Argument(help: "A version: domain@YYYY-MM-DD, or a retailer prefix with an optional @date prefix.")
    var doc: String
    @Flag(name: .long, help: "Print JSON.") var json = false

    struct Fact: Encodable {
        var fact: PolicyFact
        enum Keys: String, CodingKey { case kind, value, section, sectionTitle, text }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(fact.kind.rawValue, forKey: .kind)
            if let age = fact.age { try c.encode(age, forKey: .value) } else { try c.encode(fact.value, forKey: .value) }
            try c.encode(fact.sectionPath, forKey: .section)
            try c.encode(fact.sectionTitle, forKey: .sectionTitle)
            try c.encode(fact.text, forKey: .text)
        }
    }
    struct Output: Encodable { var doc: String; var facts: [Fact] }

    func run() throws {
        let corpus = try corpus.load()
        let document = try resolve(doc, in: corpus)
        let facts = FactExtractor.facts(in: document)
        if json { return try printJSON(Output(doc: document.id, facts: facts.map(Fact.init))) }
        print("\(document.id)  \(document.title)")
        for kind in PolicyFact.Kind.allCases {
            let ofKind = facts.filter { $0.kind == kind }
            guard !ofKind.isEmpty else { continue }
            print(kind.title)
            for f in ofKind { print("  \(f.value)    (§\(f.sectionPath))") }
        }
        if facts.isEmpty { print("no facts found") }
    }
}
