import XCTest
@testable import PolicyCore

/// Flat scrapes of retailers the parser has never seen: every Markdown policy of data/ and the
/// sample corpus is flattened the way the scraper flattens a page (lower-cased, one line, the
/// site's navigation before and its footer after), then parsed with only the *other* retailers'
/// headings known. The Markdown headings are the answer key.
final class FlatHeldOutTests: XCTestCase {
    static let nav = "home shop new arrivals rings earrings necklaces bracelets sale gifts shopping bag (0) sign in my account "
        + "track your order customer service call us: 1-800-555-0100 free shipping on orders over $50 "
    static let footer = " about us | contact us | careers | store locator | terms of use | privacy policy "
        + "© 2016 example retail inc. all rights reserved. follow us on facebook twitter instagram pinterest"

    struct Score { var found = 0, expected = 0, reported = 0, correct = 0 }

    static func flatten(_ doc: PolicyDocument) -> String {
        var words: [String] = [doc.title]
        for section in doc.allSections {
            // An excerpt title (the heading was empty) is not on the page.
            if !section.isPreamble, !section.titleIsExcerpt { words.append(section.title) }
            for clause in section.clauses { words.append(clause.text) }
        }
        let stamp = doc.archiveDate.replacingOccurrences(of: "-", with: "") + "120000"
        return "来源URL: https://web.archive.org/web/\(stamp)/http://www.\(doc.domain)/privacy-policy\n"
            + String(repeating: "=", count: 80) + "\n\n"
            + (nav + words.joined(separator: " ") + footer).lowercased().replacingOccurrences(of: "\n", with: " ") + "\n"
    }

    func testHeadingsOfUnseenRetailersAreFound() throws {
        let files = CorpusLoader.policyFiles(in: Fixtures.dataDir) + CorpusLoader.policyFiles(in: Fixtures.sampleDir)
        let docs = try files.filter { $0.pathExtension == "md" }.map {
            try MarkdownPolicyParser().parse(try SourceText.decode(try Data(contentsOf: $0)), path: $0.path)
        }
        XCTAssertGreaterThanOrEqual(docs.count, 11)
        var total = Score()
        var report: [String] = []
        for doc in docs {
            var others = Set<String>()
            for other in docs where other.domain != doc.domain {
                for s in other.allSections where !s.isPreamble && !s.titleIsExcerpt { others.insert(HeadingLexicon.key(s.title)) }
            }
            let expected = Set(doc.allSections.filter { !$0.isPreamble && !$0.titleIsExcerpt }.map { HeadingLexicon.key($0.title) }.filter { !$0.isEmpty })
            let flat = try FlatPolicyParser(knowledge: HeadingKnowledge(corpusHeadings: others), retailerHeadings: [])
                .parse(Self.flatten(doc), path: "x.txt")
            let reported = flat.allSections.filter { !$0.isPreamble }.map { HeadingLexicon.key($0.title) }
            var s = Score()
            s.expected = expected.count
            s.found = expected.filter { reported.contains($0) }.count
            s.reported = reported.count
            s.correct = reported.filter { expected.contains($0) }.count
            total.found += s.found; total.expected += s.expected; total.reported += s.reported; total.correct += s.correct
            report.append("\(doc.id): headings found \(s.found)/\(s.expected), reported correct \(s.correct)/\(s.reported)"
                          + "\n   missed: \(expected.filter { !reported.contains($0) }.sorted().prefix(8))"
                          + "\n   wrong: \(reported.filter { !expected.contains($0) }.prefix(8))")
        }
        let recall = Double(total.found) / Double(max(1, total.expected))
        let precision = Double(total.correct) / Double(max(1, total.reported))
        print(report.joined(separator: "\n"))
        print(String(format: "held-out flat headings: recall %.2f (%d/%d), precision %.2f (%d/%d)",
                     recall, total.found, total.expected, precision, total.correct, total.reported))
        // Floors just under today's figures (0.67 / 0.54; 0.43 / 0.42 before phrases between
        // sentences, tables of contents and numbered headings were read, 0.32 / 0.33 before
        // question headings): a heuristic change that loses headings of unseen retailers fails
        // here. The answer key is strict (a Markdown bold lead-in the flat parser calls a heading
        // counts as wrong).
        XCTAssertGreaterThanOrEqual(recall, 0.65, report.joined(separator: "\n"))
        XCTAssertGreaterThanOrEqual(precision, 0.52, report.joined(separator: "\n"))
    }
}
