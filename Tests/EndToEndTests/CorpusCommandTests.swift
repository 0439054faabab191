import XCTest

/// `redline list|sections|show` run as a built binary from an unrelated working directory.
final class CorpusCommandTests: XCTestCase {
    func testListFindsTheBundledDataFromAnyDirectory() throws {
        let json = try XCTUnwrap(try BinaryRunner.json(["list", "--json"]) as? [String: Any])
        let retailers = try XCTUnwrap(json["retailers"] as? [[String: Any]])
        XCTAssertEqual(retailers.compactMap { $0["name"] as? String }, ["Diamond Nexus", "James Allen", "WorldJewels"])
        XCTAssertEqual(retailers.compactMap { $0["id"] as? String }, ["diamondnexus.com", "jamesallen.com", "worldjewels.com"])
        let versions = try XCTUnwrap(retailers[1]["versions"] as? [[String: Any]])
        XCTAssertEqual(versions.compactMap { $0["id"] as? String }, ["jamesallen.com@2010-12-31", "jamesallen.com@2019-07-04"])
        XCTAssertEqual(versions.compactMap { $0["date"] as? String }, ["2010-12-31", "2019-07-04"])
        XCTAssertEqual(versions.compactMap { $0["format"] as? String }, ["markdown", "markdown"])
        for v in versions {
            XCTAssertGreaterThan(v["sections"] as? Int ?? 0, 5)
            XCTAssertGreaterThan(v["words"] as? Int ?? 0, 900)
        }
    }

    func testSectionsJSONShape() throws {
        let json = try XCTUnwrap(try BinaryRunner.json(["sections", "james@2019", "--json"]) as? [String: Any])
        XCTAssertEqual(json["id"] as? String, "jamesallen.com@2019-07-04")
        XCTAssertNotNil(json["title"] as? String)
        let sections = try XCTUnwrap(json["sections"] as? [[String: Any]])
        XCTAssertEqual(sections.first?["preamble"] as? Bool, true)
        let top = sections.filter { $0["preamble"] == nil }
        XCTAssertEqual(top.count, 12)
        let six = try XCTUnwrap(top.first { $0["path"] as? String == "6" })
        let children = try XCTUnwrap(six["children"] as? [[String: Any]])
        XCTAssertEqual(children.compactMap { $0["path"] as? String }, ["6.1", "6.2", "6.3"])
        XCTAssertEqual(children.first?["title"] as? String, "A. EU Data Subject Rights")
    }

    /// The plain tree prints every path whole, so each one can be given to `show --section`.
    func testSectionsPrintsLongPathsWhole() throws {
        let sample = BinaryRunner.repoRoot.appendingPathComponent("Tests/Fixtures/corpus-sample").path
        let json = try XCTUnwrap(try BinaryRunner.json(["sections", "fossil", "--data", sample, "--json"]) as? [String: Any])
        func paths(_ nodes: [[String: Any]]) -> [String] {
            nodes.flatMap { [$0["path"] as? String ?? ""] + paths($0["children"] as? [[String: Any]] ?? []) }
        }
        let expected = paths(try XCTUnwrap(json["sections"] as? [[String: Any]]))
        XCTAssertTrue(expected.contains { $0.count > 5 }, "the fixture should have a path longer than 5: \(expected)")
        let text = try BinaryRunner.run(["sections", "fossil", "--data", sample])
        XCTAssertEqual(text.status, 0, text.stderr)
        let printed = text.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: " ").first.map(String.init) ?? "" }
        XCTAssertEqual(printed, expected)
    }

    func testShowSectionAsTextAndJSON() throws {
        let text = try BinaryRunner.run(["show", "worldjewels", "--section", "5"])
        XCTAssertEqual(text.status, 0)
        XCTAssertTrue(text.stdout.contains("minors"))
        XCTAssertTrue(text.stdout.contains("18"))
        // As a heading writes it ("5."), the same section; nothing at all is a usage error.
        XCTAssertEqual(try BinaryRunner.run(["show", "worldjewels", "--section", "5."]).stdout, text.stdout)
        let empty = try BinaryRunner.run(["show", "worldjewels", "--section", ""])
        XCTAssertEqual(empty.status, 64)
        XCTAssertTrue(empty.stderr.contains("--section takes a section's number"), empty.stderr)
        // Given twice, both sections in turn (not the last alone).
        let two = try BinaryRunner.run(["show", "james@2019", "--section", "7", "--section", "9"])
        XCTAssertEqual(two.stdout.split(separator: "\n").filter { $0.hasPrefix("# ") }, ["# 7. use by children", "# 9. google analytics"])
        let twoJSON = try XCTUnwrap(try BinaryRunner.json(["show", "james@2019", "--section", "7", "--section", "9", "--json"]) as? [String: Any])
        XCTAssertEqual((twoJSON["sections"] as? [[String: Any]])?.compactMap { $0["path"] as? String }, ["7", "9"])
        let json = try XCTUnwrap(try BinaryRunner.json(["show", "diamondnexus@2015", "--json"]) as? [String: Any])
        XCTAssertEqual(json["caseFolded"] as? Bool, true)
        XCTAssertEqual(json["format"] as? String, "flat")
    }

    func testUnknownAndAmbiguousDocsListCandidates() throws {
        let unknown = try BinaryRunner.run(["sections", "zales"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("jamesallen.com@2019-07-04"), unknown.stderr)
        let ambiguous = try BinaryRunner.run(["show", "james@20"])
        XCTAssertNotEqual(ambiguous.status, 0)
        XCTAssertTrue(ambiguous.stderr.contains("ambiguous"), ambiguous.stderr)
        XCTAssertTrue(ambiguous.stderr.contains("jamesallen.com@2010-12-31"), ambiguous.stderr)
        // The command line was well formed: a failure (status 1), not a usage error (64) with usage text.
        for result in [unknown, ambiguous] {
            XCTAssertEqual(result.status, 1, result.stderr)
            XCTAssertFalse(result.stderr.contains("Usage:"), result.stderr)
        }
    }

    func testAnUnknownDocSuggestsTheNearestVersion() throws {
        let typo = try BinaryRunner.run(["show", "jamesalen.com"])
        XCTAssertEqual(typo.status, 1)
        XCTAssertEqual(typo.stderr, "Error: no policy matches \"jamesalen.com\"; did you mean jamesallen.com?\n")
        let date = try BinaryRunner.run(["diff", "james@2010", "jamesallen.com@2019-07-05"])
        XCTAssertEqual(date.status, 1)
        XCTAssertTrue(date.stderr.contains("did you mean jamesallen.com@2019-07-04?"), date.stderr)
        XCTAssertFalse(date.stderr.contains("diamondnexus"), date.stderr)
    }

    func testShowKeepsNumbersAndTableColumns() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redline-show-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = """
        > *The following text is extracted and transformed from the acme.com privacy policy that was archived on 2020-01-01. \
        Please check the [original snapshot on the Wayback Machine](https://web.archive.org/web/20200101000000id_/https%3A//acme.com/p) \
        for the most accurate reproduction.*

        # Privacy Policy

        ## What we collect

          1. Your name.
          2. Your address.

        | Category | Examples | Sold |
        |---|---|---|
        | Geolocation | | No |
        | | cookies | Yes |

        Write to us at: |   | Acme Inc.
        ---|---|---
          |   | 1 Main Street

        We keep data for 90 days.

        Write to us:\\
        Acme Inc.
        """
        try source.write(to: dir.appendingPathComponent("acme.com__2020-01-01.md"), atomically: true, encoding: .utf8)
        let result = try BinaryRunner.run(["show", "--data", dir.path, "acme", "--section", "1"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, """
        # 1 What we collect

        1. Your name.
        2. Your address.

        | Category | Examples | Sold |
        | Geolocation |  | No |
        |  | cookies | Yes |

        | Write to us at: | Acme Inc. |
        |  | 1 Main Street |

        We keep data for 90 days.

        Write to us:
        Acme Inc.



        """)
    }

    func testInvalidUTF8IsSaidOncePerFileAndTheFileLoads() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redline-utf8-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var data = try Data(contentsOf: BinaryRunner.repoRoot.appendingPathComponent("data/jamesallen.com__2010-12-31.md"))
        data.insert(contentsOf: [0xC3, 0x28, 0xFF], at: data.count / 2)
        data.append(contentsOf: [0x80])
        let file = dir.appendingPathComponent("jamesallen.com__2010-12-31.md")
        try data.write(to: file)
        let note = "redline: \(file.path): 3 bytes of invalid UTF-8 shown as U+FFFD (\u{FFFD}); the rest of the file is read as it is\n"
        for run in 1...2 {   // parsed, then from the document cache
            let result = try BinaryRunner.run(["list", "--data", dir.path])
            XCTAssertEqual(result.status, 0, "run \(run)")
            XCTAssertEqual(result.stderr, note, "run \(run)")
            XCTAssertTrue(result.stdout.contains("jamesallen.com@2010-12-31"), result.stdout)
        }
    }

    func testAMissingFolderOrAFileAsDataIsSaidPlainly() throws {
        let missing = try BinaryRunner.run(["list", "--data", "/nonexistent/policies"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("no such folder: /nonexistent/policies"), missing.stderr)
        let file = BinaryRunner.repoRoot.appendingPathComponent("data/jamesallen.com__2010-12-31.md").path
        let notAFolder = try BinaryRunner.run(["sections", "james", "--data", file])
        XCTAssertEqual(notAFolder.status, 1)
        XCTAssertTrue(notAFolder.stderr.contains("is a file"), notAFolder.stderr)
        let misused = try BinaryRunner.run(["list", "--git", "/tmp", "--data", "/tmp"])
        XCTAssertEqual(misused.status, 64, "two sources is a usage error")
        XCTAssertTrue(misused.stderr.contains("Usage:"), misused.stderr)
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("redline-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let env = try BinaryRunner.run(["list"], environment: ["REDLINE_DATA": "/nonexistent/policies"])
        XCTAssertEqual(env.status, 1)
        XCTAssertTrue(env.stderr.contains("no such folder: /nonexistent/policies"), "REDLINE_DATA is checked as --data is: \(env.stderr)")
        let nothing = try BinaryRunner.run(["show", "james", "--data", empty.path])
        XCTAssertEqual(nothing.status, 1)
        XCTAssertTrue(nothing.stderr.contains("no policy matches \"james\": the corpus has no versions"), nothing.stderr)
    }

    func testGitSinceTakesDatesFromTheirFirstDayAndRefusesWhatIsNoDate() throws {
        let repo = FileManager.default.temporaryDirectory.appendingPathComponent("redline-since-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: repo) }
        func git(_ args: String..., date: String? = nil) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["git", "-C", repo.path, "-c", "user.name=t", "-c", "user.email=t@example.com"] + args
            if let date { p.environment = ProcessInfo.processInfo.environment.merging(["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date]) { $1 } }
            try p.run()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, args.joined(separator: " "))
        }
        try git("init", "-q")
        // Just either side of midnight: git alone would give a day without its time the clock's.
        for (name, date) in [("jamesallen.com__2010-12-31.md", "2018-12-31T23:30:00Z"), ("jamesallen.com__2019-07-04.md", "2019-01-01T00:30:00Z")] {
            try FileManager.default.copyItem(at: BinaryRunner.repoRoot.appendingPathComponent("data/" + name), to: repo.appendingPathComponent(name))
            try git("add", name)
            try git("commit", "-q", "-m", name, date: date)
        }
        // "2019" is 1 January 2019 from midnight (git alone would read it as today's date in 2019).
        let year = try BinaryRunner.run(["--git", repo.path, "--since", "2019", "list"], environment: ["TZ": "UTC"])
        XCTAssertEqual(year.status, 0, year.stderr)
        XCTAssertTrue(year.stdout.contains("jamesallen.com@2019-07-04"), year.stdout)
        XCTAssertFalse(year.stdout.contains("jamesallen.com@2010-12-31"), year.stdout)
        let words = try BinaryRunner.run(["--git", repo.path, "--since", "20 years ago", "list"], environment: ["TZ": "UTC"])
        XCTAssertTrue(words.stdout.contains("jamesallen.com@2010-12-31"), words.stdout + words.stderr)
        // A --since that leaves no commit is named in the note.
        let later = try BinaryRunner.run(["--git", repo.path, "--since", "2090", "list"], environment: ["TZ": "UTC"])
        XCTAssertTrue(later.stderr.contains("no policy versions found in the history of \(repo.path) committed since 2090"), later.stderr)
        for bad in ["2019-13", "2019-02-30", "abc"] {
            let refused = try BinaryRunner.run(["--git", repo.path, "--since", bad, "list"], environment: ["TZ": "UTC"])
            XCTAssertEqual(refused.status, 64, bad)
            XCTAssertTrue(refused.stderr.contains("'\(bad)'"), refused.stderr)
        }
        // changes takes git's words too, as the day git reads them as; without --git, only dates.
        let feed = try BinaryRunner.run(["--git", repo.path, "--since", "20 years ago", "changes"], environment: ["TZ": "UTC"])
        XCTAssertEqual(feed.status, 0, feed.stderr)
        XCTAssertTrue(feed.stdout.contains("jamesallen.com"), feed.stdout)
        let none = try BinaryRunner.run(["--git", repo.path, "--since", "abc", "changes"], environment: ["TZ": "UTC"])
        XCTAssertEqual(none.status, 64, none.stderr)
        let folder = try BinaryRunner.run(["--data", BinaryRunner.repoRoot.appendingPathComponent("data").path, "changes", "--since", "2 weeks ago"])
        XCTAssertEqual(folder.status, 64, folder.stderr)
        XCTAssertTrue(folder.stderr.contains("with --git"), folder.stderr)
    }

    func testManyFilesSkippedForOneReasonAreCounted() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redline-notes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: BinaryRunner.repoRoot.appendingPathComponent("data/jamesallen.com__2010-12-31.md"),
                                         to: dir.appendingPathComponent("jamesallen.com__2010-12-31.md"))
        for n in 1...8 { try "# Notes \(n)\n\nNot a policy.\n".write(to: dir.appendingPathComponent("notes\(n).md"), atomically: true, encoding: .utf8) }
        let result = try BinaryRunner.run(["list", "--data", dir.path])
        XCTAssertEqual(result.status, 0)
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 4, result.stderr)
        XCTAssertTrue(lines[0].contains("notes1.md: neither"), result.stderr)
        XCTAssertTrue(lines[3].contains("… and 5 more files skipped: neither"), result.stderr)
        XCTAssertTrue(result.stdout.contains("jamesallen.com@2010-12-31"))
    }

    func testDataOptionAndEnvironmentPointElsewhere() throws {
        let sample = BinaryRunner.repoRoot.appendingPathComponent("Tests/Fixtures/corpus-sample").path
        let viaOption = try BinaryRunner.run(["list", "--data", sample])
        XCTAssertEqual(viaOption.status, 0)
        XCTAssertTrue(viaOption.stdout.contains("Kendra Scott"))
        XCTAssertFalse(viaOption.stdout.contains("James Allen"))
        let viaEnv = try BinaryRunner.run(["list"], environment: ["REDLINE_DATA": sample])
        XCTAssertEqual(viaEnv.stdout, viaOption.stdout)
    }

    func testBrokenFilesAreReportedAndTheRestLoads() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redline-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: BinaryRunner.repoRoot.appendingPathComponent("data/worldjewels.com__2016-11-24.txt"),
                                         to: dir.appendingPathComponent("wj.txt"))
        try Data([0, 1, 2, 3]).write(to: dir.appendingPathComponent("broken.md"))
        let result = try BinaryRunner.run(["list", "--data", dir.path])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.contains("WorldJewels"))
        XCTAssertTrue(result.stderr.contains("broken.md"), result.stderr)
        XCTAssertTrue(result.stderr.contains("binary"), result.stderr)
    }
}
