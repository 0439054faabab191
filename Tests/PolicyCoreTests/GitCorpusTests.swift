import XCTest
@testable import PolicyCore

/// Versions read from a git history: a temporary repository with three commits of two policies.
final class GitCorpusTests: XCTestCase {
    var repo: URL!

    func git(_ args: String..., date: String? = nil) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-C", repo.path, "-c", "user.name=Test", "-c", "user.email=test@example.com",
                       "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"] + args
        var env = ProcessInfo.processInfo.environment
        if let date { env["GIT_AUTHOR_DATE"] = date; env["GIT_COMMITTER_DATE"] = date }
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "git \(args)")
    }

    func write(_ path: String, _ text: String) throws {
        let url = repo.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    static func markdown(_ domain: String, snapshot: String?, body: String) -> String {
        let header = snapshot.map { date in
            "> *The following text is extracted and transformed from the \(domain) privacy policy that was archived on \(date). Please check the [original snapshot on the Wayback Machine](https://web.archive.org/web/\(date.replacingOccurrences(of: "-", with: ""))000000id_/http%3A//www.\(domain)/privacy) for the most accurate reproduction.*\n\n"
        } ?? "> *The following text is extracted and transformed from the \(domain) privacy policy.*\n\n"
        return header + "# \(domain) Privacy Policy\n\n## Information We Collect\n\n\(body)\n\n## Security\n\nWe use SSL encryption to protect your data.\n"
    }

    override func setUpWithError() throws {
        repo = Fixtures.temporaryDirectory()
        try git("init", "-q")
        // Commit 1 (2017): both policies, in the Princeton-Leuven layout.
        try write("a/al/alpha.com.md", Self.markdown("alpha.com", snapshot: "2015-03-01", body: "We collect your name."))
        try write("b/be/beta.com.md", Self.markdown("beta.com", snapshot: nil, body: "We collect your e-mail address."))
        try write("README.txt", "not a policy")
        try git("add", "-A")
        try git("commit", "-q", "-m", "first", date: "2017-01-10T12:00:00Z")
        // Commit 2 (2018): alpha's new snapshot.
        try write("a/al/alpha.com.md", Self.markdown("alpha.com", snapshot: "2018-06-15", body: "We collect your name and address."))
        try git("commit", "-q", "-am", "alpha 2018", date: "2018-07-01T12:00:00Z")
        // Commit 3 (2019): beta changes; its file has no snapshot header, so the commit date dates it.
        try write("b/be/beta.com.md", Self.markdown("beta.com", snapshot: nil, body: "We collect your e-mail address and phone number."))
        try git("commit", "-q", "-am", "beta 2019", date: "2019-02-03T12:00:00Z")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: repo)
    }

    func testEveryCommitThatChangedAPolicyIsAVersion() throws {
        let changes = try GitCorpusReader.changes(.init(repository: repo))
        XCTAssertEqual(changes.map(\.path), ["b/be/beta.com.md", "a/al/alpha.com.md", "README.txt", "a/al/alpha.com.md", "b/be/beta.com.md"],
                       "newest commit first, a commit's files in path order; README.txt is a .txt, read and rejected by the parser later")
        XCTAssertEqual(changes.map(\.date), ["2019-02-03", "2018-07-01", "2017-01-10", "2017-01-10", "2017-01-10"])
        XCTAssertEqual(Set(changes.map(\.commit)).count, 3)
    }

    func testVersionsAndDates() throws {
        let corpus = try GitCorpusReader.load(.init(repository: repo))
        XCTAssertEqual(corpus.retailers.map(\.domain), ["alpha.com", "beta.com"])
        // alpha: dated by the snapshot date in each file's header, not by the commit.
        XCTAssertEqual(corpus.retailer(domain: "alpha.com")?.versions.map(\.archiveDate), ["2015-03-01", "2018-06-15"])
        // beta: no header date, so the commit dates.
        XCTAssertEqual(corpus.retailer(domain: "beta.com")?.versions.map(\.archiveDate), ["2017-01-10", "2019-02-03"])
        let latest = try XCTUnwrap(corpus.document(id: "beta.com@2019-02-03"))
        XCTAssertTrue(latest.allClauses.contains { $0.text.contains("phone number") })
        XCTAssertTrue(latest.sourcePath.hasPrefix("git:"))
        XCTAssertTrue(latest.sourcePath.hasSuffix(":b/be/beta.com.md"))
        let first = try XCTUnwrap(corpus.document(id: "alpha.com@2015-03-01"))
        XCTAssertFalse(first.allClauses.contains { $0.text.contains("address") }, "the 2015 blob, not today's file")
        // The README is not a policy: reported, the rest loads.
        XCTAssertEqual(corpus.warnings.count, 1)
        XCTAssertTrue(corpus.warnings[0].path.hasSuffix("README.txt"))
    }

    /// Names git would quote (a quote, a backslash, a tab) are read as they are; a name with a line
    /// break, which `cat-file --batch` cannot be asked for, is reported, not dropped without a word.
    func testFileNamesGitWouldQuoteAreRead() throws {
        try write("g/ga/gamma\"quoted\".md", Self.markdown("gamma.com", snapshot: "2016-01-01", body: "We collect your name."))
        try write("d/de/delta\\back.md", Self.markdown("delta.com", snapshot: "2016-01-01", body: "We collect your name."))
        try write("e/ep/eps\tilon.md", Self.markdown("epsilon.com", snapshot: "2016-01-01", body: "We collect your name."))
        try write("z/ze/ze\nta.md", Self.markdown("zeta.com", snapshot: "2016-01-01", body: "We collect your name."))
        try git("add", "-A")
        try git("commit", "-q", "-m", "odd names", date: "2020-01-01T12:00:00Z")
        let corpus = try GitCorpusReader.load(.init(repository: repo))
        XCTAssertEqual(corpus.retailers.map(\.domain), ["alpha.com", "beta.com", "delta.com", "epsilon.com", "gamma.com"])
        XCTAssertTrue(corpus.document(id: "gamma.com@2016-01-01")!.sourcePath.hasSuffix(":g/ga/gamma\"quoted\".md"))
        XCTAssertTrue(corpus.warnings.contains { $0.path.hasSuffix(":z/ze/ze\nta.md") && $0.message.contains("cannot read") }, "\(corpus.warnings)")
    }

    func testSinceAndPathFilters() throws {
        let since = try GitCorpusReader.load(.init(repository: repo, since: "2018-01-01"))
        XCTAssertEqual(since.documents.map(\.id).sorted(), ["alpha.com@2018-06-15", "beta.com@2019-02-03"])
        let onlyA = try GitCorpusReader.load(.init(repository: repo, pathGlob: "a/**/*.md"))
        XCTAssertEqual(onlyA.retailers.map(\.domain), ["alpha.com"])
        XCTAssertEqual(onlyA.documents.count, 2)
    }

    func testSameSnapshotInSeveralCommitsIsOneVersion() throws {
        // A commit that re-saves alpha with the same header date: still one 2018 version (the newest copy).
        try write("a/al/alpha.com.md", Self.markdown("alpha.com", snapshot: "2018-06-15", body: "We collect your name, address and age."))
        try git("commit", "-q", "-am", "alpha fix", date: "2020-01-01T12:00:00Z")
        let corpus = try GitCorpusReader.load(.init(repository: repo))
        XCTAssertEqual(corpus.retailer(domain: "alpha.com")?.versions.map(\.archiveDate), ["2015-03-01", "2018-06-15"])
        XCTAssertTrue(corpus.document(id: "alpha.com@2018-06-15")!.allClauses.contains { $0.text.contains("age") })
        XCTAssertFalse(corpus.warnings.contains { $0.message.contains("duplicate") })
    }

    func testReopeningTheSameHistoryParsesNothingAndNewCommitsAreReadAlone() throws {
        let cachePath = repo.appendingPathComponent(".cache/catalog.sqlite").path
        let options = GitCorpusReader.Options(repository: repo)
        func open() throws -> Catalog { try Catalog(source: .git(options), path: cachePath) }
        let first = try open()
        XCTAssertGreaterThan(try first.refresh().parsed, 0)
        let cold = try first.corpus()
        let second = try open()
        XCTAssertEqual(try second.refresh(), Catalog.Refresh(), "HEAD has not moved")
        let warm = try second.corpus()
        XCTAssertEqual(warm.documents.map(\.id), cold.documents.map(\.id))
        XCTAssertTrue(warm.documents.allSatisfy { !$0.sectionsLoaded })
        XCTAssertEqual(warm.document(id: "beta.com@2019-02-03")?.sections, cold.document(id: "beta.com@2019-02-03")?.sections)
        // A new commit is a new version, and only its file is read.
        try write("a/al/alpha.com.md", Self.markdown("alpha.com", snapshot: "2020-05-05", body: "We collect nothing."))
        try git("commit", "-q", "-am", "alpha 2020", date: "2020-05-06T12:00:00Z")
        let third = try open()
        XCTAssertEqual(try third.refresh().parsed, 1)
        let later = try third.corpus()
        XCTAssertEqual(later.retailer(domain: "alpha.com")?.versions.last?.archiveDate, "2020-05-05")
        XCTAssertEqual(later.documents.map(\.id), try GitCorpusReader.load(options).documents.map(\.id))
        XCTAssertEqual(try third.searchIndex().search("nothing").map(\.doc), ["alpha.com@2020-05-05"])
        // A rewritten history (the last commit undone) is read again from nothing.
        try git("reset", "-q", "--hard", "HEAD~1")
        let fourth = try open()
        XCTAssertGreaterThan(try fourth.refresh().removed, 0)
        XCTAssertNil(try fourth.corpus().document(id: "alpha.com@2020-05-05"))
    }

    func testHeadIsReadWithoutGitAsGitReadsIt() throws {
        let viaGit = String(decoding: try GitCorpusReader.run(["rev-parse", "HEAD"], in: repo), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(try GitCorpusReader.head(of: repo), viaGit)
        try git("pack-refs", "--all")   // the branch now lives in packed-refs only
        XCTAssertEqual(try GitCorpusReader.head(of: repo), viaGit)
        try git("checkout", "-q", "--detach")
        XCTAssertEqual(try GitCorpusReader.head(of: repo), viaGit)
    }

    func testReadingIntoTheCatalogGivesTheSameCorpusAsReadingInMemory() throws {
        // A re-saved snapshot (kept once, silently), a flat scrape (the second pass) and a broken blob.
        try write("a/al/alpha.com.md", Self.markdown("alpha.com", snapshot: "2018-06-15", body: "We collect your name, address and age."))
        try write("c/ga/gamma.com.txt", "来源URL: https://web.archive.org/web/20160101000000/http://www.gamma.com/privacy\n"
                  + String(repeating: "=", count: 40) + "\n\nhome shop privacy policy information we collect we collect your name "
                  + "when you order from us and we keep it safe. security we protect your data with encryption at every step.\n")
        try write("d/de/delta.com.md", "neither format")
        try git("add", "-A")
        try git("commit", "-q", "-m", "more", date: "2020-01-01T12:00:00Z")
        let options = GitCorpusReader.Options(repository: repo)
        let inMemory = try GitCorpusReader.load(options)
        let cachePath = repo.appendingPathComponent(".cache/catalog.sqlite").path
        let catalog = try Catalog(source: .git(options), path: cachePath)
        XCTAssertGreaterThan(try catalog.refresh().parsed, 0)
        let streamed = try catalog.corpus()
        XCTAssertTrue(streamed.documents.allSatisfy { !$0.sectionsLoaded }, "parsed into the catalog, not held")
        let again = try Catalog(source: .git(options), path: cachePath)
        XCTAssertEqual(try again.refresh().parsed, 0)
        let warm = try again.corpus()
        for corpus in [streamed, warm] {
            XCTAssertEqual(corpus.root, inMemory.root)
            XCTAssertEqual(corpus.retailers.map(\.name), inMemory.retailers.map(\.name))
            XCTAssertEqual(corpus.documents.map(\.id), inMemory.documents.map(\.id))
            XCTAssertEqual(corpus.documents.map(\.sourcePath), inMemory.documents.map(\.sourcePath))
            XCTAssertEqual(corpus.documents.map(\.sections), inMemory.documents.map(\.sections))
            XCTAssertEqual(corpus.warnings, inMemory.warnings)
        }
        XCTAssertEqual(inMemory.document(id: "gamma.com@2016-01-01")?.format, .flat)
        XCTAssertTrue(inMemory.document(id: "alpha.com@2018-06-15")!.allClauses.contains { $0.text.contains("age") }, "the newest copy")
        XCTAssertNotNil(inMemory.document(id: "beta.com@2019-02-03"), "dated by its commit")
        XCTAssertEqual(inMemory.warnings.count, 2, "\(inMemory.warnings)")   // neither format:
        XCTAssertTrue(inMemory.warnings.contains { $0.path.hasSuffix(":d/de/delta.com.md") })
        XCTAssertTrue(inMemory.warnings.contains { $0.path.hasSuffix(":README.txt") })
        XCTAssertFalse(streamed.warnings.contains { $0.message.contains("duplicate") })
    }

    func testNotARepositoryIsAClearError() {
        let plain = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: plain) }
        XCTAssertThrowsError(try GitCorpusReader.load(.init(repository: plain))) { error in
            XCTAssertTrue("\(error)".contains("not a git repository"), "\(error)")
        }
        XCTAssertThrowsError(try GitCorpusReader.load(.init(repository: plain.appendingPathComponent("missing"))))
    }
}
