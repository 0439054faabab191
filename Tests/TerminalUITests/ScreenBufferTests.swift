import XCTest
@testable import TerminalUI

/// The screen buffer: widths, clipping, and nothing unprintable ever stored.
final class ScreenBufferTests: XCTestCase {
    func testWideCharactersTakeTwoCellsAndNeverStraddleTheClip() {
        var buf = ScreenBuffer(width: 10, height: 1)
        let end = buf.put("漢字ab", x: 0, y: 0)
        XCTAssertEqual(end, 6)
        XCTAssertEqual(buf[0, 0].grapheme, "漢")
        XCTAssertEqual(buf[1, 0].grapheme, "")
        XCTAssertEqual(buf.lines, ["漢字ab"])
        var clip = ScreenBuffer(width: 10, height: 1)
        XCTAssertEqual(clip.put("a漢字", x: 0, y: 0, maxX: 4), 3, "the second wide char would straddle column 4")
        XCTAssertEqual(clip.lines, ["a漢"])
    }

    func testControlCharactersAndEscapesNeverReachTheBuffer() {
        var buf = ScreenBuffer(width: 30, height: 1)
        buf.put("red\u{1B}[31mtext\u{07}\u{9B}x\ttab", x: 0, y: 0)
        for x in 0..<30 {
            for s in buf[x, 0].grapheme.unicodeScalars {
                XCTAssertFalse(s.value < 0x20 || (s.value >= 0x7F && s.value < 0xA0), "cell \(x) holds U+\(String(s.value, radix: 16))")
            }
        }
        XCTAssertTrue(buf.lines[0].hasPrefix("red\u{FFFD}[31mtext\u{FFFD}\u{FFFD}x tab"))
    }

    func testCombiningMarksJoinTheirBase() {
        var buf = ScreenBuffer(width: 5, height: 1)
        XCTAssertEqual(buf.put("e\u{301}x", x: 0, y: 0), 2)
        XCTAssertEqual(buf[0, 0].grapheme, "e\u{301}")
        XCTAssertEqual(TextWidth.columns("👍🏽ok"), 4)
    }

    /// Emoji shown as emoji by default take two columns, as the terminal draws them (transloadit.com
    /// 2019's ✅ cells); text-style symbols keep one.
    func testEmojiPresentationIsWide() {
        XCTAssertEqual(["✅", "⭐", "☕", "🚀", "❌"].map { TextWidth.columns($0) }, [2, 2, 2, 2, 2])
        XCTAssertEqual(["✓", "★", "©", "→", "│"].map { TextWidth.columns($0) }, [1, 1, 1, 1, 1])
    }

    func testTruncateAndChangedRows() {
        XCTAssertEqual(TextWidth.truncate("Diamond Nexus", to: 8), "Diamond…")
        XCTAssertEqual(TextWidth.truncate("漢字漢字", to: 5), "漢字…")
        var a = ScreenBuffer(width: 4, height: 3)
        var b = a
        b.put("x", x: 1, y: 2)
        XCTAssertEqual(b.changedRows(since: a), [2])
        a.put("y", x: 0, y: 0)
        XCTAssertEqual(b.changedRows(since: ScreenBuffer(width: 5, height: 3)), [0, 1, 2])
    }

    /// A cell holds one spacing character and its marks: joined emoji and flags are not split
    /// into parts a terminal could join into something else.
    func testCellTextKeepsOneSpacingCharacter() {
        XCTAssertEqual(TextWidth.cellText("é"), "é")
        XCTAssertEqual(TextWidth.cellText("e\u{301}"), "e\u{301}", "a combining mark stays")
        XCTAssertEqual(TextWidth.cellText("1\u{FE0F}\u{20E3}"), "1\u{FE0F}\u{20E3}", "a keycap stays")
        XCTAssertEqual(TextWidth.cellText("👨\u{200D}👩\u{200D}👧\u{200D}👦"), "👨")
        XCTAssertEqual(TextWidth.cellText("🇫🇷"), "⚑ ", "a flag takes two columns")
        XCTAssertEqual(TextWidth.cellText("👍🏽"), "👍", "a skin tone")
        XCTAssertEqual(TextWidth.cellText("❤\u{FE0F}\u{200D}🔥"), "❤ ", "padded to the cluster's columns")
        // Clusters of other scripts are written whole: a consonant with its vowel sign, decomposed Hangul.
        for cluster in ["\u{0915}\u{093F}", "\u{0E01}\u{0E33}", "\u{1112}\u{1161}\u{11AB}", "\u{0915}\u{094D}\u{0937}"] {
            XCTAssertEqual(TextWidth.cellText(cluster), cluster, cluster)
        }
        for cluster in ["👨\u{200D}👩\u{200D}👧\u{200D}👦", "🇫🇷", "👍🏽", "❤\u{FE0F}\u{200D}🔥"] {
            XCTAssertEqual(TextWidth.columns(TextWidth.cellText(cluster)), TextWidth.columns(Character(cluster)), cluster)
        }
    }

    func testASCIIFold() {
        XCTAssertEqual(TextWidth.ascii("“Privacy” – café › 漢 ░"), "\"Privacy\" - cafe > ?? #")
    }

    func testBoxWithTitle() {
        var buf = ScreenBuffer(width: 12, height: 3)
        buf.box(x: 0, y: 0, width: 12, height: 3, title: "Retailers")
        XCTAssertEqual(buf.lines, ["┌ Retaile… ┐", "│          │", "└──────────┘"])
        var ascii = ScreenBuffer(width: 6, height: 2)
        ascii.box(x: 0, y: 0, width: 6, height: 2, ascii: true)
        XCTAssertEqual(ascii.lines, ["+----+", "+----+"])
    }
}
