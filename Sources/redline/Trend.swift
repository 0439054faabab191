import ArgumentParser
import Foundation
import PolicyCore

/// `redline trend TERM`: year by year, how many retailers' policy in force mentions a term, or how
/// much of it a category takes.
struct Trend: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trend",
        abstract: "Show how many retailers' policies mention a term (or how much a category takes), year by year.",
        discussion: """
            A retailer's policy in force in a year is its latest version dated that year or earlier; retailers \
            with no version by then do not count. A term is matched as words in order, any letter case \
            (a final * matches a prefix). With --category, the share is the mean over those retailers of the \
            share of words in clauses of the category.
            """)

    @OptionGroup var corpus: CorpusOptions
    @Argument(help: "A word or phrase (omit it with --category).") var term: String?
    @Option(name: .long, help: ArgumentHelp("Group by this period (only 'year').", valueName: "period")) var by = "year"
    @Option(name: .long, help: ArgumentHelp("A category instead of a term (e.g. third-party).", valueName: "name"))
    var category: String?
    @Flag(name: .long, help: "Print JSON.") var json = false

    struct Output: Encodable {
        var term: String?
        var category: String?
        var by: String
        var years: [TrendPoint]
    }

    func validate() throws {
        guard by == "year" else { throw ValidationError("--by takes 'year'") }
        switch (term, category) {
        case (nil, nil): throw ValidationError("give a TERM or --category NAME")
        case (.some, .some): throw ValidationError("give a TERM or --category NAME, not both")
        case (.some(let t), nil):
            if TermMatcher(t).isEmpty { throw ValidationError("the term '\(t)' has no words") }
        case (nil, .some(let c)):
            if PrivacyCategory.named(c) == nil { throw ValidationError(PrivacyCategory.notACategory(c)) }
        }
    }

    func run() throws {
        let catalog = try corpus.catalog()
        let retailers = try catalog.corpus().retailers
        let wanted = category.flatMap(PrivacyCategory.named)
        // A category's words are counted as the index is built: read back, not classified again.
        let points = try wanted.map { PolicyCore.Trend.category($0, in: retailers, words: try SearchIndexing.open(catalog).categoryWords()) }
            ?? PolicyCore.Trend.term(term ?? "", in: retailers)
        if json { return try printJSON(Output(term: wanted == nil ? term : nil, category: wanted?.rawValue, by: by, years: points)) }
        let colour = Terminal.stdoutSupportsColour
        print(wanted.map { "\($0.rawValue): mean share of words in its clauses, policies in force each year" }
              ?? "\(Self.quoted(term ?? "")): retailers whose policy in force mentions it, each year")
        for line in Self.chart(points, category: wanted != nil, colour: colour) { print(line) }
        if points.isEmpty { print("no versions") }
        // Nothing found for a term written as a search query: say it is one phrase here.
        if let term, wanted == nil, !points.isEmpty, points.allSatisfy({ $0.matching == 0 }) {
            let words = term.split(separator: " ").map(String.init)
            let field = words.first { w in ["topic:", "topics:", "category:", "retailer:", "date:", "section:"].contains { w.lowercased().hasPrefix($0) } }
            if let field, field.lowercased().hasPrefix("topic") || field.lowercased().hasPrefix("category") {
                Diagnostics.warn("no policy mentions \(Self.quoted(term)) as words in order: for a category's share, trend --category \(field.split(separator: ":").dropFirst().joined())")
            } else if field != nil || words.contains(where: { ["OR", "AND", "NOT"].contains($0) }) || term.hasPrefix("-") {
                Diagnostics.warn("no policy mentions \(Self.quoted(term)) as words in order: a trend counts one phrase (no OR, NOT or fields); run one per term")
            }
        }
    }

    /// One line per year: the year, a bar of the share (30 columns), and the figures.
    static func chart(_ points: [TrendPoint], category: Bool, colour: Bool) -> [String] {
        let width = 30
        return points.map { p in
            let filled = Int((p.share * Double(width)).rounded())
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let percent = String(format: "%5.1f%%", p.share * 100)
            let figures = category ? "\(percent)  (\(p.matching) of \(p.retailers) say anything)"
                : "\(p.matching) of \(p.retailers)  \(percent)"
            return "\(p.year)  " + (colour ? "\u{1B}[32m\(bar)\u{1B}[0m" : bar) + "  " + figures
        }
    }

    /// The term in quotes, unless it is written in them already; an unpaired quote at either end
    /// (`"cookie`) is dropped first.
    static func quoted(_ term: String) -> String {
        if term.count >= 2, term.hasPrefix("\""), term.hasSuffix("\"") { return term }
        var t = Substring(term)
        if t.filter({ $0 == "\"" }).count % 2 == 1 {
            if t.hasPrefix("\"") { t = t.dropFirst() } else if t.hasSuffix("\"") { t = t.dropLast() }
        }
        return "\"" + t + "\""
    }
}
