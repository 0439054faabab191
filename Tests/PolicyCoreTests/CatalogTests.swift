import GRDB
import XCTest
@testable import PolicyCore

/// The catalog: what it serves is what parsing the folder gives, and any change to the folder is
/// seen by the next refresh, which reads only what changed.
final class CatalogTests: XCTestCase {
    var dir: URL!
    var cachePath: String!

    override func setUpWithError() throws {
        dir = Fixtures.temporaryDirectory()
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixtures.dataDir.path) {
            try FileManager.default.copyItem(at: Fixtures.dataDir.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        try Data([0xFF, 0xFE, 0x00, 0x01]).write(to: dir.appendingPathComponent("broken.md"))
        cachePath = Fixtures.temporaryDirectory().appendingPathComponent("catalog.sqlite").path
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
        try? FileManager.default.removeItem(atPath: (cachePath as NSString).deletingLastPathComponent)
    }

    func catalog(producer: String = "") throws -> Catalog {
        try Catalog(source: .folder(dir), path: cachePath, producer: producer)
    }

    /// Refreshes a new catalog object (as a new process would) and returns what it did and serves.
    func refreshed(producer: String = "") throws -> (Catalog.Refresh, Corpus) {
        let c = try catalog(producer: producer)
        let r = try c.refresh()
        return (r, try c.corpus())
    }

    func assertSame(_ corpus: Corpus, _ memory: Corpus, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(corpus.retailers.map(\.name), memory.retailers.map(\.name), file: file, line: line)
        XCTAssertEqual(corpus.retailers.map(\.domain), memory.retailers.map(\.domain), file: file, line: line)
        XCTAssertEqual(corpus.documents.map(\.sourcePath), memory.documents.map(\.sourcePath), file: file, line: line)
        XCTAssertEqual(corpus.warnings, memory.warnings, file: file, line: line)
        XCTAssertEqual(corpus.root, memory.root, file: file, line: line)
        for (a, b) in zip(corpus.documents, memory.documents) {
            XCTAssertEqual(a.title, b.title, file: file, line: line)
            XCTAssertEqual(a.lastUpdated, b.lastUpdated, file: file, line: line)
            XCTAssertEqual(a.sections, b.sections, a.id, file: file, line: line)
        }
    }

    func testWarmOpenParsesNothingAndGivesTheSameCorpus() throws {
        let (cold, first) = try refreshed()
        XCTAssertEqual(cold.parsed, 6)
        XCTAssertTrue(first.documents.allSatisfy { !$0.sectionsLoaded }, "parsed into the catalog, not held")
        let (warm, corpus) = try refreshed()
        XCTAssertEqual(warm, Catalog.Refresh())
        XCTAssertEqual(corpus.documents.count, 5)
        XCTAssertTrue(corpus.documents.allSatisfy { !$0.sectionsLoaded }, "nothing parsed or decoded up front")
        XCTAssertEqual(corpus.warnings.count, 1, "the broken file is still reported")
        assertSame(corpus, try CorpusLoader.load(directory: dir))
        XCTAssertEqual(corpus.document(id: "jamesallen.com@2019-07-04")?.section(at: "6.1")?.title, "A. EU Data Subject Rights")
    }

    func testListRowsCarryTheCountsOfTheParse() throws {
        let c = try catalog()
        try c.refresh()
        let memory = try CorpusLoader.load(directory: dir)
        let retailers = try c.versions()
        XCTAssertEqual(retailers.map(\.domain), memory.retailers.map(\.domain))
        let rows = retailers.flatMap { r in r.versions.map { (r.name, $0) } }
        XCTAssertEqual(rows.map(\.1.id), memory.documents.map(\.id))
        for ((name, row), doc) in zip(rows, memory.documents) {
            XCTAssertEqual(row.words, doc.wordCount)
            XCTAssertEqual(row.sections, doc.allSections.filter { !$0.isPreamble }.count)
            XCTAssertEqual(name, memory.retailer(domain: doc.domain)?.name)
            XCTAssertEqual(row.snapshotURL, doc.snapshotURL)
        }
        XCTAssertEqual(try c.resolve("james@2010").id, "jamesallen.com@2010-12-31")
        XCTAssertEqual(try c.resolve("worldjewels.com@2016-11-24").sections, memory.document(id: "worldjewels.com@2016-11-24")?.sections)
        XCTAssertThrowsError(try c.resolve("nosuch"))
    }

    /// The list's key sorts in SQLite's binary order as Swift sorts the names, decomposed accents too.
    func testRetailerSortKeysSortAsSwiftSortsTheNames() {
        let names = ["e\u{301}z", "\u{e9}a", "f", "E\u{301}mile", "emile", "Zeta", "zeta", "Ærø", "aero", "straße", "STRASSE", "日本", "ｆ"]
        for a in names {
            for b in names {
                let (x, y) = (Catalog.sortKey(a), Catalog.sortKey(b))
                XCTAssertEqual(Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8)), a.lowercased() < b.lowercased(), "\(a) \(b)")
            }
        }
    }

    /// The browser's retailer list, its versions read from the catalog a page at a time, is the
    /// corpus's list: the same retailers in the same order with the same versions, before and after
    /// the folder changes (a retailer gone, one added, one with a version more, one renamed by its
    /// versions); and it stays as it was read while another process changes the catalog.
    func testTheRetailerListReadAPageAtATimeIsTheCorpus() throws {
        // Names as the text spells the domain's label: capitalised, upper case, mixed, or not at
        // all (then the domain), so the list's order mixes cases.
        let bases = ["zeta", "alpha", "beta", "omega", "delta"]
        func domain(_ k: Int) -> String { "\(bases[k % bases.count])\(k).com" }
        func write(_ k: Int, _ date: String, form: Int? = nil) throws {
            let label = "\(bases[k % bases.count])\(k)"
            let spelled = [label.capitalized, label.uppercased(), label.prefix(2).uppercased() + label.dropFirst(2), "the shop"][(form ?? k) % 4]
            try Fixtures.waybackMarkdown(domain: domain(k), date: date,
                                         body: "# Privacy Policy\n\n## Sharing\n\n\(spelled) shares your data. \(spelled) keeps it safe.\n")
                .write(to: dir.appendingPathComponent("\(domain(k))__\(date).md"), atomically: true, encoding: .utf8)
        }
        for k in 0..<(2 * RetailerList.pageSize + 40) { try write(k, "2012-01-0\(1 + k % 3)") }
        for k in stride(from: 0, to: 300, by: 7) { try write(k, "2015-05-05") }
        func check(_ what: String) throws {
            let c = try catalog()
            try c.refresh()
            let memory = try c.corpus().retailers
            let list = try RetailerList(catalog: c)
            XCTAssertEqual(list.count, memory.count, what)
            XCTAssertGreaterThan(list.count, 2 * RetailerList.pageSize, what)
            XCTAssertGreaterThan(memory.filter { $0.name != $0.domain && $0.name != $0.name.lowercased() }.count, 100, "names in mixed case")
            // From the end first: pages are read in any order.
            for k in list.indices.reversed() {
                XCTAssertEqual(list[k].domain, memory[k].domain, "\(what) \(k)")
                XCTAssertEqual(list[k].name, memory[k].name, "\(what) \(k)")
                XCTAssertEqual(list[k].versions.map(\.id), memory[k].versions.map(\.id), "\(what) \(k)")
                XCTAssertEqual(list.position(ofDomain: memory[k].domain), k, what)
            }
            XCTAssertEqual(list.domainsAndNames().map(\.domain), memory.map(\.domain), what)
            XCTAssertEqual(list.domainsAndNames().map(\.name), memory.map(\.name), what)
            let doc = memory[memory.count / 2].versions[0]
            XCTAssertEqual(list.document(id: doc.id)?.sections, doc.sections, what)
            XCTAssertNil(list.position(ofDomain: "nowhere.com"), what)
            XCTAssertNil(list.document(id: domain(1) + "@1999-01-01"), what)
        }
        try check("cold")
        let before = try catalog().corpus().retailers.map(\.name)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("\(domain(3))__2012-01-01.md"))
        try write(9_999, "2016-06-06")
        try write(5, "2019-09-09")
        for k in [6, 13, 21] { try write(k, "2019-09-09", form: k + 1) }
        try check("after changes")
        XCTAssertNotEqual(try catalog().corpus().retailers.map(\.name), before, "the changes moved names")

        // Another process changes the catalog under an open list: the list stays the one it read
        // (order, count, positions), and pages read afterwards belong to their rows.
        let open = try RetailerList(catalog: try catalog())
        let snapshot = open.domainsAndNames()
        _ = open[0]
        let gone = snapshot[snapshot.count - 5].domain   // on the last page, not read yet
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasPrefix(gone + "__") {
            try FileManager.default.removeItem(at: dir.appendingPathComponent(name))
        }
        for k in [20_000, 20_001, 20_002] { try write(k, "2020-02-02", form: 0) }
        try catalog().refresh()
        XCTAssertEqual(open.count, snapshot.count)
        for k in open.indices.reversed() {
            XCTAssertEqual(open[k].domain, snapshot[k].domain, "row \(k)")
            XCTAssertEqual(open.position(ofDomain: snapshot[k].domain), k)
        }
        XCTAssertEqual(open.retailer(domain: gone)?.versions.count, 0, "gone meanwhile: its row stays, without versions")
    }

    /// Every kind of change between two commands is seen by the second, which reads only that file.
    func testEveryChangeToTheFolderIsSeenByTheNextRefresh() throws {
        _ = try refreshed()
        let fm = FileManager.default
        let world = dir.appendingPathComponent("worldjewels.com__2016-11-24.txt")
        let james = dir.appendingPathComponent("jamesallen.com__2010-12-31.md")

        // Edited in place: same size, new time.
        var text = try String(contentsOf: james, encoding: .utf8)
        text = text.replacingOccurrences(of: "eighteen", with: "nineteen")   // same length
        try Data(text.utf8).write(to: james)
        try fm.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 120)], ofItemAtPath: james.path)
        var (r, corpus) = try refreshed()
        XCTAssertEqual(r.parsed, 1)
        XCTAssertTrue(corpus.document(id: "jamesallen.com@2010-12-31")!.allClauses.contains { $0.text.contains("nineteen") })
        assertSame(corpus, try CorpusLoader.load(directory: dir))

        // Touched only: read again, nothing else.
        try fm.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 240)], ofItemAtPath: world.path)
        (r, corpus) = try refreshed()
        XCTAssertEqual(r.parsed, 1)

        // Truncated to nothing: reported, the rest loads.
        let saved = try Data(contentsOf: world)
        try Data().write(to: world)
        (r, corpus) = try refreshed()
        XCTAssertNil(corpus.retailer(domain: "worldjewels.com"))
        XCTAssertTrue(corpus.warnings.contains { $0.path == world.path && $0.message.contains("empty") }, "\(corpus.warnings)")
        assertSame(corpus, try CorpusLoader.load(directory: dir))

        // Restored, then made unreadable (its change time moves, not its modification time).
        try saved.write(to: world)
        (r, corpus) = try refreshed()
        XCTAssertNotNil(corpus.retailer(domain: "worldjewels.com"))
        try fm.setAttributes([.posixPermissions: 0o000], ofItemAtPath: world.path)
        defer { try? fm.setAttributes([.posixPermissions: 0o644], ofItemAtPath: world.path) }
        if getuid() != 0 {   // root reads anything
            (r, corpus) = try refreshed()
            XCTAssertNil(corpus.retailer(domain: "worldjewels.com"))
            XCTAssertTrue(corpus.warnings.contains { $0.path == world.path })
        } else {
            (r, corpus) = try refreshed()
            XCTAssertEqual(r.parsed, 1, "a permission change is a change")
        }
        try fm.setAttributes([.posixPermissions: 0o644], ofItemAtPath: world.path)

        // Added in a new sub-folder.
        try fm.createDirectory(at: dir.appendingPathComponent("more/deeper"), withIntermediateDirectories: true)
        try fm.copyItem(at: Fixtures.sampleDir.appendingPathComponent("markdown/zales.com__2006-12-17.md"),
                        to: dir.appendingPathComponent("more/deeper/zales.com__2006-12-17.md"))
        (r, corpus) = try refreshed()
        XCTAssertNotNil(corpus.document(id: "zales.com@2006-12-17"))
        assertSame(corpus, try CorpusLoader.load(directory: dir))

        // Removed.
        try fm.removeItem(at: dir.appendingPathComponent("more/deeper/zales.com__2006-12-17.md"))
        (r, corpus) = try refreshed()
        XCTAssertEqual(r.removed, 1)
        XCTAssertNil(corpus.retailer(domain: "zales.com"))

        // Replaced by a folder of the same name (holding a policy of its own).
        try fm.removeItem(at: james)
        try fm.createDirectory(at: james, withIntermediateDirectories: false)
        try fm.copyItem(at: Fixtures.sampleDir.appendingPathComponent("markdown/fossil.com__2016-03-15.md"),
                        to: james.appendingPathComponent("fossil.com__2016-03-15.md"))
        (r, corpus) = try refreshed()
        XCTAssertNil(corpus.document(id: "jamesallen.com@2010-12-31"))
        XCTAssertNotNil(corpus.document(id: "fossil.com@2016-03-15"))
        assertSame(corpus, try CorpusLoader.load(directory: dir))
        XCTAssertEqual(try refreshed().0, Catalog.Refresh(), "and then it is fresh")
    }

    func testFlatScrapesAreParsedAgainWhenTheMarkdownHeadingsChange() throws {
        _ = try refreshed()
        // diamondnexus's flat scrape borrows the headings of its Markdown version: remove that one.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("diamondnexus.com__2016-03-14.md"))
        let (r, corpus) = try refreshed()
        XCTAssertGreaterThanOrEqual(r.parsed, 1, "the flat scrapes parsed with the old headings")
        assertSame(corpus, try CorpusLoader.load(directory: dir))
    }

    func testIndexFollowsTheCatalog() throws {
        let c = try catalog()
        try c.refresh()
        var index = try c.searchIndex()
        XCTAssertEqual(index.search("eighteen").map(\.doc), ["jamesallen.com@2010-12-31"])
        let memory = try SearchIndex(corpus: try CorpusLoader.load(directory: dir))
        XCTAssertEqual(try index.postings(), try memory.postings())
        // A change: the next refresh and index see it, and the index is what a fresh build makes.
        let james = dir.appendingPathComponent("jamesallen.com__2010-12-31.md")
        let text = try String(contentsOf: james, encoding: .utf8).replacingOccurrences(of: "eighteen", with: "seventeen")
        try Data(text.utf8).write(to: james)
        let next = try catalog()
        XCTAssertEqual(try next.refresh().parsed, 1)
        index = try next.searchIndex()
        XCTAssertEqual(index.search("eighteen").map(\.doc), [])
        XCTAssertEqual(index.search("seventeen").map(\.doc), ["jamesallen.com@2010-12-31"])
        XCTAssertEqual(try index.postings(), try SearchIndex(corpus: try CorpusLoader.load(directory: dir)).postings())
    }

    /// The clause lengths a search ranks with are mapped from the file beside the catalog, and only
    /// when its stamp is the catalog's: the same scores as the lengths stored in the catalog itself.
    func testClauseLengthsAreMappedFromTheCatalogsOwnFile() throws {
        let c = try catalog()
        try c.refresh()
        let built = try c.searchIndex()
        // Built by the process that made the catalog's tables: every clause's length was counted, and
        // the tokens made ahead were replayed (FTS5 had made its tokenizer before the index was opened).
        XCTAssertEqual(built.clausesWithLengths, try built.clauseCount())
        XCTAssertGreaterThan(built.replayedTexts, 0)
        let scores = { (index: SearchIndex) in ["cookie", "children under", "privacy"].map { index.search($0, limit: 500).map(\.score) } }
        let expected = scores(built)
        XCTAssertFalse(expected.joined().isEmpty)
        let file = cachePath + ".lengths"
        XCTAssertTrue(FileManager.default.fileExists(atPath: file))
        // A new process maps it.
        let mapped = try catalog().searchIndex()
        XCTAssertTrue(mapped.lengthsMapped)
        XCTAssertEqual(mapped.clausesWithLengths, try mapped.clauseCount())
        XCTAssertEqual(scores(mapped), expected)
        // A file of another build of the index (its stamp) is not mapped; nor is a missing one.
        var data = try Data(contentsOf: URL(fileURLWithPath: file))
        data[0] ^= 0xFF
        try data.write(to: URL(fileURLWithPath: file))
        let stale = try catalog().searchIndex()
        XCTAssertFalse(stale.lengthsMapped)
        XCTAssertEqual(scores(stale), expected)
        try FileManager.default.removeItem(atPath: file)
        let missing = try catalog().searchIndex()
        XCTAssertFalse(missing.lengthsMapped)
        XCTAssertEqual(scores(missing), expected)
        // The next index update writes it again.
        let james = dir.appendingPathComponent("jamesallen.com__2010-12-31.md")
        try Data(try String(contentsOf: james, encoding: .utf8).replacingOccurrences(of: "eighteen", with: "seventeen").utf8).write(to: james)
        let next = try catalog()
        try next.refresh()
        _ = try next.searchIndex()
        XCTAssertTrue(try catalog().searchIndex().lengthsMapped)
    }

    /// A process that finds the index up to date reads the database mapped; one that writes it
    /// (a first build, an update) does not, so a build never maps what it writes.
    func testOnlyAnIndexFoundUpToDateIsReadMapped() throws {
        let c = try catalog()
        try c.refresh()
        let built = try c.searchIndex()
        XCTAssertEqual(built.mappedFileBytes, 0)
        let expected = built.search("children under", limit: 500)
        let warm = try catalog().searchIndex()
        XCTAssertGreaterThan(warm.mappedFileBytes, 0)
        XCTAssertEqual(warm.search("children under", limit: 500), expected)
        // The same catalog (a browser's), told of a change: its index is updated unmapped.
        let reader = try catalog()
        XCTAssertGreaterThan(try reader.searchIndex().mappedFileBytes, 0)
        let james = dir.appendingPathComponent("jamesallen.com__2010-12-31.md")
        try Data(try String(contentsOf: james, encoding: .utf8).replacingOccurrences(of: "eighteen", with: "seventeen").utf8).write(to: james)
        XCTAssertEqual(try reader.refresh().parsed, 1)
        XCTAssertEqual(try reader.searchIndex().mappedFileBytes, 0, "an update is written unmapped")
        XCTAssertEqual(try reader.searchIndex().search("seventeen").map(\.doc), ["jamesallen.com@2010-12-31"])
    }

    /// Each pair is compared once and kept: the next feed reads it back; a version read again
    /// is compared again.
    func testTheChangeFeedIsKeptAndFollowsTheVersions() throws {
        let c = try catalog()
        try c.refresh()
        let corpus = try c.corpus()
        let first = try c.changeFeed(corpus.retailers)
        XCTAssertEqual(first.map(\.to), ["jamesallen.com@2019-07-04", "diamondnexus.com@2016-03-14"])
        XCTAssertEqual(try first.map { try $0.encoded() }, try ChangeFeed.compute(corpus.retailers).map { try $0.encoded() })
        XCTAssertEqual(try c.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM change") }, 2)
        // Mark what is kept: the next feed must serve it rather than compare again.
        try c.db.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT old, new, summary FROM change")
            for row in rows {
                var summary = try ChangeSummary.decoded(from: row[2])
                summary.added = 999_999
                try db.execute(sql: "UPDATE change SET summary = ? WHERE old = ? AND new = ?",
                               arguments: [try summary.encoded(), row[0] as Int64, row[1] as Int64])
            }
        }
        XCTAssertEqual(try catalog().changeFeed(corpus.retailers).map(\.added), [999_999, 999_999])
        // jamesallen 2019 edited: its pair is compared again, diamondnexus's still served.
        let james = dir.appendingPathComponent("jamesallen.com__2019-07-04.md")
        try Data((try String(contentsOf: james, encoding: .utf8) + "\n\nOne more sentence.\n").utf8).write(to: james)
        let next = try catalog()
        try next.refresh()
        let feed = try next.changeFeed(try next.corpus().retailers)
        XCTAssertEqual(feed.map(\.to), ["jamesallen.com@2019-07-04", "diamondnexus.com@2016-03-14"])
        XCTAssertNotEqual(feed[0].added, 999_999)
        XCTAssertEqual(feed[1].added, 999_999)
        XCTAssertEqual(try next.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM change") }, 2, "the stale pair went")
    }

    /// Two processes asking for a first feed at once: the second waits for the first and finds
    /// every pair kept, instead of comparing them all again.
    func testASecondFeedWaitsForTheFirstAndComparesNothing() throws {
        let first = try catalog(), second = try catalog()
        try first.refresh()
        let retailers = try first.corpus().retailers
        let firstHolds = DispatchSemaphore(value: 0), secondWaits = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var firstFeed: [ChangeSummary] = [], secondFeed: [ChangeSummary] = []
        nonisolated(unsafe) var secondProgress: [[Int]] = []
        DispatchQueue.global().async {
            // Holds the lock, before comparing anything, until the second is waiting for it.
            var once = true
            firstFeed = (try? first.changeFeed(retailers, progress: { _, _ in
                if once { once = false; firstHolds.signal(); _ = secondWaits.wait(timeout: .now() + 20) }
            })) ?? []
            done.signal()
        }
        firstHolds.wait()
        DispatchQueue.global().async {
            secondFeed = (try? second.changeFeed(retailers, progress: { secondProgress.append([$0, $1]) }, waiting: { secondWaits.signal() })) ?? []
            done.signal()
        }
        done.wait()
        done.wait()
        XCTAssertEqual(firstFeed.map(\.to), ["jamesallen.com@2019-07-04", "diamondnexus.com@2016-03-14"])
        XCTAssertEqual(try secondFeed.map { try $0.encoded() }, try firstFeed.map { try $0.encoded() })
        XCTAssertEqual(secondProgress, [[2, 2]], "every pair kept by the first")
    }

    /// A process killed after storing versions but before settling them (which file is each
    /// version, names, duplicates) leaves that said; the next refresh settles everything, with or
    /// without new files of its own to read.
    func testAnUnsettledCatalogIsSettledByTheNextRefresh() throws {
        for addFile in [false, true] {
            let c = try catalog()
            try c.refresh()
            try c.db.write { db in
                try db.execute(sql: "UPDATE document SET kept = 0; DELETE FROM retailer; DELETE FROM meta WHERE key = 'settled'")
            }
            if addFile {
                try FileManager.default.copyItem(at: Fixtures.sampleDir.appendingPathComponent("markdown/zales.com__2006-12-17.md"),
                                                 to: dir.appendingPathComponent("zales.com__2006-12-17.md"))
            }
            let (_, corpus) = try refreshed()
            assertSame(corpus, try CorpusLoader.load(directory: dir))
            XCTAssertEqual(corpus.retailer(domain: "jamesallen.com")?.name, "James Allen")
        }
    }

    func testAMissingFolderIsAnError() throws {
        let missing = dir.appendingPathComponent("no-such-folder")
        XCTAssertThrowsError(try CorpusLoader.load(directory: missing))
        XCTAssertThrowsError(try Catalog(source: .folder(missing), path: cachePath).refresh()) { error in
            XCTAssertTrue("\(error)".contains("is not a folder"), "\(error)")
        }
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
        // The catalog reads the same files.
        let (_, corpus) = try refreshed()
        assertSame(corpus, try CorpusLoader.load(directory: dir))
    }

    /// A linked file whose own file goes leaves its folder's time as it was: the next refresh still
    /// reports it (as a first load does), never drops it without a word.
    func testALinkWhoseFileWentIsReported() throws {
        let fm = FileManager.default
        let outside = Fixtures.temporaryDirectory()
        defer { try? fm.removeItem(at: outside) }
        let world = dir.appendingPathComponent("worldjewels.com__2016-11-24.txt")
        try fm.moveItem(at: world, to: outside.appendingPathComponent("wj.txt"))
        try fm.createSymbolicLink(at: world, withDestinationURL: outside.appendingPathComponent("wj.txt"))
        XCTAssertNotNil(try refreshed().1.retailer(domain: "worldjewels.com"))
        try fm.removeItem(at: outside.appendingPathComponent("wj.txt"))
        let (r, corpus) = try refreshed()
        XCTAssertEqual(r.removed, 0)
        XCTAssertNil(corpus.retailer(domain: "worldjewels.com"))
        XCTAssertTrue(corpus.warnings.contains { $0.path == world.path }, "\(corpus.warnings)")
        assertSame(corpus, try CorpusLoader.load(directory: dir))
        XCTAssertEqual(try refreshed().0, Catalog.Refresh(), "and then it is fresh")
    }

    func testAnotherBuildsCatalogIsNotRead() throws {
        XCTAssertEqual(try refreshed(producer: "build-1").0.parsed, 6)
        XCTAssertEqual(try refreshed(producer: "build-1").0.parsed, 0)
        XCTAssertEqual(try refreshed(producer: "build-2").0.parsed, 6, "a new parser reparses")
    }

    func testParsingIntoTheCatalogGivesTheSameCorpusAsParsingInMemory() throws {
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
        let (cold, streamed) = try refreshed()
        let (warm, again) = try refreshed()
        XCTAssertGreaterThan(cold.parsed, 0)
        XCTAssertEqual(warm.parsed, 0)
        assertSame(streamed, memory)
        assertSame(again, memory)
        XCTAssertTrue(memory.warnings.contains { $0.message.hasPrefix("duplicate of jamesallen.com@2010-12-31") })
        XCTAssertTrue(memory.warnings.contains { $0.path.hasSuffix("broken.md") })
        XCTAssertGreaterThanOrEqual(memory.retailers.count, 12)
        // The duplicate's original goes: the copy becomes the version.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("jamesallen.com__2010-12-31.md"))
        let (_, after) = try refreshed()
        assertSame(after, try CorpusLoader.load(directory: dir))
        XCTAssertEqual(after.document(id: "jamesallen.com@2010-12-31")?.sourcePath, dir.appendingPathComponent("zz-copy-of-jamesallen.md").path)
    }

    /// A writer leaves a mark of this boot; the next opening with no writer syncs the files and
    /// removes it. A mark of this boot (a writer killed, the machine still up) keeps the catalog; a
    /// mark of another boot (the machine stopped before the writes were synced) has it rebuilt.
    func testUnsyncedMarkOfAnotherBootRebuildsTheCatalog() throws {
        let mark = cachePath + Catalog.Unsynced.suffix
        let files = try refreshed().0.parsed
        XCTAssertGreaterThanOrEqual(files, 5)
        XCTAssertTrue(FileManager.default.fileExists(atPath: mark), "written, not yet synced")
        _ = try catalog()
        XCTAssertFalse(FileManager.default.fileExists(atPath: mark), "synced by the next opening")
        try Data((Catalog.Unsynced.boot + "\n").utf8).write(to: URL(fileURLWithPath: mark))
        XCTAssertEqual(try refreshed().0.parsed, 0, "this boot's mark: the catalog is kept")
        try Data("0b0d1e55-0000-4000-8000-000000000000\n".utf8).write(to: URL(fileURLWithPath: mark))
        let (refresh, corpus) = try refreshed()
        XCTAssertEqual(refresh.parsed, files, "another boot's mark: every file read again")
        assertSame(corpus, try CorpusLoader.load(directory: dir))
        XCTAssertEqual(try refreshed().0.parsed, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: mark))
    }

    func testGarbageCatalogIsRebuilt() throws {
        try FileManager.default.createDirectory(atPath: (cachePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: cachePath))
        let (_, corpus) = try refreshed()
        XCTAssertEqual(corpus.documents.count, 5)
        XCTAssertEqual(try refreshed().0.parsed, 0)
    }

    /// Two catalogs of one corpus refreshing at once (as two processes would): one reads, the other
    /// waits for it and then finds nothing to do; both serve the whole corpus.
    func testTwoRefreshesAtOnceBothServeTheCorpus() throws {
        let memory = try CorpusLoader.load(directory: dir)
        let results = Results()
        let (folder, path) = (dir!, cachePath!)
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            do {
                let c = try Catalog(source: .folder(folder), path: path)
                let r = try c.refresh()
                let corpus = try c.corpus()
                let hits = try c.searchIndex().search("eighteen").map(\.doc)
                results.add(k, (r.parsed, corpus.documents.map(\.id), hits))
            } catch {
                results.fail("\(error)")
            }
        }
        XCTAssertEqual(results.failures, [])
        XCTAssertEqual(results.values.map(\.1), [memory.documents.map(\.id), memory.documents.map(\.id)])
        XCTAssertEqual(results.values.map(\.2), [["jamesallen.com@2010-12-31"], ["jamesallen.com@2010-12-31"]])
        XCTAssertEqual(results.values.map(\.0).sorted(), [0, 6], "one read, the other waited and found it fresh")
    }

    final class Results: @unchecked Sendable {
        let lock = NSLock()
        var byKey: [Int: (Int, [String], [String])] = [:]
        var failures: [String] = []
        func add(_ k: Int, _ v: (Int, [String], [String])) { lock.withLock { byKey[k] = v } }
        func fail(_ s: String) { lock.withLock { failures.append(s) } }
        var values: [(Int, [String], [String])] { byKey.sorted { $0.key < $1.key }.map(\.value) }
    }
}
