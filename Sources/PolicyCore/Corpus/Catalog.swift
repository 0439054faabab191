import Foundation
import GRDB
import GRDBSQLite

/// The corpus catalog: one SQLite file per corpus that every command reads, and the only thing
/// that reads the policy files.
///
/// It holds each source file's identity (size, modification and change times; for git, its
/// immutable `git:<commit>:<path>` name), each parsed version (metadata, word and section counts;
/// its sections as compact bytes in a table of their own, so that reading every version's row
/// reads no sections), the retailers' display names, the files that could not be read,
/// and, beside them, the search index. A command asks it for what it prints: `list` the version
/// rows, `show` one version, `search` the index. Nothing is materialised that nobody reads.
///
/// Freshness: `refresh` compares the folder with what the catalog saw, one `stat` per directory
/// and one per file (both cores), and re-reads only what changed: files added, edited, removed,
/// replaced or made unreadable. A large folder gets a watcher (`FolderWatch`, inotify): while it
/// says nothing changed since this catalog was checked, no file is stat'ed. A git history is
/// compared by its HEAD alone, and new commits are read incrementally. Flat scrapes are parsed
/// with the headings of their retailer's Markdown policies (and the compiled-in
/// `HeadingKnowledge`): a flat version records which headings it was parsed with and is parsed
/// again only when they change.
///
/// Writers take an exclusive lock on `<catalog>.lock`; the file is in WAL mode, so readers never
/// wait, and a second process that finds the catalog stale waits for the first and then finds it
/// fresh. Every refresh is written in transactions that leave the catalog consistent: a process
/// killed half-way leaves work that the next one keeps, or redoes.
public final class Catalog: @unchecked Sendable {
    /// Bumped whenever the catalog's tables or the parsers' output change.
    public static let schemaVersion = 16

    public enum Source: Sendable {
        case folder(URL)
        case git(GitCorpusReader.Options)
    }

    /// What a refresh did.
    public struct Refresh: Sendable, Equatable {
        /// Files read and parsed.
        public var parsed = 0
        /// Files the catalog let go (removed, or no longer in the history).
        public var removed = 0
    }

    public let source: Source
    /// A name for the corpus: the folder, or the repository with its options.
    public let root: String
    /// The catalog file.
    public let path: String
    let db: DatabaseQueue
    /// A second connection, for reading versions' sections from other threads while `db` writes;
    /// opened when first needed (`search`, `list` never need it).
    private let reader: Reader
    private var index: SearchIndex?
    private let indexLock = NSLock()
    /// With a folder: ask its watcher, and start one (see `Watching`). Nil: stat every file.
    public var watching: Watching?
    /// Whether the last refresh took a watcher's word that nothing changed (no file was stat'ed).
    public private(set) var trustedWatcher = false

    /// The catalog file of a corpus: `$XDG_CACHE_HOME/redline/<name>-<hash of the path>.sqlite`.
    public static func path(for root: String, environment: [String: String]? = nil) -> String {
        SearchIndex.cachePath(for: root, environment: environment)
    }

    /// Opens (creating, or rebuilding when another build or schema wrote it) the catalog of `source`
    /// at `path`. It is not refreshed: call `refresh`.
    public init(source: Source, path: String, producer: String = "") throws {
        self.source = source
        self.root = Self.rootName(of: source)
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !FileSystem.isFolder(folder) { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        do {
            db = try Self.openChecked(path, producer: producer)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            // Garbage or truncated: start again. (A busy catalog, another redline writing it, is not deleted.)
            Self.removeFiles(path)
            db = try Self.openChecked(path, producer: producer)
        }
        reader = Reader(path: path)
    }

    /// Deletes the catalog's files (not its lock file).
    static func removeFiles(_ path: String) {
        for suffix in dataSuffixes { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// The suffixes of a catalog's files but its lock files.
    static let dataSuffixes = ["", "-wal", "-shm", "-journal", ".lengths", Unsynced.suffix]

    /// Removes a catalog's files and its lock files: for a catalog no other process knows (a
    /// temporary one, at exit). Others keep their lock files, which another process may hold.
    public static func removeFilesAndLocks(_ path: String) {
        for suffix in fileSuffixes { unlink(path + suffix) }
    }

    /// Every file a catalog at `path` may make, by its suffix.
    public static let fileSuffixes = dataSuffixes + [".lock", ".changes.lock"]

    /// The read-only connection of `reader`, opened once, by whichever thread first needs it.
    final class Reader: @unchecked Sendable {
        let path: String
        private let lock = NSLock()
        private var queue: DatabaseQueue?
        init(path: String) { self.path = path }

        func inDatabase<T>(_ body: (Database) throws -> T) throws -> T {
            try open().inDatabase(body)
        }

        private func open() throws -> DatabaseQueue {
            lock.lock()
            defer { lock.unlock() }
            if let queue { return queue }
            let opened = try SearchIndex.readOnlyQueue(path)
            queue = opened
            return opened
        }
    }

    public static func rootName(of source: Source) -> String {
        switch source {
        case .folder(let url):
            var root = url.path
            while root.count > 1, root.hasSuffix("/") { root.removeLast() }
            return root
        case .git(let options): return GitCorpusReader.root(options)
        }
    }

    private static func stamp(producer: String) -> String { "\(schemaVersion).\(SearchIndex.schemaVersion)|\(producer)" }

    private static func openChecked(_ path: String, producer: String) throws -> DatabaseQueue {
        Unsynced.settle(path)
        var configuration = SearchIndex.configuration()
        configuration.busyMode = .timeout(60)
        // Writes are not synced as they go (`Unsynced`).
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = OFF") }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        let stamp = Self.stamp(producer: producer)
        func stored(_ db: Database) throws -> String? {
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'catalog'")
        }
        // Usually the catalog is this build's: one read says so.
        if (try? queue.read(stored)) == stamp { return queue }
        try withLock(path) {
            _ = try queue.inDatabase { db -> String? in
                // 16 kB pages for a new file (an existing one keeps its own): a cold build writes
                // its pages twice (the log, then the checkpoint), a system call per page each way.
                try db.execute(sql: "PRAGMA page_size = 16384")
                return try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            }
            try queue.write { db in
                if try db.tableExists("meta"), try stored(db) == stamp { return }
                try db.execute(sql: "DROP VIEW IF EXISTS clause_content; DROP VIEW IF EXISTS version")
                for table in ["clause_fts", "clause", "file", "meta", "dir", "source", "document", "body", "retailer", "warning", "change"] {
                    try db.execute(sql: "DROP TABLE IF EXISTS \(table)")
                }
                try db.execute(sql: """
                    CREATE TABLE meta(key TEXT PRIMARY KEY, value);
                    CREATE TABLE dir(path TEXT PRIMARY KEY, mtime REAL NOT NULL);
                    CREATE TABLE source(path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime REAL NOT NULL,
                        ctime REAL NOT NULL, ord INTEGER NOT NULL, date TEXT);
                    CREATE TABLE document(id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL UNIQUE,
                        doc TEXT NOT NULL, domain TEXT NOT NULL, title TEXT NOT NULL, format TEXT NOT NULL,
                        snapshotURL TEXT, archiveDate TEXT NOT NULL, lastUpdated TEXT, caseFolded INTEGER NOT NULL,
                        sections INTEGER NOT NULL, words INTEGER NOT NULL, ord INTEGER NOT NULL,
                        headings TEXT, knowledge INTEGER, urlDomain TEXT, kept INTEGER NOT NULL DEFAULT 0,
                        evidence TEXT NOT NULL);
                    CREATE TABLE body(id INTEGER PRIMARY KEY, data BLOB NOT NULL);
                    CREATE TRIGGER document_body AFTER DELETE ON document BEGIN DELETE FROM body WHERE id = old.id; END;
                    CREATE INDEX document_doc ON document(doc);
                    CREATE INDEX document_domain ON document(domain);
                    CREATE INDEX document_kept ON document(path, id, doc, domain, kept) WHERE kept;
                    CREATE TABLE retailer(domain TEXT PRIMARY KEY, name TEXT NOT NULL, sortkey TEXT NOT NULL);
                    CREATE INDEX retailer_order ON retailer(sortkey, domain, name);
                    CREATE TABLE warning(path TEXT PRIMARY KEY, message TEXT NOT NULL, skipped INTEGER NOT NULL DEFAULT 1);
                    CREATE TABLE change(old INTEGER NOT NULL, new INTEGER NOT NULL, format INTEGER NOT NULL,
                        summary BLOB NOT NULL, PRIMARY KEY(old, new));
                    CREATE VIEW version AS SELECT d.* FROM document d WHERE NOT EXISTS (
                        SELECT 1 FROM document e WHERE e.doc = d.doc AND (e.ord < d.ord OR (e.ord = d.ord AND e.path < d.path)));
                    """)
                try SearchIndex.createSchema(db, producer: producer)
                try db.execute(sql: "INSERT INTO meta(key, value) VALUES('catalog', ?)", arguments: [stamp])
            }
        }
        return queue
    }

    // MARK: - Freshness

    /// A file's identity as the catalog records it.
    struct Stamp: Equatable, Sendable {
        var size: Int64
        var mtime: Double
        var ctime: Double
        static let missing = Stamp(size: -1, mtime: 0, ctime: 0)

        /// One stat(2) of the whole path; `missing` for anything but a regular file.
        static func of(_ path: String) -> Stamp {
            var st = stat()
            guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return .missing }
            return Stamp(st)
        }

        /// The stamps of files given in path order, on every core, each folder opened once and
        /// its files stat'ed by name (fstatat(2): no walk of the whole path per file).
        static func of(sorted paths: [String]) -> [Stamp] {
            nonisolated(unsafe) let out = UnsafeMutableBufferPointer<Stamp>.allocate(capacity: paths.count)
            defer { out.deallocate() }
            let parts = max(1, min(Parallel.cores, paths.count / 256))
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                var folder = "", fd: Int32 = -1
                defer { if fd >= 0 { close(fd) } }
                for k in (paths.count * part / parts)..<(paths.count * (part + 1) / parts) {
                    let path = paths[k]
                    // By bytes: `lastIndex(of: Character)` walks graphemes backwards, and was most of a warm `show`.
                    guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { out[k] = .of(path); continue }
                    let dir = Substring(path.utf8[..<slash])
                    if dir != folder {
                        if fd >= 0 { close(fd) }
                        folder = String(dir)
                        fd = open(dir.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                    }
                    var st = stat()
                    if fd >= 0, fstatat(fd, String(Substring(path.utf8[path.utf8.index(after: slash)...])), &st, 0) == 0,
                       (st.st_mode & S_IFMT) == S_IFREG {
                        out[k] = Stamp(st)
                    } else {
                        out[k] = .missing
                    }
                }
            }
            return Array(out)
        }

        init(size: Int64, mtime: Double, ctime: Double) {
            self.size = size
            self.mtime = mtime
            self.ctime = ctime
        }

        init(_ st: stat) {
            size = Int64(st.st_size)
            mtime = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
            ctime = Double(st.st_ctim.tv_sec) + Double(st.st_ctim.tv_nsec) / 1e9
        }
    }

    /// Brings the catalog up to date with its source, reading only what changed. `progress(done,
    /// total)` is called while files are parsed.
    @discardableResult
    public func refresh(progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Refresh {
        switch source {
        case .folder(let url):
            try CorpusLoader.requireFolder(url)
            let answer = watching == nil ? nil : FolderWatch.ask(catalog: path)
            if let answer, answer.clean, try meta("watch") == answer.id, try isSettled() {
                trustedWatcher = true
                return Refresh()
            }
            let refresh = try refreshFolder(progress: progress)
            if let answer {
                // Every file was checked after the watcher answered: from now on its word is enough.
                if try meta("watch") != answer.id { try Self.withLock(path) { try db.write { try setMeta("watch", answer.id, in: $0) } } }
                FolderWatch.checked(answer.generation, catalog: path)
            } else if let watching, try db.read({ try Int.fetchOne($0, sql: "SELECT count(*) FROM source") ?? 0 }) >= watching.minimumFiles {
                watching.start(Self.rootName(of: source), path)
            }
            return refresh
        case .git(let options):
            let head = try GitCorpusReader.head(of: options.repository)
            if try meta("head") == head, try isSettled() { return Refresh() }
            return try Self.withLock(path) {
                if try meta("head") == head {
                    if try !isSettled() { try finish(reportDuplicates: false, everything: true) { _ in } }
                    return Refresh()
                }
                defer { checkpoint() }
                return try applyGit(options, head: head, progress: progress)
            }
        }
    }

    private func refreshFolder(progress: (@Sendable (Int, Int) -> Void)?) throws -> Refresh {
        if try folderPlan() == nil, try isSettled() { return Refresh() }
        return try Self.withLock(path) {
            guard let plan = try folderPlan() else {
                if try !isSettled() { try finish(reportDuplicates: true, everything: true) { _ in } }
                return Refresh()
            }
            defer { checkpoint() }
            return try apply(plan, progress: progress)
        }
    }

    /// How a folder's catalog keeps a watcher (`FolderWatch`) so that warm commands need not stat
    /// every file: started, when none answers, for folders of at least `minimumFiles` files.
    public struct Watching: Sendable {
        public var minimumFiles: Int
        /// Starts a watcher of a folder (its path) for a catalog (its path).
        public var start: @Sendable (String, String) -> Void
        public init(minimumFiles: Int, start: @escaping @Sendable (String, String) -> Void) {
            self.minimumFiles = minimumFiles
            self.start = start
        }
    }

    /// What a refresh of a folder must do.
    struct Plan {
        /// Files to read, with their stamps.
        var read: [(path: String, stamp: Stamp)] = []
        /// Files gone.
        var removed: [String] = []
        /// The folders and their modification times, when they were walked.
        var dirs: [(String, Double)]?
    }

    /// nil when the catalog is up to date with the folder.
    func folderPlan() throws -> Plan? {
        guard case .folder(let url) = source else { return nil }
        let (knownDirs, knownPaths, knownStamps) = try db.read { db -> ([(String, Double)], [String], [Stamp]) in
            let dirs = try Row.fetchAll(db, sql: "SELECT path, mtime FROM dir").map { ($0[0] as String, $0[1] as Double) }
            var paths: [String] = [], stamps: [Stamp] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT path, size, mtime, ctime FROM source ORDER BY path")
            while let row = try rows.next() {
                paths.append(row[0])
                stamps.append(Stamp(size: row[1], mtime: row[2], ctime: row[3]))
            }
            return (dirs, paths, stamps)
        }
        // The folders first: a file added, removed or renamed changes its folder's time, and then
        // the folder is listed again. Otherwise the files are the ones the catalog knows.
        let sameDirs = !knownDirs.isEmpty && knownDirs.allSatisfy { dir, mtime in
            var st = stat()
            return stat(dir, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
                && Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9 == mtime
        }
        var plan = Plan()
        if sameDirs {
            // One stat per file, in place: the files are in path order, so in runs of one folder.
            for (k, stamp) in Stamp.of(sorted: knownPaths).enumerated() where stamp != knownStamps[k] {
                // Gone from an unchanged folder, yet still an entry: a link whose file went. Read, it
                // is reported, as the listing of a changed folder reports it.
                var entry = stat()
                if stamp == .missing, lstat(knownPaths[k], &entry) != 0 { plan.removed.append(knownPaths[k]) } else { plan.read.append((knownPaths[k], stamp)) }
            }
            return plan.read.isEmpty && plan.removed.isEmpty ? nil : plan
        }
        let listing = CorpusLoader.listing(of: url)
        plan.dirs = listing.dirs
        var known: [String: Stamp] = [:]
        for (path, stamp) in zip(knownPaths, knownStamps) { known[path] = stamp }
        let stamps = Stamp.of(sorted: listing.files)
        var present = Set<String>()
        for (path, stamp) in zip(listing.files, stamps) {
            present.insert(path)
            if known[path] != stamp { plan.read.append((path, stamp)) }
        }
        plan.removed = knownPaths.filter { !present.contains($0) }
        if plan.read.isEmpty, plan.removed.isEmpty, listing.dirs.elementsEqual(knownDirs, by: ==) { return nil }
        return plan
    }

    private func apply(_ plan: Plan, progress: (@Sendable (Int, Int) -> Void)?) throws -> Refresh {
        let unsettled = try !isSettled()   // a killed refresh's versions, which no one has settled
        try forget(plan.removed)
        let sources = plan.read.map { Ingest.Source(path: $0.path, stamp: $0.stamp, ord: 0, dateHint: nil) }
        let parsed = try ingest(sources, checkAllFlat: unsettled, progress: progress) { order in
            Parallel.map(order) { source in Result { try CorpusLoader.readPolicyText(source.path) } }
        }
        try finish(reportDuplicates: true, everything: unsettled) { db in
            if let dirs = plan.dirs {
                try db.execute(sql: "DELETE FROM dir")
                let insert = try db.makeStatement(sql: "INSERT INTO dir(path, mtime) VALUES (?, ?)")
                for (dir, mtime) in dirs { try insert.execute(arguments: [dir, mtime]) }
            }
        }
        return Refresh(parsed: parsed, removed: plan.removed.count)
    }

    private func applyGit(_ options: GitCorpusReader.Options, head: String, progress: (@Sendable (Int, Int) -> Void)?) throws -> Refresh {
        let last = try meta("head")
        let unsettled = try !isSettled()
        var removed = 0
        var changes: [GitCorpusReader.Change]
        if let last, try GitCorpusReader.isAncestor(last, of: head, in: options.repository) {
            changes = try GitCorpusReader.changes(options, after: last)
        } else {
            // A first read, or a history rewritten: everything again.
            let all = try db.read { try String.fetchAll($0, sql: "SELECT path FROM source") }
            try forget(all)
            removed = all.count
            changes = try GitCorpusReader.changes(options)
        }
        // Newest first, before every version already read.
        let first = try db.read { try Int.fetchOne($0, sql: "SELECT MIN(ord) FROM source") } ?? 0
        let known = Set(try db.read { try String.fetchAll($0, sql: "SELECT path FROM source") })
        changes.removeAll { known.contains(GitCorpusReader.sourcePath($0)) }
        let sources = changes.enumerated().map { k, change in
            Ingest.Source(path: GitCorpusReader.sourcePath(change), stamp: .missing, ord: first - changes.count + k, dateHint: change.date)
        }
        let byPath = Dictionary(changes.map { (GitCorpusReader.sourcePath($0), $0) }, uniquingKeysWith: { a, _ in a })
        let parsed = try ingest(sources, checkAllFlat: unsettled || removed > 0, progress: progress) { order in
            let blobs = try GitCorpusReader.blobs(order.map { byPath[$0.path]! }, in: options.repository)
            return blobs.map { data -> Result<(text: String, replacedBytes: Int), Error> in
                guard let data else { return .failure(GitCorpusReader.UnreadableBlob()) }
                return Result { try SourceText.decodeCountingReplacements(data) }
            }
        }
        try finish(reportDuplicates: false, everything: unsettled || removed > 0) { db in
            try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES('head', ?)", arguments: [head])
        }
        return Refresh(parsed: parsed, removed: removed)
    }

    /// Drops files' versions, sources and warnings.
    private func forget(_ paths: [String]) throws {
        guard !paths.isEmpty else { return }
        try db.write { db in
            try touch(paths, in: db)
            for table in ["document", "source", "warning"] {
                let statement = try db.makeStatement(sql: "DELETE FROM \(table) WHERE path = ?")
                for path in paths { try statement.execute(arguments: [path]) }
            }
            try setMeta("indexed", nil, in: db)
        }
    }

    // MARK: - Reading and parsing

    enum Ingest {
        struct Source: Sendable {
            var path: String
            var stamp: Stamp
            var ord: Int
            var dateHint: String?
        }
    }

    /// Parses `sources` into the catalog, Markdown first (flat scrapes are parsed with its headings),
    /// 256 files at a time on every core, each chunk in one transaction with its sources' stamps.
    /// Flat versions parsed earlier with other headings than the corpus has now are parsed again.
    /// Returns how many files were read.
    private func ingest(_ sources: [Ingest.Source], checkAllFlat: Bool, progress: (@Sendable (Int, Int) -> Void)?,
                        read: @escaping ([Ingest.Source]) throws -> [Result<(text: String, replacedBytes: Int), Error>]) throws -> Int {
        let counter = ProgressCounter(total: sources.count, report: progress)
        var flat: [Ingest.Source] = []
        let chunk = 256
        // Each chunk is stored on a thread of its own while the next one is read and parsed: the
        // writer's transaction no longer leaves the other core idle. One store at most is behind,
        // and each waits for the one before (chunks are stored in order).
        var behind: Background<Void>?
        defer { try? behind?.wait() }
        for start in stride(from: 0, to: sources.count, by: chunk) {
            let part = Array(sources[start..<min(start + chunk, sources.count)])
            let texts = try read(part)
            let outcomes = Parallel.map(Array(zip(part, texts)), cost: Self.readCost) { source, text -> Outcome in
                do {
                    let (text, replaced) = try text.get()
                    if MarkdownPolicyParser.recognises(text) {
                        defer { counter.tick() }
                        let (domain, date) = CorpusLoader.fileNameHints(source.path)
                        let doc = try MarkdownPolicyParser().parse(text, path: source.path, fallbackDomain: domain,
                                                                   fallbackDate: date ?? source.dateHint)
                        return .parsed(Parsed(doc, raw: text, headings: doc.statedHeadingKeys, knowledge: nil, urlDomain: nil,
                                              replacedBytes: replaced))
                    } else if FlatPolicyParser.recognises(text) {
                        return .flat   // parsed once every Markdown version is in (read again then)
                    }
                    throw PolicyReadError.unrecognisedFormat
                } catch {
                    counter.tick()
                    return .failed((error as? PolicyReadError)?.description ?? "\(error)")
                }
            }
            var rows: [(Ingest.Source, Outcome)] = []
            for (source, outcome) in zip(part, outcomes) {
                if case .flat = outcome { flat.append(source) } else { rows.append((source, outcome)) }
            }
            try behind?.wait()
            let parsed = rows
            behind = Background { try self.store(parsed, stampsToo: parsed.map(\.0)) }
        }
        try behind?.wait()
        behind = nil
        // The headings the flat scrapes are parsed with, and the flat versions parsed with others.
        // Only the same retailer's headings matter; the rest of the corpus plays no part.
        // Which retailers' headings to read: every one when flat files are read (their retailers
        // are known only once read) or when a killed refresh may have left any flat version behind;
        // else only those of the retailers this refresh touched (a git commit of Markdown policies
        // reads no other retailer's headings).
        let domains: Set<String>? = !flat.isEmpty || checkAllFlat ? nil : touched.domains
        let byRetailer = try retailerHeadings(domains)
        let knowledge = HeadingKnowledge.builtIn
        let stale = try db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT d.path, d.knowledge, d.urlDomain, s.size, s.mtime, s.ctime, s.ord, s.date
                FROM document d JOIN source s ON s.path = d.path WHERE d.format = 'flat'
                """).compactMap { row -> Ingest.Source? in
                let urlDomain: String = row[2] ?? ""
                if let domains, !domains.contains(urlDomain) { return nil }
                let print = Self.fingerprint(byRetailer[urlDomain] ?? [])
                guard (row[1] as Int64?) != print else { return nil }
                return Ingest.Source(path: row[0], stamp: Stamp(size: row[3], mtime: row[4], ctime: row[5]), ord: row[6], dateHint: row[7])
            }
        }
        let pending = Set(flat.map(\.path))
        flat += stale.filter { !pending.contains($0.path) }
        flat.sort { $0.path < $1.path }
        let flatCounter = stale.isEmpty ? counter : ProgressCounter(total: sources.count + stale.count, report: progress)
        for start in stride(from: 0, to: flat.count, by: chunk) {
            let part = Array(flat[start..<min(start + chunk, flat.count)])
            let texts = try read(part)
            let outcomes = Parallel.map(Array(zip(part, texts)), cost: Self.readCost) { source, text -> Outcome in
                defer { flatCounter.tick() }
                do {
                    let (text, replaced) = try text.get()
                    let (domain, date) = CorpusLoader.fileNameHints(source.path)
                    let urlDomain = CorpusLoader.flatDomain(text) ?? domain ?? ""
                    let parser = FlatPolicyParser(knowledge: knowledge, retailerHeadings: byRetailer[urlDomain] ?? [])
                    let doc = try parser.parse(text, path: source.path, fallbackDomain: domain, fallbackDate: date ?? source.dateHint)
                    let print = Self.fingerprint(byRetailer[urlDomain] ?? [])
                    return .parsed(Parsed(doc, raw: text, headings: nil, knowledge: print, urlDomain: urlDomain, replacedBytes: replaced))
                } catch {
                    return .failed((error as? PolicyReadError)?.description ?? "\(error)")
                }
            }
            try behind?.wait()
            behind = Background { try self.store(Array(zip(part, outcomes)), stampsToo: part) }
        }
        try behind?.wait()
        behind = nil
        return sources.count + stale.count
    }

    /// A file's parsing cost, for `Parallel.map` to start the longest first: its text's length
    /// (a failed read costs nothing).
    private static func readCost(_ item: (Ingest.Source, Result<(text: String, replacedBytes: Int), Error>)) -> Int {
        (try? item.1.get().text.utf8.count) ?? 0
    }

    /// A parsed version with what the catalog keeps beside it.
    struct Parsed: Sendable {
        var doc: PolicyDocument
        var headings: [String]?
        var knowledge: Int64?
        var urlDomain: String?
        var evidence: DisplayName.Evidence
        var words: Int
        var sections: Int
        var body: Data
        /// Bytes of invalid UTF-8 the file's text replaced (a warning; the version still loads).
        var replacedBytes: Int
        init(_ doc: PolicyDocument, raw: String, headings: [String]?, knowledge: Int64?, urlDomain: String?, replacedBytes: Int = 0) {
            self.replacedBytes = replacedBytes
            self.doc = doc
            self.headings = headings
            self.knowledge = knowledge
            self.urlDomain = urlDomain
            evidence = DisplayName.Evidence(domain: doc.domain, raw: raw, doc: doc)
            words = doc.wordCount
            sections = doc.allSections.filter { !$0.isPreamble }.count
            body = SectionCompression.compress(SectionCodec.encode(doc.sections))
        }
    }

    enum Outcome: Sendable {
        case parsed(Parsed)
        case flat
        case failed(String)
    }

    /// One transaction: the versions parsed, the warnings of the files that failed, and the stamps
    /// of `stampsToo` (the files now read, whatever became of them).
    private func store(_ rows: [(Ingest.Source, Outcome)], stampsToo: [Ingest.Source]) throws {
        try db.write { db in
            let deleteDocument = try db.cachedStatement(sql: "DELETE FROM document WHERE path = ?")
            let deleteWarning = try db.cachedStatement(sql: "DELETE FROM warning WHERE path = ?")
            let insertDocument = try db.cachedStatement(sql: """
                INSERT INTO document(path, doc, domain, title, format, snapshotURL, archiveDate, lastUpdated, caseFolded,
                    sections, words, ord, headings, knowledge, urlDomain, evidence)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let insertBody = try db.cachedStatement(sql: "INSERT INTO body(id, data) VALUES (last_insert_rowid(), ?)")
            let insertWarning = try db.cachedStatement(sql: "INSERT OR REPLACE INTO warning(path, message) VALUES (?, ?)")
            let insertNote = try db.cachedStatement(sql: "INSERT OR REPLACE INTO warning(path, message, skipped) VALUES (?, ?, 0)")
            try touch(rows.map(\.0.path), in: db)
            for (source, outcome) in rows {
                if case .parsed(let p) = outcome { touched.docs.insert(p.doc.id); touched.domains.insert(p.doc.domain) }
                try deleteDocument.execute(arguments: [source.path])
                try deleteWarning.execute(arguments: [source.path])
                switch outcome {
                case .parsed(let p):
                    let d = p.doc
                    try insertDocument.execute(arguments: [
                        source.path, d.id, d.domain, d.title, d.format.rawValue, d.snapshotURL, d.archiveDate, d.lastUpdated,
                        d.caseFolded, p.sections, p.words, source.ord, p.headings?.joined(separator: "\n"), p.knowledge,
                        p.urlDomain, p.evidence.encoded])
                    try insertBody.execute(arguments: [p.body])
                    if p.replacedBytes > 0 {
                        try insertNote.execute(arguments: [source.path, SourceText.replacementNote(p.replacedBytes)])
                    }
                case .failed(let message):
                    try insertWarning.execute(arguments: [source.path, message])
                case .flat:
                    break
                }
            }
            let insertSource = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO source(path, size, mtime, ctime, ord, date) VALUES (?, ?, ?, ?, ?, ?)
                """)
            for s in stampsToo {
                try insertSource.execute(arguments: [s.path, s.stamp.size, s.stamp.mtime, s.stamp.ctime, s.ord, s.dateHint])
            }
            try setMeta("indexed", nil, in: db)
        }
    }

    /// The headings of each retailer's Markdown versions (by domain): a flat scrape of the same
    /// retailer is parsed with them.
    private func retailerHeadings(_ domains: Set<String>? = nil) throws -> [String: Set<String>] {
        var byRetailer: [String: Set<String>] = [:]
        try db.read { db in
            func add(_ rows: RowCursor) throws {
                while let row = try rows.next() {
                    let domain: String = row[0]
                    let keys: String = row[1]
                    for key in keys.split(separator: "\n") { byRetailer[domain, default: []].insert(String(key)) }
                }
            }
            guard let domains else {
                return try add(Row.fetchCursor(db, sql: "SELECT domain, headings FROM document WHERE headings IS NOT NULL"))
            }
            let statement = try db.makeStatement(sql: "SELECT domain, headings FROM document WHERE headings IS NOT NULL AND domain = ?")
            for domain in domains { try add(Row.fetchCursor(statement, arguments: [domain])) }
        }
        return byRetailer
    }

    /// An order-independent hash of a set of headings (FNV-1a of each, summed).
    static func fingerprint(_ keys: Set<String>) -> Int64 {
        var sum: UInt64 = UInt64(keys.count)
        for key in keys { sum &+= ByteInterner.fnv1a(key.utf8) }
        return Int64(bitPattern: sum)
    }

    /// The versions and retailers a refresh changed, for `finish`: ids and domains of the versions
    /// read, re-read or dropped. Only touched within a refresh, under the writers' lock.
    private var touched = (docs: Set<String>, domains: Set<String>)([], [])

    /// Notes the versions now at `paths` as touched, and the catalog as not settled (in the same
    /// transaction: a process killed before `finish` leaves that said, and the next one settles all).
    private func touch(_ paths: [String], in db: Database) throws {
        let statement = try db.cachedStatement(sql: "SELECT doc, domain FROM document WHERE path = ?")
        for path in paths {
            if let row = try Row.fetchOne(statement, arguments: [path]) {
                touched.docs.insert(row[0])
                touched.domains.insert(row[1])
            }
        }
        try setMeta("settled", nil, in: db)
    }

    func isSettled() throws -> Bool { try meta("settled") == "yes" }

    /// After versions changed: which file is each version (the first of a version's files by
    /// order, then path), the duplicates reported (a folder's; a git history repeats snapshots as a
    /// matter of course), the retailers' names from their versions' evidence, and `more`, in one
    /// transaction. Only for the versions and retailers touched, unless `everything` (a new or
    /// rewritten catalog, or one a killed process left unsettled).
    private func finish(reportDuplicates: Bool, everything: Bool, _ more: (Database) throws -> Void) throws {
        defer { touched = ([], []) }
        let all = everything || touched.docs.count > 2_000
        try db.write { db in
            if all {
                try db.execute(sql: "UPDATE document SET kept = (id IN (SELECT id FROM version))")
                try db.execute(sql: "DELETE FROM warning WHERE message LIKE 'duplicate of %'")
            } else {
                let keep = try db.makeStatement(sql: "UPDATE document SET kept = (id IN (SELECT id FROM version WHERE doc = ?1)) WHERE doc = ?1")
                let clear = try db.makeStatement(sql: """
                    DELETE FROM warning WHERE message LIKE 'duplicate of %' AND path IN (SELECT path FROM document WHERE doc = ?)
                    """)
                for doc in touched.docs {
                    try keep.execute(arguments: [doc])
                    try clear.execute(arguments: [doc])
                }
            }
            if reportDuplicates {
                let duplicates = """
                    INSERT OR REPLACE INTO warning(path, message)
                    SELECT d.path, 'duplicate of ' || d.doc || ' (the same retailer and date as ' || v.path || ', which is read instead)'
                    FROM document d JOIN document v ON v.doc = d.doc AND v.kept AND v.path != d.path
                    """
                if all {
                    try db.execute(sql: duplicates)
                } else {
                    let statement = try db.makeStatement(sql: duplicates + " WHERE d.doc = ?")
                    for doc in touched.docs { try statement.execute(arguments: [doc]) }
                }
            }
            // Names, from the evidence of each retailer's versions.
            var evidence: [String: [DisplayName.Evidence]] = [:]
            if all {
                let rows = try Row.fetchCursor(db, sql: "SELECT domain, evidence FROM document WHERE kept")
                while let row = try rows.next() { evidence[row[0], default: []].append(DisplayName.Evidence(encoded: row[1])) }
            } else {
                let statement = try db.makeStatement(sql: "SELECT evidence FROM document WHERE kept AND domain = ?")
                for domain in touched.domains {
                    evidence[domain] = try String.fetchAll(statement, arguments: [domain]).map { DisplayName.Evidence(encoded: $0) }
                }
            }
            // Each with its place in the retailer list (`sortkey`), which the browser reads in order.
            var names: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT domain, name FROM retailer") { names[row[0]] = row[1] }
            let write = try db.makeStatement(sql: "INSERT OR REPLACE INTO retailer(domain, name, sortkey) VALUES (?, ?, ?)")
            for (domain, e) in evidence where !e.isEmpty {
                let name = DisplayName.name(domain: domain, evidence: e)
                if names[domain] != name { try write.execute(arguments: [domain, name, Self.sortKey(name)]) }
            }
            for domain in names.keys where (all || touched.domains.contains(domain)) && (evidence[domain] ?? []).isEmpty {
                try db.execute(sql: "DELETE FROM retailer WHERE domain = ?", arguments: [domain])
            }
            // A version read again is a new row: the comparisons kept for its old row go.
            try db.execute(sql: "DELETE FROM change WHERE old NOT IN (SELECT id FROM document WHERE kept) "
                           + "OR new NOT IN (SELECT id FROM document WHERE kept)")
            try more(db)
            try setMeta("settled", "yes", in: db)
        }
    }

    // MARK: - Reading the catalog

    func meta(_ key: String) throws -> String? {
        try db.read { try String.fetchOne($0, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) }
    }

    private func setMeta(_ key: String, _ value: String?, in db: Database) throws {
        if let value {
            try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", arguments: [key, value])
        } else {
            try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [key])
        }
    }

    /// One version as `list` shows it.
    public struct VersionRow: Sendable {
        public var id, date, format: String
        public var sections, words: Int
        public var lastUpdated, snapshotURL: String?
    }

    /// A retailer and its versions, by date.
    public struct RetailerRow: Sendable {
        public var domain, name: String
        public var versions: [VersionRow]
    }

    /// Every retailer with its versions, by retailer name (then domain), each by date.
    public func versions() throws -> [RetailerRow] {
        try db.read { db in
            // The table read in its own order, grouped by domain here: walked by the domain index,
            // each row was a page read of its own (39 500 reads for a 42 000-version history, against
            // 9 600); sorted by SQL it spilled to a temporary file, and joined to the retailers it
            // looked up each row's name.
            var retailers: [RetailerRow] = []
            var index: [TextBytes: Int] = [:]   // (domains compared as SQLite compares them: by bytes)
            try Self.eachRow(db, sql: "SELECT domain, name FROM retailer") { row in
                index[TextBytes(row.text(0) ?? "")] = retailers.count
                retailers.append(RetailerRow(domain: row.text(0) ?? "", name: row.text(1) ?? "", versions: []))
            }
            try Self.eachRow(db, sql: """
                SELECT domain, doc, archiveDate, format, sections, words, lastUpdated, snapshotURL FROM document NOT INDEXED WHERE kept
                """) { row in
                let domain = row.text(0) ?? ""
                let version = VersionRow(id: row.text(1) ?? "", date: row.text(2) ?? "", format: row.text(3) ?? "",
                                         sections: row.int(4), words: row.int(5), lastUpdated: row.text(6), snapshotURL: row.text(7))
                if let r = index[TextBytes(domain)] {
                    retailers[r].versions.append(version)
                } else {
                    index[TextBytes(domain)] = retailers.count
                    retailers.append(RetailerRow(domain: domain, name: domain, versions: [version]))
                }
            }
            retailers.removeAll { $0.versions.isEmpty }
            for r in retailers.indices {
                retailers[r].versions.sort { $0.date < $1.date }   // stable: the table's order within a date
            }
            let keys = retailers.map { ($0.name.lowercased(), $0.domain) }
            return retailers.indices.sorted { keys[$0] < keys[$1] }.map { retailers[$0] }
        }
    }

    /// A row of `eachRow`, read through SQLite's C API.
    struct RawRow {
        let statement: OpaquePointer?
        func text(_ column: Int32) -> String? {
            guard let bytes = sqlite3_column_text(statement, column) else { return nil }
            return String(decoding: UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column))), as: UTF8.self)
        }
        func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(statement, column)) }
    }

    /// Steps through the rows of `sql` with SQLite's C API (on GRDB's statement): GRDB's rows and
    /// their conversions were most of reading every version (`list`, the browser's start).
    static func eachRow(_ db: Database, sql: String, _ body: (RawRow) throws -> Void) throws {
        let statement = try db.makeStatement(sql: sql)
        let row = RawRow(statement: statement.sqliteStatement)
        while true {
            let code = sqlite3_step(statement.sqliteStatement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage) }
            try body(row)
        }
    }

    /// True when the catalog holds no version.
    public func isEmpty() throws -> Bool {
        try db.read { try Int.fetchOne($0, sql: "SELECT 1 FROM document LIMIT 1") == nil }
    }

    /// The files that could not be read (and the duplicates skipped), by path.
    /// How many files the catalog skipped (one count, for the browser's first frame).
    public func skippedCount() throws -> Int {
        try db.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM warning WHERE skipped") ?? 0 }
    }

    public func warnings() throws -> [CorpusWarning] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT path, message, skipped FROM warning ORDER BY path").map { CorpusWarning(path: $0[0], message: $0[1], skipped: $0[2]) }
        }
    }

    private static let documentColumns = "v.doc, v.domain, v.title, v.format, v.snapshotURL, v.archiveDate, v.lastUpdated, v.caseFolded, v.path"

    /// A version whose sections are read from the catalog when first needed.
    private func document(_ row: Row) -> PolicyDocument {
        let path: String = row[8]
        return PolicyDocument(domain: row[1], title: row[2], format: SourceFormat(rawValue: row[3]) ?? .markdown,
                              snapshotURL: row[4], archiveDate: row[5], lastUpdated: row[6], caseFolded: row[7],
                              sourcePath: path, loader: { [reader] in Self.sections(of: path, in: reader) })
    }

    /// A version's sections (empty if the catalog lost them). One cached statement in SQLite's own
    /// transaction: a read transaction would add statements to every version an index build loads.
    static func sections(of path: String, in reader: Reader) -> [PolicySection] {
        guard let data = try? reader.inDatabase({ db in
            try Data.fetchOne(db.cachedStatement(sql: "SELECT b.data FROM document d JOIN body b ON b.id = d.id WHERE d.path = ?"),
                              arguments: [path])
        }) else { return [] }
        return (try? SectionCodec.decode(SectionCompression.decompress(data))) ?? []
    }

    /// The version with this id (`domain@YYYY-MM-DD`), if any.
    public func document(id: String) throws -> PolicyDocument? {
        try db.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.documentColumns) FROM document v WHERE v.doc = ? AND v.kept", arguments: [id]).map(document)
        }
    }

    /// Resolves a DOC argument as `Corpus.resolve` does: an exact id at the cost of one row, anything
    /// else against the corpus's names and dates.
    public func resolve(_ spec: String) throws -> PolicyDocument {
        if let exact = try document(id: spec) { return exact }
        return try corpus().resolve(spec)
    }

    /// The whole corpus: every retailer and version, with sections read when first needed.
    public func corpus() throws -> Corpus {
        try db.read { db in
            var names: [String: String] = [:]
            try Self.eachRow(db, sql: "SELECT domain, name FROM retailer") { row in names[row.text(0) ?? ""] = row.text(1) ?? "" }
            // Rows by domain and date, so each retailer's versions come together and in order.
            var retailers: [Retailer] = []
            var versions: [PolicyDocument] = []
            func close() {
                guard let domain = versions.first?.domain else { return }
                retailers.append(Retailer(domain: domain, name: names[domain] ?? domain, versions: versions))
                versions = []
            }
            let reader = self.reader
            try Self.eachRow(db, sql: "SELECT \(Self.documentColumns) FROM document v NOT INDEXED WHERE v.kept ORDER BY v.domain, v.archiveDate") { row in
                let domain = row.text(1) ?? "", path = row.text(8) ?? ""
                let doc = PolicyDocument(domain: domain, title: row.text(2) ?? "", format: SourceFormat(rawValue: row.text(3) ?? "") ?? .markdown,
                                         snapshotURL: row.text(4), archiveDate: row.text(5) ?? "", lastUpdated: row.text(6),
                                         caseFolded: row.int(7) != 0, sourcePath: path,
                                         loader: { Self.sections(of: path, in: reader) })
                if let last = versions.last, last.domain != domain { close() }
                versions.append(doc)
            }
            close()
            // The loader's order: by lower-cased name, then domain (keys made once, indices sorted).
            let keys = retailers.map { ($0.name.lowercased(), $0.domain) }
            retailers = retailers.indices.sorted { keys[$0] < keys[$1] }.map { retailers[$0] }
            let warnings = try Row.fetchAll(db, sql: "SELECT path, message, skipped FROM warning ORDER BY path").map {
                CorpusWarning(path: $0[0], message: $0[1], skipped: $0[2])
            }
            return Corpus(retailers: retailers, warnings: warnings, root: root)
        }
    }

    // MARK: - The retailer list, a page at a time

    // Through `reader`: the browser reads its pages while another thread may be writing the index.

    /// A retailer's place in the list: its name lower-cased, then its domain, in SQLite's binary
    /// order. Swift's `<` (which `corpus()` sorts with) compares the composed form's scalars, and
    /// UTF-8 bytes sort as scalars do: so the key is the composed form ("e" + U+0301 sorts as "é").
    static func sortKey(_ name: String) -> String { name.lowercased().precomposedStringWithCanonicalMapping }

    /// The versions of each of `domains`, by date (a retailer's rows of the browser's list).
    public func versions(of domains: [String]) throws -> [[PolicyDocument]] {
        try reader.inDatabase { db in
            let statement = try db.cachedStatement(sql: """
                SELECT \(Self.documentColumns) FROM document v WHERE v.domain = ? AND v.kept ORDER BY v.archiveDate
                """)
            return try domains.map { try Row.fetchAll(statement, arguments: [$0]).map(document) }
        }
    }

    /// Every retailer's domain and name, in the list's order: the browser's list. The order's index
    /// holds the names, so this is one pass over it (a lookup of each row's name in the table cost
    /// 110 ms of the first frame at 80 000 retailers).
    public func retailerNames() throws -> [(domain: String, name: String)] {
        try reader.inDatabase { db in
            var names: [(domain: String, name: String)] = []
            try Self.eachRow(db, sql: "SELECT domain, name FROM retailer ORDER BY sortkey, domain") { row in
                names.append((row.text(0) ?? "", row.text(1) ?? ""))
            }
            return names
        }
    }

    // MARK: - The search index

    /// The search index, brought up to date with the catalog's versions first (only the versions
    /// added, re-read or renamed since it was last brought up to date are indexed again).
    public func searchIndex(progress: ((Int, Int) -> Void)? = nil) throws -> SearchIndex {
        indexLock.lock()
        defer { indexLock.unlock() }
        let index = try self.index ?? SearchIndex(catalog: db, lengthsFile: path + ".lengths")
        self.index = index
        if try meta("indexed") == "yes" {
            try index.loadLengths()
            try? index.readMapped(true)   // (a speed-up, never a reason not to answer)
            return index
        }
        try? index.readMapped(false)
        try Self.withLock(path) {
            guard try meta("indexed") != "yes" else { return try index.loadLengths() }
            // What differs between the index's files and the catalog's versions (a version read
            // again is a new row; a renamed retailer's versions carry the name in their FTS rows).
            // Both sides are walked in path order through covering indexes: in the tables' order,
            // each lookup on the other side was a page read of its own (a 42 000-version history:
            // 324 against 81 ms, most of it copying pages in). Versions to index again come in the
            // catalog's order (their new clause ids, which order hits of equal score, follow it).
            let (stale, gone) = try db.read { db -> ([String], [String]) in
                let stale = try String.fetchAll(db, sql: """
                    SELECT d.path FROM document d INDEXED BY document_kept LEFT JOIN file f INDEXED BY file_key ON f.path = d.path
                    LEFT JOIN retailer r ON r.domain = d.domain
                    WHERE d.kept AND (f.path IS NULL OR f.size != d.id OR f.doc != d.doc OR f.retailer != COALESCE(r.name, d.domain))
                    ORDER BY d.id
                    """)
                let gone = try String.fetchAll(db, sql: """
                    SELECT f.path FROM file f LEFT JOIN document d INDEXED BY document_kept ON d.path = f.path AND d.kept
                    WHERE d.id IS NULL
                    """)
                return (stale, gone)
            }
            if stale.count + gone.count <= 2_000, try db.read({ try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM file") ?? 0 }) > 0,
               !index.idsNearLimit {
                // A few versions: those alone, read from the catalog.
                var documents: [PolicyDocument] = [], stamps: [(Int64, Double)] = [], names: [String: String] = [:]
                try db.read { db in
                    for row in try Row.fetchAll(db, sql: "SELECT domain, name FROM retailer") { names[row[0]] = row[1] }
                    let statement = try db.makeStatement(sql: "SELECT \(Self.documentColumns), v.id FROM document v WHERE v.path = ?")
                    for path in stale {
                        guard let row = try Row.fetchOne(statement, arguments: [path]) else { continue }
                        documents.append(document(row))
                        stamps.append((row[9], 0))
                    }
                }
                try index.update(documents: documents, stamps: stamps, retailerNames: names, removing: gone,
                                 progress: progress) { db in try self.setMeta("indexed", "yes", in: db) }
            } else {
                // Many, or a new index: every version in the corpus's order (retailers by name,
                // versions by date), as a fresh build numbers its clauses.
                let corpus = try corpus()
                var names: [String: String] = [:]
                for r in corpus.retailers { names[r.domain] = r.name }
                let rows = try db.read { db in
                    Dictionary(try Row.fetchAll(db, sql: "SELECT path, id FROM document WHERE kept").map { ($0[0] as String, $0[1] as Int64) },
                               uniquingKeysWith: { a, _ in a })
                }
                let documents = corpus.documents
                let stamps = documents.map { (rows[$0.sourcePath] ?? -1, 0.0) }
                try index.update(documents: documents, stamps: stamps, retailerNames: names, progress: progress) { db in
                    try self.setMeta("indexed", "yes", in: db)
                }
            }
            checkpoint()
        }
        return index
    }

    /// Writes what the WAL holds into the database and empties it, after a refresh or an index
    /// update: a large one would otherwise leave a WAL as large as what it wrote.
    private func checkpoint() {
        _ = try? db.inDatabase { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    // MARK: - The change feed

    /// Every version against its retailer's previous one, newest first (`ChangeFeed.compute`), each
    /// pair compared once and kept in the catalog by its two versions' rows (a version read again
    /// is a new row, so its comparisons are made again).
    /// Processes asking at once take turns (`<catalog>.changes.lock`, `waiting` called first if another
    /// holds it): the second then finds the first's comparisons kept instead of making them all again
    /// (a first feed of a 20 000-commit history takes minutes).
    public func changeFeed(_ retailers: [Retailer], progress: ((Int, Int) -> Void)? = nil,
                           waiting: (() -> Void)? = nil) throws -> [ChangeSummary] {
        try Self.withFileLock(path + ".changes.lock", waiting: waiting) { try changeFeedHoldingLock(retailers, progress: progress) }
    }

    private func changeFeedHoldingLock(_ retailers: [Retailer], progress: ((Int, Int) -> Void)?) throws -> [ChangeSummary] {
        let (rows, kept) = try db.read { db -> ([String: Int64], [RowPair: Data]) in
            var rows: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT doc, id FROM document WHERE kept") { rows[row[0]] = row[1] }
            var kept: [RowPair: Data] = [:]
            let cursor = try Row.fetchCursor(db, sql: "SELECT old, new, summary FROM change WHERE format = ?",
                                             arguments: [ChangeSummary.formatVersion])
            while let row = try cursor.next() { kept[RowPair(old: row[0], new: row[1])] = row[2] }
            return (rows, kept)
        }
        var computed: [(RowPair, Data)] = []
        let feed = ChangeFeed.compute(retailers, cached: { pair in
            guard let old = rows[pair.old.id], let new = rows[pair.new.id], let data = kept[RowPair(old: old, new: new)] else { return nil }
            return try? ChangeSummary.decoded(from: data)
        }, store: { summary in
            guard let old = rows[summary.from], let new = rows[summary.to], let data = try? summary.encoded() else { return }
            computed.append((RowPair(old: old, new: new), data))
        }, progress: progress)
        if !computed.isEmpty {
            // Kept if the catalog can be written; a read-only one compares again next time.
            try? Self.withLock(path) {
                try db.write { db in
                    let insert = try db.makeStatement(sql: "INSERT OR REPLACE INTO change(old, new, format, summary) VALUES (?, ?, ?, ?)")
                    for (pair, data) in computed {
                        try insert.execute(arguments: [pair.old, pair.new, ChangeSummary.formatVersion, data])
                    }
                }
            }
        }
        return feed
    }

    private struct RowPair: Hashable {
        var old: Int64
        var new: Int64
    }


    // MARK: - The writers' lock

    /// Runs `body` holding an exclusive lock on `<path>.lock` (waiting for another process's): every
    /// write to the catalog, after its mark (`Unsynced`).
    static func withLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
        try withFileLock(path + ".lock") {
            Unsynced.begin(path)
            return try body()
        }
    }

    /// Runs `body` holding an exclusive `flock` on the file `lock` (made if missing), calling `waiting`
    /// first when another process holds it. Without the file (a read-only cache folder, where nobody
    /// else can write either), `body` runs at once.
    static func withFileLock<T>(_ lock: String, waiting: (() -> Void)? = nil, _ body: () throws -> T) throws -> T {
        let fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return try body() }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EWOULDBLOCK { waiting?() }
            while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// The catalog's connection writes without syncing (`synchronous = OFF`): syncs held up each
    /// chunk's store and the end of a first build. A killed process loses nothing that way (the
    /// kernel holds what it wrote), but a power cut or a crash of the system may leave pages half
    /// written where SQLite would not notice. So a writer first leaves a mark naming this boot of
    /// the machine (`<catalog>.unsynced`, synced). A later process that opens the catalog while no
    /// writer holds it syncs the files (by then the kernel has mostly written them) and removes the
    /// mark; a catalog whose mark names another boot is deleted then and rebuilt.
    enum Unsynced {
        static let suffix = ".unsynced"

        /// This boot of the machine (Linux's `boot_id`; elsewhere one value, so a mark is never
        /// taken for another boot's).
        static let boot: String = {
            (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown"
        }()

        /// Leaves the mark before the first write, synced with its folder's entry.
        static func begin(_ path: String) {
            let fd = open(path + suffix, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { return }
            let line = Array((boot + "\n").utf8)
            _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            fsync(fd)
            close(fd)
            sync((path as NSString).deletingLastPathComponent)
        }

        /// Before the catalog is opened, when it has a mark and no writer holds it (a writer's mark
        /// is its own): another boot's mark has the catalog's files deleted, to be rebuilt; this
        /// boot's has them and their folder synced (the lengths file is renamed into place), then
        /// the mark removed (kept if a sync fails). Without a mark, one `access` call.
        static func settle(_ path: String) {
            guard access(path + suffix, F_OK) == 0 else { return }
            let lock = open(path + ".lock", O_RDWR | O_CLOEXEC)
            guard lock >= 0 else { return }
            defer { close(lock) }
            guard flock(lock, LOCK_EX | LOCK_NB) == 0 else { return }
            defer { flock(lock, LOCK_UN) }
            let mark = (try? String(contentsOfFile: path + suffix, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            guard mark == boot else { return Catalog.removeFiles(path) }
            for file in [path, path + "-wal", path + ".lengths"] where !sync(file, missingIsFine: true) { return }
            guard sync((path as NSString).deletingLastPathComponent) else { return }
            unlink(path + suffix)
        }

        /// `fsync` of the file or folder at `path`.
        @discardableResult
        private static func sync(_ path: String, missingIsFine: Bool = false) -> Bool {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return missingIsFine && errno == ENOENT }
            defer { close(fd) }
            return fsync(fd) == 0
        }
    }
}

extension DisplayName.Evidence {
    /// `splits;casing;spaced;capitals`: "3:2,5:1;JamesAllen:4;1;0".
    var encoded: String {
        let s = splits.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
        let c = casing.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
        return s + ";" + c + ";" + (spacedInBody ? "1" : "0") + ";" + String(capitals)
    }

    init(encoded: String) {
        self.init()
        let parts = encoded.split(separator: ";", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return }
        capitals = Int(parts[3]) ?? 0
        for pair in parts[0].split(separator: ",") {
            let kv = pair.split(separator: ":")
            if kv.count == 2, let k = Int(kv[0]), let v = Int(kv[1]) { splits[k] = v }
        }
        for pair in parts[1].split(separator: ",") {
            let kv = pair.split(separator: ":")
            if kv.count == 2, let v = Int(kv[1]) { casing[String(kv[0])] = v }
        }
        spacedInBody = parts[2] == "1"
    }
}
