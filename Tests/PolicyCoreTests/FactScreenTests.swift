import Foundation
import XCTest
@testable import PolicyCore

/// The fact extractor runs a pattern only on text that could match it (an @ for an e-mail, ten digits
/// for a phone number, a spelling for a named service or law): every match of every pattern, on
/// every clause of the bundled and sample policies and on awkward spellings, passes the screen.
final class FactScreenTests: XCTestCase {
    static let awkward = [
        "Pay with PAYPAL, Double Click, GOOGLE ANALYTICS, the U.S. Postal Service or Federal Express.",
        "Under the GENERAL DATA PROTECTION REGULATION and the Children’s Online Privacy Protection Act (COPPA).",
        "See California Civil Code Section 1798.83 and Business & Professions Code § 22581.",
        "Call +1 (800) 555-1212 or write to 1 Main St., Suite 5, Springfield, IL 62701, or Info@Shop.COM.",
        "We use UPS and Visa; ups and visa in lower case are words. The Swiss - US Privacy Shield applies.",
        "Users UNDER THE AGE OF 13, or under sixteen years, or 18 years of age or older, or at least 21 years.",
        "Children under Ten, under twenty-one years, under TWELVE; opt out at WWW.Example.com or HTTPS://x.org.",
    ]

    func texts() throws -> [String] {
        let sample = try CorpusLoader.load(directory: Fixtures.sampleDir)
        return (Fixtures.bundled.documents + sample.documents).flatMap { doc in
            doc.allSections.flatMap { $0.clauses.map(\.text) }
        } + Self.awkward
    }

    func testEveryMatchPassesTheScreen() throws {
        var matched = 0
        for text in try texts() {
            let all = NSRange(location: 0, length: (text as NSString).length)
            let lower = Array(text.lowercased().utf8), bytes = Array(text.utf8)
            let digits = bytes.filter { $0 >= 0x30 && $0 <= 0x39 }.count
            if FactExtractor.Patterns.email?.firstMatch(in: text, range: all) != nil {
                matched += 1
                XCTAssertTrue(bytes.contains(UInt8(ascii: "@")), text)
            }
            if FactExtractor.Patterns.phone?.firstMatch(in: text, range: all) != nil {
                matched += 1
                XCTAssertGreaterThanOrEqual(digits, 6, text)   // 800-311-JEWEL
            }
            if FactExtractor.Patterns.address?.firstMatch(in: text, range: all) != nil {
                matched += 1
                XCTAssertGreaterThanOrEqual(digits, 5, text)
            }
            for (n, matcher) in Gazetteer.serviceMatchers.enumerated() where matcher.regex.firstMatch(in: text, range: all) != nil {
                matched += 1
                XCTAssertTrue(Gazetteer.serviceNeedles[n].contains { Gazetteer.occurs($0, in: matcher.strictCase ? bytes : lower) },
                              "\(matcher.name) in \(text)")
            }
            for (n, matcher) in Gazetteer.lawMatchers.enumerated() where matcher.regex.firstMatch(in: text, range: all) != nil {
                matched += 1
                XCTAssertTrue(Gazetteer.lawNeedles[n].contains { Gazetteer.occurs($0, in: lower) }, "\(matcher.name) in \(text)")
            }
            if FactExtractor.Patterns.age?.firstMatch(in: text, range: all) != nil {
                matched += 1
                XCTAssertTrue(["under", "below", "younger", "years", "age"].contains { Gazetteer.occurs(Array($0.utf8), in: lower) }, text)
                XCTAssertTrue(FactExtractor.statesANumber(lower), text)
            }
            if FactExtractor.Patterns.url?.firstMatch(in: text, range: all) != nil {
                matched += 1
                XCTAssertTrue(Gazetteer.occurs(Array("http".utf8), in: lower) || Gazetteer.occurs(Array("www.".utf8), in: lower), text)
            }
            if Gazetteer.codeSection?.firstMatch(in: text, range: all) != nil {
                matched += 1
                XCTAssertTrue(Gazetteer.occurs(Array("code".utf8), in: lower), text)
            }
        }
        XCTAssertGreaterThan(matched, 50, "the texts exercise the patterns")
    }

    func testNeedleSetsFindWhatASearchPerNeedleFinds() throws {
        for text in try texts() {
            let lower = Array(text.lowercased().utf8), bytes = Array(text.utf8)
            let lowerFound = Gazetteer.lowerServiceNeedles.present(in: lower), strictFound = Gazetteer.strictServiceNeedles.present(in: bytes)
            for (n, matcher) in Gazetteer.serviceMatchers.enumerated() {
                let expected = Gazetteer.serviceNeedles[n].contains { Gazetteer.occurs($0, in: matcher.strictCase ? bytes : lower) }
                XCTAssertEqual(matcher.strictCase ? strictFound[n] : lowerFound[n], expected, "\(matcher.name) in \(text)")
            }
            let laws = Gazetteer.lawNeedleSet.present(in: lower)
            for n in Gazetteer.lawMatchers.indices {
                XCTAssertEqual(laws[n], Gazetteer.lawNeedles[n].contains { Gazetteer.occurs($0, in: lower) }, text)
            }
        }
    }

    func testNumbersForTheAgePattern() {
        XCTAssertTrue(FactExtractor.statesANumber(Array("under ten years".utf8)))
        XCTAssertTrue(FactExtractor.statesANumber(Array("ten".utf8)))
        XCTAssertTrue(FactExtractor.statesANumber(Array("age 13".utf8)))
        XCTAssertTrue(FactExtractor.statesANumber(Array("under eighteen".utf8)))
        XCTAssertFalse(FactExtractor.statesANumber(Array("we often update the content".utf8)))
    }

    func testByteSearch() {
        XCTAssertTrue(Gazetteer.occurs(Array("pal".utf8), in: Array("paypal".utf8)))
        XCTAssertTrue(Gazetteer.occurs(Array("paypal".utf8), in: Array("paypal".utf8)))
        XCTAssertFalse(Gazetteer.occurs(Array("paypals".utf8), in: Array("paypal".utf8)))
        XCTAssertFalse(Gazetteer.occurs(Array("pan".utf8), in: Array("paypal".utf8)))
        XCTAssertTrue(Gazetteer.occurs(Array("aab".utf8), in: Array("aaab".utf8)))
    }
}
