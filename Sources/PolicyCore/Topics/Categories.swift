import Foundation

/// The ten OPP-115 data-practice categories (Wilson et al., ACL 2016).
public enum PrivacyCategory: String, CaseIterable, Codable, Sendable, Comparable {
    case firstParty = "first-party"
    case thirdParty = "third-party"
    case choice
    case access
    case retention
    case security
    case change
    case dnt
    case audiences
    case other

    /// The OPP-115 name.
    public var title: String {
        switch self {
        case .firstParty: return "First Party Collection/Use"
        case .thirdParty: return "Third Party Sharing/Collection"
        case .choice: return "User Choice/Control"
        case .access: return "User Access, Edit & Deletion"
        case .retention: return "Data Retention"
        case .security: return "Data Security"
        case .change: return "Policy Change"
        case .dnt: return "Do Not Track"
        case .audiences: return "International & Specific Audiences"
        case .other: return "Other"
        }
    }

    /// A short label for narrow screens (at most 8 columns; the heat map's headers show 7).
    public var shortName: String {
        switch self {
        case .firstParty: return "collect"
        case .thirdParty: return "share"
        case .choice: return "choice"
        case .access: return "access"
        case .retention: return "retain"
        case .security: return "secure"   // a verb like its neighbours, and 6 columns: "securi…" at 80 columns
        case .change: return "change"
        case .dnt: return "dnt"
        case .audiences: return "audience"
        case .other: return "other"
        }
    }

    /// Reads a user's name for a category: the identifier, the short name, or a word of the title.
    public init?(loose text: String) {
        let t = text.lowercased().filter { $0.isLetter }
        guard !t.isEmpty else { return nil }
        for c in Self.allCases where c.rawValue.filter({ $0.isLetter }) == t || c.shortName == t { self = c; return }
        let aliases: [String: PrivacyCategory] = [
            "firstparty": .firstParty, "collection": .firstParty, "collect": .firstParty, "use": .firstParty,
            "thirdparty": .thirdParty, "sharing": .thirdParty, "share": .thirdParty, "thirdparties": .thirdParty,
            "control": .choice, "optout": .choice, "choices": .choice,
            "edit": .access, "deletion": .access, "delete": .access,
            "retain": .retention, "storage": .retention,
            "policychange": .change, "changes": .change,
            "donottrack": .dnt, "tracking": .dnt,
            "children": .audiences, "international": .audiences, "audience": .audiences, "specific": .audiences,
        ]
        guard let c = aliases[t] else { return nil }
        self = c
    }

    /// The one category whose name or short name starts with `text` ("sec" → security), while typing.
    public static func uniquePrefix(_ text: String) -> PrivacyCategory? {
        let found = prefixed(text)
        return found.count == 1 ? found[0] : nil
    }

    /// A category as a command's `--category` names it: as search's `topic:` does (a name, an
    /// alias, a unique prefix: `retention`, `children`, `sec`), or by its OPP-115 title.
    public static func named(_ name: String) -> PrivacyCategory? {
        PrivacyCategory(loose: name) ?? uniquePrefix(name) ?? allCases.first { $0.title.lowercased() == name.lowercased() }
    }

    /// Why `name` is no category (`named` gave nil), for an error message.
    public static func notACategory(_ name: String) -> String {
        let several = prefixed(name)
        return several.count > 1 ? "ambiguous category '\(name)': \(several.map(\.rawValue).joined(separator: " or "))"
            : "unknown category '\(name)'; one of: \(allCases.map(\.rawValue).joined(separator: ", "))"
    }

    /// The categories whose name or short name starts with `text` (two letters or more).
    public static func prefixed(_ text: String) -> [PrivacyCategory] {
        let t = text.lowercased()
        guard t.count >= 2 else { return [] }
        return allCases.filter { $0.rawValue.hasPrefix(t) || $0.shortName.hasPrefix(t) }
    }

    /// The single word the search index stores for the category ("thirdparty"): the identifier
    /// without its hyphen. (Written out: the index build asks for it for every label.)
    public var indexToken: String {
        switch self {
        case .firstParty: return "firstparty"
        case .thirdParty: return "thirdparty"
        default: return rawValue
        }
    }

    /// The categories by `ordinal`.
    static let byOrdinal = allCases

    /// Position in `allCases`, the order categories are listed in.
    var ordinal: Int {
        switch self {
        case .firstParty: return 0
        case .thirdParty: return 1
        case .choice: return 2
        case .access: return 3
        case .retention: return 4
        case .security: return 5
        case .change: return 6
        case .dnt: return 7
        case .audiences: return 8
        case .other: return 9
        }
    }

    public static func < (a: PrivacyCategory, b: PrivacyCategory) -> Bool {
        a.ordinal < b.ordinal
    }
}

/// One category given to a clause, with the words that earned it.
public struct CategoryLabel: Codable, Hashable, Sendable {
    public var category: PrivacyCategory
    public var score: Double
    /// The terms that triggered the label, as they appear ("third parties", "title: security").
    public var evidence: [String]
}

/// A transparent clause classifier: a lexicon of weighted terms and phrases per category, with the
/// section title as strong evidence and a list's lead-in sentence lending its topics to the items,
/// read by a learned linear model (`CategoryModel`) that decides, a clause's neighbours counting.
///
/// Without a model, a clause gets every category whose lexicon score reaches `threshold`; a clause
/// that earns none is `other`. Each label keeps the terms that produced it, so the UI and
/// `redline topics` can say why.
public struct CategoryClassifier: Sendable {
    public static let shared: CategoryClassifier = {
        let classifier = CategoryClassifier()
        madeLock.withLock { made = true }
        return classifier
    }()
    private static let madeLock = NSLock()
    nonisolated(unsafe) private static var made = false

    /// `shared` if it has been made, without waiting for it (its model takes a moment to read).
    public static var sharedIfMade: CategoryClassifier? { madeLock.withLock { made } ? shared : nil }

    public var threshold = 1.0
    /// What a section title naming one category adds; split between the categories a title names.
    public var titleWeight = 1.1
    /// Share of a lead-in's score ("We may share your information as follows:") given to its list items.
    public var leadInShare = 0.8

    /// The learned weights that decide, over the lexicon's scores and the clause's words; without
    /// them (`nil`), the lexicon's own rules decide.
    public var model: CategoryModel? = CategoryModel.shipped {
        // Another model's title scores are not this one's (copies share the memo until then).
        didSet { titleScores = Memo() }
    }

    /// The terms, in the shapes matching needs (a class: the classifier is copied freely).
    private let terms = TermTable()
    /// The model's score of a section title's words, remembered per title.
    private var titleScores = Memo<String, SIMD16<Double>>()
    /// The categories a section title names, remembered per title (titles repeat across versions).
    private let titleMemo = Memo<String, Scores>()

    public init() {}

    typealias Scores = [PrivacyCategory: (Double, [String])]

    /// A word of a text as the lexicon sees it.
    struct Word {
        /// Its id in the lexicon, or -1.
        var lexicon: Int32
        /// The term of the longest prefix it starts with, or -1.
        var stem: Int32
    }

    /// What matching adds up for one text: a score per category (in `PrivacyCategory.ordinal`
    /// order) and, when kept, the words that earned each. Fixed storage: no dictionary per clause.
    struct Tally {
        private(set) var score = SIMD16<Double>()
        /// Bit `c`: category `c` was added to.
        private(set) var touched: UInt16 = 0
        /// The learned model's score of the text's words and pairs, per category (zero without a model).
        var learned = SIMD16<Double>()
        /// Per category, when evidence is kept; empty when not.
        private(set) var evidence: [[String]]

        init(evidence: Bool) {
            self.evidence = evidence ? Array(repeating: [], count: PrivacyCategory.allCases.count) : []
        }

        /// A tally without evidence, from its scores.
        fileprivate init(score: SIMD16<Double>, touched: UInt16, learned: SIMD16<Double>) {
            (self.score, self.touched, self.learned, evidence) = (score, touched, learned, [])
        }

        /// Adds `weight` to category `c`; `why` is evaluated only when evidence is kept.
        mutating func add(_ c: Int, _ weight: Double, _ why: @autoclosure () -> String) {
            score[c] += weight
            touched |= 1 << c
            if !evidence.isEmpty { evidence[c].append(why()) }
        }

        var keepsEvidence: Bool { !evidence.isEmpty }
        func has(_ c: Int) -> Bool { touched & (1 << c) != 0 }
        func words(_ c: Int) -> [String] { evidence.isEmpty ? [] : evidence[c] }

        /// The categories added to, with their scores and words.
        var scores: Scores {
            var out: Scores = [:]
            for c in 0..<PrivacyCategory.byOrdinal.count where has(c) { out[PrivacyCategory.byOrdinal[c]] = (score[c], words(c)) }
            return out
        }
    }

    /// `Lexicon.terms` made ready for matching; built once, read-only, shared by the threads. The
    /// tables the matching loop reads for every word are flat and never move (no reference
    /// counting per word: that was a third of the classifier's time).
    final class TermTable: @unchecked Sendable {
        /// Every word of every term, numbered.
        let lexicon: ByteInterner
        /// Term `n`'s words, as lexicon ids: `words[wordStart[n] ..< wordStart[n] + length[n]]`.
        let length: UnsafeBufferPointer<Int32>
        let wordStart: UnsafeBufferPointer<Int32>
        let words: UnsafeBufferPointer<Int32>
        /// Term `n`'s last word matches as a prefix ("collect" matches "collected"): its bytes.
        let prefix: [[UInt8]?]
        /// Term `n`'s categories and weights: `weightStart[n] ..< weightStart[n + 1]`.
        let weightStart: UnsafeBufferPointer<Int32>
        let weightCategory: UnsafeBufferPointer<Int32>
        let weight: UnsafeBufferPointer<Double>
        /// Per lexicon id: the terms of more than a prefix that start with that word,
        /// `candidates[candidateStart[id] ..< candidateStart[id + 1]]`.
        let candidateStart: UnsafeBufferPointer<Int32>
        let candidates: UnsafeBufferPointer<Int32>
        /// The one-word prefix terms ("collect*"), numbered by their prefix, and each one's term.
        let stems: ByteInterner
        let stemPatterns: [Int]
        /// The lengths of those prefixes, shortest first.
        let stemLengths: [Int]

        init() {
            var lexicon = ByteInterner(capacity: 1024)
            var termWords: [[Int32]] = []
            var prefix: [[UInt8]?] = []
            var weights: [[(Int32, Double)]] = []
            var index: [String: Int] = [:]
            for (category, terms) in Lexicon.terms {
                for (term, weight) in terms {
                    if index[term] == nil {
                        let isPrefix = term.hasSuffix("*")
                        let words = Tokenizer.foldedWords(isPrefix ? String(term.dropLast()) : term)
                            .map(\.precomposedStringWithCanonicalMapping)
                        index[term] = termWords.count
                        termWords.append(words.map { Int32(lexicon.id($0)) })
                        prefix.append(isPrefix ? words.last.map { Array($0.utf8) } : nil)
                        weights.append([])
                    }
                    weights[index[term]!].append((Int32(category.ordinal), weight))
                }
            }
            var exact = [[Int32]](repeating: [], count: lexicon.count)
            var stems = ByteInterner(capacity: 256)
            var stemPatterns: [Int] = []
            var lengths = Set<Int>()
            for (n, words) in termWords.enumerated() {
                guard let first = words.first else { continue }
                if let p = prefix[n], words.count == 1 {
                    let id = p.withUnsafeBufferPointer { stems.id($0) }
                    if id == stemPatterns.count { stemPatterns.append(n) }   // the first term with that prefix
                    lengths.insert(p.count)
                } else {
                    exact[Int(first)].append(Int32(n))
                }
            }
            func starts(_ lists: [[some Any]]) -> [Int32] {
                lists.reduce(into: [0]) { $0.append($0.last! + Int32($1.count)) }
            }
            self.lexicon = lexicon
            length = Self.keep(termWords.map { Int32($0.count) })
            wordStart = Self.keep(starts(termWords).dropLast())
            words = Self.keep(termWords.flatMap { $0 })
            self.prefix = prefix
            weightStart = Self.keep(starts(weights))
            weightCategory = Self.keep(weights.flatMap { $0.map(\.0) })
            weight = Self.keep(weights.flatMap { $0.map(\.1) })
            candidateStart = Self.keep(starts(exact))
            candidates = Self.keep(exact.flatMap { $0 })
            self.stems = stems
            self.stemPatterns = stemPatterns
            stemLengths = lengths.sorted()
        }

        deinit {
            for buffer in [length, wordStart, words, weightStart, weightCategory, candidateStart, candidates] { buffer.deallocate() }
            weight.deallocate()
        }

        /// A copy of `values` that never moves, freed with the table.
        private static func keep<T>(_ values: some Collection<T>) -> UnsafeBufferPointer<T> {
            let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: values.count)
            _ = buffer.initialize(from: values)
            return UnsafeBufferPointer(buffer)
        }

        /// What the lexicon makes of one lower-cased word (its bytes as `Words` interns them).
        func word(_ key: UnsafeBufferPointer<UInt8>) -> Word {
            var stem = -1
            if key.allSatisfy({ $0 < 0x80 }) {
                for len in stemLengths where len <= key.count {
                    if let id = stems.find(UnsafeBufferPointer(rebasing: key[..<len])) { stem = stemPatterns[id] }
                }
            } else {
                // Prefixes of characters, not bytes, as `String` sees the word.
                let text = String(decoding: key, as: UTF8.self)
                for len in stemLengths where len <= text.count {
                    var prefix = String(text.prefix(len)).precomposedStringWithCanonicalMapping
                    if let id = prefix.withUTF8({ stems.find($0) }) { stem = stemPatterns[id] }
                }
            }
            return Word(lexicon: Int32(lexicon.find(key) ?? -1), stem: Int32(stem))
        }
    }

    /// The words of some texts, each distinct word looked up in the lexicon once: the clauses of
    /// one document share their vocabulary. Words are compared as `String` compares them once
    /// lower-cased (see `ByteInterner`). Holds the last text's words and the matching's scratch.
    struct Words {
        private var interner = ByteInterner(capacity: 1024)
        private(set) var entries: [Word] = []
        /// The last text read, as ids of `entries`.
        private(set) var ids: [Int32] = []
        /// Terms already counted in the text being tallied.
        fileprivate var seen: [Int32] = []

        /// Reads the words of `text` (runs of letters, digits and marks) into `ids`.
        mutating func read(_ text: String, _ terms: TermTable) {
            ids.removeAll(keepingCapacity: true)
            var text = text
            text.withUTF8 { bytes in
                ids.reserveCapacity(bytes.count / 4)
                Tokenizer.forEachWord(in: bytes) { word, ascii, _ in
                    let id = interner.id(token: word, ascii: ascii, lowercase: true)
                    if id == entries.count { entries.append(interner.withBytes(id) { terms.word($0) }) }
                    ids.append(Int32(id))
                }
            }
        }

        /// Word `id`, lower-cased.
        func folded(_ id: Int32) -> String { interner.string(Int(id)) }

        func hasPrefix(_ id: Int32, _ prefix: [UInt8]) -> Bool {
            interner.withBytes(Int(id)) { word in
                if word.allSatisfy({ $0 < 0x80 }) { return word.starts(with: prefix) }
                return String(decoding: word, as: UTF8.self).hasPrefix(String(decoding: prefix, as: UTF8.self))
            }
        }
    }

    /// Raw lexicon scores of a text, with the matched words per category. Longest match wins at
    /// each position, so "unauthorized access" is security, not access.
    func scores(_ text: String) -> Scores { tally(text, evidence: true).scores }

    func tally(_ text: String, evidence: Bool) -> Tally {
        var words = Words()
        return tally(text, &words, evidence: evidence)
    }

    /// The tally of `text`, read with `words`, the model's score of its words included.
    func tally(_ text: String, _ words: inout Words, evidence: Bool) -> Tally {
        words.read(text, terms)
        var out = tally(&words, evidence: evidence)
        if let model { out.learned = model.textScore(text) }
        return out
    }

    /// The tally of the text `words` read last; without `evidence`, the matched words are left out.
    func tally(_ words: inout Words, evidence: Bool) -> Tally {
        let t = terms
        var out = Tally(evidence: evidence)
        words.seen.removeAll(keepingCapacity: true)
        let ids = words.ids
        let entries = words.entries
        var i = 0
        while i < ids.count {
            let w = entries[Int(ids[i])]
            var best: Int32 = -1
            if w.lexicon >= 0 {
                let lexicon = Int(w.lexicon)
                for k in Int(t.candidateStart[lexicon])..<Int(t.candidateStart[lexicon + 1]) {
                    let n = t.candidates[k]
                    if t.length[Int(n)] > (best < 0 ? 0 : t.length[Int(best)]) && matches(Int(n), ids, words, at: i) { best = n }
                }
            }
            if best < 0 { best = w.stem }
            guard best >= 0 else { i += 1; continue }
            let length = Int(t.length[Int(best)])
            if !words.seen.contains(best) {
                words.seen.append(best)
                let surface = evidence ? ids[i..<(i + length)].map { words.folded($0) }.joined(separator: " ") : ""
                for k in Int(t.weightStart[Int(best)])..<Int(t.weightStart[Int(best) + 1]) {
                    out.add(Int(t.weightCategory[k]), t.weight[k], surface)
                }
            }
            i += length
        }
        return out
    }

    /// Whether term `n` starts at word `i`.
    private func matches(_ n: Int, _ ids: [Int32], _ words: Words, at i: Int) -> Bool {
        let t = terms
        let count = Int(t.length[n]), start = Int(t.wordStart[n])
        guard i + count <= ids.count else { return false }
        for k in 0..<count {
            if k == count - 1, let prefix = t.prefix[n] {
                if !words.hasPrefix(ids[i + k], prefix) { return false }
            } else if words.entries[Int(ids[i + k])].lexicon != t.words[start + k] {
                return false
            }
        }
        return true
    }

    /// Labels for one clause. `title` is its section's title; `leadIn` the sentence introducing the
    /// list the clause belongs to, if any; `headers` the column headers of a table row's filled cells.
    public func classify(text: String, title: String?, leadIn: String? = nil, headers: [String] = []) -> [CategoryLabel] {
        let one = pending(tally(text, evidence: true), title: title ?? "", named: categoriesNamed(by: title ?? ""),
                          lead: leadIn.map { tally($0, evidence: true) }, headers: headers)
        return labels([one], evidence: true, text: { _ in text }, title: { _ in title ?? "" })[0]
    }

    /// Labels for a run of paragraphs of one text, in order, each under its title: as `classify`
    /// labels a document's clauses, each paragraph's neighbours counting (`CategoryModel.decideAll`).
    public func classify(paragraphs: [(text: String, title: String?)]) -> [[CategoryLabel]] {
        let pending = paragraphs.map { p in
            self.pending(tally(p.text, evidence: true), title: p.title ?? "", named: categoriesNamed(by: p.title ?? ""), lead: nil, headers: [])
        }
        return labels(pending, evidence: true, text: { paragraphs[$0].text }, title: { paragraphs[$0].title ?? "" })
    }

    /// Labels for one clause from the lexicon alone.
    func lexiconLabels(text: String, title: String?, leadIn: String? = nil) -> [CategoryLabel] {
        lexiconLabels(tally(text, evidence: true), named: categoriesNamed(by: title ?? ""),
                      lead: leadIn.map { tally($0, evidence: true) }, headers: [])
    }

    /// A clause on its way to its labels: the lexicon's labels, and the model's first-stage score
    /// (nil without a model, or for a contents entry, which keeps the lexicon's labels).
    struct Pending {
        var lexicon: [CategoryLabel]
        var score: SIMD16<Double>?
    }

    /// The lexicon's labels of a clause and the model's first-stage score over the lexicon's scores
    /// and labels (`lexiconLabels`), the clause's words and its title's.
    func pending(_ tally: Tally, title: String, titleScore: SIMD16<Double>? = nil, named: Scores, lead: Tally?,
                 headers: [String]) -> Pending {
        let lexicon = lexiconLabels(tally, named: named, lead: lead, headers: headers)
        guard let model else { return Pending(lexicon: lexicon, score: nil) }
        if let lead, lead.words(PrivacyCategory.other.ordinal).contains(where: { $0.hasSuffix("contents") }) {
            return Pending(lexicon: lexicon, score: nil)
        }
        let n = CategoryModel.count
        var score = tally.learned + (titleScore ?? titleScores.value(for: title) { model.titleScore(title) })
        for c in 0..<n { score[c] += model.bias[c] }
        var titled = SIMD16<Double>(), leading = SIMD16<Double>(), labelled = SIMD16<Double>()
        for (c, entry) in named { titled[c.ordinal] = entry.0 }
        if let lead { leading = lead.score }
        for label in lexicon { labelled[label.category.ordinal] = 1 }
        score += model.lexiconScore(kind: 0, tally.score) + model.lexiconScore(kind: 1, titled)
            + model.lexiconScore(kind: 2, leading) + model.lexiconValueScore(kind: 3, labelled)
        return Pending(lexicon: lexicon, score: score)
    }

    /// Labels for a run of clauses of one document, in reading order: the model decides from each
    /// clause's first-stage score and its neighbours' (`CategoryModel.decideAll`); without a model,
    /// the lexicon's labels. `text(i)` and `title(i)` give clause `i`'s words for explanations, read
    /// only when `evidence`.
    func labels(_ pending: [Pending], evidence: Bool, text: (Int) -> String, title: (Int) -> String) -> [[CategoryLabel]] {
        guard let model else { return pending.map(\.lexicon) }
        let scored = pending.indices.filter { pending[$0].score != nil }
        var same = [Bool](repeating: true, count: scored.count)
        if !same.isEmpty { same[0] = false }
        let decided = model.decideAll(scored.map { pending[$0].score! }, same: same)
        var out = pending.map(\.lexicon)
        for (k, i) in scored.enumerated() {
            let (bits, margin) = decided[k]
            var labels: [CategoryLabel] = []
            for c in 0..<CategoryModel.count where bits & (1 << c) != 0 {
                let category = PrivacyCategory.byOrdinal[c]
                var why: [String] = []
                if evidence {
                    // The lexicon's words for the category first, then the words and title words
                    // with the most weight; a label its neighbours earned says so.
                    why = pending[i].lexicon.first { $0.category == category }?.evidence ?? []
                    for (name, _) in model.strongest(c, text: text(i), title: title(i)) where why.count < 6 && !why.contains(name) {
                        why.append(name)
                    }
                    if why.isEmpty && category != .other { why = ["neighbouring clauses"] }
                }
                labels.append(CategoryLabel(category: category, score: (margin[c] * 100).rounded() / 100, evidence: why))
            }
            out[i] = labels
        }
        return out
    }

    /// The categories a section title names (with a score of at least 0.5), remembered per title.
    func categoriesNamed(by title: String) -> Scores {
        title.isEmpty ? [:] : titleMemo.value(for: title) { scores(title).filter { $0.value.0 >= 0.5 } }
    }

    /// Labels for a clause's text tally, given what its section title names (`categoriesNamed`), the
    /// tally of the lead-in of its list (with evidence) and its table headers. Without evidence in
    /// `text`, labels come without the words that earned them: the categories are the same, since
    /// no decision reads the words but the lead-in's.
    func lexiconLabels(_ text: Tally, named: Scores, lead: Tally?, headers: [String]) -> [CategoryLabel] {
        var total = text
        // A title naming one practice is strong evidence for it; a title naming several splits the
        // weight. An audience ("EU", "California", "children") qualifies the whole section: not split.
        if !named.isEmpty {
            let practices = named.filter { $0.key != .audiences }.count
            for (category, entry) in named {
                let weight = category == .audiences ? titleWeight : titleWeight / Double(practices)
                total.add(category.ordinal, weight, "title: " + entry.1.joined(separator: ", "))
            }
        }
        // A table cell under "Period of storage" states a retention practice, whatever its words.
        var fromHeaders = Set<PrivacyCategory>()
        for header in headers {
            for (category, entry) in titleMemo.value(for: header, { scores(header) })
                where entry.0 >= 0.8 && fromHeaders.insert(category).inserted {
                total.add(category.ordinal, titleWeight, "column: " + entry.1.joined(separator: ", "))
            }
        }
        let other = PrivacyCategory.other.ordinal
        if let lead {
            if lead.has(other), lead.words(other).contains(where: { $0.hasSuffix("contents") }) {
                return [CategoryLabel(category: .other, score: lead.score[other],
                                      evidence: text.keepsEvidence ? ["lead-in: " + lead.words(other).joined(separator: ", ")] : [])]
            }
            for c in 0..<PrivacyCategory.byOrdinal.count where lead.has(c) && lead.score[c] >= threshold {
                total.add(c, lead.score[c] * leadInShare, "lead-in: " + lead.words(c).joined(separator: ", "))
            }
        }
        // The categories that pass, and the strongest of them (in loops: no arrays per clause).
        let firstParty = PrivacyCategory.firstParty.ordinal, audiences = PrivacyCategory.audiences.ordinal
        var passing: UInt16 = 0
        var strongestPractice = -Double.infinity, strongestAny = -Double.infinity
        for c in 0..<PrivacyCategory.byOrdinal.count where total.has(c) && total.score[c] >= threshold {
            passing |= 1 << c
            if c != other { strongestAny = max(strongestAny, total.score[c]) }
            if c != firstParty && c != other && c != audiences { strongestPractice = max(strongestPractice, total.score[c]) }
        }
        if strongestPractice == -.infinity { strongestPractice = 0 }
        if strongestAny == -.infinity { strongestAny = 0 }
        var labels: [CategoryLabel] = []
        for c in 0..<PrivacyCategory.byOrdinal.count where passing & (1 << c) != 0 {
            switch c {
            // Nearly every clause mentions information "we collect": first-party use needs to be what
            // the clause is mostly about when it also states another practice.
            case firstParty where strongestPractice > 0 && total.score[c] < max(1.5, strongestPractice): continue
            // "Other" is what a clause is when it is nothing else, or mostly nothing else.
            case other where strongestAny > 0 && total.score[c] < strongestAny: continue
            default: break
            }
            labels.append(CategoryLabel(category: PrivacyCategory.byOrdinal[c], score: (total.score[c] * 100).rounded() / 100,
                                        evidence: total.words(c)))
        }
        if labels.isEmpty {
            labels = [CategoryLabel(category: .other, score: total.score[other], evidence: total.words(other))]
        }
        return labels
    }

    /// Whether a clause ends (spaces aside) with ":" or "follows", as a list's lead-in does. Checked
    /// in place (trimming a copy of every clause was a fifth of the time); a clause ending in an
    /// ASCII character other than a space, ":" or "s" (most end with ".") is decided from its last
    /// byte, without walking characters back.
    static func introducesList(_ text: String) -> Bool {
        if let last = text.utf8.last, last > 0x20, last < 0x80, last != UInt8(ascii: ":"), last != UInt8(ascii: "s") {
            return false
        }
        var ending = Substring(text)
        while let last = ending.last, last.isWhitespace { ending = ending.dropLast() }
        return ending.hasSuffix(":") || ending.hasSuffix("follows")
    }

    static func lastSentence(_ text: String) -> String {
        var end = text.endIndex
        var i = text.index(before: text.endIndex)
        while i > text.startIndex {
            let previous = text.index(before: i)
            if ".!?".contains(text[previous]), text[i] == " " { end = i; break }
            i = previous
        }
        return end == text.endIndex ? text : String(text[end...]).trimmedSpaces
    }

    /// Clause texts already tallied without evidence, by their bytes, for one pass over a corpus
    /// (`classify(_:evidence:reusing:)`): a corpus repeats its clauses (a retailer's versions keep
    /// most of theirs), and a text's tally depends on the text alone. Thread-safe; bounded.
    public final class Tallies: @unchecked Sendable {
        /// A tally kept small: the categories added to and their scores in order (a `Tally` is
        /// 144 bytes, most of them zeros).
        fileprivate struct Packed {
            let touched: UInt16
            let scores: [Double]
            /// The model's score of the text's words, per category (empty without a model).
            let learned: [Double]
        }
        fileprivate let memo = Memo<TextBytes, Packed>(limit: 100_000)

        public init() {}

        /// The tally of `text`, computed by `compute` unless known.
        fileprivate func tally(of text: String, _ compute: () -> Tally) -> Tally {
            let packed = memo.value(for: TextBytes(text)) {
                let tally = compute()
                return Packed(touched: tally.touched, scores: (0..<16).filter(tally.has).map { tally.score[$0] },
                              learned: tally.learned == .zero ? [] : (0..<CategoryModel.count).map { tally.learned[$0] })
            }
            var score = SIMD16<Double>()
            var k = 0
            for c in 0..<16 where packed.touched & (1 << c) != 0 {
                score[c] = packed.scores[k]
                k += 1
            }
            var learned = SIMD16<Double>()
            for (c, v) in packed.learned.enumerated() { learned[c] = v }
            return Tally(score: score, touched: packed.touched, learned: learned)
        }
    }

    /// Labels for every clause of a document, in reading order, keyed like `ClauseRef`. Without
    /// `evidence`, the labels' evidence is left empty (what the search index needs: the categories),
    /// and a clause text found in `tallies` is not read again.
    public func classify(_ document: PolicyDocument, evidence: Bool = true, reusing tallies: Tallies? = nil) -> [ClauseTopics] {
        var out: [ClauseTopics] = []
        var pendings: [Pending] = []
        var places: [(section: Int, index: Int)] = []
        let sections = document.allSections
        var words = Words()
        for (sectionIndex, section) in sections.enumerated() {
            var leadIn: Tally?
            let named = categoriesNamed(by: section.namedTitle)
            let titleScore = model.map { model in titleScores.value(for: section.namedTitle) { model.titleScore(section.namedTitle) } }
            // By index: a loop over the clauses would copy each one, retaining all its fields.
            for index in section.clauses.indices {
                let kind = section.clauses[index].kind, text = section.clauses[index].text
                let lead = kind == .listItem ? leadIn : nil
                let headers = kind == .tableRow ? section.clauses[index].cells.compactMap { $0.text.isEmpty ? nil : $0.header } : []
                let textTally: Tally
                if !evidence, let tallies {
                    textTally = tallies.tally(of: text) { tally(text, &words, evidence: false) }
                } else {
                    textTally = tally(text, &words, evidence: evidence)
                }
                pendings.append(pending(textTally, title: section.namedTitle, titleScore: titleScore, named: named, lead: lead, headers: headers))
                places.append((sectionIndex, index))
                if kind != .listItem {
                    // Only the sentence that introduces the list lends its topics, not the whole paragraph.
                    leadIn = Self.introducesList(text) ? tally(Self.lastSentence(text.trimmedSpaces), evidence: true) : nil
                }
            }
        }
        let labelled = labels(pendings, evidence: evidence, text: { sections[places[$0].section].clauses[places[$0].index].text },
                              title: { sections[places[$0].section].namedTitle })
        out.reserveCapacity(labelled.count)
        for (k, labels) in labelled.enumerated() {
            out.append(ClauseTopics(sectionPath: sections[places[k].section].path, index: places[k].index, labels: labels))
        }
        return out
    }
}

/// A thread-safe remembered function, bounded: past `limit` entries it starts again empty.
final class Memo<Key: Hashable, Value>: @unchecked Sendable {
    private var table: [Key: Value] = [:]
    private let lock = NSLock()
    private let limit: Int

    init(limit: Int = 200_000) { self.limit = limit }

    func value(for key: Key, _ compute: () -> Value) -> Value {
        lock.lock()
        if let v = table[key] { lock.unlock(); return v }
        lock.unlock()
        let v = compute()
        lock.lock()
        if table.count >= limit { table.removeAll(keepingCapacity: true) }
        table[key] = v
        lock.unlock()
        return v
    }
}

/// The categories of one clause: section path and the clause's index within the section.
public struct ClauseTopics: Codable, Hashable, Sendable {
    public var sectionPath: String
    public var index: Int
    public var labels: [CategoryLabel]
    public var categories: [PrivacyCategory] { labels.map(\.category) }
}

/// The weighted terms. Weight 1 is enough on its own; smaller weights need company. Phrases beat
/// their words (longest match), so a phrase can also *remove* a misleading word from play, e.g.
/// "unauthorized access" (security) or "last updated" (other) or "share your concern" (nothing).
enum Lexicon {
    static let terms: [(PrivacyCategory, [(String, Double)])] = [
        (.firstParty, [
            ("we collect", 1), ("we may collect", 1), ("collect*", 0.5), ("we use", 0.6), ("we may use", 0.6),
            ("use the information", 1), ("use your information", 1), ("use of information", 1), ("information we collect", 1),
            ("information you provide", 0.8), ("you provide", 0.5), ("we receive", 0.5), ("gather*", 0.6),
            ("cookie*", 0.6), ("web beacon*", 0.8), ("pixel*", 0.6), ("log file*", 0.8), ("ip address*", 0.8),
            ("internet protocol address", 0.8), ("browser type", 0.8), ("operating system", 0.5), ("device identifier*", 0.8),
            ("process your", 0.6), ("to process", 0.6), ("processing", 0.5), ("purpose*", 0.4), ("to provide", 0.3),
            ("improve", 0.4), ("place an order", 0.6), ("placing an order", 0.6), ("your order", 0.3), ("register*", 0.4),
            ("create an account", 0.7), ("sign up", 0.5), ("newsletter*", 0.5), ("mailing list", 0.5), ("email marketing", 0.6),
            ("email address*", 0.3), ("phone number*", 0.3), ("credit card", 0.3), ("name", 0.2), ("demographic", 0.6),
            ("analy*", 0.3), ("track*", 0.4), ("personal data", 0.3), ("personal information", 0.3),
            ("personally identifiable information", 0.3), ("information about", 0.3), ("store*", 0.3),
            ("when you", 0.5), ("interact with", 0.4), ("you browse", 0.5), ("visit our", 0.4), ("use our", 0.4),
            ("survey*", 0.4), ("review*", 0.3), ("photo*", 0.3), ("contact you", 0.5), ("send you", 0.5),
            ("legitimate interest", 0.6), ("lawful basis", 0.6), ("performance of a contract", 0.6),
            ("collect and store", 1), ("collect and use", 1), ("use collect", 1), ("use and collect", 1),
            ("store information", 0.5), ("data we collect", 1), ("information pertaining to you", 0.5),
        ]),
        (.thirdParty, [
            ("third party", 1), ("third parties", 1), ("share*", 0.6), ("disclos*", 0.6), ("sell*", 0.5), ("trade", 0.3),
            ("affiliate*", 0.6), ("subsidiar*", 0.5), ("service provider*", 0.6), ("partner*", 0.5), ("advertiser*", 0.8),
            ("outside parties", 1), ("outside party", 1), ("other companies", 0.8), ("vendor*", 0.6), ("recipient*", 0.5),
            ("google analytics", 0.8), ("google", 0.4), ("law enforcement", 0.8), ("court order", 0.6), ("regulators", 0.5),
            ("legal process", 0.6), ("required by law", 0.5), ("acquir*", 0.5), ("merge*", 0.4), ("bankruptcy", 0.6),
            ("transfer*", 0.4), ("provide this information to", 0.8), ("given to", 0.5), ("participating companies", 0.6),
            ("third-party", 1), ("other websites", 0.4), ("other web sites", 0.4), ("give", 0.2), ("rent", 0.4),
            ("to ship", 0.3), ("we ship using", 0.8), ("authorize net", 0.8), ("fedex", 0.8), ("paypal", 0.6),
            ("interest based advertising", 0.5), ("advertising alliance", 0.5), ("advertising initiative", 0.5),
            ("european interactive digital advertising alliance", 1), ("links to other", 1), ("link to other", 1),
        ]),
        (.choice, [
            ("opt out", 1), ("opt-out", 1), ("opt in", 1), ("opted", 0.8), ("unsubscrib*", 1), ("choose", 0.6),
            ("choice*", 0.6), ("consent*", 0.6), ("disabl*", 0.7), ("disallow", 0.8), ("decline", 0.6),
            ("block cookies", 1), ("block", 0.4), ("settings", 0.5), ("preferences", 0.6), ("control", 0.5),
            ("free to", 0.5), ("withdraw*", 0.8), ("to object", 0.8), ("object to", 0.8), ("voluntary", 1), ("with your consent", 1), ("right to object", 1),
            ("optional", 0.6), ("if you do not wish", 0.8), ("no longer receive", 1), ("to be removed", 0.6),
            ("turned on", 0.4), ("restriction", 0.6), ("can choose", 1), ("may choose", 1),
            ("option", 0.6), ("options", 0.6), ("refuse", 0.8), ("turn off", 0.8), ("turning them off", 1), ("turn them off", 1),
            ("right to choose", 1), ("choose whether", 1), ("choose not to", 1), ("avoid", 0.4),
        ]),
        (.access, [
            ("access", 0.6), ("correct*", 0.6), ("update your", 0.6), ("delet*", 0.5), ("deletion request", 1),
            ("erasure", 1), ("erase", 0.8), ("amend", 0.8), ("rectify", 1), ("portability", 1), ("edit", 0.6),
            ("remove*", 0.5), ("request that we", 0.5), ("data subject rights", 1), ("removal", 0.4), ("right to", 0.5), ("rights", 0.4), ("your account", 0.3),
            ("inaccurate", 0.5), ("review and", 0.3), ("exercise your", 0.5), ("request", 0.3), ("requests", 0.3),
            ("the right of access", 1), ("right to access", 1), ("logging in", 0.4), ("login", 0.4),
            ("change your information", 1), ("change any information", 1), ("change or review", 1), ("review or change", 1),
            ("reserve the right to", 0), ("reserves the right to", 0),
        ]),
        (.retention, [
            ("retain*", 1), ("retention", 1), ("period of storage", 1), ("periods of time", 0.8), ("as long as", 0.8),
            ("no longer need", 0.8), ("longer period*", 0.6), ("shorter period", 0.6), ("store*", 0.3), ("expire*", 0.6),
            ("keep", 0.4), ("kept", 0.4), ("archive*", 0.4), ("destroy*", 0.4),
        ]),
        (.security, [
            ("security", 0.8), ("secure*", 0.8), ("encrypt*", 1), ("ssl", 1), ("secure socket*", 1), ("secure sockets layer", 1),
            ("safeguard*", 0.8), ("unauthorized", 0.8), ("unauthorized access", 1), ("protect*", 0.4), ("measures", 0.4),
            ("procedures", 0.3), ("firewall*", 1), ("password*", 0.4), ("hacker*", 0.8), ("breach*", 0.8),
            ("safe", 0.3), ("risk*", 0.3), ("technical", 0.3), ("organizational", 0.3), ("physical", 0.3),
        ]),
        (.change, [
            ("change*", 0.5), ("from time to time", 0.5), ("modif*", 0.6), ("revis*", 0.6), ("notify you", 0.5),
            ("check back", 0.8), ("review it frequently", 0.8), ("material changes", 1), ("changes to this", 1),
            ("updated from time to time", 1), ("in effect", 0.5), ("posting", 0.3), ("post those changes", 1),
            ("amended", 0.5), ("effective", 0.3), ("latest version", 0.6), ("periodically", 0.5),
            ("right to change", 1), ("right to modify", 1), ("right to amend", 1), ("revision date", 0.8),
        ]),
        (.dnt, [
            ("do not track", 2), ("do-not-track", 2), ("dnt", 2), ("track signals", 1),
        ]),
        (.audiences, [
            ("children", 1), ("child", 1), ("children's", 1), ("minor*", 1), ("under the age of", 1), ("under 13", 1),
            ("under 16", 1), ("under 18", 1), ("age of", 0.4), ("very young", 1), ("parent*", 0.5), ("coppa", 1),
            ("eu", 1), ("european", 1), ("eea", 1), ("gdpr", 1), ("european union", 1), ("data subject*", 0.8),
            ("california", 1), ("residents", 0.5), ("resident", 0.5), ("international", 0.6), ("privacy shield", 1),
            ("outside of", 0.3), ("united states", 0.5), ("supervisory authority", 1), ("canada", 0.6), ("canadian", 0.6),
            ("nevada", 1), ("adequacy decision", 1), ("safe harbor", 1), ("safe harbour", 1), ("transfers of personal data", 1),
            ("transfers of personal information", 1), ("transferred outside", 1), ("transfer your personal data outside", 1), ("cross border", 0.8), ("israel", 0.5), ("countries", 0.4),
        ]),
        (.other, [
            ("contact us", 1), ("contact", 0.5), ("questions", 0.8), ("table of contents", 2), ("contents", 1),
            ("last updated", 1), ("effective date", 1), ("this notice", 0.3), ("this privacy policy", 0.3),
            ("concerns", 0.5), ("complaint*", 0.6), ("truste", 0.8), ("seal", 0.5), ("thank you", 0.6),
            ("agree*", 0.5), ("terms of use", 0.5), ("means", 0.3), ("your privacy is important", 1),
            ("respect your privacy", 1), ("respects your privacy", 1), ("commit*", 0.4), ("carefully", 0.4),
            ("share your concern", 0), ("applicable to this site", 0.6), ("applies to", 0.5),
        ]),
    ]
}
