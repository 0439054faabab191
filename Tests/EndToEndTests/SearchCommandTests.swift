import XCTest

/// `redline search` as a user runs it.
final class SearchCommandTests: XCTestCase {
    func testEighteenJSON() throws {
        let json = try XCTUnwrap(try BinaryRunner.json(["search", "eighteen", "--json"]) as? [String: Any])
        XCTAssertEqual(json["query"] as? String, "eighteen")
        let hits = try XCTUnwrap(json["hits"] as? [[String: Any]])
        let hit = try XCTUnwrap(hits.first)
        XCTAssertEqual(hit["doc"] as? String, "jamesallen.com@2010-12-31")
        XCTAssertEqual(hit["sectionTitle"] as? String, "Children's privacy")
        XCTAssertNotNil(hit["score"] as? Double)
        let text = try XCTUnwrap(hit["text"] as? String)
        let range = try XCTUnwrap((hit["matches"] as? [[Int]])?.first)
        let scalars = Array(text.unicodeScalars)
        XCTAssertEqual(String(String.UnicodeScalarView(scalars[range[0]..<range[1]])), "eighteen")
        XCTAssertEqual(hit["section"] as? String, "5")
    }

    func testHumanListingAndHistory() throws {
        let result = try BinaryRunner.run(["search", "Paypal Details", "--limit", "3"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.contains("James Allen · 2019-07-04 · 1. what information"), "a title with its own number is not numbered twice: \(result.stdout)")
        let worldjewels = try BinaryRunner.run(["search", "cookie", "retailer:worldjewels", "--limit", "1"])
        XCTAssertTrue(worldjewels.stdout.hasPrefix("WorldJewels · 2016-11-24 · 7 cookies\n"), worldjewels.stdout)
        XCTAssertTrue(result.stdout.contains("[Paypal Details]"), "matches are marked when stdout is not a terminal")
        XCTAssertFalse(result.stdout.contains("\u{1B}["), "no escape codes on a pipe")
        // A clause found through its section's title alone says so (nothing in it is marked).
        let titled = try BinaryRunner.run(["search", "cookies"])
        XCTAssertTrue(titled.stdout.contains("6.2 B. Cookies, Tracking Options and California Do Not Track Disclosures\n  (title match) We do not"),
                      titled.stdout)
        XCTAssertEqual(titled.stdout.components(separatedBy: "(title match)").count - 1, 1, titled.stdout)
        // Not a clause found through its category.
        let category = try BinaryRunner.run(["search", "topic:security"])
        XCTAssertFalse(category.stdout.contains("(title match)"), category.stdout)
        let history = try BinaryRunner.run(["search", "--history", "GDPR"])
        XCTAssertTrue(history.stdout.contains("James Allen (jamesallen.com): first 2019-07-04, last 2019-07-04"), history.stdout)
        XCTAssertTrue(history.stdout.contains("WorldJewels (worldjewels.com): never\n"), history.stdout)
        XCTAssertFalse(history.stdout.contains("2016-11-24"), "a retailer that never says it is one line: \(history.stdout)")
        XCTAssertEqual(history.stderr, "")
        // --limit counts hits: with --history it changes nothing, and says so.
        let limited = try BinaryRunner.run(["search", "--history", "GDPR", "--limit", "1"])
        XCTAssertEqual(limited.stdout, history.stdout)
        XCTAssertEqual(limited.stderr, "redline: --limit 1 counts hits; --history lists every retailer: ignored\n")
        // A query of negations alone has nothing to find, and says so.
        let negation = try BinaryRunner.run(["search", "NOT cookies"])
        XCTAssertEqual(negation.stdout, "")
        XCTAssertTrue(negation.stderr.hasPrefix("redline: NOT and -word leave words out"), negation.stderr)
        // Nothing found anywhere: said on stderr, as a search says it.
        let none = try BinaryRunner.run(["search", "--history", "zygomorphic"])
        XCTAssertEqual(none.status, 0)
        XCTAssertEqual(none.stderr, "redline: no clause matches \"zygomorphic\"\n")
        // A word that is only the start of others: the prefix that would find them is suggested.
        let start = try BinaryRunner.run(["search", "cook"])
        XCTAssertEqual(start.stderr, "redline: no clause matches \"cook\"; \"cook*\" finds clauses (a prefix)\n")
        let filters = try BinaryRunner.run(["search", "--history", "retailer:james"])
        XCTAssertTrue(filters.stderr.contains("add a word to search for"), filters.stderr)
    }

    func testMalformedQueriesAreAnswered() throws {
        for q in ["\"unbalanced", "*", "NEAR(", "AND AND", "((((", "-", String(repeating: "x", count: 10_000)] {
            let result = try BinaryRunner.run(["search", q, "--json"])
            XCTAssertEqual(result.status, 0, "\(q.prefix(20)): \(result.stderr)")
            XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)))
        }
    }

    /// A retailer filter that names no retailer says so when nothing matches, as topic: and date: do.
    func testARetailerThatIsNoneIsSaid() throws {
        let none = try BinaryRunner.run(["search", "retailer:zzz cookies"])
        XCTAssertEqual(none.status, 0)
        XCTAssertEqual(none.stdout, "")
        XCTAssertTrue(none.stderr.contains("no retailer's domain or name starts with \"zzz\""), none.stderr)
        let history = try BinaryRunner.run(["search", "--history", "retailer:zzz cookies"])
        XCTAssertTrue(history.stderr.contains("no retailer's domain or name starts with \"zzz\""), history.stderr)
        // A retailer that is there but does not say it: nothing about the retailer.
        let quiet = try BinaryRunner.run(["search", "retailer:james zygomorphic"])
        XCTAssertFalse(quiet.stderr.contains("no retailer's domain"), quiet.stderr)
    }
}
