import ArgumentParser
import Foundation
import PolicyCore

/// `redline changes`: every version compared with the retailer's previous one, newest first.
struct Changes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "List what changed across the corpus: each version against the retailer's previous one, newest first.",
        discussion: """
            Each change gives the words added and removed, the sections added, removed, changed and moved, the words \
            added and removed per privacy category, and the facts added, removed or changed (a minimum age or a last \
            update that takes another value). --since and --until take YYYY, YYYY-MM or YYYY-MM-DD (both ends included; \
            with --git, --since also takes words git log --since reads, '2 weeks ago', as that day). Only the versions \
            the dates leave, and the one before the first, are compared.
            Fact kinds: \(PolicyFact.Kind.allCases.map(\.rawValue).joined(separator: ", ")).
            """)

    @OptionGroup var corpus: CorpusOptions
    @Option(name: .long, help: ArgumentHelp("Only changes dated up to this date (the newer version's date).", valueName: "date"))
    var until: String?
    @Option(name: .long, help: ArgumentHelp("Only this retailer's changes (a domain or name prefix).", valueName: "name"))
    var retailer: String?
    @Option(name: .long, help: ArgumentHelp("Only changes that add or remove words in clauses of this category.", valueName: "name"))
    var category: String?
    @Option(name: .long, help: ArgumentHelp("Only changes that add, remove or change a fact of this kind (e.g. law, phone, minimumAge).", valueName: "kind"))
    var fact: String?
    @Flag(name: .long, help: "Print JSON.") var json = false

    struct Output: Encodable { var changes: [ChangeSummary] }

    func validate() throws {
        if let category, PrivacyCategory.named(category) == nil { throw ValidationError(PrivacyCategory.notACategory(category)) }
        if let fact, Self.factKind(fact) == nil {
            throw ValidationError("unknown fact kind '\(fact)'; one of: \(PolicyFact.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for (name, date) in [("--since", corpus.since), ("--until", until)] {
            // With --git, --since may be words git reads ("2 weeks ago"): made a date in `run`.
            if name == "--since", corpus.git != nil, let date, !date.allSatisfy({ $0.isNumber || $0 == "-" }) { continue }
            if let date, !Self.isDatePrefix(date) {
                throw ValidationError("\(name) takes YYYY, YYYY-MM or YYYY-MM-DD\(name == "--since" ? " (with --git, also words git log --since takes: '2 weeks ago')" : ""), not '\(date)'")
            }
        }
        if let since = corpus.since, Self.isDatePrefix(since) { try Self.checkRange(since: since, until: until) }
    }

    /// Both ends included: the first day of --since after the last day of --until is no range.
    static func checkRange(since: String, until: String?) throws {
        if let until, since + String("-01-01".suffix(max(0, 10 - since.count))) > until + String("-12-31".suffix(max(0, 10 - until.count))) {
            throw ValidationError("--since \(since) is after --until \(until)")
        }
    }

    /// --since as a date: words (with --git) are the day git reads them as ("2 weeks ago"), in
    /// local time, then compared with the versions' dates (a snapshot's date, as everywhere).
    func sinceDate() throws -> String? {
        guard let since = corpus.since, !Self.isDatePrefix(since), let git = corpus.git else { return corpus.since }
        guard let stamp = try CorpusOptions.gitMoment(since, in: URL(fileURLWithPath: git)) else { return nil }
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone.current
        format.dateFormat = "yyyy-MM-dd"
        let date = format.string(from: Date(timeIntervalSince1970: TimeInterval(stamp)))
        try Self.checkRange(since: date, until: until)
        return date
    }

    /// A fact kind by name, letter case and punctuation ignored ("minimum-age", "thirdparty").
    static func factKind(_ name: String) -> PolicyFact.Kind? {
        let key = name.lowercased().filter { $0.isLetter }
        return PolicyFact.Kind.allCases.first { $0.rawValue.lowercased() == key }
            ?? ["age": .minimumAge, "updated": .lastUpdated, "laws": .law, "thirdparties": .thirdParty, "emails": .email,
                "phones": .phone, "mail": .email, "optouts": .optOut][key]
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, naming a month and a day that exist (not 2016-13 or 2016-02-30).
    static func isDatePrefix(_ s: String) -> Bool {
        guard s.range(of: #"^\d{4}(-\d{2}(-\d{2})?)?$"#, options: .regularExpression) != nil else { return false }
        let parts = s.split(separator: "-").compactMap { Int($0) }
        guard parts.count > 1 else { return true }
        let (year, month) = (parts[0], parts[1])
        guard (1...12).contains(month) else { return false }
        guard parts.count > 2 else { return true }
        return (1...DateText.days(inMonth: month, year: year)).contains(parts[2])
    }

    func run() throws {
        // --since is this command's own filter: the whole history is read, so that the first change
        // after the date still has the version before it to compare with.
        let since = try sinceDate()
        var source = corpus
        source.since = nil
        let catalog = try source.catalog()
        let loaded = try catalog.corpus()
        var filter = ChangeFilter(since: since, until: until, category: category.flatMap(PrivacyCategory.named),
                                  fact: fact.flatMap(Self.factKind))
        var retailers = loaded.retailers
        if let retailer {
            let key = retailer.lowercased()
            retailers = retailers.filter { $0.domain.lowercased().hasPrefix(key) || $0.name.lowercased().hasPrefix(key) }
            guard !retailers.isEmpty else { throw CommandFailure("no retailer's domain or name starts with '\(retailer)'") }
            filter.retailers = Set(retailers.map(\.domain))
        }
        let comparable = !ChangeFeed.pairs(retailers).isEmpty
        // Only the pairs the dates keep are compared.
        retailers = filter.window(retailers)
        let pairs = ChangeFeed.pairs(retailers).count
        let progress: ((Int, Int) -> Void)? = isatty(2) == 1 && pairs >= 200
            ? { done, total in Terminal.progressBar("comparing", done: done, total: total) } : nil
        let waiting: (() -> Void)? = isatty(2) == 1 ? { Diagnostics.warn("waiting for another redline comparing these versions") } : nil
        let changes = filter.apply(try catalog.changeFeed(retailers, progress: progress, waiting: waiting))
        if json { return try printJSON(Output(changes: changes)) }
        let names = Dictionary(loaded.retailers.map { ($0.domain, $0.name) }, uniquingKeysWith: { a, _ in a })
        let renderer = ChangeFeedRenderer(colour: Terminal.stdoutSupportsColour, width: Terminal.columns ?? 100)
        for change in changes { print(renderer.block(change, name: names[change.retailer])) }
        if changes.isEmpty { Diagnostics.warn(comparable ? "no change matches" : "no retailer has two versions to compare") }
    }
}

/// The feed as text, one block per change, like `git log --stat`.
struct ChangeFeedRenderer {
    var colour: Bool
    var width: Int

    func paint(_ s: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    func block(_ c: ChangeSummary, name: String?) -> String {
        let fromDate = c.from.split(separator: "@").last.map(String.init) ?? c.from
        var title = "\(c.retailer)  \(fromDate) → \(c.date)"
        if let name, name != c.retailer { title += "  (\(name))" }
        var lines = [paint(title, "1")]
        lines.append("    " + paint("+\(c.added)", "32") + " " + paint("−\(c.removed)", "31") + " words")
        let s = c.sections
        if s.count > 0 {
            lines.append("    " + s.counted)
            for t in s.added { lines.append("      " + paint("+ " + t, "32")) }
            for t in s.removed { lines.append("      " + paint("− " + t, "31")) }
            for t in s.changed { lines.append("      ~ " + t) }
            for t in s.moved { lines.append("      ↕ " + t) }
        }
        if !c.categories.isEmpty {
            let biggest = max(1, c.categories.map { $0.added + $0.removed }.max() ?? 1)
            lines.append("    categories:")
            let nameWidth = c.categories.map(\.category.rawValue.count).max() ?? 0
            // Counts right-aligned in columns of their own, so the bars start in one column.
            let addedWidth = c.categories.map { "+\($0.added)".count }.max() ?? 0
            let removedWidth = c.categories.map { "−\($0.removed)".count }.max() ?? 0
            func pad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
            for k in c.categories {
                let bar = String(repeating: "█", count: max(1, 20 * (k.added + k.removed) / biggest))
                let label = k.category.rawValue.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                lines.append("      \(label)  " + paint(pad("+\(k.added)", addedWidth), "32") + " " + paint(pad("−\(k.removed)", removedWidth), "31")
                             + "  " + paint(bar, "2"))
            }
        }
        let f = c.facts
        if !f.isEmpty {
            lines.append("    facts:")
            for v in f.added { lines.append("      " + paint("+ \(v.kind.title): \(v.value)", "32")) }
            for v in f.removed { lines.append("      " + paint("− \(v.kind.title): \(v.value)", "31")) }
            for v in f.changed { lines.append("      ~ \(v.kind.title): \(v.from) → \(v.to)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
