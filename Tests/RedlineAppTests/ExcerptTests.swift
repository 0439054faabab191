import XCTest
@testable import RedlineApp

/// The part of a hit's clause shown in the search results: around the match, cut at spaces.
final class ExcerptTests: XCTestCase {
    func marked(_ result: (String, Set<Int>)) -> String {
        let scalars = Array(result.0.unicodeScalars)
        return String(String.UnicodeScalarView(result.1.sorted().map { scalars[$0] }))
    }

    func testAShortClauseIsShownWholeWithItsMatches() {
        let r = BrowserApp.excerpt("We never sell your data.", matches: [[9, 13]], columns: 60)
        XCTAssertEqual(r.0, "We never sell your data.")
        XCTAssertEqual(marked(r), "sell")
    }

    func testALongClauseIsCutAroundTheMatchAtSpaces() {
        let words = (0..<200).map { "word\($0)" }
        var text = words.joined(separator: " ")
        text += " we sell nothing " + words.joined(separator: " ")
        let at = Array(text.unicodeScalars).count - words.joined(separator: " ").unicodeScalars.count - " nothing ".count - "sell".count
        for columns in [30, 76, 130, 236] {
            let r = BrowserApp.excerpt(text, matches: [[at, at + 4]], columns: columns)
            XCTAssertEqual(marked(r), "sell", "\(columns): \(r.0)")
            XCTAssertLessThanOrEqual(r.0.unicodeScalars.count, columns, r.0)
            XCTAssertTrue(r.0.hasPrefix("…") && r.0.hasSuffix("…"), r.0)
            // Whole words at both ends: what sits between the ellipses is a run of words of the text.
            let inner = r.0.dropFirst().dropLast()
            XCTAssertTrue(text.contains(" " + inner + " "), "\(columns): \(r.0)")
        }
    }

    func testNoMatchStartsAtTheBeginningAndBadRangesAreIgnored() {
        let text = String(repeating: "privacy matters to us ", count: 20)
        let r = BrowserApp.excerpt(text, matches: [], columns: 40)
        XCTAssertTrue(r.0.hasPrefix("privacy matters"), r.0)
        XCTAssertTrue(r.1.isEmpty)
        for bad in [[[5, 2]], [[-3, 4]], [[1000, 2000]], [[1]], [[3, 3]]] {
            _ = BrowserApp.excerpt(text, matches: bad, columns: 40)
        }
        XCTAssertEqual(BrowserApp.excerpt("", matches: [[0, 1]], columns: 10).0, "")
        XCTAssertEqual(BrowserApp.excerpt("a\nb\tc", matches: [], columns: 10).0, "a b c")
    }
}
