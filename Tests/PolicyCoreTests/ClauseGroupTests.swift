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

    func testAGroupLosingItsLeadKeepsItsRowUnderTheNextClause() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let dates = ["2011-06-30", "2012-06-30", "2013-06-30", "2014-06-30"]
        for date in dates {
            let v = try Self.version(date)
            try v.text.write(to: data.appendingPathComponent(v.name), atomically: true, encoding: .utf8)
        }
        try FileManager.default.copyItem(at: Fixtures.dataDir.appendingPathComponent("worldjewels.com__2016-11-24.txt"),
                                         to: data.appendingPathComponent("worldjewels.com__2016-11-24.txt"))
        let cache = SearchIndex.cachePath(for: data.path, environment: ["XDG_CACHE_HOME": dir.appendingPathComponent("cache").path])
        func check(_ context: String) throws {
            let corpus = try CorpusLoader.load(directory: data)
            let index = try SearchIndex.open(cacheAt: cache, corpus: corpus)
            let single = try SearchIndex(corpus: corpus, tokenizeAhead: true, grouping: false)
            assertSameAnswers(index, single, context, anyTies: true)
            // The FTS index holds what a fresh build's does, and a reopened index reads the same groups.
            XCTAssertEqual(try index.postings(), try SearchIndex(corpus: corpus).postings(), context)
            XCTAssertEqual(try index.postings(), try single.postings(), context)
            XCTAssertEqual(index.clausesWithLengths, try index.clauseCount(), context)
            XCTAssertEqual(try SearchIndex.open(cacheAt: cache, corpus: corpus).ftsRows, index.ftsRows, context)
        }
        try check("built")
        // The version holding the rows goes: each row moves to the next version's clause.
        try FileManager.default.removeItem(at: data.appendingPathComponent("jamesallen.com__2011-06-30.md"))
        try check("first version removed")
        // A version edited in place (its clauses out, then in again, joining the groups they had
        // led), one removed, one added back.
        let edited = try Self.version("2012-06-30") { $0.replacingOccurrences(of: "cookies", with: "biscuits") + "\n\nA zygomorphic clause.\n" }
        try edited.text.write(to: data.appendingPathComponent(edited.name), atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: data.appendingPathComponent("jamesallen.com__2013-06-30.md"))
        let back = try Self.version("2011-06-30")
        try back.text.write(to: data.appendingPathComponent(back.name), atomically: true, encoding: .utf8)
        try check("edited, removed and added")
        // Every version of the retailer goes: none of its rows is left.
        for date in ["2011-06-30", "2012-06-30", "2014-06-30"] {
            try FileManager.default.removeItem(at: data.appendingPathComponent("jamesallen.com__\(date).md"))
        }
        try check("all removed")
        let corpus = try CorpusLoader.load(directory: data)
        XCTAssertEqual(try SearchIndex.open(cacheAt: cache, corpus: corpus).ftsRows, try SearchIndex(corpus: corpus).ftsRows)
    }
}
