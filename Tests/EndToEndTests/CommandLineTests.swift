import XCTest

/// The command line as a new user types it: options in either place, `--version`, missing arguments.
final class CommandLineTests: XCTestCase {
    let sample = BinaryRunner.repoRoot.appendingPathComponent("Tests/Fixtures/corpus-sample").path

    func testCorpusOptionsMayComeBeforeTheSubcommand() throws {
        let after = try BinaryRunner.run(["list", "--data", sample, "--json"])
        XCTAssertEqual(after.status, 0, after.stderr)
        XCTAssertTrue(after.stdout.contains("Kendra Scott"), after.stdout)
        for before in [["--data", sample, "list", "--json"], ["--data=\(sample)", "list", "--json"]] {
            let result = try BinaryRunner.run(before)
            XCTAssertEqual(result.status, 0, "\(before): \(result.stderr)")
            XCTAssertEqual(result.stdout, after.stdout, "\(before)")
            XCTAssertEqual(result.stderr, "", "\(before)")
        }
        // A subcommand with a positional argument and options of its own.
        let search = try BinaryRunner.run(["--data", sample, "search", "--limit", "1", "--json", "cookies"])
        XCTAssertEqual(search.status, 0, search.stderr)
        let hits = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any])?["hits"] as? [Any])
        XCTAssertEqual(hits.count, 1)
        // Misused before the subcommand, the usage error is the subcommand's own.
        let misused = try BinaryRunner.run(["--git", "/tmp", "--data", sample, "list"])
        XCTAssertEqual(misused.status, 64)
        XCTAssertTrue(misused.stderr.contains("--git and --data are two sources"), misused.stderr)
        XCTAssertTrue(misused.stderr.contains("Usage: redline list"), misused.stderr)
    }

    func testVersion() throws {
        let result = try BinaryRunner.run(["--version"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertNotNil(result.stdout.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression), result.stdout)
        XCTAssertEqual(result.stderr, "")
    }

    func testSearchWithoutAQueryIsAUsageError() throws {
        for args in [["search"], ["search", "--limit", "3"], ["search", " "], ["search", "--history"]] {
            let result = try BinaryRunner.run(args)
            XCTAssertEqual(result.status, 64, "\(args): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("Usage: redline search"), result.stderr)
            XCTAssertFalse(result.stderr.contains("no clause matches"), result.stderr)
            XCTAssertEqual(result.stdout, "")
        }
    }

    func testAnUnknownCommandIsNamedAsOne() throws {
        for args in [["stats"], ["help", "stats"], ["--data", "data", "stats"]] {
            let result = try BinaryRunner.run(args)
            XCTAssertEqual(result.status, 64, "\(args): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("Error: unknown command 'stats'; the commands: browse, list,"), result.stderr)
            XCTAssertFalse(result.stderr.contains("train-topics"), "hidden commands stay hidden")
            XCTAssertEqual(result.stdout, "")
        }
        XCTAssertEqual(try BinaryRunner.run(["help", "search"]).status, 0)
        XCTAssertEqual(try BinaryRunner.run(["list"]).status, 0)
    }

    func testALimitBelowOneIsRefusedANarrowWidthWidened() throws {
        let limit = try BinaryRunner.run(["search", "cookie", "--limit", "0"])
        XCTAssertEqual(limit.status, 64, limit.stderr)
        XCTAssertTrue(limit.stderr.contains("Usage: redline search"), limit.stderr)
        XCTAssertEqual(limit.stdout, "")
        // A negative number is a number said wrong, not a value missing.
        let negative = try BinaryRunner.run(["search", "cookie", "--limit", "-1"])
        XCTAssertEqual(negative.status, 64, negative.stderr)
        XCTAssertTrue(negative.stderr.contains("1 or more, not -1"), negative.stderr)
        // A query word with a leading minus is read as an option: the error says how to search for it.
        let minus = try BinaryRunner.run(["search", "-cookies", "privacy"])
        XCTAssertEqual(minus.status, 64, minus.stderr)
        XCTAssertTrue(minus.stderr.contains("redline search -- -cookies privacy"), minus.stderr)
        let typo = try BinaryRunner.run(["search", "privacy", "--jsn"])
        XCTAssertFalse(typo.stderr.contains("quote the query"), "a mistyped option is not a query word: \(typo.stderr)")
        let dashes = try BinaryRunner.run(["search", "--", "-cookies", "privacy"])
        XCTAssertEqual(dashes.status, 0, dashes.stderr)
        // A side-by-side narrower than two columns can be is widened, and says so.
        let narrow = try BinaryRunner.run(["diff", "james@2010", "james@2019", "--side-by-side", "--width", "30"])
        XCTAssertEqual(narrow.status, 0, narrow.stderr)
        XCTAssertTrue(narrow.stderr.contains("--width 30 is too narrow for two columns: 40 are used"), narrow.stderr)
        XCTAssertEqual(narrow.stdout, try BinaryRunner.run(["diff", "james@2010", "james@2019", "--side-by-side", "--width", "40"]).stdout)
    }

    /// A command that succeeds says nothing on stderr, whichever verb, in whichever build (a
    /// position-dependent release link once made the loader warn during search, diff and topics).
    func testEverySuccessfulVerbKeepsStderrEmpty() throws {
        let commands: [[String]] = [
            ["list"], ["list", "--json"], ["sections", "james"], ["show", "james@2019"], ["show", "worldjewels", "--json"],
            ["search", "cookies"], ["search", "--json", "\"third party\" OR retailer:diamond"], ["search", "--history", "cookies"],
            ["diff", "james@2010", "james@2019"], ["diff", "james@2010", "james@2019", "--side-by-side", "--width", "100"],
            ["diff", "diamondnexus@2015", "diamondnexus@2016", "--json"], ["topics", "james"], ["topics", "diamond@2015", "--json"],
            ["facts", "james"], ["facts", "worldjewels", "--json"], ["--version"], ["--help"], ["search", "--help"],
            ["--data", sample, "search", "cookies"], ["--data", sample, "diff", "etsy@2007", "etsy"],
        ]
        for args in commands {
            let result = try BinaryRunner.run(args)
            XCTAssertEqual(result.status, 0, "\(args): \(result.stderr)")
            XCTAssertFalse(result.stdout.isEmpty, "\(args)")
            XCTAssertEqual(result.stderr, "", "\(args)")
        }
    }
}
