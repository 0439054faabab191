import PolicyCore
import TerminalUI
import XCTest
@testable import RedlineApp

/// Category tags in the reader, the facts panel, the heat map and the by-category comparison.
final class TopicsScreenTests: XCTestCase {
    func testReaderTagsEachClauseAndTogglesOff() {
        let h = Harness().press(.char("j"), .char("j"))   // WorldJewels
        XCTAssertTrue(h.screen.contains("‹share·other›"), h.screen)
        let styles = h.styles(of: "‹share·other›")
        XCTAssertFalse(styles.isEmpty)
        XCTAssertTrue(styles.allSatisfy { $0.role == .tag })
        h.press(.char("T"))
        XCTAssertFalse(h.screen.contains("‹"), h.screen)
    }

    /// The facts panel is a table: values in one column, section titles in the next, every title
    /// starting in the same column and ending before the numbers.
    func testFactsPanelSetsTitlesInAColumn() {
        let h = Harness(width: 100, height: 30).press(.char("j"), .tab, .char("j"), .char("f"))
        let lines = h.frame.lines
        func column(_ text: String) -> Int? {
            lines.lazy.compactMap { line in line.range(of: text).map { line.distance(from: line.startIndex, to: $0.lowerBound) } }.first
        }
        let starts = ["1. what information", "5. additional", "C. Interest-Based", "7. use by children", "9. google analytics"].map(column)
        XCTAssertFalse(starts.contains(nil), h.screen)
        XCTAssertEqual(Set(starts).count, 1, "\(starts)\n\(h.screen)")
        let sixThree = lines.first { $0.contains("§6.3") } ?? ""
        let one = lines.first { $0.contains("1. what information") } ?? ""
        XCTAssertEqual(sixThree.firstIndex(of: "…").map { sixThree.distance(from: sixThree.startIndex, to: $0) },
                       one.firstIndex(of: "…").map { one.distance(from: one.startIndex, to: $0) }, h.screen)
    }

    func testFactsPanelListsFactsAndJumpsToTheClause() {
        let h = Harness().press(.char("j"), .char("j"), .char("f"))
        let screen = h.screen
        XCTAssertTrue(screen.contains("Facts · worldjewels.com@2016-11-24"), screen)
        XCTAssertTrue(screen.contains("444 south hill st suite b los angeles, ca 90013"), screen)
        XCTAssertTrue(screen.contains("Minimum age"))
        XCTAssertTrue(screen.contains("TRUSTe"))
        // Walk to the address and jump there.
        let facts = FactExtractor.facts(in: Harness.corpus.document(id: "worldjewels.com@2016-11-24")!)
        let address = facts.firstIndex { $0.kind == .address }!
        for _ in 0..<address { h.press(.char("j")) }
        h.press(.enter)
        XCTAssertFalse(h.app.state.showFacts)
        XCTAssertEqual(h.app.state.focus, .reader)
        XCTAssertTrue(h.screen.contains("truste"), h.screen)
        XCTAssertTrue(h.screen.contains("Address: 444 south hill st"), h.screen)
        // The clause is marked in the margin, as a search hit's is.
        let marked = h.screen.split(separator: "\n").filter { $0.contains("│▌") }
        XCTAssertTrue(marked.contains { $0.contains("444 south hill st") }, h.screen)
    }

    /// The legend keeps its keys in view when rows are free, and a narrow window keeps the column
    /// indicator in the title.
    func testHeatMapLegendAndIndicatorStayInView() {
        let h = Harness(width: 80, height: 24).press(.char("t"))
        XCTAssertTrue(h.screen.contains("h/l columns · Enter opens"), h.screen)
        h.resize(44, 12)
        let title = h.screen.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertTrue(title.contains("Topics · ") && title.contains("/10 ›"), title)
    }

    /// The last column's name takes the room after it rather than an ellipsis.
    func testTheLastColumnsNameUsesTheRoomAfterIt() throws {
        let h = Harness(width: 80, height: 24).press(.char("t"))
        let audience = try XCTUnwrap(PrivacyCategory.allCases.firstIndex(of: .audiences))
        for _ in 0..<audience { h.press(.char("l")) }
        let header = h.screen.split(separator: "\n")[1]
        XCTAssertTrue(header.contains(PrivacyCategory.audiences.shortName + " "), String(header))
        XCTAssertFalse(header.contains("…"), String(header))
    }

    func testHeatMapShowsEveryRetailerAndCategoryWithAMonochromeScale() {
        let h = Harness(colour: false).press(.char("t"))
        XCTAssertEqual(h.app.state.mode, .topics)
        let screen = h.screen
        for name in ["Diamond Nexus", "James Allen", "WorldJewels"] { XCTAssertTrue(screen.contains(name)) }
        for c in PrivacyCategory.allCases { XCTAssertTrue(screen.contains(String(c.shortName.prefix(4))), c.rawValue) }
        // The shade glyphs carry the scale without colour; the strongest cell of each column is full.
        XCTAssertTrue(screen.contains("██"), screen)
        XCTAssertTrue(screen.contains("░") || screen.contains("▒") || screen.contains("▓"), screen)
        // James Allen (2019) is the only one with a Do Not Track clause.
        let jamesRow = h.frame.lines.first { $0.contains("James Allen") } ?? ""
        let nexusRow = h.frame.lines.first { $0.contains("Diamond Nexus") } ?? ""
        XCTAssertEqual(jamesRow.components(separatedBy: "–").count - 1, 0, jamesRow)
        XCTAssertGreaterThan(nexusRow.components(separatedBy: "–").count - 1, 0, nexusRow)
        h.assertGolden("topics-120x32")
        h.press(.escape)
        XCTAssertEqual(h.app.state.mode, .browse)
    }

    /// Enter on a cell opens the retailer's latest version at the first clause of that column's category.
    func testNAndShiftNWalkTheCategorysClauses() throws {
        let h = Harness().press(.char("t"), .char("j"))   // James Allen
        let choice = try XCTUnwrap(PrivacyCategory.allCases.firstIndex(of: .choice))
        for _ in 0..<choice { h.press(.char("l")) }
        h.press(.enter)
        let doc = try XCTUnwrap(h.app.document)
        let labelled = h.app.topics(doc).indices.filter { h.app.topics(doc)[$0].categories.contains(.choice) }
        XCTAssertGreaterThan(labelled.count, 2)
        XCTAssertTrue(h.screen.contains("n N walk them"), h.screen)
        h.press(.char("n"))
        XCTAssertEqual(h.app.state.shownClause?.index, labelled[1])
        XCTAssertTrue(h.screen.contains("User Choice/Control: clause 2 of \(labelled.count)"), h.screen)
        h.press(.char("N"), .char("N"))
        XCTAssertEqual(h.app.state.shownClause?.index, labelled.last, "round the start")
        XCTAssertTrue(h.screen.contains("from the last clause again"), h.screen)
        // A search takes n back, even one closed with Esc.
        h.press(.char("/")).type("cookies").press(.escape)
        XCTAssertNil(h.app.state.categoryWalk)
        // A category with no clause there ends the walk before it; n walks only what the reader shows.
        let again = Harness().press(.char("t"), .char("j"))
        for _ in 0..<choice { again.press(.char("l")) }
        again.press(.enter, .char("c"))
        let shown = again.app.state.shownClause
        again.press(.char("n"))
        XCTAssertEqual(again.app.state.shownClause, shown, "not in a comparison")
    }

    func testEnterOpensTheFirstClauseOfTheSelectedCategory() throws {
        let h = Harness().press(.char("t"), .char("j"))   // James Allen
        let security = try XCTUnwrap(PrivacyCategory.allCases.firstIndex(of: .security))
        for _ in 0..<security { h.press(.char("l")) }
        h.press(.enter)
        XCTAssertEqual(h.app.state.mode, .browse)
        XCTAssertEqual(h.app.state.focus, .reader)
        let doc = try XCTUnwrap(h.app.document)
        XCTAssertEqual(doc.id, "jamesallen.com@2019-07-04")
        let first = try XCTUnwrap(h.app.topics(doc).firstIndex { $0.categories.contains(.security) })
        let lines = h.app.readerLines()
        let row = try XCTUnwrap(lines.firstIndex { $0.clauseIndex == first })
        XCTAssertTrue((h.app.state.readerOffset...h.app.state.readerOffset + 3).contains(row), "\(row) in view from \(h.app.state.readerOffset)")
        XCTAssertTrue(h.screen.contains("Data Security: "), h.screen)
        XCTAssertEqual(h.app.state.shownClause, .init(doc: doc.id, index: first), "marked in the margin")
        XCTAssertTrue(h.screen.contains("│▌"), h.screen)
        // Esc goes back to the heat map, where it was.
        h.press(.escape)
        XCTAssertEqual(h.app.state.mode, .topics)
        XCTAssertEqual(h.app.state.topicColumn, security)
        // Not after the reader has gone elsewhere (a comparison, here).
        h.press(.enter, .char("c"), .escape, .escape)
        XCTAssertEqual(h.app.state.mode, .browse)
    }

    /// Esc from two retailers compared goes back to the heat map; t leaves both for the view the
    /// heat map was opened from.
    func testLeavingTwoRetailersCompared() {
        let h = Harness().press(.char("j"), .char("c"), .char("t"), .char("m"), .char("j"), .char("c"))
        XCTAssertEqual(h.app.state.mode, .categoryCompare)
        h.press(.escape)
        XCTAssertEqual(h.app.state.mode, .topics)
        h.press(.char("c"))
        XCTAssertEqual(h.app.state.mode, .categoryCompare)
        h.press(.char("t"))
        XCTAssertEqual(h.app.state.mode, .compare, "the comparison the heat map was opened from")
        XCTAssertEqual(h.app.state.returns, [])
        h.press(.escape)
        XCTAssertEqual(h.app.state.mode, .browse)
    }

    func testCompareTwoRetailersByCategory() {
        let h = Harness().press(.char("t"), .char("m"), .char("j"), .char("c"))   // Diamond Nexus ↔ James Allen
        XCTAssertEqual(h.app.state.mode, .categoryCompare)
        let screen = h.screen
        XCTAssertTrue(screen.contains("Diamond Nexus · 2016-03-14"), screen)
        XCTAssertTrue(screen.contains("James Allen · 2019-07-04"), screen)
        XCTAssertTrue(screen.contains("First Party Collection/Use"), screen)
        XCTAssertTrue(screen.contains("]c next category"), screen)
        // ]c walks category by category down to Do Not Track: one side has nothing to say.
        for _ in 0..<7 { h.press(.char("]"), .char("c")) }
        XCTAssertTrue(h.screen.contains("Do Not Track"), h.screen)
        XCTAssertTrue(h.screen.contains("nothing"), h.screen)
        XCTAssertTrue(h.screen.contains("do not track"), h.screen)
        // At the end, ]c says so instead of moving to a row the view cannot show.
        var offsets: [Int] = []
        for _ in 0..<12 { h.press(.char("]"), .char("c")); offsets.append(h.app.state.categoryOffset); _ = h.screen }
        XCTAssertEqual(h.app.state.message, "last category")
        XCTAssertEqual(offsets.suffix(3), [offsets.last!, offsets.last!, offsets.last!])
        h.press(.escape)
        XCTAssertEqual(h.app.state.mode, .topics)
    }

    func testEnterShowsEveryClauseOfTheComparisonInFull() throws {
        let h = Harness(width: 100, height: 30).press(.char("t"), .char("m"), .char("j"), .char("c"))   // Diamond Nexus ↔ James Allen
        let layout = try XCTUnwrap(h.app.categoryLayout())
        let text = { (lines: [Line]) in lines.map { $0.runs.map(\.text).joined() }.joined(separator: "\n") }
        // James Allen 2019 has more than 8 first-party clauses: the rest are counted.
        XCTAssertNotNil(text(layout.right).range(of: #"… \d+ more \(Enter shows all\)"#, options: .regularExpression), text(layout.right))
        XCTAssertTrue(h.screen.contains("Enter all"), h.screen)
        // At the second category, Enter: every clause in full, the same category at the top.
        h.press(.char("]"), .char("c"))
        let second = h.app.state.categoryOffset
        XCTAssertEqual(second, layout.starts[1])
        h.press(.enter)
        let full = try XCTUnwrap(h.app.categoryLayout())
        XCTAssertTrue(h.app.state.categoryExpanded)
        XCTAssertEqual(h.app.state.categoryOffset, full.starts[1])
        XCTAssertFalse(text(full.right).contains("more (Enter shows all)"))
        XCTAssertFalse(text(full.left).contains("more (Enter shows all)"))
        XCTAssertGreaterThan(full.right.count, layout.right.count)
        XCTAssertTrue(h.screen.contains("every clause in full"), h.screen)
        // As many first-party clauses as the summary line counts, each in full.
        let doc = try XCTUnwrap(h.app.retailers.retailer(domain: "jamesallen.com")?.latest)
        let firstParty = h.app.topics(doc).filter { $0.categories.contains(.firstParty) }.count
        XCTAssertEqual(text(Array(full.right[full.starts[0]..<full.starts[1]])).components(separatedBy: "§").count - 1, firstParty)
        XCTAssertGreaterThan(firstParty, BrowserApp.clausesShown)
        // Enter again: back to the first 8, the category still at the top.
        h.press(.enter)
        XCTAssertFalse(h.app.state.categoryExpanded)
        XCTAssertEqual(h.app.state.categoryOffset, layout.starts[1])
        // From lines into a category, Enter opens it from its heading (the short view is not a scaled copy).
        for _ in 0..<12 { h.press(.char("j")) }
        XCTAssertEqual(h.app.state.categoryOffset, layout.starts[1] + 12)
        h.press(.enter)
        XCTAssertEqual(h.app.state.categoryOffset, try XCTUnwrap(h.app.categoryLayout()).starts[1])
        h.press(.enter)
        // A new comparison starts short.
        h.press(.enter, .escape, .char("c"))
        XCTAssertEqual(h.app.state.mode, .categoryCompare)
        XCTAssertFalse(h.app.state.categoryExpanded)
    }

    func testTheComparisonKeepsItsCategoryAtTheTopAcrossResizes() throws {
        let h = Harness(width: 80, height: 24).press(.char("t"), .char("m"), .char("j"), .char("c"))
        for _ in 0..<4 { h.press(.char("]"), .char("c")) }
        let category = 4   // Data Retention
        XCTAssertEqual(try XCTUnwrap(h.app.categoryLayout()).starts[category], h.app.state.categoryOffset)
        for (w, hgt) in [(250, 70), (20, 5), (120, 40), (80, 24)] {
            h.resize(w, hgt)
            _ = h.screen
            let layout = try XCTUnwrap(h.app.categoryLayout())
            let top = layout.starts.lastIndex { $0 <= h.app.state.categoryOffset }
            // At the largest size everything may fit: the view then starts at the top.
            if layout.left.count > h.app.categoryPaneHeight { XCTAssertEqual(top, category, "\(w)x\(hgt)") }
        }
        XCTAssertTrue(h.screen.contains("Data Retention"), h.screen)
    }

    /// A window made taller (where the view cannot scroll as far) and then shorter again comes back
    /// to the category it showed.
    func testAHeightOnlyResizeComesBackToItsCategory() throws {
        let h = Harness(width: 80, height: 24).press(.char("t"), .char("m"), .char("j"), .char("c"))
        for _ in 0..<7 { h.press(.char("]"), .char("c")) }
        let layout = try XCTUnwrap(h.app.categoryLayout())
        let top = { layout.starts.lastIndex { $0 <= h.app.categoryShownOffset(layout) } }
        let before = top()
        XCTAssertEqual(before, 7)
        h.resize(80, 70)
        _ = h.screen
        h.resize(80, 24)
        _ = h.screen
        XCTAssertEqual(top(), before)
        // A key that moves nothing keeps the place too.
        h.resize(80, 70)
        _ = h.screen
        h.press(.char("m"))
        h.resize(80, 24)
        _ = h.screen
        XCTAssertEqual(top(), before)
        // A key moves from what is shown: one line up from the tall window's end, not from the place kept.
        h.resize(80, 70)
        _ = h.screen
        let shown = h.app.categoryShownOffset(layout)
        XCTAssertLessThan(shown, h.app.state.categoryOffset)
        h.press(.char("k"))
        XCTAssertEqual(h.app.state.categoryOffset, shown - 1)
    }

    /// `c` opens the comparison at the category of the selected column; on the marked retailer it says so.
    func testCompareOpensAtTheSelectedColumn() throws {
        let h = Harness().press(.char("t"), .char("m"), .char("c"))
        XCTAssertEqual(h.app.state.mode, .topics)
        XCTAssertTrue(h.screen.contains("is the one marked"), h.screen)
        let retention = try XCTUnwrap(PrivacyCategory.allCases.firstIndex(of: .retention))
        for _ in 0..<retention { h.press(.char("l")) }
        h.press(.char("j"), .char("c"))
        XCTAssertEqual(h.app.state.mode, .categoryCompare)
        XCTAssertEqual(h.app.state.categoryOffset, try XCTUnwrap(h.app.categoryLayout()).starts[retention])
        XCTAssertTrue(h.screen.contains("Data Retention"), h.screen)
    }

    /// James Allen's first retention clause is its table's header row: Enter opens the reader there.
    func testEnterOpensAtATableHeader() throws {
        for (w, hgt) in [(250, 60), (50, 30)] {   // the table in columns, then as records (no header line)
            let h = Harness(width: w, height: hgt).press(.char("t"), .char("j"))
            let retention = try XCTUnwrap(PrivacyCategory.allCases.firstIndex(of: .retention))
            for _ in 0..<retention { h.press(.char("l")) }
            h.press(.enter)
            let doc = try XCTUnwrap(h.app.document)
            let topics = h.app.topics(doc)
            let first = try XCTUnwrap(topics.firstIndex { $0.categories.contains(.retention) })
            XCTAssertEqual(doc.allClauses[first].kind, .tableHeader)
            XCTAssertGreaterThan(h.app.state.readerOffset, 0, "\(w)x\(hgt)")
            let lines = h.app.readerLines()
            let shown = lines[h.app.state.readerOffset..<min(lines.count, h.app.state.readerOffset + 6)].compactMap(\.clauseIndex)
            // In columns the header's own lines; as records, the first row's.
            XCTAssertTrue(shown.contains(w > 100 ? first : first + 1), "\(w)x\(hgt): \(shown)")
        }
    }

    /// The reader at a table's header keeps the table in view when a resize lays it out as records
    /// (which have no header line): at its first row, not at the section's start.
    func testAResizeKeepsATablesHeaderInView() throws {
        let h = Harness(width: 250, height: 60).press(.char("t"), .char("j"))
        let retention = try XCTUnwrap(PrivacyCategory.allCases.firstIndex(of: .retention))
        for _ in 0..<retention { h.press(.char("l")) }
        h.press(.enter)
        let header = try XCTUnwrap(h.app.readerLines()[h.app.state.readerOffset...].first { $0.clauseIndex != nil }?.clauseIndex)
        XCTAssertEqual(try XCTUnwrap(h.app.document).allClauses[header].kind, .tableHeader)
        // The header's line at the top, then a narrow window.
        h.app.state.readerOffset = try XCTUnwrap(h.app.readerLines().firstIndex { $0.clauseIndex == header })
        _ = h.screen
        h.resize(50, 30)
        _ = h.screen
        XCTAssertEqual(h.app.readerLines()[h.app.state.readerOffset].clauseIndex, header + 1)
    }

    func testCompareWithoutAMarkExplains() {
        let h = Harness().press(.char("t"), .char("c"))
        XCTAssertEqual(h.app.state.mode, .topics)
        XCTAssertTrue(h.screen.contains("mark a retailer with m"), h.screen)
    }

    func testTopicsViewAtNarrowWidths() {
        for (w, hgt) in [(80, 24), (60, 20), (40, 12)] {
            let h = Harness(width: w, height: hgt).press(.char("t"))
            XCTAssertTrue(h.screen.contains("James Al"), "\(w)x\(hgt)\n" + h.screen)
            // Every shown percentage is whole: no column is cut.
            XCTAssertTrue(h.screen.contains("61"), "\(w)x\(hgt)\n" + h.screen)
            for _ in 0..<9 { h.press(.char("l")) }
            XCTAssertEqual(h.app.state.topicColumn, 9)
            XCTAssertTrue(h.screen.contains("other"), "\(w)x\(hgt)\n" + h.screen)
            h.press(.char("j"), .char("m"), .char("k"), .char("c"))
            XCTAssertEqual(h.app.state.mode, .categoryCompare)
            XCTAssertFalse(h.screen.isEmpty)
        }
    }

    /// The help in the heat map and in the change feed lists their own keys first.
    func testHelpListsTheViewsOwnKeys() {
        let topics = Harness(width: 120, height: 40).press(.char("t"), .char("?"))
        XCTAssertTrue(topics.screen.contains("heat map: the category column"), topics.screen)
        XCTAssertTrue(topics.screen.contains("The other keys"), topics.screen)
        let changes = Harness(width: 120, height: 40).press(.char("C"), .char("?"))
        XCTAssertTrue(changes.screen.contains("changes: the fact kind filter"), changes.screen)
        let browse = Harness(width: 120, height: 40).press(.char("?"))
        XCTAssertFalse(browse.screen.contains("The other keys"), browse.screen)
    }
}
