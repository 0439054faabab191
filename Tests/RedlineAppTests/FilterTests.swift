import PolicyCore
import TerminalUI
import XCTest
@testable import RedlineApp

/// The fuzzy type-to-filter box of the retailer list.
final class FilterTests: XCTestCase {
    func testFuzzyRankingPrefersWordStartsAndRuns() {
        let names = ["Diamond Nexus diamondnexus.com", "James Allen jamesallen.com", "WorldJewels worldjewels.com", "Jared jared.com"]
        XCTAssertEqual(Fuzzy.rank("ja", names).map(\.index), [1, 3])
        XCTAssertEqual(Fuzzy.rank("wj", names).map(\.index), [2])
        XCTAssertEqual(Fuzzy.rank("dnx", names).map(\.index), [0])
        XCTAssertEqual(Fuzzy.rank("zzz", names).map(\.index), [])
        XCTAssertEqual(Fuzzy.rank("", names).map(\.index), [0, 1, 2, 3], "an empty filter keeps everything in order")
        // "nex" is a run inside "Nexus": it beats letters scattered over a name.
        XCTAssertEqual(Fuzzy.rank("nex", ["Nine Ex Tenants", "Nexus"]).first?.index, 1)
        let m = Fuzzy.match(Array("jal"), in: "James Allen")
        XCTAssertEqual(m?.positions, [0, 6, 7])
    }

    func testTypingNarrowsTheListAndEnterPicks() {
        let h = Harness().press(.char("F"))
        XCTAssertTrue(h.app.state.filtering)
        h.type("wj")
        XCTAssertEqual(h.app.state.filterMatches.count, 1)
        XCTAssertTrue(h.screen.contains("Filter: wj"), h.screen)
        XCTAssertTrue(h.screen.contains("1/3 retailers match"), h.screen)
        XCTAssertFalse(h.screen.contains("James Allen  "), h.screen)
        XCTAssertTrue(h.styles(of: "W").contains { $0.role == .searchMatch })
        h.press(.enter)
        XCTAssertFalse(h.app.state.filtering)
        XCTAssertEqual(h.app.retailer?.domain, "worldjewels.com")
        XCTAssertTrue(h.screen.contains("WorldJewels · 2016-11-24"), h.screen)
    }

    func testEscapeCancelsAndNoMatchSaysSo() {
        let h = Harness().press(.char("j"), .char("F")).type("qqq")
        XCTAssertTrue(h.screen.contains("no retailer matches"), h.screen)
        h.press(.backspace, .backspace, .backspace).type("dia")
        XCTAssertEqual(h.app.state.filterMatches.first, 0)
        h.press(.escape)
        XCTAssertFalse(h.app.state.filtering)
        XCTAssertEqual(h.app.retailer?.domain, "jamesallen.com", "Esc leaves the selection as it was")
    }

    func testFilterOnALargeListIsVirtual() {
        // 20 000 retailers: only the visible rows are drawn; the match count is exact.
        var retailers: [Retailer] = []
        let doc = Harness.corpus.retailers[0].versions[0]
        for i in 0..<20_000 {
            var d = doc
            d.domain = "shop\(i).com"
            retailers.append(Retailer(domain: d.domain, name: "Shop \(i)", versions: [d]))
        }
        let app = BrowserApp(corpus: Corpus(retailers: retailers), index: nil, width: 100, height: 30)
        _ = app.handle(.char("F"))
        for c in "shop 1999" { _ = app.handle(.char(c)) }
        XCTAssertEqual(app.state.filterMatches.first, 1999)
        let screen = app.render().lines.joined(separator: "\n")
        XCTAssertTrue(screen.contains("Shop 1999"), screen)
        XCTAssertTrue(screen.contains("/20000"), screen)
    }
}
