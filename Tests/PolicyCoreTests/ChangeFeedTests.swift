import Foundation
import XCTest
@testable import PolicyCore

/// The change feed: facts compared by value, summaries of version pairs, filters, the cache seam, trends.
final class ChangeFeedTests: XCTestCase {
    static let feed = ChangeFeed.compute(Fixtures.bundled.retailers)

    /// A folder with jamesallen 2010 and a copy of it dated 2012-05-01 whose age limit says "sixteen".
    static func minimumAgeCorpus() throws -> URL {
        let dir = Fixtures.temporaryDirectory()
        let original = try String(contentsOf: Fixtures.dataDir.appendingPathComponent("jamesallen.com__2010-12-31.md"), encoding: .utf8)
        try original.write(to: dir.appendingPathComponent("jamesallen.com__2010-12-31.md"), atomically: true, encoding: .utf8)
        let copy = original.replacingOccurrences(of: "eighteen", with: "sixteen")
            .replacingOccurrences(of: "2010-12-31", with: "2012-05-01")
            .replacingOccurrences(of: "20101231132510", with: "20120501120000")
        XCTAssertNotEqual(copy, original)
        try copy.write(to: dir.appendingPathComponent("jamesallen.com__2012-05-01.md"), atomically: true, encoding: .utf8)
        return dir
    }

    static func fact(_ kind: PolicyFact.Kind, _ value: String) -> PolicyFact {
        PolicyFact(kind: kind, value: value, sectionPath: "1", sectionTitle: "", clauseIndex: 0, text: value)
    }

    // MARK: the bundled data

    func testBundledFeedHasOneChangePerVersionPairNewestFirst() {
        let feed = Self.feed
        XCTAssertEqual(feed.map(\.from), ["jamesallen.com@2010-12-31", "diamondnexus.com@2015-09-27"])
        XCTAssertEqual(feed.map(\.to), ["jamesallen.com@2019-07-04", "diamondnexus.com@2016-03-14"])
        XCTAssertEqual(feed.map(\.date), ["2019-07-04", "2016-03-14"])
        XCTAssertEqual(feed.map(\.retailer), ["jamesallen.com", "diamondnexus.com"])
    }

    func testTheFeedsSummariesAreThoseOfEachPairAlone() {
        for change in Self.feed {
            XCTAssertEqual(change, ChangeSummary(Fixtures.doc(change.from), Fixtures.doc(change.to)))
        }
    }

    func testJamesAllenAddsLawsAndPayPalAndDropsItsPhoneWithTheAgeUnchanged() throws {
        let change = try XCTUnwrap(Self.feed.first)
        let added = Set(change.facts.added.map { "\($0.kind.rawValue):\($0.value)" })
        XCTAssertTrue(added.isSuperset(of: ["law:GDPR", "law:EU-US Privacy Shield", "thirdParty:PayPal"]), "\(added)")
        XCTAssertTrue(change.facts.removed.contains(.init(kind: .phone, value: "1-877-826-9866")), "\(change.facts.removed)")
        // Both versions say 18: the minimum age is not in the facts at all.
        XCTAssertFalse(change.facts.touches(.minimumAge), "\(change.facts)")
        let comparison = Comparison(Fixtures.doc(change.from), Fixtures.doc(change.to))
        XCTAssertEqual(change.added, comparison.stats.addedWords)
        XCTAssertEqual(change.removed, comparison.stats.removedWords)
        XCTAssertEqual(change.sections.added.count, comparison.stats.sectionsAdded)
        XCTAssertEqual(change.sections.removed.count, comparison.stats.sectionsRemoved)
        XCTAssertEqual(change.sections.changed.count, comparison.stats.sectionsChanged)
        XCTAssertEqual(change.sections.moved.count, comparison.stats.sectionsMoved)
        XCTAssertTrue(change.sections.added.contains("9. google analytics"), "\(change.sections.added)")
    }

    func testDiamondNexusDropsItsPhoneEmailAndCollectionSection() throws {
        let change = try XCTUnwrap(Self.feed.last)
        XCTAssertTrue(change.facts.removed.contains(.init(kind: .phone, value: "1.800.509.4990")), "\(change.facts)")
        XCTAssertTrue(change.facts.removed.contains(.init(kind: .email, value: "customerservice@diamondnexus.com")), "\(change.facts)")
        XCTAssertTrue(change.sections.removed.contains("the information we collect"), "\(change.sections)")
        XCTAssertTrue(change.facts.changed.isEmpty)
    }

    func testWordsPerCategoryComeFromTheClausesThatChanged() throws {
        let change = try XCTUnwrap(Self.feed.last)
        // Every counted word is a changed word of a clause with that category: no category exceeds the totals.
        for k in change.categories {
            XCTAssertLessThanOrEqual(k.added, change.added, k.category.rawValue)
            XCTAssertLessThanOrEqual(k.removed, change.removed, k.category.rawValue)
            XCTAssertGreaterThan(k.added + k.removed, 0)
        }
        // The removed collection section was about collection.
        XCTAssertTrue(change.touches(.firstParty), "\(change.categories)")
        XCTAssertEqual(change.categories.map(\.category), change.categories.map(\.category).sorted())
    }

    func testCategoryCountsOfAnAddedClause() throws {
        let dir = Fixtures.temporaryDirectory()
        let head = "> *The following text is extracted and transformed from the shop.com privacy policy that was archived on DATE.*\n\n# Privacy\n\n"
        let security = "We use SSL encryption and firewalls to protect and secure your personal information against unauthorized access."
        try (head.replacingOccurrences(of: "DATE", with: "2015-01-01") + "## Contact\n\nWrite to us with any questions.\n")
            .write(to: dir.appendingPathComponent("shop.com__2015-01-01.md"), atomically: true, encoding: .utf8)
        try (head.replacingOccurrences(of: "DATE", with: "2016-01-01") + "## Contact\n\nWrite to us with any questions.\n\n## Security\n\n" + security + "\n")
            .write(to: dir.appendingPathComponent("shop.com__2016-01-01.md"), atomically: true, encoding: .utf8)
        let corpus = try CorpusLoader.load(directory: dir)
        let change = try XCTUnwrap(ChangeFeed.compute(corpus.retailers).first)
        let words = Tokenizer.words(security).count
        let k = try XCTUnwrap(change.categories.first { $0.category == .security }, "\(change.categories)")
        XCTAssertEqual(k.added, words)
        XCTAssertEqual(k.removed, 0)
        XCTAssertEqual(change.sections.added, ["Security"])
        XCTAssertEqual(change.added, words, "a top-level section's title is not among the words compared")
    }

    // MARK: facts compared

    func testOnlyTheMinimumAgeChangedIsOneFactChange() throws {
        let corpus = try CorpusLoader.load(directory: Self.minimumAgeCorpus())
        let feed = ChangeFeed.compute(corpus.retailers)
        XCTAssertEqual(feed.count, 1)
        let facts = try XCTUnwrap(feed.first?.facts)
        XCTAssertEqual(facts, FactDiff(changed: [.init(kind: .minimumAge, from: "18", to: "16")]))
        let json = String(decoding: try JSONEncoder().encode(facts.changed[0]), as: UTF8.self)
        XCTAssertTrue(json.contains("\"from\":18") && json.contains("\"to\":16") && json.contains("\"kind\":\"minimumAge\""), json)
    }

    func testFactsCompareByNormalisedValue() {
        let old = [Self.fact(.phone, "1-877-826-9866"), Self.fact(.email, "Service@Shop.com"), Self.fact(.optOut, "http://www.shop.com/optout/"),
                   Self.fact(.address, "1 Main St., Springfield, IL 62701"), Self.fact(.law, "GDPR")]
        let new = [Self.fact(.phone, "(877) 826-9866"), Self.fact(.email, "service@shop.com"), Self.fact(.optOut, "https://shop.com/optout"),
                   Self.fact(.address, "1 Main St Springfield IL 62701"), Self.fact(.law, "gdpr")]
        XCTAssertTrue(FactDiff(old: old, new: new).isEmpty, "\(FactDiff(old: old, new: new))")
        XCTAssertEqual(FactDiff.key(.phone, "+1 800 555 1212"), FactDiff.key(.phone, "1.800.555.1212"))
        XCTAssertNotEqual(FactDiff.key(.phone, "1-800-555-1212"), FactDiff.key(.phone, "1-800-555-1213"))
    }

    func testSingleValuedKindsChangeOthersAreAddedAndRemoved() {
        let old = [Self.fact(.lastUpdated, "2015-01-01"), Self.fact(.phone, "800-555-1212"), Self.fact(.minimumAge, "13")]
        let new = [Self.fact(.lastUpdated, "2016-02-02"), Self.fact(.phone, "800-555-9999"), Self.fact(.minimumAge, "13")]
        let diff = FactDiff(old: old, new: new)
        XCTAssertEqual(diff.changed, [.init(kind: .lastUpdated, from: "2015-01-01", to: "2016-02-02")])
        XCTAssertEqual(diff.added, [.init(kind: .phone, value: "800-555-9999")])
        XCTAssertEqual(diff.removed, [.init(kind: .phone, value: "800-555-1212")])
        // A second age stated beside the first is an addition, not a change.
        let two = FactDiff(old: [Self.fact(.minimumAge, "13")], new: [Self.fact(.minimumAge, "13"), Self.fact(.minimumAge, "16")])
        XCTAssertEqual(two.added, [.init(kind: .minimumAge, value: "16")])
        XCTAssertTrue(two.changed.isEmpty)
        // An age that appears where none was stated is added.
        XCTAssertEqual(FactDiff(old: [], new: [Self.fact(.minimumAge, "18")]).added, [.init(kind: .minimumAge, value: "18")])
    }

    // MARK: keeping summaries

    func testSummariesEncodeDeterministicallyAndRoundTrip() throws {
        for change in Self.feed {
            let data = try change.encoded()
            XCTAssertEqual(data, try change.encoded())
            XCTAssertEqual(try ChangeSummary.decoded(from: data), change)
        }
        let again = ChangeFeed.compute(Fixtures.bundled.retailers)
        XCTAssertEqual(try again.map { try $0.encoded() }, try Self.feed.map { try $0.encoded() })
    }

    func testCachedSummariesAreUsedAndOnlyComputedOnesAreStored() {
        let stored = SummaryBox()
        let first = ChangeFeed.compute(Fixtures.bundled.retailers, cached: { _ in nil }, store: { stored.items.append($0) })
        XCTAssertEqual(stored.items.count, 2)
        var asked: [String] = []
        var storedAgain = 0
        // A kept summary is returned as kept, even when it would not be computed so (the marker proves it).
        let second = ChangeFeed.compute(Fixtures.bundled.retailers, cached: { pair in
            asked.append(pair.old.id + ">" + pair.new.id)
            guard var kept = stored.items.first(where: { $0.from == pair.old.id && $0.to == pair.new.id }) else { return nil }
            kept.added += 1_000_000
            return kept
        }, store: { _ in storedAgain += 1 })
        XCTAssertEqual(Set(asked), ["jamesallen.com@2010-12-31>jamesallen.com@2019-07-04", "diamondnexus.com@2015-09-27>diamondnexus.com@2016-03-14"])
        XCTAssertEqual(storedAgain, 0)
        XCTAssertEqual(second.map(\.added), first.map { $0.added + 1_000_000 })
    }

    final class SummaryBox { var items: [ChangeSummary] = [] }

    // MARK: filters

    func testFilterByDateRetailerCategoryAndFact() {
        let feed = Self.feed
        XCTAssertEqual(ChangeFilter(since: "2017").apply(feed).map(\.retailer), ["jamesallen.com"])
        XCTAssertEqual(ChangeFilter(until: "2016").apply(feed).map(\.retailer), ["diamondnexus.com"])
        XCTAssertEqual(ChangeFilter(since: "2016-03-14", until: "2016-03-14").apply(feed).map(\.retailer), ["diamondnexus.com"])
        XCTAssertEqual(ChangeFilter(until: "2016-03-13").apply(feed).count, 0)
        XCTAssertEqual(ChangeFilter(retailers: ["diamondnexus.com"]).apply(feed).count, 1)
        XCTAssertEqual(ChangeFilter(fact: .law).apply(feed).map(\.retailer), ["jamesallen.com"])
        XCTAssertEqual(ChangeFilter(fact: .phone).apply(feed).count, 2)
        XCTAssertEqual(ChangeFilter(fact: .minimumAge).apply(feed).count, 0)
        XCTAssertEqual(ChangeFilter(category: .dnt).apply(feed).map(\.retailer), ["jamesallen.com"])
    }

    /// Only the pairs the dates keep are compared, and they give the changes the whole feed filtered
    /// gives: a version before the window stays as the older side of its first pair.
    func testTheDatesWindowIsAllThatIsCompared() {
        let retailers = Fixtures.bundled.retailers
        for filter in [ChangeFilter(since: "2017"), ChangeFilter(until: "2016"), ChangeFilter(since: "2016-03-14", until: "2016-03-14"),
                       ChangeFilter(since: "2030"), ChangeFilter(until: "2000"), ChangeFilter(since: "2016", until: "2019-07")] {
            let windowed = filter.window(retailers)
            XCTAssertEqual(ChangeFeed.compute(windowed).map(\.to), filter.apply(Self.feed).map(\.to), "\(filter)")
            XCTAssertEqual(ChangeFeed.pairs(windowed).count, filter.apply(Self.feed).count, "no pair compared for nothing: \(filter)")
        }
        let james = ChangeFilter(since: "2017").window(retailers).first { $0.domain == "jamesallen.com" }
        XCTAssertEqual(james?.versions.map(\.archiveDate), ["2010-12-31", "2019-07-04"], "the version before the window is kept")
        XCTAssertEqual(ChangeFilter().window(retailers), retailers)
    }

    // MARK: trends

    func testGDPRTrendIsOneOfThreeIn2019AndNoneBefore() throws {
        let points = Trend.term("GDPR", in: Fixtures.bundled.retailers)
        XCTAssertEqual(points.map(\.year), Array(2010...2019))
        let last = try XCTUnwrap(points.last)
        XCTAssertEqual(last.matching, 1)
        XCTAssertEqual(last.retailers, 3)
        XCTAssertEqual(last.share, 1.0 / 3.0, accuracy: 1e-9)
        XCTAssertTrue(points.dropLast().allSatisfy { $0.matching == 0 })
        // Retailers count from their first version: James Allen from 2010, Diamond Nexus from 2015, WorldJewels from 2016.
        XCTAssertEqual(points.map(\.retailers), [1, 1, 1, 1, 1, 2, 3, 3, 3, 3])
    }

    func testTermsMatchWordsInOrderWithoutCaseAndPrefixesWithAStar() {
        XCTAssertTrue(TermMatcher("privacy shield").matches("the EU-US Privacy  Shield framework"))
        XCTAssertFalse(TermMatcher("shield privacy").matches("the EU-US Privacy Shield framework"))
        XCTAssertFalse(TermMatcher("gdp").matches("the GDPR applies"))
        XCTAssertTrue(TermMatcher("gdp*").matches("the GDPR applies"))
        // The policy in force counts: James Allen's 2010 text mentions "eighteen", its 2019 text does not.
        let points = Trend.term("eighteen", in: Fixtures.bundled.retailers)
        XCTAssertEqual(points.first?.matching, 1)
        XCTAssertEqual(points.last?.matching, TermMatcher("eighteen").matches(Fixtures.doc("jamesallen.com@2019-07-04")) ? 1 : 0)
    }

    func testTheByteCheckNeverRejectsWhatTheWordsMatch() {
        // A scalar that lower-cases to an ASCII letter, curly quotes, other letters and digits.
        XCTAssertTrue(TermMatcher("kids").matches("\u{212A}ids under 13"))
        XCTAssertTrue(TermMatcher("users data").matches("the user\u{2019}s \u{201C}USERS DATA\u{201D}"))
        XCTAssertTrue(TermMatcher("18").matches("Kinder unter 18 Jahren \u{2014} n\u{E4}mlich"))
        XCTAssertTrue(TermMatcher("données").matches("les DONNÉES personnelles"))
        XCTAssertFalse(TermMatcher("cookies").matches("we use cookie\u{2019}s and c00kies"))
        // Against the words themselves, over every clause and title of the bundled policies.
        let terms = ["cookies", "third parties", "Privacy Shield", "under 13", "opt*", "GDPR", "e mail", "k", "zz"]
        for doc in Fixtures.bundled.documents {
            let texts = doc.allSections.flatMap { [$0.title] + $0.clauses.map(\.text) }
            for term in terms {
                let matcher = TermMatcher(term)
                for text in texts {
                    let words = Tokenizer.foldedWords(text), wanted = Tokenizer.foldedWords(term)
                    let expected = words.count >= wanted.count && (0...(words.count - wanted.count)).contains { start in
                        wanted.indices.allSatisfy { k in
                            words[start + k] == wanted[k] || (k == wanted.count - 1 && term.hasSuffix("*") && words[start + k].hasPrefix(wanted[k]))
                        }
                    }
                    XCTAssertEqual(matcher.matches(text), expected, "\(term) in \(text.prefix(60))")
                }
            }
        }
    }

    func testCategoryTrendIsTheMeanShareOfThePoliciesInForceAsTheIndexCountsIt() throws {
        // The index's counts, against the words of each clause of the category counted here.
        let words = try SearchTests.bundledIndex.categoryWords()
        XCTAssertEqual(Set(words.keys), Set(Fixtures.bundled.documents.map(\.id)))
        func share(_ doc: PolicyDocument) -> Double {
            let clauses = doc.allClauses
            var total = 0, inCategory = 0
            for (i, t) in CategoryClassifier.shared.classify(doc).enumerated() {
                let n = Tokenizer.words(clauses[i].text).count
                total += n
                if t.categories.contains(.thirdParty) { inCategory += n }
            }
            return Double(inCategory) / Double(total)
        }
        for doc in Fixtures.bundled.documents {
            XCTAssertEqual(try XCTUnwrap(words[doc.id]).share(of: .thirdParty), share(doc), accuracy: 1e-12, doc.id)
        }
        let points = Trend.category(.thirdParty, in: Fixtures.bundled.retailers, words: words)
        let latest = Fixtures.bundled.retailers.compactMap(\.latest)
        let mean = latest.map(share).reduce(0, +) / Double(latest.count)
        XCTAssertEqual(try XCTUnwrap(points.last).share, mean, accuracy: 1e-9)
        XCTAssertGreaterThan(mean, 0)
        XCTAssertLessThan(mean, 1)
        // In 2015 James Allen's 2010 policy and Diamond Nexus's 2015 one are in force.
        let in2015 = try XCTUnwrap(points.first { $0.year == 2015 })
        XCTAssertEqual(in2015.share, (share(Fixtures.doc("jamesallen.com@2010-12-31")) + share(Fixtures.doc("diamondnexus.com@2015-09-27"))) / 2, accuracy: 1e-9)
    }

    /// Versions out of date order (a catalog sorts dates as text: "+2014-…" and "-2014-…"): the
    /// policy in force is still the last version in the retailer's order dated that year or earlier.
    func testThePolicyInForceIsTheLastInTheRetailersOrder() {
        func doc(_ date: String) -> PolicyDocument {
            PolicyDocument(domain: "a.com", title: "", format: .markdown, snapshotURL: nil, archiveDate: date, lastUpdated: nil,
                           caseFolded: false, sections: [], sourcePath: date)
        }
        let r = Retailer(domain: "a.com", name: "A", versions: [doc("2014-01-01"), doc("2012-01-01"), doc("2013-06-01")])
        let values = ["a.com@2014-01-01": 1.0, "a.com@2012-01-01": 0.5, "a.com@2013-06-01": 0.25]
        let points = Trend.byYear([r], values: values)
        XCTAssertEqual(points.map(\.year), [2012, 2013, 2014])
        XCTAssertEqual(points.map(\.sum), [0.5, 0.25, 0.25])   // 2014's own comes before the 2013 version
    }

    func testAVersionTheIndexLacksIsClassifiedHere() throws {
        let words = try SearchTests.bundledIndex.categoryWords()
        let all = Trend.category(.thirdParty, in: Fixtures.bundled.retailers, words: words)
        var some = words
        some["jamesallen.com@2019-07-04"] = nil
        XCTAssertEqual(Trend.category(.thirdParty, in: Fixtures.bundled.retailers, words: some), all)
        XCTAssertEqual(Trend.category(.thirdParty, in: Fixtures.bundled.retailers, words: [:]), all)
    }

    func testCategoryWordsReadOnlyWhatTheyWrite() {
        var w = CategoryWords()
        w.total = 12
        w.byCategory[2] = 5
        XCTAssertEqual(CategoryWords(encoded: w.encoded), w)
        XCTAssertNil(CategoryWords(encoded: ""))
        XCTAssertNil(CategoryWords(encoded: "12 0 5 0 0 0 0 0 0 0 x"))
        XCTAssertNil(CategoryWords(encoded: "12 0 5 0 0 0 0 0 0 0 0 x"))
        XCTAssertNil(CategoryWords(encoded: "12  0 5 0 0 0 0 0 0 0 0"))
        XCTAssertNil(CategoryWords(encoded: "12 0 5 0 0 0 0 0 0 0"))
        XCTAssertNil(CategoryWords(encoded: "12 0 5 0 0 0 0 0 0 0 0 0"))
    }

    func testAStarAloneIsNoPrefix() {
        XCTAssertTrue(TermMatcher("cook*").matches("we use cookies"))
        XCTAssertFalse(TermMatcher("cook *").matches("we use cookies"))
        XCTAssertTrue(TermMatcher("cookie *").matches("a cookie here"))
        XCTAssertFalse(TermMatcher("cookie *").matches("cookies"))
    }

    func testOnlyEachYearsLastVersionIsInForce() {
        func doc(_ date: String) -> PolicyDocument {
            PolicyDocument(domain: "a.com", title: "", format: .markdown, snapshotURL: nil, archiveDate: date, lastUpdated: nil,
                           caseFolded: false, sections: [], sourcePath: date)
        }
        let r = Retailer(domain: "a.com", name: "A", versions: [doc("2010-01-01"), doc("2010-06-01"), doc("2012-01-01"), doc("2013-01-01"), doc("2013-02-01")])
        XCTAssertEqual(Trend.inForce([r]).map(\.archiveDate), ["2010-06-01", "2012-01-01", "2013-02-01"])
    }
}
