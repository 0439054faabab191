import XCTest
@testable import PolicyCore

/// The FTS5 search engine: recall against a brute-force scan, ranking, highlighting, hostile input.
final class SearchTests: XCTestCase {
    static let corpus: Corpus = {
        do {
            let sample = try CorpusLoader.load(directory: Fixtures.sampleDir)
            return Corpus(retailers: Fixtures.bundled.retailers + sample.retailers)
        } catch { fatalError("\(error)") }
    }()
    static let index: SearchIndex = {
        do { return try SearchIndex(corpus: corpus) } catch { fatalError("\(error)") }
    }()
    static let bundledIndex: SearchIndex = {
        do { return try SearchIndex(corpus: Fixtures.bundled) } catch { fatalError("\(error)") }
    }()

    struct ClauseRef: Hashable { var doc: String; var index: Int }

    /// A tiny query evaluator over plain words: `a b` (all), `"a b"` (phrase), `a*` (prefix), `a OR b`.
    static func bruteForce(_ query: String) -> Set<ClauseRef> {
        let alternatives = query.components(separatedBy: " OR ")
        var out = Set<ClauseRef>()
        for doc in corpus.documents {
            for (i, clause) in doc.allClauses.enumerated() {
                let words = Tokenizer.foldedWords(clause.text)
                let matches = alternatives.contains { alt in
                    terms(alt).allSatisfy { term in
                        if term.count == 1, term[0].hasSuffix("*") {
                            return words.contains { $0.hasPrefix(term[0].dropLast()) }
                        }
                        guard words.count >= term.count else { return false }
                        return (0...(words.count - term.count)).contains { Array(words[$0..<($0 + term.count)]) == term }
                    }
                }
                if matches { out.insert(ClauseRef(doc: doc.id, index: i)) }
            }
        }
        return out
    }

    static func terms(_ s: String) -> [[String]] {
        var out: [[String]] = []
        let parts = s.components(separatedBy: "\"")
        for (n, part) in parts.enumerated() {
            if n % 2 == 1 { out.append(Tokenizer.foldedWords(part)) } else {
                for w in part.split(separator: " ") {
                    out.append(w.hasSuffix("*") ? [w.lowercased()] : Tokenizer.foldedWords(String(w)))
                }
            }
        }
        return out.filter { !$0.isEmpty }
    }

    func testRecallIsCompleteAgainstBruteForce() {
        let queries = [
            "children", "cookie", "cookies", "information", "third parties", "\"third parties\"", "sell OR rent",
            "third part*", "\"do not track\"", "email", "e-mail", "paypal", "google analytics", "18", "eighteen",
            "privacy shield", "opt*", "security", "delete", "california", "contact us", "\"personal information\"",
            "ip address", "advertis*", "minors OR children", "truste", "access correct", "policy", "we", "data",
            "gdpr OR \"general data protection\"", "credit card", "shipping", "newsletter", "law enforcement",
            "Paypal Details", "DiamondNexus", "children's", "safe harbor", "retain",
        ]
        for query in queries {
            let expected = Self.bruteForce(query)
            XCTAssertFalse(expected.isEmpty, "\(query) should match something")
            let got = Set(Self.index.search(query, limit: 1_000_000).map { ClauseRef(doc: $0.doc, index: $0.clauseIndex) })
            let missed = expected.subtracting(got)
            XCTAssertTrue(missed.isEmpty, "\(query): \(missed.count) of \(expected.count) clauses missed, e.g. \(missed.first.map { "\($0)" } ?? "")")
        }
    }

    /// The ranking keeps the best rows with their phrase instances; the highlights made from them
    /// must be FTS5's own `highlight()`, and the rows kept the best by SQL's ORDER BY, for every
    /// kind of query and limit.
    func testBestRowsAndHighlightsAreFTS5s() throws {
        let weights = "\(SearchIndex.weights.retailer), \(SearchIndex.weights.section), \(SearchIndex.weights.text), 0.0"
        let queries = ["children", "cookie", "\"third parties\"", "third part*", "sell OR rent", "\"do not track\"",
                       "children -cookies", "section:cookies browser", "advertis* OR market*", "opt out", "e-mail", "18",
                       "paypal details", "privacy", "we", "résumé", "(security OR secure) data", "\"personal information\" third",
                       "cooki", "children's privacy", "james"]
        var compared = 0
        for query in queries {
            let match = try XCTUnwrap(SearchQuery(query).match)
            let highlights = try Self.index.fts5Highlights(query)
            // SQLite's order of every match (BM25 with the title-only demotion; ties by rowid).
            let ordered = try Self.index.scores(match, rank: "redline_rank(\(weights), 2)")
            for limit in [1, 7, 50, 100_000] {
                let hits = Self.index.search(query, limit: limit)
                XCTAssertEqual(hits.count, min(limit, ordered.count), query)
                for (hit, row) in zip(hits, ordered) {
                    let expected = SearchIndex.bm25(rank: row.score)
                    XCTAssertEqual(hit.score, expected, accuracy: 1e-6 * max(1, abs(expected)), query)
                }
                for hit in hits {
                    XCTAssertEqual(hit.matches, highlights["\(hit.doc)#\(hit.clauseIndex)"], "\(query): \(hit.text)")
                    if !hit.matches.isEmpty { compared += 1 }
                }
            }
        }
        XCTAssertGreaterThan(compared, 1200)
        // With filters the ranking runs on the rows they let through: the best of those, in order.
        for (query, keep) in [("retailer:james cookie", { (h: SearchHit) in h.domain == "jamesallen.com" }),
                              ("date:2019 children", { (h: SearchHit) in h.date.hasPrefix("2019") })] {
            let highlights = try Self.index.fts5Highlights(query)
            let all = Self.index.search(query, limit: 100_000)
            let total = Self.index.history(query).reduce(0) { $0 + $1.versions.reduce(0) { $0 + $1.clauses } }
            XCTAssertEqual(all.count, total, query)
            XCTAssertTrue(all.allSatisfy(keep), query)
            // Best first; clauses matching only through their section title after the others.
            let order = all.map { ($0.matches.isEmpty ? 1 : 0, $0.score) }
            XCTAssertTrue(zip(order, order.dropFirst()).allSatisfy { $0 <= $1 }, "\(query): \(order)")
            for limit in [1, 3, 10] { XCTAssertEqual(Self.index.search(query, limit: limit).map(\.text), all.prefix(limit).map(\.text), query) }
            for hit in all { XCTAssertEqual(hit.matches, highlights["\(hit.doc)#\(hit.clauseIndex)"], "\(query): \(hit.text)") }
        }
    }

    /// `BestRows` keeps exactly the best `limit` rows (lowest score, then lowest rowid), with their
    /// instances, whatever the order the rows come in and however many tie.
    func testBestRowsKeepsExactlyTheBest() {
        var rng = ParserFuzzTests.SplitMix(state: 7)
        for round in 0..<300 {
            let limit = Int.random(in: 0...20, using: &rng)
            let best = ClauseRanker.BestRows(limit: limit, column: 2)
            var rows = (0..<Int.random(in: 0...400, using: &rng)).map { (id: Int64($0), score: -Double(Int.random(in: 0...30, using: &rng))) }
            rows.shuffle(using: &rng)
            // As the ranking uses it: `admits` until the best are all there, then the bound `insert` returns.
            var bound: (score: Double, rowid: Int64)?
            for row in rows {
                let admitted = bound.map { (row.score, row.id) < $0 } ?? best.admits(row.id, score: row.score)
                XCTAssertEqual(admitted, best.admits(row.id, score: row.score), "round \(round)")
                if admitted { bound = best.insert(.init(score: row.score, rowid: row.id, spans: [.init(token: Int32(row.id), count: 1)])) }
            }
            let expected = rows.sorted { ($0.score, $0.id) < ($1.score, $1.id) }.prefix(limit)
            XCTAssertEqual(best.rows.map(\.rowid), expected.map(\.id), "round \(round)")
            XCTAssertTrue(best.rows.allSatisfy { $0.spans == [.init(token: Int32($0.rowid), count: 1)] }, "round \(round)")
        }
    }

    func testIndexedClausesAreExactlyTheCorpusClauses() throws {
        XCTAssertEqual(try Self.index.clauseCount(), Self.corpus.documents.reduce(0) { $0 + $1.allClauses.count })
        for hit in Self.index.search("privacy", limit: 500) {
            let doc = try XCTUnwrap(Self.corpus.document(id: hit.doc))
            XCTAssertEqual(doc.allClauses[hit.clauseIndex].text, hit.text)
        }
    }

    func testEighteenCutsExactlyTheWord() throws {
        let hits = Self.bundledIndex.search("eighteen")
        let hit = try XCTUnwrap(hits.first)
        XCTAssertEqual(hit.doc, "jamesallen.com@2010-12-31")
        XCTAssertEqual(hit.sectionTitle, "Children's privacy")
        XCTAssertEqual(hit.matches.count, 1)
        let scalars = Array(hit.text.unicodeScalars)
        let range = hit.matches[0]
        XCTAssertEqual(String(String.UnicodeScalarView(scalars[range[0]..<range[1]])), "eighteen")
    }

    func testEighteenAsDigits() {
        let hits = Self.bundledIndex.search("18")
        let places = Set(hits.map { "\($0.doc) \($0.sectionTitle)" })
        XCTAssertTrue(places.contains("worldjewels.com@2016-11-24 minors"), "\(places)")
        XCTAssertTrue(places.contains("jamesallen.com@2019-07-04 7. use by children"), "\(places)")
    }

    func testPaypalDetailsLandsInTheTableRow() throws {
        let hit = try XCTUnwrap(Self.bundledIndex.search("Paypal Details").first)
        XCTAssertEqual(hit.doc, "jamesallen.com@2019-07-04")
        XCTAssertEqual(hit.section, "1")
        XCTAssertEqual(hit.kind, "tableRow")
        XCTAssertTrue(hit.text.hasPrefix("When you create an account and purchase a product"))
        let scalars = Array(hit.text.unicodeScalars)
        XCTAssertEqual(hit.matches.map { String(String.UnicodeScalarView(scalars[$0[0]..<$0[1]])) }, ["Paypal", "Details"])
    }

    func testCookieFindsCookiesInEveryRetailerWithStemmedHighlights() {
        let hits = Self.bundledIndex.search("cookie", limit: 1000)
        XCTAssertEqual(Set(hits.map(\.domain)), ["jamesallen.com", "diamondnexus.com", "worldjewels.com"])
        var sawPlural = false
        for hit in hits {
            let scalars = Array(hit.text.unicodeScalars)
            for r in hit.matches {
                let word = String(String.UnicodeScalarView(scalars[r[0]..<r[1]])).lowercased()
                XCTAssertTrue(word.hasPrefix("cooki"), word)
                if word == "cookies" { sawPlural = true }
            }
        }
        XCTAssertTrue(sawPlural)
    }

    func testPrefixMatchesAreHighlighted() throws {
        let hit = try XCTUnwrap(Self.bundledIndex.search("advertis*").first)
        let scalars = Array(hit.text.unicodeScalars)
        XCTAssertFalse(hit.matches.isEmpty)
        for r in hit.matches {
            XCTAssertTrue(String(String.UnicodeScalarView(scalars[r[0]..<r[1]])).lowercased().hasPrefix("advertis"))
        }
    }

    func testSnippetsBracketTheMatchAndJoinAPhrase() {
        // Marked words next to each other share one bracket; a mark ending inside a word does not.
        XCTAssertEqual(SearchIndex.snippet("to third parties.", matches: [[3, 8], [9, 16]]), "to [third parties].")
        XCTAssertEqual(SearchIndex.snippet("a b c d", matches: [[0, 1], [2, 3], [4, 5]]), "[a b c] d")
        XCTAssertEqual(SearchIndex.snippet("ab cd", matches: [[0, 1], [3, 5]]), "[a]b [cd]")
        XCTAssertEqual(SearchIndex.snippet("a", matches: [[0, 1]]), "[a]")
        XCTAssertEqual(SearchIndex.snippet("plain é\u{A0}text", matches: []), "plain é text")
        // Snippets are cut from the clause around its first match, with the hit's own match ranges.
        XCTAssertEqual(SearchIndex.snippet("we sell or rent", matches: [[3, 7], [11, 15]]), "we [sell] or [rent]")
        XCTAssertEqual(SearchIndex.snippet("given to third parties.", matches: [[9, 14], [15, 22]]), "given to [third parties].")
        XCTAssertEqual(SearchIndex.snippet("  café  au   lait ", matches: [[2, 6]]), "[café] au lait")
        XCTAssertEqual(SearchIndex.snippet("", matches: []), "")
        let long = (0..<60).map { "w\($0)" }.joined(separator: " ")   // "w0 w1 … w59"
        let start = long.components(separatedBy: " ").prefix(30).joined(separator: " ").unicodeScalars.count + 1
        XCTAssertEqual(SearchIndex.snippet(long, matches: [[start, start + 3]]),
                       "…w26 w27 w28 w29 [w30] w31 w32 w33 w34 w35 w36 w37 w38 w39 w40 w41…")
        XCTAssertEqual(SearchIndex.snippet(long, matches: []), (0..<16).map { "w\($0)" }.joined(separator: " ") + "…")
        // A match running past the cut is closed at the cut.
        XCTAssertEqual(SearchIndex.snippet("a b", matches: [[0, 3]], words: 1), "[a]…")
        let hits = Self.index.search("\"third parties\"", limit: 20)
        XCTAssertGreaterThan(hits.count, 5)
        for hit in hits where !hit.matches.isEmpty {
            XCTAssertTrue(hit.snippet.lowercased().contains("[third"), hit.snippet)   // "[third parties]", "[third-party]", or cut: "[Third]…"
            XCTAssertFalse(hit.snippet.unicodeScalars.contains { $0 == "\u{E000}" || $0 == "\u{E001}" }, hit.snippet)
        }
    }

    func testWithoutSnippetsTheHitsAreTheSame() {
        for q in ["cookie", "\"third parties\"", "sell OR rent", "advertis*"] {
            let full = Self.index.search(q, limit: 40), bare = Self.index.search(q, limit: 40, snippets: false)
            XCTAssertEqual(bare.map(\.doc), full.map(\.doc), q)
            XCTAssertEqual(bare.map(\.text), full.map(\.text), q)
            XCTAssertEqual(bare.map(\.matches), full.map(\.matches), q)
            XCTAssertTrue(bare.allSatisfy { $0.snippet.isEmpty }, q)
        }
    }

    func testSectionTitlesOutrankBodyText() throws {
        let hits = Self.bundledIndex.search("security", limit: 5)
        XCTAssertTrue(try XCTUnwrap(hits.first).sectionTitle.lowercased().contains("security"))
    }

    func testFieldsNotAndTypingPrefix() {
        let only2019 = Self.bundledIndex.search("children date:2019", limit: 100)
        XCTAssertFalse(only2019.isEmpty)
        XCTAssertTrue(only2019.allSatisfy { $0.date.hasPrefix("2019") })
        let wj = Self.bundledIndex.search("retailer:world cookies", limit: 100)
        XCTAssertFalse(wj.isEmpty)
        XCTAssertTrue(wj.allSatisfy { $0.domain == "worldjewels.com" })
        let inSection = Self.bundledIndex.search("section:cookies browser", limit: 100)
        XCTAssertFalse(inSection.isEmpty)
        XCTAssertTrue(inSection.allSatisfy { $0.sectionTitle.lowercased().contains("cookie") })
        let without = Self.bundledIndex.search("cookies -session", limit: 100)
        XCTAssertFalse(without.isEmpty)
        XCTAssertFalse(without.contains { $0.text.lowercased().contains("session") })
        XCTAssertFalse(Self.bundledIndex.search("eightee", limit: 5, prefixLast: true).isEmpty)
        XCTAssertTrue(Self.bundledIndex.search("eightee", limit: 5).isEmpty)
    }

    func testTopicFieldSearchesClauseCategories() throws {
        XCTAssertEqual(SearchQuery("topic:security").match, "topics : \"security\"")
        XCTAssertEqual(SearchQuery("topic:third-party google").match, "topics : \"thirdparty\" AND \"google\"")
        XCTAssertEqual(SearchQuery("topic:sec", prefixLast: true).match, "topics : \"security\"", "a unique prefix while typing")
        XCTAssertEqual(SearchQuery("topic:bananas").match, "\"bananas\"", "an unknown topic is read as words")
        XCTAssertEqual(SearchQuery("topic:ch cookies").match, "(topics : \"choice\" OR topics : \"change\") AND \"cookies\"",
                       "a prefix of several categories is any of them")
        XCTAssertEqual(SearchQuery("-topic:ch cookies").match, "\"cookies\" NOT (topics : \"choice\" OR topics : \"change\")",
                       "nothing before a NOT: it follows the next operand, as for words")
        XCTAssertEqual(SearchQuery("cookies -topic:ch").match, "\"cookies\" NOT (topics : \"choice\" OR topics : \"change\")")
        XCTAssertFalse(Self.bundledIndex.search("topic:ch", limit: 5).isEmpty)
        // Every security clause of the bundled data, and nothing else.
        let hits = Self.bundledIndex.search("topic:security", limit: 500)
        var expected = Set<ClauseRef>()
        for doc in Fixtures.bundled.documents {
            for (i, topics) in CategoryClassifier.shared.classify(doc).enumerated() where topics.categories.contains(.security) {
                expected.insert(ClauseRef(doc: doc.id, index: i))
            }
        }
        XCTAssertFalse(expected.isEmpty)
        XCTAssertEqual(Set(hits.map { ClauseRef(doc: $0.doc, index: $0.clauseIndex) }), expected)
        let children = Self.bundledIndex.search("topic:children retailer:james", limit: 50)
        XCTAssertTrue(children.contains { $0.doc == "jamesallen.com@2010-12-31" && $0.section == "5" })
        XCTAssertTrue(children.allSatisfy { $0.domain == "jamesallen.com" })
    }

    func testQueryTranslation() {
        XCTAssertEqual(SearchQuery("sell OR rent").match, "\"sell\" OR \"rent\"")
        XCTAssertEqual(SearchQuery("third part*").match, "\"third\" AND \"part\"*")
        XCTAssertEqual(SearchQuery("\"do not track\"").match, "\"do not track\"")
        XCTAssertEqual(SearchQuery("a -b").match, "\"a\" NOT \"b\"")
        XCTAssertEqual(SearchQuery("(a OR b) c").match, "( \"a\" OR \"b\" ) AND \"c\"")
        XCTAssertEqual(SearchQuery("\"unbalanced").match, "\"unbalanced\"")
        // Operators with nothing to act on are the words they spell; a lone dash or empty group is nothing.
        XCTAssertEqual(SearchQuery("AND AND").match, "\"and\" AND \"and\"")
        XCTAssertEqual(SearchQuery("OR").match, "\"or\"")
        XCTAssertEqual(SearchQuery("NOT").terms, ["not"])
        XCTAssertEqual(SearchQuery("-").match, nil)
        XCTAssertEqual(SearchQuery("( )").match, nil)
        XCTAssertEqual(SearchQuery("NOT cookies").match, nil, "a negation alone stays one: it never finds what it excludes")
        XCTAssertTrue(SearchQuery("NOT cookies").onlyExcludes)
        XCTAssertTrue(SearchQuery("-cookies -email").onlyExcludes)
        XCTAssertTrue(SearchQuery("(-cookies)").onlyExcludes)
        XCTAssertFalse(SearchQuery("retailer:james").onlyExcludes)
        XCTAssertFalse(SearchQuery("a -b").onlyExcludes)
        XCTAssertTrue(SearchQuery.noMatchNote("-cookies").hasPrefix("NOT and -word leave words out"))
        // A negation first follows the first operand of its group.
        XCTAssertEqual(SearchQuery("-b a").match, "\"a\" NOT \"b\"")
        XCTAssertEqual(SearchQuery("-b -c a d").match, "\"a\" NOT \"c\" NOT \"b\" AND \"d\"")
        XCTAssertEqual(SearchQuery("-b (a OR c)").match, "( \"a\" OR \"c\" ) NOT \"b\"")
        XCTAssertEqual(SearchQuery("(-b a) OR c").match, "( \"a\" NOT \"b\" ) OR \"c\"")
        XCTAssertEqual(SearchQuery("(-b) a").match, "\"a\" NOT \"b\"", "a group of negations alone follows what comes next")
        XCTAssertEqual(SearchQuery("a (-b)").match, "\"a\" NOT \"b\"")
        // A negated group first waits whole; alone it excludes only.
        XCTAssertEqual(SearchQuery("-(a b) c").match, "\"c\" NOT ( \"a\" AND \"b\" )")
        XCTAssertEqual(SearchQuery("NOT (a) b").match, "\"b\" NOT ( \"a\" )")
        XCTAssertEqual(SearchQuery("-(cookies)").match, nil)
        XCTAssertTrue(SearchQuery("-(cookies)").onlyExcludes)
        XCTAssertEqual(SearchQuery("a OR -(b c)").match, "\"a\"", "one side of an OR cannot be a negation")
        // A negation cannot be one side of an OR: dropped, as in a group.
        XCTAssertEqual(SearchQuery("-a OR b").match, "\"b\"")
        XCTAssertEqual(SearchQuery("(-a) OR b").match, "\"b\"")
        XCTAssertEqual(SearchQuery("(cookies OR -tracking) privacy").match, "( \"cookies\" ) AND \"privacy\"", "in a group as well")
        XCTAssertEqual(SearchQuery("(-b OR -a) c").match, "\"c\"")
        // A negated operand without words negates nothing after it.
        XCTAssertEqual(SearchQuery("c -\"\" d").match, "\"c\" AND \"d\"")
        XCTAssertEqual(SearchQuery("c -! d").match, "\"c\" AND \"d\"")
        // A negated phrase.
        XCTAssertEqual(SearchQuery("c -\"a b\"").match, "\"c\" NOT \"a b\"")
        XCTAssertEqual(SearchQuery("c -“a b”").match, "\"c\" NOT \"a b\"")
        XCTAssertEqual(SearchQuery("NEAR(").match, "\"near\"")
        XCTAssertEqual(SearchQuery("*").match, nil)
        XCTAssertEqual(SearchQuery("cook", prefixLast: true).match, "\"cook\"*")
        XCTAssertEqual(SearchQuery("date:2019 retailer:James x").dates, ["2019"])
        XCTAssertEqual(SearchQuery("date:2019 retailer:James x").retailers, ["james"])
        let negated = SearchQuery("privacy -retailer:James NOT date:2019 retailer:world")
        XCTAssertEqual(negated.match, "\"privacy\"", "a negated filter is no term, and no NOT is left dangling")
        XCTAssertEqual(negated.excludedRetailers, ["james"])
        XCTAssertEqual(negated.excludedDates, ["2019"])
        XCTAssertEqual(negated.retailers, ["world"])
        XCTAssertEqual(SearchQuery("-date:2019 cookie -retailer:x").match, "\"cookie\"")
        XCTAssertEqual(SearchQuery("date:2019").match, nil)
        let group = SearchQuery("privacy NOT (date:2019) -(retailer:james OR retailer:World)")
        XCTAssertEqual(group.match, "\"privacy\"")
        XCTAssertEqual(group.excludedDates, ["2019"], "a filter in a negated group excludes")
        XCTAssertEqual(group.excludedRetailers, ["james", "world"])
        XCTAssertEqual(SearchQuery("privacy (date:2019)").dates, ["2019"])
        XCTAssertEqual(SearchQuery("privacy NOT (x NOT (date:2019))").dates, ["2019"], "negated twice")
        XCTAssertEqual(SearchQuery("cookies -retailer: information").match, "\"cookies\" AND \"information\"",
                       "a field with no value is dropped with its dash, which negates nothing else")
        XCTAssertEqual(SearchQuery("privacy -date: 2019").match, "\"privacy\" AND \"2019\"")
        XCTAssertTrue(SearchQuery.noMatchNote("date:2019").hasPrefix("retailer: and date: narrow a search"))
        XCTAssertEqual(SearchQuery.noMatchNote("zygomorphic"), "no clause matches \"zygomorphic\"")
        // What a field could not take is said when nothing matches; a quote in the query is not doubled.
        XCTAssertTrue(SearchQuery.noMatchNote("topic:zzz cookies").contains("topic:zzz names no category, so it was searched as words"))
        XCTAssertTrue(SearchQuery.noMatchNote("date:abc privacy").contains("date:abc is no date"))
        XCTAssertEqual(SearchQuery("date:2019-0 privacy").fieldNotes, [], "the start of a date, as typed")
        XCTAssertFalse(SearchQuery("date:2019-13 privacy").fieldNotes.isEmpty, "no thirteenth month")
        XCTAssertTrue(SearchQuery.noMatchNote("date:abc").contains("date:abc is no date"), "a filter alone says it too")
        XCTAssertEqual(SearchQuery("topic:ch privacy").fieldNotes, [], "a prefix of categories")
        XCTAssertEqual(SearchQuery.noMatchNote("\"unclosed"), "no clause matches '\"unclosed'")
    }

    /// A negated `retailer:` or `date:` leaves those versions out: every other hit of the words stays.
    func testNegatedFiltersExclude() {
        let all = Self.index.search("privacy", limit: 100_000)
        for (query, keep) in [("privacy -retailer:james", { (h: SearchHit) in h.domain != "jamesallen.com" }),
                              ("privacy NOT date:2019", { (h: SearchHit) in !h.date.hasPrefix("2019") }),
                              ("privacy NOT (date:2019)", { (h: SearchHit) in !h.date.hasPrefix("2019") }),
                              ("privacy -(retailer:james OR retailer:world)", { (h: SearchHit) in h.domain != "jamesallen.com" && h.domain != "worldjewels.com" }),
                              ("-retailer:james privacy -date:2016", { (h: SearchHit) in h.domain != "jamesallen.com" && !h.date.hasPrefix("2016") })] {
            let hits = Self.index.search(query, limit: 100_000)
            XCTAssertFalse(hits.isEmpty, query)
            XCTAssertEqual(Set(hits.map { "\($0.doc)#\($0.clauseIndex)" }), Set(all.filter(keep).map { "\($0.doc)#\($0.clauseIndex)" }), query)
            XCTAssertEqual(hits.count, Self.index.history(query).reduce(0) { $0 + $1.versions.reduce(0) { $0 + $1.clauses } }, query)
        }
    }

    func testHistoryCountsPerVersion() throws {
        let history = Self.bundledIndex.history("cookie")
        let ja = try XCTUnwrap(history.first { $0.domain == "jamesallen.com" })
        XCTAssertEqual(ja.versions.map(\.date), ["2010-12-31", "2019-07-04"])
        XCTAssertGreaterThan(ja.versions[1].clauses, 0)
        XCTAssertEqual(ja.lastSeen, "2019-07-04")
        let gdpr = Self.bundledIndex.history("GDPR")
        XCTAssertEqual(gdpr.first { $0.domain == "jamesallen.com" }?.firstSeen, "2019-07-04")
        XCTAssertNil(gdpr.first { $0.domain == "worldjewels.com" }?.firstSeen)
        // Field filters narrow the versions listed as they narrow the counts: only James Allen, only 2019.
        let narrowed = Self.bundledIndex.history("cookie retailer:james date:2019")
        XCTAssertEqual(narrowed.map(\.domain), ["jamesallen.com"])
        let jaNarrowed = try XCTUnwrap(narrowed.first)
        XCTAssertEqual(jaNarrowed.versions.map(\.date), ["2019-07-04"])
        XCTAssertEqual(jaNarrowed.versions.map(\.clauses), [ja.versions[1].clauses])
        XCTAssertEqual(Self.bundledIndex.history("cookie -retailer:james").map(\.domain), ["diamondnexus.com", "worldjewels.com"])
    }

    func testHostileQueriesNeverFail() {
        var rng = ParserFuzzTests.SplitMix(state: 99)
        let pieces = ["\"", "*", "(", ")", "NEAR(", "AND", "OR", "NOT", "-", ":", "^", "{", "}", "+", "col:", "retailer:",
                      "date:", "section:", "\u{0}", "\u{1B}[31m", "'", ";", "--", "DROP TABLE clause;", "é", "漢字", "👍",
                      "cookie", "children", " ", "  ", "\\", "%", "_", "NEAR(a b, 3)", "a*b", "**", "\u{7F}"]
        var queries = [String(repeating: "a", count: 10_000), String(repeating: "(", count: 500), String(repeating: "\" ", count: 300),
                       "", " ", "*", "NEAR(", "AND AND", "OR", "NOT", "-", "()", ")(", "\"\"", "retailer:", "date:%", "section:\""]
        for _ in 0..<3000 {
            let n = Int.random(in: 1...8, using: &rng)
            queries.append((0..<n).map { _ in pieces.randomElement(using: &rng) ?? "" }.joined(separator: Bool.random(using: &rng) ? " " : ""))
        }
        for q in queries {
            let hits = Self.bundledIndex.search(q, limit: 5, prefixLast: Bool.random(using: &rng))
            for hit in hits {
                let count = hit.text.unicodeScalars.count
                XCTAssertTrue(hit.matches.allSatisfy { $0[0] >= 0 && $0[0] < $0[1] && $0[1] <= count }, q)
            }
            _ = Self.bundledIndex.history(q)
        }
        XCTAssertEqual(Self.bundledIndex.search("cookie\u{0}", limit: 3).count, 3, "control characters are dropped, not fatal")
    }

    func testClausesMatchingOnlyThroughTheirSectionTitleComeAfterTextMatches() throws {
        // "children": three clauses say it; two more sit under a "Children's Privacy" heading.
        let all = Self.index.search("children", limit: 500)
        let firstTitleOnly = try XCTUnwrap(all.firstIndex { $0.matches.isEmpty })
        XCTAssertGreaterThan(firstTitleOnly, 0)
        XCTAssertTrue(all[firstTitleOnly...].allSatisfy { $0.matches.isEmpty }, "\(all.map(\.matches))")
        XCTAssertTrue(all[firstTitleOnly...].allSatisfy { $0.sectionTitle.lowercased().contains("children") })
        // A limit that stops at the text matches returns them, whatever their BM25 against the titles'.
        let few = Self.index.search("children", limit: firstTitleOnly)
        XCTAssertEqual(few.map(\.text), all.prefix(firstTitleOnly).map(\.text))
        XCTAssertTrue(few.allSatisfy { !$0.matches.isEmpty })
        // Scores stay BM25 (lower is better), the demotion taken out.
        XCTAssertTrue(all.allSatisfy { $0.score < 0 && $0.score > -100 }, "\(all.map(\.score))")
    }

    func testSearchScoresAreBM25WhetherTheIDFIsDeferredOrNot() throws {
        // One-phrase queries rank without their IDF and multiply it in afterwards (the rows ranked
        // are the phrase's document frequency); with a retailer filter, or two phrases, it is
        // computed up front. Either way every hit's score is SQLite's bm25() of that clause.
        let weights = "\(SearchIndex.weights.retailer), \(SearchIndex.weights.section), \(SearchIndex.weights.text), 0.0"
        for text in ["cookie", "\"third parties\"", "third part*", "section:cookies", "children", "18",
                     "retailer:james cookie", "children -cookies", "sell OR rent"] {
            let hits = Self.index.search(text, limit: 100_000)
            let query = SearchQuery(text)
            let builtIn = try Self.index.scores(try XCTUnwrap(query.match), rank: "bm25(\(weights))")
            XCTAssertFalse(hits.isEmpty, text)
            let ours = hits.map(\.score).sorted()
            let theirs = builtIn.map(\.score).sorted()
            if query.retailers.isEmpty {
                XCTAssertEqual(ours.count, theirs.count, text)
                for (a, b) in zip(ours, theirs) { XCTAssertEqual(a, b, accuracy: 1e-9 * max(1, abs(b)), text) }
            } else {
                // Every filtered hit's score is one of the unfiltered bm25() scores.
                for a in ours { XCTAssertTrue(theirs.contains { abs($0 - a) <= 1e-9 * max(1, abs(a)) }, "\(text): \(a)") }
            }
        }
    }

    /// `redline_rank` (BM25 with clause lengths from memory) must rank exactly as SQLite's own
    /// `bm25()` with the same weights: same rows, same order, same scores.
    func testRankFunctionEqualsBuiltInBM25() throws {
        let weights = "\(SearchIndex.weights.retailer), \(SearchIndex.weights.section), \(SearchIndex.weights.text), 0.0"
        let queries = ["cookie", "\"third parties\"", "sell OR rent", "third* part*", "children NOT cookies", "james",
                       "retailer:james", "privacy security", "\"do not track\" OR email", "section:cookies browser"]
        var compared = 0
        for text in queries {
            guard let match = SearchQuery(text).match else { continue }
            let builtIn = try Self.index.scores(match, rank: "bm25(\(weights))")
            let ours = try Self.index.scores(match, rank: "redline_rank(\(weights))")
            XCTAssertFalse(builtIn.isEmpty, text)
            XCTAssertEqual(ours.map(\.id), builtIn.map(\.id), text)
            for (a, b) in zip(ours, builtIn) { XCTAssertEqual(a.score, b.score, accuracy: 1e-9 * max(1, abs(b.score)), text) }
            compared += builtIn.count
        }
        XCTAssertGreaterThan(compared, 500)
        // Without the lengths in memory it falls back to reading them, with the same result.
        let index = try SearchIndex(corpus: Fixtures.bundled)
        index.forgetLengths()
        let match = SearchQuery("cookie").match!
        XCTAssertEqual(try index.scores(match, rank: "redline_rank(\(weights))").map(\.id),
                       try index.scores(match, rank: "bm25(\(weights))").map(\.id))
    }

    /// SQLite took redline's process-wide settings (`SQLiteSetup`): no connection was opened before.
    func testSQLiteTakesTheProcessSettings() throws {
        XCTAssertGreaterThan(try Self.index.clauseCount(), 0)
        XCTAssertTrue(SQLiteSetup.applied)
    }

    /// The writer's FTS5 rows take tokens made ahead on other threads (`TokenReplay`): every column
    /// of every row is replayed, and the index holds exactly the postings of one whose writer tokenized
    /// each text itself, non-ASCII words (folded diacritics, other scripts, marks) included.
    func testTokensMadeAheadMakeTheSameIndex() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixtures.dataDir.path) where !name.hasPrefix(".") {
            try FileManager.default.copyItem(at: Fixtures.dataDir.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        try """
            > *The following text is extracted and transformed from the exemple.fr privacy policy that was archived on 2020-01-01.*

            # Politique de confidentialité

            ## Données collectées

            Nous collectons vos données (café, naïve, Zürich, ÉTÉ, the Kelvin sign \u{212A}, e\u{301}te\u{301}).

            - 個人情報の取り扱い: 利用目的 and Ελληνικά λέξεις; emoji 🍪 cookies; ﬁnancial ligature.
            - Tab\tseparated, hyphen-ated, 3.5% and $100, under_score and apostrophe's.
            """.write(to: dir.appendingPathComponent("exemple.fr__2020-01-01.md"), atomically: true, encoding: .utf8)
        let corpus = try CorpusLoader.load(directory: dir)
        XCTAssertEqual(corpus.documents.count, 6)
        let ahead = try SearchIndex(corpus: corpus, tokenizeAhead: true)
        let inline = try SearchIndex(corpus: corpus, tokenizeAhead: false)
        XCTAssertEqual(ahead.replayedTexts, 4 * corpus.documents.reduce(0) { $0 + $1.allClauses.count }, "every column of every row")
        XCTAssertEqual(inline.replayedTexts, 0)
        let postings = try ahead.postings()
        XCTAssertTrue(postings.contains { $0.hasPrefix("zurich exemple.fr") }, "diacritics folded")
        XCTAssertEqual(postings, try inline.postings())
        XCTAssertEqual(ahead.search("café").map(\.text), inline.search("café").map(\.text))
        // Clause lengths (BM25's document lengths) counted on replayed tokens and on tokenized ones alike.
        for query in ["cookie", "information", "zurich OR données", "james allen"] {
            XCTAssertEqual(ahead.search(query).map(\.score), inline.search(query).map(\.score), query)
        }
    }

    /// A large index ranks the two halves of its clause ids on two connections at once: the hits,
    /// their order, scores and highlights are those of one walk over every match, for every kind
    /// of query and for a limit smaller than either half's matches.
    func testRankingInTwoHalvesGivesTheHitsOfOneWalk() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let index = try SearchIndex.open(cacheAt: dir.appendingPathComponent("index.sqlite").path, corpus: Self.corpus)
        // Every kind of query, queries whose matches all lie in one half (a retailer late or early
        // in the list, a rare word), and a word of every 40th distinct word of the corpus.
        var words = Set<String>()
        for doc in Self.corpus.documents { for clause in doc.allClauses { words.formUnion(Tokenizer.foldedWords(clause.text)) } }
        let sample = words.sorted().enumerated().filter { $0.offset % 40 == 0 }.map(\.element)
        let queries = ["cookie", "cookies", "information", "children under", "\"third parties\"", "sell OR rent", "cook*",
                       "-cookie privacy", "retailer:james email", "date:2019 cookie", "topic:security", "privacy policy changes",
                       "\"unclosed", "zzzz", "section:cookies browser", "zales", "zales cookie", "angara", "angara cookie",
                       "retailer:zales privacy"] + sample
        XCTAssertGreaterThan(sample.count, 50)
        for query in queries {
            for limit in [1, 3, 50, 500] {
                index.splitAbove = .max
                let whole = index.search(query, limit: limit)
                let wholeWalks = index.lastWalks
                index.splitAbove = 0
                let halves = index.search(query, limit: limit)
                // Each phrase's rows are walked for its IDF once, by one half or the other.
                XCTAssertEqual(index.lastWalks, wholeWalks, "\(query) \(limit)")
                XCTAssertEqual(halves.map(\.doc), whole.map(\.doc), "\(query) \(limit)")
                XCTAssertEqual(halves.map(\.clauseIndex), whole.map(\.clauseIndex), "\(query) \(limit)")
                XCTAssertEqual(halves.map(\.matches), whole.map(\.matches), "\(query) \(limit)")
                for (a, b) in zip(halves, whole) { XCTAssertEqual(a.score, b.score, accuracy: 1e-9, "\(query) \(limit)") }
            }
        }
        XCTAssertGreaterThan(index.search("cookie", limit: 500).count, 50)
        _ = index.search("children under privacy", limit: 50)
        XCTAssertEqual(index.lastWalks, 3, "three phrases, each walked once")
        XCTAssertTrue(index.hasPartner, "the halves were ranked on a second connection")
        // The two halves finish in either order, again and again (each writes its own result).
        let expected = index.search("cookie", limit: 20).map(\.doc)
        for _ in 0..<100 { XCTAssertEqual(index.search("cookie", limit: 20).map(\.doc), expected) }
        // A query superseded before its upper half starts: that half never runs, and no hit comes.
        let ran = index.upperHalvesRun
        index.beforeUpperHalf = { index.interrupt() }
        XCTAssertEqual(index.search("cookie", limit: 20).count, 0)
        XCTAssertEqual(index.upperHalvesRun, ran, "the interrupted query's upper half did not run")
        index.beforeUpperHalf = nil
        XCTAssertEqual(index.search("cookie", limit: 20).map(\.doc), expected, "the next query runs whole")
    }

    /// A query superseded while it walks a phrase's rows for its IDF answers nothing: it is not
    /// taken for a malformed one and answered again with its words read literally. (One walk:
    /// a query in halves, whose other half may be anywhere when the interrupt comes, is not
    /// held to it here.)
    func testAQuerySupersededDuringAWalkAnswersNothing() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let index = try SearchIndex.open(cacheAt: dir.appendingPathComponent("index.sqlite").path, corpus: Self.corpus)
        defer { ClauseRanker.beforeWalk = nil }
        for split in [Int64.max] {
            index.splitAbove = split
            let expected = index.search("children under privacy")
            XCTAssertFalse(expected.isEmpty)
            let once = NSLock()
            var interrupted = false   // (under `once`: both halves may walk)
            ClauseRanker.beforeWalk = {
                guard once.withLock({ () -> Bool in defer { interrupted = true }; return !interrupted }) else { return }
                index.interrupt()
            }
            XCTAssertEqual(index.search("children under privacy").count, 0, "split above \(split)")
            XCTAssertTrue(once.withLock { interrupted })
            ClauseRanker.beforeWalk = nil
            XCTAssertEqual(index.search("children under privacy"), expected, "the next query runs")
        }
    }

    func testPersistentCacheIsIncrementalAndSelfHealing() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        for name in ["jamesallen.com__2010-12-31.md", "worldjewels.com__2016-11-24.txt"] {
            try FileManager.default.copyItem(at: Fixtures.dataDir.appendingPathComponent(name), to: data.appendingPathComponent(name))
        }
        let cache = SearchIndex.cachePath(for: data.path, environment: ["XDG_CACHE_HOME": dir.appendingPathComponent("cache").path])
        XCTAssertTrue(cache.hasPrefix(dir.appendingPathComponent("cache/redline/").path))
        var corpus = try CorpusLoader.load(directory: data)
        var index = try SearchIndex.open(cacheAt: cache, corpus: corpus)
        XCTAssertEqual(index.search("18 OR eighteen").count, 2)
        // Re-open: nothing changed, same answers.
        var reported = 0
        index = try SearchIndex.open(cacheAt: cache, corpus: corpus) { _, _ in reported += 1 }
        XCTAssertEqual(reported, 0, "an unchanged corpus re-indexes nothing")
        XCTAssertEqual(index.search("18 OR eighteen").count, 2)
        // One file changes, one is added: only they are re-read.
        try FileManager.default.removeItem(at: data.appendingPathComponent("worldjewels.com__2016-11-24.txt"))
        try FileManager.default.copyItem(at: Fixtures.dataDir.appendingPathComponent("jamesallen.com__2019-07-04.md"),
                                         to: data.appendingPathComponent("jamesallen.com__2019-07-04.md"))
        corpus = try CorpusLoader.load(directory: data)
        reported = 0
        index = try SearchIndex.open(cacheAt: cache, corpus: corpus) { _, _ in reported += 1 }
        XCTAssertEqual(reported, 1)
        XCTAssertEqual(Set(index.search("18", limit: 50).map(\.domain)), ["jamesallen.com"])
        XCTAssertEqual(try index.clauseCount(), corpus.documents.reduce(0) { $0 + $1.allClauses.count })
        // A file changed in place: its old clauses leave the FTS index, which ends as a fresh build's.
        let changed = data.appendingPathComponent("jamesallen.com__2010-12-31.md")
        let original = try String(contentsOf: changed, encoding: .utf8)
        try (original.replacingOccurrences(of: "eighteen", with: "nineteen") + "\n\nA zygomorphic closing clause.\n")
            .write(to: changed, atomically: true, encoding: .utf8)
        corpus = try CorpusLoader.load(directory: data)
        index = try SearchIndex.open(cacheAt: cache, corpus: corpus)
        XCTAssertTrue(index.search("eighteen").isEmpty)
        XCTAssertEqual(index.search("zygomorphic").map(\.domain), ["jamesallen.com"])
        let fresh = try SearchIndex(corpus: corpus)
        let updated = try index.postings()
        XCTAssertGreaterThan(updated.count, 1_000)
        XCTAssertEqual(updated, try fresh.postings())
        // BM25's clause lengths (kept per file) follow the update, and a re-open reads them back:
        // every clause's is in memory, and the scores are the fresh build's and SQLite's bm25().
        let weights = "\(SearchIndex.weights.retailer), \(SearchIndex.weights.section), \(SearchIndex.weights.text), 0.0"
        let match = SearchQuery("information OR cookie OR nineteen OR zygomorphic").match!
        for reopened in [false, true] {
            if reopened { index = try SearchIndex.open(cacheAt: cache, corpus: corpus) }
            XCTAssertEqual(index.clausesWithLengths, try index.clauseCount())
            let ours = try index.scores(match, rank: "redline_rank(\(weights))").map(\.score)
            let builtIn = try index.scores(match, rank: "bm25(\(weights))").map(\.score)
            let freshScores = try fresh.scores(match, rank: "redline_rank(\(weights))").map(\.score)
            XCTAssertGreaterThan(ours.count, 20)
            XCTAssertEqual(ours.count, builtIn.count)
            XCTAssertEqual(ours.count, freshScores.count)
            for (a, b) in Array(zip(ours, builtIn)) + Array(zip(ours.sorted(), freshScores.sorted())) {
                XCTAssertEqual(a, b, accuracy: 1e-9 * max(1, abs(b)))
            }
        }
        // A truncated cache file is rebuilt silently.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: cache))
        try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: cache))
        index = try SearchIndex.open(cacheAt: cache, corpus: corpus)
        XCTAssertEqual(try index.clauseCount(), corpus.documents.reduce(0) { $0 + $1.allClauses.count })
        // Garbage is rebuilt too; the data folder is never written.
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: cache))
        index = try SearchIndex.open(cacheAt: cache, corpus: corpus)
        XCTAssertFalse(index.search("cookies").isEmpty)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: data.path).sorted(),
                       ["jamesallen.com__2010-12-31.md", "jamesallen.com__2019-07-04.md"])
        // Another build (its parser may differ) re-indexes every file; the same build nothing.
        var last: (Int, Int)?
        index = try SearchIndex.open(cacheAt: cache, corpus: corpus, producer: "build B") { last = ($0, $1) }
        XCTAssertEqual(last?.0, 2)
        XCTAssertEqual(last?.1, 2)
        last = nil
        index = try SearchIndex.open(cacheAt: cache, corpus: corpus, producer: "build B") { last = ($0, $1) }
        XCTAssertNil(last)
        XCTAssertEqual(try index.clauseCount(), corpus.documents.reduce(0) { $0 + $1.allClauses.count })
    }
}
