import Foundation
import XCTest

/// `redline changes`, `redline trend` and the facts of `redline diff --json`, as a user runs them;
/// the changes view in tmux.
final class ChangesCommandTests: XCTestCase {
    func changes(_ args: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        let json = try XCTUnwrap(try BinaryRunner.json(["changes", "--json"] + args, file: file, line: line) as? [String: Any])
        return try XCTUnwrap(json["changes"] as? [[String: Any]], file: file, line: line)
    }

    static func facts(_ change: [String: Any], _ key: String) -> [String] {
        let facts = change["facts"] as? [String: Any] ?? [:]
        return (facts[key] as? [[String: Any]] ?? []).map { "\($0["kind"] ?? ""):\($0["value"] ?? "")" }
    }

    func testBundledFeedHasTheTwoChangesNewestFirst() throws {
        let feed = try changes()
        XCTAssertEqual(feed.count, 2)
        XCTAssertEqual(feed.map { $0["retailer"] as? String }, ["jamesallen.com", "diamondnexus.com"])
        XCTAssertEqual(feed.map { $0["from"] as? String }, ["jamesallen.com@2010-12-31", "diamondnexus.com@2015-09-27"])
        XCTAssertEqual(feed.map { $0["to"] as? String }, ["jamesallen.com@2019-07-04", "diamondnexus.com@2016-03-14"])
        XCTAssertEqual(feed.map { $0["date"] as? String }, ["2019-07-04", "2016-03-14"])

        let james = feed[0]
        let added = Set(Self.facts(james, "added"))
        XCTAssertTrue(added.isSuperset(of: ["law:GDPR", "law:EU-US Privacy Shield", "thirdParty:PayPal"]), "\(added)")
        XCTAssertTrue(Self.facts(james, "removed").contains("phone:1-877-826-9866"))
        let all = Self.facts(james, "added") + Self.facts(james, "removed")
            + ((james["facts"] as? [String: Any])?["changed"] as? [[String: Any]] ?? []).map { "\($0["kind"] ?? "")" }
        XCTAssertFalse(all.contains { $0.hasPrefix("minimumAge") }, "the age is 18 in both: \(all)")
        XCTAssertGreaterThan(james["added"] as? Int ?? 0, 0)
        XCTAssertGreaterThan(james["removed"] as? Int ?? 0, 0)
        let categories = try XCTUnwrap(james["categories"] as? [[String: Any]])
        XCTAssertTrue(categories.allSatisfy { $0["category"] is String && $0["added"] is Int && $0["removed"] is Int })

        let nexus = feed[1]
        XCTAssertTrue(Self.facts(nexus, "removed").contains("phone:1.800.509.4990"))
        XCTAssertTrue(Self.facts(nexus, "removed").contains("email:customerservice@diamondnexus.com"))
        let sections = try XCTUnwrap(nexus["sections"] as? [String: [String]])
        XCTAssertTrue(sections["removed"]?.contains("the information we collect") == true, "\(sections)")
        XCTAssertEqual(Set(sections.keys), ["added", "removed", "changed", "moved"])
    }

    func testFiltersKeepOnlyTheChangesThatTouchThem() throws {
        XCTAssertEqual(try changes(["--fact", "law"]).map { $0["retailer"] as? String }, ["jamesallen.com"])
        XCTAssertEqual(try changes(["--fact", "phone"]).count, 2)
        XCTAssertEqual(try changes(["--fact", "minimumAge"]).count, 0)
        XCTAssertEqual(try changes(["--category", "dnt"]).map { $0["retailer"] as? String }, ["jamesallen.com"])
        XCTAssertEqual(try changes(["--since", "2017"]).map { $0["retailer"] as? String }, ["jamesallen.com"])
        XCTAssertEqual(try changes(["--until", "2016-12"]).map { $0["retailer"] as? String }, ["diamondnexus.com"])
        XCTAssertEqual(try changes(["--retailer", "diamond"]).map { $0["retailer"] as? String }, ["diamondnexus.com"])
        let unknown = try BinaryRunner.run(["changes", "--fact", "shoe size"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.contains("minimumAge"), unknown.stderr)
        let badDate = try BinaryRunner.run(["changes", "--since", "last week"])
        XCTAssertEqual(badDate.status, 64, badDate.stderr)
        for date in ["2016-13", "2016-00", "2016-02-30", "2017-02-29", "2016-04-31"] {
            XCTAssertEqual(try BinaryRunner.run(["changes", "--since", date]).status, 64, date)
        }
        XCTAssertEqual(try BinaryRunner.run(["changes", "--since", "2016-02-29", "--until", "2020-12-31"]).status, 0, "a leap day")
        let backwards = try BinaryRunner.run(["changes", "--since", "2020", "--until", "2010"])
        XCTAssertEqual(backwards.status, 64)
        XCTAssertTrue(backwards.stderr.contains("--since 2020 is after --until 2010"), backwards.stderr)
        XCTAssertEqual(try BinaryRunner.run(["changes", "--since", "2019-07", "--until", "2019"]).status, 0, "one month inside its year")
        let later = try BinaryRunner.run(["changes", "--since", "2030"])
        XCTAssertEqual(later.status, 0, later.stderr)
        XCTAssertEqual(later.stdout, "", "as search says it finds nothing: on stderr")
        XCTAssertTrue(later.stderr.contains("no change matches"), later.stderr)
        let nobody = try BinaryRunner.run(["changes", "--retailer", "zzz"])
        XCTAssertEqual(nobody.status, 1)
        // --since still goes with --git for every other command.
        XCTAssertEqual(try BinaryRunner.run(["list", "--since", "2017"]).status, 64)
    }

    func testMinimumAgeAloneIsOneFactChange() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redline-age-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let original = try String(contentsOf: BinaryRunner.repoRoot.appendingPathComponent("data/jamesallen.com__2010-12-31.md"), encoding: .utf8)
        try original.write(to: dir.appendingPathComponent("jamesallen.com__2010-12-31.md"), atomically: true, encoding: .utf8)
        try original.replacingOccurrences(of: "eighteen", with: "sixteen").replacingOccurrences(of: "2010-12-31", with: "2012-05-01")
            .replacingOccurrences(of: "20101231132510", with: "20120501120000")
            .write(to: dir.appendingPathComponent("jamesallen.com__2012-05-01.md"), atomically: true, encoding: .utf8)
        let feed = try changes(["--data", dir.path])
        XCTAssertEqual(feed.count, 1)
        let facts = try XCTUnwrap(feed[0]["facts"] as? [String: Any])
        XCTAssertEqual((facts["added"] as? [Any])?.count, 0)
        XCTAssertEqual((facts["removed"] as? [Any])?.count, 0)
        let changed = try XCTUnwrap(facts["changed"] as? [[String: Any]])
        XCTAssertEqual(changed.count, 1)
        XCTAssertEqual(changed.first?["kind"] as? String, "minimumAge")
        XCTAssertEqual(changed.first?["from"] as? Int, 18)
        XCTAssertEqual(changed.first?["to"] as? Int, 16)
        XCTAssertEqual(feed[0]["added"] as? Int, 1)
        XCTAssertEqual(feed[0]["removed"] as? Int, 1)
    }

    func testPlainFeedIsOneBlockPerChange() throws {
        let result = try BinaryRunner.run(["changes"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let blocks = result.stdout.components(separatedBy: "\n\n").filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        XCTAssertEqual(blocks.count, 2, result.stdout)
        XCTAssertTrue(blocks[0].hasPrefix("jamesallen.com  2010-12-31 → 2019-07-04"), blocks[0])
        XCTAssertTrue(blocks[0].contains("+ Laws & frameworks: GDPR"), blocks[0])
        XCTAssertTrue(blocks[0].contains("− Phone: 1-877-826-9866"), blocks[0])
        XCTAssertTrue(blocks[1].contains("− the information we collect"), blocks[1])
        XCTAssertFalse(result.stdout.contains("\u{1B}["), "no colour on a pipe")
        // The category bars of a change start in one column, whatever their counts' digits.
        for block in blocks {
            let bars = block.split(separator: "\n").compactMap { line in line.firstIndex(of: "█").map { line.distance(from: line.startIndex, to: $0) } }
            XCTAssertGreaterThan(bars.count, 1, block)
            XCTAssertEqual(Set(bars).count, 1, block)
        }
    }

    func testDiffJSONHasTheFacts() throws {
        let json = try XCTUnwrap(try BinaryRunner.json(["diff", "diamondnexus@2015", "diamondnexus@2016", "--json"]) as? [String: Any])
        XCTAssertEqual(Set(Self.facts(json, "removed")), ["email:customerservice@diamondnexus.com", "phone:1.800.509.4990"])
        XCTAssertEqual(((json["facts"] as? [String: Any])?["changed"] as? [Any])?.count, 0)
    }

    func testTrendCountsRetailersWhosePolicyInForceMentionsTheTerm() throws {
        let json = try XCTUnwrap(try BinaryRunner.json(["trend", "GDPR", "--json"]) as? [String: Any])
        let years = try XCTUnwrap(json["years"] as? [[String: Any]])
        XCTAssertEqual(years.map { $0["year"] as? Int }, (2010...2019).map { $0 })
        XCTAssertEqual(years.last?["matching"] as? Int, 1)
        XCTAssertEqual(years.last?["retailers"] as? Int, 3)
        XCTAssertTrue(years.dropLast().allSatisfy { $0["matching"] as? Int == 0 })
        // A term written as a search query would find nothing as a phrase: refused, with why.
        let query = try BinaryRunner.run(["trend", "\"do not track\" OR dnt"])
        XCTAssertEqual(query.status, 64)
        XCTAssertEqual(query.stdout, "")
        XCTAssertTrue(query.stderr.contains("a trend counts one phrase"), query.stderr)
        XCTAssertEqual(try BinaryRunner.run(["trend", "-cookies"]).status, 64)
        XCTAssertEqual(try BinaryRunner.run(["trend", "retailer:etsy cookies"]).status, 64)
        for query in ["cookies -ads", "year:2019 cookies", "site:abc cookies"] {
            XCTAssertEqual(try BinaryRunner.run(["trend", query]).status, 64, query)
        }
        XCTAssertEqual(try BinaryRunner.run(["trend", "opt-out"]).status, 0, "a hyphen inside a word is no negation")
        XCTAssertTrue(try BinaryRunner.run(["trend", "topic:security"]).stderr.contains("--category security"))
        XCTAssertEqual(try BinaryRunner.run(["trend", "terms AND conditions"]).status, 0, "AND is a word of the phrase")
        XCTAssertEqual(try BinaryRunner.run(["trend", "effective date: 2019"]).status, 0, "a colon and a space is no field")
        XCTAssertEqual(try BinaryRunner.run(["trend", "Note: zygomorphic"]).stderr, "", "a colon in a phrase is no field")
        XCTAssertEqual(try BinaryRunner.run(["trend", "zygomorphic"]).stderr, "", "a plain word that is nowhere is no query")
        let plain = try BinaryRunner.run(["trend", "GDPR"])
        XCTAssertTrue(plain.stdout.contains("2019  ██████████····················  1 of 3"), plain.stdout)
        XCTAssertTrue(plain.stdout.hasPrefix("\"GDPR\": retailers"), plain.stdout)
        let phrase = try BinaryRunner.run(["trend", "\"personal data\""])
        XCTAssertTrue(phrase.stdout.hasPrefix("\"personal data\": retailers"), "quoted once: \(phrase.stdout)")
        let stray = try BinaryRunner.run(["trend", "\"cookie"])
        XCTAssertTrue(stray.stdout.hasPrefix("\"cookie\": retailers"), "a stray quote dropped: \(stray.stdout)")
        let category = try XCTUnwrap(try BinaryRunner.json(["trend", "--category", "third-party", "--json"]) as? [String: Any])
        XCTAssertEqual(category["category"] as? String, "third-party")
        XCTAssertEqual((category["years"] as? [Any])?.count, 10)
        XCTAssertEqual(try BinaryRunner.run(["trend"]).status, 64)
    }

    func testChangesViewInTmux() throws {
        let s = try TerminalSessionTests.Session(width: 80, height: 24)
        XCTAssertTrue(s.waitFor("WorldJewels"), s.capture())
        s.keys("C")
        XCTAssertTrue(s.waitFor("2 of 2 changes"), s.capture())
        let feed = s.capture()
        let james = feed.range(of: "2019-07-04  James Allen"), nexus = feed.range(of: "2016-03-14  Diamond Nexus")
        XCTAssertNotNil(james, feed)
        XCTAssertNotNil(nexus, feed)
        if let james, let nexus { XCTAssertLessThan(james.lowerBound, nexus.lowerBound, "newest first") }
        // f walks the fact kinds: e-mail, then phone (both changes), then address (none).
        s.keys("f")
        XCTAssertTrue(s.waitFor("2 of 2 changes · category: all · fact: e-mail"), s.capture())
        s.keys("f", "f")
        XCTAssertTrue(s.waitFor("0 of 2 changes"), s.capture())
        XCTAssertTrue(s.capture().contains("no change touches this fact kind"))
        // Back to all facts, then the dnt category: only James Allen.
        for _ in 0..<6 { s.keys("f") }
        XCTAssertTrue(s.waitFor("fact: all"), s.capture())
        s.keys("h", "h", "h")
        XCTAssertTrue(s.waitFor("1 of 2 changes · category: dnt"), s.capture())
        s.keys("Enter")
        XCTAssertTrue(s.waitFor("facts changed"), s.capture())
        XCTAssertTrue(s.capture().contains("jamesallen.com@2019-07-04"))
        s.keys("Escape")
        XCTAssertTrue(s.waitFor("1 of 2 changes"), s.capture())
        s.keys("Escape")
        XCTAssertTrue(s.waitFor("Retailers (3)"), s.capture())
        s.keys("q")
        XCTAssertEqual(s.exitCode(), "0")
        XCTAssertEqual(s.stderr, "")
    }
}
