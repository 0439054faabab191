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
        func referenceMatch(_ text: String) -> NSTextCheckingResult? {
            pattern.firstMatch(in: text, range: NSRange(location: 0, length: min((text as NSString).length, 20_000)))
        }
        func reference(_ text: String) -> String? {
            guard let m = referenceMatch(text) else { return nil }
            return DateText.normalise((text as NSString).substring(with: m.range(at: 1)))
        }
        var dated = 0
        let documents = Fixtures.bundled.documents + (try CorpusLoader.load(directory: Fixtures.sampleDir)).documents
        let whole = documents.map { doc in doc.allSections.map { $0.title + "\n" + $0.clauses.map(\.text).joined(separator: "\n") }.joined(separator: "\n") }
        for text in Self.texts + whole + ["Last Updated: February 28, 2019", "LAST REVISED 9/28/2012", "outdated: 2019-01-01",
                                          "Effective date - March 3rd, 2020", "this is the date of last revision: jan 2011",
                                          "updated\n\non 1 May 2017", "revised", "last updated: soon",
                                          "Last\u{2003}modified\u{3000}March 4, 2016", "date   of   last revision 2014-05-06",
                                          "Date of last revision as of - September. 3, 2010", "updated " + String(repeating: " \n", count: 400) + "on 4/5/2016",
                                          "we updated this policy after a long consultation with many people in 2019",
                                          "we updated it in the year 2019", "🙂é Updated\u{3000}: 1 May 2017 🙂",
                                          String(repeating: "é🙂", count: 4_000) + "updated 3/4/2019 and revised 4/5/2020",
                                          String(repeating: "a", count: 19_975) + "Last updated:  January  2020",
                                          String(repeating: "a", count: 19_979) + "Last updated:  January  2020",
                                          String(repeating: "a", count: 19_970) + "updated 1/2/2019" + String(repeating: "🙂", count: 9),
                                          String(repeating: "a", count: 19_981) + "updated 1 " + String(repeating: "🙂", count: 9),
                                          "updated on" + String(repeating: " ", count: 90) + "May 2, 2017" + String(repeating: " -", count: 200), "Last updated \u{663}/\u{664}/2019", "Last updated: \u{1D7D9}/2/2019",
                                          "Effective as from 12 December 2011.", "The Effective Date of this Privacy Policy is June 2nd, 2014.",
                                          "This policy was last updated in December 2019.", "effective date of this privacy statement is september 30th, 2014",
                                          "updated in the spring of 2019"] {
            XCTAssertEqual(DateText.firstLastUpdatedMatch(in: text)?.date, reference(text), text)
            XCTAssertEqual(DateText.lastUpdatedMatchByUnits(in: text)?.date, reference(text), text)
            if let date = reference(text) {
                XCTAssertEqual(DateText.firstLastUpdatedMatch(in: text)?.range, referenceMatch(text)?.range, text)
                XCTAssertEqual(DateText.firstLastUpdatedMatch(in: text)?.date, date, text)
            }
            if reference(text) != nil { dated += 1 }
        }
        XCTAssertGreaterThan(dated, 8)
    }

    func testNameFormsAreTheMatchesOfThePattern() throws {
        func reference(_ domain: String, _ text: String) -> [String] {
            guard let regex = DisplayName.pattern(domain) else { return [] }
            let ns = text as NSString
            return regex.matches(in: text, range: NSRange(location: 0, length: min(ns.length, 2_000_000))).map { ns.substring(with: $0.range) }
        }
        var found = 0
        var files = CorpusLoader.policyFiles(in: Fixtures.dataDir) + CorpusLoader.policyFiles(in: Fixtures.sampleDir)
        files = files.filter { !$0.lastPathComponent.contains("headings") }
        let domains = ["jamesallen.com", "diamondnexus.com", "worldjewels.com", "etsy.com", "kendrascott.com", "bluenile.com",
                       "llbean.com", "overstock.com", "zales.com", "fossil.com", "angara.com", "pandora.net", "shop00042-angara.com"]
        let texts = try files.map { try String(contentsOf: $0, encoding: .utf8) } + Self.texts + [
            "James Allen, JAMES-ALLEN and jamesallen; xjamesallen jamesallenx james allen2 James  Allen",
            "James-\u{301}Allen Jamesallen\u{301} ja-me-s al-len \u{212A}endra scott, Kendra Scott, kendra-scott",
            "Etsy etsy.com ETSY, etsy's; et sy e-t-s-y 日本etsy etsy日本 ſhop"]
        for domain in domains {
            let stem = try XCTUnwrap(DisplayName.stemLetters(domain) ?? (domain.contains("shop00042") ? [] : nil))
            if stem.isEmpty { XCTAssertNil(DisplayName.pattern(domain)); continue }
            for text in texts {
                let forms = DisplayName.forms(of: stem, domain: domain, in: text)
                XCTAssertEqual(forms, reference(domain, text), "\(domain) in \(text.prefix(60))")
                found += forms.count
            }
        }
        XCTAssertGreaterThan(found, 50)
    }

    /// Lines and pieces with bars and spaces beside every kind of neighbour, for the byte tests.
    static let joinable: [String] = {
        let neighbours = ["", " ", "a", "\u{301}", "\u{200D}", "\u{903}", "\u{600}", "\u{110BD}", "é", "日", "🙂", "\n", "\u{E33}"]
        var out: [String] = []
        for a in neighbours { for b in neighbours { out += [a + "|" + b, "x" + a + " " + b + "y", a + " | " + b, a + "  " + b + " |x| " + a] } }
        return out
    }()

    func testBarIsFoundAsTheCharacterIs() {
        var bars = 0
        for text in Self.texts + Self.joinable + ["|", "a|b", "\u{301}|", "|\u{301}", "|\u{301} |", "\u{600}|", "\u{600}| a|b"] {
            XCTAssertEqual(MarkdownBlockScanner.containsBar(text), text.contains(Character("|")), text.debugDescription)
            if text.contains(Character("|")) { bars += 1 }
        }
        XCTAssertGreaterThan(bars, 100)
    }

    func testSpacesCollapseAsScalarByScalar() {
        var characterwise = 0
        for text in Self.texts + Self.joinable + ["  a  b\n\nc  ", "\u{600} x", "x \u{301}y", "\n\n", " "] {
            XCTAssertEqual(Array(InlineMarkdown.collapsingSpaces(text).utf8), Array(InlineMarkdown.collapsingSpacesByScalars(text).utf8), text.debugDescription)
            XCTAssertEqual(InlineMarkdown.collapsingSpaces(text),
                           text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " "), text.debugDescription)
            if text.unicodeScalars.count != Array(text).count { characterwise += 1 }
        }
        XCTAssertGreaterThan(characterwise, 20)
    }

    func testInlineMarkupParsesAsCharacterByCharacter() throws {
        var files = CorpusLoader.policyFiles(in: Fixtures.dataDir) + CorpusLoader.policyFiles(in: Fixtures.sampleDir)
        files = files.filter { $0.pathExtension == "md" }
        var sources: [String] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            sources += text.components(separatedBy: "\n\n")
            sources += text.split(separator: "\n").map(String.init)
        }
        let pieces = ["*", "**", "_", "__", "[", "]", "(", ")", "![", "<", ">", "\\", "\n", " ", "a", "1", "é", "\u{A0}", "’",
                      "\u{301}", "\u{200D}", "\u{600}", "\u{37E}", "\u{1FEF}", "\r\n", "\r", "\t", "\u{1C}", "\u{85}", "🙂", "日", "—"]
        for a in pieces {
            for b in pieces {
                sources += ["x\(a)*bold\(b)* \(a)", "**\(a)b\(b)**", "_\(a)it\(b)_ w\(a)_x_", "[\(a)link\(b)](http://a.b/\(a) \"t\")",
                            "<http://x.y/\(a)\(b)>", "<a\(a)@b.c>", "\\\(a)\(b) ![alt\(a)](i.png)", "w\(a)[l](u) \(b)  "]
            }
        }
        var scalarPath = 0
        for source in sources {
            let fast = InlineMarkdown(source), plain = InlineMarkdown(characterwise: source)
            XCTAssertEqual(Array(fast.text.utf8), Array(plain.text.utf8), source.debugDescription)
            XCTAssertEqual(fast.styles, plain.styles, source.debugDescription)
            if ScalarText(source) != nil, InlineMarkdown.hasMarkup(source) { scalarPath += 1 }
        }
        XCTAssertGreaterThan(scalarPath, 1000)
    }

    func testByteScreensAnswerAsTheirDefinitions() throws {
        var texts = Self.texts + Self.joinable
        for byte in UInt8(0)...UInt8(0x7F) { texts.append("ab" + String(UnicodeScalar(byte)) + "c") }
        texts += ["a\u{80}b", "\u{A0}", "é", " | ", "a | b", "a| b", "a |b", "| |", "x  |  y", "|", " |"]
        var markup = 0, separators = 0
        for text in texts {
            let bytes = Array(text.utf8)
            let marks: Set<UInt8> = [0x2A, 0x5F, 0x5B, 0x3C, 0x5C, 0x21, 0x09, 0x0D, 0x7F, 0xC2]
            let hasMarkup = bytes.contains { (b: UInt8) -> Bool in marks.contains(b) || (b < 0x20 && b != 0x0A) }
            XCTAssertEqual(InlineMarkdown.hasMarkup(text), hasMarkup, text.debugDescription)
            func holdsSeparator(_ bytes: [UInt8]) -> Bool {
                for k in bytes.indices.dropFirst(2) where bytes[k - 2] == 0x20 && bytes[k - 1] == 0x7C && bytes[k] == 0x20 { return true }
                return false
            }
            let separator = holdsSeparator(bytes)
            XCTAssertEqual(MarkdownBlockScanner.hasCellSeparator(text), separator, text.debugDescription)
            XCTAssertEqual(MarkdownBlockScanner.hasCellSeparator(text.dropFirst()), holdsSeparator(Array(text.dropFirst().utf8)), text.debugDescription)
            if hasMarkup { markup += 1 }
            if separator { separators += 1 }
        }
        XCTAssertGreaterThan(markup, 40)
        XCTAssertGreaterThan(separators, 5)
    }

    func testMarkdownIsRecognisedByItsFirstLine() throws {
        func reference(_ text: String) -> Bool {
            let head = text.prefix(2000)
            guard let first = head.split(separator: "\n").first(where: { !$0.allSatisfy(\.isWhitespace) }) else { return false }
            return first.hasPrefix(">") && head.contains("extracted and transformed")
        }
        let files = CorpusLoader.policyFiles(in: Fixtures.dataDir) + CorpusLoader.policyFiles(in: Fixtures.sampleDir)
        let header = "> *The following text is extracted and transformed from the x.com privacy policy*"
        var texts = try files.map { try String(contentsOf: $0, encoding: .utf8) }
        texts += ["", "\n\n", header, "\n  \n\t\n" + header, "x\n" + header, " \u{A0}\n>x extracted and transformed", "\r\n" + header,
                  "\n\u{301}\n" + header, String(repeating: "\n", count: 2100) + header]
        var recognised = 0
        for text in texts {
            XCTAssertEqual(MarkdownPolicyParser.recognises(text), reference(text), String(text.prefix(80)).debugDescription)
            if reference(text) { recognised += 1 }
        }
        XCTAssertGreaterThan(recognised, 10)
    }

    func testDelimiterScreenKeepsEveryMatch() throws {
        let regex = try XCTUnwrap(MarkdownBlockScanner.delimiterRegex)
        var files = CorpusLoader.policyFiles(in: Fixtures.dataDir) + CorpusLoader.policyFiles(in: Fixtures.sampleDir)
        files = files.filter { $0.pathExtension == "md" }
        var lines = try files.flatMap { try String(contentsOf: $0, encoding: .utf8).split(separator: "\n").map(String.init) }
        for lead in ["", " ", "\t", "\u{A0}", "\u{2003}", "\u{0B}", "\u{1C}", "x", "\r"] {
            lines += [lead + "|---|---|", lead + "---|---", lead + ":--:|:--", lead + "- | -", lead + "--- | --- |", lead + "| a | b |"]
        }
        var delimiters = 0
        for line in lines {
            let matches = regex.firstMatch(in: line, range: NSRange(location: 0, length: (line as NSString).length)) != nil
            XCTAssertEqual(MarkdownBlockScanner.isDelimiter(line), matches, line.debugDescription)
            if matches { delimiters += 1 }
        }
        XCTAssertGreaterThan(delimiters, 20)
    }

    func testLineMarkersMatchAsBefore() {
        XCTAssertEqual(MarkdownBlockScanner.headingMatch("   ## Title ##")?.1, "Title")
        XCTAssertNil(MarkdownBlockScanner.headingMatch("    ## Code"))
        XCTAssertNil(MarkdownBlockScanner.headingMatch("####### Seven"))
        XCTAssertEqual(MarkdownBlockScanner.headingMatch("#")?.0, 1)
        XCTAssertEqual(MarkdownBlockScanner.headingMatch("###\tÉté ###")?.1, "Été")
        XCTAssertEqual(MarkdownBlockScanner.listMatch("\t  12. Été")?.indent, 6)
        XCTAssertEqual(MarkdownBlockScanner.listMatch("\t  12.   Été")?.text, "Été")
        XCTAssertNil(MarkdownBlockScanner.listMatch("1234. x"))
        XCTAssertNil(MarkdownBlockScanner.listMatch("-x"))
        XCTAssertEqual(MarkdownBlockScanner.listMatch("* ")?.text, "")
    }

    func testTrimmingCopiesTheScalarsBetweenTheSpaces() {
        var trimmed = 0
        for text in Self.texts + Self.joinable + ["  ", "\u{A0}x\u{2003}", " \u{301}a ", "\n\ta b\u{3000}", "é \u{85}"] {
            XCTAssertEqual(Array(text.trimmedSpaces.utf8), Array(text.trimmedSpacesByScalars.utf8), text.debugDescription)
            XCTAssertEqual(Array(text.dropFirst().trimmedSpaces.utf8), Array(text.dropFirst().trimmedSpacesByScalars.utf8), text.debugDescription)
            if text.trimmedSpaces != text { trimmed += 1 }
        }
        XCTAssertGreaterThan(trimmed, 100)
    }

    func testLinesOfBoldLeadsAreFoundAsCharacters() {
        var breaks = 0, prose = 0
        let sentence = "we use the information you give us to fill orders"
        for text in Self.texts + Self.joinable + ["\r\n", "a\r\nb\nc", "\n", "a\u{301}\nb", "\u{600}\nx", "x\r\n" + sentence,
                                                  "t\n" + sentence, "t\r\n\r\n" + sentence + "\r\nz", "t\n\n\u{301}" + sentence, "short\nlines\nonly"] {
            let reference = text.firstIndex(of: "\n")
            XCTAssertEqual(MarkdownPolicyParser.firstLineFeed(text), reference, text.debugDescription)
            let lines = text.split(separator: "\n").contains(where: { Tokenizer.words(String($0)).count >= 8 })
            XCTAssertEqual(MarkdownPolicyParser.hasProseLine(text), lines, text.debugDescription)
            if reference != nil { breaks += 1 }
            if lines { prose += 1 }
        }
        XCTAssertGreaterThan(breaks, 20)
        XCTAssertGreaterThan(prose, 20)
    }

    func testByteSearchAgreesWithFoundationWhereItAnswers() {
        var answered = 0
        for text in Self.texts + Self.joinable + ["a**b", "**", "*\u{301}*", "x\r\ny", "\u{600}**", "**\u{301}", "a\nb", "\n"] {
            for needle in ["\n", "**", "__"] {
                guard let fast = MarkdownPolicyParser.holds(text, needle) else { continue }
                XCTAssertEqual(fast, text.contains(needle), "\(text.debugDescription) \(needle.debugDescription)")
                XCTAssertEqual(MarkdownPolicyParser.holds(text.dropFirst(), needle) ?? text.dropFirst().contains(needle), text.dropFirst().contains(needle))
                answered += 1
            }
        }
        XCTAssertGreaterThan(answered, 500)
        XCTAssertNil(MarkdownPolicyParser.holds("**\u{301}", "**"))
        XCTAssertEqual(MarkdownPolicyParser.holds("*\u{301}*", "**"), false)
    }

    /// The words of the flat pages and of the texts above, and every ASCII character alone and
    /// around a word.
    static let flatTokens: [String] = {
        var tokens = texts.flatMap { Tokenizer.whitespaceTokens($0) }
        let folder = Fixtures.repoRoot.appendingPathComponent("Tests/Fixtures/flat-unseen")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasSuffix(".txt") {
            if let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) {
                tokens += Tokenizer.whitespaceTokens(text)
            }
        }
        for b in UInt8(0x01)...UInt8(0x7F) {
            let c = String(UnicodeScalar(b))
            tokens += [c, c + "word" + c, "(" + c, c + "’s", "don’t" + c, "e\u{301}" + c, c + "\u{301}"]
        }
        return tokens + ["’", "‘quoted’", "«x»", "¿qué?", "naïve.", "x\u{600}a", "\u{600}"]
    }()

    func testFlatWordsAreStrippedAsCharactersStripThem() {
        for t in Self.flatTokens { XCTAssertEqual(FlatPageAnalysis.strip(t), FlatPageAnalysis.stripCharacters(t), t) }
    }

    func testAHeadingsWordEndsAsItsLastCharacterSays() {
        for t in Self.flatTokens {
            let last = t.last
            let reference = t.isEmpty || (!t.contains("@") && !t.hasPrefix("http")
                && last.map { $0.isLetter || $0.isNumber || $0 == "'" || $0 == "’" } == true)
            XCTAssertEqual(FlatPageAnalysis.endsLikeAWord(t), reference, t)
        }
    }

    func testSoftBoundariesAreFoundAsTheCharactersSay() {
        for t in Self.flatTokens {
            let (digits, letters) = (t.filter(\.isNumber).count, t.contains(where: { $0.isLetter }))
            // "@" is looked for as a byte, as `endsRun` always has: "@" with a mark on it is still one.
            let reference = t.utf8.contains(0x40) || t.hasPrefix("http") || t.hasPrefix("www.") || t == "•"
                || t.last.map { ".?!:;)".contains($0) } == true || (digits > 0 && !letters)
            XCTAssertEqual(FlatPageAnalysis.isSoftBoundary(t), reference, t)
        }
    }

    func testSentenceEndsAreFoundAsTheScalarsSay() {
        for t in Self.flatTokens + ["a.)", "x?\"", ")", "\"", "word.”", "it’", "(e.g.)", "...", "more...", "more...)", "etc..", "..", "é..."] {
            var scalars = t.unicodeScalars[...]
            while scalars.count > 1, let last = scalars.last, last == ")" || last == "\"" || last == "\u{201D}" || last == "\u{2019}" {
                scalars = scalars.dropLast()
            }
            // An ellipsis ("more...") ends a link, not a sentence.
            let reference = scalars.last.map { $0 == "." || $0 == "?" || $0 == "!" } ?? false
                && !String(scalars).hasSuffix("...")
            XCTAssertEqual(FlatPageAnalysis.endsSentence(t), reference, t)
        }
    }

    /// Texts with every kind of whitespace the splits know, and marks and emoji beside them.
    static let spacedTexts: [String] = texts + [
        " a\tb\nc\u{0B}d\u{0C}e\r\nf ", "x\u{A0}y\u{2028}z\u{2029}w\u{3000}v", "\u{A0}\u{A0}", "e\u{301} \u{301}x",
        "🙂 🙂\u{A0}🙂", "\u{2027}\u{202A}\u{2FFF}\u{3001}", "¡hola!\u{85}next", "a\u{200B} b", "\u{C2}",
    ]

    func testWhitespaceTokensByBytesAreTheScalarsSplits() {
        func reference(_ text: String) -> [String] {
            text.unicodeScalars.split { v in
                [0x20, 0xA0, 0x2028, 0x2029, 0x3000].contains(v.value) || (v.value >= 0x09 && v.value <= 0x0D)
            }.map { String(String.UnicodeScalarView($0)) }
        }
        var texts = Self.spacedTexts
        let folder = Fixtures.repoRoot.appendingPathComponent("Tests/Fixtures/flat-unseen")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasSuffix(".txt") {
            if let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) { texts.append(text) }
        }
        for text in texts {
            XCTAssertEqual(Tokenizer.whitespaceTokens(text), reference(text), text.debugDescription)
            XCTAssertEqual(Tokenizer.whitespaceTokens(text.dropFirst()), reference(String(text.dropFirst())), text.debugDescription)
        }
    }

    func testTokenColumnsByBytesCountScalars() {
        for text in Self.spacedTexts {
            var reference: [Int] = [], inToken = false
            for (k, v) in text.unicodeScalars.enumerated() {
                let space = [0x20, 0xA0, 0x2028, 0x2029, 0x3000].contains(v.value) || (v.value >= 0x09 && v.value <= 0x0D)
                if !space && !inToken { reference.append(k + 1) }
                inToken = !space
            }
            XCTAssertEqual(FlatPolicyParser.tokenColumns(text[...]), reference, text.debugDescription)
        }
    }

    func testDigitsAndLettersByBytesAreTheCharacters() {
        for t in Self.flatTokens + ["123", "a1", "٣٤", "x½", "2019年"] {
            let (digits, letters) = FlatPageAnalysis.digitsAndLetters(t)
            if t.utf8.allSatisfy({ $0 < 0x80 }) {
                XCTAssertEqual(digits, t.utf8.filter { $0 >= 0x30 && $0 <= 0x39 }.count, t)
                XCTAssertEqual(letters, t.contains { $0.isASCII && $0.isLetter }, t)
            } else {
                XCTAssertEqual(digits, t.filter(\.isNumber).count, t)
                XCTAssertEqual(letters, t.contains { $0.isLetter }, t)
            }
        }
    }

    func testPrefixesByBytesAreTheCharactersPrefixes() {
        let extra = ["http", "https://x", "http\u{301}s", "htt", "www.x", "www.\u{301}", "-", "-\u{301}a", "•x", "•\u{301}", "©2019",
                     "©\u{301}", "\u{2022}", "h\u{301}ttp", "", "ｈttp"]
        for t in Self.flatTokens + extra {
            XCTAssertEqual(FlatPageAnalysis.starts(t, with: "http"), t.hasPrefix("http"), t.debugDescription)
            XCTAssertEqual(FlatPageAnalysis.starts(t, with: "www."), t.hasPrefix("www."), t.debugDescription)
            XCTAssertEqual(FlatPageAnalysis.starts(t, with: "-"), t.hasPrefix("-"), t.debugDescription)
            XCTAssertEqual(FlatPageAnalysis.starts(t, with: "•"), t.hasPrefix("•"), t.debugDescription)
            XCTAssertEqual(FlatPageAnalysis.starts(t, with: "©"), t.hasPrefix("©"), t.debugDescription)
        }
    }
}

/// The flat-page rules' fast paths (words looked up by their bytes, facts of ASCII tokens read in
/// one pass, phrases hashed as they grow) give what the rules asked as text give.
final class FlatFastPathTests: XCTestCase {
    /// The tokens of every flat page of the fixtures, and tokens made to catch the slow paths out.
    static let pages: [[String]] = {
        let dirs = [Fixtures.dataDir, Fixtures.sampleDir, Fixtures.repoRoot.appendingPathComponent("Tests/Fixtures/flat-unseen")]
        var out: [[String]] = []
        for dir in dirs {
            let files = (try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? []
            for file in files.sorted(by: { $0.path < $1.path }) where file.pathExtension == "txt" {
                if let text = try? String(contentsOf: file, encoding: .utf8) { out.append(Tokenizer.whitespaceTokens(text)) }
            }
        }
        out.append(["•", "•\u{301}x", "-a", "-é", "-a\u{301}", "-\u{301}a", "-", "--a", "-1", "", "café.", "cafe\u{301}", "\u{212A}",
                    "k", "Å", "A\u{30A}", "\u{212B}", "ﬁle", "2019)\"", "\")", "a.\u{201D}", "http://x", "www.y", "a@b", "1234",
                    "12ab", "'", "it's", "e.g.", "privacy", "policy", "contact", "us", "café", "policy", "your", "choices",
                    ")", "\"", ".)", "café", "terms", "cafe\u{301}", "terms"])
        return out
    }()

    func testWordSetsHoldWhatSetsOfStringsHold() {
        let tokens = Self.pages.flatMap { $0 }
        let words = Array(Set(tokens.prefix(3_000).map(FlatPageAnalysis.strip))) + ["café", "\u{212B}", "k", "contact us", "–", "—"]
        let set = Set(words), wordSet = WordSet(words)
        var asked = 0, held = 0
        for t in tokens + tokens.map(FlatPageAnalysis.strip) + ["cafe\u{301}", "Å", "A\u{30A}", "\u{212A}", "K", "ﬁ", "contact  us"] {
            asked += 1
            XCTAssertEqual(wordSet.contains(t), set.contains(t), t)
            if set.contains(t) { held += 1 }
            if t.utf8.allSatisfy({ $0 < 0x80 }) {
                var bytes = t
                bytes.withUTF8 { XCTAssertEqual(wordSet.contains(ascii: $0, hash: ByteInterner.hash($0)), set.contains(t), t) }
            }
        }
        XCTAssertGreaterThan(held, 1_000)
        XCTAssertGreaterThan(asked - held, 100)
        XCTAssertFalse(WordSet([]).contains("a"))
        XCTAssertTrue(WordSet(["cafe\u{301}"]).contains("café"))
        XCTAssertTrue(WordSet(["\u{212B}"]).contains("Å"))
        // Kept in NFC, asked as ASCII: the Kelvin sign is "K".
        var k = "K"
        k.withUTF8 { XCTAssertTrue(WordSet(["\u{212A}"]).contains(ascii: $0, hash: ByteInterner.hash($0))) }
        XCTAssertTrue(WordSet(["\u{212A}"]).contains("K"))
    }

    func testTheFactsOfAnASCIITokenAreTheRulesAnswers() {
        var fast = 0
        for t in Self.pages.flatMap({ $0 }) + ["...", "more...", "...)", "\"...\"", "a.)...)", "..", "etc..", "x...?"] {
            guard let f = FlatPageAnalysis.asciiFacts(t) else { continue }
            fast += 1
            XCTAssertEqual(f.endsSentence, FlatPageAnalysis.endsSentence(t), t)
            XCTAssertEqual(f.endsRun, FlatPageAnalysis.endsRun(t), t)
            XCTAssertEqual(f.softBoundary, FlatPageAnalysis.isSoftBoundary(t), t)
            XCTAssertEqual(f.wordEnd, FlatPageAnalysis.endsLikeAWord(t), t)
        }
        XCTAssertGreaterThan(fast, 10_000)
    }

    func testListItemsOpenAsTheirCharactersSay() {
        var items = 0
        for t in Self.pages.flatMap({ $0 }) {
            let expected = t.hasPrefix("•") || (t.hasPrefix("-") && t.dropFirst().first?.isLetter == true)
            XCTAssertEqual(FlatPolicyParser.opensItem(t), expected, t)
            if expected { items += 1 }
        }
        XCTAssertGreaterThan(items, 20)
    }

    func testTokensJoinedByBytesAreTokensJoined() {
        var joined = 0
        for tokens in Self.pages {
            for start in stride(from: 0, to: tokens.count, by: 41) {
                for length in [0, 1, 2, 13] where start + length <= tokens.count {
                    let slice = tokens[start..<(start + length)]
                    XCTAssertEqual(Array(Tokenizer.joinedBySpaces(slice).utf8), Array(slice.joined(separator: " ").utf8))
                    joined += 1
                }
            }
        }
        XCTAssertGreaterThan(joined, 1_000)
    }

    func testControlsAreStrippedAsScalars() {
        func reference(_ t: String) -> String {
            String(String.UnicodeScalarView(t.unicodeScalars.filter { !(($0.value < 0x20 && $0 != "\n" && $0 != "\t") || ($0.value >= 0x7F && $0.value < 0xA0)) }))
        }
        let made = ["a\u{1}b", "\u{85}x", "x\u{7F}", "\u{9F}", "\u{A0}é\u{C2}", "tab\there\nline", "\u{0}", "plain", "",
                    "\u{80}\u{C0}", "🙂\u{1B}[0m"]
        for t in made + Self.pages.flatMap({ $0 }).prefix(20_000) {
            XCTAssertEqual(Array(SourceText.stripControls(t).utf8), Array(reference(t).utf8), t.debugDescription)
        }
    }

    func testDatesInFileNamesAreThePatternsFirstMatch() {
        var names = ["a__2019-01-02.md", "x-2019-1-02", "12345-67-890", "\u{662}\u{660}\u{661}\u{669}-\u{660}\u{661}-\u{660}\u{662}",
                     "2019-01-0", "ab2019-01-02cd2020-02-03", "2019-01-02", "", "é2019-01-02", "20199-01-022"]
        for dir in [Fixtures.dataDir, Fixtures.sampleDir] {
            names += ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).map { ($0 as NSString).deletingPathExtension }
        }
        var dated = 0
        for name in names {
            let expected = name.range(of: #"\d{4}-\d{2}-\d{2}"#, options: .regularExpression).map { String(name[$0]) }
            if let ascii = CorpusLoader.asciiDate(in: name) { XCTAssertEqual(ascii, expected, name) }
            // The hint keeps a date the calendar has (written in ASCII digits): "2345-67-89" is none.
            let calendar = expected.flatMap { DateText.normalise($0) == $0 ? $0 : nil }
            XCTAssertEqual(CorpusLoader.fileNameHints(name + ".md").1, calendar, name)
            if expected != nil { dated += 1 }
        }
        XCTAssertGreaterThan(dated, 10)
    }

    func testKnownHeadingsReadByBytesAreThoseReadAsText() {
        let retailer: Set<String> = ["contact us", "your choices", "café policy", "cafe\u{301} terms", "privacy", "what we collect",
                                     "cookies"]
        var compared = 0, found = 0
        for tokens in Self.pages {
            for retailerHeadings in [[], retailer] {
                let a = FlatPageAnalysis(tokens: tokens, knowledge: .builtIn, retailer: retailerHeadings)
                for i in tokens.indices {
                    guard let fast = a.asciiKnownHeadingBests(at: i) else { continue }
                    compared += 1
                    let text = a.textKnownHeadingBests(at: i)
                    XCTAssertEqual(fast.map { "\(String(describing: $0))" }, text.map { "\(String(describing: $0))" }, tokens[i])
                    if fast.contains(where: { $0 != nil }) { found += 1 }
                }
            }
        }
        XCTAssertGreaterThan(compared, 10_000)
        XCTAssertGreaterThan(found, 200)
    }
}
