import Foundation
import XCTest

/// The browser at the smallest common size, as a new user meets it, in tmux.
final class BrowserKeysTests: XCTestCase {
    typealias Session = TerminalSessionTests.Session

    func testTheWholeHelpIsReachableAt80x24() throws {
        let s = try Session(width: 80, height: 24)
        XCTAssertTrue(s.waitFor("Retailers (3)"), s.capture())
        s.keys("?")
        XCTAssertTrue(s.waitFor("1–19 of 27"), s.capture())
        XCTAssertFalse(s.capture().contains("q Ctrl-c"), "the end of the help is below the window")
        s.keys("G")
        XCTAssertTrue(s.waitFor("q Ctrl-c"), s.capture())
        let end = s.capture()
        for text in ["t                  topics", "u                  show link URLs", "T                  category tags",
                     "Mouse: wheel scrolls", "9–27 of 27"] {
            XCTAssertTrue(end.contains(text), "\(text)\n\(end)")
        }
        s.keys("g")
        XCTAssertTrue(s.waitFor("1–19 of 27"), s.capture())
        s.keys("j")
        XCTAssertTrue(s.waitFor("2–20 of 27"), s.capture())
        s.keys("Escape")
        XCTAssertTrue(s.waitFor("? help"), s.capture())
        XCTAssertFalse(s.capture().contains("Esc or ? closes"))
        s.keys("q")
        XCTAssertEqual(s.exitCode(), "0")
        XCTAssertEqual(s.stderr, "")
    }
}
