import XCTest
@testable import PolicyCore

/// The word diff and the aligner compare tokens by bytes (`ByteInterner`); these tests hold them
/// to what comparing `String`s would give.
final class TokenKeyTests: XCTestCase {
    /// Words, stop words, numbers, suffixes, non-ASCII letters, combining marks, canonically
    /// equivalent spellings and punctuation, for random texts.
    static let pieces = [
        "cookies", "Cookies", "COLLECTED", "sharing", "the", "The", "of", "it's", "users'", "s", "a", "x", "42", "2019",
        "café", "cafe\u{301}", "CAFÉ", "Ünïcödé", "naïve", "\u{212A}elvin", "Kelvin", "straße", "STRASSE", "İstanbul",
        "déjà", "ﬁle", "١٢٣", "日本語", "emails", "e\u{301}s", "résumés", "processes", "sing", "things", "ed", "bed",
        "’", "'", "\"", ";", "it’s", "It's", "users’", "IT’S", "café’s", "\u{37E}", ".", ",", "—", "\n", " ", "  ", "\t", "\u{A0}", "©", "-", "(", ")",
    ]

    static func randomText(_ rng: inout some RandomNumberGenerator) -> String {
        (0..<Int.random(in: 0...30, using: &rng)).map { _ in
            pieces.randomElement(using: &rng)! + (Bool.random(using: &rng) ? " " : "")
        }.joined()
    }

    func testInternerGivesDenseIdsInFirstSeenOrder() {
        var rng = SystemRandomNumberGenerator()
        var interner = ByteInterner(capacity: 4)
        var reference: [String: Int] = [:]
        for _ in 0..<20_000 {
            // Short keys repeat; long ones make the table grow many times.
            let key = String(Int.random(in: 0..<3_000, using: &rng), radix: 36) + (Bool.random(using: &rng) ? "" : "-é")
            let expected = reference[key] ?? reference.count
            reference[key] = expected
            XCTAssertEqual(interner.id(key), expected, key)
        }
        XCTAssertEqual(interner.count, reference.count)
        for (key, id) in reference {
            XCTAssertEqual(interner.string(id), key)
            var k = key
            XCTAssertEqual(k.withUTF8 { interner.find($0) }, id)
        }
        var missing = "not there"
        XCTAssertNil(missing.withUTF8 { interner.find($0) })
        XCTAssertEqual(interner.id(""), reference.count, "the empty key is a key too")
    }

    /// The stemmer as it was written on `String`s (the bytes version must agree with it).
    static func referenceStems(_ text: String) -> [String] {
        Tokenizer.words(text).compactMap { word in
            var s = word.lowercased()
            guard !SectionAligner.stopwords.contains(s), s.count > 1, !s.allSatisfy(\.isNumber) else { return nil }
            for suffix in ["ing", "ed", "es", "s"] where s.count > suffix.count + 3 && s.hasSuffix(suffix) {
                s.removeLast(suffix.count)
                break
            }
            return s
        }
    }

    func testByteStemmerAgreesWithTheStringOne() {
        var rng = SystemRandomNumberGenerator()
        let fixed = ["Cookies collected, processing & sharing: the things we do.", "CAFÉ café cafe\u{301} \u{212A}eys keys",
                     "12 2019 a1 1a x y zz", "résumés résumé STRASSE straße"]
        for text in fixed + (0..<3_000).map({ _ in Self.randomText(&rng) }) {
            let stems = SectionAligner.stems(text)
            let expected = Self.referenceStems(text)
            // Equal as strings compare: canonically equivalent spellings are the same stem.
            XCTAssertEqual(stems.count, expected.count, text)
            XCTAssertTrue(zip(stems, expected).allSatisfy { $0 == $1 }, "\(stems) vs \(expected) for \(text)")
            // And equal stems share an id, different ones never do.
            var interner = ByteInterner()
            let ids = SectionAligner.stemIDs(text, interner: &interner)
            for (i, x) in expected.enumerated() {
                for (j, y) in expected.enumerated() where j > i { XCTAssertEqual(ids[i] == ids[j], x == y, "\(x) / \(y)") }
            }
        }
    }

    func testDiffKeysCompareAsStringsDo() {
        var rng = SystemRandomNumberGenerator()
        for fold in [false, true] {
            for _ in 0..<2_000 {
                let text = Self.randomText(&rng)
                var interner = ByteInterner()
                let tokens = WordDiff.tokens(text, foldCase: fold, interner: &interner)
                let texts = (0..<tokens.count).map(tokens.text)
                XCTAssertEqual(texts.joined().filter { !$0.isWhitespace || $0 == "\n" },
                               text.filter { !$0.isWhitespace || $0 == "\n" }, "tokens cover the text")
                func key(_ t: String) -> String { (fold ? t.lowercased() : t).replacingOccurrences(of: "’", with: "'") }
                for i in texts.indices {
                    for j in texts.indices where j > i {
                        XCTAssertEqual(tokens.key[i] == tokens.key[j], key(texts[i]) == key(texts[j]), "\(texts[i]) / \(texts[j])")
                    }
                }
            }
        }
    }

    func testCanonicallyEquivalentSpellingsAreNoChange() {
        XCTAssertEqual(WordDiff("Le café ouvre.", "Le cafe\u{301} ouvre.").addedWords, 0)
        XCTAssertEqual(WordDiff("\u{212A}elvin; ok", "Kelvin\u{37E} ok").plainMarkup, "Kelvin; ok")
        XCTAssertEqual(WordDiff("ÉTÉ À PARIS", "été à paris", foldCase: true).addedWords, 0)
        XCTAssertEqual(WordDiff("ÉTÉ À PARIS", "été à paris").addedWords, 3, "without folding, case is a change")
        XCTAssertEqual(WordDiff("’ ours", "' ours").addedWords, 0)
        XCTAssertEqual(WordDiff("It’s the users’ choice", "It's the users' choice").plainMarkup, "It's the users' choice")
        XCTAssertEqual(WordDiff("IT’S OURS", "it's ours", foldCase: true).addedWords, 0)
        XCTAssertEqual(WordDiff("It’s ours", "Its ours").addedWords, 1, "a dropped apostrophe is still a change")
    }

    func testHeadingKeysOnBytesMatchTheCharacterVersion() {
        var rng = SystemRandomNumberGenerator()
        let pieces = ["6.", "iv)", "a.", "12)", "b)", "xyz.", "1.2.", "(a)", "cookies", "how", "we", "use", "?", ":", "!", ".",
                      " ", "  ", "\t", "\r\n", "\n", "\u{0B}", "\u{1F}", "it's", "data;", "opt-out", "", "v.", "h)"]
        for _ in 0..<5_000 {
            let title = (0..<Int.random(in: 0...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
                .joined(separator: Bool.random(using: &rng) ? " " : "")
            XCTAssertEqual(HeadingLexicon.asciiKey(title), HeadingLexicon.characterKey(title), title.debugDescription)
        }
        XCTAssertEqual(HeadingLexicon.key("6. How We Use Cookies:"), "how we use cookies")
        XCTAssertEqual(HeadingLexicon.key("Children’s Privacy"), "children's privacy")
    }
}
