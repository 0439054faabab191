import Foundation
import GRDB

/// The parsed corpus, kept between runs: reopening an unchanged corpus parses nothing.
///
/// Every source file's size and modification time (or, for git, its immutable `git:<commit>:<path>`
/// name) is recorded with the documents parsed from it. When every source is unchanged, the corpus
/// is rebuilt from the cached metadata alone and each version's sections are decoded from the cache
/// the first time something needs them, so start-up costs neither parsing nor memory for text nobody
/// reads. Any change (a file added, removed or touched) reparses the corpus: flat scrapes borrow
/// headings from every Markdown policy, so one changed file can change another's parse.
public final class DocumentCache: @unchecked Sendable {
    /// Bumped whenever the parsers' output or this schema changes; an older cache is ignored and rewritten.
    public static let schemaVersion = 2

    /// A source file's identity: its path and size/modification time (-1/0 for git blobs).
    public struct Stamp: Sendable, Equatable {
        public var path: String
        public var size: Int64
        public var mtime: Double
        public init(path: String, size: Int64, mtime: Double) {
            self.path = path
            self.size = size
            self.mtime = mtime
        }

        /// One stat(2) call (FileManager's attribute dictionaries cost ten times as much on 10 000 files).
        public static func of(_ path: String) -> Stamp {
            var st = stat()
            guard stat(path, &st) == 0 else { return Stamp(path: path, size: -1, mtime: 0) }
            return Stamp(path: path, size: Int64(st.st_size), mtime: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
        }
    }

    private let db: DatabaseQueue

    /// The cache file for a corpus: next to the search index of the same corpus.
    public static func path(for root: String) -> String {
        let index = SearchIndex.cachePath(for: root)
        return (index as NSString).deletingPathExtension + ".docs.sqlite"
    }

    /// `producer` names the program that parses (its build): a cache written by another build is
    /// ignored and rewritten, so a changed parser never serves stale documents.
    public init(path: String, producer: String = "") throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        do {
            db = try Self.openChecked(path, producer: producer)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            // Garbage or truncated: start again. (A busy cache, another redline writing it, is not deleted.)
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            db = try Self.openChecked(path, producer: producer)
        }
    }

    private static func openChecked(_ path: String, producer: String) throws -> DatabaseQueue {
        var configuration = SQLiteSetup.configuration()
        configuration.busyMode = .timeout(5)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        let stamp = "\(schemaVersion)|\(producer)"
        // Usually the cache is this build's: one read says so, without a write transaction.
        // (No table at all is an error here, not a match; garbage fails again in the write below.)
        func storedStamp(_ db: Database) throws -> String? {
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema'")
        }
        if (try? queue.read(storedStamp)) == stamp {
            return queue
        }
        try queue.write { db in
            let version = try db.tableExists("meta") ? try storedStamp(db) : nil
            if version != stamp {
                for table in ["meta", "source", "document", "retailer", "warning"] { try db.execute(sql: "DROP TABLE IF EXISTS \(table)") }
                try db.execute(sql: """
                    CREATE TABLE meta(key TEXT PRIMARY KEY, value);
                    CREATE TABLE source(path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime REAL NOT NULL);
                    CREATE TABLE document(path TEXT PRIMARY KEY, domain TEXT NOT NULL,
                        title TEXT NOT NULL, format TEXT NOT NULL, snapshotURL TEXT, archiveDate TEXT NOT NULL,
                        lastUpdated TEXT, caseFolded INTEGER NOT NULL, sections BLOB NOT NULL);
                    CREATE TABLE retailer(domain TEXT PRIMARY KEY, name TEXT NOT NULL);
                    CREATE TABLE warning(path TEXT NOT NULL, message TEXT NOT NULL);
                    """)
                try db.execute(sql: "INSERT INTO meta(key, value) VALUES('schema', ?)", arguments: [stamp])
            }
        }
        return queue
    }

    /// The cached corpus when `sources` are exactly the ones it was built from, unchanged; else nil.
    public func corpus(for sources: [Stamp], root: String) -> Corpus? {
        do {
            return try db.read { db -> Corpus? in
                var known: [String: (Int64, Double)] = [:]
                let sourceRows = try Row.fetchCursor(db, sql: "SELECT path, size, mtime FROM source")
                while let row = try sourceRows.next() { known[row[0]] = (row[1], row[2]) }
                guard known.count == sources.count, !sources.isEmpty else { return nil }
                for s in sources {
                    guard let k = known[s.path], k.0 == s.size, k.1 == s.mtime else { return nil }
                }
                var byDomain: [String: (name: String, versions: [PolicyDocument])] = [:]
                let names = try Row.fetchCursor(db, sql: "SELECT domain, name FROM retailer")
                while let row = try names.next() { byDomain[row[0]] = (row[1], []) }
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT path, domain, title, format, snapshotURL, archiveDate, lastUpdated, caseFolded FROM document
                    """)
                while let row = try rows.next() {
                    let path: String = row[0]
                    let doc = PolicyDocument(domain: row[1], title: row[2], format: SourceFormat(rawValue: row[3]) ?? .markdown,
                                             snapshotURL: row[4], archiveDate: row[5], lastUpdated: row[6], caseFolded: row[7],
                                             sourcePath: path, loader: { [self] in self.sections(of: path) })
                    let domain: String = row[1]
                    guard byDomain[domain] != nil else { return nil }   // a retailer without its name: not a cache we wrote
                    byDomain[domain]!.versions.append(doc)
                }
                byDomain = byDomain.filter { !$0.value.versions.isEmpty }
                let warnings = try Row.fetchAll(db, sql: "SELECT path, message FROM warning").map {
                    CorpusWarning(path: $0[0], message: $0[1])
                }
                // The loader's order (name, then domain), with each sort key computed once.
                let keyed = byDomain.map { (key: $0.value.name.lowercased(), domain: $0.key, value: $0.value) }
                    .sorted { ($0.key, $0.domain) < ($1.key, $1.domain) }
                let retailers = keyed.map { Retailer(domain: $0.domain, name: $0.value.name,
                                                     versions: $0.value.versions.sorted { $0.archiveDate < $1.archiveDate }) }
                return Corpus(retailers: retailers, warnings: warnings.sorted { $0.path < $1.path }, root: root)
            }
        } catch {
            return nil
        }
    }

    /// A cached document's sections (empty if the cache lost it). One statement, prepared once,
    /// in SQLite's own transaction: `read` would add four statements (a transaction, and the
    /// connection made read-only and back) to every document an index build loads.
    func sections(of path: String) -> [PolicySection] {
        guard let data = try? db.inDatabase({ db in
            try Data.fetchOne(db.cachedStatement(sql: "SELECT sections FROM document WHERE path = ?"), arguments: [path])
        }) else {
            return []
        }
        return (try? SectionCodec.decode(data)) ?? []
    }

    /// Replaces the cache with `corpus`, built from `sources`: the streamed rewrite's steps, all at once.
    public func store(_ corpus: Corpus, sources: [Stamp]) throws {
        try beginRewrite()
        let documents = corpus.documents
        for start in stride(from: 0, to: documents.count, by: 256) {
            try add(Array(documents[start..<min(start + 256, documents.count)]))
        }
        try finish(dropping: [], names: Dictionary(corpus.retailers.map { ($0.domain, $0.name) }, uniquingKeysWith: { a, _ in a }),
                   warnings: corpus.warnings, sources: sources)
    }
}

extension DocumentCache {
    /// Starts rewriting the cache piece by piece (`add`, then `finish`). Until `finish` writes the
    /// sources, the cache matches no corpus, so an interrupted rewrite is never served.
    func beginRewrite() throws {
        try db.write { db in
            for table in ["source", "document", "retailer", "warning"] { try db.execute(sql: "DELETE FROM \(table)") }
        }
    }

    /// Stores parsed documents (one transaction); their retailers' names come with `finish`.
    func add(_ documents: [PolicyDocument]) throws {
        let rows = documents.map { ($0, SectionCodec.encode($0.sections)) }
        try db.write { db in
            let document = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO document(path, domain, title, format, snapshotURL, archiveDate, lastUpdated, caseFolded, sections)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for (d, sections) in rows {
                try document.execute(arguments: [d.sourcePath, d.domain, d.title, d.format.rawValue, d.snapshotURL,
                                                 d.archiveDate, d.lastUpdated, d.caseFolded, sections])
            }
        }
    }

    /// Completes a rewrite: drops the documents not kept (duplicates), names the retailers (a table of
    /// their own: an UPDATE of the documents by domain rescanned every row, blobs and all, once per
    /// retailer, which made a cold 10 000-policy load quadratic), records the warnings and, last, the
    /// sources that make the cache valid.
    func finish(dropping dropped: [String], names: [String: String], warnings: [CorpusWarning], sources: [Stamp]) throws {
        try db.write { db in
            for path in dropped { try db.execute(sql: "DELETE FROM document WHERE path = ?", arguments: [path]) }
            let name = try db.makeStatement(sql: "INSERT OR REPLACE INTO retailer(domain, name) VALUES (?, ?)")
            for (domain, n) in names { try name.execute(arguments: [domain, n]) }
            let warning = try db.makeStatement(sql: "INSERT INTO warning(path, message) VALUES (?, ?)")
            for w in warnings { try warning.execute(arguments: [w.path, w.message]) }
            let source = try db.makeStatement(sql: "INSERT OR REPLACE INTO source(path, size, mtime) VALUES (?, ?, ?)")
            for s in sources { try source.execute(arguments: [s.path, s.size, s.mtime]) }
        }
    }

    /// The same document with its sections left in the cache until something reads them.
    func lazy(_ d: PolicyDocument) -> PolicyDocument {
        let path = d.sourcePath
        return PolicyDocument(domain: d.domain, title: d.title, format: d.format, snapshotURL: d.snapshotURL,
                              archiveDate: d.archiveDate, lastUpdated: d.lastUpdated, caseFolded: d.caseFolded,
                              sourcePath: path, loader: { [self] in self.sections(of: path) })
    }
}

extension CorpusLoader {
    /// Loads `directory`, from `cache` when nothing changed since it was stored (no parsing), else by
    /// parsing every file and refreshing the cache. A cache that cannot be written is only a lost speed-up.
    public static func load(directory: URL, cache: DocumentCache?, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Corpus {
        try requireFolder(directory)   // as without a cache: the streamed path would give an empty corpus
        let stamps = policyFiles(in: directory).map { DocumentCache.Stamp.of($0.path) }
        if let cache, let cached = cache.corpus(for: stamps, root: directory.path) { return cached }
        if let cache, let corpus = try? streamed(directory: directory, stamps: stamps, cache: cache, progress: progress) {
            return corpus
        }
        let corpus = try load(directory: directory, progress: progress)
        try? cache?.store(corpus, sources: stamps)
        return corpus
    }

    /// Parses `directory` into `cache` a chunk of files at a time, keeping only each version's
    /// metadata: the sections go to the cache and are read back when first needed. The corpus is
    /// the one `load(directory:)` gives (same retailers, names, versions, warnings) without ever
    /// holding the whole corpus's text. Throws if the cache cannot be written (the caller then
    /// parses in memory).
    static func streamed(directory: URL, stamps: [DocumentCache.Stamp], cache: DocumentCache,
                         progress: (@Sendable (Int, Int) -> Void)?) throws -> Corpus {
        let paths = stamps.map(\.path)
        return try streamed(sources: paths.map { StreamSource(path: $0, dateHint: nil) }, stamps: stamps, root: directory.path,
                            cache: cache, reportDuplicates: true, progress: progress) { orders in
            Parallel.map(orders) { order in Result { try readPolicyText(paths[order]) } }
        }
    }

    /// The streamed load of any sources: `read` gives the text of a chunk of them (by position in
    /// `sources`), a failure for each it cannot read. Markdown first (flat scrapes borrow its
    /// headings), then the flat scrapes, read a second time; 256 sources at a time, parsed on both
    /// cores. A second source of the same version is dropped, with a warning when
    /// `reportDuplicates` (a git history repeats snapshots as a matter of course: the first listed
    /// is kept silently).
    static func streamed(sources: [StreamSource], stamps: [DocumentCache.Stamp], root: String, cache: DocumentCache,
                         reportDuplicates: Bool, progress: (@Sendable (Int, Int) -> Void)?,
                         read: ([Int]) throws -> [Result<String, Error>]) throws -> Corpus {
        try cache.beginRewrite()
        let counter = ProgressCounter(total: sources.count, report: progress)
        var warnings: [CorpusWarning] = []
        var kept: [(order: Int, doc: PolicyDocument)] = []
        var evidence: [String: DisplayName.Evidence] = [:]   // by source path
        var flatOrders: [Int] = []
        var corpusHeadings = Set<String>()
        var byRetailer: [String: Set<String>] = [:]
        func take(_ orders: [Int], _ outcomes: [StreamOutcome], markdown: Bool) throws {
            var parsed: [PolicyDocument] = []
            for (order, outcome) in zip(orders, outcomes) {
                switch outcome {
                case .parsed(let doc, let e):
                    parsed.append(doc)
                    evidence[doc.sourcePath] = e
                    if markdown {
                        for key in doc.statedHeadingKeys {
                            corpusHeadings.insert(key)
                            byRetailer[doc.domain, default: []].insert(key)
                        }
                    }
                    kept.append((order, cache.lazy(doc)))
                case .flat: flatOrders.append(order)
                case .failed(let message): warnings.append(CorpusWarning(path: sources[order].path, message: message))
                }
            }
            try cache.add(parsed)
        }
        let chunk = 256
        for start in stride(from: 0, to: sources.count, by: chunk) {
            let orders = Array(start..<min(start + chunk, sources.count))
            let texts = try read(orders)
            let outcomes = Parallel.map(Array(zip(orders, texts))) { order, text -> StreamOutcome in
                let source = sources[order]
                let outcome: StreamOutcome
                do {
                    let text = try text.get()
                    if MarkdownPolicyParser.recognises(text) {
                        let (domain, date) = fileNameHints(source.path)
                        let doc = try MarkdownPolicyParser().parse(text, path: source.path, fallbackDomain: domain,
                                                                   fallbackDate: date ?? source.dateHint)
                        outcome = .parsed(doc, DisplayName.Evidence(domain: doc.domain, raw: text, doc: doc))
                    } else if FlatPolicyParser.recognises(text) {
                        return .flat   // counted when parsed, below
                    } else {
                        throw PolicyReadError.unrecognisedFormat
                    }
                } catch {
                    outcome = .failure(error)
                }
                counter.tick()
                return outcome
            }
            try take(orders, outcomes, markdown: true)
        }
        let knowledge = HeadingKnowledge(corpusHeadings: corpusHeadings)
        let headingsByRetailer = byRetailer
        for start in stride(from: 0, to: flatOrders.count, by: chunk) {
            let orders = Array(flatOrders[start..<min(start + chunk, flatOrders.count)])
            let texts = try read(orders)
            let outcomes = Parallel.map(Array(zip(orders, texts))) { order, text -> StreamOutcome in
                defer { counter.tick() }
                let source = sources[order]
                do {
                    let text = try text.get()
                    let (domain, date) = fileNameHints(source.path)
                    let urlDomain = flatDomain(text) ?? domain ?? ""
                    let parser = FlatPolicyParser(knowledge: knowledge, retailerHeadings: headingsByRetailer[urlDomain] ?? [])
                    let doc = try parser.parse(text, path: source.path, fallbackDomain: domain, fallbackDate: date ?? source.dateHint)
                    return .parsed(doc, DisplayName.Evidence(domain: doc.domain, raw: text, doc: doc))
                } catch {
                    return .failure(error)
                }
            }
            try take(orders, outcomes, markdown: false)
        }
        // Group into retailers in source order; a second source for the same version is skipped.
        var grouped: [String: [PolicyDocument]] = [:]
        var dropped: [String] = []
        for (_, doc) in kept.sorted(by: { $0.order < $1.order }) {
            if let existing = grouped[doc.domain]?.first(where: { $0.id == doc.id }) {
                if reportDuplicates {
                    warnings.append(CorpusWarning(path: doc.sourcePath,
                                                  message: "duplicate of \(doc.id) (already read from \(existing.sourcePath)); skipped"))
                }
                dropped.append(doc.sourcePath)
                continue
            }
            grouped[doc.domain, default: []].append(doc)
        }
        var names: [String: String] = [:]
        var retailers: [Retailer] = []
        for (domain, docs) in grouped {
            let name = DisplayName.name(domain: domain, evidence: docs.compactMap { evidence[$0.sourcePath] })
            names[domain] = name
            retailers.append(Retailer(domain: domain, name: name, versions: docs.sorted { $0.archiveDate < $1.archiveDate }))
        }
        retailers.sort { ($0.name.lowercased(), $0.domain) < ($1.name.lowercased(), $1.domain) }
        warnings.sort { $0.path < $1.path }
        try cache.finish(dropping: dropped, names: names, warnings: warnings, sources: stamps)
        var corpus = Corpus(retailers: retailers, warnings: warnings, root: root)
        corpus.parsedFiles = sources.count
        return corpus
    }

    /// A policy file's text, or why it cannot be read.
    static func readPolicyText(_ path: String) throws -> String {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw PolicyReadError.unreadable((error as NSError).localizedFailureReason ?? "permission denied or I/O error")
        }
        return try SourceText.decode(data)
    }
}

/// A source of `CorpusLoader.streamed`: its name and, for a git blob, its commit's date.
struct StreamSource: Sendable {
    var path: String
    var dateHint: String?
}

/// One file's fate in `CorpusLoader.streamed`.
enum StreamOutcome: Sendable {
    case parsed(PolicyDocument, DisplayName.Evidence)
    case flat
    case failed(String)

    static func failure(_ error: Error) -> StreamOutcome {
        .failed((error as? PolicyReadError)?.description ?? "\(error)")
    }

}
