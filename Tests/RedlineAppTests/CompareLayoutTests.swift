import PolicyCore
import TerminalUI
import XCTest
@testable import RedlineApp

/// The two-column comparison: where `]c` stops, and text wrapped without losing any of it.
final class CompareLayoutTests: XCTestCase {
    /// `]c` stops where a change begins: a changed paragraph wrapped over many rows is one stop,
    /// and every row holding a change is reached from the stop above it.
    func testEachRunOfChangedRowsIsOneStop() throws {
        let corpus = Harness.corpus
        let a = try XCTUnwrap(corpus.document(id: "jamesallen.com@2010-12-31"))
        let b = try XCTUnwrap(corpus.document(id: "jamesallen.com@2019-07-04"))
        let layout = CompareLayout(Comparison(a, b), width: 50, colour: true, unicode: true)
        let stops = layout.changeRows
        XCTAssertGreaterThan(stops.count, 3)
        XCTAssertFalse(zip(stops, stops.dropFirst()).contains { $0 + 1 == $1 }, "no stop on the row after another")
        func changed(_ row: Int) -> Bool {
            [layout.left, layout.right].contains { side in
                row < side.count && side[row].runs.contains { $0.style.role == .removed || $0.style.role == .added }
            }
        }
        let rows = layout.left.indices.filter(changed)
        XCTAssertGreaterThan(rows.count, 2 * stops.count, "the paragraphs wrap over several rows each")
        /// Blank on both sides, or facing a missing section's band.
        func blank(_ row: Int) -> Bool {
            [layout.left, layout.right].allSatisfy { side in row >= side.count || side[row].runs.allSatisfy { $0.style.role == .placeholder || $0.text.allSatisfy(\.isWhitespace) } }
        }
        for row in rows {
            // Up from a changed row, through changed or blank rows of its section, a stop is met
            // (an added section's stop is its heading).
            let pairStart = layout.pairStarts.last { $0 <= row } ?? 0
            var r = row
            while !stops.contains(r), r > pairStart, changed(r - 1) || blank(r - 1) || r - 1 == pairStart { r -= 1 }
            XCTAssertTrue(stops.contains(r), "row \(row) is in no change's run")
        }
        // Changed paragraphs of a section one after another are one change: between two stops of
        // a section stands a row that is neither changed nor empty on both sides.
        for (a, b) in zip(stops, stops.dropFirst()) where !layout.pairStarts.contains(where: { a < $0 && $0 <= b }) {
            XCTAssertTrue((a + 1..<b).contains { !changed($0) && !(layout.left[$0].runs.isEmpty && layout.right[$0].runs.isEmpty) },
                          "stops at \(a) and \(b) are one run of changes")
        }
    }

    /// A hard line break (an address's lines) starts a row on its side, and is no change: the
    /// same address written on one line and as lines compares equal.
    func testHardLineBreaksStartARow() throws {
        func doc(_ body: String, _ date: String) throws -> PolicyDocument {
            let header = "> *The following text is extracted and transformed from the acme.com privacy policy that was archived on \(date). "
                + "Please check the [original snapshot on the Wayback Machine](https://web.archive.org/web/20190101000000/https://acme.com/privacy) "
                + "for the most accurate reproduction.*\n\n"
            return try MarkdownPolicyParser().parse(header + "# Privacy Policy\n\n## Contact us\n\nWrite to us.\n\n" + body + "\n",
                                                    path: "acme.com__\(date).md")
        }
        let flat = try doc("Acme Inc. 1 Main Street Springfield, IL 62701", "2019-01-01")
        let lines = try doc("Acme Inc.  \n1 Main Street  \nSpringfield, IL 62701", "2020-01-01")
        let c = Comparison(flat, lines)
        XCTAssertEqual(c.stats.addedWords + c.stats.removedWords, 0)
        let layout = CompareLayout(c, width: 40, colour: true, unicode: true)
        func rows(_ side: [Line]) -> [String] { side.map { $0.runs.map(\.text).joined().trimmingCharacters(in: .whitespaces) } }
        XCTAssertTrue(rows(layout.right).contains("Acme Inc."), "\(rows(layout.right))")
        XCTAssertTrue(rows(layout.right).contains("1 Main Street"))
        XCTAssertTrue(rows(layout.left).contains("Acme Inc. 1 Main Street Springfield, IL"), "\(rows(layout.left))")
    }

    /// A paragraph that grew pushes nothing out of line: the unchanged paragraphs after it start
    /// on the same row on both sides, in the browser and in `redline diff --side-by-side`.
    func testSharedParagraphsFaceEachOther() throws {
        func doc(_ date: String, _ texts: [String]) -> PolicyDocument {
            PolicyDocument(domain: "x.example", title: "P", format: .markdown, snapshotURL: nil, archiveDate: date, lastUpdated: nil,
                           caseFolded: false, sections: [PolicySection(path: "1", title: "Cookies", level: 1, clauses: texts.map {
                               Clause(kind: .paragraph, text: $0, sectionPath: "1", line: 1) })], sourcePath: "/x")
        }
        let a = doc("2014-01-01", ["Third parties may use these technologies.", "Most browsers accept cookies by default.",
                                   "We do not respond to Do Not Track signals."])
        let b = doc("2017-01-01", ["Third parties (e.g. Facebook) may use these technologies, along with activity information they collect, "
                                   + "to recognize you across the devices you use, such as a mobile device and a laptop.",
                                   "Most browsers accept cookies by default.", "We do not respond to Do Not Track signals."])
        let layout = CompareLayout(Comparison(a, b), width: 40, colour: true, unicode: true)
        for start in ["Most browsers", "We do not respond"] {
            let left = layout.left.firstIndex { $0.runs.map(\.text).joined().hasPrefix(start) }
            let right = layout.right.firstIndex { $0.runs.map(\.text).joined().hasPrefix(start) }
            XCTAssertNotNil(left)
            XCTAssertEqual(left, right, start)
        }
        XCTAssertEqual(Comparison(a, b).pairs[0].diff.facingPieces.count, 3)
        // A paragraph removed before a shared one: the shared one still faces itself (reddit.com 2015 → 2017).
        let e = doc("2015-01-01", ["This policy takes effect on the first of January next year.", "We want you to understand how we collect data."])
        let f = doc("2017-01-01", ["We want you to understand how we collect data."])
        let shifted = CompareLayout(Comparison(e, f), width: 40, colour: true, unicode: true)
        let l = shifted.left.firstIndex { $0.runs.map(\.text).joined().hasPrefix("We want") }
        XCTAssertNotNil(l)
        XCTAssertEqual(l, shifted.right.firstIndex { $0.runs.map(\.text).joined().hasPrefix("We want") })
        // A break shared by chance between rewritten paragraphs cuts nothing.
        let c = doc("2019-01-01", ["Entirely new words about advertising partners here.", "Other fresh sentences describing retention periods now."])
        let d = doc("2020-01-01", ["Completely different text concerning security measures.", "Yet another paragraph on children and minors."])
        XCTAssertEqual(Comparison(c, d).pairs[0].diff.facingPieces.count, 1)
    }

    /// Text without spaces fills the row before it breaks, never before a closing mark: a changed
    /// run of Japanese goes on after the unchanged one, and "。" starts no row.
    func testTextWithoutSpacesFillsTheRowAndNoRowStartsWithAFullStop() {
        let tokens = [WordDiff.SideToken(text: "当社は、お客様の氏名、住所、電話番号、", kind: .equal, spaceBefore: false),
                      WordDiff.SideToken(text: "メールアドレスなどの個人情報を収集します。クッキーを使用します。", kind: .added, spaceBefore: false)]
        for width in 12...40 {
            let rows = CompareLayout.body(tokens, width: width, colour: true, section: nil, pair: 0).map { $0.runs.map(\.text).joined() }
            for row in rows {
                XCTAssertLessThanOrEqual(TextWidth.columns(row), width, "\(width): \(row)")
                XCTAssertFalse(row.hasPrefix("。") || row.hasPrefix("、"), "\(width): \(rows)")
            }
            // No row but the last is left more than a character short.
            for row in rows.dropLast() { XCTAssertGreaterThanOrEqual(TextWidth.columns(row), width - 3, "\(width): \(rows)") }
            XCTAssertEqual(rows.joined(), tokens.map(\.text).joined(), "\(width)")
        }
    }

    /// A run of wide characters longer than the column is cut where the column ends: every
    /// character is kept, and no row is wider than the column.
    func testWideTextWrapsWithoutLosingCharacters() {
        let text = "我们保存您的数据两年。クッキーを使用します。😀 emoji"
        let tokens = text.split(separator: " ").enumerated().map {
            WordDiff.SideToken(text: String($0.element), kind: .added, spaceBefore: $0.offset > 0)
        }
        // A word glued from an unchanged and a changed part, longer than the row's room.
        let glued = [WordDiff.SideToken(text: "see", kind: .equal, spaceBefore: false),
                     WordDiff.SideToken(text: "http://www.example.com/", kind: .equal, spaceBefore: true),
                     WordDiff.SideToken(text: "privacy-policy-for-everyone", kind: .added, spaceBefore: false),
                     WordDiff.SideToken(text: "abcdefgh", kind: .equal, spaceBefore: true),
                     WordDiff.SideToken(text: "我们保存您的数据", kind: .added, spaceBefore: false)]
        for colour in [true, false] {
            for width in [8, 9, 26] {
                let lines = CompareLayout.body(glued, width: width, colour: colour, section: nil, pair: 0)
                let texts = lines.map { $0.runs.map(\.text).joined() }
                for t in texts { XCTAssertLessThanOrEqual(TextWidth.columns(t), width, "\(colour) \(width): \(t)") }
                let kept = texts.joined().replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "{+", with: "").replacingOccurrences(of: "+}", with: "")
                XCTAssertEqual(kept, glued.map(\.text).joined(), "\(colour) \(width)")
            }
        }
        for width in [9, 16, 21, 30] {
            let lines = CompareLayout.body(tokens, width: width, colour: true, section: nil, pair: 0)
            let texts = lines.map { $0.runs.map(\.text).joined() }
            for t in texts { XCTAssertLessThanOrEqual(TextWidth.columns(t), width, "\(width): \(t)") }
            XCTAssertEqual(texts.joined().replacingOccurrences(of: " ", with: ""), text.replacingOccurrences(of: " ", with: ""), "\(width)")
        }
    }

    /// At 80 columns the status line says the whole count, the kinds of change that occur, and
    /// gives up hints for it (help stays).
    func testTheCountsFitAt80Columns() {
        let h = Harness(width: 80, height: 24).press(.char("j"), .char("c"))
        let status = h.screen.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(status.contains("+4622 −958 words · sections: 5 changed, 1 moved, 7 added, 1 removed"), status)
        XCTAssertTrue(status.hasSuffix("? help"), status)
        XCTAssertFalse(status.contains("…"), status)
        // At 60 columns, the same counts in fewer words.
        let narrow = Harness(width: 60, height: 20).press(.char("j"), .char("c"))
        let short = narrow.screen.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(short.contains("+4622 −958 · 5 changed, 1 moved, 7 added, 1 removed"), short)
        // Diamond Nexus: two of the three changed sections were renamed, said in the count.
        let d = Harness(width: 100, height: 24).press(.char("c"))
        let line = d.screen.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(line.contains("sections: 3 changed (2 renamed), 2 removed"), line)
    }

    /// Columns too narrow for the versions' names keep their dates.
    func testNarrowColumnsKeepTheDates() {
        let h = Harness(width: 40, height: 12).press(.char("j"), .char("c"))
        if !h.app.state.stacked { h.press(.char("s")) }
        h.press(.char("s"))
        let first = h.screen.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertTrue(first.contains("2010-12-31") && first.contains("2019-07-04"), first)
    }

    /// Tab gives the keys to the sections list: each j is the next pair, its first row at the top
    /// of the text (the last pairs selected though the text cannot scroll that far); Enter gives
    /// them back, and j scrolls a row again.
    func testTheSectionsListPicksAPair() {
        let h = Harness(width: 160, height: 40).press(.char("j"), .char("c"))
        let (c, layout) = h.app.comparison(columnWidth: h.app.compareGeometry().column)!
        XCTAssertGreaterThan(c.pairs.count, 5)
        h.press(.tab)
        XCTAssertEqual(h.app.state.compareSelectedPair, 0)
        h.press(.char("j"), .char("j"))
        XCTAssertEqual(h.app.state.compareSelectedPair, 2)
        XCTAssertEqual(h.app.state.compareOffset, layout.pairStarts[2])
        let title = c.pairs[2].right?.title ?? ""
        let row = h.screen.split(separator: "\n").first { $0.contains("▶") }.map(String.init) ?? ""
        XCTAssertTrue(row.contains(String(title.prefix(8))), "\(row) against \(title)")
        h.press(.char("G"))
        XCTAssertEqual(h.app.state.compareSelectedPair, c.pairs.count - 1)
        h.press(.char("g"), .enter)
        XCTAssertNil(h.app.state.compareSelectedPair)
        h.press(.char("j"))
        XCTAssertEqual(h.app.state.compareOffset, layout.pairStarts[0] + 1)
        // A click on a row of the list selects its pair; the wheel there moves the selection; ]c
        // picks the next section that changed; a click on the text gives it the keys back.
        h.press(.mouse(MouseEvent(kind: .press, x: 3, y: 4)))
        XCTAssertEqual(h.app.state.compareSelectedPair, 3)
        XCTAssertEqual(h.app.state.compareOffset, layout.pairStarts[3])
        h.press(.mouse(MouseEvent(kind: .wheelDown, x: 3, y: 10)))
        XCTAssertEqual(h.app.state.compareSelectedPair, 4)
        let nextChanged = c.pairs.indices.first { $0 > 4 && c.pairs[$0].status != .unchanged }
        h.press(.char("]"), .char("c"))
        XCTAssertEqual(h.app.state.compareSelectedPair, nextChanged)
        h.press(.mouse(MouseEvent(kind: .press, x: 100, y: 10)))
        XCTAssertNil(h.app.state.compareSelectedPair)
        // Below 100 columns there is no list: Tab says so and the keys stay with the text.
        h.resize(80, 24)
        h.press(.tab)
        XCTAssertNil(h.app.state.compareSelectedPair)
        XCTAssertTrue(h.screen.contains("from 100 columns"), h.screen)
    }

    /// `s` and a resize lay the comparison out anew: the section in view stays in view.
    func testStackingAndResizingKeepTheSectionInView() {
        let h = Harness(width: 160, height: 40).press(.char("j"), .char("c"))
        for _ in 0..<20 { h.press(.pageDown) }
        func pair() -> Int {
            let (_, layout) = h.app.comparison(columnWidth: h.app.compareGeometry().column)!
            return layout.pairStarts.lastIndex { $0 <= h.app.state.compareOffset } ?? -1
        }
        let before = pair()
        XCTAssertGreaterThan(before, 3)
        h.press(.char("s"))
        XCTAssertTrue(h.app.state.stacked)
        XCTAssertEqual(pair(), before, "stacked")
        h.press(.char("s"))
        XCTAssertEqual(pair(), before, "side by side again")
        h.resize(250, 70)
        XCTAssertEqual(pair(), before, "wider")
        h.resize(80, 24)
        XCTAssertEqual(pair(), before, "narrower")
        // The top row is where a paragraph starts (or the section's), not halfway into one.
        let (_, layout) = h.app.comparison(columnWidth: h.app.compareGeometry().column)!
        let top = h.app.state.compareOffset
        func blank(_ r: Int) -> Bool { [layout.left, layout.right].allSatisfy { r >= $0.count || $0[r].runs.allSatisfy { $0.text.allSatisfy(\.isWhitespace) } } }
        XCTAssertTrue(layout.pairStarts.contains(top) || blank(top - 1), "row \(top)")
    }

    /// Without colour, a run of changed words is one marker pair, and rows fill the column with it:
    /// markers counted as drawn, not once per word.
    func testMarkedRowsFillTheColumn() throws {
        let corpus = Harness.corpus
        let a = try XCTUnwrap(corpus.document(id: "jamesallen.com@2010-12-31"))
        let b = try XCTUnwrap(corpus.document(id: "jamesallen.com@2019-07-04"))
        let comparison = Comparison(a, b)
        for width in [30, 46, 80] {
            let layout = CompareLayout(comparison, width: width, colour: false, unicode: true)
            let rows = (layout.left + layout.right).map { $0.runs.map(\.text).joined() }
                .filter { $0.hasPrefix("[-") || $0.hasPrefix("{+") }
            XCTAssertGreaterThan(rows.count, 50)
            for row in rows {
                XCTAssertLessThanOrEqual(TextWidth.columns(row), width, row)
                XCTAssertFalse(row.contains("-] [-") || row.contains("+} {+"), row)
                XCTAssertEqual(row.components(separatedBy: "[-").count, row.components(separatedBy: "-]").count, row)
            }
            // A wrapped run of added words leaves at most a word's room at the end of its rows.
            let full = rows.filter { $0.hasPrefix("{+") && $0.hasSuffix("+}") }.map { TextWidth.columns($0) }
            XCTAssertGreaterThan(Double(full.filter { $0 >= width - 12 }.count), 0.6 * Double(full.count), "\(width): \(full)")
        }
    }

    /// ]c goes to the next change's row, or as far as the last page goes; from there, it says so.
    func testNextChangeStopsAtTheLastPage() {
        let stops = [10, 90]
        XCTAssertEqual(BrowserApp.scroll(0, .nextChange, rows: 100, height: 20, stops: stops), .moved(10))
        XCTAssertEqual(BrowserApp.scroll(10, .nextChange, rows: 100, height: 20, stops: stops), .moved(80))
        XCTAssertEqual(BrowserApp.scroll(80, .nextChange, rows: 100, height: 20, stops: stops), .noNextStop)
        XCTAssertEqual(BrowserApp.scroll(80, .previousChange, rows: 100, height: 20, stops: stops), .moved(10))
    }
}
