import Foundation

/// How a section fared between two versions.
public enum SectionStatus: String, Sendable, Codable {
    case unchanged, changed, moved, added, removed
}

/// Two aligned sections (either may be absent) with their word diff.
public struct SectionPair: Sendable {
    public var left: PolicySection?
    public var right: PolicySection?
    public var status: SectionStatus
    /// Combined title and content similarity, 0…1.
    public var similarity: Double
    public var diff: WordDiff
    /// For an added/removed section that split off from, or merged into, a section opposite.
    public var counterpart: PolicySection?

    public var addedWords: Int { diff.addedWords }
    public var removedWords: Int { diff.removedWords }
    /// How the change is named to a reader: "renamed" for a section whose text is the same under
    /// another title (a changed pair with no word changed), else its status.
    public var statusName: String {
        status == .changed && diff.addedWords == 0 && diff.removedWords == 0
            && left.map(Comparison.ownTitle) != right.map(Comparison.ownTitle) ? "renamed" : status.rawValue
    }
    /// Share of the pair's words that changed, 0…1.
    public var changedShare: Double {
        let total = diff.addedWords + diff.removedWords + 2 * diff.equalWords
        return total == 0 ? 0 : Double(diff.addedWords + diff.removedWords) / Double(total)
    }
}

/// Totals over a comparison.
public struct ComparisonStats: Sendable, Codable, Hashable {
    public var addedWords = 0
    public var removedWords = 0
    public var sectionsAdded = 0
    public var sectionsRemoved = 0
    public var sectionsMoved = 0
    public var sectionsChanged = 0
    /// Of the changed sections, those whose title alone changed ("renamed").
    public var sectionsRenamed = 0
    public var sectionsUnchanged = 0
    /// Share of all words that changed, 0…1.
    public var changedShare = 0.0

    public init() {}

    /// The totals over `pairs` (a whole comparison, or the pairs of one section).
    public init(pairs: [SectionPair]) {
        var equal = 0
        for p in pairs {
            addedWords += p.addedWords
            removedWords += p.removedWords
            equal += p.diff.equalWords
            switch p.status {
            case .added: sectionsAdded += 1
            case .removed: sectionsRemoved += 1
            case .moved: sectionsMoved += 1
            case .changed:
                sectionsChanged += 1
                if p.statusName == "renamed" { sectionsRenamed += 1 }
            case .unchanged: sectionsUnchanged += 1
            }
        }
        let total = addedWords + removedWords + 2 * equal
        changedShare = total == 0 ? 0 : Double(addedWords + removedWords) / Double(total)
    }
}

/// Two policy versions compared: sections aligned, words diffed, changes summarised.
public struct Comparison: Sendable {
    public var left: PolicyDocument
    public var right: PolicyDocument
    public var pairs: [SectionPair]
    public var stats: ComparisonStats
    /// On each side, the path of each wordless heading folded forward, with the path of the section
    /// it heads (`comparable`).
    public var folded: (left: [String: String], right: [String: String])

    /// Aligns the top-level sections of `left` and `right` and diffs each pair.
    public init(_ left: PolicyDocument, _ right: PolicyDocument) {
        self.left = left
        self.right = right
        let fold = left.caseFolded || right.caseFolded
        let (l, lf) = Self.comparable(left.sections), (r, rf) = Self.comparable(right.sections)
        folded = (lf, rf)
        let matches = SectionAligner.align(l, r)
        let texts = matches.map { ($0.left.map(SectionAligner.text) ?? "", $0.right.map(SectionAligner.text) ?? "") }
        let diffs = Parallel.map(texts, cost: { $0.0.utf8.count + $0.1.utf8.count }) { WordDiff($0.0, $0.1, foldCase: fold) }
        let pairs = zip(matches, diffs).map { match, diff -> SectionPair in
            var status = match.status
            if status == .unchanged, diff.addedWords + diff.removedWords > 0 { status = .changed }
            // A renamed section is changed even when its text is not.
            if status == .unchanged, let l = match.left, let r = match.right,
               SectionAligner.titleKey(Self.ownTitle(l)) != SectionAligner.titleKey(Self.ownTitle(r)) { status = .changed }
            return SectionPair(left: match.left, right: match.right, status: status, similarity: match.similarity, diff: diff,
                               counterpart: match.counterpart)
        }
        self.pairs = pairs
        stats = ComparisonStats(pairs: pairs)
    }

    /// The sections compared. A lone titled section holding all the others (fossil.com's "Privacy
    /// and Security" over its thirty) is stepped into, so that its subsections meet the other
    /// side's, its own text kept as a section of its title; a heading with no words and no
    /// subsections (a flat page's heading over the ones after it) heads the section after it
    /// ("information collection and how it is used › general information"). With them, the path
    /// of each heading folded so and the path of the section it heads (`diff --section`).
    static func comparable(_ sections: [PolicySection]) -> (sections: [PolicySection], headings: [String: String]) {
        var list = sections
        var remnants: Set<String> = []   // wrappers' own text, which leaves them lone still
        while true {
            let titled = list.filter { !$0.isPreamble && !remnants.contains($0.path) }
            guard titled.count == 1, let wrapper = titled.first, !wrapper.children.isEmpty else { break }
            var own = wrapper
            own.children = []
            if !own.clauses.isEmpty { remnants.insert(own.path) }
            list = list.flatMap { $0.path != wrapper.path ? [$0] : (own.clauses.isEmpty ? [] : [own]) + wrapper.children }
        }
        var out: [PolicySection] = []
        var headings: [PolicySection] = []
        var folded: [String: String] = [:]
        for var section in list {
            if !section.isPreamble, section.clauses.isEmpty, section.children.isEmpty {
                headings.append(section)
                continue
            }
            if !headings.isEmpty, !section.isPreamble {
                section.title = (headings.map(\.title) + [section.title]).joined(separator: Self.foldSeparator)
                for h in headings { folded[h.path] = section.path }
                headings = []
            }
            out.append(section)
        }
        // Headings at the end have nothing after them: they stay sections of their own.
        return (out + headings, folded)
    }

    /// Between a folded heading and the title of the section it heads.
    static let foldSeparator = " › "

    /// A section's own title, without the wordless headings folded over it: what "renamed" compares.
    public static func ownTitle(_ section: PolicySection) -> String {
        section.title.components(separatedBy: foldSeparator).last ?? section.title
    }

    /// Each consecutive pair of a retailer's versions, for the timeline.
    public static func history(of retailer: Retailer) -> [(from: String, to: String, stats: ComparisonStats)] {
        zip(retailer.versions, retailer.versions.dropFirst()).map { a, b in (a.id, b.id, Comparison(a, b).stats) }
    }
}

/// Pairs the sections of two policies by title and content similarity together.
public enum SectionAligner {
    public struct Match: Sendable {
        public var left: PolicySection?
        public var right: PolicySection?
        public var status: SectionStatus
        public var similarity: Double
        /// For an added or removed section whose text mostly lives in a section of the other side
        /// (a split or a merge): that section.
        public var counterpart: PolicySection?
    }

    /// The plain text of a section and its sub-sections (sub-section titles included).
    public static func text(_ section: PolicySection) -> String {
        var parts: [String] = []
        for (n, s) in section.flattened.enumerated() {
            if n > 0 { parts.append(s.title) }
            parts.append(contentsOf: s.clauses.map(diffText))
        }
        return parts.joined(separator: "\n")
    }

    /// A clause's text with each hard line break's space made `WordDiff.lineBreak`, so the
    /// side-by-side views can break the line where the page did.
    static func diffText(_ clause: Clause) -> String {
        let breaks = clause.lineBreaks
        guard !breaks.isEmpty else { return clause.text }
        var scalars = Array(clause.text.unicodeScalars)
        for b in breaks where scalars.indices.contains(b) && scalars[b] == " " { scalars[b] = WordDiff.lineBreak }
        return String(String.UnicodeScalarView(scalars))
    }

    static let stopwords: Set<String> = [
        "the", "a", "an", "of", "to", "and", "or", "in", "on", "for", "we", "you", "your", "our", "us", "is", "are", "be",
        "it", "this", "that", "with", "by", "as", "at", "from", "can", "may", "will", "not", "do", "how", "what", "which",
        "if", "any", "all", "such", "other", "its", "their", "they", "has", "have", "s",
    ]

    /// A title with its numbering ("6.", "A.") and punctuation removed, lower-cased.
    static func titleKey(_ title: String) -> String {
        HeadingLexicon.key(title)
    }

    /// Content words, crudely stemmed so "cookies" meets "cookie" and "collected" meets "collect".
    static func stems(_ text: String) -> [String] {
        var interner = ByteInterner()
        return stemIDs(text, interner: &interner).map(interner.string)
    }

    /// The stop words, for lookups by bytes.
    static let stopwordTable: ByteInterner = {
        var table = ByteInterner(capacity: stopwords.count)
        for word in stopwords { _ = table.id(word) }
        return table
    }()

    /// `stems(text)` as ids in `interner`, read off the text's UTF-8: ASCII words are lower-cased
    /// and stemmed on their bytes, others through `String` (and put in NFC, see `ByteInterner`).
    static func stemIDs(_ text: String, interner: inout ByteInterner) -> [Int] {
        var out: [Int] = []
        let stopwords = stopwordTable
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            Tokenizer.forEachWord(in: bytes) { word, ascii, digits in
                guard ascii else {
                    if let stem = stem(String(decoding: word, as: UTF8.self)) { out.append(interner.id(stem.precomposedStringWithCanonicalMapping)) }
                    return
                }
                guard word.count > 1, !digits else { return }
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: word.count) { buffer in
                    Tokenizer.lowercaseASCII(word, into: buffer)
                    var lower = UnsafeBufferPointer(buffer)
                    guard stopwords.find(lower) == nil else { return }
                    for suffix in suffixes where lower.count > suffix.count + 3 {
                        let tail = lower.count - suffix.count
                        if suffix.indices.allSatisfy({ lower[tail + $0] == suffix[$0] }) {
                            lower = UnsafeBufferPointer(rebasing: lower[..<tail])
                            break
                        }
                    }
                    out.append(interner.id(lower))
                }
            }
        }
        return out
    }

    /// Endings removed by the crude stemmer, the first that fits (and their bytes).
    static let suffixWords = ["ing", "ed", "es", "s"]
    static let suffixes: [[UInt8]] = suffixWords.map { Array($0.utf8) }

    /// The stem of one word that is not all ASCII, or nil for a stop word, a single character or a number.
    static func stem(_ word: String) -> String? {
        var s = word.lowercased()
        guard !stopwords.contains(s), s.count > 1, !s.allSatisfy(\.isNumber) else { return nil }
        for suffix in suffixWords where s.count > suffix.count + 3 && s.hasSuffix(suffix) {
            s.removeLast(suffix.count)
            break
        }
        return s
    }

    /// Privacy-policy topics that headings name in different words ("security" ~ "how we protect").
    static let concepts: [(concept: String, stems: [String])] = [
        ("security", ["secur", "protect", "safeguard", "encrypt"]),
        ("access", ["access", "correct", "right", "choice", "edit", "review", "delet", "updat", "opt"]),
        ("children", ["child", "minor", "kid", "age"]),
        ("collection", ["collect", "gather"]),
        ("sharing", ["shar", "disclos", "transfer", "sell", "third"]),
        ("tracking", ["cooki", "track", "beacon", "analytic", "pixel"]),
        ("contact", ["contact", "question"]),
        ("changes", ["chang", "revision", "amend"]),
        ("links", ["link"]),
        ("california", ["california"]),
    ]

    static func titleConcepts(_ stems: Set<String>) -> Set<String> {
        Set(concepts.compactMap { c in stems.contains { s in c.stems.contains { s.hasPrefix($0) } } ? c.concept : nil })
    }

    /// A title's stems and topics, computed once per section.
    struct TitleKey {
        let empty: Bool
        let stems: Set<String>
        let concepts: Set<String>
        init(_ title: String) {
            empty = title.isEmpty
            // Words every policy's headings use name no topic: "changes in this privacy statement"
            // and "our commitment to privacy" share none. A title of nothing else ("Privacy
            // Notice") keeps them, and pairs with itself.
            let all = Set(SectionAligner.stems(SectionAligner.titleKey(title)))
            let specific = all.subtracting(SectionAligner.genericTitleStems)
            stems = specific.isEmpty ? all : specific
            concepts = SectionAligner.titleConcepts(stems)
        }

        /// Dice overlap of title stems, or of the topics the titles name (slightly discounted).
        func similarity(_ other: TitleKey) -> Double {
            guard !stems.isEmpty, !other.stems.isEmpty else { return empty && other.empty ? 1 : 0 }
            let words = 2 * Double(stems.intersection(other.stems).count) / Double(stems.count + other.stems.count)
            let topics = concepts.isEmpty || other.concepts.isEmpty ? 0
                : 2 * Double(concepts.intersection(other.concepts).count) / Double(concepts.count + other.concepts.count)
            return max(words, 0.9 * topics)
        }
    }

    static func titleSimilarity(_ a: String, _ b: String) -> Double { TitleKey(a).similarity(TitleKey(b)) }

    /// Stems of words that a privacy policy's headings share whatever they are about.
    static let genericTitleStems: Set<String> = ["privacy", "policy", "polici", "statement", "notice", "notic"]

    /// A section's content as a sparse TF-IDF vector: stem ids in increasing order, their weights.
    struct Bag {
        var ids: [Int] = []
        var weights: [Double] = []
        var norm = 0.0
        var total = 0.0
        var count: Int { ids.count }

        /// Σ of this bag's weights over the stems `other` also has.
        func sharedWeight(_ other: Bag) -> Double {
            var i = 0, j = 0, sum = 0.0
            while i < ids.count, j < other.ids.count {
                if ids[i] == other.ids[j] { sum += weights[i]; i += 1; j += 1 } else if ids[i] < other.ids[j] { i += 1 } else { j += 1 }
            }
            return sum
        }

        func cosine(_ other: Bag) -> Double {
            var i = 0, j = 0, dot = 0.0
            while i < ids.count, j < other.ids.count {
                if ids[i] == other.ids[j] { dot += weights[i] * other.weights[j]; i += 1; j += 1 } else if ids[i] < other.ids[j] { i += 1 } else { j += 1 }
            }
            return norm == 0 || other.norm == 0 ? 0 : dot / (norm * other.norm)
        }

        /// Share of the smaller side's weight found in the other: a short section inside a long one.
        func containment(_ other: Bag) -> Double {
            let (small, large) = count <= other.count ? (self, other) : (other, self)
            return small.total > 0 ? small.sharedWeight(large) / small.total : 0
        }
    }

    /// TF-IDF bags of the sections of both sides; IDF over all of them, so shared boilerplate weighs little.
    static func bags(_ left: [PolicySection], _ right: [PolicySection]) -> (left: [Bag], right: [Bag]) {
        var ids = ByteInterner(capacity: 1024)
        let sorted: [[Int]] = (left + right).map { section in stemIDs(text(section), interner: &ids).sorted() }
        var df = [Int](repeating: 0, count: ids.count)
        for bag in sorted {
            var k = 0
            while k < bag.count { df[bag[k]] += 1; let id = bag[k]; while k < bag.count, bag[k] == id { k += 1 } }
        }
        let n = Double(max(1, sorted.count))
        let bags = sorted.map { bag -> Bag in
            var out = Bag()
            var k = 0
            while k < bag.count {
                let id = bag[k]
                var f = 0
                while k < bag.count, bag[k] == id { f += 1; k += 1 }
                let w = (1 + log(Double(f))) * log(1 + n / Double(df[id]))
                out.ids.append(id)
                out.weights.append(w)
                out.norm += w * w
                out.total += w
            }
            out.norm = out.norm.squareRoot()
            return out
        }
        return (Array(bags[..<left.count]), Array(bags[left.count...]))
    }

    /// Aligns two lists of sections. Pairs are chosen greedily by descending combined similarity.
    public static func align(_ left: [PolicySection], _ right: [PolicySection]) -> [Match] {
        let (lv, rv) = bags(left, right)
        var candidates: [(Int, Int, Double)] = []
        let leftTitles = left.map { TitleKey($0.title) }
        let rightTitles = right.map { TitleKey($0.title) }
        for i in left.indices {
            for j in right.indices {
                // A preamble pairs with a titled section only by much the same words (a version that
                // puts "## Introduction" over its opening text).
                let cross = left[i].isPreamble != right[j].isPreamble
                let content = max(lv[i].cosine(rv[j]), 0.75 * lv[i].containment(rv[j]))
                if cross, content < 0.5 { continue }
                let title = cross ? 0 : left[i].isPreamble ? 1 : leftTitles[i].similarity(rightTitles[j])
                // Content decides; a matching title adds weight and rescues short sections.
                let score = 0.6 * content + 0.4 * title
                if score >= 0.25 || content >= 0.3 || title >= 0.99 { candidates.append((i, j, score)) }
            }
        }
        candidates.sort { $0.2 != $1.2 ? $0.2 > $1.2 : ($0.0, $0.1) < ($1.0, $1.1) }
        // Per section index rather than sets and dictionaries: deterministic order, and no generic
        // hashed collections to instantiate on a CLI run's first comparison.
        var leftTaken = [(Int, Double)?](repeating: nil, count: left.count)
        var rightTaken = [Bool](repeating: false, count: right.count)
        for (i, j, score) in candidates where leftTaken[i] == nil && !rightTaken[j] {
            leftTaken[i] = (j, score)
            rightTaken[j] = true
        }
        // Pairs out of order relative to the longest increasing run are moves.
        let pairs = left.indices.compactMap { i in leftTaken[i].map { (i, $0.0) } }
        let inOrder = longestIncreasing(pairs.map(\.1))
        var moved = [Bool](repeating: false, count: left.count)
        for (k, p) in pairs.enumerated() where !inOrder[k] { moved[p.0] = true }
        // Emit in the right side's order, with removed sections placed after their left predecessor.
        var out: [Match] = []
        var emittedLeft = [Bool](repeating: false, count: left.count)
        func emitRemoved(upTo i: Int) {
            for l in 0..<i where leftTaken[l] == nil && !emittedLeft[l] {
                out.append(Match(left: left[l], right: nil, status: .removed, similarity: 0))
                emittedLeft[l] = true
            }
        }
        var rightToLeft = [(Int, Double)?](repeating: nil, count: right.count)
        for (i, taken) in leftTaken.enumerated() { if let (j, score) = taken { rightToLeft[j] = (i, score) } }
        for j in right.indices {
            if let (i, score) = rightToLeft[j] {
                if !moved[i] { emitRemoved(upTo: i) }
                let status: SectionStatus = moved[i] ? .moved : .unchanged
                out.append(Match(left: left[i], right: right[j], status: status, similarity: score))
                emittedLeft[i] = true
            } else {
                out.append(Match(left: nil, right: right[j], status: .added, similarity: 0))
            }
        }
        emitRemoved(upTo: left.count)
        // Splits and merges: an unpaired section whose words mostly sit in a paired section opposite.
        for k in out.indices where out[k].status == .added || out[k].status == .removed {
            let isAdded = out[k].status == .added
            guard let own = isAdded ? right.firstIndex(where: { $0.path == out[k].right?.path })
                                    : left.firstIndex(where: { $0.path == out[k].left?.path }) else { continue }
            let mine = isAdded ? rv[own] : lv[own]
            guard mine.count >= 8 else { continue }
            var best: (Int, Double)?
            let others = isAdded ? left.indices.filter { leftTaken[$0] != nil } : right.indices.filter { rightTaken[$0] }
            for o in others {
                let theirs = isAdded ? lv[o] : rv[o]
                let share = mine.total > 0 ? mine.sharedWeight(theirs) / mine.total : 0
                if share >= 0.6, share > (best?.1 ?? 0) { best = (o, share) }
            }
            if let (o, share) = best {
                out[k].counterpart = isAdded ? left[o] : right[o]
                out[k].similarity = share
            }
        }
        return out
    }

    /// Which indices (into `values`) belong to one longest strictly increasing subsequence.
    static func longestIncreasing(_ values: [Int]) -> [Bool] {
        var out = [Bool](repeating: false, count: values.count)
        var tails: [Int] = []      // index into values
        var previous = Array(repeating: -1, count: values.count)
        for (k, v) in values.enumerated() {
            var lo = 0, hi = tails.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if values[tails[mid]] < v { lo = mid + 1 } else { hi = mid }
            }
            if lo > 0 { previous[k] = tails[lo - 1] }
            if lo == tails.count { tails.append(k) } else { tails[lo] = k }
        }
        var k = tails.last ?? -1
        while k >= 0 { out[k] = true; k = previous[k] }
        return out
    }
}
