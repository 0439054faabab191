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

    /// The byte word splitter (ASCII classed in place, other scalars decoded) finds the words the
    /// `String` one finds, and says rightly which are all ASCII and all digits.
    func testWordsOnBytesMatchTheStringSplit() {
        var rng = SystemRandomNumberGenerator()
        let fixed = ["", "a", "Zz9", "@[`{/:", "a@b[c`d{e", "x\u{301}", "\u{301}x", "9é9", "🍪cookies🍪", "١٢٣ 42"]
        for text in fixed + (0..<3_000).map({ _ in Self.randomText(&rng) }) {
            var found: [(String, Bool, Bool)] = []
            var copy = text
            copy.withUTF8 { bytes in
                Tokenizer.forEachWord(in: bytes) { word, ascii, digits in found.append((String(decoding: word, as: UTF8.self), ascii, digits)) }
            }
            let words = Tokenizer.words(text).map(String.init)
            XCTAssertEqual(found.map(\.0), words, text)
            for (word, ascii, digits) in found {
                XCTAssertEqual(ascii, word.utf8.allSatisfy { $0 < 0x80 }, word)
                XCTAssertEqual(digits, word.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }, word)
            }
        }
    }

    /// Memo keys compare texts by their bytes: canonically equivalent spellings are different keys.
    func testTextBytesCompareBytes() {
        XCTAssertEqual(TextBytes("cookies and café"), TextBytes("cookies and " + "café"))
        XCTAssertEqual(Set([TextBytes("a b"), TextBytes("a" + " b")]).count, 1)
        XCTAssertNotEqual(TextBytes("café"), TextBytes("cafe\u{301}"))
        XCTAssertNotEqual(TextBytes("cookies"), TextBytes("cookieS"))
        XCTAssertNotEqual(TextBytes("cookies"), TextBytes("cookie"))
        XCTAssertEqual(TextBytes(""), TextBytes(""))
        XCTAssertNotEqual(TextBytes(""), TextBytes(" "))
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

    /// The category lexicon's matching as it was written on `String` words, kept as the reference
    /// for the classifier's byte words: longest term at each position, else the longest prefix
    /// term, each term counted once per text.
    struct StringLexicon {
        struct Term { var words: [String]; var prefixLast: Bool; var weights: [(PrivacyCategory, Double)]; var text: String }
        var byFirstWord: [String: [Term]] = [:]
        var byStem: [String: Term] = [:]

        init() {
            var merged: [String: Term] = [:]
            var order: [String] = []
            for (category, terms) in Lexicon.terms {
                for (term, weight) in terms {
                    if merged[term] == nil {
                        let prefix = term.hasSuffix("*")
                        merged[term] = Term(words: Tokenizer.foldedWords(prefix ? String(term.dropLast()) : term),
                                            prefixLast: prefix, weights: [], text: term)
                        order.append(term)
                    }
                    merged[term]!.weights.append((category, weight))
                }
            }
            for term in order {
                let t = merged[term]!
                if t.prefixLast && t.words.count == 1 {
                    if byStem[t.words[0]] == nil { byStem[t.words[0]] = t }
                } else {
                    byFirstWord[t.words[0], default: []].append(t)
                }
            }
        }

        func scores(_ text: String) -> [PrivacyCategory: (Double, [String])] {
            let words = Tokenizer.foldedWords(text)
            func matches(_ t: Term, at i: Int) -> Bool {
                guard i + t.words.count <= words.count else { return false }
                for (k, tw) in t.words.enumerated() {
                    if k == t.words.count - 1 && t.prefixLast { if !words[i + k].hasPrefix(tw) { return false } }
                    else if words[i + k] != tw { return false }
                }
                return true
            }
            var out: [PrivacyCategory: (Double, [String])] = [:]
            var seen = Set<String>()
            var i = 0
            while i < words.count {
                let w = words[i]
                var best: Term?
                for t in byFirstWord[w] ?? [] where t.words.count > (best?.words.count ?? 0) && matches(t, at: i) { best = t }
                if best == nil {
                    for len in 1...max(1, w.count) where byStem[String(w.prefix(len))] != nil { best = byStem[String(w.prefix(len))] }
                }
                guard let match = best else { i += 1; continue }
                if seen.insert(match.text).inserted {
                    let surface = words[i..<(i + match.words.count)].joined(separator: " ")
                    for (category, weight) in match.weights {
                        out[category, default: (0, [])].0 += weight
                        out[category, default: (0, [])].1.append(surface)
                    }
                }
                i += match.words.count
            }
            return out
        }
    }

    /// Terms, their words in other cases and with endings, and the pieces above, at random; and
    /// every clause of the bundled policies and the sample corpus.
    func testCategoryScoresOnBytesMatchTheStringLexicon() throws {
        let reference = StringLexicon()
        let classifier = CategoryClassifier.shared
        let termWords = Lexicon.terms.flatMap { $0.1.map { String($0.0.filter { $0 != "*" }) } }
        let pieces = Self.pieces + termWords + termWords.map { $0.uppercased() } + termWords.map { $0 + "ed" }
            + termWords.map { $0.capitalized + "s" }
        func same(_ text: String) {
            let expected = reference.scores(text)
            let got = classifier.scores(text)
            XCTAssertEqual(Set(got.keys), Set(expected.keys), text)
            for (category, (weight, surfaces)) in expected {
                XCTAssertEqual(got[category]?.0 ?? -1, weight, accuracy: 1e-9, text)
                // Surfaces are the words as `String` compares them (a spelling in NFC, not as typed).
                XCTAssertEqual(got[category]?.1.map(\.precomposedStringWithCanonicalMapping),
                               surfaces.map(\.precomposedStringWithCanonicalMapping), text)
            }
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            same((0..<Int.random(in: 0...25, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined(separator: " "))
        }
        let sample = try CorpusLoader.load(directory: Fixtures.sampleDir)
        for doc in Fixtures.bundled.documents + sample.documents {
            for clause in doc.allClauses { same(clause.text) }
        }
    }

    /// Lines found on bytes are the lines `String` splits at "\n" (where CR LF is one character).
    func testLinesOnBytesMatchTheCharacterSplit() {
        let pieces = Self.pieces + ["\n", "\n", "\r", "\r\n", "\r\r\n", "\n\u{301}", "e\u{301}\n", "👍🏽", "\n\n", "", "x"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 0...20, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            XCTAssertEqual(SourceText.lines(text), text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init),
                           text.debugDescription)
        }
    }
}
