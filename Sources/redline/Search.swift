import ArgumentParser
import Foundation
import PolicyCore

/// `redline search QUERY`: ranked clauses across every policy, or a term's history.
struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search every clause of every policy.",
        discussion: """
            Words must all match; "exact phrases", prefix*, OR, NOT or -word, (groups), and the fields \
            section:WORD and topic:CATEGORY narrow it; retailer:NAME and date:YYYY[-MM[-DD]] filter the versions \
            searched (-retailer:NAME leaves one out). Matching is case-insensitive and stemmed. Quote a query \
            with a -word: redline search 'privacy -cookies'.
            """)

    @OptionGroup var corpus: CorpusOptions
    @Argument(parsing: .remaining, help: "The query.") var query: [String]
    // Unconditional: "--limit -1" is a number said wrong, not a missing one.
    @Option(name: .long, parsing: .unconditional, help: "At most this many hits (default 20).") var limit: Int?
    @Flag(name: .long, help: "Per retailer: matching clauses in each version, first and last version seen.")
    var history = false
    @Flag(name: .long, help: "Print JSON.") var json = false

    struct HistoryOutput: Encodable {
        var query: String
        var retailers: [QueryHistory]
    }

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit takes how many hits to show: 1 or more, not \(limit)") }
        if query.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ValidationError("missing the query: redline search QUERY (e.g. redline search cookies)")
        }
    }

    func run() throws {
        let text = query.joined(separator: " ")
        let index = try SearchIndexing.open(try corpus.catalog())
        PhaseTrace.mark("index")
        if history {
            if let limit { Diagnostics.warn("--limit \(limit) counts hits; --history lists every retailer: ignored") }
            let result = index.history(text)
            if json { return try printJSON(HistoryOutput(query: text, retailers: result)) }
            if result.allSatisfy({ $0.firstSeen == nil }) {
                Diagnostics.warn(SearchQuery.noMatchNote(text) + index.retailerNotes(SearchQuery(text)).map { "; " + $0 }.joined())
            }
            // Retailers that never say it are one line each, without their versions; past a screenful
            // of them, one line says how many.
            let never = result.filter { $0.firstSeen == nil }
            for h in result where h.firstSeen != nil || never.count <= 20 {
                guard let first = h.firstSeen else { print("\(h.retailer) (\(h.domain)): never"); continue }
                print("\(h.retailer) (\(h.domain)): first \(first), last \(h.lastSeen ?? first)")
                for v in h.versions { print("  \(v.date)  \(v.clauses) clause\(v.clauses == 1 ? "" : "s")") }
            }
            if never.count > 20 { print("\(never.count) \(never.count == result.count ? "" : "other ")retailers: never") }
            return
        }
        let hits = index.search(text, limit: limit ?? 20)
        PhaseTrace.mark("searched")
        defer { PhaseTrace.mark("printed") }
        if json {
            // Byte for byte what `printJSON` writes (an end-to-end test holds it to JSONEncoder's).
            var out = JSONText()
            out.output = 1
            out.object { o in
                o.array("hits", hits) { o, hit in
                    o.string("date", hit.date)
                    o.string("doc", hit.doc)
                    o.intArrays("matches", hit.matches)
                    o.string("retailer", hit.retailer)
                    o.double("score", hit.score)
                    o.string("section", hit.section)
                    o.string("sectionTitle", hit.sectionTitle)
                    o.string("snippet", hit.snippet)
                    o.string("text", hit.text)
                }
                o.string("query", text)
            }
            out.bytes.append(0x0A)
            out.flush(force: true)
            return
        }
        let colour = Terminal.stdoutSupportsColour
        if hits.isEmpty {
            // The browser reads the last word as typed so far (a prefix): say when that would find something.
            let prefixed = text + "*"
            let hint = text.last.map { $0.isLetter || $0.isNumber } == true && !SearchQuery(text).onlyFilters
                && !index.search(text, limit: 1, prefixLast: true, snippets: false, scored: false).isEmpty
                ? "; \"\(prefixed)\" finds clauses (a prefix)" : ""
            let retailers = index.retailerNotes(SearchQuery(text)).map { "; " + $0 }.joined()
            Diagnostics.warn(SearchQuery.noMatchNote(text) + retailers + hint)
        }
        let parsed = SearchQuery(text)
        for hit in hits {
            let where_ = "\(hit.retailer) · \(hit.date) · " + (hit.sectionTitle.isEmpty ? "\(hit.section) (preamble)" : PolicySection.numbered(path: hit.section, title: hit.sectionTitle))
            print(colour ? "\u{1B}[1m\(where_)\u{1B}[0m" : where_)
            // A clause found through its section's title alone says so: nothing in it is marked.
            let snippet = (hit.matchedByTitle(parsed) ? "(title match) " : "") + hit.snippet
            print("  " + (colour ? snippet.replacingOccurrences(of: "[", with: "\u{1B}[1;31m").replacingOccurrences(of: "]", with: "\u{1B}[0m")
                                 : snippet))
        }
    }
}

/// Terminal facts for CLI output.
enum Terminal {
    /// Colour on stdout: a terminal, NO_COLOR unset, TERM not dumb.
    static var stdoutSupportsColour: Bool {
        isatty(1) == 1 && Environment.value("NO_COLOR") == nil && Environment.value("TERM") != "dumb"
    }

    /// Redraws a one-line progress bar on stderr ("reading  ████····· 300/1000"); a newline at the end.
    static func progressBar(_ label: String, done: Int, total: Int) {
        let width = 30
        let filled = width * done / max(total, 1)
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let padded = label.padding(toLength: max(label.count, 8), withPad: " ", startingAt: 0)
        FileHandle.standardError.write(Data("\r\(padded) \(bar) \(done)/\(total)\(done == total ? "\n" : "")".utf8))
    }
}

/// The catalog's search index, brought up to date (with a progress bar on a terminal while a
/// large corpus is indexed).
enum SearchIndexing {
    static func open(_ catalog: Catalog, quiet: Bool = false, report: ((Int, Int) -> Void)? = nil) throws -> SearchIndex {
        let showProgress = !quiet && isatty(2) == 1
        let progress: ((Int, Int) -> Void)? = report ?? (showProgress ? { done, total in
            guard total >= 200, done == total || done % 50 == 0 else { return }
            Terminal.progressBar("indexing", done: done, total: total)
        } : nil)
        do {
            return try catalog.searchIndex(progress: progress)
        } catch {
            throw CommandFailure("cannot index \(catalog.root): \(error)")
        }
    }
}
