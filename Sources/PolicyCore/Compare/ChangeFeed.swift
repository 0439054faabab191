import Foundation

/// Every version of every retailer compared with the retailer's previous version, newest first.
///
/// Summaries depend on the two versions alone, so a caller can keep them: `compute` asks `cached`
/// for each pair first and hands each summary it had to compute to `store`, both on the calling
/// thread (a database connection need not be shared with the workers). Pairs not cached are
/// compared in parallel.
public enum ChangeFeed {
    /// One version and the one before it, of the same retailer.
    public struct Pair: Sendable {
        public var old: PolicyDocument
        public var new: PolicyDocument
        public init(old: PolicyDocument, new: PolicyDocument) {
            self.old = old
            self.new = new
        }
    }

    /// Each retailer's consecutive versions (versions are in date order), in retailer order.
    public static func pairs(_ retailers: [Retailer]) -> [Pair] {
        retailers.flatMap { r in zip(r.versions, r.versions.dropFirst()).map { Pair(old: $0, new: $1) } }
    }

    /// The summaries of every pair, newest first (by the newer version's date, then retailer).
    /// - Parameters:
    ///   - cached: a summary kept from an earlier run, or nil to compute it.
    ///   - store: receives each summary that was computed, to keep.
    ///   - progress: pairs done and in all, from the calling thread.
    public static func compute(_ retailers: [Retailer],
                               cached: (Pair) -> ChangeSummary? = { _ in nil },
                               store: (ChangeSummary) -> Void = { _ in },
                               progress: ((Int, Int) -> Void)? = nil) -> [ChangeSummary] {
        let all = pairs(retailers)
        var out: [ChangeSummary] = []
        out.reserveCapacity(all.count)
        var missing: [Pair] = []
        for pair in all {
            if let summary = cached(pair) { out.append(summary) } else { missing.append(pair) }
        }
        progress?(out.count, all.count)
        // In batches, so that progress moves and `store` keeps pace on a large corpus.
        let batch = max(64, 16 * Parallel.cores)
        // A retailer's versions repeat most of their clauses: each text's categories are tallied once.
        let tallies = CategoryClassifier.Tallies()
        var start = 0
        while start < missing.count {
            let slice = Array(missing[start..<min(missing.count, start + batch)])
            // Each version's facts and categories once, though it is the newer side of one pair and
            // the older of the next; then the pairs. Versions read from the document cache let their
            // sections go again after each step.
            var documents: [PolicyDocument] = []
            var seen = Set<String>()
            for pair in slice {
                for doc in [pair.old, pair.new] where seen.insert(doc.id).inserted { documents.append(doc) }
            }
            let analyses = Parallel.map(documents) { doc in
                [doc].readingSections { Analysis(facts: FactExtractor.facts(in: doc),
                                                 topics: CategoryClassifier.shared.classify(doc, evidence: false, reusing: tallies)) }
            }
            let byID = Dictionary(zip(documents.map(\.id), analyses), uniquingKeysWith: { a, _ in a })
            let summaries = Parallel.map(slice) { pair -> ChangeSummary in
                let old = byID[pair.old.id] ?? Analysis(pair.old), new = byID[pair.new.id] ?? Analysis(pair.new)
                return [pair.old, pair.new].readingSections {
                    ChangeSummary(Comparison(pair.old, pair.new), oldTopics: old.topics, newTopics: new.topics,
                                  facts: FactDiff(old: old.facts, new: new.facts))
                }
            }
            for summary in summaries { store(summary) }
            out += summaries
            start += slice.count
            progress?(out.count, all.count)
        }
        return newestFirst(out)
    }

    /// What a summary needs of one version besides its text.
    struct Analysis: Sendable {
        var facts: [PolicyFact]
        var topics: [ClauseTopics]
        init(facts: [PolicyFact], topics: [ClauseTopics]) {
            self.facts = facts
            self.topics = topics
        }
        init(_ doc: PolicyDocument) {
            self.init(facts: FactExtractor.facts(in: doc), topics: CategoryClassifier.shared.classify(doc, evidence: false))
        }
    }

    /// Newest first: by the newer version's date, then retailer, then the older version.
    public static func newestFirst(_ summaries: [ChangeSummary]) -> [ChangeSummary] {
        summaries.sorted { a, b in
            if a.date != b.date { return a.date > b.date }
            if a.retailer != b.retailer { return a.retailer < b.retailer }
            return a.from < b.from
        }
    }
}

/// Which changes of a feed to keep: by date, retailer, category and fact kind.
public struct ChangeFilter: Sendable, Equatable {
    /// Dates as YYYY, YYYY-MM or YYYY-MM-DD; both ends included (`until: "2016"` keeps all of 2016).
    public var since: String?
    public var until: String?
    /// Retailer domains to keep; nil keeps all.
    public var retailers: Set<String>?
    public var category: PrivacyCategory?
    public var fact: PolicyFact.Kind?

    public init(since: String? = nil, until: String? = nil, retailers: Set<String>? = nil,
                category: PrivacyCategory? = nil, fact: PolicyFact.Kind? = nil) {
        self.since = since
        self.until = until
        self.retailers = retailers
        self.category = category
        self.fact = fact
    }

    /// Whether `date` (YYYY-MM-DD) is within `since` and `until`, both ends included.
    func keeps(date: String) -> Bool {
        !(since.map { date < $0 } ?? false) && !(until.map { date.prefix($0.count) > $0 } ?? false)
    }

    public func keeps(_ change: ChangeSummary) -> Bool {
        guard keeps(date: change.date) else { return false }
        if let retailers, !retailers.contains(change.retailer) { return false }
        if let category, !change.touches(category) { return false }
        if let fact, !change.touches(fact) { return false }
        return true
    }

    public func apply(_ changes: [ChangeSummary]) -> [ChangeSummary] { changes.filter(keeps) }

    /// The versions the dates leave to compare: those dated in them and, before the first, the one
    /// it changed (a change is listed under its newer version's date). Only these pairs need
    /// comparing; the history before them is read, not compared.
    public func window(_ retailers: [Retailer]) -> [Retailer] {
        guard since != nil || until != nil else { return retailers }
        return retailers.map { r in
            let dated = r.versions.indices.filter { keeps(date: r.versions[$0].archiveDate) }
            guard let first = dated.first, let last = dated.last else { return Retailer(domain: r.domain, name: r.name, versions: []) }
            return Retailer(domain: r.domain, name: r.name, versions: Array(r.versions[max(0, first - 1)...last]))
        }
    }
}
