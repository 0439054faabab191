import XCTest
@testable import PolicyCore

/// Section alignment and word diffs: small hand-written cases and the bundled pairs.
final class ComparisonTests: XCTestCase {
    func section(_ path: String, _ title: String, _ text: String...) -> PolicySection {
        PolicySection(path: path, title: title, level: 1,
                      clauses: text.map { Clause(kind: .paragraph, text: $0, sectionPath: path, line: 1) })
    }

    func doc(_ sections: [PolicySection], folded: Bool = false, date: String = "2001-01-01") -> PolicyDocument {
        PolicyDocument(domain: "x.example", title: "P", format: folded ? .flat : .markdown, snapshotURL: nil, archiveDate: date,
                       lastUpdated: nil, caseFolded: folded, sections: sections, sourcePath: "/x")
    }

    let cookies = "We use cookies to remember your shopping cart and to measure how visitors move through our site."
    let children = "We never knowingly collect personal information from anyone under the age of thirteen years."
    let security = "We protect your data with encryption, firewalls and strict access controls at every data centre."
    let contact = "Write to our privacy officer at the postal address below or call our toll free telephone line."

    func titles(_ c: Comparison) -> [String] {
        c.pairs.map { "\($0.left?.title ?? "-") > \($0.right?.title ?? "-") \($0.status.rawValue)" }
    }

    func testRenamedSectionPairsWithItsOldSelf() {
        let a = doc([section("1", "Cookies", cookies), section("2", "Children's privacy", children)])
        let b = doc([section("1", "Cookies", cookies), section("2", "Use by minors", children)])
        XCTAssertEqual(titles(Comparison(a, b)), ["Cookies > Cookies unchanged", "Children's privacy > Use by minors changed"])
    }

    func testTitlesSharingOnlyAPolicysOwnWordsDoNotPair() {
        // "privacy" is in every policy's headings: it makes no two sections alike.
        let changes = "We may change this statement from time to time and will post every change on this page with its date."
        let commitment = "We respect your trust: this page says what we do with what you tell us, and we keep to it every time."
        let a = doc([section("1", "Changes in this privacy statement", changes), section("2", "Security", security)])
        let b = doc([section("1", "Our commitment to privacy", commitment), section("2", "Security", security)])
        XCTAssertEqual(Set(titles(Comparison(a, b))), ["Changes in this privacy statement > - removed",
                                                        "- > Our commitment to privacy added", "Security > Security unchanged"])
        // A title made of those words alone still pairs with itself, its text rewritten.
        let c = doc([section("1", "Privacy Notice", changes), section("2", "Security", security)])
        let d = doc([section("1", "Privacy Notice", commitment), section("2", "Security", security)])
        XCTAssertEqual(titles(Comparison(c, d)), ["Privacy Notice > Privacy Notice changed", "Security > Security unchanged"])
    }

    func testAPreamblePairsWithTheSectionThatTitlesItsText() {
        // A later version puts "Introduction" over the opening text (and a new preamble line).
        var preamble = section("0", "Preamble", cookies + " " + children)
        preamble.isPreamble = true
        var shortPreamble = section("0", "Preamble", "Effective today.")
        shortPreamble.isPreamble = true
        let a = doc([preamble, section("1", "Security", security)])
        let b = doc([shortPreamble, section("1", "Introduction", cookies + " " + children), section("2", "Security", security)])
        XCTAssertEqual(titles(Comparison(a, b)), ["- > Preamble added", "Preamble > Introduction changed", "Security > Security unchanged"])
        // Unlike texts never pair across a preamble.
        let c = doc([section("1", "Introduction", contact), section("2", "Security", security)])
        XCTAssertEqual(Set(titles(Comparison(a, c))), ["Preamble > - removed", "- > Introduction added", "Security > Security unchanged"])
    }

    func testMovedSection() {
        let a = doc([section("1", "Cookies", cookies), section("2", "Security", security), section("3", "Contact", contact)])
        let b = doc([section("1", "Security", security), section("2", "Contact", contact), section("3", "Cookies", cookies)])
        let c = Comparison(a, b)
        XCTAssertEqual(titles(c), ["Security > Security unchanged", "Contact > Contact unchanged", "Cookies > Cookies moved"])
        XCTAssertEqual(c.stats.sectionsMoved, 1)
        XCTAssertEqual(c.stats.addedWords + c.stats.removedWords, 0)
    }

    func testAddedAndRemovedSections() {
        let a = doc([section("1", "Cookies", cookies), section("2", "Contact us", contact)])
        let b = doc([section("1", "Cookies", cookies), section("2", "Security", security)])
        let c = Comparison(a, b)
        XCTAssertEqual(Set(titles(c)), ["Cookies > Cookies unchanged", "- > Security added", "Contact us > - removed"])
        XCTAssertEqual(c.stats.sectionsAdded, 1)
        XCTAssertEqual(c.stats.sectionsRemoved, 1)
    }

    func testSplitAndMergeNameTheirCounterpart() {
        let a = doc([section("1", "Data we hold", cookies + " " + security + " " + children)])
        let b = doc([section("1", "Data we hold", cookies + " " + children), section("2", "Keeping data safe", security)])
        let split = Comparison(a, b)
        let added = split.pairs.first { $0.status == .added }
        XCTAssertEqual(added?.right?.title, "Keeping data safe")
        XCTAssertEqual(added?.counterpart?.title, "Data we hold", "a split names the section it came from")
        let merge = Comparison(b, a)
        let removed = merge.pairs.first { $0.status == .removed }
        XCTAssertEqual(removed?.counterpart?.title, "Data we hold", "a merge names the section it went into")
    }

    /// A flat page's heading over the ones after it has no words: it heads the section after it,
    /// which then meets the section opposite that has both their words.
    func testAHeadingWithoutWordsHeadsTheSectionAfterIt() {
        let a = doc([section("1", "Information collection and how it is used"), section("2", "General information", cookies + " " + children),
                     section("3", "Security", security)])
        let b = doc([section("1", "Information Collection and How it is Used", cookies + " " + children + " We may keep it."),
                     section("2", "Security", security)])
        XCTAssertEqual(titles(Comparison(a, b)), ["Information collection and how it is used › General information > Information Collection and How it is Used changed",
                                                  "Security > Security unchanged"])
        // The folded heading is not a rename: the section's own title is compared.
        let titled = doc([section("1", "Acme Privacy Policy"), section("2", "Cookies", cookies)])
        let plain = doc([section("1", "Cookies", cookies)])
        XCTAssertEqual(titles(Comparison(titled, plain)), ["Acme Privacy Policy › Cookies > Cookies unchanged"])
        XCTAssertEqual(Comparison(titled, plain).folded.left, ["1": "2"])
        // A heading at the end, with nothing after it, stays a section of its own.
        let trailing = doc([section("1", "Security", security), section("2", "Contact us")])
        XCTAssertEqual(titles(Comparison(trailing, b)).last, "Contact us > - removed")
    }

    /// A lone section holding all the others (one heading over the whole policy) is stepped into:
    /// its subsections meet the other side's sections, its own words are a section of its title.
    func testALoneWrapperIsSteppedInto() {
        var inner = section("1.1", "Privacy policy and legal notice")
        inner.children = [section("1.1.1", "Cookies", cookies), section("1.1.2", "Security", security), section("1.1.3", "Children", children)]
        var wrapper = section("1", "Privacy and Security", contact)
        wrapper.children = [inner]
        let a = doc([wrapper])
        let b = doc([section("1", "Cookies", cookies), section("2", "Keeping data safe", security), section("3", "Use by minors", children)])
        let c = Comparison(a, b)
        XCTAssertEqual(titles(c), ["Privacy and Security > - removed", "Cookies > Cookies unchanged",
                                   "Security > Keeping data safe changed", "Children > Use by minors changed"])
        XCTAssertEqual(c.pairs.first?.removedWords, contact.split(separator: " ").count, "the wrapper's own words only")
    }

    func testCaseFoldedSideNeverReportsCaseChanges() {
        let a = doc([section("1", "cookies", cookies.lowercased())], folded: true)
        let b = doc([section("1", "Cookies", cookies)])
        let c = Comparison(a, b)
        XCTAssertEqual(c.pairs.map(\.status), [.unchanged])
        XCTAssertEqual(c.stats.addedWords + c.stats.removedWords, 0)
        let strict = WordDiff("Google Analytics", "google analytics")
        XCTAssertEqual(strict.addedWords, 2, "without folding, case is a change")
    }

    func testMarkupAndWhitespaceAreNotChanges() throws {
        let header = "> *The following text is extracted and transformed from the x.example privacy policy that was archived on 2001-01-01. Please check the [original snapshot on the Wayback Machine](https://web.archive.org/web/20010101000000/http://x.example/) for the most accurate reproduction.*\n\n# P\n\n## Cookies\n\n"
        let a = try MarkdownPolicyParser().parse(header + "We use **cookies** to   remember\nyour cart. See [our page](http://a).\n", path: "a")
        let b = try MarkdownPolicyParser().parse(header + "We use _cookies_ to remember your cart.  See [our page](http://b).\n", path: "b")
        let c = Comparison(a, b)
        XCTAssertEqual(c.stats.addedWords + c.stats.removedWords, 0)
        XCTAssertEqual(c.pairs.map(\.status), [.unchanged])
    }

    func testRewrittenSentenceIsOneChangeNotConfetti() {
        let d = WordDiff("We do not sell your data to any of our partners.",
                         "We will never rent or sell the data to a partner.")
        XCTAssertLessThanOrEqual(d.segments.filter { $0.kind != .equal }.count, 4, d.plainMarkup)
        XCTAssertEqual(WordDiff("a b c", "a x c").plainMarkup, "a [-b-]{+x+} c")
        XCTAssertEqual(WordDiff("Keep it.", "Keep it safe.").plainMarkup, "Keep it {+safe+}.")
        // Spaces after a change stay outside its markers; a space that carries a mark is text.
        XCTAssertEqual(WordDiff.plainMarked(.added, "café au lait  "), "{+café au lait+}  ")
        XCTAssertEqual(WordDiff.plainMarked(.removed, "x \u{308}"), "[-x \u{308}-]")
        XCTAssertEqual(WordDiff.plainMarked(.equal, "same "), "same ")
    }

    /// Both edit-script engines (Myers for near-equal gaps, the LCS table it hands long scripts
    /// to) must find a minimal script: removals = n − LCS, insertions = m − LCS, and what is left
    /// on each side is the same token sequence.
    func testEditScriptsAreMinimal() {
        var rng = SystemRandomNumberGenerator()
        func lcs(_ a: [Int], _ b: [Int]) -> Int {
            var t = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
            for i in stride(from: a.count - 1, through: 0, by: -1) {
                for j in stride(from: b.count - 1, through: 0, by: -1) {
                    t[i][j] = a[i] == b[j] ? t[i + 1][j + 1] + 1 : max(t[i + 1][j], t[i][j + 1])
                }
            }
            return t[0][0]
        }
        for round in 0..<400 {
            // Small alphabets give many ties; lopsided lengths push Myers onto the table.
            let n = Int.random(in: 0...40, using: &rng)
            let m = round % 4 == 0 ? Int.random(in: 100...400, using: &rng) : Int.random(in: 0...40, using: &rng)
            let alphabet = [2, 4, 10][round % 3]
            let a = (0..<n).map { _ in Int.random(in: 0..<alphabet, using: &rng) }
            let b = (0..<m).map { _ in Int.random(in: 0..<alphabet, using: &rng) }
            let expected = lcs(a, b)
            for engine in ["myers", "table"] {
                var removed = [Bool](repeating: false, count: n)
                var inserted = [Bool](repeating: false, count: m)
                if engine == "myers" {
                    var scratch = WordDiff.DiffScratch(vocabulary: alphabet)
                    WordDiff.myers(a[...], b[...], removed: &removed, inserted: &inserted, scratch: &scratch)
                } else {
                    WordDiff.lcsTable(a[...], b[...], removed: &removed, inserted: &inserted)
                }
                let keptA = zip(a, removed).filter { !$0.1 }.map(\.0)
                let keptB = zip(b, inserted).filter { !$0.1 }.map(\.0)
                XCTAssertEqual(keptA, keptB, "\(engine): \(a) → \(b)")
                XCTAssertEqual(keptA.count, expected, "\(engine) is not minimal: \(a) → \(b)")
            }
        }
    }

    func testDiamondNexusFlat2015ToMarkdown2016() {
        let c = Comparison(Fixtures.doc("diamondnexus.com@2015-09-27"), Fixtures.doc("diamondnexus.com@2016-03-14"))
        let pairs = c.pairs.filter { $0.left != nil && $0.right != nil }
            .map { "\(HeadingLexicon.key($0.left?.title ?? "")) ↔ \(HeadingLexicon.key($0.right?.title ?? ""))" }
        XCTAssertEqual(pairs, [
            "our commitment to privacy ↔ our commitment to privacy",
            "the way we use our information ↔ the way we use our information",
            "our commitment to data security ↔ our commitment to data security",
            "our commitment to children's privacy ↔ our commitment to children's policy",
            "how you can access or correct your information ↔ how can you access or correct your information",
            "cookies ↔ cookies", "google analytics ↔ google analytics",
        ])
        // A title changed over the same words is named a rename, not a change with nothing marked.
        XCTAssertEqual(c.pairs.filter { $0.left != nil && $0.right != nil }.map(\.statusName),
                       ["unchanged", "changed", "unchanged", "renamed", "renamed", "unchanged", "unchanged"])
        XCTAssertEqual(c.pairs.filter { $0.status == .removed }.compactMap { $0.left?.title },
                       ["the information we collect", "how to contact us"])
        XCTAssertEqual(c.stats.sectionsAdded, 0)
        // Letter case never counts: only real text changes remain.
        for pair in c.pairs where pair.left != nil && pair.right != nil {
            for seg in pair.diff.segments where seg.kind != .equal {
                XCTAssertFalse(SectionAligner.text(pair.left!).lowercased().contains(seg.text.lowercased().trimmingCharacters(in: .whitespaces))
                               && SectionAligner.text(pair.right!).lowercased().contains(seg.text.lowercased().trimmingCharacters(in: .whitespaces))
                               && seg.text.count > 20, "case-only change reported: \(seg.text)")
            }
        }
        XCTAssertEqual(c.pairs.first { $0.left?.title == "cookies" }?.status, .unchanged)
    }

    func testJamesAllen2010To2019() {
        let c = Comparison(Fixtures.doc("jamesallen.com@2010-12-31"), Fixtures.doc("jamesallen.com@2019-07-04"))
        var partner: [String: String] = [:]
        for p in c.pairs { if let l = p.left, let r = p.right { partner[l.title] = r.path } }
        XCTAssertEqual(partner["Information we collect"], "1")
        XCTAssertEqual(partner["Security"], "3")
        XCTAssertEqual(partner["Access to correction"], "6")
        XCTAssertEqual(partner["Children's privacy"], "7")
        XCTAssertGreaterThan(c.stats.addedWords, c.stats.removedWords)
        XCTAssertEqual(c.stats.sectionsAdded + c.stats.sectionsRemoved + c.stats.sectionsMoved + c.stats.sectionsChanged
                       + c.stats.sectionsUnchanged, c.pairs.count)
    }

    func testRetailerHistoryForTheTimeline() throws {
        let ja = try XCTUnwrap(Fixtures.bundled.retailer(domain: "jamesallen.com"))
        let history = Comparison.history(of: ja)
        XCTAssertEqual(history.map(\.to), ["jamesallen.com@2019-07-04"])
        XCTAssertGreaterThan(history[0].stats.changedShare, 0.5)
    }

    /// The pairs' word diffs are computed on every core, longest first; each must still be the diff
    /// of its own pair, in the aligner's order. Every ordered pair of the bundled versions.
    func testDiffsSharedAcrossCoresBelongToTheirPairs() {
        let docs = Fixtures.bundled.documents
        for a in docs {
            for b in docs where a.id != b.id {
                let comparison = Comparison(a, b)
                let matches = SectionAligner.align(a.sections, b.sections)
                XCTAssertEqual(comparison.pairs.map { $0.left?.path }, matches.map { $0.left?.path }, "\(a.id) \(b.id)")
                XCTAssertEqual(comparison.pairs.map { $0.right?.path }, matches.map { $0.right?.path }, "\(a.id) \(b.id)")
                for (pair, match) in zip(comparison.pairs, matches) {
                    let alone = WordDiff(match.left.map(SectionAligner.text) ?? "", match.right.map(SectionAligner.text) ?? "",
                                         foldCase: a.caseFolded || b.caseFolded)
                    XCTAssertEqual(pair.diff, alone, "\(a.id) \(b.id) \(match.left?.path ?? "-") \(match.right?.path ?? "-")")
                }
            }
        }
    }

    func testParallelMapKeepsTheItemsOrderWhateverTheCost() {
        var generator = SystemRandomNumberGenerator()
        for count in [0, 1, 2, 3, 17, 500] {
            let items = (0..<count).map { _ in Int.random(in: 0..<1000, using: &generator) }
            let expected = items.map { $0 * 3 + 1 }
            XCTAssertEqual(Parallel.map(items) { $0 * 3 + 1 }, expected)
            XCTAssertEqual(Parallel.map(items, cost: { $0 }) { $0 * 3 + 1 }, expected)
            XCTAssertEqual(Parallel.map(items, cost: { -$0 }) { $0 * 3 + 1 }, expected)
            for threads in [0, 1, 2, 3, 64] { XCTAssertEqual(Parallel.map(items, threads: threads) { $0 * 3 + 1 }, expected) }
        }
    }
}
