import XCTest
@testable import PolicyCore

/// DOC arguments: exact ids, prefixes of domains and names, date prefixes, clear errors.
final class ResolverTests: XCTestCase {
    let corpus = Fixtures.bundled

    func id(_ spec: String) throws -> String { try corpus.resolve(spec).id }

    func testExactAndPrefixForms() throws {
        XCTAssertEqual(try id("jamesallen.com@2019-07-04"), "jamesallen.com@2019-07-04")
        XCTAssertEqual(try id("james@2019"), "jamesallen.com@2019-07-04")
        XCTAssertEqual(try id("James@2010-12"), "jamesallen.com@2010-12-31")
        XCTAssertEqual(try id("jamesallen"), "jamesallen.com@2019-07-04")
        XCTAssertEqual(try id("Diamond Nexus@2015"), "diamondnexus.com@2015-09-27")
        XCTAssertEqual(try id("diamond n"), "diamondnexus.com@2016-03-14")
        XCTAssertEqual(try id("WORLD"), "worldjewels.com@2016-11-24")
        XCTAssertEqual(try id("worldjewels.com"), "worldjewels.com@2016-11-24")
    }

    func testUnknownListsCandidates() {
        XCTAssertThrowsError(try corpus.resolve("zales")) { error in
            guard case DocumentLookupError.unknown(_, let candidates) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(candidates.count, 5)
            XCTAssertTrue(String(describing: error).contains("jamesallen.com@2010-12-31"))
        }
        XCTAssertThrowsError(try corpus.resolve("james@2015")) { error in
            XCTAssertEqual(error as? DocumentLookupError,
                           .unknownNear("james@2015", suggestions: ["jamesallen.com@2019-07-04", "jamesallen.com@2010-12-31"]))
        }
        XCTAssertThrowsError(try corpus.resolve(""))
        XCTAssertThrowsError(try corpus.resolve("@2019"))
    }

    func testAmbiguousListsCandidates() {
        let two = Corpus(retailers: corpus.retailers + [Retailer(domain: "jamesavery.com", name: "James Avery", versions: [])])
        XCTAssertThrowsError(try two.resolve("james")) { error in
            XCTAssertEqual(error as? DocumentLookupError, .ambiguous("james", candidates: ["jamesallen.com", "jamesavery.com"]))
        }
        XCTAssertThrowsError(try corpus.resolve("james@20")) { error in
            XCTAssertEqual(error as? DocumentLookupError,
                           .ambiguous("james@20", candidates: ["jamesallen.com@2010-12-31", "jamesallen.com@2019-07-04"]))
        }
    }

    func testALongCandidateListIsCut() {
        let many = (0..<500).map { "shop\($0).com@2019-01-01" }
        let message = DocumentLookupError.unknown("nope", candidates: many).description
        XCTAssertTrue(message.contains("shop0.com@2019-01-01"), message)
        XCTAssertTrue(message.contains("… and 488 more"), message)
        XCTAssertLessThan(message.count, 1_000)
        XCTAssertFalse(DocumentLookupError.ambiguous("a", candidates: ["a.com", "ab.com"]).description.contains("more"))
    }

    func testADateThatIsNoDateIsSaid() {
        XCTAssertThrowsError(try Fixtures.bundled.resolve("james@abc")) { error in
            XCTAssertEqual(error as? DocumentLookupError,
                           .notADate("james@abc", date: "abc", candidates: ["jamesallen.com@2010-12-31", "jamesallen.com@2019-07-04"]))
            XCTAssertEqual("\(error)", "\"abc\" in \"james@abc\" is no date (YYYY, YYYY-MM or YYYY-MM-DD, or the start of one); "
                           + "its versions: jamesallen.com@2010-12-31, jamesallen.com@2019-07-04")
        }
        // A date's start still resolves.
        XCTAssertEqual(try? Fixtures.bundled.resolve("james@2019-0").id, "jamesallen.com@2019-07-04")
    }
}
