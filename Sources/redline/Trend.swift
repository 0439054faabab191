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
            // Search syntax would be counted as words and match nothing: a chart of zeros.
            // A field has its value attached ("date:2019"; "effective date: 2019" is words), as the
            // search reads it; so does a negation ("-ads").
            let words = t.split(separator: " ").map(String.init)
            func isField(_ w: String) -> Bool {
                let parts = w.lowercased().split(separator: ":", maxSplits: 1)
                return parts.count == 2 && SearchQuery.fieldNames.contains(String(parts[0]).trimmingCharacters(in: CharacterSet(charactersIn: "-")))
            }
            if let field = words.first(where: isField), ["topic", "topics", "category"].contains(field.lowercased().split(separator: ":")[0]) {
                throw ValidationError("a trend counts a phrase; for a category's share, use --category \(field.split(separator: ":").dropFirst().joined())")
            }
            if words.contains(where: isField) || words.contains(where: { $0 == "OR" || $0 == "NOT" })
                || words.contains(where: { $0.hasPrefix("-") && $0.dropFirst().first?.isLetter == true }) {
                throw ValidationError("a trend counts one phrase, words in order: OR, NOT, -word and fields are search syntax; run one trend per phrase")
            }
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
        for line in Self.chart(points, category: wanted != nil, colour: colour, columns: Terminal.columns) { print(line) }
        if points.isEmpty { print("no versions") }
    }

    /// One line per year: the year, a bar of the share (30 columns, fewer down to 10 when the
    /// terminal or `COLUMNS` is narrower), and the figures, in columns.
    static func chart(_ points: [TrendPoint], category: Bool, colour: Bool, columns: Int? = nil) -> [String] {
        let counts = points.map { "\($0.matching) of \($0.retailers)" }
        let countWidth = counts.map(\.count).max() ?? 0
        let figures = points.indices.map { i in
            let percent = String(format: "%5.1f%%", points[i].share * 100)
            return category ? "\(percent)  (\(counts[i]) say anything)"
                : counts[i].padding(toLength: countWidth, withPad: " ", startingAt: 0) + "  " + percent
        }
        let longest = figures.map(\.count).max() ?? 0
        let width = max(10, min(30, (columns ?? 80) - 4 - 2 - 2 - longest))
        return points.indices.map { i in
            let p = points[i]
            let filled = Int((p.share * Double(width)).rounded())
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            return "\(p.year)  " + (colour ? "\u{1B}[32m\(bar)\u{1B}[0m" : bar) + "  " + figures[i]
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
