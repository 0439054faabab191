import XCTest
@testable import PolicyCore

/// The fast paths of parsing give what the plain ones give.
final class FastPathTests: XCTestCase {
    static let texts: [String] = {
        var out: [String] = []
        for corpus in [Fixtures.bundled, (try? CorpusLoader.load(directory: Fixtures.sampleDir)) ?? Corpus(retailers: [])] {
            for doc in corpus.documents {
                for section in doc.allSections {
                    out.append(section.title)
                    out += section.clauses.map(\.text)
                }
            }
        }
        return out + ["", "a", "café au lait", "naïve—déjà vu", "日本語のテキスト 123", "e\u{301}t\u{E9}", "x🙂y z", "ab\u{200B}cd", "Ⅻ ½ ٣"]
    }()

    func testWordCountIsTheNumberOfWords() {
        for text in Self.texts { XCTAssertEqual(Tokenizer.wordCount(text), Tokenizer.words(text).count, text) }
    }

    func testLastUpdatedIsTheFirstMatchOfThePattern() throws {
        let pattern = try XCTUnwrap(DateText.lastUpdatedPattern)
        func reference(_ text: String) -> String? {
            let ns = text as NSString
            guard let m = pattern.firstMatch(in: text, range: NSRange(location: 0, length: min(ns.length, 20_000))) else { return nil }
            return DateText.normalise(ns.substring(with: m.range(at: 1)))
        }
        var dated = 0
        let documents = Fixtures.bundled.documents + (try CorpusLoader.load(directory: Fixtures.sampleDir)).documents
        let whole = documents.map { doc in doc.allSections.map { $0.title + "\n" + $0.clauses.map(\.text).joined(separator: "\n") }.joined(separator: "\n") }
        for text in Self.texts + whole + ["Last Updated: February 28, 2019", "LAST REVISED 9/28/2012", "outdated: 2019-01-01",
                                          "Effective date - March 3rd, 2020", "this is the date of last revision: jan 2011",
                                          "updated\n\non 1 May 2017", "revised", "last updated: soon",
                                          "Last\u{2003}modified\u{3000}March 4, 2016", "date   of   last revision 2014-05-06"] {
            XCTAssertEqual(DateText.lastUpdated(in: text), reference(text), text)
            if reference(text) != nil { dated += 1 }
        }
        XCTAssertGreaterThan(dated, 8)
    }
}
