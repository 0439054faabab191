import Foundation
import XCTest

/// The browser at the smallest common size, as a new user meets it, in tmux.
final class BrowserKeysTests: XCTestCase {
    typealias Session = TerminalSessionTests.Session

    /// Waits until `text` has left the screen (as `waitFor` waits for it to come).
    func waitUntilGone(_ s: Session, _ text: String, seconds: Double = 15) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if !s.capture().contains(text) { return true }
            usleep(50_000)
        }
        return false
    }

    func testTheWholeHelpIsReachableAt80x24() throws {
        let s = try Session(width: 80, height: 24)
        XCTAssertTrue(s.waitFor("Retailers (3)"), s.capture())
        s.keys("?")
        XCTAssertTrue(s.waitFor("1–19 of 28"), s.capture())
        XCTAssertFalse(s.capture().contains("q Ctrl-c"), "the end of the help is below the window")
        s.keys("G")
        XCTAssertTrue(s.waitFor("q Ctrl-c"), s.capture())
        let end = s.capture()
        for text in ["t                  topics", "C                  changes", "u                  show link URLs", "T                  category tags",
                     "Mouse: wheel scrolls", "10–28 of 28"] {
            XCTAssertTrue(end.contains(text), "\(text)\n\(end)")
        }
        s.keys("g")
        XCTAssertTrue(s.waitFor("1–19 of 28"), s.capture())
        s.keys("j")
        XCTAssertTrue(s.waitFor("2–20 of 28"), s.capture())
        s.keys("Escape")
        XCTAssertTrue(waitUntilGone(s, "Esc, ? or q closes"), s.capture())
        s.keys("q")
        XCTAssertEqual(s.exitCode(), "0")
        XCTAssertEqual(s.stderr, "")
    }

    func testASearchHitOpensUnderItsWholeSectionHeading() throws {
        let s = try Session(width: 80, height: 24)
        XCTAssertTrue(s.waitFor("Retailers (3)"), s.capture())
        s.literal("/\"third party account\"")
        XCTAssertTrue(s.waitFor("1 hit in 1 version"), s.capture())
        s.keys("Enter")
        XCTAssertTrue(s.waitFor("hit 1 of 1"), s.capture())
        let rows = s.capture().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertTrue(rows[1].contains("│ 8. links to and interaction with third party"), rows.joined(separator: "\n"))
        XCTAssertTrue(rows[2].contains("│ products "), rows.joined(separator: "\n"))
        XCTAssertTrue(rows[4].contains("The Site may enable you"), rows.joined(separator: "\n"))
        // Compare the two versions too: nothing of it, nor of the search, reaches stderr.
        s.keys("c")
        XCTAssertTrue(s.waitFor("jamesallen.com@2010-12-31"), s.capture())
        s.keys("q")
        XCTAssertEqual(s.exitCode(), "0")
        XCTAssertEqual(s.stderr, "")
    }
}
