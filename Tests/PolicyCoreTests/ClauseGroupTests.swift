import XCTest
@testable import PolicyCore

/// Clauses of one retailer alike in title, text and categories share one FTS row: the searches,
/// scores, highlights and counts are those of an index with a row per clause, as versions come
/// and go.
final class ClauseGroupTests: XCTestCase {
    /// `jamesallen.com__2010-12-31.md` as archived on `date`, with `edit` applied to its text.
    static func version(_ date: String, edit: (String) -> String = { $0 }) throws -> (name: String, text: String) {
        let original = try String(contentsOf: Fixtures.dataDir.appendingPathComponent("jamesallen.com__2010-12-31.md"), encoding: .utf8)
        return ("jamesallen.com__\(date).md", edit(original.replacingOccurrences(of: "archived on 2010-12-31", with: "archived on \(date)")))
    }

    static let queries = ["cookies", "information", "children under", "\"third parties\"", "sell OR rent", "topic:security",
                          "retailer:james email", "date:2012 cookies", "date:2011 OR date:2013 privacy", "retailer:world information",
                          "information retailer:jamesallen.com date:2013-06-30", "date:2013 cookies",
                          "cook*", "-cookie privacy", "zygomorphic", "\"unclosed"]

    /// Every query's hits (all of them, and the first few), and its history, are the same in both.
    /// With `anyTies`, hits of one score may come in another order, and only all hits are compared
    /// (clause ids, which order ties, depend on the order versions came in).
    func assertSameAnswers(_ grouped: SearchIndex, _ single: SearchIndex, _ context: String, anyTies: Bool = false,
                           file: StaticString = #filePath, line: UInt = #line) {
        func canonical(_ hits: [SearchHit]) -> [SearchHit] {
            anyTies ? hits.sorted { ($0.score, $0.doc, $0.clauseIndex) < ($1.score, $1.doc, $1.clauseIndex) } : hits
        }
        for query in Self.queries {
            for limit in anyTies ? [5_000] : [1, 3, 40, 5_000] {
                XCTAssertEqual(canonical(grouped.search(query, limit: limit)), canonical(single.search(query, limit: limit)),
                               "\(query), \(limit) hits, \(context)", file: file, line: line)
            }
            XCTAssertEqual(grouped.history(query), single.history(query), "history of \(query), \(context)", file: file, line: line)
        }
    }

    func testVersionsRepeatingClausesShareRowsAndRankAsOneRowEach() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for date in ["2011-06-30", "2012-06-30", "2013-06-30"] {
            let v = try Self.version(date) { date == "2012-06-30" ? $0.replacingOccurrences(of: "cookies", with: "biscuits") : $0 }
            try v.text.write(to: dir.appendingPathComponent(v.name), atomically: true, encoding: .utf8)
        }
        for name in ["jamesallen.com__2010-12-31.md", "jamesallen.com__2019-07-04.md", "worldjewels.com__2016-11-24.txt"] {
            try FileManager.default.copyItem(at: Fixtures.dataDir.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let corpus = try CorpusLoader.load(directory: dir)
        let grouped = try SearchIndex(corpus: corpus, tokenizeAhead: true)
        let single = try SearchIndex(corpus: corpus, tokenizeAhead: true, grouping: false)
        let clauses = try grouped.clauseCount()
        XCTAssertEqual(clauses, try single.clauseCount())
        XCTAssertEqual(single.ftsRows, clauses)
        let copy = corpus.documents.first { $0.id == "jamesallen.com@2010-12-31" }!.allClauses.count
        XCTAssertLessThanOrEqual(grouped.ftsRows, clauses - 2 * copy, "three of the four copies of 2010 add almost no row")
        XCTAssertGreaterThan(grouped.search("cookies", limit: 5_000).count, 5)
        assertSameAnswers(grouped, single, "one build")
        XCTAssertEqual(try grouped.postings(), try single.postings())
        for query in ["cookies", "children under", "sell OR rent"] {
            XCTAssertEqual(try grouped.fts5Highlights(query), try single.fts5Highlights(query), query)
        }
    }

    /// `worldjewels.com__2016-11-24.txt` as archived on `date` (a flat page dated by its header).
    static func flatVersion(_ date: String) throws -> (name: String, text: String) {
        let original = try String(contentsOf: Fixtures.dataDir.appendingPathComponent("worldjewels.com__2016-11-24.txt"), encoding: .utf8)
        let stamp = date.replacingOccurrences(of: "-", with: "") + "000000"
        return ("worldjewels.com__\(date).txt", original.replacingOccurrences(of: "20161124212326", with: stamp))
    }

    /// Unscored (no phrase IDFs), a search finds the same clauses with the same matches, in one
    /// walk or in halves, and walks no phrase's rows.
    func testUnscoredSearchFindsTheSameHitsAndMatches() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for date in ["2011-06-30", "2012-06-30", "2013-06-30"] {
            let v = try Self.version(date)
            try v.text.write(to: dir.appendingPathComponent(v.name), atomically: true, encoding: .utf8)
        }
        try FileManager.default.copyItem(at: Fixtures.dataDir.appendingPathComponent("worldjewels.com__2016-11-24.txt"),
                                         to: dir.appendingPathComponent("worldjewels.com__2016-11-24.txt"))
        let index = try SearchIndex.open(cacheAt: dir.appendingPathComponent("cache/index.sqlite").path,
                                         corpus: try CorpusLoader.load(directory: dir))
        func found(_ hits: [SearchHit]) -> Set<String> { Set(hits.map { "\($0.doc) \($0.clauseIndex) \($0.matches)" }) }
        for split in [false, true] {
            index.splitAbove = split ? 0 : 1_000_000
            for query in Self.queries + ["cookies information retailer:jamesallen.com date:2012-06-30", "privacy retailer:world"] {
                let scored = index.search(query, limit: 5_000, prefixLast: true)
                let unscored = index.search(query, limit: 5_000, prefixLast: true, scored: false)
                XCTAssertEqual(found(unscored), found(scored), "\(query), split \(split)")
                XCTAssertEqual(index.lastWalks, 0, "\(query), split \(split)")
            }
            XCTAssertEqual(index.hasPartner, split)
        }
    }

    /// A folder of versions changed step by step, indexed at each step by a persistent index with
    /// groups and one without (same ids, as both see the same steps): every query at every limit
    /// gives the same hits in the same order, split in halves or not; the FTS index holds what a
    /// fresh build's does; an index opened before a step answers as one opened after it.
    func testGroupsFollowVersionsRemovedEditedAndAdded() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        func write(_ v: (name: String, text: String)) throws {
            try v.text.write(to: data.appendingPathComponent(v.name), atomically: true, encoding: .utf8)
        }
        func remove(_ name: String) throws { try FileManager.default.removeItem(at: data.appendingPathComponent(name)) }
        // One version repeats a paragraph within itself.
        let twice = "\n\nPlease write to us with any question about cookies.\n\nPlease write to us with any question about cookies.\n"
        for date in ["2011-06-30", "2012-06-30", "2013-06-30", "2014-06-30"] { try write(try Self.version(date) { $0 + twice }) }
        try write(try Self.flatVersion("2016-11-24"))
        let caches = dir.appendingPathComponent("cache")
        let groupedCache = caches.appendingPathComponent("grouped.sqlite").path
        let singleCache = caches.appendingPathComponent("single.sqlite").path
        let early = try SearchIndex.open(cacheAt: groupedCache, corpus: try CorpusLoader.load(directory: data))
        _ = early.search("cookies")
        func check(_ context: String) throws {
            let corpus = try CorpusLoader.load(directory: data)
            let grouped = try SearchIndex.open(cacheAt: groupedCache, corpus: corpus, grouping: true)
            let single = try SearchIndex.open(cacheAt: singleCache, corpus: corpus, grouping: false)
            XCTAssertEqual(single.ftsRows, try single.clauseCount(), context)
            XCTAssertLessThan(grouped.ftsRows, single.ftsRows, context)
            assertSameAnswers(grouped, single, context)
            grouped.splitAbove = 0
            assertSameAnswers(grouped, single, context + ", in halves")
            XCTAssertTrue(grouped.hasPartner, context)
            // An index opened before the step (as another process would have) reads the new groups.
            assertSameAnswers(early, single, context + ", opened before")
            XCTAssertEqual(try grouped.postings(), try single.postings(), context)
            XCTAssertEqual(try grouped.postings(), try SearchIndex(corpus: corpus).postings(), context)
            XCTAssertEqual(grouped.clausesWithLengths, try grouped.clauseCount(), context)
        }
        try check("built")
        // The version holding the rows goes: each row moves to the next version's clause.
        try remove("jamesallen.com__2011-06-30.md")
        try check("first version removed")
        // A version edited in place (its clauses out, then in again), one removed, one added back,
        // and a second version of a retailer that had one.
        try write(try Self.version("2012-06-30") { $0.replacingOccurrences(of: "cookies", with: "biscuits") + "\n\nA zygomorphic clause.\n" })
        try remove("jamesallen.com__2013-06-30.md")
        try write(try Self.version("2011-06-30"))
        try write(try Self.flatVersion("2017-03-01"))
        try check("edited, removed and added")
        // Two versions of one group removed at once, then every version of the retailer.
        try remove("jamesallen.com__2011-06-30.md")
        try remove("jamesallen.com__2014-06-30.md")
        try check("two removed at once")
        try remove("jamesallen.com__2012-06-30.md")
        try check("all removed")
    }

    /// A retailer renamed (its versions' FTS rows carry the name) is indexed again under the new
    /// name: its groups are made afresh, the other retailers' left as they are.
    func testARenamedRetailerIsRegroupedUnderItsNewName() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        for v in [try Self.version("2011-06-30"), try Self.version("2012-06-30"), try Self.flatVersion("2016-11-24"),
                  try Self.flatVersion("2017-03-01")] {
            try v.text.write(to: data.appendingPathComponent(v.name), atomically: true, encoding: .utf8)
        }
        var corpus = try CorpusLoader.load(directory: data)
        let caches = dir.appendingPathComponent("cache")
        let grouped = try SearchIndex.open(cacheAt: caches.appendingPathComponent("grouped.sqlite").path, corpus: corpus, grouping: true)
        let single = try SearchIndex.open(cacheAt: caches.appendingPathComponent("single.sqlite").path, corpus: corpus, grouping: false)
        assertSameAnswers(grouped, single, "before")
        let rows = grouped.ftsRows
        let k = try XCTUnwrap(corpus.retailers.firstIndex { $0.domain == "jamesallen.com" })
        corpus.retailers[k].name = "Zygo Jewellers"
        try grouped.update(with: corpus)
        try single.update(with: corpus)
        assertSameAnswers(grouped, single, "renamed")
        XCTAssertEqual(grouped.ftsRows, rows, "the same groups, under the new name")
        let renamed = grouped.search("retailer:zygo cookies", limit: 5_000)
        XCTAssertFalse(renamed.isEmpty)
        XCTAssertEqual(renamed, grouped.search("retailer:jamesallen.com cookies", limit: 5_000), "the name or the domain")
        XCTAssertEqual(renamed, single.search("retailer:zygo cookies", limit: 5_000))
        XCTAssertEqual(try grouped.postings(), try SearchIndex(corpus: corpus).postings())
    }

    /// Ids only grow; past the index's limit, an update of every file starts again from id 1.
    func testAnIndexPastItsIdLimitIsRenumbered() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for date in ["2011-06-30", "2012-06-30"] {
            let v = try Self.version(date)
            try v.text.write(to: dir.appendingPathComponent(v.name), atomically: true, encoding: .utf8)
        }
        let corpus = try CorpusLoader.load(directory: dir)
        let cache = dir.appendingPathComponent("cache/index.sqlite").path
        var index = try SearchIndex.open(cacheAt: cache, corpus: corpus)
        let clauses = try index.clauseCount()
        let edited = try Self.version("2011-06-30") { $0 + "\n\nA zygomorphic clause.\n" }   // (ids below the other's)
        try edited.text.write(to: dir.appendingPathComponent(edited.name), atomically: true, encoding: .utf8)
        index.idLimit = clauses + 1   // what the edited corpus fills when numbered afresh
        XCTAssertFalse(index.idsNearLimit)
        try index.update(with: try CorpusLoader.load(directory: dir))
        XCTAssertTrue(index.idsNearLimit, "the edited version took new ids")
        try index.update(with: try CorpusLoader.load(directory: dir))
        XCTAssertFalse(index.idsNearLimit, "ids start again from 1")
        XCTAssertEqual(try index.clauseCount(), clauses + 1)
        index = try SearchIndex.open(cacheAt: cache, corpus: try CorpusLoader.load(directory: dir))
        let single = try SearchIndex(corpus: try CorpusLoader.load(directory: dir), tokenizeAhead: true, grouping: false)
        assertSameAnswers(index, single, "renumbered")
    }
}
