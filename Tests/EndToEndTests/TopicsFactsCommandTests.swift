import XCTest

/// `redline topics` and `redline facts` run as the built binary.
final class TopicsFactsCommandTests: XCTestCase {
    func testFactsJSONShapeAndValues() throws {
        let json = try XCTUnwrap(try BinaryRunner.json(["facts", "jamesallen.com@2010-12-31", "--json"]) as? [String: Any])
        XCTAssertEqual(json["doc"] as? String, "jamesallen.com@2010-12-31")
        let facts = try XCTUnwrap(json["facts"] as? [[String: Any]])
        let age = try XCTUnwrap(facts.first { $0["kind"] as? String == "minimumAge" })
        XCTAssertEqual(age["value"] as? Int, 18, "ages are numbers")
        XCTAssertEqual(age["section"] as? String, "5")
        XCTAssertTrue((age["text"] as? String ?? "").contains("under the age of eighteen"))
        let phone = try XCTUnwrap(facts.first { $0["kind"] as? String == "phone" })
        XCTAssertEqual(phone["value"] as? String, "1-877-826-9866")
        let updated = try XCTUnwrap(try BinaryRunner.json(["facts", "worldjewels", "--json"]) as? [String: Any])
        let date = (updated["facts"] as? [[String: Any]])?.first { $0["kind"] as? String == "lastUpdated" }
        XCTAssertEqual(date?["value"] as? String, "2011-12-04")
    }

    func testTopicsJSONCarriesCategoriesAndTerms() throws {
        let json = try XCTUnwrap(try BinaryRunner.json(["topics", "jamesallen.com@2019-07-04", "--json"]) as? [String: Any])
        let clauses = try XCTUnwrap(json["clauses"] as? [[String: Any]])
        XCTAssertEqual(clauses.count, 96)
        let dnt = try XCTUnwrap(clauses.first { $0["section"] as? String == "6.2" && $0["index"] as? Int == 1 })
        let labels = try XCTUnwrap(dnt["categories"] as? [[String: Any]])
        let names = labels.compactMap { $0["category"] as? String }
        XCTAssertTrue(names.contains("dnt"), "\(names)")
        let terms = labels.first { $0["category"] as? String == "dnt" }?["terms"] as? [String]
        XCTAssertEqual(terms?.contains("do not track"), true)
        let counts = try XCTUnwrap(json["counts"] as? [String: Int])
        XCTAssertGreaterThan(counts["third-party"] ?? 0, 5)
    }

    func testTopicsFilterByCategoryAndRejectUnknown() throws {
        let run = try BinaryRunner.run(["topics", "diamondnexus@2015", "--category", "security"])
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.contains("4#0"), run.stdout)
        XCTAssertFalse(run.stdout.contains("5#0"), run.stdout)
        // The last line counts the clauses shown, out of the version's, then every clause's labels.
        let last = try XCTUnwrap(run.stdout.split(separator: "\n").last.map(String.init))
        let shown = run.stdout.split(separator: "\n").filter { $0.range(of: #"^\S+#\d+  \["#, options: .regularExpression) != nil }.count
        XCTAssertGreaterThan(shown, 0)
        XCTAssertTrue(last.hasPrefix("\(shown == 1 ? "1 clause" : "\(shown) clauses") of "), last)
        XCTAssertTrue(last.contains("labelled security; labels of all"), last)
        // As search's topic: reads it: an alias, a unique prefix, or the OPP-115 title.
        for name in ["sec", "Data Security", "SECURITY"] {
            XCTAssertEqual(try BinaryRunner.run(["topics", "diamondnexus@2015", "--category", name]).stdout, run.stdout, name)
        }
        let bad = try BinaryRunner.run(["topics", "diamondnexus@2015", "--category", "bananas"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("unknown category"), bad.stderr)
        // One reading of a category name for every command that takes one.
        for verb in [["topics", "diamondnexus@2015"], ["changes"], ["trend"]] {
            let ambiguous = try BinaryRunner.run(verb + ["--category", "ch"])
            XCTAssertEqual(ambiguous.status, 64, "\(verb)")
            XCTAssertTrue(ambiguous.stderr.contains("ambiguous category 'ch': choice or change"), ambiguous.stderr)
            XCTAssertEqual(try BinaryRunner.run(verb + ["--category", "sec"]).status, 0, "\(verb)")
        }
    }

    /// `topics --text`: paragraphs from standard input; a short line titles the paragraphs after it,
    /// and is a paragraph of its own when none follows (a one-line check is labelled).
    func testTopicsOfTextFromStandardInput() throws {
        func paragraphs(_ input: String) throws -> [[String: Any]] {
            let run = try BinaryRunner.run(["topics", "--text", "--json"], input: input)
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertEqual(run.stderr, "")
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            return try XCTUnwrap(json["paragraphs"] as? [[String: Any]])
        }
        func categories(_ p: [String: Any]) -> [String] { (p["categories"] as? [[String: Any]] ?? []).compactMap { $0["category"] as? String } }

        // Nothing to label says so, and still answers.
        let empty = try BinaryRunner.run(["topics", "--text"], input: "\n\n")
        XCTAssertEqual(empty.status, 0, empty.stderr)
        XCTAssertTrue(empty.stderr.contains("no text on standard input"), empty.stderr)
        let titled = try paragraphs("Data retention\n\nWe keep your data for two years after your last order.\n")
        XCTAssertEqual(titled.count, 1)
        XCTAssertEqual(titled.first?["title"] as? String, "Data retention")
        XCTAssertTrue(categories(titled[0]).contains("retention"), "\(titled)")

        let lone = try paragraphs("We sell your personal data to data brokers\n")
        XCTAssertEqual(lone.count, 1, "a lone short line is labelled")
        XCTAssertEqual(lone.first?["text"] as? String, "We sell your personal data to data brokers")
        XCTAssertTrue(categories(lone[0]).contains("third-party"), "\(lone)")

        let trailing = try paragraphs("We keep your data for two years.\n\nWe never sell your personal data\n")
        XCTAssertEqual(trailing.compactMap { $0["text"] as? String }, ["We keep your data for two years.", "We never sell your personal data"])
        XCTAssertEqual(trailing.last?["title"] as? String, "")
    }
}
