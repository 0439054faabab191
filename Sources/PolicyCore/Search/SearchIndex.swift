import Foundation
import GRDB
import GRDBSQLite

/// One clause that matched a search.
public struct SearchHit: Sendable, Hashable, Codable {
    /// Version id (`domain@date`).
    public var doc: String
    public var domain: String
    public var retailer: String
    public var date: String
    public var section: String
    public var sectionTitle: String
    /// Position of the clause in `PolicyDocument.allClauses`.
    public var clauseIndex: Int
    public var kind: String
    public var text: String
    public var snippet: String
    /// BM25 score: lower is better (SQLite's convention).
    public var score: Double
    /// Matched words in `text`, as Unicode scalar offsets `[start, end)`.
    public var matches: [[Int]]
}

extension SearchHit {
    /// Whether the clause was found through its section's title alone: no word of its text matched
    /// and a word of the query starts a word of the title (by its first four letters: the stems
    /// the index matched are not at hand). A `topic:` or retailer-name query has no such word; a
    /// query joining one to a word of the title (`topic:security OR privacy`) may say so wrongly.
    public func matchedByTitle(_ query: SearchQuery) -> Bool {
        guard matches.isEmpty, !sectionTitle.isEmpty else { return false }
        let title = Tokenizer.foldedWords(sectionTitle)
        return query.terms.flatMap(Tokenizer.foldedWords).contains { word in
            let start = String(word.prefix(4))
            return !start.isEmpty && title.contains { $0.hasPrefix(start) }
        }
    }
}

/// How often a query matches in each version of one retailer.
public struct QueryHistory: Sendable, Codable, Hashable {
    public struct Version: Sendable, Codable, Hashable {
        public var doc: String
        public var date: String
        public var clauses: Int
    }
    public var domain: String
    public var retailer: String
    public var versions: [Version]
    public var firstSeen: String?
    public var lastSeen: String?
}

/// Full-text index of every clause of a corpus: SQLite FTS5 through GRDB (porter + unicode61).
///
/// Section titles and retailer names are indexed columns weighted above the clause text in BM25.
/// A corpus's index lives in its `Catalog`, which keeps it up to date; `SearchIndex(corpus:)`
/// builds one in memory and `open(cacheAt:)` one in a file of its own (tests and `bench index`).
public final class SearchIndex: @unchecked Sendable {
    /// Bumped whenever the schema or tokenisation changes; a cache of another version is rebuilt.
    public static let schemaVersion = 16
    private let db: DatabaseQueue
    private let lock = NSLock()
    /// BM25 with clause lengths in memory (see `ClauseRanker`); registered on `db`.
    private let ranker = ClauseRanker()
    /// The index's tokenizer, for turning a hit's phrase instances into character ranges.
    /// Used on `db`'s queue only (the unicode61 tokenizer keeps a buffer between calls).
    private let tokenizer: any FTS5Tokenizer
    /// The FTS5 tokenizer of the index: Porter stems over unicode61 words, diacritics folded.
    /// (The FTS table names it through `ReplayTokenizer`, which replays tokens made ahead.)
    static let tokenizerComponents = ["porter", "unicode61", "remove_diacritics", "2"]
    /// Clause texts tokenized ahead of the writer (`TokenReplay`); off only to test that it changes nothing.
    let tokenizeAhead: Bool
    /// Clauses of one retailer alike in title, text and categories share an FTS row
    /// (`ClauseRanker.Groups`); off only to test that it changes nothing.
    let grouping: Bool
    private let replay = TokenReplay()

    /// BM25 weights of the columns: retailer, section title, clause text.
    static let weights = (retailer: 2.0, section: 2.5, text: 1.0)

    /// Builds an in-memory index of `corpus`.
    public convenience init(corpus: Corpus, progress: ((Int, Int) -> Void)? = nil) throws {
        try self.init(corpus: corpus, tokenizeAhead: true, progress: progress)
    }

    convenience init(corpus: Corpus, tokenizeAhead: Bool, grouping: Bool = true, progress: ((Int, Int) -> Void)? = nil) throws {
        try self.init(queue: try DatabaseQueue(configuration: Self.configuration()), tokenizeAhead: tokenizeAhead, grouping: grouping)
        try update(with: corpus, progress: progress)
    }

    private init(queue: DatabaseQueue, producer: String = "", tokenizeAhead: Bool = true, grouping: Bool = true,
                 createSchema: Bool = true) throws {
        db = queue
        self.tokenizeAhead = tokenizeAhead
        self.grouping = grouping
        let ranker = self.ranker, replay = self.replay
        tokenizer = try queue.inDatabase { db in
            replay.register(for: db)
            ranker.register(in: db)
            return try db.makeTokenizer(FTS5TokenizerDescriptor(components: Self.tokenizerComponents))
        }
        if createSchema { try db.write { db in try Self.createSchema(db, producer: producer) } }
    }

    /// The index kept in a corpus catalog's database (which made its tables): `Catalog` updates it.
    /// Clause lengths are also written to `lengthsFile`, and mapped from it (see `ClauseRanker`).
    convenience init(catalog queue: DatabaseQueue, lengthsFile: String? = nil) throws {
        try self.init(queue: queue, createSchema: false)
        ranker.file = lengthsFile
    }

    /// Reads every clause's length for the ranking (after an update, or on opening an index that
    /// needs none).
    /// (Only if an update stored others since this connection read them: see `ClauseRanker.refresh`.)
    func loadLengths() throws {
        try db.read { db in try ranker.refresh(db) }
    }

    /// Has this connection, and the partner it opens, read the database file mapped (SQLite's
    /// `mmap_size`) instead of copying its pages by read(2), or no longer. Only for a process that
    /// found the index up to date: an update maps what it writes (see DECISIONS.md).
    func readMapped(_ on: Bool) throws {
        try db.inDatabase { db in try db.execute(sql: Self.mapping(on)) }
        partnerLock.withLock { mapped = on }
    }
    private var mapped = false
    /// The pragma that maps as much of the file as SQLite will (its `SQLITE_MAX_MMAP_SIZE`: 2 GB
    /// in Debian's build), or nothing.
    private static func mapping(_ on: Bool) -> String { "PRAGMA mmap_size = \(on ? 1 << 40 : 0)" }

    deinit { replay.unregister() }

    /// Clause texts whose tokens FTS5 took from `TokenReplay` (for tests).
    var replayedTexts: Int { db.inDatabase { _ in replay.replayed } }

    /// Every connection to an index knows its tokenizer (`ReplayTokenizer`), even to drop the table.
    static func configuration() -> Configuration {
        var configuration = SQLiteSetup.configuration()
        configuration.prepareDatabase { db in ReplayTokenizer.register(in: db) }
        return configuration
    }

    /// A read-only connection to the database at `path` (a catalog's), knowing the index's
    /// tokenizer, that waits up to a minute for a writer's lock.
    static func readOnlyQueue(_ path: String) throws -> DatabaseQueue {
        var configuration = configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(60)
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Opens (or silently rebuilds) the persistent index at `path` and brings it up to date with `corpus`.
    /// `producer` names the build that parses (as for `Catalog`): an index written by another
    /// build is rebuilt, so a parser change never leaves an unchanged file's old clauses behind.
    public static func open(cacheAt path: String, corpus: Corpus, producer: String = "",
                            progress: ((Int, Int) -> Void)? = nil) throws -> SearchIndex {
        try open(cacheAt: path, corpus: corpus, producer: producer, grouping: true, progress: progress)
    }

    /// `open`, with or without groups (without only to test that they change nothing).
    static func open(cacheAt path: String, corpus: Corpus, producer: String = "", grouping: Bool,
                     progress: ((Int, Int) -> Void)? = nil) throws -> SearchIndex {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        func attempt() throws -> SearchIndex {
            var configuration = Self.configuration()
            configuration.busyMode = .timeout(5)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let version = try queue.read { db -> String? in
                guard try db.tableExists("meta") else { return nil }
                return try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema'")
            }
            if version != Self.stamp(producer: producer) {
                try queue.write { db in
                    for table in ["clause_fts", "clause", "file", "meta"] { try db.execute(sql: "DROP TABLE IF EXISTS \(table)") }
                    try db.execute(sql: "DROP VIEW IF EXISTS clause_content")
                }
            }
            let index = try SearchIndex(queue: queue, producer: producer, grouping: grouping)
            try index.update(with: corpus, progress: progress)
            return index
        }
        do {
            return try attempt()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            // Truncated, corrupt or foreign: start again from nothing. (Busy, another redline indexing it: not deleted.)
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            return try attempt()
        }
    }

    /// The cache file for a corpus folder: `$XDG_CACHE_HOME/redline/<hash of the path>.sqlite`.
    /// (`environment` replaces the process's own, for tests.)
    public static func cachePath(for corpusRoot: String, environment: [String: String]? = nil) -> String {
        func variable(_ name: String) -> String? {
            guard let environment else { return Environment.value(name) }
            return environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        let base = variable("XDG_CACHE_HOME") ?? ((variable("HOME") ?? NSHomeDirectory()) + "/.cache")
        let canonical = URL(fileURLWithPath: corpusRoot).standardizedFileURL.resolvingSymlinksInPath().path
        let hash = ByteInterner.fnv1a(canonical.utf8)   // stable across runs
        let name = (canonical as NSString).lastPathComponent.filter { $0.isLetter || $0.isNumber || $0 == "-" }
        return base + "/redline/" + name + "-" + String(hash, radix: 16) + ".sqlite"
    }

    /// What the `schema` row of `meta` holds: the schema version and the producing build.
    static func stamp(producer: String) -> String { "\(schemaVersion)|\(producer)" }

    static func createSchema(_ db: Database, producer: String) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value);
            CREATE TABLE IF NOT EXISTS file(
                id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, size INTEGER, mtime REAL, doc TEXT NOT NULL,
                domain TEXT NOT NULL, retailer TEXT NOT NULL, date TEXT NOT NULL, first INTEGER, last INTEGER, lengths BLOB,
                words TEXT NOT NULL DEFAULT '');
            CREATE INDEX IF NOT EXISTS file_key ON file(path, size, doc, retailer);
            CREATE TABLE IF NOT EXISTS clause(
                id INTEGER PRIMARY KEY, file INTEGER NOT NULL, section TEXT NOT NULL, sectionTitle TEXT NOT NULL,
                ordinal INTEGER NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, topics TEXT NOT NULL);
            CREATE VIEW IF NOT EXISTS clause_content AS
                SELECT c.id, f.retailer || ' ' || f.domain AS retailer, c.sectionTitle AS section, c.text, c.topics
                FROM clause c JOIN file f ON f.id = c.file;
            CREATE VIRTUAL TABLE IF NOT EXISTS clause_fts USING fts5(
                retailer, section, text, topics, content='clause_content', content_rowid='id', columnsize=0,
                tokenize='\(([ReplayTokenizer.name] + tokenizerComponents).joined(separator: " "))');
            """)
        try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES('schema', ?)", arguments: [stamp(producer: producer)])
        // FTS5 keeps new postings in memory up to `hashsize` bytes (1 MB by default), then writes them
        // as a segment and merges segments as they pile up. A large corpus written 1 MB at a time
        // was rewritten level after level: 64 MB segments halve the build's FTS5 time.
        try db.execute(sql: "INSERT INTO clause_fts(clause_fts, rank) VALUES('hashsize', \(ftsPendingBytes))")
        // Segments merge sixteen at a time (FTS5's most; 4 by default), none at once before 64 pile
        // up on a level: a 100 000-policy build writes 15 segments and merged them, level after
        // level, for a sixth of its time. Searches walking 15 segments instead of 6 are as fast.
        try db.execute(sql: "INSERT INTO clause_fts(clause_fts, rank) VALUES('automerge', 16)")
        try db.execute(sql: "INSERT INTO clause_fts(clause_fts, rank) VALUES('crisismerge', 64)")
    }

    /// See `createSchema`: what a build holds in memory before FTS5 writes a segment.
    static let ftsPendingBytes = 64 << 20

    /// Re-indexes the files of `corpus` whose size or modification time changed; drops vanished ones.
    public func update(with corpus: Corpus, progress: ((Int, Int) -> Void)? = nil) throws {
        var retailerNames: [String: String] = [:]
        for r in corpus.retailers { retailerNames[r.domain] = r.name }
        let documents = corpus.documents
        try update(documents: documents, stamps: documents.map { Self.stamp($0.sourcePath) }, retailerNames: retailerNames,
                   progress: progress)
    }

    /// Makes the index hold exactly `documents`: those whose stamp (their file's, or the catalog's
    /// row), id or retailer name changed are indexed again, those gone are dropped. `finally` runs
    /// in the same transaction.
    /// With `removing`, `documents` are only the ones to index again and `removing` the ones to
    /// drop: the index's other files are left as they are.
    func update(documents: [PolicyDocument], stamps: [(Int64, Double)], retailerNames: [String: String],
                removing: [String]? = nil,
                progress: ((Int, Int) -> Void)? = nil, finally: ((Database) throws -> Void)? = nil) throws {
        lock.lock()
        defer { lock.unlock() }
        // The files indexed: all of them, or with `removing` those that this update may touch
        // (the files named, and the other files of their retailers, for their groups).
        var known: [String: (size: Int64, mtime: Double, doc: String, retailer: String, domain: String, first: Int, last: Int, id: Int64)] = [:]
        var select = "SELECT path, size, mtime, doc, retailer, domain, first, last, id FROM file"
        var values: [DatabaseValueConvertible] = []
        if let removing {
            let domains = Array(Set(documents.map(\.domain))), paths = removing + documents.map(\.sourcePath)
            func marks(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ",") }
            select += " WHERE domain IN (\(marks(domains.count))) OR path IN (\(marks(paths.count)))"
            values = domains + paths
        }
        for row in try db.read({ db in try Row.fetchAll(db, sql: select, arguments: StatementArguments(values)) }) {
            known[row[0]] = (row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8])
        }
        if removing == nil, (known.values.map(\.last).max() ?? 0) > idLimit {
            // Ids only grow (a file indexed again takes new ones): start again from nothing.
            try db.write { db in
                try db.execute(sql: "DELETE FROM clause; DELETE FROM file; INSERT INTO clause_fts(clause_fts) VALUES('delete-all')")
            }
            known = [:]
        }
        let changed = documents.indices.filter { i in
            guard let old = known[documents[i].sourcePath] else { return true }
            return old.size != stamps[i].0 || old.mtime != stamps[i].1 || old.doc != documents[i].id
                || old.retailer != (retailerNames[documents[i].domain] ?? documents[i].domain)
        }
        try db.write { db in
            let insertClause = try db.cachedStatement(sql: """
                INSERT INTO clause(id, file, section, sectionTitle, ordinal, kind, text, topics) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let insertFTS = try db.cachedStatement(sql: Self.ftsRow(delete: false))
            let tokenizers = try TokenReplay.Tokenizers(db, count: tokenizeAhead ? Parallel.cores : 0)
            // Files gone, and files to index again: their clauses out first, all before any is
            // added, so that a group losing its lead hands its row to a clause that stays.
            var doomed: [String] = []
            if let removing {
                doomed = removing.filter { known[$0] != nil }
            } else {
                let seen = Set(documents.map(\.sourcePath))
                doomed = known.keys.filter { !seen.contains($0) }.sorted()
            }
            doomed += changed.map { documents[$0].sourcePath }.filter { known[$0] != nil }
            if !doomed.isEmpty {
                // The groups the ranking has, if they are those of these rows (a copy: no read of
                // every file row).
                try ranker.refresh(db)
                var edit = try GroupEdit(db, current: ranker.groups)
                for path in doomed { try Self.deleteFile(path, in: db, edit: &edit) }
                try edit.store(db)
            }
            let gone = Set(doomed)
            // In chunks, so a large corpus reports steadily and never holds every document's topics
            // and tokens: while one chunk's rows are written (one writer), the next chunk's are
            // prepared on the other threads (`prepareInBackground`, which reads the sections, titles
            // and retailer column as this loop does: `testTokensMadeAheadMakeTheSameIndex` counts
            // a replay for every column of every row).
            // Ids given here: a clause's FTS row is inserted first, and its length (tokens) is kept
            // for its file's row (`lengths`, read back by `ClauseRanker.rebuild`).
            var nextID = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM clause")! + 1
            let chunk = 256
            let chunks = stride(from: 0, to: changed.count, by: chunk).map { Array(changed[$0..<min($0 + chunk, changed.count)]) }
            let tallies = CategoryClassifier.Tallies()
            let prepare = { (part: [Int]) in Self.prepareInBackground(part, of: documents, retailerNames, tokenizers, tallies) }
            // Only the kept files of the retailers indexed now matter (a new commit: one or two of
            // thousands).
            let indexing = grouping ? changed.map { Self.retailerColumn(retailerNames[documents[$0].domain] ?? documents[$0].domain,
                                                                        documents[$0].domain) } : []
            let domains = grouping ? Set(changed.map { documents[$0].domain }) : []
            var kept: [(retailer: String, first: Int, last: Int, id: Int64)] = []
            for (path, file) in known where domains.contains(file.domain) && !gone.contains(path) {
                kept.append((Self.retailerColumn(file.retailer, file.domain), file.first, file.last, file.id))
            }
            let keys = GroupKeys(kept: kept, indexing: indexing)
            var next = chunks.first.map(prepare)
            var done = 0
            for (c, part) in chunks.enumerated() {
                guard let pending = next else { break }
                let prepared = pending.wait()
                next = c + 1 < chunks.count ? prepare(chunks[c + 1]) : nil
                // Sections this pass read from the document cache are let go after the chunk, so
                // re-indexing a cached corpus holds two chunks of text, not the corpus.
                defer { for (n, loaded) in zip(part, pending.wasLoaded) where !loaded { documents[n].evictSections() } }
                for (n, rows) in zip(part, prepared) {
                    let doc = documents[n]
                    let (size, mtime) = stamps[n]
                    var ordinal = 0
                    var ids: (first: Int, last: Int)?
                    var entries: [UInt32] = []
                    let retailer = retailerNames[doc.domain] ?? doc.domain
                    // The document's row first: its clauses name it by id (the version's columns are
                    // stored once, not on every clause).
                    try db.cachedStatement(sql: """
                        INSERT INTO file(path, size, mtime, doc, domain, retailer, date, first, last, words) VALUES (?, ?, ?, ?, ?, ?, ?, 0, -1, ?)
                        """).execute(arguments: [doc.sourcePath, size, mtime, doc.id, doc.domain, retailer, doc.archiveDate, rows.words.encoded])
                    let file = Int(db.lastInsertedRowID)
                    let retailerColumn = Self.retailerColumn(retailer, doc.domain)
                    // The retailer's groups, if it has other files: a clause alike one of them joins
                    // its group and adds no FTS row.
                    var groups = try keys.begin(retailerColumn, db)
                    // `rows` is in reading order, as this loop.
                    // One array for every row's texts (the replay lets go of it after each row).
                    var row = [retailerColumn, "", "", ""]
                    for section in doc.allSections {
                        let title = section.namedTitle
                        row[1] = title
                        // By index: a loop over the clauses would copy each one, retaining all its fields.
                        for k in section.clauses.indices {
                            let text = section.clauses[k].text, kind = section.clauses[k].kind
                            let labels = ordinal < rows.topics.count ? rows.topics[ordinal] : ""
                            let id = nextID
                            nextID += 1
                            ids = (ids?.first ?? id, id)
                            let key = groups == nil ? nil : GroupKeys.key(title, text, labels)
                            if let key, let lead = groups?[key] {
                                entries.append(GroupEdit.member | lead)
                            } else {
                                row[2] = text
                                row[3] = labels
                                let length = try replay.inserting(row, first: 4 * ordinal, of: rows.tokens) {
                                    try Self.run(insertFTS, in: db) { bind in
                                        bind(1, id); bind(2, retailerColumn); bind(3, title); bind(4, text); bind(5, labels)
                                    }
                                }
                                entries.append(GroupEdit.lead(length: length))
                                if let key { groups?[key] = UInt32(id) }
                            }
                            try Self.run(insertClause, in: db) { bind in
                                bind(1, id); bind(2, file); bind(3, section.path); bind(4, title); bind(5, ordinal)
                                bind(6, kind.rawValue); bind(7, text); bind(8, labels)
                            }
                            ordinal += 1
                        }
                    }
                    keys.end(retailerColumn, groups)
                    // A file's clauses are consecutive rows: the range finds them again (an index on
                    // `clause(file)` cost a B-tree insert of the path for every clause).
                    if let ids {
                        try db.cachedStatement(sql: "UPDATE file SET first = ?, last = ?, lengths = ? WHERE id = ?")
                            .execute(arguments: [ids.first, ids.last, GroupEdit.packed(entries), file])
                    }
                }
                done += part.count
                progress?(done, changed.count)
            }
            try ranker.rebuild(db, store: true)
            try finally?(db)
        }
    }

    /// Adds (or, with FTS5's `'delete'` command, removes) one clause's row of the FTS index: the
    /// retailer column is its name and domain. One row per statement, values bound: FTS5 flushes
    /// the postings it holds in memory at every statement savepoint, and an `INSERT … SELECT`
    /// opens one, so inserting a chunk at a time wrote a segment per chunk and merged them
    /// (`hashsize`, in `createSchema`, says how much it may hold instead).
    private static func ftsRow(delete: Bool) -> String {
        delete ? "INSERT INTO clause_fts(clause_fts, rowid, retailer, section, text, topics) VALUES ('delete', ?, ?, ?, ?, ?)"
            : "INSERT INTO clause_fts(rowid, retailer, section, text, topics) VALUES (?, ?, ?, ?, ?)"
    }

    /// Binds values to the parameters of a statement, by position from 1 (see `run`).
    private struct Binder {
        let raw: OpaquePointer?

        func callAsFunction(_ position: Int32, _ n: Int) { sqlite3_bind_int64(raw, position, Int64(n)) }

        func callAsFunction(_ position: Int32, _ text: String) {
            // SQLITE_TRANSIENT: SQLite copies the bytes, which live only for this call. (A nil
            // pointer, what an empty string may lend, would bind NULL.)
            func bind(_ bytes: UnsafeBufferPointer<UInt8>) {
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    _ = chars.isEmpty ? sqlite3_bind_text(raw, position, "", 0, transient)
                        : sqlite3_bind_text(raw, position, chars.baseAddress, Int32(chars.count), transient)
                }
            }
            if text.utf8.withContiguousStorageIfAvailable(bind) == nil {
                var copy = text
                copy.withUTF8(bind)
            }
        }
    }

    /// Runs `statement` with the values `bind` binds, through SQLite's C API: the build inserts two
    /// rows per clause of the corpus, and GRDB's arguments (an existential and a `DatabaseValue` per
    /// value) were a tenth of its writer's time, then an array of values per row (a retain and a
    /// release of every string) a tenth again.
    private static func run(_ statement: Statement, in db: Database, _ bind: (Binder) -> Void) throws {
        let raw = statement.sqliteStatement
        bind(Binder(raw: raw))
        let code = sqlite3_step(raw)
        sqlite3_reset(raw)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }

    private static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }

    /// What the writer needs of a document beyond its sections, made on other threads: each
    /// clause's categories as the `topics` column holds them (index words separated by spaces), and
    /// for `TokenReplay` the tokens of each clause's FTS columns (four texts a clause, in column
    /// order). In reading order.
    struct PreparedRows: Sendable {
        var topics: [String]
        var tokens: TokenReplay.Tokens
        /// The document's words by category, for `trend --category` (the file's `words`).
        var words: CategoryWords
    }

    /// Some documents' `PreparedRows`, being made on other threads; the writer, when it comes for
    /// them, makes the ones still waiting itself instead of idling (on two cores the two sides
    /// are about even, and either may be the one that waits).
    final class Pending: @unchecked Sendable {
        /// Whether each document's sections were in memory before (those are not evicted after).
        let wasLoaded: [Bool]
        private let documents: [PolicyDocument]
        private let make: @Sendable (PolicyDocument) -> PreparedRows
        private var result: [PreparedRows?]
        /// The next document to claim, and how many are made.
        private var next = 0, made = 0
        private let lock = NSLock()
        private let finished = DispatchSemaphore(value: 0)
        private var waited = false

        init(_ documents: [PolicyDocument], threads: Int, _ make: @escaping @Sendable (PolicyDocument) -> PreparedRows) {
            self.documents = documents
            self.make = make
            wasLoaded = documents.map(\.sectionsLoaded)
            result = Array(repeating: nil, count: documents.count)
            if documents.isEmpty { finished.signal() }
            for _ in 0..<threads { DispatchQueue.global(qos: .userInitiated).async { self.work() } }
        }

        /// Makes documents until none is left to claim.
        private func work() {
            while true {
                lock.lock()
                let n = next
                next += 1
                lock.unlock()
                guard n < documents.count else { return }
                let rows = make(documents[n])
                lock.lock()
                result[n] = rows
                made += 1
                let last = made == documents.count
                lock.unlock()
                if last { finished.signal() }
            }
        }

        /// The rows, in order: made here what no thread has started, then waited for the rest (once;
        /// later calls return at once).
        func wait() -> [PreparedRows] {
            if !waited {
                work()
                finished.wait()
                waited = true
            }
            return result.map { $0! }
        }
    }

    static func prepareInBackground(_ part: [Int], of documents: [PolicyDocument], _ retailerNames: [String: String],
                                    _ tokenizers: TokenReplay.Tokenizers, _ tallies: CategoryClassifier.Tallies) -> Pending {
        // One core stays with the writer, which is the build's longest path: on two cores, work on
        // both beside the writer made three busy threads, and the writer lost a third of its time.
        Pending(part.map { documents[$0] }, threads: Parallel.cores - 1) { doc in
            let labels = CategoryClassifier.shared.classify(doc, evidence: false, reusing: tallies)
            let topics = labels.map { topicsColumn($0.labels) }
            let retailer = retailerColumn(retailerNames[doc.domain] ?? doc.domain, doc.domain)
            var columns: [String] = []
            columns.reserveCapacity(4 * topics.count)
            for section in doc.allSections {
                let title = section.namedTitle
                for k in section.clauses.indices {
                    columns.append(retailer)
                    columns.append(title)
                    columns.append(section.clauses[k].text)
                    columns.append(topics[columns.count / 4])
                }
            }
            return PreparedRows(topics: topics, tokens: tokenizers.tokens(of: columns), words: CategoryWords(doc, topics: labels))
        }
    }

    /// The FTS `topics` column of a clause with these labels: its categories' index words, in
    /// label order (by category ordinal), separated by spaces; made once for each set of categories.
    static func topicsColumn(_ labels: [CategoryLabel]) -> String {
        let set = labels.reduce(0) { $0 | 1 << $1.category.ordinal }
        return set < topicsColumns.count ? topicsColumns[set] : labels.map(\.category.indexToken).joined(separator: " ")
    }

    private static let topicsColumns: [String] = (0..<(1 << PrivacyCategory.byOrdinal.count)).map { set in
        PrivacyCategory.byOrdinal.indices.filter { set & 1 << $0 != 0 }.map { PrivacyCategory.byOrdinal[$0].indexToken }.joined(separator: " ")
    }

    /// The FTS `retailer` column: the retailer's name and domain.
    static func retailerColumn(_ name: String, _ domain: String) -> String { name + " " + domain }

    /// Removes a file's clauses, from their groups (`GroupEdit`) and from the FTS index: a row
    /// whose group loses its lead is deleted and, if the group keeps a clause, inserted again under
    /// that clause's id (its values read back from `clause`, as an external-content FTS5 table
    /// needs them to find its postings). Statements cached.
    private static func deleteFile(_ path: String, in db: Database, edit: inout GroupEdit) throws {
        guard let file = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, first, last, retailer, domain FROM file WHERE path = ?"),
                                          arguments: [path])
        else { return }
        let (id, first, last): (Int64, Int, Int) = (file[0], file[1], file[2])
        let retailer = retailerColumn(file[3], file[4])
        if last >= first {
            let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT id, sectionTitle, text, topics FROM clause WHERE id BETWEEN ? AND ?"),
                                        arguments: [first, last])
            var byID: [Int: Row] = [:]
            for row in rows { byID[row[0]] = row }
            let deleteFTS = try db.cachedStatement(sql: ftsRow(delete: true))
            let insertFTS = try db.cachedStatement(sql: ftsRow(delete: false))
            try edit.remove(first...last, file: id) { lead, next in
                guard let row = byID[lead] else { return }
                for (statement, rowid) in [(deleteFTS, lead)] + (next.map { [(insertFTS, $0)] } ?? []) {
                    try run(statement, in: db) { bind in
                        bind(1, rowid); bind(2, retailer); bind(3, row[1] as String); bind(4, row[2] as String); bind(5, row[3] as String)
                    }
                }
            }
        }
        try db.cachedStatement(sql: "DELETE FROM clause WHERE id BETWEEN ? AND ?").execute(arguments: [first, last])
        try db.cachedStatement(sql: "DELETE FROM file WHERE id = ?").execute(arguments: [id])
    }

    private static func stamp(_ path: String) -> (Int64, Double) {
        let s = Catalog.Stamp.of(path)
        return (s.size, s.mtime)
    }

    /// Number of indexed clauses.
    public func clauseCount() throws -> Int {
        try db.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM clause") ?? 0 }
    }

    /// Every match of an FTS5 `match` expression with its score under `rank` (an FTS5 rank
    /// function call, e.g. `bm25(2.0, 2.5, 1.0, 0.0)`), best first. For checking rankings.
    func scores(_ match: String, rank: String) throws -> [(id: Int64, score: Double)] {
        try db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT rowid, rank FROM clause_fts WHERE clause_fts MATCH ? AND rank MATCH ? ORDER BY rank, rowid
                """, arguments: [match, rank]).map { ($0[0], $0[1]) }
        }
    }

    /// Every token instance of the FTS index, named by its clause rather than its rowid (which an
    /// incremental update renumbers): "term doc ordinal column offset", sorted ("no clause" and the
    /// rowid for a posting left behind by a deleted clause). For checking that
    /// updates leave the index a fresh build would make.
    func postings() throws -> [String] {
        try db.write { db in
            try db.execute(sql: "CREATE VIRTUAL TABLE IF NOT EXISTS temp.clause_vocab USING fts5vocab(main, clause_fts, instance)")
            // A row's postings are those of every clause of its group.
            try ranker.refresh(db)
            let groups = ranker.groups
            let clause = try db.cachedStatement(sql: "SELECT f.doc || ' ' || c.ordinal FROM clause c JOIN file f ON f.id = c.file WHERE c.id = ?")
            var out: [String] = []
            for row in try Row.fetchAll(db, sql: "SELECT term, doc, col, offset FROM temp.clause_vocab") {
                let (term, lead, column, offset): (String, Int64, String, Int) = (row[0], row[1], row[2], row[3])
                var ids: [Int64] = []
                groups.forEachClause(of: lead) { ids.append($0); return true }
                for id in ids {
                    let name = try String.fetchOne(clause, arguments: [id]) ?? "no clause \(id)"
                    out.append("\(term) \(name) \(column) \(offset)")
                }
            }
            return out.sorted()
        }
    }

    /// Clause ids only grow (a file indexed again takes new ones), and a group names its lead in
    /// 31 bits (`GroupEdit`): past this id, an update of every file (not one `removing` some)
    /// empties the index first, so that ids start again from 1.
    var idLimit = Int(Int32.max) / 2

    /// Whether the next update should be one of every file (see `idLimit`).
    var idsNearLimit: Bool { ((try? db.read { try Int.fetchOne($0, sql: "SELECT MAX(id) FROM clause") }) ?? nil ?? 0) > idLimit }

    /// Rows of the FTS index: one per group of clauses (for tests).
    var ftsRows: Int { db.inDatabase { _ in ranker.groups.leads } }

    /// Clauses whose length `redline_rank` has in memory (for tests).
    var clausesWithLengths: Int { db.inDatabase { _ in ranker.rowsKnown } }

    /// Whether the clause lengths are mapped from the catalog's file (for tests).
    var lengthsMapped: Bool { db.inDatabase { _ in ranker.isMapped } }
    /// The bytes of the database file this connection reads mapped (`readMapped`; for tests).
    var mappedFileBytes: Int { (try? db.inDatabase { try Int.fetchOne($0, sql: "PRAGMA mmap_size") ?? 0 }) ?? 0 }

    /// Forgets the in-memory clause lengths, so `redline_rank` reads them as `bm25()` does.
    func forgetLengths() { db.inDatabase { _ in ranker.forget() } }

    /// The ranking of `run`: BM25 with the column weights, lengths from memory (`ClauseRanker`);
    /// clauses that match only through their section title or retailer come after those whose text matches.
    ///
    /// Called as an expression on every match, not through FTS5's `ORDER BY rank` (FTS5 sorts every
    /// match for that, an inner `ORDER BY` without the limit) nor SQLite's `ORDER BY … LIMIT n`
    /// (a record built and compared per match): the function keeps the best rows itself
    /// (`ClauseRanker.BestRows`).
    /// With `deferIDF`, a one-phrase query is ranked without its IDF (see `ClauseRanker.Deferred`),
    /// which is exact only when nothing but the MATCH selects the ranked rows.
    static func ranking(deferIDF: Bool) -> String {
        "\(ClauseRanker.name)(clause_fts, \(weights.retailer), \(weights.section), \(weights.text), 0.0, \(textColumn), \(deferIDF ? 1 : 0), ?2, ?3)"
    }

    private static let open = "\u{E000}"
    private static let close = "\u{E001}"

    /// Clauses matching `text`, best first. Never throws for a malformed query: it is read literally.
    /// `snippets: false` leaves `SearchHit.snippet` empty, for callers that show the clause around
    /// `matches` themselves (the browser).
    /// `scored: false` leaves the phrases' IDFs out (no walk over each phrase's rows): the hits and
    /// their matches are the same, their scores and order are not, so it is for a limit that takes
    /// every hit (the browser's highlights of one version).
    public func search(_ text: String, limit: Int = 50, prefixLast: Bool = false, snippets: Bool = true,
                       scored: Bool = true) -> [SearchHit] {
        let query = SearchQuery(text, prefixLast: prefixLast)
        guard let match = query.match else { return [] }
        do {
            return try run(match, query, limit: limit, snippets: snippets, scored: scored)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT {
            return []   // superseded (see `interrupt`): nobody wants the answer
        } catch {
            // Not valid FTS5 after all: answer the words literally.
            guard let literal = SearchQuery.literal(text) else { return [] }
            return (try? run(literal, query, limit: limit, snippets: snippets, scored: scored)) ?? []
        }
    }

    /// Stops the query running now, from another thread: it returns no hits. For a query that a
    /// newer one superseded. No effect when none is running.
    public func interrupt() {
        interruptionLock.withLock { interruptions += 1 }
        db.interrupt()
        partnerLock.lock()
        let partner = partnerIndex
        partnerLock.unlock()
        partner?.interrupt()
    }

    /// Interruptions so far. `sqlite3_interrupt` stops only a statement that is running: a half of
    /// a query that had not started yet (its thread starting, its connection opening) checks this.
    private var interruptions = 0
    private let interruptionLock = NSLock()
    private func interrupted(since generation: Int) -> Bool { interruptionLock.withLock { interruptions != generation } }
    /// For tests: run just before the upper half starts, and how many upper halves ran.
    var beforeUpperHalf: (@Sendable () -> Void)?
    private(set) var upperHalvesRun = 0

    /// Where a query's rows are split between two connections, one on each core: at half the
    /// clause ids, when the index holds at least `splitAbove` clauses (a smaller one answers in the
    /// time a second connection takes to open). Nil for an index in memory.
    private func split() throws -> Int64? {
        guard db.path != ":memory:", !db.path.isEmpty else { return nil }
        let groups = db.inDatabase { _ in ranker.groups }
        return groups.leads >= splitAbove ? groups.middle : nil
    }

    /// See `split`: FTS rows, one per group of clauses. (The bundled data hold 135 clauses, 10 000
    /// policies about 420 000 rows, where a second connection saved nothing; a 42 000-version
    /// history 2.2 million clauses in 305 000 rows; 100 000 policies 4.2 million.)
    var splitAbove: Int64 = 1_000_000

    /// The second connection that ranks the upper half of a large query's rows (see `split`),
    /// opened by the first query that needs it, read-only, sharing this one's clause lengths.
    private func partner() throws -> SearchIndex {
        partnerLock.lock()
        defer { partnerLock.unlock() }
        if let partnerIndex { return partnerIndex }
        let queue = try Self.readOnlyQueue(db.path)
        if mapped { try? queue.inDatabase { db in try db.execute(sql: Self.mapping(true)) } }
        let index = try SearchIndex(queue: queue, createSchema: false)
        index.ranker.file = ranker.file   // (its groups: read by its first query, as this connection's)
        partnerIndex = index
        return index
    }
    private var partnerIndex: SearchIndex?
    private let partnerLock = NSLock()
    /// Whether a query was split (for tests).
    var hasPartner: Bool { partnerLock.withLock { partnerIndex != nil } }

    typealias Ranked = (rows: [ClauseRanker.BestRows.Entry], deferred: ClauseRanker.Deferred?, walks: Int)

    /// The best `limit` rows of the ranking statement `rank` (see `run`) on `db`, with the rows
    /// ranked and the IDF left out of their scores (`ClauseRanker.Deferred`), and the walks made
    /// for the phrases' IDFs (shared with the other half of the rows, if `sharing`).
    /// The groups and the clauses `filters` let through are read in the same transaction.
    /// The rows are those of `match` with lead ids in `rows`, narrowed to the rows that may hold a
    /// clause the filters let through (`rank` names both bounds when there are filters).
    private func rank(_ db: Database, _ rank: String, _ match: String, _ rows: ClosedRange<Int64>, limit: Int,
                      sharing: ClauseRanker.SharedIDF? = nil, filters: Filters, scored: Bool) throws -> Ranked {
        try ranker.refresh(db)
        let allowed = try Self.allowedClauses(db, filters)
        ranker.beginQuery(keepingBest: (limit: max(0, limit), instancesIn: Self.textColumn), sharing: sharing,
                          allowing: allowed?.clauses, scored: scored)
        defer { ranker.beginQuery() }
        var (low, high) = (rows.lowerBound, rows.upperBound)
        if let allowed {
            (low, high) = (max(low, allowed.rows.lowerBound), min(high, allowed.rows.upperBound))
        }
        if low <= high { try db.execute(sql: rank, arguments: [match, low, high]) }
        return (ranker.best?.rows ?? [], ranker.deferred, ranker.walks)
    }

    /// `rank` on this index's connection, reading `lengths` (its owner's, when this is a partner).
    /// With `adopting`, the groups of the connection that ranks the other half, if still current.
    private func rankRows(_ rank: String, _ match: String, _ rows: ClosedRange<Int64>, limit: Int, sharing: ClauseRanker.SharedIDF,
                          filters: Filters, scored: Bool,
                          adopting: (groups: ClauseRanker.Groups, stamp: String?)? = nil) throws -> Ranked {
        try db.read { db in
            if let adopting { ranker.adopt(adopting) }
            return try self.rank(db, rank, match, rows, limit: limit, sharing: sharing, filters: filters, scored: scored)
        }
    }

    /// The walks over phrases' rows (for their IDFs) that the last query made, both halves
    /// together (for tests).
    var lastWalks: Int { interruptionLock.withLock { walksOfLastQuery } }
    private var walksOfLastQuery = 0

    private func run(_ match: String, _ query: SearchQuery, limit: Int, snippets: Bool, scored: Bool) throws -> [SearchHit] {
        // One walk over the matches: the ranking function scores each row and keeps the best
        // `limit` clauses of the rows' groups with their phrase instances (`ClauseRanker.BestRows`);
        // then only those clauses are read from `clause`. (FTS5 refuses a ranking function inside
        // an aggregate.) The rows are those between two lead ids (?2 and ?3, also given to the ranking, which
        // leaves any other row alone): all of them, or one half on each core (`split`). A half
        // names only the bound it has, for FTS5 to start or stop its walk there: SQLite checks
        // such a bound again on every row (FTS5 does not take it over), and the ranking does.
        // `retailer:` and `date:` filters name the files whose clauses may be hits: a row stands for
        // clauses of several versions, so the ranking checks each clause it would keep.
        let filters = Self.filters(query)
        let filtered = !filters.sql.isEmpty
        // The ranking is a condition no row meets (a score is never NULL): the walk returns no row
        // to the caller, one step in all instead of a step per match. With filters, the phrases'
        // IDFs are walked for, not deferred, as a clause's score does not depend on them.
        func rank(from low: Bool, to high: Bool) -> String {
            let (low, high) = (low || filtered, high || filtered)
            let within = (low ? " AND clause_fts.rowid >= ?2" : "") + (high ? " AND clause_fts.rowid <= ?3" : "")
            return "SELECT 1 FROM clause_fts WHERE clause_fts MATCH ?1\(within) AND \(Self.ranking(deferIDF: !filtered)) IS NULL"
        }
        guard let split = try split() else {
            // One walk, and the hits read in the same transaction as the ranking.
            return try db.read { db in
                let ranked = try self.rank(db, rank(from: false, to: false), match, .min ... .max, limit: limit, filters: filters,
                                           scored: scored)
                interruptionLock.withLock { walksOfLastQuery = ranked.walks }
                return try hits(db, ranked.rows, idf: ranked.deferred?.idf ?? 1, snippets: snippets)
            }
        }
        // Each half of the clause ids on a core of its own; the best of both are the best of all
        // (rows in the order of score, then id, as one walk keeps them). A deferred IDF is the same
        // for both halves: that of the rows both ranked (a half without a match ranked none).
        let halves = [Int64.min ... split, split + 1 ... Int64.max]
        let generation = interruptionLock.withLock { interruptions }
        let groups = db.inDatabase { _ in ranker.current }
        // The upper half on a thread of its own, on the second connection, or after the lower half
        // on this one if that cannot be opened.
        let beforeUpperHalf = self.beforeUpperHalf
        let sharing = ClauseRanker.SharedIDF()
        let upperRank = rank(from: true, to: false)
        let upper = Background { () throws -> Ranked in
            let index = (try? self.partner()) ?? self
            beforeUpperHalf?()
            guard !self.interrupted(since: generation) else { throw DatabaseError(resultCode: .SQLITE_INTERRUPT) }
            self.interruptionLock.withLock { self.upperHalvesRun += 1 }
            return try index.rankRows(upperRank, match, halves[1], limit: limit, sharing: sharing, filters: filters, scored: scored,
                                      adopting: index === self ? nil : groups)
        }
        let lower = Result { () throws -> Ranked in
            guard !interrupted(since: generation) else { throw DatabaseError(resultCode: .SQLITE_INTERRUPT) }
            return try rankRows(rank(from: false, to: true), match, halves[0], limit: limit, sharing: sharing, filters: filters,
                                scored: scored)
        }
        let higher = Result { try upper.wait() }   // waited for whatever the lower half gave
        let (low, high) = (try lower.get(), try higher.get())
        interruptionLock.withLock { walksOfLastQuery = low.walks + high.walks }
        let best = Array((low.rows + high.rows).sorted(by: ClauseRanker.BestRows.before).prefix(max(0, limit)))
        var idf = 1.0
        if let total = (low.deferred ?? high.deferred)?.total {
            idf = ClauseRanker.Deferred(rows: (low.deferred?.rows ?? 0) + (high.deferred?.rows ?? 0), total: total).idf
        }
        return try db.read { db in try hits(db, best, idf: idf, snippets: snippets) }
    }

    /// A query's `retailer:` and `date:` filters as SQL conditions on `file f` (`filters(_:)`).
    struct Filters: @unchecked Sendable {   // (the arguments are strings)
        let sql: String
        let arguments: [DatabaseValueConvertible]
    }

    /// The clauses of the files that `filters` (`retailer:` and `date:`) let through, and the rows
    /// that may hold one: up to their highest clause, and, when they are a few files, from the
    /// lowest lead of their groups (a lead is its group's lowest clause, of the same retailer,
    /// maybe of an earlier version; read from the files' entries). Nil without filters. (A
    /// version's words in a corpus of 100 000 policies, the browser's highlights, ranked every
    /// row of the word and kept a handful: 0.4 s. A broad filter's files' entries would be
    /// megabytes read for a bound that starts near the first row anyway.)
    private static func allowedClauses(_ db: Database, _ filters: Filters) throws
        -> (clauses: ClauseRanker.ClauseRanges, rows: ClosedRange<Int64>)? {
        guard !filters.sql.isEmpty else { return nil }
        var files: [(first: Int64, last: Int64, id: Int64)] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT first, last, id FROM file f WHERE last >= first\(filters.sql)",
                                       arguments: StatementArguments(filters.arguments))
        while let row = try rows.next() { files.append((row[0], row[1], row[2])) }
        let ranges = ClauseRanker.ClauseRanges(files.map { ($0.first, $0.last) })
        guard !files.isEmpty else { return (ranges, Int64.max ... Int64.max) }   // (no row)
        let high = files.map(\.last).max()!
        guard files.count <= 256 else { return (ranges, Int64.min ... high) }
        var low = files.map(\.first).min()!
        let entries = try db.cachedStatement(sql: "SELECT lengths FROM file WHERE id = ?")
        for file in files {
            guard let blob = try Data.fetchOne(entries, arguments: [file.id]) else { continue }
            blob.withUnsafeBytes { bytes in
                for k in 0..<GroupEdit.count(bytes) {
                    let entry = GroupEdit.entry(bytes, k)
                    if entry & GroupEdit.member != 0 { low = min(low, Int64(entry & ~GroupEdit.member)) }
                }
            }
        }
        return (ranges, low ... high)
    }

    /// The hits of the ranked rows `best`, read from `clause`.
    private func hits(_ db: Database, _ best: [ClauseRanker.BestRows.Entry], idf: Double, snippets: Bool) throws -> [SearchHit] {
        let clause = try db.cachedStatement(sql: """
            SELECT f.doc, f.domain, f.retailer, f.date, c.section, c.sectionTitle, c.ordinal, c.kind, c.text
            FROM clause c JOIN file f ON f.id = c.file WHERE c.id = ?
            """)
        return try best.compactMap { best -> SearchHit? in
            guard let row = try Row.fetchOne(clause, arguments: [best.rowid]) else { return nil }
            let text: String = row[8]
            let matches = ranges(of: best.spans, in: text)
            return SearchHit(doc: row[0], domain: row[1], retailer: row[2], date: row[3], section: row[4],
                             sectionTitle: row[5], clauseIndex: row[6], kind: row[7], text: text,
                             snippet: snippets ? Self.snippet(text, matches: matches) : "",
                             score: Self.bm25(rank: best.score) * idf, matches: matches)
        }
    }

    /// The clause text's column in `clause_fts`.
    static let textColumn: Int32 = 2

    /// FTS5's own `highlight()` of every clause matching `text`, as match ranges keyed by
    /// "doc#clauseIndex": what the hits' `matches` must be. For tests (it walks every match again).
    func fts5Highlights(_ text: String) throws -> [String: [[Int]]] {
        guard let match = SearchQuery(text).match else { return [:] }
        return try db.read { db in
            var out: [String: [[Int]]] = [:]
            let rows = try Row.fetchAll(db, sql: """
                SELECT rowid, highlight(clause_fts, \(Self.textColumn), '\(Self.open)', '\(Self.close)') FROM clause_fts WHERE clause_fts MATCH ?
                """, arguments: [match])
            let clause = try db.cachedStatement(sql: "SELECT f.doc, c.ordinal FROM clause c JOIN file f ON f.id = c.file WHERE c.id = ?")
            try ranker.refresh(db)
            let groups = ranker.groups
            for row in rows {
                var ids: [Int64] = []
                groups.forEachClause(of: row[0]) { ids.append($0); return true }
                for id in ids {
                    guard let named = try Row.fetchOne(clause, arguments: [id]) else { continue }
                    out["\(named[0] as String)#\(named[1] as Int)"] = Self.ranges(in: row[1])
                }
            }
            return out
        }
    }

    /// Unicode scalar ranges `[start, end)` in `text` of phrase instances given as token spans
    /// (what `highlight()` marks): the text is tokenised as FTS5 tokenised it, up to the last
    /// token wanted; overlapping or touching ranges are joined.
    func ranges(of spans: [ClauseRanker.BestRows.Span], in text: String) -> [[Int]] {
        guard let last = spans.map({ $0.token + $0.count - 1 }).max() else { return [] }
        final class Tokens { var last: Int32 = 0; var bytes: [(start: Int32, end: Int32)] = [] }
        let tokens = Tokens()
        tokens.last = last
        var text = text
        return text.withUTF8 { utf8 -> [[Int]] in
            utf8.withMemoryRebound(to: CChar.self) { chars in
                _ = tokenizer.tokenize(context: Unmanaged.passUnretained(tokens).toOpaque(), tokenization: .document,
                                       pText: chars.baseAddress, nText: Int32(chars.count)) { context, flags, _, _, start, end in
                    let tokens = Unmanaged<Tokens>.fromOpaque(context!).takeUnretainedValue()
                    if flags & FTS5_TOKEN_COLOCATED != 0 { return SQLITE_OK }
                    tokens.bytes.append((start, end))
                    return tokens.bytes.count > Int(tokens.last) ? SQLITE_DONE : SQLITE_OK
                }
            }
            var byteRanges: [(start: Int32, end: Int32)] = []
            for span in spans where span.count > 0 && Int(span.token + span.count - 1) < tokens.bytes.count && span.token >= 0 {
                byteRanges.append((tokens.bytes[Int(span.token)].start, tokens.bytes[Int(span.token + span.count - 1)].end))
            }
            byteRanges.sort { $0.start < $1.start }
            var merged: [(start: Int32, end: Int32)] = []
            for r in byteRanges {
                if let m = merged.last, r.start <= m.end { merged[merged.count - 1].end = max(m.end, r.end) } else { merged.append(r) }
            }
            // Byte offsets to scalar offsets: scalars begin at every byte that is not a continuation byte.
            var out: [[Int]] = []
            var scalar = 0, byte = 0
            func advance(to target: Int32) -> Int {
                while byte < Int(target), byte < utf8.count {
                    if utf8[byte] & 0xC0 != 0x80 { scalar += 1 }
                    byte += 1
                }
                return scalar
            }
            for r in merged {
                let start = advance(to: r.start), end = advance(to: r.end)
                if end > start { out.append([start, end]) }
            }
            return out
        }
    }

    /// The BM25 score in a rank of `ranking`: without the demotion of a clause whose text does not match.
    static func bm25(rank: Double) -> Double {
        rank >= ClauseRanker.demotion / 2 ? rank - ClauseRanker.demotion : rank
    }

    /// SQL conditions on the `file f` row of a clause for the query's `retailer:` and `date:` filters.
    static func filters(_ query: SearchQuery) -> Filters {
        var sql = ""
        var arguments: [DatabaseValueConvertible] = []
        if !query.retailers.isEmpty {
            sql += " AND (" + query.retailers.map { _ in retailerCondition }.joined(separator: " OR ") + ")"
            for r in query.retailers { arguments += [likePrefix(r), likePrefix(r)] }
        }
        if !query.dates.isEmpty {
            sql += " AND (" + query.dates.map { _ in "f.date LIKE ? ESCAPE '\\'" }.joined(separator: " OR ") + ")"
            for d in query.dates { arguments.append(likePrefix(d)) }
        }
        for r in query.excludedRetailers {
            sql += " AND NOT " + retailerCondition
            arguments += [likePrefix(r), likePrefix(r)]
        }
        for d in query.excludedDates {
            sql += " AND f.date NOT LIKE ? ESCAPE '\\'"
            arguments.append(likePrefix(d))
        }
        return Filters(sql: sql, arguments: arguments)
    }

    /// A `file f` row whose retailer's name or domain starts with the two arguments (`likePrefix`).
    static let retailerCondition = "(lower(f.retailer) LIKE ? ESCAPE '\\' OR f.domain LIKE ? ESCAPE '\\')"

    static func likePrefix(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    /// About `words` words of `text` around its first match, the matches in `[` `]` (adjacent ones
    /// joined: "[third parties]"), "…" where the clause goes on. Made from the match ranges the hit
    /// carries, so the CLI's snippet and the browser's excerpt show the same matches (FTS5's
    /// `snippet()` tokenised every clause once more, in SQL).
    static func snippet(_ text: String, matches: [[Int]], words: Int = 16) -> String {
        let scalars = Array(text.unicodeScalars)
        var spans: [Range<Int>] = []
        var i = 0
        while i < scalars.count {
            while i < scalars.count, scalars[i].isSpace { i += 1 }
            let start = i
            while i < scalars.count, !scalars[i].isSpace { i += 1 }
            if i > start { spans.append(start..<i) }
        }
        guard !spans.isEmpty else { return "" }
        let first = matches.first?.first ?? 0
        let at = spans.firstIndex { $0.upperBound > first } ?? 0
        let from = max(0, min(at - words / 4, spans.count - words))
        let to = min(spans.count, from + max(1, words))
        // Match starts and ends in order (the ranges are sorted and apart), walked with the words.
        let valid = matches.filter { $0.count == 2 && $0[0] < $0[1] }
        let starts = valid.map { $0[0] }.sorted(), ends = valid.map { $0[1] }.sorted()
        var nextStart = starts.firstIndex { $0 >= spans[from].lowerBound } ?? starts.count
        var nextEnd = ends.firstIndex { $0 >= spans[from].lowerBound } ?? ends.count
        func isStart(_ k: Int) -> Bool {
            while nextStart < starts.count, starts[nextStart] < k { nextStart += 1 }
            return nextStart < starts.count && starts[nextStart] == k
        }
        func isEnd(_ k: Int) -> Bool {
            while nextEnd < ends.count, ends[nextEnd] < k { nextEnd += 1 }
            return nextEnd < ends.count && ends[nextEnd] == k
        }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(scalars.count + 16)
        var inside = false
        // A bracket closed at a word's end, held back: "] [" between two marked words reads " ".
        var closedAtEnd = false
        // One scalar of a word, opening or closing a bracket where a match starts or ends.
        func mark(_ k: Int) {
            if inside, isEnd(k) { out.append("]"); inside = false }
            if !inside, isStart(k) { out.append("["); inside = true }
            out.append(scalars[k])
        }
        // After a word: a match ending with it closes at its end.
        func finish(_ span: Range<Int>) {
            if inside, isEnd(span.upperBound) { inside = false; closedAtEnd = true }
        }
        if from > 0 { out.append("…") }
        for (n, span) in spans[from..<to].enumerated() {
            if closedAtEnd {
                if isStart(span.lowerBound) {
                    out.append(" ")
                    inside = true
                    closedAtEnd = false
                    out.append(scalars[span.lowerBound])
                    for k in span.dropFirst() { mark(k) }
                    finish(span)
                    continue
                }
                out.append("]")
                closedAtEnd = false
            }
            if n > 0 { out.append(" ") }
            for k in span { mark(k) }
            finish(span)
        }
        if closedAtEnd || inside { out.append("]") }
        if to < spans.count { out.append("…") }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: out)
        return String(result)
    }

    /// Scalar ranges between highlight markers, in the text with the markers removed.
    static func ranges(in highlighted: String) -> [[Int]] {
        var out: [[Int]] = []
        var offset = 0
        var start: Int?
        for s in highlighted.unicodeScalars {
            if s == "\u{E000}" { start = offset; continue }
            if s == "\u{E001}" {
                if let st = start, offset > st {
                    // FTS5 marks adjacent phrase tokens separately; merge touching ranges.
                    if let last = out.last, last[1] == st { out[out.count - 1][1] = offset } else { out.append([st, offset]) }
                }
                start = nil
                continue
            }
            offset += 1
        }
        return out
    }

    /// What the query's `retailer:` (`site:`, `domain:`) values name nothing of, to say when nothing
    /// matches ("no retailer's domain or name starts with "zzz"").
    public func retailerNotes(_ query: SearchQuery) -> [String] {
        let values = query.retailers + query.excludedRetailers
        guard !values.isEmpty else { return [] }
        return values.filter { value in
            let found = try? db.read { db in
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM file f WHERE \(Self.retailerCondition))",
                                  arguments: [Self.likePrefix(value), Self.likePrefix(value)])
            }
            return found == false
        }.map { "no retailer's domain or name starts with \"\($0)\"" }
    }

    /// Every indexed version's words by category (`CategoryWords`), by version id.
    public func categoryWords() throws -> [String: CategoryWords] {
        try db.read { db in
            var out: [String: CategoryWords] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT doc, words FROM file")
            while let row = try rows.next() {
                if let words = CategoryWords(encoded: row[1]) { out[row[0]] = words }
            }
            return out
        }
    }

    /// For each retailer, how many clauses match in each version, and where the query first and last appears.
    public func history(_ text: String) -> [QueryHistory] {
        let query = SearchQuery(text)
        guard let match = query.match else { return [] }
        // `retailer:` and `date:` narrow the counts as they narrow a search.
        // Each matching row counts for every clause of its group that the filters let through.
        let filters = Self.filters(query)
        var counts: [String: Int] = [:]
        for m in [match, SearchQuery.literal(text)].compactMap({ $0 }) {
            guard let found = try? db.read({ db -> [String: Int] in
                try ranker.refresh(db)
                let leads = try Int64.fetchAll(db, sql: "SELECT rowid FROM clause_fts WHERE clause_fts MATCH ?", arguments: [m])
                let files = try Row.fetchAll(db, sql: "SELECT first, last, doc FROM file f WHERE last >= first\(filters.sql) ORDER BY first",
                                             arguments: StatementArguments(filters.arguments))
                let ranges = ClauseRanker.ClauseRanges(files.map { ($0[0] as Int64, $0[1] as Int64) })
                let groups = ranker.groups
                var found: [String: Int] = [:]
                for lead in leads {
                    groups.forEachClause(of: lead) { id in
                        if let k = ranges.index(of: id) { found[files[k][2], default: 0] += 1 }
                        return true
                    }
                }
                return found
            }) else { continue }
            counts = found
            break
        }
        // The versions the filters let through, each with its count (none for most).
        let all = (try? db.read { db in
            try Row.fetchAll(db, sql: "SELECT DISTINCT domain, retailer, doc, date FROM file f WHERE last >= first\(filters.sql) ORDER BY domain, date",
                             arguments: StatementArguments(filters.arguments))
        }) ?? []
        var byDomain: [String: QueryHistory] = [:]
        var order: [String] = []
        for row in all {
            let domain: String = row[0]
            if byDomain[domain] == nil {
                byDomain[domain] = QueryHistory(domain: domain, retailer: row[1], versions: [], firstSeen: nil, lastSeen: nil)
                order.append(domain)
            }
            let doc: String = row[2]
            let date: String = row[3]
            let n = counts[doc] ?? 0
            byDomain[domain]?.versions.append(.init(doc: doc, date: date, clauses: n))
            if n > 0 {
                if byDomain[domain]?.firstSeen == nil { byDomain[domain]?.firstSeen = date }
                byDomain[domain]?.lastSeen = date
            }
        }
        return order.compactMap { byDomain[$0] }
    }
}
