import Foundation

/// What changed from one version of a policy to the next, in figures and names: words added and
/// removed, sections added, removed, changed and moved, words per privacy category, and facts.
///
/// A summary depends on the two versions' text alone, so it can be computed once per version pair
/// and kept: `encoded()` is deterministic (sorted keys), and `formatVersion` changes whenever
/// what a summary holds or how it is computed changes, so a store keyed by it never serves a stale one.
public struct ChangeSummary: Codable, Hashable, Sendable {
    /// Bumped when the fields or the way they are computed change.
    public static let formatVersion = 3

    /// Section titles by what happened to them (the newer title for changed and moved sections).
    public struct Sections: Codable, Hashable, Sendable {
        public var added: [String] = []
        public var removed: [String] = []
        public var changed: [String] = []
        public var moved: [String] = []
        public init(added: [String] = [], removed: [String] = [], changed: [String] = [], moved: [String] = []) {
            self.added = added
            self.removed = removed
            self.changed = changed
            self.moved = moved
        }
        public var count: Int { added.count + removed.count + changed.count + moved.count }
        /// "sections: 3 changed, 2 removed": the kinds that occur, as `diff` counts them.
        public var counted: String {
            Self.counted(changed: changed.count, moved: moved.count, added: added.count, removed: removed.count)
        }

        /// `renamed` of the `changed` had their title alone changed: "3 changed (2 renamed)".
        public static func counted(changed: Int, renamed: Int = 0, moved: Int, added: Int, removed: Int) -> String {
            let counts = [("changed", changed), ("moved", moved), ("added", added), ("removed", removed)]
                .filter { $0.1 > 0 }.map { "\($0.1) \($0.0)" + ($0.0 == "changed" && renamed > 0 ? " (\(renamed) renamed)" : "") }
            return counts.isEmpty ? "no section changed" : "sections: " + counts.joined(separator: ", ")
        }
    }

    /// Words added and removed in clauses of one category.
    public struct CategoryChange: Codable, Hashable, Sendable {
        public var category: PrivacyCategory
        public var added: Int
        public var removed: Int
        public init(category: PrivacyCategory, added: Int, removed: Int) {
            self.category = category
            self.added = added
            self.removed = removed
        }
    }

    /// The retailer's domain.
    public var retailer: String
    /// The older and the newer version's ids (`domain@YYYY-MM-DD`).
    public var from: String
    public var to: String
    /// The newer version's date, which the change is listed under.
    public var date: String
    /// Words added and removed over the whole policy.
    public var added: Int
    public var removed: Int
    public var sections: Sections
    /// Categories whose clauses gained or lost words, in category order.
    public var categories: [CategoryChange]
    public var facts: FactDiff

    public init(retailer: String, from: String, to: String, date: String, added: Int, removed: Int,
                sections: Sections, categories: [CategoryChange], facts: FactDiff) {
        self.retailer = retailer
        self.from = from
        self.to = to
        self.date = date
        self.added = added
        self.removed = removed
        self.sections = sections
        self.categories = categories
        self.facts = facts
    }

    /// Compares `old` with `new` and summarises.
    public init(_ old: PolicyDocument, _ new: PolicyDocument) {
        let comparison = Comparison(old, new)
        let classifier = CategoryClassifier.shared
        self.init(comparison, oldTopics: classifier.classify(old, evidence: false), newTopics: classifier.classify(new, evidence: false),
                  facts: FactDiff(old, new))
    }

    /// Summarises a comparison, given the categories of both versions' clauses and their facts compared.
    public init(_ comparison: Comparison, oldTopics: [ClauseTopics], newTopics: [ClauseTopics], facts: FactDiff) {
        let old = comparison.left, new = comparison.right
        var sections = Sections()
        var addedByCategory = [Int](repeating: 0, count: PrivacyCategory.allCases.count)
        var removedByCategory = addedByCategory
        let oldCategories = Self.categoriesByClause(oldTopics)
        let newCategories = Self.categoriesByClause(newTopics)
        for pair in comparison.pairs {
            let title = { (s: PolicySection) in s.isPreamble ? "(preamble)" : s.title }
            switch pair.status {
            case .added: if let r = pair.right { sections.added.append(title(r)) }
            case .removed: if let l = pair.left { sections.removed.append(title(l)) }
            case .changed: if let r = pair.right { sections.changed.append(title(r)) }
            case .moved: if let r = pair.right { sections.moved.append(title(r)) }
            case .unchanged: break
            }
            guard pair.addedWords + pair.removedWords > 0 else { continue }
            if let l = pair.left {
                Self.countWords(pair.diff.leftTokens, kind: .removed, lines: Self.lineCategories(l, oldCategories), into: &removedByCategory)
            }
            if let r = pair.right {
                Self.countWords(pair.diff.rightTokens, kind: .added, lines: Self.lineCategories(r, newCategories), into: &addedByCategory)
            }
        }
        let categories = PrivacyCategory.allCases.enumerated().compactMap { n, c -> CategoryChange? in
            addedByCategory[n] + removedByCategory[n] == 0 ? nil : CategoryChange(category: c, added: addedByCategory[n], removed: removedByCategory[n])
        }
        self.init(retailer: new.domain, from: old.id, to: new.id, date: new.archiveDate,
                  added: comparison.stats.addedWords, removed: comparison.stats.removedWords,
                  sections: sections, categories: categories, facts: facts)
    }

    /// True when words were added or removed in clauses of `category`.
    public func touches(_ category: PrivacyCategory) -> Bool {
        categories.contains { $0.category == category && $0.added + $0.removed > 0 }
    }

    /// True when a fact of `kind` was added, removed or changed.
    public func touches(_ kind: PolicyFact.Kind) -> Bool { facts.touches(kind) }

    /// The summary as JSON with sorted keys: the same summary always gives the same bytes.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// A summary from `encoded()`.
    public static func decoded(from data: Data) throws -> ChangeSummary {
        try JSONDecoder().decode(ChangeSummary.self, from: data)
    }

    // MARK: words per category

    /// Section path → the categories of each of its clauses.
    static func categoriesByClause(_ topics: [ClauseTopics]) -> [String: [[PrivacyCategory]]] {
        var out: [String: [[PrivacyCategory]]] = [:]
        for t in topics {
            var list = out[t.sectionPath] ?? []
            while list.count <= t.index { list.append([]) }
            list[t.index] = t.categories
            out[t.sectionPath] = list
        }
        return out
    }

    /// The categories of each line of `SectionAligner.text(section)` (the text the diff compares):
    /// a sub-section's title has none, a clause's lines have the clause's.
    static func lineCategories(_ section: PolicySection, _ categories: [String: [[PrivacyCategory]]]) -> [[PrivacyCategory]] {
        var out: [[PrivacyCategory]] = []
        func add(_ text: String, _ cats: [PrivacyCategory]) {
            let lines = text.utf8.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            out += Array(repeating: cats, count: lines)
        }
        for (n, s) in section.flattened.enumerated() {
            if n > 0 { add(s.title, []) }
            let clauseCategories = categories[s.path] ?? []
            for (i, clause) in s.clauses.enumerated() {
                add(clause.text, i < clauseCategories.count ? clauseCategories[i] : [])
            }
        }
        return out
    }

    /// Adds the words of `kind` among `tokens` to the counts of their line's categories.
    static func countWords(_ tokens: [WordDiff.SideToken], kind: WordDiff.Kind, lines: [[PrivacyCategory]], into counts: inout [Int]) {
        guard !lines.isEmpty else { return }
        let ordinals = lines.map { $0.map { PrivacyCategory.allCases.firstIndex(of: $0) ?? 0 } }
        var line = 0
        for token in tokens {
            if token.isBreak { line += 1; continue }
            guard token.kind == kind, let first = token.text.unicodeScalars.first, Tokenizer.isWordScalar(first) else { continue }
            for c in ordinals[min(line, ordinals.count - 1)] { counts[c] += 1 }
        }
    }
}
