import XCTest

/// `redline diff` as a user runs it.
final class DiffCommandTests: XCTestCase {
    func testJSONShape() throws {
        let json = try XCTUnwrap(try BinaryRunner.json(["diff", "diamondnexus@2015", "diamondnexus@2016", "--json"]) as? [String: Any])
        XCTAssertEqual(json["left"] as? String, "diamondnexus.com@2015-09-27")
        XCTAssertEqual(json["right"] as? String, "diamondnexus.com@2016-03-14")
        let sections = try XCTUnwrap(json["sections"] as? [[String: Any]])
        let removed = sections.filter { $0["status"] as? String == "removed" }
        XCTAssertEqual(removed.compactMap { $0["left"] as? String }, ["the information we collect", "how to contact us"])
        XCTAssertTrue(removed.allSatisfy { $0["right"] is NSNull }, "an absent side is null")
        for s in sections {
            XCTAssertNotNil(s["similarity"] as? Double)
            XCTAssertNotNil(s["added"] as? Int)
            XCTAssertNotNil(s["removed"] as? Int)
        }
        let stats = try XCTUnwrap(json["stats"] as? [String: Any])
        XCTAssertEqual(stats["sectionsRemoved"] as? Int, 2)
        // Two of the three changed sections had their title alone changed: said in the counts too.
        XCTAssertEqual(stats["sectionsChanged"] as? Int, 3)
        XCTAssertEqual(stats["sectionsRenamed"] as? Int, 2)
        let plain = try BinaryRunner.run(["diff", "diamondnexus@2015", "diamondnexus@2016"]).stdout
        XCTAssertTrue(plain.contains("sections: 3 changed (2 renamed), 0 moved"), plain)
        XCTAssertEqual(plain.components(separatedBy: "== renamed:").count - 1, 2, plain)
    }

    /// A section split off from one opposite says where it came from, plain and in JSON.
    func testASplitSectionNamesItsCounterpart() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redline-split-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ date: String, _ body: String) throws {
            let header = "> *The following text is extracted and transformed from the acme.example privacy policy that was archived on \(date). "
                + "Please check the [original snapshot on the Wayback Machine](https://web.archive.org/web/20100101000000id_/http%3A//acme.example/privacy) "
                + "for the most accurate reproduction.*\n\n# Privacy Policy\n\n"
            try (header + body).write(to: dir.appendingPathComponent("acme.example__\(date).md"), atomically: true, encoding: .utf8)
        }
        let cookies = "We use cookies to remember your shopping cart and to measure how visitors move through our site."
        let security = "We protect your data with encryption, firewalls and strict access controls at every data centre we run."
        try write("2010-01-01", "## Data we hold\n\n\(cookies) \(security)\n")
        try write("2012-01-01", "## Data we hold\n\n\(cookies)\n\n## Keeping data safe\n\n\(security)\n")
        let plain = try BinaryRunner.run(["diff", "--data", dir.path, "acme@2010", "acme@2012"])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertTrue(plain.stdout.contains("== added: — ↔ Keeping data safe  (+17 −0; split from: Data we hold)"), plain.stdout)
        let json = try XCTUnwrap(try BinaryRunner.json(["diff", "--data", dir.path, "acme@2010", "acme@2012", "--json"]) as? [String: Any])
        let sections = try XCTUnwrap(json["sections"] as? [[String: Any]])
        let split = try XCTUnwrap(sections.first { $0["right"] as? String == "Keeping data safe" })
        XCTAssertEqual(split["counterpart"] as? String, "Data we hold")
        XCTAssertEqual(split["counterpartPath"] as? String, "1")
        XCTAssertTrue(sections.filter { $0["status"] as? String == "changed" }.allSatisfy { $0["counterpart"] is NSNull })
    }

    func testPlainWordDiffMarkersOnAPipe() throws {
        let result = try BinaryRunner.run(["diff", "james@2010", "james@2019", "--section", "7"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("[-"), result.stdout)
        XCTAssertTrue(result.stdout.contains("{+"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Children's privacy ↔ 7. use by children"))
        XCTAssertFalse(result.stdout.contains("\u{1B}["))
    }

    /// Sections are aligned whole: a subsection's path picks the pair that holds it, and a path
    /// nothing holds is refused with the paths there are.
    func testASubsectionPathPicksThePairThatHoldsIt() throws {
        let sub = try BinaryRunner.run(["diff", "james@2010", "james@2019", "--section", "6.2"])
        XCTAssertEqual(sub.status, 0, sub.stderr)
        XCTAssertTrue(sub.stderr.contains("section 6.2 is compared as part of section 6"), sub.stderr)
        // Section 6 is the 2010 version's, which 2019 dropped.
        let six = try BinaryRunner.run(["diff", "james@2010", "james@2019", "--section", "6"]).stdout
        let sixPairs = six.split(separator: "\n").filter { $0.hasPrefix("== ") }
        XCTAssertEqual(sixPairs.count, 1, six)
        XCTAssertTrue(sixPairs.first?.hasPrefix("== removed: Terms of use, notices and revisions ↔ —") == true, six)
        // The header counts the pairs shown, and names the section.
        let lines = sub.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "jamesallen.com@2010-12-31 → jamesallen.com@2019-07-04, section 6.2")
        // 6.2 is the 2019 version's (the 2010 one has none): its pair alone, not also 2010's section 6.
        let shown = lines.filter { $0.hasPrefix("== ") }
        XCTAssertEqual(shown.count, 1, sub.stdout)
        XCTAssertTrue(shown.first?.contains("6. Your Rights and Choices") == true, sub.stdout)
        XCTAssertTrue(lines.dropFirst().first?.hasSuffix("sections: 1 changed, 0 moved, 0 added, 0 removed, 0 unchanged") == true, sub.stdout)
        // A path both versions have is DOC_A's.
        let sample = BinaryRunner.repoRoot.appendingPathComponent("Tests/Fixtures/corpus-sample").path
        let second = try BinaryRunner.run(["diff", "--data", sample, "etsy@2007", "etsy@2009", "--section", "2"])
        XCTAssertEqual(second.stdout.split(separator: "\n").filter { $0.hasPrefix("== ") }, ["== changed: truste ↔ TRUSTe  (+37 −17)"], second.stdout)
        let json = try XCTUnwrap(try BinaryRunner.json(["diff", "james@2010", "james@2019", "--section", "6", "--json"]) as? [String: Any])
        let stats = try XCTUnwrap(json["stats"] as? [String: Any])
        let pairs = try XCTUnwrap(json["sections"] as? [[String: Any]])
        XCTAssertEqual(stats["addedWords"] as? Int, pairs.compactMap { $0["added"] as? Int }.reduce(0, +))
        let none = try BinaryRunner.run(["diff", "james@2010", "james@2019", "--section", "99"])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("has a section 99"), none.stderr)
        // A wordless heading's path finds the pair it heads; a heading over the whole policy, every pair under it.
        let folded = try BinaryRunner.run(["diff", "--data", sample, "etsy@2007", "etsy@2009", "--section", "3"])
        let foldedPairs = folded.stdout.split(separator: "\n").filter { $0.hasPrefix("== ") }
        XCTAssertEqual(foldedPairs.count, 1, folded.stdout)
        XCTAssertTrue(foldedPairs.first?.hasPrefix("== changed: information collection and how it is used › general information ↔") == true, folded.stdout)
        let wrapper = try BinaryRunner.run(["diff", "--data", sample, "fossil", "llbean", "--section", "1"])
        XCTAssertEqual(wrapper.status, 0, wrapper.stderr)
        XCTAssertGreaterThan(wrapper.stdout.split(separator: "\n").filter { $0.hasPrefix("== ") }.count, 20, wrapper.stdout)
        XCTAssertEqual(none.stdout, "")
    }

    /// James Allen's children's section was rewritten, not edited: plain, side by side and JSON all
    /// show the old paragraph removed and the new one added, with the same counts.
    func testARewrittenParagraphIsRemovedThenAddedEverywhere() throws {
        let args = ["diff", "james@2010", "james@2019", "--section", "7"]
        let plain = try BinaryRunner.run(args)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let body = plain.stdout.split(separator: "\n").map(String.init)
        let header = try XCTUnwrap(body.first { $0.hasPrefix("== changed: Children's privacy") })
        XCTAssertTrue(header.hasSuffix("(+41 −33)"), header)
        XCTAssertTrue(body.contains("[-Our web sites(s) are not directed toward children and James Allen does not sell products "
            + "for purchase by children. We do not knowingly collect information from anyone under the age of eighteen.-]"
            + "{+We do not offer our products or services for use by children. If you are under 18, you may not use the Website, "
            + "or provide any information to the Website. We do not knowingly collect information from, and/or about, children.+}"),
                      plain.stdout)
        let wide = try BinaryRunner.run(args + ["--side-by-side", "--width", "100"])
        let rows = wide.stdout.split(separator: "\n").map(String.init).filter { $0.contains(" │ ") }
        XCTAssertEqual(rows.count, 6, wide.stdout)
        for row in rows {
            let halves = row.components(separatedBy: " │ ")
            let left = halves[0].trimmingCharacters(in: .whitespaces), right = halves[1]
            XCTAssertTrue(left.isEmpty || (left.hasPrefix("[-") && left.hasSuffix("-]")), row)
            XCTAssertTrue(right.hasPrefix("{+") && right.hasSuffix("+}"), row)
        }
        let json = try XCTUnwrap(try BinaryRunner.json(args + ["--json"]) as? [String: Any])
        let pair = try XCTUnwrap((json["sections"] as? [[String: Any]])?.first)
        XCTAssertEqual(pair["added"] as? Int, 41)
        XCTAssertEqual(pair["removed"] as? Int, 33)
    }

    /// REDLINE_TRACE marks each phase on stderr, in order, with rising times (for
    /// `scripts/bench-diff-vs-git --phases`); without it stderr stays empty.
    func testPhaseMarksOnlyWhenAskedFor() throws {
        let traced = try BinaryRunner.run(["diff", "james@2010", "james@2019"], environment: ["REDLINE_TRACE": "1"])
        XCTAssertEqual(traced.status, 0, traced.stderr)
        let marks = traced.stderr.split(separator: "\n").map { $0.split(separator: " ") }.filter { $0.first == "redline-trace" }
        XCTAssertEqual(marks.map { String($0[1]) }, ["main", "parsed", "catalog", "loaded", "compared", "printed"], traced.stderr)
        let times = marks.compactMap { UInt64($0[2]) }
        XCTAssertEqual(times, times.sorted())
        let quiet = try BinaryRunner.run(["diff", "james@2010", "james@2019"], environment: ["REDLINE_TRACE": ""])
        XCTAssertEqual(quiet.stderr, "")
        XCTAssertEqual(quiet.stdout, traced.stdout)
    }

    /// The bundled corpus goes through the catalog as any folder does: named with --data, in
    /// REDLINE_DATA or by default, the output is the same.
    func testTheBundledCorpusIsACorpusLikeAnyOther() throws {
        let data = BinaryRunner.repoRoot.appendingPathComponent("data").path
        let bundled = try BinaryRunner.run(["diff", "james@2010", "james@2019", "--json"], environment: ["REDLINE_TRACE": "1"])
        for arguments in [["--data", data], ["--data=" + data]] {
            let named = try BinaryRunner.run(["diff", "james@2010", "james@2019", "--json"] + arguments,
                                             environment: ["REDLINE_TRACE": "1"])
            XCTAssertEqual(named.status, 0, named.stderr)
            XCTAssertTrue(named.stderr.contains("redline-trace catalog"), named.stderr)
            XCTAssertEqual(named.stdout, bundled.stdout)
        }
        let fromEnvironment = try BinaryRunner.run(["diff", "james@2010", "james@2019", "--json"],
                                                   environment: ["REDLINE_TRACE": "1", "REDLINE_DATA": data])
        XCTAssertEqual(fromEnvironment.status, 0, fromEnvironment.stderr)
        XCTAssertEqual(fromEnvironment.stdout, bundled.stdout)
        // A command that never reads the corpus exits cleanly.
        let help = try BinaryRunner.run(["diff", "--help"])
        XCTAssertEqual(help.status, 0, help.stderr)
        XCTAssertTrue(help.stdout.contains("USAGE"), help.stdout)
    }

    func testSideBySideKeepsToTheWidth() throws {
        let result = try BinaryRunner.run(["diff", "diamondnexus@2015", "diamondnexus@2016", "--side-by-side", "--width", "90"])
        XCTAssertEqual(result.status, 0)
        let rows = result.stdout.split(separator: "\n").filter { $0.contains(" │ ") }
        XCTAssertGreaterThan(rows.count, 20)
        for row in rows { XCTAssertLessThanOrEqual(row.count, 90, String(row)) }
        // Every line, the header and section titles too; a URL wider than a column fills whole lines.
        let long = try BinaryRunner.run(["diff", "james@2010", "james@2019", "--side-by-side", "--width", "80"])
        XCTAssertEqual(long.status, 0, long.stderr)
        let lines = long.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines { XCTAssertLessThanOrEqual(line.count, 80, String(line)) }
        XCTAssertTrue(lines.contains { $0.hasSuffix("│ {+http://www.networkadvertising.org/+}") }, long.stdout)
        XCTAssertEqual(lines[1...2].joined(separator: " "), "+4622 −958 words (100% changed); sections: 5 changed, 1 moved, 7 added, 1 removed, 0 unchanged")
        XCTAssertFalse(lines.contains { $0.hasSuffix(" ") }, "no line ends in a space")
        // Piped, COLUMNS gives the width, as ls and man read it.
        let columns = try BinaryRunner.run(["diff", "james@2010", "james@2019", "--side-by-side"], environment: ["COLUMNS": "60"])
        XCTAssertEqual(columns.status, 0, columns.stderr)
        XCTAssertEqual(columns.stdout.split(separator: "\n").map(\.count).max(), 60)
    }

    /// Unchanged paragraphs after a grown one face each other, as in vimdiff.
    func testSideBySideKeepsSharedParagraphsFaceToFace() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redline-sbs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ date: String, _ first: String) throws {
            let header = "> *The following text is extracted and transformed from the ex.com privacy policy that was archived on \(date). "
                + "Please check the [original snapshot on the Wayback Machine](https://web.archive.org/web/2014/https://ex.com/p) for the most accurate reproduction.*"
            try (header + "\n\n# P\n\n## Cookies\n\n\(first)\n\nMost browsers accept cookies by default.\n\nWe do not respond to Do Not Track signals.\n")
                .write(to: dir.appendingPathComponent("ex.com__\(date).md"), atomically: true, encoding: .utf8)
        }
        try write("2014-12-29", "Third parties may use these technologies.")
        try write("2017-12-11", "Third parties (e.g. Facebook) may use these technologies, along with activity information they collect, "
                  + "to recognize you across the devices you use, such as a mobile device and a laptop or other computer.")
        let result = try BinaryRunner.run(["diff", "--data", dir.path, "ex.com@2014", "ex.com@2017", "--side-by-side", "--width", "80"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let rows = result.stdout.split(separator: "\n").filter { $0.contains(" │ ") }
        for start in ["Most browsers", "We do not respond"] {
            XCTAssertTrue(rows.contains { $0.hasPrefix(start) && $0.contains("│ " + start) }, "\(start):\n\(result.stdout)")
        }
    }

    /// An address set as lines keeps its lines side by side (a break is never a change).
    func testSideBySideBreaksLinesWhereThePageDid() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redline-sbs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ date: String, _ address: String) throws {
            let header = "> *The following text is extracted and transformed from the ex.com privacy policy that was archived on \(date). "
                + "Please check the [original snapshot on the Wayback Machine](https://web.archive.org/web/2014/https://ex.com/p) for the most accurate reproduction.*"
            try (header + "\n\n# P\n\n## Contact\n\nWrite to us at:\n\n\(address)\n")
                .write(to: dir.appendingPathComponent("ex.com__\(date).md"), atomically: true, encoding: .utf8)
        }
        try write("2014-12-29", "Example Inc. 1 Main Street Springfield, IL 62701")
        try write("2017-12-11", "Example Inc.  \n1 Main Street  \nSpringfield, IL 62701")
        let result = try BinaryRunner.run(["diff", "--data", dir.path, "ex.com@2014", "ex.com@2017", "--side-by-side", "--width", "80"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let rows = result.stdout.split(separator: "\n").map { String($0) }
        XCTAssertTrue(rows.contains { $0.hasSuffix("│ Example Inc.") }, result.stdout)
        XCTAssertTrue(rows.contains { $0.hasSuffix("│ 1 Main Street") }, result.stdout)
        XCTAssertTrue(rows.contains { $0.hasPrefix("Example Inc. 1 Main Street ") }, result.stdout)
    }

    /// --width goes with --side-by-side: given without it, it is said to be ignored.
    func testWidthWithoutSideBySideIsSaid() throws {
        let result = try BinaryRunner.run(["diff", "james@2010", "james@2019", "--width", "20"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stderr, "redline: --width 20 applies to --side-by-side: ignored\n")
    }

    /// Wide characters take two columns of --width: a CJK policy's rows keep to it too.
    func testSideBySideCountsWideCharactersAsTwoColumns() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redline-cjk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func policy(_ date: String, _ body: String) -> String {
            "> *The following text is extracted and transformed from the example.cn privacy policy that was archived on \(date). Please check the [original snapshot on the Wayback Machine](https://web.archive.org/web/\(date.replacingOccurrences(of: "-", with: ""))000000id_/http%3A//www.example.cn/privacy) for the most accurate reproduction.*\n\n# 隐私政策\n\n## 我们收集的信息\n\n\(body)\n"
        }
        try policy("2015-01-01", "我们收集您的姓名和电子邮件地址以便处理您的订单。我们不会出售您的个人信息给任何第三方公司或者个人。")
            .write(to: dir.appendingPathComponent("example.cn__2015-01-01.md"), atomically: true, encoding: .utf8)
        try policy("2019-01-01", "我们收集您的姓名、电话号码和电子邮件地址以便处理您的订单。我们可能与广告合作伙伴分享您的个人信息。")
            .write(to: dir.appendingPathComponent("example.cn__2019-01-01.md"), atomically: true, encoding: .utf8)
        let result = try BinaryRunner.run(["diff", "example.cn@2015", "example.cn@2019", "--side-by-side", "--width", "60", "--data", dir.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        func columns(_ line: Substring) -> Int {
            line.unicodeScalars.reduce(0) { $0 + ((0x2E80...0x9FFF).contains($1.value) || (0xFF00...0xFF60).contains($1.value) ? 2 : 1) }
        }
        let lines = result.stdout.split(separator: "\n")
        XCTAssertTrue(lines.contains { $0.contains("我们") }, result.stdout)
        for line in lines { XCTAssertLessThanOrEqual(columns(line), 60, String(line)) }
    }
}
