import XCTest
@testable import PolicyCore

/// Each Markdown construct of the Wayback extracts, on small hand-written inputs.
final class MarkdownConstructTests: XCTestCase {
    let header = """
    > *The following text is extracted and transformed from the example.com privacy policy that was archived on 2018-05-01. Please check the [original snapshot on the Wayback Machine](https://web.archive.org/web/20180501000000/https://www.example.com/privacy) for the most accurate reproduction.*

    """

    func parse(_ body: String) throws -> PolicyDocument {
        try MarkdownPolicyParser().parse(header + body, path: "test.md")
    }

    /// Plain paragraphs collapse their spaces on bytes; the result must be what splitting by
    /// Character gives, including spaces that are one Character with a neighbour.
    func testPlainParagraphSpacesCollapseLikeCharacterSplitting() {
        func characterwise(_ s: String) -> String { s.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ") }
        let fixed = ["  we  sell\n\nor rent  ", "café \u{301}au lait", "a \u{200D}b", "x \u{0E33}y", "\u{0600} 12", "👍 ok 🇫🇷 \n",
                     "", " ", "\n\n", "“ Privacy Policy ”", "e\u{301} \u{301}", "a\u{0903} b", "\u{110BD} x"]
        var rng = ParserFuzzTests.SplitMix(state: 11)
        let pieces = ["a", "é", " ", "  ", "\n", "\u{301}", "\u{200D}", "\u{0600}", "👍", "“", "\u{0903}", "漢", "\u{0E33}", "\u{110BD}"]
        var inputs = fixed
        for _ in 0..<5000 { inputs.append((0..<Int.random(in: 0...10, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()) }
        for input in inputs {
            XCTAssertEqual(InlineMarkdown.collapsingSpaces(input), characterwise(input), input.debugDescription)
        }
    }

    func testHeaderGivesDomainDateAndSnapshot() throws {
        let doc = try parse("# Privacy\n\nHello there.\n")
        XCTAssertEqual(doc.id, "example.com@2018-05-01")
        XCTAssertEqual(doc.snapshotURL, "https://web.archive.org/web/20180501000000/https://www.example.com/privacy")
        XCTAssertEqual(doc.title, "Privacy")
        XCTAssertFalse(doc.caseFolded)
    }

    func testHeadingDepthIsRelativeAndPreambleIsMarked() throws {
        let doc = try parse("# Policy\n\nIntro text.\n\n#### First\n\nOne.\n\n##### Inner\n\nTwo.\n\n#### Second\n\nThree.\n")
        XCTAssertEqual(doc.sections.map(\.title), ["Preamble", "First", "Second"])
        XCTAssertTrue(doc.sections[0].isPreamble)
        XCTAssertEqual(doc.sections[0].path, "0")
        XCTAssertEqual(doc.sections[1].level, 1)
        XCTAssertEqual(doc.sections[1].children.map(\.title), ["Inner"])
        XCTAssertEqual(doc.sections[1].children[0].path, "1.1")
        XCTAssertEqual(doc.sections[1].children[0].level, 2)
    }

    func testEmptyHeadingsStillStartSectionsNamedByTheirOpeningWords() throws {
        // As bluenile.com 2006, whose headings were images: every `## ` is empty.
        let doc = try parse("# \n\nIntro.\n\n## \n\nIn general, you can browse our Web Site without telling us who you are.\n\n"
                            + "More.\n\n##\n\n## \n\nShort one.\n\n### Named\n\nInner.\n\n## :\n\nIf you have questions about this privacy policy, please write.\n")
        XCTAssertEqual(doc.title, "Privacy Policy", "an empty title heading is no title")
        XCTAssertEqual(doc.sections.map(\.title), ["Preamble", "In general, you can browse our Web Site without…",
                                                   "Short one.", "If you have questions about this privacy policy…"])
        XCTAssertEqual(doc.sections[1].clauses.map(\.text).last, "More.")
        XCTAssertEqual(doc.sections[2].children.map(\.title), ["Named"], "an empty heading with no text marks nothing")
        XCTAssertEqual(doc.sections.map(\.path), ["0", "1", "2", "3"])
        XCTAssertEqual(doc.sections.map(\.titleIsExcerpt), [false, true, true, true])
        XCTAssertFalse(doc.sections[2].children[0].titleIsExcerpt)
        let bluenile = try XCTUnwrap(try CorpusLoader.load(directory: Fixtures.sampleDir).document(id: "bluenile.com@2006-03-17"))
        XCTAssertEqual(bluenile.sections.filter { !$0.isPreamble }.count, 8)
        XCTAssertEqual(bluenile.sections[2].title, "Blue Nile does not knowingly collect personal…")
    }

    func testShortBoldParagraphIsAHeadingButBoldProseIsNot() throws {
        let doc = try parse("# P\n\n**What information is collected?**\n\nWe collect **names** and emails.\n\n**This is a whole bold sentence that goes on and on, far longer than any heading would ever be, and it keeps going with more and more words until it is clearly prose rather than a title.**\n")
        XCTAssertEqual(doc.sections.map(\.title), ["What information is collected?"])
        let clauses = doc.sections[0].clauses
        XCTAssertEqual(clauses.count, 2)
        XCTAssertEqual(clauses[0].text, "We collect names and emails.")
        XCTAssertEqual(clauses[0].styles, [InlineStyle(kind: .bold, start: 11, end: 16)])
    }

    func testLetteredLeadLinesBecomeSubsections() throws {
        let doc = try parse("# P\n\n## 6. Your Rights\n\nIntro.\n\nA. First Right\n\nText a.\n\nB. Second Right\n\nText b.\n\n## 7. Next\n\nMore.\n")
        XCTAssertEqual(doc.sections.map(\.title), ["6. Your Rights", "7. Next"])
        XCTAssertEqual(doc.sections[0].children.map(\.title), ["A. First Right", "B. Second Right"])
        XCTAssertEqual(doc.sections[0].children[1].clauses.map(\.text), ["Text b."])
    }

    func testEscapesEmphasisLinksAndAutolinks() throws {
        let doc = try parse("# P\n\n## S\n\n1\\. Visit *our* [help page](https://example.com/help) or <https://example.com/x> \\*now\\*.\n")
        let clause = try XCTUnwrap(doc.allClauses.first)
        XCTAssertEqual(clause.text, "1. Visit our help page or https://example.com/x *now*.")
        XCTAssertTrue(clause.styles.contains(InlineStyle(kind: .italic, start: 9, end: 12)))
        XCTAssertTrue(clause.styles.contains(InlineStyle(kind: .link, start: 13, end: 22, url: "https://example.com/help")))
        XCTAssertTrue(clause.styles.contains { $0.kind == .link && $0.url == "https://example.com/x" })
    }

    func testNestedListsKeepTheirDepth() throws {
        let doc = try parse("# P\n\n## S\n\n  * Top one\n    * Inner one\n    * Inner two\n  * Top two\n")
        let items = doc.allClauses
        XCTAssertEqual(items.map(\.text), ["Top one", "Inner one", "Inner two", "Top two"])
        XCTAssertEqual(items.map(\.depth), [0, 1, 1, 0])
        XCTAssertTrue(items.allSatisfy { $0.kind == .listItem })
    }

    func testOrderedItemsKeepTheirNumbersAsWritten() throws {
        // fossil.com 2016: "1. to comply with a court order …"; a bullet has no number.
        let doc = try parse("# P\n\n## S\n\nWe may disclose it:\n\n  1. to comply with a court order;\n  2. to enforce our terms; and\n"
                            + "     3) to prevent harm.\n       * by any means\n\n1234. Not an item.\n")
        let clauses = doc.allClauses
        XCTAssertEqual(clauses.map(\.text), ["We may disclose it:", "to comply with a court order;", "to enforce our terms; and",
                                             "to prevent harm.", "by any means", "1234. Not an item."])
        XCTAssertEqual(clauses.map(\.marker), [nil, "1.", "2.", "3)", nil, nil])
        XCTAssertEqual(clauses.map(\.kind), [.paragraph, .listItem, .listItem, .listItem, .listItem, .paragraph])
        XCTAssertEqual(clauses.map(\.depth)[1...4], [0, 0, 1, 2])
    }

    func testHardLineBreaksAreMarkedSpaces() throws {
        // llbean.com 2015's contact block: lines ending in two spaces; a backslash does the same.
        let doc = try parse("# P\n\n## S\n\nWrite to **us**:  \nL.L.Bean, Dept. CFM\\\nFreeport, ME 04033\nPhone: 800\n\n"
                            + "A path C:\\ stays\\\n\nOne line  \n")
        let clauses = doc.allClauses
        XCTAssertEqual(clauses.map(\.text), ["Write to us: L.L.Bean, Dept. CFM Freeport, ME 04033 Phone: 800", "A path C:\\ stays\\", "One line"])
        XCTAssertEqual(clauses[0].styles, [InlineStyle(kind: .bold, start: 9, end: 11), InlineStyle(kind: .lineBreak, start: 12, end: 13),
                                           InlineStyle(kind: .lineBreak, start: 32, end: 33)])
        XCTAssertEqual(clauses[1].styles, [])
        XCTAssertEqual(clauses[2].styles, [])
        // The next line's indent goes with the break; an escaped backslash is no break.
        let more = try parse("# P\n\n## S\n\nAcme Inc.  \n  123 Main St\n\nTrailing backslash \\\\\nnot a break\n")
        XCTAssertEqual(more.allClauses.map(\.text), ["Acme Inc. 123 Main St", "Trailing backslash \\ not a break"])
        XCTAssertEqual(more.allClauses.map { $0.styles.filter { $0.kind == .lineBreak }.map(\.start) }, [[9], []])
        // Emphasis may span a break (shop4tech.com 2011's opt-out address).
        let italic = try parse("# P\n\n## S\n\nWrite to:\n\n_Shop4tech Inc. (Optout)  \n5595 Daniels Street  \nChino, CA 91710_\n")
        let address = try XCTUnwrap(italic.allClauses.last)
        XCTAssertEqual(address.text, "Shop4tech Inc. (Optout) 5595 Daniels Street Chino, CA 91710")
        XCTAssertEqual(address.styles, [InlineStyle(kind: .italic, start: 0, end: 59), InlineStyle(kind: .lineBreak, start: 23, end: 24),
                                        InlineStyle(kind: .lineBreak, start: 43, end: 44)])
    }

    func testARowsLeadingBarUnderAHeaderWithoutOneIsAnEmptyFirstCell() throws {
        // pandora.net 2019: the address sits in the third column, under the company's name.
        let doc = try parse("# P\n\n## S\n\n  Write to us at: |   | Pandora EComm, LLC  \n---|---|---  \n  |   | 8671 Robert Fulton Drive  \n"
                            + "  |   | Columbia, MD 21046  \n")
        let rows = doc.allClauses.filter { $0.kind == .tableRow }
        XCTAssertEqual(rows.map(\.text), ["8671 Robert Fulton Drive", "Columbia, MD 21046"])
        XCTAssertEqual(rows[0].cells.map(\.text), ["", "", "8671 Robert Fulton Drive"])
        XCTAssertEqual(rows[0].cells.map(\.header), ["Write to us at:", nil, "Pandora EComm, LLC"])
        // With outer bars, the leading bar is the row's edge, and an empty cell keeps its column.
        let data = try parse("# P\n\n## S\n\n| Category | Examples | Sold |\n|---|---|---|\n| Geolocation | | No |\n| | cookies | Yes |\n")
        XCTAssertEqual(data.allClauses.filter { $0.kind == .tableRow }.map { $0.cells.map(\.text) },
                       [["Geolocation", "", "No"], ["", "cookies", "Yes"]])
    }

    func testATableGoesOnAfterBlankLinesAndAnEmptyOneStopsAtOnce() throws {
        // bangor.ac.uk 2013: blank and empty-cell lines inside a cookie table.
        let doc = try parse("# P\n\n## S\n\nCookie | Purpose  \n---|---  \nPHPSESSID | Session.  \n  \n  |    \n"
                            + "fontSize | Font size.  \n\nEnd.\n")
        XCTAssertEqual(doc.allClauses.map(\.kind), [.tableHeader, .tableRow, .tableRow, .paragraph])
        XCTAssertEqual(doc.allClauses.map(\.text), ["Cookie | Purpose", "PHPSESSID | Session.", "fontSize | Font size.", "End."])
        // A line of other columns, or a new table's header, after a blank line is not a row.
        let two = try parse("# P\n\n## S\n\nA | B  \n---|---  \n1 | 2  \n\nx | y | z\n\nC | D  \n---|---  \n3 | 4  \n\n"
                            + "[Privacy](#p) | [Terms](#t)\n")
        XCTAssertEqual(two.allClauses.map(\.kind), [.tableHeader, .tableRow, .paragraph, .tableHeader, .tableRow, .paragraph])
        // rvtraderonline.com 2002: an empty layout table ends where it is, not at the next table's divider.
        let empty = try parse("# P\n\n|  |   \n---|---  \n  \n**Contact us**\n\nWrite to us.\n\n**Retention**\n\nWe keep:\n\n"
                              + "Record | Kept for  \n---|---  \nOrders | 7 years  \n")
        XCTAssertEqual(empty.sections.map(\.title), ["Contact us", "Retention"])
        XCTAssertEqual(empty.allClauses.map(\.text), ["Write to us.", "We keep:", "Record | Kept for", "Orders | 7 years"])
    }

    func testACellGoesOnAfterAHardBreak() throws {
        // spotify.com 2018: a recipient's reason in two lines, then more rows.
        let doc = try parse("# P\n\n## S\n\nRecipient | Reason  \n---|---  \n**Service Providers** | Hosting.   \nMailing.  \n"
                            + "**Partners** | Usage.  \n\nEnd.\n")
        XCTAssertEqual(doc.allClauses.map(\.text), ["Recipient | Reason", "Service Providers | Hosting. Mailing.", "Partners | Usage.", "End."])
        // Every row ends in two spaces (pandora.net 2019): a paragraph right under the table is a paragraph.
        let under = try parse("# P\n\n## S\n\nName | Value  \n---|---  \nEmail | a@b.com  \nIf you have questions, write to us.\n")
        XCTAssertEqual(under.allClauses.map(\.kind), [.tableHeader, .tableRow, .paragraph])
    }

    func testCellsThatHoldListsKeepTheirColumns() throws {
        // spotify.com 2018: purpose | legal bases | data, each list the cell it follows; no closing line.
        let doc = try parse("# P\n\n## Uses\n\nPurpose | Legal basis | Data used  \n---|---|---  \nTo provide the service. | \n\n"
                            + ">   * Contract\n>   * Legitimate Interest\n> \n\n\n| \n\n>   * Account Data\n> \n  \n  \n"
                            + "To process payments. | \n\n>   * Contract\n> \n\n| \n\n>   * Payment Data\n> \n\nWe keep these records.\n\n"
                            + "A | B | C  \n---|---|---  \nwith | all | cells |\n\n  * a list after a full row is no cell\n")
        XCTAssertEqual(doc.allClauses.map(\.kind), [.tableHeader, .tableRow, .tableRow, .paragraph, .tableHeader, .tableRow, .listItem])
        XCTAssertEqual(doc.allClauses[1].cells.map(\.text), ["To provide the service.", "Contract; Legitimate Interest", "Account Data"])
        XCTAssertEqual(doc.allClauses[2].cells.map(\.header), ["Purpose", "Legal basis", "Data used"])
        XCTAssertEqual(doc.allClauses[2].text, "To process payments. | Contract | Payment Data")
    }

    func testQuotedListsAreListsAndParagraphsKeepListsOpen() throws {
        // chase.com 2008 quotes its lists.
        let quoted = try parse("# P\n\n## S\n\nWe share with:\n\n>   * Chase Bank USA, N.A.\n>   * CSL Servicing LLC\n> \n\nEnd.\n")
        XCTAssertEqual(quoted.allClauses.map(\.kind), [.paragraph, .listItem, .listItem, .paragraph])
        XCTAssertEqual(quoted.allClauses.map(\.text), ["We share with:", "Chase Bank USA, N.A.", "CSL Servicing LLC", "End."])
        // shoedazzle.com 2013: sub-items after a paragraph inside the list stay sub-items.
        let nested = try parse("# P\n\n## S\n\n  1. Collection.\n\nWe collect it in several ways:\n\n    1. Registration.\n"
                               + "      1. Cookies are small files.\n    2. Log Files.\n  2. Use.\n    1. Internal Use.\n")
        XCTAssertEqual(nested.allClauses.map(\.depth), [0, 0, 1, 2, 1, 0, 1])
        // A bold heading between closes them.
        let closed = try parse("# P\n\n## S\n\n* First list.\n\n**Another Heading**\n\n  * A list of its own.\n")
        XCTAssertEqual(closed.allClauses.filter { $0.kind == .listItem }.map(\.depth), [0, 0])
    }

    func testAnItemGoesOnAfterAHardBreak() throws {
        // overstock.com 2015: "**Promotional E-mail**␠␠⏎If you do not wish …" is one item, in two lines.
        let doc = try parse("# P\n\n## S\n\n  * **Cookies.** We place identifiers.  \nMost browsers refuse them.\n  * **Analytics.** Google.\n"
                            + "  * Last one.\nNot indented, no break.\n")
        XCTAssertEqual(doc.allClauses.map(\.text), ["Cookies. We place identifiers. Most browsers refuse them.", "Analytics. Google.",
                                                    "Last one.", "Not indented, no break."])
        XCTAssertEqual(doc.allClauses[0].styles.filter { $0.kind == .lineBreak }.map(\.start), [30])
    }

    func testBoldHeadingsAsTheExtractorWritesThem() throws {
        // discover.com 2007 (bold in bold), nykaa.com 2015 (two runs meeting), nypl.org 2012 (bold
        // pieces), duckduckgo.com 2011 ("[top]" after it); a bold "and" (chase.com) heads nothing.
        let doc = try parse("# P\n\n****Q1: What do we collect?****\n\nA1: Various things.\n\n"
                            + "**5.        INFORMATION SHARING ****AND DISCLOSURE**\n\nOnly staff.\n\n"
                            + "**IV.   Updating Your Information** **and Preferences**\n\nWrite to us.\n\n"
                            + "**VIII.**   **Children's Privacy**\n\nNo children.\n\n"
                            + "**Information Shared**   [top]\n\nCourt orders.\n\n**Choice #1.** Sharing.\n\n**and**\n\n**Choice #2.** Affiliates.\n\n"
                            + " return to top\n\nBACK TO TOP ^\n")
        XCTAssertEqual(doc.sections.map(\.title), ["Q1: What do we collect?", "5. INFORMATION SHARING AND DISCLOSURE",
                                                   "IV. Updating Your Information and Preferences", "VIII. Children's Privacy",
                                                   "Information Shared"])
        XCTAssertEqual(doc.sections.last?.clauses.map(\.text), ["Court orders.", "Choice #1. Sharing.", "and", "Choice #2. Affiliates."])
        // redbox.com 2016: bold around a whole paragraph that holds bold runs of its own.
        let whole = try parse("# P\n\n## S\n\n****User Content may be published by us in any media.  **For full terms, please review our "
                              + "**_[Terms of Use](http://ex.com/terms)_**.**\n")
        XCTAssertEqual(whole.allClauses.map(\.text), ["User Content may be published by us in any media. For full terms, please review our Terms of Use."])
        // Four stars against a word merge bold runs only in a paragraph that opens in bold.
        XCTAssertEqual(MarkdownPolicyParser.mergedBold("Masked as **** **** 1234 and ****5678."), "Masked as **** **** 1234 and ****5678.")
        for masked in ["**Card:** ****1234 is what you see.", "**Stored cards:** ****-****-****-1234 and your PIN as ****."] {
            XCTAssertEqual(MarkdownPolicyParser.mergedBold(masked), masked)
        }
    }

    func testADateLineIsNoHeadingAndALongTitleIs() throws {
        // lexsynergy.com 2014 ("**Updated 18 June 2007**"); redbox.com 2016 (a 17-word title over its text).
        let doc = try parse("# P\n\n**Updated 18 June 2007**\n\nWe collect your name.\n\n**HOW WE SHARE INFORMATION**  \nWe may share the information we have collected about you.\n\n"
                            + "**When You Agree to Receive Information From Third Parties or Otherwise Request That We Share Your Information**  \n"
                            + "You may be offered marketing from one or more third parties.\n\n**We may share what we collect with our partners when you have agreed to it first**  \n"
                            + "Partners are named below, with what each of them receives.\n")
        XCTAssertEqual(doc.sections.map(\.title), ["Preamble", "HOW WE SHARE INFORMATION",
                                                   "When You Agree to Receive Information From Third Parties or Otherwise Request That We Share Your Information"])
        XCTAssertEqual(doc.sections[0].clauses.map(\.text), ["Updated 18 June 2007", "We collect your name."])
        XCTAssertEqual(doc.sections.last?.clauses.count, 2, "a long bold sentence in lower case stays emphasis")
    }

    func testNumberedParagraphsKeepTheirNumbersApart() throws {
        // reddit.com 2015: "3 We collect …", numbered across sections; a renumbering is no change.
        func policy(_ first: Int) throws -> PolicyDocument {
            try parse("# P\n\n\(first) _This policy takes effect on the first day of next year for everyone._\n\n## Information\n\n"
                      + "\(first + 1) We collect information you provide directly to us when you use our Services.\n\n"
                      + "\(first + 2) We collect the content and other information you provide when you post.\n\n"
                      + "2 Folsom Street is where we are, in San Francisco, California, in the United States.\n")
        }
        let a = try policy(1), b = try policy(2)
        XCTAssertEqual(a.allClauses.map(\.marker), ["1", "2", "3", nil])
        XCTAssertEqual(a.allClauses[1].text, "We collect information you provide directly to us when you use our Services.")
        XCTAssertEqual(Comparison(a, b).stats.addedWords + Comparison(a, b).stats.removedWords, 0)
        // Bold numbers too (nyc.gov 2014): "**2.** The apparent Fully Qualified Domain Name …".
        let bold = try parse("# P\n\n## Collected\n\n**1.** The apparent Internet Protocol address of your Internet Service Provider.\n\n"
                             + "**2.** The apparent Fully Qualified Domain Name of your Internet Service Provider\n\n"
                             + "**3.** The type of browser used to access the site, as reported by it.\n")
        XCTAssertEqual(bold.allClauses.map(\.marker), ["1.", "2.", "3."])
        XCTAssertEqual(bold.allClauses[1].text, "The apparent Fully Qualified Domain Name of your Internet Service Provider")
        XCTAssertEqual(bold.sections.map(\.title), ["Collected"])
        // Two numbered paragraphs, or numbers that do not follow on, are text.
        let short = try parse("# P\n\n1 We collect information you provide directly to us when you use it.\n\n"
                              + "2 We collect the content and other information you provide when you post.\n")
        XCTAssertEqual(short.allClauses.map(\.marker), [nil, nil])
    }

    func testANumberedRunOfParagraphsIsNotAHeading() throws {
        // nyc.gov 2014: the second item has no full stop, so alone it would read as a heading.
        let doc = try parse("# P\n\n## Information Submitted\n\nThe purposes:\n\n**1.** Helping the City respond.\n\n"
                            + "**2.** Investigating a problem reported to the City via NYC.gov 5\n\n**3.** Keeping lists.\n\n## Security\n\nText.\n")
        XCTAssertEqual(doc.sections.map(\.title), ["Information Submitted", "Security"])
        XCTAssertEqual(doc.sections[0].clauses.count, 4)
        // A numbered line that starts a run is still a heading.
        let headed = try parse("# P\n\n## S\n\nIntro.\n\n**2.** Use of Information\n\nWe use it.\n")
        XCTAssertEqual(headed.sections.last?.children.map(\.title), ["2. Use of Information"])
        // A heading between ends the run.
        let apart = try parse("# P\n\n## Collection\n\n**1.** We collect your name and address.\n\n## Sharing\n\n**2.** Sharing With Partners\n\nText.\n")
        XCTAssertEqual(apart.sections.last?.children.map(\.title), ["2. Sharing With Partners"])
    }

    func testAHeadingsTextOnTheNextLineIsItsTitle() throws {
        // mullvad.net 2018: `###␠␠⏎Bitcoin and Bitcoin Cash`; a blank line between keeps the rule
        // for empty headings (bluenile.com 2006: the section is named by its opening words).
        let doc = try parse("# P\n\n## Payments\n\n### Cash\n\nAn envelope.\n\n###   \nBitcoin and Bitcoin Cash\n\nDigital cash.\n\n"
                            + "### \n\nCards are taken too.\n\n###  \nWe do not sell your data to anyone.\n")
        let payments = try XCTUnwrap(doc.sections.first)
        // A sentence under the marks is the section's text, which names it.
        XCTAssertEqual(payments.children.map(\.title), ["Cash", "Bitcoin and Bitcoin Cash", "Cards are taken too.",
                                                        "We do not sell your data to anyone."])
        XCTAssertEqual(payments.children.map { $0.clauses.map(\.text) }, [["An envelope."], ["Digital cash."], ["Cards are taken too."],
                                                                          ["We do not sell your data to anyone."]])
        XCTAssertEqual(payments.children.map(\.titleIsExcerpt), [false, false, true, true])
    }

    func testBarsInAParagraphStillSeparate() throws {
        // wellsfargo.com 2016: a line of links between bars; a stray edge bar is dropped.
        let doc = try parse("# P\n\n## S\n\n[Types of information](#a) | [About cookies](#b) | [Sharing](#c)\n\n| Until we delete it.\n")
        XCTAssertEqual(doc.allClauses.map(\.text), ["Types of information | About cookies | Sharing", "Until we delete it."])
        XCTAssertEqual(doc.allClauses[0].styles.map(\.start), [0, 23, 39])
    }

    func testPipeTableRowsAreLabelledClauses() throws {
        let doc = try parse("# P\n\n## S\n\n| Cookie | Purpose |\n|---|---|\n| _ga | Google **Analytics** |\n| sid | Session |\n")
        let clauses = doc.allClauses
        XCTAssertEqual(clauses.map(\.kind), [.tableHeader, .tableRow, .tableRow])
        XCTAssertEqual(clauses[1].text, "_ga | Google Analytics")
        XCTAssertEqual(clauses[1].rowTitle, "_ga")
        XCTAssertEqual(clauses[1].cells, [TableCell(header: "Cookie", text: "_ga"), TableCell(header: "Purpose", text: "Google Analytics")])
        // A row keeps its cells' links and emphasis, at their places in its text.
        let scalars = Array(clauses[1].text.unicodeScalars)
        XCTAssertEqual(clauses[1].styles.map { String(String.UnicodeScalarView(scalars[$0.start..<$0.end])) }, ["Analytics"])
        let linked = try parse("# P\n\n## S\n\n| Tool | Opt out |\n|---|---|\n| GA | by [clicking *here*](https://x.example/out) or not |\n")
        let row = try XCTUnwrap(linked.allClauses.last)
        let rowScalars = Array(row.text.unicodeScalars)
        let link = try XCTUnwrap(row.styles.first { $0.kind == .link })
        XCTAssertEqual(String(String.UnicodeScalarView(rowScalars[link.start..<link.end])), "clicking here")
        XCTAssertEqual(link.url, "https://x.example/out")
        XCTAssertEqual(row.text, "GA | by clicking here or not")
    }

    func testLinesWithoutTextMakeNoClause() throws {
        // bluenile.com 2006 has a row of empty cells with no separator line; an image-only line is similar.
        let doc = try parse("# P\n\n## S\n\nFirst.\n\n| | | \n\n![](logo.png)\n\n  \n\nSecond.\n")
        XCTAssertEqual(doc.allClauses.map(\.text), ["First.", "Second."])
    }

    func testClausesRecordTheirSourceLine() throws {
        let doc = try parse("# P\n\n## S\n\nFirst.\n\nSecond.\n")
        XCTAssertEqual(doc.allClauses.map(\.line), [6, 8])
    }

    func testLastUpdatedDateIsFound() throws {
        let doc = try parse("# P\n\nLast Updated: February 28, 2019\n\n## S\n\nText.\n")
        XCTAssertEqual(doc.lastUpdated, "2019-02-28")
    }

    func testALaterUpdateStatedAfterTheEffectiveDateIsTheLastUpdate() throws {
        // pandora.net 2019 (sample corpus).
        let doc = try parse("# P\n\nEffective Date: March 19, 2015 (last updated June 1, 2018)\n\n## S\n\nText.\n")
        XCTAssertEqual(doc.lastUpdated, "2018-06-01")
        let facts = FactExtractor.facts(in: doc).filter { $0.kind == .lastUpdated }
        XCTAssertEqual(facts.map(\.value), ["2018-06-01"])
        // An effective date after the revision is no update; nor is an earlier date.
        XCTAssertEqual(DateText.lastUpdated(in: "Revised: January 5, 2020. Effective: February 1, 2020"), "2020-01-05")
        XCTAssertEqual(DateText.lastUpdated(in: "Effective March 19, 2015 (updated June 1, 2014)"), "2015-03-19")
        XCTAssertEqual(DateText.lastUpdated(in: "Effective date: March 19, 2015. Effective date of the last version: June 1, 2018"), "2015-03-19")
    }

    // MARK: headings written other ways (the Princeton-Leuven converter)

    func testBoldLineOpeningAParagraphIsAHeading() throws {
        // llbean.com 2015 (sample corpus): the bold line ends in a hard break, the text goes on.
        let doc = try parse("Intro text of the policy, long enough to be a paragraph of its own.\n\n"
            + "**Using Information We Collect**  \nAt L.L.Bean, we always want to provide you with the best possible shopping "
            + "experience and fulfill your orders exactly as you've requested. To do this, we collect information that allows us to:\n\n"
            + "  * Process and track your order\n  * Provide the services you request\n\n"
            + "**Information We Share with Others and Your Privacy Rights**  \nL.L.Bean may share information about you with "
            + "other companies we believe may be of interest to you.\n")
        XCTAssertEqual(doc.sections.map(\.title), ["Preamble", "Using Information We Collect",
                                                   "Information We Share with Others and Your Privacy Rights"])
        guard doc.sections.count == 3 else { return }
        XCTAssertEqual(doc.sections[1].clauses.first?.text.hasPrefix("At L.L.Bean, we always want"), true)
        XCTAssertEqual(doc.sections[1].clauses.first?.line, doc.sections[1].line + 1, "the text starts on the next line")
        XCTAssertEqual(doc.sections[1].clauses.filter { $0.kind == .listItem }.count, 2)
    }

    func testNumberedBoldLeadIsASectionAndBoldItalicLeadItsSubsection() throws {
        // The forms the issue quotes from the dataset: `**2\. What do we collect?**␠␠⏎…` and
        // `**_Aggregate information_**␠␠⏎…`.
        let doc = try parse("**1\\. Who we are**  \nWe are the shop that sells the things you buy from us on this site.\n\n"
            + "**2\\. What do we collect?**  \nWe collect the information you give us when you order and when you write to us.\n\n"
            + "**_Aggregate information_**  \nWe also keep counts of visits that do not identify you in any way at all.\n\n"
            + "**_Cookies_**  \nSmall files that your browser keeps for us so that your basket survives a visit.\n\n"
            + "**3\\. Your choices**  \nYou can opt out of our e-mail at any time by following the link in any message.\n")
        XCTAssertEqual(doc.sections.map(\.title), ["1. Who we are", "2. What do we collect?", "3. Your choices"])
        guard doc.sections.count == 3 else { return }
        XCTAssertEqual(doc.sections[1].children.map(\.title), ["Aggregate information", "Cookies"])
        XCTAssertEqual(doc.sections[1].children.map(\.path), ["2.1", "2.2"])
    }

    /// Bold headings in capitals over bold headings that are not (redbox.com 2014 and 2016): the
    /// second style nests under the first, with what hangs under it; a bold heading before the
    /// first in capitals stays where it is; one heading in capitals among others nests nothing.
    func testBoldHeadingsInCapitalsHoldTheOthers() throws {
        let p = "Some text of the section, long enough to be a paragraph of its own and not a heading.\n\n"
        let doc = try parse("**Privacy Policy**\n\n" + p + "**OVERVIEW**\n\n" + p + "**THE INFORMATION WE COLLECT**\n\n" + p
            + "**Information You Provide Us**\n\n" + p + "**_Cookies_**  \nA cookie is a small file that a site leaves on your device.\n\n"
            + "**Information We Collect Automatically**\n\n" + p
            + "**CHANGING YOUR INFORMATION and updating your PREFERENCES**\n\n" + p + "**SECURITY**\n\n" + p)
        XCTAssertEqual(doc.sections.map(\.title), ["Privacy Policy", "OVERVIEW", "THE INFORMATION WE COLLECT",
                                                   "CHANGING YOUR INFORMATION and updating your PREFERENCES", "SECURITY"])
        guard doc.sections.count == 5 else { return }
        XCTAssertEqual(doc.sections[2].children.map(\.title), ["Information You Provide Us", "Information We Collect Automatically"])
        XCTAssertEqual(doc.sections[2].children.first?.children.map(\.title), ["Cookies"])
        // One heading in capitals, the rest not: siblings, as written.
        let one = try parse("**IMPORTANT NOTICE**\n\n" + p + "**Information We Collect**\n\n" + p + "**Your Choices**\n\n" + p
            + "**Contact Us**\n\n" + p)
        XCTAssertEqual(one.sections.map(\.title), ["IMPORTANT NOTICE", "Information We Collect", "Your Choices", "Contact Us"])
        // Capitals that come after two headings of the other style are later sections' style.
        let late = try parse("**Information We Collect**\n\n" + p + "**How We Use Information**\n\n" + p
            + "**CALIFORNIA RESIDENTS**\n\n" + p + "**Your California Rights**\n\n" + p + "**EU RESIDENTS**\n\n" + p
            + "**Your Rights Under the GDPR**\n\n" + p + "**Contact Us**\n\n" + p)
        XCTAssertEqual(late.sections.count, 7)
        // Under `##` headings each scope is its own: here only the second has both styles twice.
        let scoped = try parse("## First\n\n**ALPHA**\n\n" + p + "**Beta One**\n\n" + p + "## Second\n\n**GAMMA**\n\n" + p
            + "**Delta One**\n\n" + p + "**Delta Two**\n\n" + p + "**EPSILON**\n\n" + p)
        XCTAssertEqual(scoped.sections.map { $0.children.map(\.title) }, [["ALPHA", "Beta One"], ["GAMMA", "EPSILON"]])
        XCTAssertEqual(scoped.sections.last?.children.first?.children.map(\.title), ["Delta One", "Delta Two"])
    }

    func testBoldEmphasisAndBoldAddressesStayText() throws {
        // zales.com 2006 and angara.com 2011 (sample corpus): an address set in bold lines, a
        // bold label over address lines; and a bold sentence that opens a paragraph is emphasis.
        let doc = try parse("## Contact\n\nPlease notify us at the mailing address below:\n\n"
            + "**Zales Jewelers**  \n**Customer Service**  \n**P.O. Box 152771**  \n**Irving, Texas 75038-1003**\n\n"
            + "**Headquarters**  \nAngara Inc.  \n550 South Hill St, Suite 1554  \nLos Angeles, CA 90013\n\n"
            + "**We never sell the information you give us to anybody.**  \nWe share it only with the carrier "
            + "that brings your parcel to your door and with nobody else.\n")
        XCTAssertEqual(doc.sections.map(\.title), ["Contact"])
        XCTAssertTrue(doc.sections.first?.children.isEmpty ?? false)
        XCTAssertTrue(doc.allClauses.contains { $0.text.hasPrefix("We never sell the information") })
    }

    func testHeadingInsideAListItemIsAHeading() throws {
        // `* #### Sharing Information with Third Parties`, as the issue quotes the dataset.
        // Its level counts like any other `####`: here a sibling of the heading before it.
        let doc = try parse("#### Our policy\n\nWe explain here what we do with what you tell us.\n\n"
            + "  * #### Sharing Information with Third Parties\n\nWe share your address with the carrier only.\n\n"
            + "  * #### Security\n\nWe protect your data.\n\n  * an ordinary item\n")
        XCTAssertEqual(doc.sections.map(\.title), ["Our policy", "Sharing Information with Third Parties", "Security"])
        guard doc.sections.count == 3 else { return }
        XCTAssertEqual(doc.sections[2].clauses.map(\.text), ["We protect your data.", "an ordinary item"])
    }
}
