import Foundation

/// One year of a trend across retailers.
public struct TrendPoint: Codable, Hashable, Sendable {
    public var year: Int
    /// Retailers with a version dated that year or earlier.
    public var retailers: Int
    /// Of those, how many have a policy in force that matches (mentions the term, or says
    /// anything in the category).
    public var matching: Int
    /// For a term, `matching / retailers`; for a category, the mean over those retailers of the
    /// share of their policy's words in clauses of the category. 0 when no retailer counts.
    public var share: Double

    public init(year: Int, retailers: Int, matching: Int, share: Double) {
        self.year = year
        self.retailers = retailers
        self.matching = matching
        self.share = share
    }
}

/// How a term or a category spreads across retailers year by year. The policy in force in a
/// year is a retailer's latest version dated that year or earlier; retailers with no version by
/// then do not count.
public enum Trend {
    /// For each year from the corpus's first version to its last: how many retailers' policy in force
    /// mentions `term` (its words in order, any letter case; a final `*` matches a prefix).
    public static func term(_ term: String, in retailers: [Retailer]) -> [TrendPoint] {
        let matcher = TermMatcher(term)
        return byYear(retailers) { doc in matcher.matches(doc) ? 1 : 0 }
            .map { TrendPoint(year: $0.year, retailers: $0.retailers, matching: $0.matching, share: $0.retailers == 0 ? 0 : Double($0.matching) / Double($0.retailers)) }
    }

    /// For each year: the mean share of words in clauses of `category` over the retailers' policies in
    /// force, and how many say anything in it.
    public static func category(_ category: PrivacyCategory, in retailers: [Retailer]) -> [TrendPoint] {
        byYear(retailers) { doc in categoryShare(category, in: doc) }
            .map { TrendPoint(year: $0.year, retailers: $0.retailers, matching: $0.matching, share: $0.retailers == 0 ? 0 : $0.sum / Double($0.retailers)) }
    }

    /// The share of a version's clause words that are in clauses labelled `category`.
    public static func categoryShare(_ category: PrivacyCategory, in doc: PolicyDocument) -> Double {
        let labels = CategoryClassifier.shared.classify(doc, evidence: false)
        let clauses = doc.allClauses
        var total = 0, inCategory = 0
        for (i, t) in labels.enumerated() where i < clauses.count {
            let n = Tokenizer.words(clauses[i].text).count
            total += n
            if t.categories.contains(category) { inCategory += n }
        }
        return total == 0 ? 0 : Double(inCategory) / Double(total)
    }

    /// `value` of every version (once each, in parallel), gathered per year over the policies in force.
    static func byYear(_ retailers: [Retailer], value: @escaping @Sendable (PolicyDocument) -> Double)
        -> [(year: Int, retailers: Int, matching: Int, sum: Double)] {
        let docs = retailers.flatMap(\.versions)
        let values = Parallel.map(docs) { doc in [doc].readingSections { value(doc) } }
        var byID: [String: Double] = [:]
        for (doc, v) in zip(docs, values) { byID[doc.id] = v }
        let years = docs.compactMap { Int($0.archiveDate.prefix(4)) }
        guard let first = years.min(), let last = years.max() else { return [] }
        return (first...last).map { year in
            var count = 0, matching = 0, sum = 0.0
            for r in retailers {
                guard let inForce = r.versions.last(where: { (Int($0.archiveDate.prefix(4)) ?? Int.max) <= year }) else { continue }
                let v = byID[inForce.id] ?? 0
                count += 1
                if v > 0 { matching += 1 }
                sum += v
            }
            return (year, count, matching, sum)
        }
    }
}

/// A term's words in order, matched against a policy's titles and clauses without letter case.
public struct TermMatcher: Sendable {
    let words: [String]
    let prefix: Bool

    public init(_ term: String) {
        let trimmed = term.trimmingCharacters(in: .whitespaces)
        prefix = trimmed.hasSuffix("*")
        words = Tokenizer.foldedWords(trimmed)
    }

    public var isEmpty: Bool { words.isEmpty }

    public func matches(_ doc: PolicyDocument) -> Bool {
        guard !words.isEmpty else { return false }
        for section in doc.allSections {
            if matches(section.title) { return true }
            for clause in section.clauses where matches(clause.text) { return true }
        }
        return false
    }

    public func matches(_ text: String) -> Bool {
        let folded = Tokenizer.foldedWords(text)
        guard folded.count >= words.count else { return false }
        for start in 0...(folded.count - words.count) {
            var k = 0
            while k < words.count {
                let w = folded[start + k]
                let last = k == words.count - 1
                if !(w == words[k] || (last && prefix && w.hasPrefix(words[k]))) { break }
                k += 1
            }
            if k == words.count { return true }
        }
        return false
    }
}
