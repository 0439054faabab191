import PolicyCore
import TerminalUI
import XCTest
@testable import RedlineApp

/// Screen tests through the in-memory backend: every pane, help, search, compare, sizes, NO_COLOR.
final class BrowserScreenTests: XCTestCase {
    func testBrowseAt120x32() {
        let h = Harness()
        XCTAssertTrue(h.screen.contains("Diamond Nexus"))
        XCTAssertTrue(h.screen.contains("James Allen"))
        XCTAssertTrue(h.screen.contains("WorldJewels"))
        h.press(.char("j"))    // James Allen
        h.assertGolden("browse-120x32")
    }

    func testPanesAndTreeNavigation() {
        let h = Harness().press(.char("j"), .tab, .tab)   // James Allen, versions, sections (2019 selected)
        XCTAssertEqual(h.app.state.focus, .sections)
        XCTAssertTrue(h.screen.contains("6. Your Rights"))
        XCTAssertTrue(h.screen.contains("A. EU Data"))
        for _ in 0..<6 { h.press(.char("j")) }          // 6. Your Rights and Choices
        let expanded = h.app.treeItems.count
        h.press(.char("h"))                              // collapse
        XCTAssertEqual(h.app.treeItems.count, expanded - 3)
        XCTAssertTrue(h.screen.contains("▸6. Your Rights"), h.screen)
        h.press(.enter)                                  // expand again
        XCTAssertEqual(h.app.treeItems.count, expanded)
        h.press(.enter)                                  // into the reader, at section 6
        XCTAssertEqual(h.app.state.focus, .reader)
        XCTAssertTrue(h.screen.contains("Your Rights and Choices"))
        h.press(.char("G"))
        XCTAssertTrue(h.screen.contains("100%"))
        h.press(.tab)
        XCTAssertEqual(h.app.state.focus, .retailers)
        h.press(.backTab)
        XCTAssertEqual(h.app.state.focus, .reader)
    }

    func testSectionsWithEmptyHeadingsAreNamedByTheirOpeningWordsInItalics() throws {
        // bluenile.com 2006: every `## ` heading is empty.
        let sample = try CorpusLoader.load(directory: Harness.repoRoot.appendingPathComponent("Tests/Fixtures/corpus-sample"))
        let corpus = Corpus(retailers: sample.retailers.filter { $0.domain == "bluenile.com" })
        let app = BrowserApp(corpus: corpus, index: nil, width: 120, height: 40)
        for key in [Key.tab, .tab] { for effect in app.handle(key) { app.receive(app.run(effect)) } }
        let frame = app.render()
        let screen = frame.lines.joined(separator: "\n")
        // The tree is 28 columns wide here: "Blue Nile does not knowingly collect personal…" is cut, and says so.
        let row = try XCTUnwrap(frame.lines.firstIndex { $0.contains("│  Blue Nile does not knowin…│") }, screen)
        let x = try XCTUnwrap(frame.lines[row].range(of: "Blue Nile")).lowerBound.utf16Offset(in: frame.lines[row])
        XCTAssertTrue(frame[TextWidth.columns(String(frame.lines[row].prefix(x))), row].style.attributes.contains(.italic))
        // The reader does not repeat the opening words as a heading.
        XCTAssertTrue(screen.contains("(untitled section)"), screen)
    }

    func testWalkingThroughACachedCorpusKeepsOnlyTheLatestVersionsDecoded() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redline-walk-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let sample = Harness.repoRoot.appendingPathComponent("Tests/Fixtures/corpus-sample")
        let catalog = try Catalog(source: .folder(sample), path: dir.appendingPathComponent("catalog.sqlite").path)
        try catalog.refresh()
        let corpus = try catalog.corpus()   // nothing decoded yet
        XCTAssertTrue(corpus.documents.allSatisfy { !$0.sectionsLoaded })
        let app = BrowserApp(corpus: corpus, index: nil, width: 120, height: 40)
        app.retainedDocuments = 3
        _ = app.render()
        for _ in 0..<(corpus.retailers.count - 1) {
            for effect in app.handle(.char("j")) { app.receive(app.run(effect)) }
            _ = app.render()
            XCTAssertLessThanOrEqual(corpus.documents.filter(\.sectionsLoaded).count, 3, "\(corpus.documents.filter(\.sectionsLoaded).map(\.id)) on \(app.document?.id ?? "")")
            XCTAssertTrue(app.document?.sectionsLoaded ?? false, "the version on screen stays decoded")
        }
        // Back to the first: read again from the cache, the same as before.
        for _ in 0..<(corpus.retailers.count - 1) { _ = app.handle(.char("k")) }
        _ = app.render()
        XCTAssertEqual(app.document?.id, corpus.retailers.first?.versions.last?.id)
        XCTAssertEqual(app.document?.sections, try CorpusLoader.load(directory: sample).document(id: app.document!.id)?.sections)
        XCTAssertLessThanOrEqual(corpus.documents.filter(\.sectionsLoaded).count, 3)
    }

    /// A catalog's retailers are read a page at a time: the first screen reads one page, the end
    /// of the list the pages its rows are on, and the filter reads names only.
    func testTheRetailerListIsReadAPageAtATime() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redline-pages-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = dir.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let retailers = 3 * RetailerList.pageSize + 10
        for k in 0..<retailers {
            let domain = String(format: "shop%04d.com", k)
            try ("> *The following text is extracted and transformed from the \(domain) privacy policy that was archived on 2014-02-02.*"
                 + "\n\n# Privacy Policy\n\n## Sharing\n\nShop \(k) shares nothing.\n")
                .write(to: folder.appendingPathComponent(domain + "__2014-02-02.md"), atomically: true, encoding: .utf8)
        }
        let catalog = try Catalog(source: .folder(folder), path: dir.appendingPathComponent("catalog.sqlite").path)
        try catalog.refresh()
        let list = try RetailerList(catalog: catalog)
        let app = BrowserApp(retailers: list, index: nil, width: 100, height: 30)
        var screen = app.render().lines.joined(separator: "\n")
        XCTAssertTrue(screen.contains("Retailers (\(retailers))"), screen)
        XCTAssertEqual(list.pagesRead, 1, "the first screen reads the first page only")
        _ = app.handle(.char("G"))
        screen = app.render().lines.joined(separator: "\n")
        let last = try XCTUnwrap(catalog.corpus().retailers.last)
        XCTAssertTrue(screen.contains(last.name), screen)
        XCTAssertEqual(app.retailer?.domain, last.domain)
        XCTAssertEqual(list.pagesRead, 3, "the end of the list reads the pages of the rows on screen")
        _ = app.handle(.char("F"))
        for c in "shop0600" { _ = app.handle(.char(c)) }   // on page 2, not read yet
        screen = app.render().lines.joined(separator: "\n")
        XCTAssertTrue(screen.contains("1/\(retailers) retailers match"), screen)
        XCTAssertTrue(screen.contains("shop0600.com"), screen)
        XCTAssertEqual(list.pagesRead, 3, "the filter reads names, not pages")
    }

    /// Without the category model yet, the reader is drawn without tags; when it comes, the tags
    /// appear and the reader stays on the clause it showed.
    func testCategoryTagsArriveWithoutMovingTheReader() {
        tagsArrive(duringAComparison: false)
    }

    func testCategoryTagsArrivingDuringAComparisonKeepTheReadersPlace() {
        tagsArrive(duringAComparison: true)
    }

    func tagsArrive(duringAComparison: Bool, file: StaticString = #filePath, line: UInt = #line) {
        let app = BrowserApp(corpus: Harness.corpus, index: nil, width: 100, height: 30)
        nonisolated(unsafe) var read = false
        app.categoriesRead = { read }
        _ = app.handle(.char("j"))   // James Allen, 2019: a long policy
        _ = app.handle(.tab)
        _ = app.handle(.tab)
        _ = app.handle(.tab)
        for _ in 0..<40 { _ = app.handle(.char("j")) }
        let before = app.render().lines.joined(separator: "\n")
        XCTAssertFalse(before.contains("‹"), before)
        let top = app.readerLines()[app.state.readerOffset]
        if duringAComparison { _ = app.handle(.char("c")); XCTAssertEqual(app.state.mode, .compare, file: file, line: line) }
        read = true
        app.categoriesMade()
        XCTAssertTrue(app.takeBackgroundChange())
        _ = app.refreshEffects()
        if duringAComparison { _ = app.handle(.escape); XCTAssertEqual(app.state.mode, .browse, file: file, line: line) }
        let after = app.render().lines.joined(separator: "\n")
        XCTAssertTrue(after.contains("‹"), after)
        let now = app.readerLines()[app.state.readerOffset]
        XCTAssertEqual(now.clauseIndex, top.clauseIndex, "the reader stays on its clause")
        XCTAssertNotNil(top.clauseIndex)
    }

    /// Rewrapping moves line numbers: the reader keeps its clause across a resize made while a
    /// comparison covers it, and across a screen too small to draw.
    func testTheReaderKeepsItsClauseThroughAComparisonAndATinyScreen() {
        let h = Harness(width: 120, height: 30).press(.char("j"), .tab, .tab, .tab)   // James Allen, 2019
        for _ in 0..<60 { h.press(.char("j")) }
        func top() -> (String?, Int?) {
            let line = h.app.readerLines()[h.app.state.readerOffset]
            return (line.sectionPath, line.clauseIndex)
        }
        for _ in 0..<10 where top().1 == nil { h.press(.char("j")) }   // a clause's line at the top
        let before = top()
        XCTAssertNotNil(before.1)
        XCTAssertGreaterThan(h.app.state.readerOffset, 40)
        h.press(.char("c"))
        XCTAssertEqual(h.app.state.mode, .compare)
        h.resize(200, 50)
        h.press(.escape)
        XCTAssertEqual(h.app.state.mode, .browse)
        XCTAssertTrue(top() == before, "after a comparison at another size: \(top()) against \(before)")
        h.resize(120, 30)
        XCTAssertTrue(top() == before, "back at the first size: \(top()) against \(before)")
        h.resize(20, 5)
        XCTAssertTrue(h.screen.contains("terminal too small"))
        h.resize(120, 30)
        XCTAssertTrue(top() == before, "after a screen too small to draw: \(top()) against \(before)")
    }

    /// Table columns take what they hold: a short column what it needs, the long ones the rest in
    /// proportion, none below 14; records when that cannot be.
    func testTableColumnsAreSizedByWhatTheyHold() {
        XCTAssertEqual(DocumentLayout.columnWidths(natural: [3, 200, 100], width: 90), [3, 58, 29])
        XCTAssertEqual(DocumentLayout.columnWidths(natural: [10, 20], width: 90), [10, 20])
        XCTAssertEqual(DocumentLayout.columnWidths(natural: [300, 10, 20], width: 50), [20, 10, 20])
        XCTAssertEqual(DocumentLayout.columnWidths(natural: [400, 400, 15], width: 60), [23, 22, 15])
        XCTAssertNil(DocumentLayout.columnWidths(natural: [100, 100, 100], width: 40))
        XCTAssertEqual(DocumentLayout.columnWidths(natural: [100, 100, 5], width: 33), [14, 14, 5])
        for (natural, width) in [([7, 90, 33, 12], 120), ([50, 51, 52], 47), ([1, 1000], 30)] {
            let widths = DocumentLayout.columnWidths(natural: natural, width: width)
            XCTAssertEqual(widths?.reduce(0, +), min(width, natural.reduce(0, +)), "\(natural) in \(width)")
            XCTAssertTrue(zip(widths ?? [], natural).allSatisfy { $0 >= min($1, 14) }, "\(natural) in \(width)")
        }
    }

    func testTableIsLaidOutAsColumns() {
        let h = Harness(width: 200, height: 60).press(.char("j"), .tab, .tab, .char("j"))  // 2019, section 1
        XCTAssertTrue(h.screen.contains("Data we collect"))
        XCTAssertTrue(h.screen.contains("Period of storage"))
        XCTAssertTrue(h.screen.contains("Shipping\\Billing"), h.screen)
        let row = h.frame.lines.first { $0.contains("Shipping\\Billing") } ?? ""
        XCTAssertTrue(row.contains("│"), "cells sit in columns: \(row)")
    }

    /// With `u`, each link's target follows the link itself, dim, and the clause's own styles and
    /// matches stay on their words.
    func testLinkTargetsFollowTheirLinks() throws {
        let text = "See our [cookie page](https://a.example/cookies) or [write to us](https://a.example/contact) today."
        let styles = InlineMarkdown(text).styles
        let plain = InlineMarkdown(text).text
        XCTAssertEqual(styles.filter { $0.kind == .link }.count, 2)
        let (shown, origin) = DocumentLayout.withTargets(plain, styles)
        XCTAssertEqual(shown, "See our cookie page <https://a.example/cookies> or write to us <https://a.example/contact> today.")
        XCTAssertEqual(origin.count, shown.unicodeScalars.count)
        XCTAssertEqual(origin.compactMap { $0 }, Array(0..<plain.unicodeScalars.count))
        // A link ending inside a word: its target after the word. A link without a target: nothing.
        XCTAssertEqual(DocumentLayout.withTargets(InlineMarkdown("see [cookie](https://u.example)s now").text,
                                                  InlineMarkdown("see [cookie](https://u.example)s now").styles).text, "see cookies <https://u.example> now")
        XCTAssertEqual(DocumentLayout.withTargets("see x now", [InlineStyle(kind: .link, start: 4, end: 5, url: "")]).text, "see x now")
        // A target the text writes out is not repeated.
        XCTAssertEqual(DocumentLayout.withTargets("Go to https://a.example/x now", [InlineStyle(kind: .link, start: 6, end: 23, url: "https://a.example/x")]).text,
                       "Go to https://a.example/x now")
    }

    /// Links in table cells are links: underlined, and `u` shows their targets, in columns and in records.
    func testLinksInTableCells() throws {
        let doc = try XCTUnwrap(Harness.corpus.document(id: "jamesallen.com@2019-07-04"))
        let url = "https://tools.google.com/dlpage/gaoptout?hl=en-GB"
        let clauses = doc.allSections.flatMap(\.clauses)
        let row = try XCTUnwrap(clauses.firstIndex { $0.kind == .tableRow && $0.styles.contains { $0.url == url } })
        for width in [200, 60] {   // columns, records
            func rowText(_ lines: [Line]) -> String {
                lines.filter { $0.clauseIndex == row }.map { $0.runs.map(\.text).joined() }.joined(separator: " ")
                    .split(separator: " ").joined(separator: " ")
            }
            let plain = DocumentLayout.lines(doc, width: width, highlights: [:], showLinks: false, unicode: true)
            XCTAssertFalse(rowText(plain).contains("gaoptout"), "\(width)")
            XCTAssertTrue(plain.contains { $0.clauseIndex == row && $0.runs.contains { $0.style.role == .link } }, "\(width)")
            let linked = DocumentLayout.lines(doc, width: width, highlights: [:], showLinks: true, unicode: true)
            // In a column the target wraps with it: its start is on one row.
            XCTAssertTrue(rowText(linked).contains("<https://tools.google.com/dlpage/gaop"), "\(width): \(rowText(linked))")
        }
    }

    /// A row whose first cell is empty has no title of its own: no column of titles appears, and its
    /// link is marked on its own words, in columns and in records.
    func testARowWithAnEmptyFirstCellKeepsItsCellsInPlace() throws {
        let text = """
        > *The following text is extracted and transformed from the example.com privacy policy that was archived on 2018-05-01. Please check the [original snapshot on the Wayback Machine](https://web.archive.org/web/20180501000000/https://www.example.com/privacy) for the most accurate reproduction.*

        # P

        ## Tools

        | Tool | Provider | Opt out |
        |---|---|---|
        | alpha | Acme | none |
        |  | Beta | [opt out here](https://beta.example/optout) please |
        | gamma | Gamma Inc | none |

        """
        let doc = try MarkdownPolicyParser().parse(text, path: "example.com__2018-05-01.md")
        let row = try XCTUnwrap(doc.allSections.flatMap(\.clauses).firstIndex { $0.text.contains("Beta") })
        for width in [120, 30] {   // columns, records
            let lines = DocumentLayout.lines(doc, width: width, highlights: [:], showLinks: false, unicode: true)
            let linked = lines.filter { $0.clauseIndex == row }.flatMap(\.runs).filter { $0.style.role == .link }.map(\.text).joined()
            XCTAssertEqual(linked.replacingOccurrences(of: " ", with: ""), "optouthere", "\(width)")
            let shown = DocumentLayout.lines(doc, width: width, highlights: [:], showLinks: true, unicode: true)
                .filter { $0.clauseIndex == row }.map { $0.runs.map(\.text).joined() }
            // The target after its link, wrapped with it (in its column, or under its label).
            let lastColumn = shown.map { $0.components(separatedBy: " │ ").last ?? $0 }.joined().filter { !$0.isWhitespace }
            XCTAssertTrue(lastColumn.contains("optouthereplease<https://beta.example/optout>"), "\(width): \(shown)")
            if width == 120 {
                let header = try XCTUnwrap(lines.first { $0.runs.map(\.text).joined().contains("Provider") }).runs.map(\.text).joined()
                XCTAssertTrue(header.hasPrefix("Tool"), "no column of titles: \(header)")
                let beta = try XCTUnwrap(shown.first { $0.contains("Beta") })
                let columns = beta.components(separatedBy: " │ ").map { $0.trimmingCharacters(in: .whitespaces) }
                XCTAssertEqual(columns.first, "", "the empty cell stays in its column: \(beta)")
                XCTAssertEqual(columns.dropFirst().first, "Beta")
                // The column is as wide as the cell with its target: both on one row.
                XCTAssertEqual(columns.last, "opt out here please <https://beta.example/optout>", beta)
            } else {
                XCTAssertEqual(shown.first, "▸ Beta")
                XCTAssertEqual(shown.filter { $0.contains("Beta") }.count, 1, "the title is not repeated as a cell: \(shown)")
                XCTAssertFalse(shown.contains("  Tool:"), "an empty cell shows no bare label: \(shown)")
            }
        }
    }

    /// A hard line break ends the reader's line, with link targets shown (`u`) or not.
    func testHardLineBreaksEndLines() throws {
        let text = """
        > *The following text is extracted and transformed from the example.com privacy policy that was archived on 2018-05-01. Please check the [original snapshot on the Wayback Machine](https://web.archive.org/web/20180501000000/https://www.example.com/privacy) for the most accurate reproduction.*

        # P

        ## Contact

        Write to [us](https://example.com/contact):  
        Acme Inc.  
        1 Main Street

        """
        let doc = try MarkdownPolicyParser().parse(text, path: "example.com__2018-05-01.md")
        for (links, first) in [(false, "Write to us:"), (true, "Write to us <https://example.com/contact>:")] {
            let lines = DocumentLayout.lines(doc, width: 60, highlights: [:], showLinks: links, unicode: true)
                .map { $0.runs.map(\.text).joined() }.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            XCTAssertEqual(Array(lines.suffix(3)), [first, "Acme Inc.", "1 Main Street"], "u: \(links)")
        }
    }

    /// An ordered item shows its number and its text hangs after it; two tables in a row keep
    /// their own headers; a spacer column empty in every row is left out.
    func testNumberedItemsAndTablesInARow() throws {
        let text = """
        > *The following text is extracted and transformed from the example.com privacy policy that was archived on 2018-05-01. Please check the [original snapshot on the Wayback Machine](https://web.archive.org/web/20180501000000/https://www.example.com/privacy) for the most accurate reproduction.*

        # P

        ## Rights

          9. You may ask us for a copy of everything we hold about you.
          10. You may ask us to delete it.

        | Category | Sold |
        |---|---|
        | Identifiers | No |

        | Cookie | Purpose |
        |---|---|
        | sid | Session |

        Write to us at: |   | Acme Inc.
        ---|---|---
          |   | 1 Main Street

        """
        let doc = try MarkdownPolicyParser().parse(text, path: "example.com__2018-05-01.md")
        let lines = DocumentLayout.lines(doc, width: 40, highlights: [:], showLinks: false, unicode: true).map { $0.runs.map(\.text).joined() }
        let first = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("9. You may ask") })
        XCTAssertEqual(lines[first + 1].prefix(3), "   ", "the text hangs after the number: \(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("10. You may ask us to delete it.") }, "\(lines)")
        XCTAssertFalse(lines.contains { $0.contains("• ") }, "\(lines)")
        let wide = DocumentLayout.lines(doc, width: 80, highlights: [:], showLinks: false, unicode: true).map { $0.runs.map(\.text).joined() }
        XCTAssertTrue(wide.contains { $0.hasPrefix("Category") }, "\(wide)")
        let styled = DocumentLayout.lines(doc, width: 80, highlights: [:], showLinks: false, unicode: true)
        let cookie = try XCTUnwrap(styled.first { $0.runs.first?.text.hasPrefix("Cookie") == true }, "the second header is drawn: \(wide)")
        XCTAssertEqual(cookie.runs.first?.style.role, .heading)
        let address = try XCTUnwrap(wide.first { $0.contains("1 Main Street") })
        XCTAssertEqual(address.components(separatedBy: " │ ").map { $0.trimmingCharacters(in: .whitespaces) }, ["", "1 Main Street"],
                       "two columns, the spacer left out: \(wide)")
    }

    func testHelpOverlayIsGeneratedFromTheKeyTable() {
        let h = Harness().press(.char("?"))
        for action in Action.allCases { XCTAssertTrue(h.screen.contains(action.help), action.help) }
        h.assertGolden("help-120x32")
        h.press(.escape)
        XCTAssertFalse(h.screen.contains("this help"))
    }

    func testEveryBindingOfTheHelpIsReachableAt80x24() {
        let h = Harness(width: 80, height: 24).press(.char("?"))
        XCTAssertFalse(h.screen.contains(Action.quit.help), "the help is longer than the window")
        h.assertGolden("help-80x24")
        var seen = h.screen
        var offsets = [h.app.state.helpOffset]
        for _ in 0..<40 {
            h.press(.char("j"))
            seen += h.screen
            offsets.append(h.app.state.helpOffset)
        }
        for action in Action.allCases { XCTAssertTrue(seen.contains(action.help), "j reaches \(action.help)") }
        XCTAssertTrue(seen.contains("Mouse: wheel scrolls"))
        XCTAssertEqual(offsets.prefix(3), [0, 1, 2], "j moves one row")
        XCTAssertEqual(offsets.last, offsets.max(), "and stops at the end")
        h.press(.char("g"))
        XCTAssertEqual(h.app.state.helpOffset, 0)
        h.press(.char("G"))
        XCTAssertTrue(h.screen.contains(Action.quit.help))
        XCTAssertTrue(h.screen.contains("Mouse: wheel scrolls"), h.screen)
        h.assertGolden("help-80x24-end")
        h.press(.char("k"), .pageUp, .pageDown, .mouse(MouseEvent(kind: .wheelUp, x: 40, y: 12)))
        XCTAssertEqual(h.app.state.helpOffset, offsets.max()! - 3, "k, a page back (the top), a page on (the end), the wheel up three rows")
        XCTAssertEqual(h.app.state.focus, .retailers, "scrolling the help moves nothing under it")
        h.press(.escape)
        XCTAssertFalse(h.screen.contains("Esc, ? or q closes"))
        h.press(.char("?"))
        XCTAssertEqual(h.app.state.helpOffset, 0, "the help opens at its top")
        // q closes the help, as in less, and quits only from under it.
        h.press(.char("q"))
        XCTAssertFalse(h.app.state.showHelp)
        XCTAssertFalse(h.app.state.quit)
        h.press(.char("f"))
        XCTAssertTrue(h.app.state.showFacts)
        h.press(.char("q"))
        XCTAssertFalse(h.app.state.showFacts)
        XCTAssertFalse(h.app.state.quit)
        h.press(.char("q"))
        XCTAssertTrue(h.app.state.quit)
    }

    /// At 40 columns the help's keys take a third of the box and what is cut ends in "…".
    func testNarrowHelpCutsWithAnEllipsis() {
        let h = Harness(width: 40, height: 20).press(.char("?"))
        let rows = h.frame.lines.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "│┌┐└┘ ")) }
        XCTAssertTrue(rows.contains("c             compare: selected ↔ …"), "\(rows)")
        XCTAssertTrue(rows.contains { $0.hasPrefix("▼ 1–") && $0.hasSuffix("…") }, "\(rows)")
        // Each row shows its help whole, or a beginning of it and "…" (the keys take 12 columns and 2 more).
        for action in [Action.down, .compare, .mark, .pageDown] {
            let help = action == .pageDown ? "page down (Ctrl-d: half a page down)" : action.help
            XCTAssertTrue(rows.contains { row in
                let shown = String(row.dropFirst(14))
                return shown == help || (shown.hasSuffix("…") && help.hasPrefix(String(shown.dropLast())))
            }, "\(action): \(rows)")
        }
    }

    /// The rows of the reader pane (right of the left column at 80×24), without the border.
    func readerRows(_ h: Harness) -> [String] {
        h.frame.lines.dropFirst().dropLast(2).map { line in
            let cells = Array(line)
            return String(cells[min(cells.count, 25)..<max(25, cells.count - 1)]).trimmingCharacters(in: .whitespaces)
        }
    }

    func testAHitOpensUnderItsWholeSectionHeading() {
        let h = Harness(width: 80, height: 24).press(.char("/")).type("\"third party account\"").press(.enter)
        XCTAssertEqual(h.app.state.focus, .reader)
        let rows = readerRows(h)
        XCTAssertEqual(Array(rows.prefix(3)), ["8. links to and interaction with third party", "products", ""], "\(rows)")
        XCTAssertTrue(rows[3].hasSuffix("The Site may enable you to interact with or contain"), rows[3])
        h.assertGolden("hit-80x24")
    }

    func testTheReaderPinsTheHeadingOfTheSectionItIsIn() {
        let h = Harness(width: 80, height: 24).press(.down)   // James Allen, 2019
        h.press(.tab, .tab, .tab)
        XCTAssertEqual(h.app.state.focus, .reader)
        var pinned: [String] = []
        for _ in 0..<200 {
            h.press(.char("j"))
            pinned.append(readerRows(h)[0])
        }
        XCTAssertTrue(pinned.contains { $0.hasPrefix("1. what information we collect, why") && $0.hasSuffix("…") }, h.screen)
        let styles = h.styles(of: readerRows(h)[0])
        XCTAssertTrue(styles.allSatisfy { $0.role == .heading && $0.attributes.contains(.underline) }, "\(styles)")
        // A hit far into its section opens two lines above it, the section named on the first row.
        let far = Harness(width: 80, height: 24).press(.char("/")).type("\"adversely affect the rights and freedoms\"").press(.enter)
        let rows = readerRows(far)
        XCTAssertTrue(rows[0].hasPrefix("A. EU Data Subject Rights"), "\(rows)")
        XCTAssertTrue(rows[2].contains("adversely"), "\(rows)")
    }

    /// The policy's title heads the reader and belongs to no section: the preamble has no heading to
    /// pin, and a first heading is not pinned over itself.
    func testThePolicysTitleIsNoSectionsHeading() {
        let h = Harness(width: 80, height: 24).press(.down, .tab, .tab, .tab)   // James Allen, 2019
        XCTAssertTrue(readerRows(h)[0].hasPrefix("Privacy Policy | JamesAllen.com"), "\(readerRows(h).prefix(3))")
        for _ in 0..<3 { h.press(.char("j")) }
        let rows = readerRows(h)
        XCTAssertFalse(rows[0].hasPrefix("Preamble") || rows[0].hasPrefix("Privacy Policy"), "\(rows.prefix(3))")
        XCTAssertFalse(h.styles(of: rows[0]).contains { $0.attributes.contains(.underline) }, "nothing pinned in the preamble: \(rows.prefix(3))")
        // Diamond Nexus 2016 opens with a heading: one row down, it is not shown twice.
        let d = Harness(width: 80, height: 24).press(.tab, .tab, .tab, .char("j"))
        let top = readerRows(d)
        XCTAssertEqual(top.prefix(3).filter { $0.hasPrefix("Our commitment to privacy") }.count, 1, "\(top.prefix(4))")
        // The first section from the tree shows the title over it.
        let first = Harness(width: 80, height: 24).press(.down, .tab, .tab, .char("j"), .char("k"), .enter)
        XCTAssertEqual(first.app.state.readerOffset, 0)
    }

    /// Enter on an empty prompt searches the last query again, at the hit it was on, and the prompt says so.
    func testEnterOnAnEmptyPromptSearchesTheLastQueryAgain() {
        let h = Harness(width: 100, height: 30).press(.char("/")).type("cookies").press(.enter)
        let first = h.app.state.currentHit
        h.press(.char("n"))
        let second = h.app.state.currentHit
        XCTAssertNotEqual(first, second)
        h.press(.char("/"))
        XCTAssertTrue(h.screen.contains("Enter: \"cookies\" again"), h.screen)
        h.press(.enter)
        XCTAssertEqual(h.app.state.query, "cookies")
        XCTAssertEqual(h.app.state.currentHit, second)
        h.press(.char("n"))
        XCTAssertNotEqual(h.app.state.currentHit, second, "n goes on from there")
    }

    /// A query of spaces is no query yet; a retailer: value that names no retailer is said.
    func testASearchOfSpacesOrOfNoRetailer() {
        let h = Harness(width: 80, height: 24).press(.char("/")).type("   ")
        XCTAssertTrue(h.screen.contains("type to search"), h.screen)
        XCTAssertFalse(h.screen.contains("no clause matches"), h.screen)
        let none = Harness(width: 120, height: 32).press(.char("/")).type("retailer:zzz cookies")
        XCTAssertTrue(none.screen.contains("no retailer's domain or name starts with \"zzz\""), none.screen)
    }

    /// Back at the top, over the policy's title, the tree and the status name the first section.
    func testTheTopOfTheReaderSelectsTheFirstSection() {
        let h = Harness(width: 80, height: 24).press(.down, .tab, .tab, .tab)   // James Allen 2019, the reader
        h.press(.char("G"))
        XCTAssertGreaterThan(h.app.state.sections.selected, 0)
        h.press(.char("g"))
        XCTAssertEqual(h.app.state.readerOffset, 0)
        XCTAssertEqual(h.app.state.sections.selected, 0)
        XCTAssertTrue(h.screen.split(separator: "\n").last?.contains("› preamble") == true, h.screen)
    }

    /// Showing or hiding the category tags (T) or the link targets (u) keeps the row on top: the
    /// same row of the same clause, or the same heading or blank row above it.
    func testTogglingTagsOrLinksKeepsTheTopRow() throws {
        let h = Harness(width: 80, height: 24).press(.down, .tab, .tab, .tab)   // James Allen 2019, the reader
        func stripped(_ s: String) -> String {
            s.replacingOccurrences(of: #" ?‹[^›]*›"#, with: "", options: .regularExpression)
        }
        let lines = h.app.readerLines()
        var checked = 0
        for start in stride(from: 40, to: min(lines.count, 400), by: 7) where !stripped(lines[start].text).trimmingCharacters(in: .whitespaces).isEmpty
            || lines[start].text.isEmpty {
            h.app.state.readerOffset = start
            h.press(.char("T"))
            XCTAssertEqual(stripped(h.app.readerLines()[h.app.state.readerOffset].text), stripped(lines[start].text), "row \(start)")
            h.press(.char("T"))
            XCTAssertEqual(h.app.state.readerOffset, start, "back where it was")
            checked += 1
        }
        XCTAssertGreaterThan(checked, 30)
        // Link targets rewrap a clause: the top row stays in the same clause.
        let linked = try XCTUnwrap(h.app.readerLines().indices.first { $0 > 100 && h.app.readerLines()[$0].clauseIndex != nil })
        h.app.state.readerOffset = linked
        let clause = h.app.readerLines()[linked].clauseIndex
        h.press(.char("u"))
        XCTAssertEqual(h.app.readerLines()[h.app.state.readerOffset].clauseIndex, clause)
    }

    /// Enter on a section of the tree opens the reader with its heading on the first row.
    func testASectionOpensWithItsHeadingOnTheFirstRow() {
        let h = Harness(width: 80, height: 24).press(.down, .tab, .tab, .char("j"), .char("j"), .char("j"), .enter)
        XCTAssertEqual(h.app.state.focus, .reader)
        XCTAssertTrue(readerRows(h)[0].hasPrefix("3. how we protect and store"), "\(readerRows(h).prefix(3))")
    }

    /// `]c` goes through every change, also those on the last page, which the view cannot bring to
    /// the top: the sections list marks the change's pair, and `[c` comes back through them.
    func testEveryChangeIsReachedAndMarkedOnTheLastPageToo() throws {
        let h = Harness(width: 120, height: 40).press(.char("c"))   // Diamond Nexus 2015 → 2016
        let (c, layout) = try XCTUnwrap(h.app.comparison(columnWidth: h.app.compareGeometry().column))
        var visited: [Int] = []
        for _ in 0..<layout.changeRows.count {
            h.press(.char("]"), .char("c"))
            let pair = h.app.listedPair(layout)
            XCTAssertNotEqual(c.pairs[pair].status, .unchanged, "\(c.pairs[pair].left?.title ?? "")")
            if visited.last != pair { visited.append(pair) }
        }
        let changed = c.pairs.indices.filter { c.pairs[$0].status != .unchanged }
        XCTAssertEqual(visited, changed, "every changed pair, in order, the last one too")
        h.press(.char("]"), .char("c"))
        XCTAssertEqual(h.app.state.message, "no more changes below")
        h.press(.char("["), .char("c"))
        XCTAssertNotEqual(h.app.listedPair(layout), changed.last, "[c goes back from the last change")
        // A pair picked in the sections list is where ]c goes on from.
        let w = Harness(width: 120, height: 40).press(.char("c"), .char("]"), .char("c"), .tab)
        for _ in 0..<3 { w.press(.char("j")) }
        let picked = w.app.listedPair(layout)
        w.press(.tab)
        XCTAssertEqual(w.app.listedPair(layout), picked)
        w.press(.char("]"), .char("c"))
        XCTAssertGreaterThan(w.app.listedPair(layout), picked)
    }

    /// A resize keeps the change `]c` went to in view, though its paragraph starts rows above it.
    func testAResizeKeepsTheChangeInView() throws {
        let h = Harness(width: 120, height: 40).press(.down, .tab, .up, .char("c"), .char("s"))   // James Allen, stacked
        for _ in 0..<3 { h.press(.char("]"), .char("c")) }
        let (_, layout) = try XCTUnwrap(h.app.comparison(columnWidth: h.app.compareGeometry().column))
        let row = try XCTUnwrap(h.app.state.compareChange)
        let text: String = (layout.left[row].runs + layout.right[row].runs).map(\.text).joined()
        let long: [String] = text.split(separator: " ").map(String.init).filter { $0.count > 6 && $0.allSatisfy(\.isLetter) }
        let word = try XCTUnwrap(long.first, "a long word on the change's row: \(text)")
        h.resize(90, 24)
        let (_, relaid) = try XCTUnwrap(h.app.comparison(columnWidth: h.app.compareGeometry().column))
        let pane = h.app.state.compareOffset..<min(relaid.left.count, h.app.state.compareOffset + h.app.compareGeometry().paneHeight)
        XCTAssertTrue(pane.contains { (relaid.left[$0].runs + relaid.right[$0].runs).map(\.text).joined().contains(word) },
                      "\(word) still in the pane:\n\(h.screen)")
    }

    func testAComparisonScrolledIntoAPairKeepsItsHeadingOnTop() {
        let h = Harness(width: 80, height: 24).press(.char("j"), .char("c"))
        h.press(.char("]"), .char("c"), .char("]"), .char("c"))
        XCTAssertTrue(h.screen.split(separator: "\n")[1].contains("Information we collect"), h.screen)
        h.press(.char("j"), .char("j"), .char("j"), .char("j"), .char("j"))
        let rows = h.screen.split(separator: "\n").map(String.init)
        XCTAssertTrue(rows[1].contains("Information we collect") && rows[1].contains("changed"), "pinned on the left: \(h.screen)")
        XCTAssertFalse(rows[2].contains("We collect and store any information"), "the pair's first lines scrolled away")
        XCTAssertTrue(rows.contains { $0.contains("1. what information we collect") }, "and on the right: \(h.screen)")
        // A change inside a pair is not under the pinned heading: ]c shows its row below it, and
        // goes on to the next change from there.
        let wide = Harness(width: 120, height: 32).press(.char("c"))   // Diamond Nexus
        let layout = try! XCTUnwrap(wide.app.comparison(columnWidth: wide.app.compareGeometry().column)?.1)
        func inPair(_ row: Int) -> Bool { (layout.pairStarts.last { $0 <= row }).map { $0 < row } ?? false }
        var seen = 0
        for _ in 0..<layout.changeRows.count {
            wide.press(.char("]"), .char("c"))
            let top = wide.app.state.compareOffset
            guard let stop = layout.changeRows.first(where: { $0 == top || $0 == top + 1 }), inPair(stop) else { continue }
            XCTAssertEqual(top, stop - 1, "landed a row above the change")
            let text = (layout.left[stop].runs + layout.right[stop].runs).map(\.text).joined().trimmingCharacters(in: .whitespaces)
            let screenRow = wide.screen.split(separator: "\n")[2]
            XCTAssertTrue(text.isEmpty || layout.left[stop].runs.map(\.text).joined().split(separator: " ").prefix(3).allSatisfy { screenRow.contains($0) },
                          "the change's row shows under the heading: \(screenRow)")
            seen += 1
        }
        XCTAssertGreaterThan(seen, 0, "a change inside a pair was met")
    }

    /// Alt and a key outside the prompt's word motions is Esc and then the key, as it reaches any
    /// terminal program that does not read Alt.
    func testAltIsEscAndTheKeyOutsideThePrompt() {
        let h = Harness().press(.char("j"), .char("c"))
        XCTAssertEqual(h.app.state.mode, .compare)
        h.press(.alt("t"))
        XCTAssertEqual(h.app.state.mode, .topics, "Esc left the comparison, t opened the heat map")
        XCTAssertEqual(h.app.state.returns, [.browse])
        h.press(.escape, .char("/")).type("cookies")
        h.press(.alt("j"))
        XCTAssertFalse(h.app.state.searching, "Esc closed the prompt")
    }

    func testThePromptEditsWhereItsCursorIs() {
        let h = Harness().press(.char("/")).type("cookies party")
        h.press(.home).type("third ")
        XCTAssertEqual(h.app.state.query, "third cookies party")
        XCTAssertTrue(h.screen.contains("Search: third ▏cookies party"), h.screen)
        h.press(.ctrl("e"), .ctrl("w"))
        XCTAssertEqual(h.app.state.query, "third cookies ")
        h.press(.left, .left, .backspace, .ctrl("a"), .delete)
        XCTAssertEqual(h.app.state.query, "hird cookis ")
        h.press(.right, .right, .ctrl("k"))
        XCTAssertEqual(h.app.state.query, "hi")
        h.press(.home, .ctrl("u"))
        XCTAssertEqual(h.app.state.query, "hi", "nothing before the cursor")
        h.press(.end, .ctrl("u")).type("share with third parties")
        h.press(.alt("b"), .alt("b")).type("all ")
        XCTAssertEqual(h.app.state.query, "share with all third parties", "Alt-b: a word back")
        h.press(.home, .alt("f"), .alt("d"))
        XCTAssertEqual(h.app.state.query, "share all third parties", "Alt-f a word on, Alt-d deletes the next")
        XCTAssertTrue(h.app.state.searching)
        h.press(.end, .ctrl("u")).type("privacy")
        XCTAssertEqual(h.app.state.query, "privacy")
        XCTAssertTrue(h.screen.contains("Search: privacy▏"), h.screen)
        XCTAssertTrue(h.screen.contains("hits in"), "the edited query is searched: \(h.screen)")
        // A combining mark typed alone joins the letter before the cursor; the cursor stays after it.
        let marks = Harness().press(.char("/")).type("ab").press(.left).type("e\u{301}x")
        XCTAssertEqual(marks.app.state.query, "ae\u{301}xb")
        // A long query keeps some of what follows the cursor in view.
        let long = Harness(width: 40, height: 12).press(.char("/")).type(String(repeating: "cookies ", count: 7) + "tail")
        long.press(.home)
        for _ in 0..<30 { long.press(.right) }
        XCTAssertTrue(long.screen.split(separator: "\n")[0].contains("▏s coo…"), long.screen)
    }

    /// A hit found through its section's title alone says so: nothing in its clause is marked.
    func testAHitOfItsTitleAloneSaysSo() throws {
        let h = Harness(width: 120, height: 40).press(.char("/")).type("cookies")
        let titleOnly = try XCTUnwrap(h.app.state.hits.firstIndex { $0.matches.isEmpty })
        for _ in 0..<titleOnly { h.press(.down) }
        let row = try XCTUnwrap(h.screen.split(separator: "\n").first { $0.contains("(title match) We do not currently respond") })
        XCTAssertFalse(row.isEmpty)
        XCTAssertEqual(h.screen.components(separatedBy: "(title match)").count - 1, 1, h.screen)
        // Not a clause found through its category.
        let category = Harness(width: 120, height: 40).press(.char("/")).type("topic:security")
        XCTAssertFalse(category.app.state.hits.isEmpty)
        XCTAssertFalse(category.screen.contains("(title match)"), category.screen)
    }

    func testSearchAsYouTypeThenOpenTheClause() throws {
        let h = Harness().press(.char("/")).type("eightee")
        XCTAssertTrue(h.screen.contains("Search: eightee"))
        XCTAssertTrue(h.screen.contains("1 hit in 1 version"), "the last word is a prefix while typing")
        h.type("n")
        h.assertGolden("search-120x32")
        h.press(.enter)
        XCTAssertEqual(h.app.state.focus, .reader)
        XCTAssertTrue(h.screen.contains("James Allen · 2010-12-31"))
        let styles = h.styles(of: "eighteen")
        XCTAssertFalse(styles.isEmpty)
        XCTAssertTrue(styles.allSatisfy { $0.role == .searchMatch }, "\(styles)")
        XCTAssertTrue(h.screen.contains("hit 1 of 1"))
    }

    /// Enter on a hit of a word still being typed: the reader highlights what the list matched.
    func testAHitOfAPrefixOpensWithItsMatchesHighlighted() {
        let h = Harness().press(.char("/")).type("eightee").press(.enter)
        XCTAssertEqual(h.app.state.focus, .reader)
        let styles = h.styles(of: "eighteen")
        XCTAssertFalse(styles.isEmpty)
        XCTAssertTrue(styles.allSatisfy { $0.role == .searchMatch }, "\(styles)")
    }

    /// A table read as records (narrow): a match in a record's title is marked as one in its cells.
    func testAMatchInARecordTitleIsHighlighted() throws {
        let h = Harness(width: 60, height: 30).press(.char("/")).type("\"engagement moment\"").press(.down, .enter)
        let f = h.frame
        let y = try XCTUnwrap(f.lines.firstIndex { $0.contains("▸ When you send an") }, h.screen)
        let line = f.lines[y]
        let start = TextWidth.columns(line[line.startIndex..<line.range(of: "engagement")!.lowerBound])
        for x in start..<(start + 10) { XCTAssertEqual(f[x, y].style.role, .searchMatch, "\(x): \(line)") }
    }

    func testSeveralTermsGetDistinctStylesAndNWalksHits() {
        let h = Harness().press(.char("/")).type("cookies browser").press(.enter)
        let first = h.app.state.currentHit
        XCTAssertEqual(first, 0)
        let a = h.styles(of: "browser").first?.role
        let b = h.styles(of: "cookies").first?.role
        XCTAssertNotNil(a)
        XCTAssertNotNil(b)
        XCTAssertNotEqual(a, b)
        h.press(.char("n"))
        XCTAssertEqual(h.app.state.currentHit, 1)
        h.press(.char("N"), .char("N"))
        XCTAssertEqual(h.app.state.currentHit, h.app.state.hits.count - 1, "N wraps around")
    }

    func testAtEightyColumnsEachHitSaysWhereItIsAboveItsSnippet() {
        let h = Harness(width: 80, height: 24).press(.char("/")).type("third part")
        let rows = h.frame.lines
        guard let meta = rows.firstIndex(where: { $0.contains("James Allen · 2019-07-04 · 4. How We May Share Your Information") }) else {
            return XCTFail("no readable section title at 80 columns:\n" + rows.joined(separator: "\n"))
        }
        XCTAssertTrue(rows[meta + 1].lowercased().contains("third part"), rows[meta + 1])
        XCTAssertTrue(h.styles(of: "Third Party").contains { $0.role == .searchMatch })
        // A column of margin before the border, where it is as under it.
        for row in rows.dropFirst().prefix(while: { $0.hasPrefix("│") }) {
            XCTAssertEqual(Array(row).dropLast().last, " ", row)
        }
    }

    /// A query longer than its field keeps its end, where the cursor is, in view; a narrow window
    /// still says where each hit is.
    func testALongQueryShowsItsEndAndNarrowHitsSayWhereTheyAre() {
        let h = Harness(width: 80, height: 24).press(.char("/"))
        h.type("information privacy cookies children security third parties advertising retention deletion")
        let top = h.frame.lines[0]
        XCTAssertTrue(top.contains("…"), top)
        XCTAssertTrue(top.contains("retention deletion▏"), top)
        XCTAssertEqual(h.frame.cursor?.x, top.distance(from: top.startIndex, to: top.firstIndex(of: "▏")!))
        // The status line's keys and query language fit 80 columns whole, in Unicode and in ASCII.
        XCTAssertTrue(h.frame.lines.last?.hasSuffix("section: topic:") == true, h.frame.lines.last ?? "")
        let ascii = Harness(width: 80, height: 24, unicode: false).press(.char("/"))
        XCTAssertTrue(ascii.frame.lines.last?.hasSuffix("section: topic:") == true, ascii.frame.lines.last ?? "")
        let narrow = Harness(width: 40, height: 12).press(.char("/")).type("privacy")
        XCTAssertTrue(narrow.screen.contains("James Allen · 2010-12-31"), narrow.screen)
    }

    /// Enter typed before the search answers opens the first hit when the answer comes.
    func testEnterBeforeTheAnswerOpensTheFirstHitWhenItComes() {
        let app = BrowserApp(corpus: Harness.corpus, index: Harness.index, width: 120, height: 32)
        _ = app.handle(.char("/"))
        var effects: [Effect] = []
        for c in "GDPR" { effects = app.handle(.char(c)) }
        XCTAssertTrue(app.state.searchPending)
        _ = app.handle(.enter)
        XCTAssertFalse(app.state.searching)
        XCTAssertNil(app.state.currentHit)
        for effect in effects { app.receive(app.run(effect)) }
        XCTAssertEqual(app.state.currentHit, 0)
        XCTAssertEqual(app.document?.id, "jamesallen.com@2019-07-04")
        // A key before the answer: the reader stays where the user took it.
        _ = app.handle(.char("/"))
        for c in "cookie" { effects = app.handle(.char(c)) }
        _ = app.handle(.enter)
        _ = app.handle(.char("j"))
        for effect in effects { app.receive(app.run(effect)) }
        XCTAssertEqual(app.state.currentHit, nil)
        // `/` again before an answer: the old answer never fills the new prompt.
        _ = app.handle(.char("/"))
        for c in "GDPR" { effects = app.handle(.char(c)) }
        _ = app.handle(.enter)
        _ = app.handle(.char("/"))
        for effect in effects { app.receive(app.run(effect)) }
        XCTAssertTrue(app.state.searching)
        XCTAssertTrue(app.state.hits.isEmpty)
        XCTAssertEqual(app.state.query, "")
    }

    /// n past the last hit goes round to the first, and says so.
    func testNextHitWrapsAndSaysSo() {
        let h = Harness().press(.char("/")).type("GDPR").press(.enter)
        let count = h.app.state.hits.count
        for _ in 0..<(count - 1) { h.press(.char("n")) }
        XCTAssertFalse(h.app.state.message?.contains("again") ?? true)
        h.press(.char("n"))
        XCTAssertEqual(h.app.state.currentHit, 0)
        XCTAssertTrue(h.app.state.message?.hasPrefix("from the first hit again · hit 1 of") == true, h.app.state.message ?? "")
        h.press(.char("N"))
        XCTAssertTrue(h.app.state.message?.hasPrefix("from the last hit again") == true, h.app.state.message ?? "")
    }

    /// `/` then Esc with nothing typed keeps the last search: n walks on from where it was.
    func testAnEmptyPromptClosedKeepsTheLastSearch() {
        let h = Harness().press(.char("/")).type("cookie").press(.enter, .char("n"))
        XCTAssertEqual(h.app.state.currentHit, 1)
        let count = h.app.state.hits.count
        h.press(.char("/"), .escape, .char("n"))
        XCTAssertEqual(h.app.state.hits.count, count)
        XCTAssertEqual(h.app.state.currentHit, 2)
        // Enter with nothing typed gives it back as well, at the hit it was on.
        h.press(.char("/"), .enter)
        XCTAssertEqual(h.app.state.query, "cookie")
        XCTAssertEqual(h.app.state.currentHit, 2)
        // A new query typed and kept replaces it.
        h.press(.char("/")).type("privacy").press(.enter)
        XCTAssertEqual(h.app.state.query, "privacy")
    }

    func testOnlyTheNewestQueryRunsAndThePromptSaysWhileItDoes() {
        let app = BrowserApp(corpus: Harness.corpus, index: Harness.index, width: 120, height: 32)
        _ = app.handle(.char("/"))
        // Keys arrive faster than searches finish: the effects queue up.
        let queued = "cookie".flatMap { app.handle(.char($0)) }
        XCTAssertEqual(queued.count, 6)
        XCTAssertTrue(app.render().lines.joined().contains("searching…"))
        XCTAssertFalse(app.render().lines.joined().contains("no clause matches"))
        // The five superseded queries are skipped without touching the index; the newest answers.
        let results = queued.map { app.run($0) }
        for case .searchResults(_, let hits) in results.dropLast() { XCTAssertTrue(hits.isEmpty) }
        guard case .searchResults(_, let newest) = results.last! else { return XCTFail() }
        XCTAssertFalse(newest.isEmpty)
        for r in results { app.receive(r) }
        XCTAssertEqual(app.state.hits.count, newest.count)
        let screen = app.render().lines.joined()
        XCTAssertFalse(screen.contains("searching…"))
        XCTAssertTrue(screen.contains("\(newest.count) hits in"), screen)
    }

    func testSearchBeforeTheIndexIsReadyWaitsForIt() {
        let app = BrowserApp(corpus: Harness.corpus, index: nil, width: 120, height: 32)
        _ = app.handle(.char("/"))
        for effect in "eighteen".flatMap({ app.handle(.char($0)) }) { app.receive(app.run(effect)) }
        let waiting = app.render().lines.joined()
        XCTAssertTrue(waiting.contains("waiting for the index"), waiting)
        XCTAssertFalse(waiting.contains("no clause matches"))
        app.attach(index: Harness.index)
        XCTAssertTrue(app.takeBackgroundChange())
        for effect in app.refreshEffects() { app.receive(app.run(effect)) }
        XCTAssertTrue(app.render().lines.joined().contains("1 hit in 1 version"))
    }

    /// Files that could not be read are counted on the first frame (listed on stderr after).
    func testSkippedFilesAreSaidOnTheFirstFrame() {
        let app = BrowserApp(corpus: Harness.corpus, index: nil, width: 120, height: 32)
        app.skippedFiles(2)
        XCTAssertTrue(app.render().lines.last!.contains("2 files could not be read: listed when you quit"), app.render().lines.last!)
        _ = app.handle(.char("j"))
        XCTAssertFalse(app.render().lines.last!.contains("could not be read"))
    }

    func testAnEmptyCorpusSaysWhereItLookedAndWhatItReads() {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("redline-no-policies-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = try! CorpusLoader.load(directory: folder)
        for (w, h) in [(80, 24), (50, 20)] {
            let app = BrowserApp(corpus: empty, index: nil, width: w, height: h)
            app.skippedFiles(1)
            app.corpusIsEmpty(source: "/tmp/somewhere")
            XCTAssertEqual(app.state.message, "no policies in /tmp/somewhere · 1 file could not be read: listed when you quit")
            let screen = app.render().lines.joined(separator: "\n")
            // The list says it (every layout shows it), the reader says what Redline reads.
            XCTAssertTrue(screen.contains("no policies in /tmp/somewhere"), screen)
            if w >= 60 {
                XCTAssertTrue(screen.contains("No policies in /tmp/somewhere."), screen)
                XCTAssertTrue(screen.contains("Versions (0)"), "no hole where the versions go: \(screen)")
            }
            _ = app.handle(.char("j"))
            for _ in 0..<3 { _ = app.handle(.tab) }
            XCTAssertTrue(app.render().lines.joined(separator: "\n").contains("Redline reads Wayback Markdown"), "the reader, focused")
        }
    }

    func testIndexFailureIsShownNotAnEmptyResult() {
        let app = BrowserApp(corpus: Harness.corpus, index: nil, width: 120, height: 32)
        app.attach(index: nil, failure: "disk I/O error")
        XCTAssertTrue(app.render().lines.last!.contains("search unavailable: disk I/O error"))
        XCTAssertTrue(app.render().lines.last!.contains("? help"), "the hints stay: \(app.render().lines.last!)")
    }

    func testMalformedQueryInThePrompt() {
        let h = Harness().press(.char("/")).type("\"(NEAR* AND")
        XCTAssertTrue(h.screen.contains("Search:"))
        h.press(.backspace, .backspace, .backspace, .escape)
        XCTAssertFalse(h.app.state.searching)
    }

    func testCompareJamesAllenSideBySide() {
        let h = Harness().press(.char("j"), .char("c"))
        XCTAssertEqual(h.app.state.mode, .compare)
        let s = h.screen
        XCTAssertTrue(s.contains("jamesallen.com@2010-12-31"))
        XCTAssertTrue(s.contains("jamesallen.com@2019-07-04"))
        XCTAssertTrue(s.contains("+4"), "summary line with words added")
        let roles = Set(h.frame.cells.map(\.style.role))
        XCTAssertTrue(roles.contains(.removed))
        XCTAssertTrue(roles.contains(.added))
        h.assertGolden("compare-120x32")
        let before = h.app.state.compareOffset
        h.press(.char("]"), .char("c"))
        let first = h.app.state.compareOffset
        XCTAssertGreaterThan(first, before)
        h.press(.char("]"), .char("c"))
        XCTAssertGreaterThan(h.app.state.compareOffset, first)
        h.press(.char("["), .char("c"))
        XCTAssertEqual(h.app.state.compareOffset, first, "[c goes back to the change before")
        h.press(.char("s"))
        XCTAssertTrue(h.app.state.stacked)
        h.press(.escape)
        XCTAssertEqual(h.app.state.mode, .browse)
    }

    func testCompareStacksWhenNarrowAndMarksWithoutColour() {
        let h = Harness(width: 100, height: 30, colour: false).press(.char("j"), .char("c"))
        XCTAssertTrue(h.app.state.stacked)
        h.assertGolden("compare-nocolour-100x30")
        XCTAssertTrue(h.screen.contains("[-"))
        XCTAssertTrue(h.screen.contains("{+"))
    }

    /// Esc goes back one view at a time, to the view the one shown was opened from (as tig's q).
    func testEscFromTopicsOrChangesOpenedInAComparisonGoesBackToIt() {
        let h = Harness().press(.char("j"), .char("c"))
        XCTAssertEqual(h.app.state.mode, .compare)
        h.press(.char("]"), .char("c"))
        let offset = h.app.state.compareOffset
        h.press(.char("t"))
        XCTAssertEqual(h.app.state.mode, .topics)
        h.press(.escape)
        XCTAssertEqual(h.app.state.mode, .compare, "back to the comparison")
        XCTAssertEqual(h.app.state.compareOffset, offset, "where it was")
        h.press(.char("C"))
        XCTAssertEqual(h.app.state.mode, .changes)
        h.press(.char("C"))
        XCTAssertEqual(h.app.state.mode, .compare, "the key that opened it closes it, back to the comparison")
        h.press(.char("t"), .char("C"), .escape)
        XCTAssertEqual(h.app.state.mode, .topics, "one view back: the heat map the feed was opened from")
        h.press(.escape)
        XCTAssertEqual(h.app.state.mode, .compare, "then the comparison")
        XCTAssertEqual(h.app.state.compareOffset, offset, "where it was")
        // t C t C… piles nothing up: the key of a view shown earlier goes back to it.
        h.press(.char("t"), .char("C"), .char("t"), .char("C"), .char("t"))
        XCTAssertEqual(h.app.state.returns, [.compare])
        h.press(.escape)
        XCTAssertEqual(h.app.state.mode, .compare)
        h.press(.escape, .char("t"), .escape)
        XCTAssertEqual(h.app.state.mode, .browse, "opened from the browser, back to the browser")
        // A comparison opened from the change feed is the feed's: Esc goes back to the feed, then the
        // browser (the comparison the feed was opened from was replaced by it).
        h.press(.char("j"), .char("c"), .char("C"), .enter)
        XCTAssertEqual(h.app.state.mode, .compare)
        h.press(.escape)
        XCTAssertEqual(h.app.state.mode, .changes)
        h.press(.escape)
        XCTAssertEqual(h.app.state.mode, .browse)
        // A comparison opened later from the browser is the browser's again.
        h.press(.char("C"), .enter, .char("C"), .escape, .char("c"), .escape)
        XCTAssertEqual(h.app.state.mode, .browse)
    }

    func testCompareTakesTheSelectedVersion() throws {
        // James Allen with two more versions between its two.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redline-three-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = Harness.repoRoot.appendingPathComponent("data")
        for name in ["jamesallen.com__2010-12-31.md", "jamesallen.com__2019-07-04.md"] {
            try FileManager.default.copyItem(at: data.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let middle = try String(contentsOf: data.appendingPathComponent("jamesallen.com__2010-12-31.md"), encoding: .utf8)
            .replacingOccurrences(of: "archived on 2010-12-31", with: "archived on 2014-06-01")
            .replacingOccurrences(of: "20101231132510", with: "20140601000000")
        try middle.write(to: dir.appendingPathComponent("jamesallen.com__2014-06-01.md"), atomically: true, encoding: .utf8)
        try middle.replacingOccurrences(of: "2014-06-01", with: "2016-06-01").replacingOccurrences(of: "20140601000000", with: "20160601000000")
            .write(to: dir.appendingPathComponent("jamesallen.com__2016-06-01.md"), atomically: true, encoding: .utf8)
        let app = BrowserApp(corpus: try CorpusLoader.load(directory: dir), index: nil, width: 120, height: 32)
        func press(_ keys: Key...) { for key in keys { for effect in app.handle(key) { app.receive(app.run(effect)) } } }
        let ids = try XCTUnwrap(app.retailer).versions.map(\.id)
        XCTAssertEqual(ids.count, 4)
        press(.tab, .char("g"), .char("c"))
        XCTAssertEqual(app.state.comparing.map { [$0.left, $0.right] }, Array(ids[0...1]), "the first with the next")
        press(.escape, .char("j"), .char("j"), .char("c"))
        XCTAssertEqual(app.state.comparing.map { [$0.left, $0.right] }, Array(ids[1...2]), "the third with the one before")
        press(.escape, .char("G"), .char("c"))
        XCTAssertEqual(app.state.comparing.map { [$0.left, $0.right] }, Array(ids[2...3]), "the latest with the one before")
    }

    func testCompareAcrossRetailersWithAMark() {
        let h = Harness().press(.char("m"))   // mark Diamond Nexus 2016
        h.press(.char("j"), .char("j"), .char("c"))           // WorldJewels, compare with the mark
        XCTAssertEqual(h.app.state.mode, .compare)
        XCTAssertTrue(h.screen.contains("diamondnexus.com@2016-03-14"))
        XCTAssertTrue(h.screen.contains("worldjewels.com@2016-11-24"))
    }

    func testOneVersionExplainsHowToPick() {
        let h = Harness().press(.char("j"), .char("j"), .char("c"))
        XCTAssertEqual(h.app.state.mode, .browse)
        XCTAssertTrue(h.screen.contains("WorldJewels has one version"))
        // At 80 columns the whole message is shown: the hints make way while it stands.
        let narrow = Harness(width: 80, height: 24).press(.char("j"), .char("j"), .char("c"))
        let status = narrow.screen.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(status.contains("WorldJewels has one version: m marks a version, c on another compares"), status)
        narrow.press(.char("j"))
        let after = narrow.screen.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(after.contains("? help"), "the hints come back once the message is gone: \(after)")
    }

    /// PgDn and Space turn a whole page of the reader (less), Ctrl-d half of one (vim).
    func testPagesAreWholeAndCtrlDIsHalf() {
        let h = Harness(width: 80, height: 24).press(.char("j"), .char("j"))   // James Allen 2019, long
        while h.app.state.focus != .reader { h.press(.tab) }
        h.press(.pageDown)
        let page = h.app.state.readerOffset
        XCTAssertGreaterThanOrEqual(page, 17, "a page of a 24-row screen")
        h.press(.char(" "))
        XCTAssertEqual(h.app.state.readerOffset, 2 * page)
        h.press(.char("b"))
        XCTAssertEqual(h.app.state.readerOffset, page)
        h.press(.ctrl("d"))
        XCTAssertTrue((page / 2 - 1...page / 2 + 1).contains(h.app.state.readerOffset - page), "half a page: \(h.app.state.readerOffset - page) of \(page)")
        h.press(.ctrl("u"))
        XCTAssertEqual(h.app.state.readerOffset, page)
    }

    /// A narrow versions pane shrinks its bars, never a version's size.
    func testNarrowVersionsKeepTheirSizes() {
        for width in [60, 70, 80] {
            let h = Harness(width: width, height: 24).press(.char("j"))
            XCTAssertTrue(h.screen.contains("4.7kw"), "\(width)\n\(h.screen)")
            XCTAssertTrue(h.screen.contains("979w"), "\(width)")
            h.press(.char("m"))   // the mark takes room too
            XCTAssertTrue(h.screen.contains("4.7kw ✓"), "\(width)\n\(h.screen)")
        }
        let ascii = Harness(width: 80, height: 24, unicode: false).press(.char("j"), .char("m"))
        XCTAssertTrue(ascii.screen.contains("4.7kw *"), ascii.screen)
    }

    /// The filter's matches, cut where the pane ends, end in an ellipsis.
    func testFilterMatchesCutWithAnEllipsis() {
        let h = Harness(width: 80, height: 24).press(.char("F")).type("d")
        XCTAssertTrue(h.frame.lines.contains { $0.contains("Diamond Nexus diamon") && $0.contains("…") }, h.screen)
    }

    /// In a list pane a page is the pane's own rows: nothing is skipped unseen.
    func testAPageOfAListPaneIsThePanesRows() throws {
        let h = Harness(width: 80, height: 24).press(.char("j"))   // James Allen, 2019: 16 sections
        while h.app.state.focus != .sections { h.press(.tab) }
        let rows = try XCTUnwrap(h.app.paneRects()[.sections]).height - 2
        XCTAssertLessThan(rows, 10)
        h.press(.pageDown)
        XCTAssertEqual(h.app.state.sections.selected, rows - 1, "the last row of the first page")
        h.press(.ctrl("d"))
        XCTAssertEqual(h.app.state.sections.selected, rows - 1 + max(1, rows / 2))
    }

    /// Ctrl-c quits from a prompt too (the help says so), and q does on a screen too small to show one.
    func testCtrlCQuitsFromAPromptAndQFromATinyScreen() {
        var h = Harness().press(.char("/")).type("coo")
        XCTAssertTrue(h.app.state.searching)
        h.press(.ctrl("c"))
        XCTAssertTrue(h.app.state.quit)
        h = Harness().press(.char("F")).type("ja")
        h.press(.ctrl("c"))
        XCTAssertTrue(h.app.state.quit)
        // Under the notice no other key acts unseen.
        h = Harness()
        h.resize(20, 5)
        h.press(.char("j"), .char("?"), .char("/"), .enter, .mouse(MouseEvent(kind: .wheelDown, x: 2, y: 2)))
        h.resize(120, 32)
        XCTAssertEqual(h.app.state.retailers.selected, 0)
        XCTAssertFalse(h.app.state.showHelp || h.app.state.searching)
        h = Harness().press(.char("/")).type("ab")
        h.resize(20, 5)
        XCTAssertTrue(h.screen.contains("q quits"))
        h.press(.char("q"))
        XCTAssertTrue(h.app.state.quit)
        XCTAssertEqual(h.app.state.query, "ab")
    }

    func testNarrowAndTinySizes() {
        let h = Harness(width: 80, height: 24).press(.char("j"))
        h.assertGolden("browse-80x24")
        h.resize(40, 12)
        h.assertGolden("browse-40x12")
        XCTAssertTrue(h.screen.contains("Retailers"))
        h.press(.tab)
        XCTAssertTrue(h.screen.contains("Versions"))
        h.resize(20, 5)
        XCTAssertTrue(h.screen.contains("terminal too small"))
        h.press(.char("j"), .tab, .char("/"), .escape)
        h.resize(120, 40)
        XCTAssertTrue(h.screen.contains("WorldJewels"))
    }

    func testMouseWheelAndClick() {
        let h = Harness()
        h.press(.mouse(MouseEvent(kind: .press, x: 5, y: 3)))   // third retailer row
        XCTAssertEqual(h.app.retailer?.name, "WorldJewels")
        h.press(.mouse(MouseEvent(kind: .press, x: 5, y: 2)))
        XCTAssertEqual(h.app.retailer?.name, "James Allen")
        h.press(.mouse(MouseEvent(kind: .wheelDown, x: 100, y: 10)))
        XCTAssertEqual(h.app.state.focus, .reader)
        XCTAssertEqual(h.app.state.readerOffset, 3)
    }

    func testASCIIFallback() {
        let h = Harness(unicode: false)
        XCTAssertTrue(h.screen.allSatisfy { $0.isASCII || $0 == "\n" }, "a non-UTF-8 locale gets ASCII boxes and glyphs")
    }
}
