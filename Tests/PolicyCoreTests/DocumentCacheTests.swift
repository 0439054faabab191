import XCTest
@testable import PolicyCore

/// Reopening an unchanged corpus parses nothing; any change reparses.
final class DocumentCacheTests: XCTestCase {
    var dir: URL!
    var cachePath: String!

    override func setUpWithError() throws {
        dir = Fixtures.temporaryDirectory()
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixtures.dataDir.path) {
            try FileManager.default.copyItem(at: Fixtures.dataDir.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        try Data([0xFF, 0xFE, 0x00, 0x01]).write(to: dir.appendingPathComponent("broken.md"))
        cachePath = Fixtures.temporaryDirectory().appendingPathComponent("docs.sqlite").path
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
        try? FileManager.default.removeItem(atPath: (cachePath as NSString).deletingLastPathComponent)
    }

    func testWarmOpenParsesNothingAndGivesTheSameCorpus() throws {
        let cold = try CorpusLoader.load(directory: dir, cache: try DocumentCache(path: cachePath))
        XCTAssertEqual(cold.parsedFiles, 6)
        XCTAssertTrue(cold.documents.allSatisfy { !$0.sectionsLoaded }, "parsed into the cache, not held")
        let warm = try CorpusLoader.load(directory: dir, cache: try DocumentCache(path: cachePath))
        XCTAssertEqual(warm.documents.count, 5)
        XCTAssertEqual(warm.parsedFiles, 0)
        XCTAssertTrue(warm.documents.allSatisfy { !$0.sectionsLoaded }, "nothing parsed or decoded up front")
        XCTAssertEqual(warm.retailers.map(\.name), cold.retailers.map(\.name))
        XCTAssertEqual(warm.documents.map(\.id), cold.documents.map(\.id))
        XCTAssertEqual(warm.warnings, cold.warnings, "the broken file is still reported")
        XCTAssertEqual(warm.warnings.count, 1)
        // Sections arrive on first use, identical to the parse.
        for (a, b) in zip(warm.documents, cold.documents) {
            XCTAssertEqual(a.lastUpdated, b.lastUpdated)
            XCTAssertEqual(a.sections, b.sections)
            XCTAssertTrue(a.sectionsLoaded)
        }
        XCTAssertEqual(warm.document(id: "jamesallen.com@2019-07-04")?.section(at: "6.1")?.title, "A. EU Data Subject Rights")
    }

    func testStoringACorpusReadInMemoryServesItBack() throws {
        // The fallback when the streamed rewrite fails: parse in memory, then store it whole.
        let parsed = try CorpusLoader.load(directory: dir)
        let stamps = CorpusLoader.policyFiles(in: dir).map { DocumentCache.Stamp.of($0.path) }
        let cache = try DocumentCache(path: cachePath)
        try cache.store(parsed, sources: stamps)
        let served = try XCTUnwrap(cache.corpus(for: stamps, root: dir.path))
        XCTAssertEqual(served.retailers.map(\.name), parsed.retailers.map(\.name))
        XCTAssertEqual(served.documents.map(\.id), parsed.documents.map(\.id))
        XCTAssertEqual(served.warnings, parsed.warnings)
        for (a, b) in zip(served.documents, parsed.documents) { XCTAssertEqual(a.sections, b.sections) }
        XCTAssertNil(cache.corpus(for: Array(stamps.dropLast()), root: dir.path), "another set of files is not served")
    }

    func testIndexingACachedCorpusLetsItsSectionsGoAgain() throws {
        let cold = try CorpusLoader.load(directory: dir, cache: try DocumentCache(path: cachePath))
        let warm = try CorpusLoader.load(directory: dir, cache: try DocumentCache(path: cachePath))
        let open = try XCTUnwrap(warm.document(id: "jamesallen.com@2019-07-04"))
        XCTAssertFalse(open.sections.isEmpty)   // the version on screen
        let index = try SearchIndex(corpus: warm)
        XCTAssertEqual(try index.clauseCount(), cold.documents.reduce(0) { $0 + $1.allClauses.count })
        XCTAssertEqual(warm.documents.filter(\.sectionsLoaded).map(\.id), ["jamesallen.com@2019-07-04"],
                       "the index read every version once and kept only the one already open")
        // Let go is not lost: read again on the next use, identical.
        for (a, b) in zip(warm.documents, cold.documents) { XCTAssertEqual(a.sections, b.sections) }
        // A document parsed without a cache has nothing to reload from: it keeps its sections.
        let held = try CorpusLoader.load(directory: dir)
        for doc in held.documents { doc.evictSections() }
        XCTAssertTrue(held.documents.allSatisfy(\.sectionsLoaded))
    }

    func testAMissingFolderIsAnErrorWithOrWithoutTheCache() throws {
        let missing = dir.appendingPathComponent("no-such-folder")
        XCTAssertThrowsError(try CorpusLoader.load(directory: missing))
        XCTAssertThrowsError(try CorpusLoader.load(directory: missing, cache: try DocumentCache(path: cachePath))) { error in
            XCTAssertTrue("\(error)".contains("is not a folder"), "\(error)")
        }
    }

    func testAnyChangeReparses() throws {
        _ = try CorpusLoader.load(directory: dir, cache: try DocumentCache(path: cachePath))
        // Touch one file: same bytes, new time.
        let file = dir.appendingPathComponent("worldjewels.com__2016-11-24.txt").path
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: file)
        let touched = try CorpusLoader.load(directory: dir, cache: try DocumentCache(path: cachePath))
        XCTAssertEqual(touched.parsedFiles, 6, "reparsed")
        // Unchanged again: from the cache.
        let again = try CorpusLoader.load(directory: dir, cache: try DocumentCache(path: cachePath))
        XCTAssertEqual(again.parsedFiles, 0)
        // A removed file: reparsed, and gone.
        try FileManager.default.removeItem(atPath: file)
        let removed = try CorpusLoader.load(directory: dir, cache: try DocumentCache(path: cachePath))
        XCTAssertNil(removed.retailer(domain: "worldjewels.com"))
        XCTAssertEqual(removed.parsedFiles, 5)
    }

    func testListingSkipsHiddenAndDoesNotFollowFolderLinks() throws {
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent(".git/objects"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: dir.appendingPathComponent(".git/objects/notes.md"))
        try fm.createDirectory(at: dir.appendingPathComponent("a/ab"), withIntermediateDirectories: true)
        try fm.copyItem(at: dir.appendingPathComponent("jamesallen.com__2010-12-31.md"), to: dir.appendingPathComponent("a/ab/copy.md"))
        try fm.createSymbolicLink(at: dir.appendingPathComponent("a/ab/loop"), withDestinationURL: dir)   // a cycle
        try fm.createSymbolicLink(at: dir.appendingPathComponent("linked.txt"), withDestinationURL: dir.appendingPathComponent("worldjewels.com__2016-11-24.txt"))
        try Data().write(to: dir.appendingPathComponent("x.headings.txt"))
        let names = CorpusLoader.policyFiles(in: dir).map { $0.path.replacingOccurrences(of: dir.path + "/", with: "") }
        XCTAssertEqual(names, ["a/ab/copy.md", "broken.md", "diamondnexus.com__2015-09-27.txt", "diamondnexus.com__2016-03-14.md",
                               "jamesallen.com__2010-12-31.md", "jamesallen.com__2019-07-04.md", "linked.txt", "worldjewels.com__2016-11-24.txt"])
    }

    func testAnotherBuildsCacheIsNotRead() throws {
        _ = try CorpusLoader.load(directory: dir, cache: try DocumentCache(path: cachePath, producer: "build-1"))
        let same = try CorpusLoader.load(directory: dir, cache: try DocumentCache(path: cachePath, producer: "build-1"))
        XCTAssertEqual(same.parsedFiles, 0)
        let other = try CorpusLoader.load(directory: dir, cache: try DocumentCache(path: cachePath, producer: "build-2"))
        XCTAssertGreaterThan(other.parsedFiles, 0, "a new parser reparses")
    }

    func testParsingIntoTheCacheGivesTheSameCorpusAsParsingInMemory() throws {
        // Both formats, two folders of samples, a broken file, an unreadable one, and a duplicate version.
        for url in CorpusLoader.policyFiles(in: Fixtures.sampleDir) {
            try FileManager.default.copyItem(at: url, to: dir.appendingPathComponent(url.lastPathComponent))
        }
        try FileManager.default.copyItem(at: dir.appendingPathComponent("jamesallen.com__2010-12-31.md"),
                                         to: dir.appendingPathComponent("zz-copy-of-jamesallen.md"))
        let locked = dir.appendingPathComponent("locked.md")
        try Data("# x".utf8).write(to: locked)
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: locked.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: locked.path) }
        let memory = try CorpusLoader.load(directory: dir)
        let streamed = try CorpusLoader.load(directory: dir, cache: try DocumentCache(path: cachePath))
        let warm = try CorpusLoader.load(directory: dir, cache: try DocumentCache(path: cachePath))
        XCTAssertGreaterThan(streamed.parsedFiles, 0)
        XCTAssertEqual(warm.parsedFiles, 0)
        for corpus in [streamed, warm] {
            XCTAssertEqual(corpus.retailers.map(\.name), memory.retailers.map(\.name))
            XCTAssertEqual(corpus.retailers.map(\.domain), memory.retailers.map(\.domain))
            XCTAssertEqual(corpus.documents.map(\.sourcePath), memory.documents.map(\.sourcePath))
            XCTAssertEqual(corpus.warnings, memory.warnings)
            XCTAssertEqual(corpus.root, memory.root)
            for (a, b) in zip(corpus.documents, memory.documents) {
                XCTAssertEqual(a.title, b.title)
                XCTAssertEqual(a.lastUpdated, b.lastUpdated)
                XCTAssertEqual(a.sections, b.sections, a.id)
            }
        }
        XCTAssertTrue(memory.warnings.contains { $0.message.hasPrefix("duplicate of jamesallen.com@2010-12-31") })
        XCTAssertTrue(memory.warnings.contains { $0.path.hasSuffix("broken.md") })
        XCTAssertGreaterThanOrEqual(memory.retailers.count, 12)
    }

    func testGarbageCacheIsRebuilt() throws {
        try FileManager.default.createDirectory(atPath: (cachePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: cachePath))
        let corpus = try CorpusLoader.load(directory: dir, cache: try DocumentCache(path: cachePath))
        XCTAssertEqual(corpus.documents.count, 5)
        let warm = try CorpusLoader.load(directory: dir, cache: try DocumentCache(path: cachePath))
        XCTAssertTrue(warm.documents.allSatisfy { !$0.sectionsLoaded })
    }
}
