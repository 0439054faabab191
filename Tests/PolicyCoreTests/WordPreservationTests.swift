import XCTest
@testable import PolicyCore

/// No policy text is lost or doubled: every word of the policy body appears exactly once,
/// in the title, a section title or a clause.
final class WordPreservationTests: XCTestCase {
    /// Words of a parsed document in reading order.
    static func documentWords(_ doc: PolicyDocument) -> [String] {
        var words = Tokenizer.foldedWords(doc.title)
        for section in doc.allSections {
            // An excerpt title repeats the section's opening words (its heading was empty).
            if !section.isPreamble, !section.titleIsExcerpt { words += Tokenizer.foldedWords(section.title) }
            for clause in section.clauses {
                // A numbered paragraph's number is a word of the source ("3 We collect …"); a list
                // item's marker is markup, which `markdownBodyWords` leaves out.
                if clause.kind == .paragraph, let marker = clause.marker { words += Tokenizer.foldedWords(marker) }
                words += Tokenizer.foldedWords(clause.text)
            }
        }
        return words
    }

    /// Words of a Markdown source's body: the header blockquote and link targets removed.
    static func markdownBodyWords(_ source: String) -> [String] {
        var lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let first = lines.first, first.trimmingCharacters(in: .whitespaces).isEmpty || first.hasPrefix(">") {
            lines.removeFirst()
        }
        var body = lines.joined(separator: "\n")
        // A link back to the top of the page ("return to top", "**Heading** [top]") is navigation.
        body = body.replacingOccurrences(of: #"(?im)(^|\*\*)[ \t]*\[?((back|return|go) to )?top( of page)?\]?(\([^)]*\))?[ \t^↑]*$"#,
                                         with: "$1", options: .regularExpression)
        // Ordered-list numbers are list markup, not words of the text.
        body = body.replacingOccurrences(of: #"(?m)^\s*\d+[.)]\s"#, with: " ", options: .regularExpression)
        // `[text](target)` → `text`: the target is not policy text.
        body = body.replacingOccurrences(of: #"\]\([^)\s]*(\s+"[^"]*")?\)"#, with: "]", options: .regularExpression)
        return Tokenizer.foldedWords(body)
    }

    static func multiset(_ words: [String]) -> [String: Int] {
        words.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    func check(_ doc: PolicyDocument, file: StaticString = #filePath, line: UInt = #line) throws {
        let source = try String(contentsOf: URL(fileURLWithPath: doc.sourcePath), encoding: .utf8)
        let parsed = Self.documentWords(doc)
        switch doc.format {
        case .markdown:
            let expected = Self.multiset(Self.markdownBodyWords(source))
            let got = Self.multiset(parsed)
            let missing = expected.filter { got[$0.key, default: 0] < $0.value }.map(\.key).sorted()
            let extra = got.filter { expected[$0.key, default: 0] < $0.value }.map(\.key).sorted()
            XCTAssertEqual(missing, [], "\(doc.id): words lost", file: file, line: line)
            XCTAssertEqual(extra, [], "\(doc.id): words doubled or invented", file: file, line: line)
        case .flat:
            // The parsed words are one contiguous run of the page's words: nothing inside the
            // policy body is dropped, reordered or doubled (navigation and footer lie outside it).
            let page = Tokenizer.foldedWords(String(source.split(separator: "\n", maxSplits: 3).last ?? ""))
            XCTAssertFalse(parsed.isEmpty)
            var found = false
            let n = parsed.count
            for start in page.indices where start + n <= page.count && page[start] == parsed[0] {
                let window: [String] = Array(page[start..<(start + n)])
                if window == parsed { found = true; break }
            }
            XCTAssertTrue(found, "\(doc.id): parsed words are not the page's body words in order", file: file, line: line)
        }
    }

    func testBundledPoliciesKeepEveryWordOnce() throws {
        for doc in Fixtures.bundled.documents { try check(doc) }
    }

    func testSamplePoliciesKeepEveryWordOnce() throws {
        let corpus = try CorpusLoader.load(directory: Fixtures.sampleDir)
        XCTAssertGreaterThanOrEqual(corpus.documents.count, 10)
        for doc in corpus.documents { try check(doc) }
    }

    func testFlatBodyIsMostOfThePolicy() throws {
        // Guards the contiguity check above against a parser that keeps almost nothing.
        for doc in Fixtures.bundled.documents where doc.format == .flat {
            XCTAssertGreaterThan(doc.wordCount, 800, doc.id)
        }
    }
}
