import XCTest
@testable import RedlineApp
import TerminalUI

/// The loading screen of a corpus read for the first time.
final class LoadingViewTests: XCTestCase {
    func text(_ buf: ScreenBuffer) -> String {
        (0..<buf.height).map { y in (0..<buf.width).map { buf[$0, y].grapheme }.joined() }.joined(separator: "\n")
    }

    func testSaysWhatItReadsHowFarAndHowToLeave() {
        let screen = text(LoadingView.render(width: 80, height: 24, source: "/data/plldp", done: 3_400, total: 10_000))
        XCTAssertTrue(screen.contains("Reading 3 400 of 10 000 policies"), screen)
        XCTAssertTrue(screen.contains("/data/plldp"), screen)
        XCTAssertTrue(screen.contains("34%"), screen)
        XCTAssertTrue(screen.contains("q quits"), screen)
        let bar = screen.split(separator: "\n").first { $0.contains("34%") } ?? ""
        let filled = bar.filter { $0 == "█" }.count, empty = bar.filter { $0 == "·" }.count
        XCTAssertEqual(Double(filled) / Double(filled + empty), 0.34, accuracy: 0.02, String(bar))
    }

    func testBeforeTheCountIsKnownAndOnTinyOrPlainTerminals() {
        XCTAssertTrue(text(LoadingView.render(width: 80, height: 24, source: "x", done: 0, total: 0)).contains("Listing policies"))
        XCTAssertTrue(text(LoadingView.render(width: 60, height: 20, source: "x", done: 5, total: 10, unicode: false)).contains("#####"))
        for (w, h) in [(0, 0), (5, 2), (12, 3), (30, 6)] {
            let buf = LoadingView.render(width: w, height: h, source: String(repeating: "long/", count: 40), done: 1, total: 3)
            XCTAssertEqual(buf.width, w)
        }
        XCTAssertEqual(LoadingView.group(1_234_567), "1 234 567")
        XCTAssertEqual(LoadingView.group(999), "999")
    }
}
