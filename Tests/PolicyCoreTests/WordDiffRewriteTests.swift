import XCTest
@testable import PolicyCore

/// A paragraph that shares little with its counterpart reads as removed, then added.
final class WordDiffRewriteTests: XCTestCase {
    func kinds(_ d: WordDiff) -> [WordDiff.Kind] { d.segments.map(\.kind) }

    func testARewrittenParagraphIsRemovedThenAdded() {
        let old = "Thank you for visiting JamesAllen.com. James Allen respects your privacy and we understand and share your concern."
        let new = "This privacy policy governs how we, James Allen (service@jamesallen.com) use, collect and store your privacy data."
        let d = WordDiff(old, new)
        XCTAssertEqual(kinds(d), [.removed, .added], d.plainMarkup)
        XCTAssertEqual(d.segments[0].text, old)
        XCTAssertEqual(d.segments[1].text, new)
        XCTAssertEqual(d.plainMarkup, "[-" + old + "-]{+" + new + "+}")
        XCTAssertEqual(d.equalWords, 0)
        XCTAssertEqual(d.removedWords, Tokenizer.words(old).count)
        XCTAssertEqual(d.addedWords, Tokenizer.words(new).count)
        // Each side, as the side-by-side views read it, is its own text, all changed.
        XCTAssertEqual(side(d.leftTokens), old)
        XCTAssertEqual(side(d.rightTokens), new)
        XCTAssertTrue(d.leftTokens.allSatisfy { $0.kind == .removed })
        XCTAssertTrue(d.rightTokens.allSatisfy { $0.kind == .added })
    }

    /// The text of one side's tokens with their spacing.
    func side(_ tokens: [WordDiff.SideToken]) -> String {
        tokens.enumerated().map { ($0.offset > 0 && $0.element.spaceBefore ? " " : "") + $0.element.text }.joined()
    }

    func testTheThresholdIsHalfTheWordsOnBothSides() {
        // Ten words each side; k of them common, at the start.
        func pair(common k: Int) -> WordDiff {
            let shared = (0..<k).map { "same\($0)" }
            return WordDiff((shared + (k..<10).map { "old\($0)" }).joined(separator: " "),
                            (shared + (k..<10).map { "new\($0)" }).joined(separator: " "))
        }
        XCTAssertEqual(kinds(pair(common: 5)), [.equal, .removed, .added], "half kept: a word diff")
        XCTAssertEqual(kinds(pair(common: 4)), [.removed, .added], "less than half: a rewrite")
        XCTAssertEqual(pair(common: 4).removedWords, 10)
        XCTAssertEqual(WordDiff.rewriteThreshold, 0.5)
    }

    func testAParagraphOnlyAddedToOrCutKeepsItsWordDiff() {
        let old = "We collect your name and address."
        let longer = old + " We also collect the pages you visit, the links you follow, your browser, your device and your location."
        XCTAssertEqual(kinds(WordDiff(old, longer)).first, .equal, "most of the new text is new, but all the old is kept")
        XCTAssertEqual(kinds(WordDiff(longer, old)).first, .equal)
    }

    func testOnlyTheRewrittenParagraphOfASectionIsSeparated() {
        let old = "Intro paragraph stays the same here.\nAlpha beta gamma delta epsilon zeta eta theta.\nClosing words we keep but edit slightly."
        let new = "Intro paragraph stays the same here.\nOne two three four five delta six seven.\nClosing words we keep but edit a little."
        let d = WordDiff(old, new)
        XCTAssertEqual(d.plainMarkup, """
            Intro paragraph stays the same here.
            [-Alpha beta gamma delta epsilon zeta eta theta.-]{+One two three four five delta six seven.+}
            Closing words we keep but edit [-slightly-]{+a little+}.
            """)
    }

    func testFoldedCaseShowsEachSideInItsOwnSpelling() {
        let d = WordDiff("we store cookies on your device for a year", "Your Device keeps Session Tokens; nothing else is stored at all", foldCase: true)
        XCTAssertEqual(kinds(d), [.removed, .added])
        XCTAssertEqual(d.segments[0].text, "we store cookies on your device for a year")
        XCTAssertEqual(d.segments[1].text, "Your Device keeps Session Tokens; nothing else is stored at all")
    }

    /// Side by side, the old side quotes the old text: equal words in its own letter case when case
    /// is folded, every token in order (against a diff that removes all of it).
    func testTheOldSideQuotesTheOldText() {
        let d = WordDiff("iospace inc. is a licensee of the truste privacy program", "iOSpace Inc. is a licensee of the TRUSTe Privacy Program.", foldCase: true)
        XCTAssertEqual(d.leftTokens.map(\.text).joined(separator: " "), "iospace inc . is a licensee of the truste privacy program")
        XCTAssertEqual(d.rightTokens.map(\.text).joined(separator: " "), "iOSpace Inc . is a licensee of the TRUSTe Privacy Program .")
        let docs = Fixtures.bundled.documents
        for (x, y) in zip(docs, docs.dropFirst()) {
            for (old, new) in zip(x.allClauses.map(\.text), y.allClauses.map(\.text)) {
                for fold in [true, false] {
                    XCTAssertEqual(WordDiff(old, new, foldCase: fold).leftTokens.map(\.text), WordDiff(old, "").leftTokens.map(\.text))
                    XCTAssertEqual(WordDiff(old, new, foldCase: fold).rightTokens.map(\.text), WordDiff("", new).rightTokens.map(\.text))
                }
            }
        }
    }
}
