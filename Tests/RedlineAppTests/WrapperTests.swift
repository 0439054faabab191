import XCTest
@testable import RedlineApp
import TerminalUI

/// Word wrapping of the reader's text: words are never broken where a line of their own holds them.
final class WrapperTests: XCTestCase {
    func lines(_ text: String, width: Int, prefix: String? = nil, indent: Int = 0, breaks: Set<Int> = []) -> [String] {
        Wrapper.wrap(text, width: width, firstPrefix: prefix.map { Run($0) }, indent: indent, breaks: breaks, styleAt: { _ in .normal })
            .map { $0.map(\.text).joined() }
    }

    func testAFirstWordThatDoesNotFitAfterALongLabelStartsTheNextLine() {
        // A table cell's label ("Why …?: ") leaves 2 columns; "Process" goes below it, whole.
        let label = "  Why is the data collected?: "
        XCTAssertEqual(lines("Process the request", width: 32, prefix: label, indent: 4),
                       [label, "    Process the request"])
        // With room after the label, the word stays on its line.
        XCTAssertEqual(lines("Process the request", width: 40, prefix: label, indent: 4),
                       [label + "Process", "    the request"])
    }

    func testAWordLongerThanALineIsStillBroken() {
        XCTAssertEqual(lines("abcdefghij", width: 6, prefix: "  X: ", indent: 2), ["  X: a", "  bcde", "  fghi", "  j"])
    }

    func testAHardBreakEndsTheLineAndWrappingGoesOn() {
        // "Acme Inc.⏎1 Main Street⏎Springfield": breaks at the spaces at 9 and 23.
        let text = "Acme Inc. 1 Main Street Springfield"
        XCTAssertEqual(lines(text, width: 40, breaks: [9, 23]), ["Acme Inc.", "1 Main Street", "Springfield"])
        XCTAssertEqual(lines(text, width: 12, breaks: [9, 23]), ["Acme Inc.", "1 Main", "Street", "Springfield"])
        XCTAssertEqual(lines(text, width: 40, prefix: "• ", indent: 2, breaks: [9]), ["• Acme Inc.", "  1 Main Street Springfield"])
        XCTAssertEqual(lines(text, width: 40), [text])
    }

    func testABulletKeepsItsFirstWordBesideIt() {
        XCTAssertEqual(lines("collect cookies", width: 10, prefix: "• ", indent: 2), ["• collect", "  cookies"])
    }

    func testAClosingMarkNeverStartsALineNorAnOpeningOneEndsIt() {
        // Each CJK character takes two columns: "我们收集信息" fills a line of 12, so the full stop
        // would start the next one; the character before it goes down with it.
        XCTAssertEqual(lines("我们收集信息。我们保护它", width: 12), ["我们收集信", "息。我们保护", "它"])
        // An opening bracket at a line's end goes down with what it opens.
        XCTAssertEqual(lines("我们收集「信息」", width: 10), ["我们收集", "「信息」"])
        XCTAssertEqual(lines("我们。", width: 4), ["我", "们。"])
        // A line keeps at least one character of its own: with an indent of 2, "我" alone fills a
        // line of 4, so the full stop starts the next one.
        XCTAssertEqual(lines("我。", width: 4, prefix: "  ", indent: 2), ["  我", "  。"])
        // A run of closing marks goes down whole with the character before it.
        XCTAssertEqual(lines("他说「我们收集信息。」我们保护它", width: 20), ["他说「我们收集信", "息。」我们保护它"])
        // A character and the mark that combines with it go down together.
        XCTAssertEqual(lines("我们收集か\u{3099}。", width: 10), ["我们收集", "か\u{3099}。"])
        // Text with spaces wraps at them as before.
        XCTAssertEqual(lines("we keep it.", width: 8), ["we keep", "it."])
    }
}
