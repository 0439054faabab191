import XCTest
@testable import PolicyCore

/// Scores the category classifier against the hand-labelled gold file (Tests/Fixtures/categories-gold.tsv).
final class CategoryGoldTests: XCTestCase {
    struct GoldRow {
        var doc: String
        var sectionPath: String
        var index: Int
        var categories: Set<PrivacyCategory>
        var textPrefix: String
    }

    static func loadGold(_ name: String = "categories-gold.tsv") throws -> [GoldRow] {
        let url = Fixtures.repoRoot.appendingPathComponent("Tests/Fixtures/" + name)
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cols.count == 4, let hash = cols[1].firstIndex(of: "#"), let index = Int(cols[1][cols[1].index(after: hash)...]) else {
                throw NSError(domain: "gold", code: 1, userInfo: [NSLocalizedDescriptionKey: "bad gold line: \(line)"])
            }
            let cats = try cols[2].split(separator: ",").map { name -> PrivacyCategory in
                guard let c = PrivacyCategory(rawValue: String(name)) else {
                    throw NSError(domain: "gold", code: 2, userInfo: [NSLocalizedDescriptionKey: "unknown category \(name)"])
                }
                return c
            }
            return GoldRow(doc: cols[0], sectionPath: String(cols[1][..<hash]), index: index, categories: Set(cats), textPrefix: cols[3])
        }
    }

    func testGoldCoversEveryClauseOfTheBundledPolicies() throws {
        let gold = try Self.loadGold()
        let clauses = Fixtures.bundled.retailers.flatMap(\.versions).reduce(0) { $0 + $1.allClauses.count }
        XCTAssertEqual(gold.count, clauses, "the gold file must label every clause")
        XCTAssertEqual(Set(gold.map { "\($0.doc) \($0.sectionPath)#\($0.index)" }).count, gold.count, "duplicate gold rows")
    }

    /// Precision, recall and F1 per category; macro-F1 over `categories`.
    static func score(_ gold: [GoldRow], documents: [PolicyDocument], categories: [PrivacyCategory] = PrivacyCategory.allCases)
        throws -> (macro: Double, report: String, misses: [String]) {
        var predicted: [String: Set<PrivacyCategory>] = [:]
        for doc in documents {
            for topics in CategoryClassifier.shared.classify(doc) {
                predicted["\(doc.id) \(topics.sectionPath)#\(topics.index)"] = Set(topics.categories)
            }
        }
        var tp: [PrivacyCategory: Int] = [:], fp: [PrivacyCategory: Int] = [:], fn: [PrivacyCategory: Int] = [:]
        var misses: [String] = []
        for row in gold {
            let key = "\(row.doc) \(row.sectionPath)#\(row.index)"
            let doc = try XCTUnwrap(documents.first { $0.id == row.doc }, "no \(row.doc)")
            let clause = try XCTUnwrap(doc.section(at: row.sectionPath)?.clauses[safe: row.index], "no clause \(key)")
            XCTAssertTrue(clause.text.hasPrefix(row.textPrefix), "gold row \(key) no longer points at its clause")
            let got = predicted[key] ?? []
            for c in PrivacyCategory.allCases {
                switch (row.categories.contains(c), got.contains(c)) {
                case (true, true): tp[c, default: 0] += 1
                case (false, true): fp[c, default: 0] += 1
                case (true, false): fn[c, default: 0] += 1
                default: break
                }
            }
            if got != row.categories {
                misses.append("\(key): gold \(row.categories.sorted().map(\.rawValue)) got \(got.sorted().map(\.rawValue))")
            }
        }
        var f1s: [Double] = []
        var report = "category          P      R      F1   (tp/fp/fn)\n"
        for c in categories {
            let t = Double(tp[c] ?? 0), p = Double(fp[c] ?? 0), n = Double(fn[c] ?? 0)
            let precision = t + p == 0 ? 1 : t / (t + p)
            let recall = t + n == 0 ? 1 : t / (t + n)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            f1s.append(f1)
            report += String(format: "%-14@ %6.3f %6.3f %6.3f   (%d/%d/%d)\n", c.rawValue as NSString, precision, recall, f1, Int(t), Int(p), Int(n))
        }
        let macro = f1s.reduce(0, +) / Double(max(1, f1s.count))
        report += String(format: "macro-F1 %.3f over %d clauses\n", macro, gold.count)
        return (macro, report, misses)
    }

    /// The gold clauses are part of the model's training data (`scripts/train-categories`): this is
    /// how well the shipped classifier fits them, not a held-out figure (`testHeldOutPolicies` is).
    func testMacroF1AgainstHandLabelledGold() throws {
        let gold = try Self.loadGold()
        let result = try Self.score(gold, documents: Fixtures.bundled.documents)
        print(result.report)
        if ProcessInfo.processInfo.environment["REDLINE_GOLD_MISSES"] != nil { print(result.misses.joined(separator: "\n")) }
        XCTAssertGreaterThanOrEqual(result.macro, 0.95, "macro-F1 below 0.95\n" + result.report)
    }

    /// Two sample policies neither the lexicon nor the model was tuned on. Macro-F1 over the categories
    /// their gold uses (no Do Not Track clause in them; one retention clause, two policy-change ones,
    /// so one clause moves the figure by a tenth). The floor sits just under what is reached (0.605
    /// over 37 clauses; the lexicon with the older model reached 0.70: the model follows OPP-115's
    /// conventions, see DECISIONS.md).
    func testHeldOutPolicies() throws {
        let gold = try Self.loadGold("categories-heldout.tsv")
        let sample = try CorpusLoader.load(directory: Fixtures.sampleDir)
        let used = PrivacyCategory.allCases.filter { c in gold.contains { $0.categories.contains(c) } }
        let result = try Self.score(gold, documents: sample.documents, categories: used)
        print("held-out:\n" + result.report)
        if ProcessInfo.processInfo.environment["REDLINE_GOLD_MISSES"] != nil { print(result.misses.joined(separator: "\n")) }
        XCTAssertGreaterThanOrEqual(result.macro, 0.59, "held-out macro-F1 fell\n" + result.report)
    }

    func testEveryLabelSaysWhy() {
        for doc in Fixtures.bundled.retailers.flatMap(\.versions) {
            for topics in CategoryClassifier.shared.classify(doc) {
                XCTAssertFalse(topics.labels.isEmpty)
                for label in topics.labels where label.category != .other {
                    XCTAssertFalse(label.evidence.isEmpty, "\(doc.id) \(topics.sectionPath)#\(topics.index) \(label.category) has no evidence")
                }
            }
        }
    }

    /// The search index takes categories without their evidence, and remembers each clause text's
    /// tally across documents: the same categories and scores, for every clause of the bundled
    /// data and the sample corpus.
    func testCategoriesWithoutEvidenceAreTheSame() throws {
        let sample = try CorpusLoader.load(directory: Fixtures.sampleDir)
        var clauses = 0
        // As the index classifies: texts remembered across documents (the second pass finds them all).
        let tallies = CategoryClassifier.Tallies()
        for pass in 0..<2 {
            for doc in Fixtures.bundled.documents + sample.documents {
                let full = CategoryClassifier.shared.classify(doc)
                for lean in [CategoryClassifier.shared.classify(doc, evidence: false),
                             CategoryClassifier.shared.classify(doc, evidence: false, reusing: tallies)] {
                    XCTAssertEqual(lean.map(\.categories), full.map(\.categories), "\(doc.id), pass \(pass)")
                    XCTAssertEqual(lean.map { $0.labels.map(\.score) }, full.map { $0.labels.map(\.score) }, doc.id)
                    XCTAssertTrue(lean.allSatisfy { $0.labels.allSatisfy(\.evidence.isEmpty) })
                }
                clauses += full.count
            }
        }
        XCTAssertGreaterThan(clauses, 1_000)
    }

    /// A list's lead-in is found from the clause's last byte when it can be: the same as checking
    /// its characters, for random endings (spaces, marks, non-ASCII, ":" and "follows" among them).
    func testLeadInEndingMatchesTheCharacterCheck() {
        func slow(_ text: String) -> Bool {
            var ending = Substring(text)
            while let last = ending.last, last.isWhitespace { ending = ending.dropLast() }
            return ending.hasSuffix(":") || ending.hasSuffix("follows")
        }
        let pieces = ["as follows", "follows", "follow", "s", ":", " :", ".", "a", "é", "e\u{301}", ":\u{301}", " ", "\n", "\t",
                      "\u{A0}", "\r\n", "\u{2028}", "\u{1C}", "；", "：", "things", "s\u{301}", "", "\u{600}:", "🍪"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 0...4, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            XCTAssertEqual(CategoryClassifier.introducesList(text), slow(text), text.debugDescription)
        }
    }

    /// The index's `topics` column names a clause's categories as their list does, for every set.
    func testTopicsColumnNamesTheCategories() {
        for set in 0..<(1 << PrivacyCategory.byOrdinal.count) {
            let labels = PrivacyCategory.byOrdinal.indices.filter { set & 1 << $0 != 0 }
                .map { CategoryLabel(category: PrivacyCategory.byOrdinal[$0], score: 1, evidence: []) }
            XCTAssertEqual(SearchIndex.topicsColumn(labels), labels.map(\.category.indexToken).joined(separator: " "))
        }
    }

    func testLongestPhraseWinsOverItsWords() throws {
        let c = CategoryClassifier.shared
        // The lexicon reads "unauthorized access" as security, not access; the model's label keeps its words.
        XCTAssertEqual(c.lexiconLabels(text: "We protect against unauthorized access with encryption.", title: nil).map(\.category), [.security])
        let labels = c.classify(text: "We protect against unauthorized access with encryption.", title: nil)
        XCTAssertFalse(labels.contains { $0.category == .access })
        let security = try XCTUnwrap(labels.first { $0.category == .security })
        XCTAssertTrue(security.evidence.contains("unauthorized access"), "\(security.evidence)")
        XCTAssertEqual(c.classify(text: "Last updated: May 1, 2019", title: nil).map(\.category), [.other])
    }

    func testTitleIsStrongEvidenceAndLeadInLendsTopics() {
        let c = CategoryClassifier.shared
        XCTAssertTrue(c.classify(text: "We take reasonable steps.", title: "Data Security").map(\.category).contains(.security))
        let item = c.classify(text: "Affiliates and subsidiaries;", title: nil, leadIn: "We may share your information with third parties as follows:")
        XCTAssertTrue(item.map(\.category).contains(.thirdParty))
        XCTAssertEqual(c.classify(text: "How we share your data", title: nil, leadIn: "Table of contents:").map(\.category), [.other])
    }

    func testCategoryNamesReadLoosely() {
        XCTAssertEqual(PrivacyCategory(loose: "Security"), .security)
        XCTAssertEqual(PrivacyCategory(loose: "third-party"), .thirdParty)
        XCTAssertEqual(PrivacyCategory(loose: "children"), .audiences)
        XCTAssertEqual(PrivacyCategory(loose: "dnt"), .dnt)
        XCTAssertNil(PrivacyCategory(loose: "bananas"))
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }

    /// The written-out index words and order agree with the identifiers and the declaration order.
    func testIndexTokensAndOrderFollowTheCases() {
        for c in PrivacyCategory.allCases {
            XCTAssertEqual(c.indexToken, c.rawValue.filter { $0 != "-" })
            XCTAssertTrue(c.indexToken.allSatisfy { $0.isLetter }, c.indexToken)
        }
        let all = PrivacyCategory.allCases
        for (i, a) in all.enumerated() {
            for (j, b) in all.enumerated() { XCTAssertEqual(a < b, i < j, "\(a) \(b)") }
        }
    }
}
