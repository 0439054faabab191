import PolicyCore
import TerminalUI
import XCTest
@testable import RedlineApp

/// The changes view: the feed, its filters, opening a change, and the facts above a comparison.
final class ChangesScreenTests: XCTestCase {
    func testFeedNewestFirstAt80x24() {
        let h = Harness(width: 80, height: 24).press(.char("C"))
        XCTAssertEqual(h.app.state.mode, .changes)
        let screen = h.screen
        let james = screen.range(of: "2019-07-04  James Allen"), nexus = screen.range(of: "2016-03-14  Diamond Nexus")
        XCTAssertNotNil(james, screen)
        XCTAssertNotNil(nexus, screen)
        if let james, let nexus { XCTAssertLessThan(james.lowerBound, nexus.lowerBound) }
        XCTAssertTrue(screen.contains("2 of 2 changes"), screen)
        h.assertGolden("changes-80x24")
        h.press(.escape)
        XCTAssertEqual(h.app.state.mode, .browse)
    }

    func testWideShowsTheSelectedChangeInFull() {
        let h = Harness(width: 160, height: 48).press(.char("C"), .char("j"))
        let screen = h.screen
        XCTAssertTrue(screen.contains("diamondnexus.com@2015-09-27 → 2016-03-14"), screen)
        XCTAssertTrue(screen.contains("− Phone: 1.800.509.4990"), screen)
        XCTAssertTrue(screen.contains("− the information we collect"), screen)
        h.assertGolden("changes-160x48")
        // Narrower, a line too long for the detail pane ends in "…" inside its margin.
        let narrow = Harness(width: 110, height: 40).press(.char("C"), .char("j"))
        let cut = narrow.frame.lines.first { $0.contains("+ Opt-out: https://tools.google.com") } ?? ""
        XCTAssertTrue(cut.contains("… │") || cut.hasSuffix("… │"), cut)
    }

    func testFiltersByCategoryAndFactKind() {
        let h = Harness().press(.char("C"))
        h.press(.char("f"))   // e-mail: both changes touch one
        XCTAssertEqual(h.app.state.changeFact, .email)
        XCTAssertTrue(h.screen.contains("2 of 2 changes"), h.screen)
        h.press(.char("f"), .char("f"), .char("f"), .char("f"), .char("f"), .char("f"))   // law
        XCTAssertEqual(h.app.state.changeFact, .law)
        XCTAssertTrue(h.screen.contains("1 of 2 changes"), h.screen)
        XCTAssertFalse(h.screen.contains("Diamond Nexus"), h.screen)
        XCTAssertTrue(h.screen.contains("+GDPR"), h.screen)
        h.press(.char("f"), .char("f"))   // back to all
        XCTAssertNil(h.app.state.changeFact)
        h.press(.left, .left, .left)     // other, audiences, dnt
        XCTAssertEqual(h.app.state.changeCategory, .dnt)
        XCTAssertTrue(h.screen.contains("1 of 2 changes"), h.screen)
        XCTAssertTrue(h.screen.contains("dnt +"), h.screen)
        h.press(.right, .right, .right)
        XCTAssertNil(h.app.state.changeCategory)
    }

    func testEnterOpensTheComparisonWithItsFactsAndEscComesBack() {
        let h = Harness().press(.char("C"), .char("j"), .enter)
        XCTAssertEqual(h.app.state.mode, .compare)
        XCTAssertEqual(h.app.state.comparing?.left, "diamondnexus.com@2015-09-27")
        XCTAssertEqual(h.app.state.comparing?.right, "diamondnexus.com@2016-03-14")
        let screen = h.screen
        XCTAssertTrue(screen.contains("3 facts changed"), screen)
        XCTAssertTrue(screen.contains("− E-mail: customerservice@diamondnexus.com"), screen)
        XCTAssertTrue(screen.contains("+ Opt-out: https://tools.google.com/dlpage/"), screen)
        // The facts come above the first section.
        let lines = h.frame.lines
        let facts = lines.firstIndex { $0.contains("facts changed") } ?? Int.max
        let section = lines.firstIndex { $0.contains("our commitment to privacy") && $0.contains("unchanged") } ?? -1
        XCTAssertLessThan(facts, section, screen)
        h.press(.escape)
        XCTAssertEqual(h.app.state.mode, .changes)
        XCTAssertEqual(h.app.state.changeList.selected, 1)
        h.press(.char("C"))
        XCTAssertEqual(h.app.state.mode, .browse)
    }

    func testTheFeedComesFromTheAppsSource() {
        let h = Harness()
        let summary = ChangeSummary(retailer: "worldjewels.com", from: "worldjewels.com@2015-01-01", to: "worldjewels.com@2016-11-24",
                                    date: "2016-11-24", added: 7, removed: 3, sections: .init(), categories: [],
                                    facts: FactDiff(changed: [.init(kind: .minimumAge, from: "18", to: "16")]))
        h.app.changeFeedSource = { _ in [summary] }
        h.press(.char("C"))
        XCTAssertTrue(h.screen.contains("1 of 1 changes"), h.screen)
        XCTAssertTrue(h.screen.contains("2016-11-24  WorldJewels"), h.screen)
        XCTAssertTrue(h.screen.contains("minimum age 18→16"), h.screen)
    }

    func testNoColourComparisonMarksFactsWithoutSigns() {
        let h = Harness(width: 120, height: 32, colour: false).press(.char("C"), .enter)
        XCTAssertTrue(h.screen.contains("[-Phone: 1-877-826-9866-]"), h.screen)
        XCTAssertTrue(h.screen.contains("{+Laws & frameworks: GDPR+}") || h.screen.contains("{+Third parties: PayPal+}"), h.screen)
    }

    /// Narrow, a change's figures stay whole: the older date goes first, then the name is cut with "…".
    /// Cut labels elsewhere end in "…" too.
    func testNarrowRowsKeepTheirFiguresWhole() {
        let h = Harness(width: 40, height: 12).press(.char("C"))
        let rows = h.frame.lines.filter { $0.contains("2019-07-04") }
        XCTAssertTrue(rows.contains { $0.contains("+4622 −958") }, h.screen)
        XCTAssertFalse(rows.contains { $0.contains("←") }, h.screen)
        let wide = Harness(width: 80, height: 24).press(.char("C"))
        XCTAssertTrue(wide.frame.lines.contains { $0.contains("James Allen") && $0.contains("← 2010-12-31  +4622 −958") }, wide.screen)
        let facts = Harness(width: 40, height: 12).press(.char("j"), .char("f"))
        XCTAssertTrue(facts.screen.contains("Last updated"), "a kind's title whole when a third of the box holds it: \(facts.screen)")
        XCTAssertTrue(facts.screen.contains("Third parti…"), facts.screen)
        let compare = Harness(width: 40, height: 12).press(.char("j"), .char("c"))
        XCTAssertTrue(compare.screen.contains("23 facts changed"), compare.screen)
        compare.press(.char("s"))   // side by side: columns of 18
        XCTAssertTrue(compare.screen.contains("23 changed"), compare.screen)
    }

    /// A filter that keeps the selected change keeps it selected.
    func testAFilterKeepsTheSelectedChangeWhenItStillMatches() {
        let h = Harness(width: 80, height: 24).press(.char("C"), .char("G"))   // the older change: Diamond Nexus
        let selected = h.app.visibleChanges[h.app.state.changeList.selected]
        XCTAssertEqual(selected.retailer, "diamondnexus.com")
        // Walk the category filter to one that Diamond Nexus's change touches.
        for _ in 0..<11 {
            h.press(.char("l"))
            if let category = h.app.state.changeCategory, selected.categories.contains(where: { $0.category == category }) { break }
        }
        XCTAssertNotNil(h.app.state.changeCategory)
        let now = h.app.visibleChanges[h.app.state.changeList.selected]
        XCTAssertEqual([now.from, now.to], [selected.from, selected.to])
    }

    /// While the feed is first made, the view counts the comparisons done.
    func testTheFeedsFirstComputationShowsItsProgress() {
        let app = BrowserApp(corpus: Harness.corpus, index: nil, width: 100, height: 30)
        _ = app.handle(.char("C"))   // its effect (the feed) not run yet
        XCTAssertEqual(app.state.mode, .changes)
        // Another process making it first: the view says so until this one's count starts.
        app.changeFeedWaiting()
        XCTAssertTrue(app.render().lines.joined().contains("(another redline is at it: waiting)"), app.render().lines.joined(separator: "\n"))
        app.changeFeedProgressed(done: 12, total: 40)
        XCTAssertTrue(app.render().lines.joined().contains("comparing every version with the one before… 12/40"), app.render().lines.joined(separator: "\n"))
    }
}
