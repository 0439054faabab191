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
    /// mentions `term` (its words in order, any letter case; a final `*` matches a prefix). Only the
    /// versions in force in some year are read.
    public static func term(_ term: String, in retailers: [Retailer]) -> [TrendPoint] {
        let matcher = TermMatcher(term)
        let docs = inForce(retailers)
        let values = Parallel.map(docs) { doc in [doc].readingSections { matcher.matches(doc) ? 1.0 : 0 } }
        return byYear(retailers, values: Dictionary(zip(docs.map(\.id), values), uniquingKeysWith: { a, _ in a }))
            .map { TrendPoint(year: $0.year, retailers: $0.retailers, matching: $0.matching, share: $0.retailers == 0 ? 0 : Double($0.matching) / Double($0.retailers)) }
    }

    /// For each year: the mean share of words in clauses of `category` over the retailers' policies in
    /// force, and how many say anything in it. `words` holds each version's `CategoryWords` (by id),
    /// as the search index keeps them; a version in force without them is classified here.
    public static func category(_ category: PrivacyCategory, in retailers: [Retailer], words: [String: CategoryWords]) -> [TrendPoint] {
        var shares = words.mapValues { $0.share(of: category) }
        for doc in inForce(retailers) where shares[doc.id] == nil {
            shares[doc.id] = [doc].readingSections {
                CategoryWords(doc, topics: CategoryClassifier.shared.classify(doc, evidence: false)).share(of: category)
            }
        }
        return byYear(retailers, values: shares)
            .map { TrendPoint(year: $0.year, retailers: $0.retailers, matching: $0.matching, share: $0.retailers == 0 ? 0 : $0.sum / Double($0.retailers)) }
    }

    /// The versions that are some year's policy in force: each retailer's last version of each year.
    public static func inForce(_ retailers: [Retailer]) -> [PolicyDocument] {
        retailers.flatMap { r in
            r.versions.indices.filter { i in
                i + 1 == r.versions.count || r.versions[i + 1].archiveDate.prefix(4) != r.versions[i].archiveDate.prefix(4)
            }.map { r.versions[$0] }
        }
    }

    /// Each version's value (0 when `values` has none), gathered per year over the policies in force:
    /// one walk of each retailer's versions by year beside the years. The policy in force is the
    /// retailer's last version (in its order, which is by date) of those dated that year or earlier.
    static func byYear(_ retailers: [Retailer], values: [String: Double]) -> [(year: Int, retailers: Int, matching: Int, sum: Double)] {
        let series = retailers.map { r in
            r.versions.enumerated().compactMap { i, v in Int(v.archiveDate.prefix(4)).map { (year: $0, order: i, value: values[v.id] ?? 0) } }
                .sorted { ($0.year, $0.order) < ($1.year, $1.order) }
        }
        let years = series.joined().map(\.year)
        guard let first = years.min(), let last = years.max() else { return [] }
        var out = (first...last).map { (year: $0, retailers: 0, matching: 0, sum: 0.0) }
        for versions in series {
            var k = -1, inForce = -1
            for y in out.indices {
                while k + 1 < versions.count, versions[k + 1].year <= out[y].year {
                    k += 1
                    if inForce < 0 || versions[k].order > versions[inForce].order { inForce = k }
                }
                guard inForce >= 0 else { continue }
                out[y].retailers += 1
                if versions[inForce].value > 0 { out[y].matching += 1 }
                out[y].sum += versions[inForce].value
            }
        }
        return out
    }
}

/// How many words a version's clauses hold, in all and in the clauses of each category (a clause
/// of two categories counts for both): what `Trend.category` reads, kept by the search index.
public struct CategoryWords: Hashable, Sendable {
    public var total = 0
    /// In the order of `PrivacyCategory.allCases`.
    public var byCategory = [Int](repeating: 0, count: PrivacyCategory.allCases.count)

    public init() {}

    /// The counts of a document whose clauses, in reading order, carry `topics` (`CategoryClassifier.classify`).
    public init(_ doc: PolicyDocument, topics: [ClauseTopics]) {
        var k = 0
        for section in doc.allSections {
            for i in section.clauses.indices {
                defer { k += 1 }
                guard k < topics.count else { return }
                let n = Tokenizer.wordCount(section.clauses[i].text)
                total += n
                for label in topics[k].labels { byCategory[label.category.ordinal] += n }
            }
        }
    }

    /// The share of the words that are in clauses of `category`; 0 for a version without words.
    public func share(of category: PrivacyCategory) -> Double {
        total == 0 ? 0 : Double(byCategory[category.ordinal]) / Double(total)
    }

    /// As the index stores it: the total, then the categories' counts, separated by spaces.
    public var encoded: String { ([total] + byCategory).map(String.init).joined(separator: " ") }

    /// Reads `encoded`; nil for anything else.
    public init?(encoded: String) {
        let numbers = encoded.split(separator: " ", omittingEmptySubsequences: false).map { Int($0) }
        guard numbers.count == 1 + byCategory.count, numbers.allSatisfy({ $0 != nil }) else { return nil }
        let counts = numbers.map { $0! }
        total = counts[0]
        byCategory = Array(counts.dropFirst())
    }
}

/// A term's words in order, matched against a policy's titles and clauses without letter case.
public struct TermMatcher: Sendable {
    let words: [String]
    let prefix: Bool

    /// The longest word's bytes when every word is ASCII (`surelyAbsent`).
    let needle: [UInt8]?

    public init(_ term: String) {
        let trimmed = term.trimmingCharacters(in: .whitespaces)
        // A star ending a word ("cook*"); one standing alone ends nothing.
        prefix = trimmed.hasSuffix("*") && trimmed.dropLast().last.map { $0.unicodeScalars.contains(where: Tokenizer.isWordScalar) } == true
        words = Tokenizer.foldedWords(trimmed)
        needle = words.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } } ? words.max { $0.utf8.count < $1.utf8.count }.map { Array($0.utf8) } : nil
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
        if surelyAbsent(text) { return false }
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

    /// Whether `text` cannot match, seen in its bytes without making its words: the longest word of
    /// the term (ASCII) appears nowhere in it, in any letter case. Lower-casing makes an ASCII word
    /// only of ASCII letters and digits, and of the Kelvin sign (its "k"; "İ" gives "i" and a
    /// combining dot, in the same word): a text holding one is left to the words. Most clauses lack
    /// the term: matching them word by word was most of `trend TERM`.
    func surelyAbsent(_ text: String) -> Bool {
        guard let needle, let first = needle.first else { return false }
        let m = needle.count
        return text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            let n = bytes.count
            var i = 0
            while i < n {
                let b = bytes[i]
                // U+212A, the Kelvin sign (E2 84 AA).
                if b == 0xE2, i + 2 < n, bytes[i + 1] == 0x84, bytes[i + 2] == 0xAA { return false }
                // `| 0x20` lower-cases letters (and may take other bytes for a word's: never a miss); bytes
                // of other scalars are 0x80 or more either way.
                if b | 0x20 == first, i + m <= n {
                    var k = 1
                    while k < m, bytes[i + k] | 0x20 == needle[k] { k += 1 }
                    if k == m { return false }
                }
                i += 1
            }
            return true
        } ?? false
    }
}
