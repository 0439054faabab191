import XCTest
@testable import PolicyCore

/// "Did you mean": the versions nearest to a DOC that named none.
final class DocSuggestionTests: XCTestCase {
    let ids = ["diamondnexus.com@2015-09-27", "diamondnexus.com@2016-03-14", "jamesallen.com@2010-12-31",
               "jamesallen.com@2019-07-04", "worldjewels.com@2016-11-24"]

    func near(_ spec: String) -> [String] { DocSuggestion.nearest(to: spec, among: ids) }

    func testATypoOfADomainSuggestsThatRetailer() {
        XCTAssertEqual(near("jamesalen.com"), ["jamesallen.com"])
        XCTAssertEqual(near("jmaesallen"), ["jamesallen.com"], "two letters swapped count once")
        XCTAssertEqual(near("jamesallen.con"), ["jamesallen.com"])
        XCTAssertEqual(near("JamesAlen"), ["jamesallen.com"], "letter case never counts")
        XCTAssertEqual(near("jmaes"), ["jamesallen.com"], "a prefix with one typo")
        XCTAssertEqual(near("wrldjewels"), ["worldjewels.com"])
    }

    func testANameInsideADomainSuggestsThatRetailer() {
        let ids = ["shop00000-etsy.com@2010-01-01", "shop00001-angara.com@2011-02-02", "www.nike.com@2012-03-03"]
        XCTAssertEqual(DocSuggestion.nearest(to: "etsy", among: ids), ["shop00000-etsy.com"])
        XCTAssertEqual(DocSuggestion.nearest(to: "nike@2012", among: ids), ["www.nike.com@2012-03-03"])
        XCTAssertEqual(DocSuggestion.nearest(to: "com", among: ids), [], "a domain's ending names no retailer")
    }

    func testADateSuggestsTheNearestVersionsBeforeAndAfter() {
        XCTAssertEqual(near("jamesalen.com@2019-07-05"), ["jamesallen.com@2019-07-04"], "one off: the typo's own date")
        XCTAssertEqual(near("jamesallen.com@2019-07-05"), ["jamesallen.com@2019-07-04"], "the nearest before; none after")
        XCTAssertEqual(near("james@2018"), ["jamesallen.com@2019-07-04", "jamesallen.com@2010-12-31"],
                       "2018 ends half a year before 2019-07-04")
        XCTAssertEqual(near("james@2011"), ["jamesallen.com@2010-12-31", "jamesallen.com@2019-07-04"])
        XCTAssertEqual(near("james@2030"), ["jamesallen.com@2019-07-04"], "nothing after")
        XCTAssertEqual(near("dimondnexus@2016-03"), ["diamondnexus.com@2016-03-14"])
        XCTAssertEqual(near("james@someday"), ["jamesallen.com@2019-07-04"], "not a date: the latest")
    }

    func testNothingNearSuggestsNothing() {
        XCTAssertEqual(near("zales"), [], "two edits in five letters is another word")
        XCTAssertEqual(near("x"), [])
        XCTAssertEqual(near(""), [])
        XCTAssertEqual(near("@2019"), [])
        XCTAssertEqual(DocSuggestion.nearest(to: "a", among: []), [])
    }

    func testOneRetailersVersionsAreRankedByDateWhateverTheName() {
        // The resolver passes only the versions of the retailer it found by display name.
        let versions = ["jamesallen.com@2010-12-31", "jamesallen.com@2019-07-04"]
        XCTAssertEqual(DocSuggestion.nearest(to: "James Allen@2019-08", among: versions), ["jamesallen.com@2019-07-04"])
        XCTAssertEqual(DocSuggestion.nearest(to: "James Allen@2012", among: versions), ["jamesallen.com@2010-12-31", "jamesallen.com@2019-07-04"])
    }

    func testEquallyNearRetailersAreSuggestedUpToFive() {
        var many = (0..<10_000).map { "shop\($0).com@2019-01-01" }
        many += ["kendrascott.com@2018-05-01", "kendrascot.com@2018-05-01"]
        XCTAssertEqual(DocSuggestion.nearest(to: "kendrascott.co", among: many), ["kendrascott.com"])
        XCTAssertEqual(DocSuggestion.nearest(to: "kendrascottt", among: many), ["kendrascott.com"])
        XCTAssertEqual(DocSuggestion.nearest(to: "shop12345.com", among: many),
                       ["shop1234.com", "shop1235.com", "shop1245.com", "shop1345.com", "shop2345.com"],
                       "every one a digit away, in the corpus's order")
        XCTAssertEqual(DocSuggestion.nearest(to: "shop1x.com", among: many).count, 5, "eleven a letter away: five shown")
    }

    func testDateSpans() {
        XCTAssertEqual(DocSuggestion.span("2019").map { $0.count }, 365)
        XCTAssertEqual(DocSuggestion.span("2020-02").map { $0.count }, 29)
        XCTAssertEqual(DocSuggestion.span("2019-12").map { $0.count }, 31)
        XCTAssertEqual(DocSuggestion.span("2019-07-04").map { $0.count }, 1)
        XCTAssertEqual(DocSuggestion.dayNumber("1970-01-01"), 0)
        XCTAssertEqual(DocSuggestion.dayNumber("2000-03-01"), 11_017)
        XCTAssertNil(DocSuggestion.span("2019-13"))
        XCTAssertNil(DocSuggestion.span("july"))
    }

    func testTheResolverSaysDidYouMean() {
        XCTAssertThrowsError(try Fixtures.bundled.resolve("jamesalen.com")) { error in
            XCTAssertEqual(error as? DocumentLookupError, .unknownNear("jamesalen.com", suggestions: ["jamesallen.com"]))
            XCTAssertEqual("\(error)", "no policy matches \"jamesalen.com\"; did you mean jamesallen.com?")
        }
        XCTAssertThrowsError(try Fixtures.bundled.resolve("james@2018")) { error in
            XCTAssertEqual("\(error)", "no policy matches \"james@2018\"; did you mean jamesallen.com@2019-07-04 or jamesallen.com@2010-12-31?")
        }
    }
}
