import XCTest

/// The catalog as processes meet it: several at once, and one killed half-way.
final class CatalogCommandTests: XCTestCase {
    var corpus: URL!
    var caches: [URL] = []

    override func setUpWithError() throws {
        corpus = FileManager.default.temporaryDirectory.appendingPathComponent("redline-catalog-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: corpus)
        for cache in caches { try? FileManager.default.removeItem(at: cache) }
    }

    func newCache() -> String {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("redline-catalog-cache-\(UUID().uuidString)")
        caches.append(cache)
        return cache.path
    }

    /// A generated corpus of `n` policies (scripts/make-corpus), large enough for a build to take a while.
    func generate(_ n: Int) throws {
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        make.arguments = ["python3", BinaryRunner.repoRoot.appendingPathComponent("scripts/make-corpus").path, "\(n)", corpus.path]
        make.standardOutput = FileHandle.nullDevice
        try make.run()
        make.waitUntilExit()
        XCTAssertEqual(make.terminationStatus, 0)
    }

    func start(_ args: [String], cache: String) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = BinaryRunner.executable
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["XDG_CACHE_HOME"] = cache
        env.removeValue(forKey: "REDLINE_DATA")
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out)
    }

    /// Without a cache, the catalog is a temporary file: nothing of it is left after the command.
    func testATemporaryCatalogLeavesNoFile() throws {
        let scratch = newCache()
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        for args in [["list"], ["search", "cookie"], ["changes"], ["trend", "--category", "security"]] {
            let result = try BinaryRunner.run(args + ["--data", BinaryRunner.repoRoot.appendingPathComponent("data").path],
                                              environment: ["REDLINE_NO_CACHE": "1", "TMPDIR": scratch])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch), [], "\(args)")
        }
    }

    /// A cache folder that cannot be written is said, and the command still answers (from a
    /// temporary catalog); with REDLINE_NO_CACHE nothing is said.
    func testACacheThatCannotBeWrittenIsSaidAndTheCommandAnswers() throws {
        let data = BinaryRunner.repoRoot.appendingPathComponent("data").path
        let reference = try BinaryRunner.run(["list", "--data", data], environment: ["XDG_CACHE_HOME": newCache()])
        // Under a file, no folder can be made, whoever runs the test.
        let broken = try BinaryRunner.run(["list", "--data", data], environment: ["XDG_CACHE_HOME": "/dev/null/cache"])
        XCTAssertEqual(broken.status, 0, broken.stderr)
        XCTAssertEqual(broken.stdout, reference.stdout)
        XCTAssertTrue(broken.stderr.hasPrefix("redline: cannot keep a catalog in /dev/null/cache/redline (not a directory)"), broken.stderr)
        XCTAssertEqual(broken.stderr.split(separator: "\n").count, 1, broken.stderr)
        let quiet = try BinaryRunner.run(["list", "--data", data], environment: ["XDG_CACHE_HOME": "/dev/null/cache", "REDLINE_NO_CACHE": "1"])
        XCTAssertEqual(quiet.stderr, "")
    }

    /// Nor after a signal ends the command half-way (Ctrl-C, `kill`, a closed pipe): the process
    /// still dies of the signal.
    func testATemporaryCatalogGoesWhenASignalEndsTheCommand() throws {
        try generate(200)
        for sig in [SIGINT, SIGTERM, SIGPIPE] {
            let scratch = newCache()
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            let process = Process()
            process.executableURL = BinaryRunner.executable
            process.arguments = ["changes", "--data", corpus.path]
            var env = ProcessInfo.processInfo.environment
            env["REDLINE_NO_CACHE"] = "1"
            env["TMPDIR"] = scratch
            env["REDLINE_WATCH"] = "off"
            process.environment = env
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Once the catalog's file is there, the signal.
            let deadline = Date().addingTimeInterval(60)
            while (try FileManager.default.contentsOfDirectory(atPath: scratch)).isEmpty, process.isRunning, Date() < deadline {
                usleep(2_000)
            }
            XCTAssertTrue(process.isRunning, "the command ended before its signal: make the corpus larger")
            kill(process.processIdentifier, sig)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .uncaughtSignal)
            XCTAssertEqual(process.terminationStatus, sig)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch), [], "signal \(sig)")
        }
    }

    func testTwoProcessesOnAColdCorpusBothAnswerCorrectly() throws {
        try generate(120)
        let args = ["search", "--data", corpus.path, "children under", "--json", "--limit", "50"]
        let reference = try BinaryRunner.run(args, environment: ["XDG_CACHE_HOME": newCache()])
        XCTAssertEqual(reference.status, 0)
        XCTAssertTrue(reference.stdout.contains("\"doc\""))
        let cache = newCache()
        let both = try [start(args, cache: cache), start(args, cache: cache)]
        for (process, out) in both {
            let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0)
            XCTAssertEqual(output, reference.stdout)
        }
        let list = ["list", "--data", corpus.path, "--json"]
        XCTAssertEqual(try BinaryRunner.run(list, environment: ["XDG_CACHE_HOME": cache]).stdout,
                       try BinaryRunner.run(list, environment: ["XDG_CACHE_HOME": newCache()]).stdout)
    }

    func testAProcessKilledDuringABuildLeavesACatalogTheNextOneUses() throws {
        try generate(300)
        let search = ["search", "--data", corpus.path, "children under", "--json", "--limit", "50"]
        let list = ["list", "--data", corpus.path, "--json"]
        let fresh = newCache()
        let referenceSearch = try BinaryRunner.run(search, environment: ["XDG_CACHE_HOME": fresh])
        let referenceList = try BinaryRunner.run(list, environment: ["XDG_CACHE_HOME": fresh])
        XCTAssertEqual(referenceSearch.status, 0)
        // Killed while parsing, while indexing, and near the end: whatever it left, the next
        // process answers as a fresh one does.
        for delay in [0.15, 0.5, 1.0, 2.0] {
            let cache = newCache()
            let (process, _) = try start(search, cache: cache)
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let after = try BinaryRunner.run(search, environment: ["XDG_CACHE_HOME": cache])
            XCTAssertEqual(after.status, 0, "killed after \(delay) s: \(after.stderr)")
            XCTAssertEqual(after.stdout, referenceSearch.stdout, "killed after \(delay) s")
            XCTAssertEqual(after.stderr, referenceSearch.stderr, "killed after \(delay) s")
            XCTAssertEqual(try BinaryRunner.run(list, environment: ["XDG_CACHE_HOME": cache]).stdout, referenceList.stdout)
        }
    }

    func testAChangedFileIsSeenByTheNextCommand() throws {
        for name in ["jamesallen.com__2010-12-31.md", "worldjewels.com__2016-11-24.txt"] {
            try FileManager.default.copyItem(at: BinaryRunner.repoRoot.appendingPathComponent("data/" + name),
                                             to: corpus.appendingPathComponent(name))
        }
        let cache = newCache()
        let env = ["XDG_CACHE_HOME": cache]
        let before = try BinaryRunner.run(["search", "--data", corpus.path, "eighteen"], environment: env)
        XCTAssertTrue(before.stdout.contains("James Allen"), before.stdout)
        // Edited in place, same size: the next command sees it.
        let file = corpus.appendingPathComponent("jamesallen.com__2010-12-31.md")
        let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "eighteen", with: "nineteen")
        try Data(text.utf8).write(to: file)
        let after = try BinaryRunner.run(["search", "--data", corpus.path, "nineteen"], environment: env)
        XCTAssertTrue(after.stdout.contains("James Allen"), after.stdout)
        XCTAssertTrue(try BinaryRunner.run(["search", "--data", corpus.path, "eighteen"], environment: env).stdout.isEmpty)
        // Removed: gone from list at once.
        try FileManager.default.removeItem(at: corpus.appendingPathComponent("worldjewels.com__2016-11-24.txt"))
        let listed = try BinaryRunner.run(["list", "--data", corpus.path], environment: env)
        XCTAssertFalse(listed.stdout.contains("worldjewels"), listed.stdout)
    }

    /// With a watcher (`REDLINE_WATCH=always`, as every folder of 1 000 files gets), a warm command
    /// stats no file; every kind of change is still seen by the next command, which then checks all.
    func testAWatchedFolderSeesEveryChangeOnTheNextCommand() throws {
        for name in ["jamesallen.com__2010-12-31.md", "jamesallen.com__2019-07-04.md", "worldjewels.com__2016-11-24.txt"] {
            try FileManager.default.copyItem(at: BinaryRunner.repoRoot.appendingPathComponent("data/" + name),
                                             to: corpus.appendingPathComponent(name))
        }
        let env = ["XDG_CACHE_HOME": newCache(), "REDLINE_WATCH": "always", "REDLINE_TRACE": "1"]
        func list() throws -> (out: String, watched: Bool) {
            let result = try BinaryRunner.run(["list", "--data", corpus.path], environment: env)
            XCTAssertEqual(result.status, 0, result.stderr)
            return (result.stdout, result.stderr.contains("redline-trace catalog-watched "))
        }
        /// The first command starts the watcher, the next checks every file once under it; then it is trusted.
        func settle() throws {
            var tries = 0
            while try !list().watched, tries < 50 {
                tries += 1
                usleep(50_000)
            }
            XCTAssertLessThan(tries, 50, "the watcher never answered")
        }
        try settle()
        let unwatched = try BinaryRunner.run(["list", "--data", corpus.path], environment: ["XDG_CACHE_HOME": newCache(), "REDLINE_WATCH": "off"])
        XCTAssertEqual(try list().out, unwatched.stdout)

        // Edited in place, same size.
        let file = corpus.appendingPathComponent("jamesallen.com__2010-12-31.md")
        let text = try String(contentsOf: file, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "eighteen", with: "nineteen").utf8).write(to: file)
        let edited = try BinaryRunner.run(["search", "--data", corpus.path, "nineteen"], environment: env)
        XCTAssertTrue(edited.stdout.contains("James Allen"), edited.stdout)
        XCTAssertFalse(edited.stderr.contains("catalog-watched"))
        try settle()
        // Added in a new subfolder, then a second file in it (watched since the first).
        let sub = corpus.appendingPathComponent("more/deeper")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: BinaryRunner.repoRoot.appendingPathComponent("data/diamondnexus.com__2016-03-14.md"),
                                         to: sub.appendingPathComponent("diamondnexus.com__2016-03-14.md"))
        var listed = try list()
        XCTAssertTrue(listed.out.contains("diamondnexus"), listed.out)
        XCTAssertFalse(listed.watched)
        try settle()
        try FileManager.default.copyItem(at: BinaryRunner.repoRoot.appendingPathComponent("data/diamondnexus.com__2015-09-27.txt"),
                                         to: sub.appendingPathComponent("diamondnexus.com__2015-09-27.txt"))
        listed = try list()
        XCTAssertTrue(listed.out.contains("2015-09-27"), listed.out)
        XCTAssertFalse(listed.watched)
        try settle()
        // Truncated.
        try FileHandle(forWritingTo: sub.appendingPathComponent("diamondnexus.com__2015-09-27.txt")).truncate(atOffset: 0)
        listed = try list()
        XCTAssertFalse(listed.out.contains("2015-09-27"), listed.out)
        try settle()
        // Made unreadable (only its change time moves).
        XCTAssertEqual(chmod(corpus.appendingPathComponent("worldjewels.com__2016-11-24.txt").path, 0), 0)
        XCTAssertFalse(try list().watched)
        try settle()
        // Removed, then replaced by a folder.
        try FileManager.default.removeItem(at: corpus.appendingPathComponent("worldjewels.com__2016-11-24.txt"))
        listed = try list()
        XCTAssertFalse(listed.out.contains("worldjewels"), listed.out)
        try settle()
        try FileManager.default.removeItem(at: file)
        try FileManager.default.createDirectory(at: file, withIntermediateDirectories: false)
        listed = try list()
        XCTAssertFalse(listed.out.contains("2010-12-31"), listed.out)
        XCTAssertTrue(listed.out.contains("2019-07-04"), listed.out)
        try settle()
        // Hidden files (an editor's swap file) are not policies and do not count as changes.
        try Data("x".utf8).write(to: corpus.appendingPathComponent(".swap"))
        XCTAssertTrue(try list().watched)
        // The same rows as a catalog that stats every file.
        let fresh = try BinaryRunner.run(["list", "--data", corpus.path], environment: ["XDG_CACHE_HOME": newCache(), "REDLINE_WATCH": "off"])
        XCTAssertEqual(try list().out, fresh.stdout)
        // A link to a file outside the folder, made under the watcher: its file's edits are not the
        // folder's events, so the watcher stops and commands stat every file again.
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("redline-outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        let target = outside.appendingPathComponent("policy.md")
        try FileManager.default.copyItem(at: BinaryRunner.repoRoot.appendingPathComponent("data/jamesallen.com__2010-12-31.md"), to: target)
        try FileManager.default.createSymbolicLink(at: corpus.appendingPathComponent("linked.md"), withDestinationURL: target)
        listed = try list()
        XCTAssertTrue(listed.out.contains("2010-12-31"), listed.out)
        XCTAssertFalse(listed.watched)
        for _ in 0..<3 { XCTAssertFalse(try list().watched, "no watcher answers for a folder holding a link") }
        try Data((try String(contentsOf: target, encoding: .utf8) + "\n\nA clause about aardwolves.\n").utf8).write(to: target)
        let found = try BinaryRunner.run(["search", "--data", corpus.path, "aardwolves"], environment: env)
        XCTAssertTrue(found.stdout.contains("aardwolves"), found.stdout + found.stderr)
    }
}

/// `list --json` is written by hand for speed: it must be exactly what JSONEncoder writes.
final class ListJSONTests: XCTestCase {
    struct Output: Codable {
        struct Version: Codable {
            var id, date, format: String
            var sections, words: Int
            var lastUpdated, snapshotURL: String?
        }
        struct RetailerEntry: Codable {
            var id, name: String
            var versions: [Version]
        }
        var retailers: [RetailerEntry]
    }

    func reencoded(_ json: String) throws -> String {
        let value = try JSONDecoder().decode(Output.self, from: Data(json.utf8))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    func testListJSONIsJSONEncodersOutput() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redline-listjson-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // A snapshot URL with quotes, a backslash, a tab and non-ASCII; names from the texts.
        let odd = "> *The following text is extracted and transformed from the odd-ä.com privacy policy that was archived on "
            + "2012-03-04. Please follow [this link](https://web.archive.org/web/2012/http://odd-ä.com/\"q\\\"\t/ü) to view the "
            + "original snapshot.*\n\n# Privacy\n\nWe collect “things”.\n"
        try Data(odd.utf8).write(to: dir.appendingPathComponent("odd-ä.com__2012-03-04.md"))
        for folder in [BinaryRunner.repoRoot.appendingPathComponent("data").path, dir.path,
                       BinaryRunner.repoRoot.appendingPathComponent("Tests/Fixtures/corpus-sample").path] {
            let listed = try BinaryRunner.run(["list", "--data", folder, "--json"])
            XCTAssertEqual(listed.status, 0, listed.stderr)
            XCTAssertEqual(listed.stdout, try reencoded(listed.stdout), folder)
        }
        let empty = dir.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let none = try BinaryRunner.run(["list", "--data", empty.path, "--json"])
        XCTAssertEqual(none.stdout, try reencoded(none.stdout))
    }
}

/// `search --json` is written by hand (JSONEncoder's start was a tenth of a warm search): it must
/// be exactly what JSONEncoder writes.
final class SearchJSONTests: XCTestCase {
    struct Output: Codable {
        struct Hit: Codable {
            var doc, section, sectionTitle, text, snippet, retailer, date: String
            var score: Double
            var matches: [[Int]]
        }
        var query: String
        var hits: [Hit]
    }

    func testSearchJSONIsJSONEncodersOutput() throws {
        let data = BinaryRunner.repoRoot.appendingPathComponent("data").path
        let sample = BinaryRunner.repoRoot.appendingPathComponent("Tests/Fixtures/corpus-sample").path
        for (folder, query) in [(data, "cookies"), (data, "\"third parties\" OR email"), (data, "zygomorphic"), (data, "retailer:world privacy"),
                                (sample, "children under"), (sample, "topic:security information")] {
            let searched = try BinaryRunner.run(["search", "--data", folder, query, "--json", "--limit", "30"])
            XCTAssertEqual(searched.status, 0, searched.stderr)
            let value = try JSONDecoder().decode(Output.self, from: Data(searched.stdout.utf8))
            XCTAssertEqual(value.query, query)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            XCTAssertEqual(searched.stdout, String(decoding: try encoder.encode(value), as: UTF8.self) + "\n", query)
        }
    }
}
