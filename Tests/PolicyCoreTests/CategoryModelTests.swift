import XCTest
@testable import PolicyCore

/// The learned category model: cross-validated by policy on the OPP-115 development segments
/// (Tests/Fixtures/opp115-dev.jsonl), with the same Swift code that ships, and the shipped weights
/// being what that code learns from all of them.
final class CategoryModelTests: XCTestCase {
    static func samples() throws -> [CategoryTrainer.Sample] {
        let url = Fixtures.repoRoot.appendingPathComponent("Tests/Fixtures/opp115-dev.jsonl")
        return try CategoryTrainer.readOPP115(String(contentsOf: url, encoding: .utf8))
    }

    /// The hand-labelled clauses of the bundled policies, which join every training set.
    static func gold() throws -> [CategoryTrainer.Sample] {
        let url = Fixtures.repoRoot.appendingPathComponent("Tests/Fixtures/categories-gold.tsv")
        return try CategoryTrainer.readGold(String(contentsOf: url, encoding: .utf8), documents: Fixtures.bundled.documents, weight: 1)
    }

    func testGoldClausesRead() throws {
        let gold = try Self.gold()
        XCTAssertEqual(gold.count, 135)
        XCTAssertTrue(gold.allSatisfy { $0.group.hasPrefix("gold ") && $0.labels != 0 })
        XCTAssertTrue(gold.contains { $0.leadIn != nil }, "list items take their lead-in")
    }

    func testDevelopmentSegmentsRead() throws {
        let samples = try Self.samples()
        XCTAssertEqual(samples.count, 2_263)
        XCTAssertEqual(Set(samples.map(\.group)).count, 65)
        XCTAssertEqual(samples.filter { $0.labels & (1 << PrivacyCategory.retention.ordinal) != 0 }.count, 51)
        XCTAssertTrue(samples.contains { !$0.title.isEmpty }, "segments take their heading as title")
    }

    /// Policy-level 5-fold cross-validation: each fold's policies are labelled by a model trained,
    /// thresholds and second stage included, on the other folds (and the bundled gold clauses)
    /// only. The floors sit just under what is reached (README and BENCHMARKS.md give the figures).
    /// The same folds also score as the issue measured: each policy a Markdown file of one paragraph
    /// per segment, parsed and labelled as `redline topics` does. Segments' titles are then words of
    /// their paragraph, not a section's title, which costs about 0.01.
    func testCrossValidatedByPolicy() throws {
        let text = try String(contentsOf: Fixtures.repoRoot.appendingPathComponent("Tests/Fixtures/opp115-dev.jsonl"), encoding: .utf8)
        let policies = try CategoryTrainer.markdownPolicies(text)
        XCTAssertEqual(policies.count, 65)
        XCTAssertEqual(policies.map(\.segments.count).reduce(0, +), 2_263)
        let scores = CategoryTrainer().crossValidate(try Self.samples(), alsoTraining: try Self.gold(), folds: 5, parsed: policies)
        print("end to end:\n" + scores.endToEnd.report)
        XCTAssertEqual(scores.endToEnd.segments, 2_263)
        XCTAssertLessThan(scores.withoutClause, 25, "a few short segments read as headings, no more")
        XCTAssertGreaterThanOrEqual(scores.endToEnd.macroF1, 0.75, scores.endToEnd.report)
        XCTAssertGreaterThanOrEqual(scores.endToEnd.microF1, 0.745, scores.endToEnd.report)
        print("Redline's labels:\n" + scores.shipped.report + "the first stage alone:\n" + scores.firstStage.report)
        XCTAssertEqual(scores.shipped.segments, 2_263, "only the OPP-115 segments are scored")
        XCTAssertGreaterThanOrEqual(scores.shipped.macroF1, 0.76, scores.shipped.report)
        XCTAssertGreaterThanOrEqual(scores.shipped.microF1, 0.77, scores.shipped.report)
        for c in PrivacyCategory.allCases {
            XCTAssertGreaterThanOrEqual(scores.shipped.f1(c), Self.floors[c] ?? 1, "\(c)\n" + scores.shipped.report)
        }
        // Better than the lexicon alone on policies it never saw.
        let lexicon = CategoryTrainer.lexiconScores(try Self.samples())
        XCTAssertGreaterThan(scores.shipped.macroF1, lexicon.macroF1 + 0.05, lexicon.report)
    }

    /// A clause is matched to the segment its text comes from, in order, even when segments repeat;
    /// a segment's lines are one paragraph.
    func testClausesFindTheirSegments() throws {
        let text = #"""
        {"policy": "1_example.com", "segment": 0, "text": "Privacy Policy", "categories": []}
        {"policy": "1_example.com", "segment": 1, "text": "We collect:\n- your name;\n- your address.", "categories": []}
        {"policy": "1_example.com", "segment": 2, "text": "- We keep it for 30 days.", "categories": []}
        {"policy": "1_example.com", "segment": 3, "text": "- We keep it for 30 days.", "categories": []}
        {"policy": "1_example.com", "segment": 4, "text": "| Data | Kept |\n|---|---|\n| name | 30 days |", "categories": []}
        """#
        let policies = try CategoryTrainer.markdownPolicies(text)
        XCTAssertEqual(policies.map(\.policy), ["1_example.com"])
        let document = try XCTUnwrap(policies.first?.document)
        XCTAssertEqual(document.domain, "example.com")
        let clauses = document.allSections.flatMap(\.clauses).map(\.text)
        XCTAssertEqual(clauses[..<4], ["Privacy Policy", "We collect: - your name; - your address.", "We keep it for 30 days.", "We keep it for 30 days."])
        XCTAssertEqual(CategoryTrainer.segments(of: document, in: policies[0].segments), [0, 1, 2, 3] + clauses.dropFirst(4).map { _ in 4 })
    }

    /// Per category, the cross-validated F1 the model must keep (just under what it reaches; Data
    /// Retention, with 51 positive segments, is still under the 0.65 the issue asks for).
    static let floors: [PrivacyCategory: Double] = [
        .firstParty: 0.83, .thirdParty: 0.76, .choice: 0.66, .access: 0.67, .retention: 0.47,
        .security: 0.72, .change: 0.93, .dnt: 0.95, .audiences: 0.87, .other: 0.72,
    ]

    /// The weights compiled into Redline are exactly what `scripts/train-categories` learns now.
    func testShippedWeightsAreWhatTrainingLearns() throws {
        let model = CategoryTrainer().train(try Self.samples() + Self.gold())
        let shipped = try XCTUnwrap(CategoryModel.shipped, "the shipped weights do not parse")
        XCTAssertEqual(CategoryTrainer.serialized(model), CategoryWeights.text, "run scripts/train-categories")
        XCTAssertEqual(shipped.featureCount, model.featureCount)
        XCTAssertLessThan(CategoryWeights.text.utf8.count, 5_000_000)
    }

    /// The weights are read by bytes (for start-up): every line gives what the text's own
    /// `split` and `Double` give, number for number and key for key.
    func testWeightsReadByBytesAsByStrings() throws {
        let model = try XCTUnwrap(CategoryModel.shipped)
        var features = 0
        for line in CategoryWeights.text.split(separator: "\n") where !line.hasPrefix("//") {
            let parts = line.split(separator: "\t")
            let values = parts[1].split(separator: " ").map { Double($0)! }
            switch parts[0] {
            case "#bias": XCTAssertEqual(model.bias, values)
            case "#threshold": XCTAssertEqual(model.threshold, values)
            case "#context-threshold": XCTAssertEqual(model.contextThreshold, values)
            default:
                if let row = CategoryModel.contextNames.firstIndex(of: String(parts[0])) {
                    XCTAssertEqual(Array(try XCTUnwrap(model.context)[row * 10..<row * 10 + 10]), values, String(parts[0]))
                } else if let row = CategoryFeatures.lexiconNames.firstIndex(of: String(parts[0])) {
                    XCTAssertEqual(Array(model.lexicon[row * 10..<row * 10 + 10]), values, String(parts[0]))
                } else {
                    let at = try XCTUnwrap(model.index[CategoryModel.key(of: parts[0])], String(parts[0]))
                    XCTAssertEqual(Array(model.weights[Int(at)..<Int(at) + 10]), values.map { Float($0) }, String(parts[0]))
                    XCTAssertEqual(model.names[Int(at) / 10], String(parts[0]))
                    features += 1
                }
            }
        }
        XCTAssertEqual(features, model.featureCount)
        // Numbers past the exact fast path, and malformed ones.
        XCTAssertEqual(CategoryModel(text: "#bias\t" + Array(repeating: "0.12345678901234567", count: 10).joined(separator: " ")
                                         + "\n#threshold\t1e-3 -2 +3 .5 4. 0 -0 7 8 9\n")?.threshold,
                       [1e-3, -2, 3, 0.5, 4, 0, 0, 7, 8, 9])
        XCTAssertNil(CategoryModel(text: "#bias\t1 2 3\n"))
        XCTAssertNil(CategoryModel(text: "no tab here\n"))
    }

    /// A feature's name in the weights file gives the key the text's words give.
    func testFeatureNamesGiveTheKeysOfTheText() {
        let features = CategoryFeatures.textFeatures("We share cookies with Third Parties.", names: true)
            + CategoryFeatures.titleFeatures("Data Security", names: true)
        XCTAssertTrue(features.contains { $0.name == "third part" && $0.surface == "third parties" })
        XCTAssertTrue(features.contains { $0.name == "t:security" })
        for f in features { XCTAssertEqual(CategoryModel.key(of: Substring(f.name ?? "")), f.key, f.name ?? "") }
        // Without names, the same keys.
        XCTAssertEqual(CategoryFeatures.textFeatures("We share cookies with Third Parties.", names: false).map(\.key),
                       CategoryFeatures.textFeatures("We share cookies with Third Parties.", names: true).map(\.key))
    }

    /// Labels explain themselves with words of the clause, and the model finds what the lexicon misses.
    func testLabelsKeepTheirWords() throws {
        let labels = CategoryClassifier.shared.classify(
            text: "We keep your account details for as long as your account is active, and then for five years.", title: nil)
        let retention = try XCTUnwrap(labels.first { $0.category == .retention }, "\(labels)")
        XCTAssertFalse(retention.evidence.isEmpty)
        let words = Set(Tokenizer.foldedWords("we keep your account details for as long as your account is active and then for five years title"))
        for term in retention.evidence { XCTAssertTrue(Tokenizer.foldedWords(term).allSatisfy(words.contains), term) }
    }

    /// The model's table gives each text the score the weights' dictionary gives it, bit for bit:
    /// the same keys as `textFeatures`, in the same order, summed the same way.
    func testTableScoresAreTheDictionarysScores() throws {
        let model = try XCTUnwrap(CategoryModel.shipped)
        func reference(_ keys: [UInt64], scale: Double) -> SIMD16<Double> {
            var out = SIMD16<Double>()
            for key in keys {
                guard let at = model.index[key] else { continue }
                for c in 0..<CategoryModel.count { out[c] += Double(model.weights[Int(at) + c]) }
            }
            return scale == 1 ? out : out * scale
        }
        var texts = try Self.samples().prefix(400).map(\.text) + FastPathTests.texts
        texts += ["", "the the the", "cookies cookies third parties third parties", "x\u{301}y 日本 🙂"]
        var known = 0
        for text in texts {
            let features = CategoryFeatures.textFeatures(text, names: false).map(\.key)
            XCTAssertEqual(CategoryFeatures.textKeys(text), features, text)
            let scale = CategoryFeatures.scale(features.count)
            XCTAssertEqual(model.textScore(text), reference(features, scale: scale), text)
            known += features.filter { model.index[$0] != nil }.count
        }
        XCTAssertGreaterThan(known, 10_000, "most of the words and pairs have weights")
        // Keys that are in no row, 0 among them.
        XCTAssertEqual(model.sum([0, 1, .max]), SIMD16<Double>())
        let some = Array(model.index.keys.prefix(50))
        XCTAssertEqual(model.sum(some + [0] + some), reference(some + [0] + some, scale: 1))
    }
}
