import Foundation
import GRDB
import GRDBSQLite

/// FTS5's BM25 over clauses, computed with every row's length held in memory.
///
/// SQLite's built-in `bm25()` reads each matching row's column sizes from the `_docsize` table
/// (or, as this index has none, tokenizes the row again);
/// on a frequent word (34 812 matching clauses for "cookie" in 10 000 policies) those reads are
/// about half of a query. `redline_rank` is the same formula, the same constants and the same
/// per-column weights (`fts5Bm25Function` in SQLite's `fts5_aux.c`), with the row length (all
/// columns, as `xColumnSize(-1)`) taken from an array loaded once after each index update from
/// the lengths the build stored with each file's row. A row stands for a group of clauses alike
/// (`Groups`): the row count, average length and each phrase's document frequency are counted
/// over clauses, so every clause scores what a row of its own would, and each clause of a row's
/// group is a hit. Rows the array does not know fall back to `xColumnSize`, one clause each.
///
/// The function belongs to one connection (a `DatabaseQueue`): the queue serialises the updates
/// that reload the groups and the queries that read them.
final class ClauseRanker {
    static let name = "redline_rank"
    /// Added to the score of a row without a match in the column named by the optional fifth
    /// argument, `redline_rank(w0, w1, w2, w3, column)`: such rows rank after every row with one.
    static let demotion = 1_000_000.0
    /// The groups of clauses that share an FTS row, and the rows' lengths (see `Groups`).
    fileprivate var stored = Groups()
    /// Clauses ranked by the query running now (its deferred IDF's document frequency).
    fileprivate let rowsRanked = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    /// Walks over a phrase's rows (`xQueryPhrase`, for its IDF) made by the query running now.
    fileprivate let phraseWalks = UnsafeMutablePointer<Int>.allocate(capacity: 1)

    /// The file beside a catalog that holds the groups for mapping (`Groups(mapping:stamp:)`); nil
    /// for an index of its own.
    var file: String?

    /// Clauses with the same retailer, section title, text and categories share one FTS row (a
    /// group; a version that repeats the one before repeats most of its clauses). The row's id is
    /// the group's lowest clause id, its lead. Per clause id: `lengths`, the tokens of a lead's row
    /// (all columns; 0 = unknown, or no lead); `counts`, the clauses a lead's row stands for (0: no
    /// lead); `nexts`, the next clause of the same group, by id (0: none). BM25's statistics are
    /// counted over clauses (`clauses`, `tokens`), so a score is the one a row per clause gets.
    /// In memory that is never moved or reference-counted while a query reads it, and never
    /// written once made (but by `GroupEdit`, before anyone reads it).
    final class Groups: @unchecked Sendable {
        let lengths: UnsafeMutableBufferPointer<UInt32>
        let counts: UnsafeMutableBufferPointer<UInt32>
        let nexts: UnsafeMutableBufferPointer<UInt32>
        /// A bit per clause id, set for a lead of more than one clause: what a walk over many rows
        /// reads for each, an eighth of a byte in memory that stays in the processor's cache
        /// (`counts`, a miss per row, is read only where the bit is set).
        let multiple: UnsafeMutableBufferPointer<UInt32>
        /// Words of `multiple` for `count` clause ids.
        static func words(_ count: Int) -> Int { (count + 31) / 32 }
        /// Clauses, their tokens, and leads (FTS rows), in all.
        let clauses: Int, tokens: Int, leads: Int
        /// A lead id with half the leads at or below it: where a query's rows are split.
        let middle: Int64
        /// The mapping the arrays lie in (to unmap), or nil when they were allocated.
        private let mapping: (UnsafeMutableRawPointer, Int)?

        /// No groups: every FTS row is a clause, with its length read as `bm25()` reads it.
        convenience init() { self.init(count: 0) }

        /// Zeroed arrays for clause ids below `count`, to fill (`scan`).
        init(count: Int, clauses: Int = 0, tokens: Int = 0, leads: Int = 0, middle: Int64 = 0) {
            func zeroed() -> UnsafeMutableBufferPointer<UInt32> {
                let b = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: count)
                b.initialize(repeating: 0)
                return b
            }
            (lengths, counts, nexts) = (zeroed(), zeroed(), zeroed())
            multiple = .allocate(capacity: Self.words(count))
            multiple.initialize(repeating: 0)
            (self.clauses, self.tokens, self.leads, self.middle) = (clauses, tokens, leads, middle)
            mapping = nil
        }

        /// The same arrays with their totals counted.
        private init(_ other: Groups, clauses: Int, tokens: Int, leads: Int, middle: Int64) {
            (lengths, counts, nexts, multiple) = (other.lengths, other.counts, other.nexts, other.multiple)
            (self.clauses, self.tokens, self.leads, self.middle) = (clauses, tokens, leads, middle)
            mapping = other.mapping
            other.owned = false
        }
        /// Whether deinit frees the arrays (not once another object took them over).
        private var owned = true

        /// The header of the stored form: stamp, count, clauses, tokens, leads, middle.
        private static let header = 48
        /// The stored form's bytes for `count` clause ids.
        private static func size(_ count: Int) -> Int { header + 12 * count + 4 * words(count) }

        /// Read from the stored form (`write`, `packed`) at `base`, or nil if it is not whole.
        private init?(_ base: UnsafeRawPointer, size: Int, mapping: (UnsafeMutableRawPointer, Int)?, stamp: UInt64?) {
            guard size >= Self.header else { return nil }
            let field = { (k: Int) in base.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self) }
            let count = Int(field(1))
            guard stamp.map({ field(0) == $0 }) ?? true, size == Self.size(count) else { return nil }
            (clauses, tokens, leads, middle) = (Int(field(2)), Int(field(3)), Int(field(4)), Int64(field(5)))
            if mapping != nil {
                let arrays = UnsafeMutableRawPointer(mutating: base + Self.header)
                    .bindMemory(to: UInt32.self, capacity: 3 * count + Self.words(count))
                lengths = .init(start: arrays, count: count)
                counts = .init(start: arrays + count, count: count)
                nexts = .init(start: arrays + 2 * count, count: count)
                multiple = .init(start: arrays + 3 * count, count: Self.words(count))
            } else {
                func copy(_ k: Int, _ n: Int) -> UnsafeMutableBufferPointer<UInt32> {
                    let b = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n)
                    for i in 0..<n {
                        b[i] = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: Self.header + 4 * (k * count + i), as: UInt32.self))
                    }
                    return b
                }
                (lengths, counts, nexts, multiple) = (copy(0, count), copy(1, count), copy(2, count), copy(3, Self.words(count)))
            }
            self.mapping = mapping
        }

        /// From `packed()` bytes (an index without a file keeps them in `meta`).
        convenience init?(packed: Data) {
            guard let made = packed.withUnsafeBytes({ bytes in
                bytes.baseAddress.flatMap { Groups($0, size: bytes.count, mapping: nil, stamp: nil) }
            }) else { return nil }
            self.init(made, clauses: made.clauses, tokens: made.tokens, leads: made.leads, middle: made.middle)
        }

        /// Mapped read-only from `path` (written by `write(to:stamp:)`), if its header says `stamp`:
        /// a search then reads only the pages of the rows it ranks, not every clause's.
        convenience init?(mapping path: String, stamp: UInt64) {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            var st = stat()
            guard fstat(fd, &st) == 0, Int(st.st_size) >= Self.header else { return nil }
            let size = Int(st.st_size)
            guard let base = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), base != MAP_FAILED else { return nil }
            guard let made = Groups(base, size: size, mapping: (base, size), stamp: stamp) else {
                munmap(base, size)
                return nil
            }
            self.init(made, clauses: made.clauses, tokens: made.tokens, leads: made.leads, middle: made.middle)
        }

        var isMapped: Bool { mapping != nil }
        var count: Int { lengths.count }

        deinit {
            guard owned else { return }
            if let (base, size) = mapping { munmap(base, size) } else { for b in [lengths, counts, nexts, multiple] { b.deallocate() } }
        }

        /// The clauses of the group `lead` leads, by id (the lead alone when it is not known).
        @inline(__always) func forEachClause(of lead: Int64, _ body: (Int64) -> Bool) {
            var id = lead
            while body(id), id >= 0, id < nexts.count, nexts[Int(id)] != 0 { id = Int64(nexts[Int(id)]) }
        }

        /// Made from every file's `lengths` blob (see `GroupEdit`), read in the table's order (read
        /// in order of `first`, the blobs went through SQLite's sorter and a temporary file): the
        /// entries are set down first, then walked from the last clause id down, so that a clause
        /// put right after its lead makes each group's list ascend, with no array of list ends.
        static func scan(_ db: Database) throws -> Groups {
            let top = try Int.fetchOne(db, sql: "SELECT MAX(last) FROM file WHERE last >= first") ?? -1
            guard top >= 0, top < Int(Int32.max) else { return Groups() }
            let groups = Groups(count: top + 1)
            // No file's clause: never an entry (a member's is below 2³¹ + 2³⁰, a lead's below 2³¹).
            let none = UInt32.max
            groups.lengths.update(repeating: none)
            let rows = try Row.fetchCursor(db, sql: "SELECT first, lengths FROM file WHERE last >= first")
            while let row = try rows.next() {
                let first: Int = row[0]
                try row.withUnsafeData(atIndex: 1) { packed in
                    guard let packed, first >= 0, first + packed.count / 4 <= top + 1 else { return }
                    packed.withUnsafeBytes { bytes in
                        for k in 0..<GroupEdit.count(bytes) { groups.lengths[first + k] = GroupEdit.entry(bytes, k) }
                    }
                }
            }
            for id in stride(from: top, through: 0, by: -1) {
                let entry = groups.lengths[id]
                if entry == none {
                    groups.lengths[id] = 0
                    continue
                }
                let lead = Int(entry & ~GroupEdit.member)
                if entry & GroupEdit.member != 0, lead < id {
                    groups.lengths[id] = 0
                    groups.nexts[id] = groups.nexts[lead]
                    groups.nexts[lead] = UInt32(id)
                    groups.counts[lead] += 1
                } else {
                    if entry & GroupEdit.member != 0 { groups.lengths[id] = 0 }
                    groups.counts[id] += 1
                }
            }
            var clauses = 0, tokens = 0, leads = 0
            for id in 0...top where groups.counts[id] > 0 {
                if groups.counts[id] > 1 { groups.multiple[id >> 5] |= 1 << UInt32(id & 31) }
                leads += 1
                clauses += Int(groups.counts[id])
                tokens += Int(groups.counts[id]) * Int(groups.lengths[id])
            }
            var middle: Int64 = 0, seen = 0
            for id in 0...top where groups.counts[id] > 0 {
                seen += 1
                if seen * 2 >= leads { middle = Int64(id); break }
            }
            return Groups(groups, clauses: clauses, tokens: tokens, leads: leads, middle: middle)
        }

        /// The stored form, a part at a time: the header (`stamp` first), then the arrays as they
        /// lie in memory.
        private func parts(stamp: UInt64, _ body: (UnsafeRawBufferPointer) -> Void) {
            withUnsafeBytes(of: (stamp, UInt64(count), UInt64(clauses), UInt64(tokens), UInt64(leads), UInt64(bitPattern: middle))) { body($0) }
            for b in [lengths, counts, nexts, multiple] { body(UnsafeRawBufferPointer(b)) }
        }

        /// The stored form as bytes (for `meta`).
        func packed() -> Data {
            var data = Data(capacity: Self.size(count))
            parts(stamp: 0) { data.append(contentsOf: $0) }
            return data
        }

        /// Writes the stored form for mapping, by a new file renamed over the old, so a reader maps
        /// one whole file or the other.
        func write(to path: String, stamp: UInt64) {
            let temporary = path + ".\(getpid()).tmp"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { return }
            var ok = true
            func put(_ bytes: UnsafeRawBufferPointer) {
                var done = 0
                while ok, done < bytes.count {
                    let n = Foundation.write(fd, bytes.baseAddress! + done, bytes.count - done)
                    if n <= 0 { ok = false } else { done += n }
                }
            }
            parts(stamp: stamp, put)
            close(fd)
            if !ok || rename(temporary, path) != 0 { unlink(temporary) }
        }
    }

    init() {
        rowsRanked.initialize(to: 0)
        phraseWalks.initialize(to: 0)
    }
    deinit {
        rowsRanked.deallocate()
        phraseWalks.deallocate()
    }

    /// Registers `redline_rank` on the connection. The ranker lives as long as the connection.
    func register(in db: Database) {
        let api = UnsafeMutablePointer(mutating: FTS5.api(db))
        let context = Unmanaged.passRetained(self).toOpaque()
        _ = api.pointee.xCreateFunction(api, Self.name, context, rankFunction, { pointer in
            if let pointer { Unmanaged<ClauseRanker>.fromOpaque(pointer).release() }
        })
    }

    /// Reads the groups: mapped from `file` when it is this index's (its stamp in `meta`), else
    /// the stored form in `meta` (an index without a file), else from the file rows (`rebuild`).
    func reload(_ db: Database) throws {
        let stamp = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'lengths-stamp'")
        loadedStamp = stamp
        if let file {
            if let stamp = stamp.flatMap(UInt64.init), let mapped = Groups(mapping: file, stamp: stamp) {
                stored = mapped
                return
            }
            return try rebuild(db, store: false)
        }
        guard let packed = try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'lengths'"),
              let groups = Groups(packed: packed) else {
            return try rebuild(db, store: false)
        }
        stored = groups
    }

    /// Reads the groups again if an update (this connection's or another's, in this process or
    /// another) stored others since they were read: called in the transaction that ranks, so
    /// the groups are those of the rows it reads. One read of `meta` when they are current.
    func refresh(_ db: Database) throws {
        let stamp = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'lengths-stamp'")
        if stamp != loadedStamp { try reload(db) }
    }
    /// The `lengths-stamp` of `meta` when the groups in use were read or stored.
    private var loadedStamp: String?

    /// The groups in use and their stamp (read on the connection's queue), for another
    /// connection to the same index to `adopt`.
    var current: (groups: Groups, stamp: String?) { (stored, loadedStamp) }

    /// Uses another connection's groups (`current`): kept by the next `refresh` only if they are
    /// still those the index holds. (A second mapping of the same file would fault in its pages
    /// again.)
    func adopt(_ current: (groups: Groups, stamp: String?)) {
        guard current.stamp != loadedStamp else { return }
        (stored, loadedStamp) = current
    }

    /// Reads the groups from the `file` table, where the index build stores each file's clauses as
    /// one blob (`GroupEdit`): a read of every file row, not of every clause's row. With
    /// `store`, keeps them under a new stamp in `meta`: in `file`, or without a file in `meta`.
    func rebuild(_ db: Database, store: Bool) throws {
        let groups = try Groups.scan(db)
        stored = groups
        guard store else { return }
        // A file whose stamp is not the one committed with these rows is never mapped (a crash
        // between the two, another process's build): the file rows are read instead.
        let stamp = UInt64.random(in: 1...UInt64(Int64.max))
        if let file {
            groups.write(to: file, stamp: stamp)
        } else {
            try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES('lengths', ?)", arguments: [groups.packed()])
        }
        try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES('lengths-stamp', ?)", arguments: [String(stamp)])
        loadedStamp = String(stamp)
    }

    /// Forgets the lengths, so rows are ranked with the lengths `bm25()` reads (for tests of an
    /// index without groups).
    func forget() { stored = Groups() }

    /// The groups in use (read on the connection's queue).
    var groups: Groups { stored }

    /// Whether the groups in use are mapped from `file` (for tests).
    var isMapped: Bool { stored.isMapped }

    /// Clauses whose row's length is in memory (for tests: the others fall back to `xColumnSize`).
    var rowsKnown: Int {
        (0..<stored.count).reduce(0) { stored.lengths[$1] > 0 ? $0 + Int(stored.counts[$1]) : $0 }
    }

    /// What the ranking reads and writes for every row of one query, in memory of its own: no
    /// reference counting and no exclusivity checks per row (the Swift runtime's retains, releases
    /// and access checks were a fifth of a query's samples under `perf`). Made at the query's first
    /// row, freed with the FTS5 cursor (as its auxiliary data).
    struct QueryData {
        /// Per phrase: inverse document frequency (1 when deferred; NaN until a row has the phrase),
        /// this row's weighted hits, tokens.
        let idf: UnsafeMutableBufferPointer<Double>
        let frequencies: UnsafeMutableBufferPointer<Double>
        let phraseSizes: UnsafeMutableBufferPointer<Int32>
        /// Per column: its BM25 weight.
        let weights: UnsafeMutableBufferPointer<Double>
        let averageLength: Double
        /// Clauses in the index.
        let rowCount: Int64
        /// The column a row must match in to escape the demotion, or -1.
        let required: Int32
        /// The groups, held for the query; read per row through their arrays (`Rows`), never
        /// through the object (a retain and a release per row).
        let groups: Groups
        let rows: Rows
        /// The clauses a hit may be, if not all (`retailer:` and `date:` filters; held by the ranker
        /// for the query).
        let allowed: Unmanaged<ClauseRanges>?
        /// The rows this call ranks (its eighth and ninth arguments, inclusive): a row outside is
        /// neither ranked nor counted, whatever order SQLite checks the WHERE's terms in.
        let low: Int64, high: Int64
        let rowsRanked: UnsafeMutablePointer<Int>
        let phraseWalks: UnsafeMutablePointer<Int>
        let shared: SharedIDF?
        let best: BestRows?
        /// The row to beat once `best` is full: a row ranking after it is not kept.
        var bound: (score: Double, rowid: Int64)?

        static func release(_ pointer: UnsafeMutableRawPointer?) {
            guard let data = pointer?.assumingMemoryBound(to: QueryData.self) else { return }
            let q = data.pointee
            for buffer in [q.idf, q.frequencies, q.weights] { buffer.deallocate() }
            q.phraseSizes.deallocate()
            data.deinitialize(count: 1)
            data.deallocate()
        }
    }

    /// A one-phrase query ranked with its IDF left out (`redline_rank`'s sixth argument): the
    /// order is the same, since the IDF multiplies every row's score alike, and the pass over
    /// every row of the phrase that computes it is saved (for "children" on 10 000 policies, a
    /// second walk over its 10 594 rows). Every matching row is ranked once, so the rows counted
    /// here are the phrase's document frequency, and `idf()` gives the factor afterwards.
    struct Deferred {
        var rows = 0
        var total = 0
        /// The IDF the row count gives, as `bm25()` computes it.
        var idf: Double { ClauseRanker.idf(rows: Double(total), hits: Double(rows)) }
    }
    /// The query running now, when its IDF is deferred. Reset by `beginQuery`.
    var deferred: Deferred? { deferredTotal.map { Deferred(rows: rowsRanked.pointee, total: $0) } }
    /// The rows of the index, when the query running now defers its IDF.
    fileprivate var deferredTotal: Int?
    /// The best rows of the query running now, when asked for (`beginQuery(keepingBest:)`).
    private(set) var best: BestRows?
    /// The phrase IDFs the query running now shares with the other half of its rows, if split.
    private(set) var sharedIDF: SharedIDF?
    /// Walks over a phrase's rows the query running now made (see `SharedIDF`).
    var walks: Int { phraseWalks.pointee }

    /// Resets the per-query state; with `keepingBest`, the ranking keeps the best rows itself
    /// (see `BestRows`); with `sharing`, the phrases' IDFs are those of `SharedIDF`; with
    /// `allowing`, only those clauses are kept among the best; without `scored`, every phrase's
    /// IDF is 1 (no walk for it).
    func beginQuery(keepingBest: (limit: Int, instancesIn: Int32)? = nil, sharing: SharedIDF? = nil,
                    allowing: ClauseRanges? = nil, scored: Bool = true) {
        deferredTotal = nil
        rowsRanked.pointee = 0
        phraseWalks.pointee = 0
        best = keepingBest.map { BestRows(limit: $0.limit, column: $0.instancesIn) }
        sharedIDF = sharing
        allowed = allowing
        self.scored = scored
    }
    /// Whether the query running now weighs phrases by their IDFs.
    fileprivate var scored = true
    /// The clauses the query running now may keep, if not all.
    fileprivate var allowed: ClauseRanges?

    /// The arrays of `Groups`, as a query reads them for every row.
    struct Rows {
        let lengths: UnsafeMutableBufferPointer<UInt32>
        let counts: UnsafeMutableBufferPointer<UInt32>
        let nexts: UnsafeMutableBufferPointer<UInt32>
        let multiple: UnsafeMutableBufferPointer<UInt32>
        /// Whether any row stands for more than one clause. (When none does, the bits, counts
        /// and lists are never read.)
        let grouped: Bool
        init(_ groups: Groups) {
            (lengths, counts, nexts, multiple) = (groups.lengths, groups.counts, groups.nexts, groups.multiple)
            grouped = groups.leads < groups.clauses
        }
        /// Whether the row `lead` stands for more than one clause.
        @inline(__always) func isMultiple(_ lead: Int64) -> Bool {
            grouped && lead >= 0 && lead < counts.count && multiple[Int(lead) >> 5] & (1 << UInt32(lead & 31)) != 0
        }
        /// The clauses the row `lead` stands for (1 when it is not known).
        @inline(__always) func clauses(of lead: Int64) -> Int { isMultiple(lead) ? Int(counts[Int(lead)]) : 1 }
        /// The clause after `id` in its group, or nil.
        @inline(__always) func next(_ id: Int64) -> Int64? {
            grouped && id >= 0 && id < nexts.count && nexts[Int(id)] != 0 ? Int64(nexts[Int(id)]) : nil
        }
    }

    /// Clause ids in sorted, disjoint ranges (those of the files a query's filters let through).
    final class ClauseRanges: @unchecked Sendable {
        private let firsts: [Int64], lasts: [Int64]
        init(_ ranges: [(first: Int64, last: Int64)]) {
            let sorted = ranges.sorted { $0.first < $1.first }
            firsts = sorted.map(\.first)
            lasts = sorted.map(\.last)
        }
        func contains(_ id: Int64) -> Bool { index(of: id) != nil }
        /// Which range (in order of `first`) holds `id`, if one does.
        func index(of id: Int64) -> Int? {
            var low = 0, high = firsts.count   // the first range starting after `id`
            while low < high {
                let mid = (low + high) / 2
                if firsts[mid] <= id { low = mid + 1 } else { high = mid }
            }
            return low > 0 && id <= lasts[low - 1] ? low - 1 : nil
        }
    }

    /// For tests: run before each walk over a phrase's rows.
    nonisolated(unsafe) static var beforeWalk: (() -> Void)?

    /// The IDFs of one query's phrases, shared by the two halves of its rows (each ranked on a
    /// connection and a core of its own). A phrase's IDF needs a walk over every row that has it,
    /// in both halves alike: each phrase is walked once, by the first half that needs it, while
    /// the other walks another phrase it needs, or waits for the value.
    final class SharedIDF: @unchecked Sendable {   // every field under `condition`
        private let condition = NSCondition()
        private var values: [Int: Double] = [:]
        private var walking: Set<Int> = []

        init() {}

        /// The IDF of each phrase of `phrases` (into `idf`, by phrase), walking with `walk` those
        /// no half has walked or is walking; the failure of a walk of this half, if one fails.
        func resolve(_ phrases: [Int], into idf: UnsafeMutableBufferPointer<Double>,
                     walk: (Int) -> Result<Double, WalkFailure>) -> Result<Void, WalkFailure> {
            var pending = phrases
            while true {
                condition.lock()
                pending.removeAll { p in
                    guard let value = values[p] else { return false }
                    idf[p] = value
                    return true
                }
                guard !pending.isEmpty else { condition.unlock(); return .success(()) }
                guard let p = pending.first(where: { !walking.contains($0) }) else {
                    condition.wait()   // the other half walks every phrase still pending
                    condition.unlock()
                    continue
                }
                walking.insert(p)
                condition.unlock()
                let walked = walk(p)
                condition.lock()
                walking.remove(p)
                if case .success(let value) = walked { values[p] = value }
                condition.broadcast()
                condition.unlock()
                // A failed walk leaves the phrase to the other half, if it needs it.
                if case .failure(let failure) = walked { return .failure(failure) }
            }
        }
    }

    /// The best `limit` rows ranked so far (lowest score first, then lowest rowid), each with its
    /// phrase instances in one column: what FTS5's `highlight()` reads. Kept while ranking, so a
    /// query is one walk over its matches with nothing else done per match: no sorter (SQLite's
    /// `ORDER BY … LIMIT` builds a record and compares it for every match) and no second walk for
    /// the highlights.
    final class BestRows {
        let limit: Int
        let column: Int32
        /// A max-heap on (score, rowid): its top is the row to beat.
        private var heap: [Entry] = []

        struct Span: Equatable { var token: Int32; var count: Int32 }
        struct Entry { var score: Double; var rowid: Int64; var spans: [Span] }

        init(limit: Int, column: Int32) {
            self.limit = limit
            self.column = column
        }

        /// The rows kept, best first.
        var rows: [Entry] { heap.sorted(by: Self.before) }

        static func before(_ a: Entry, _ b: Entry) -> Bool { (a.score, a.rowid) < (b.score, b.rowid) }

        /// Whether a row with this score would be kept now.
        func admits(_ rowid: Int64, score: Double) -> Bool {
            limit > 0 && (heap.count < limit || (score, rowid) < (heap[0].score, heap[0].rowid))
        }

        /// Keeps `row` (which `admits`), and returns the row to beat from now on, if the best are all there.
        func insert(_ row: Entry) -> (score: Double, rowid: Int64)? {
            guard limit > 0 else { return nil }
            if heap.count < limit {
                heap.append(row)
                var i = heap.count - 1
                while i > 0, Self.before(heap[(i - 1) / 2], heap[i]) { heap.swapAt(i, (i - 1) / 2); i = (i - 1) / 2 }
            } else {
                heap[0] = row
                var i = 0
                while true {
                    let l = 2 * i + 1, r = l + 1
                    var largest = i
                    if l < heap.count, Self.before(heap[largest], heap[l]) { largest = l }
                    if r < heap.count, Self.before(heap[largest], heap[r]) { largest = r }
                    if largest == i { break }
                    heap.swapAt(i, largest)
                    i = largest
                }
            }
            return heap.count == limit ? (heap[0].score, heap[0].rowid) : nil
        }
    }

    static func idf(rows: Double, hits: Double) -> Double {
        let idf = log((rows - hits + 0.5) / (hits + 0.5))
        return idf <= 0 ? 1e-6 : idf
    }
}

private typealias ExtensionAPI = UnsafePointer<Fts5ExtensionApi>

/// `fts5_extension_function`: `redline_rank(weight of column 0, …, weight of column 3[, required
/// column[, 1 to defer a lone phrase's IDF[, first rowid, last rowid]]])`. Deferring is only exact
/// when every row that matches the phrase is ranked: no other condition may filter the rows before
/// the ranking (the rowid range is the function's own).
private func rankFunction(_ api: ExtensionAPI?, _ fts: OpaquePointer?, _ context: OpaquePointer?,
                          _ argc: Int32, _ argv: UnsafeMutablePointer<OpaquePointer?>?) {
    guard let api, let fts else { return }
    let x = api.pointee
    let q: UnsafeMutablePointer<ClauseRanker.QueryData>
    if let aux = x.xGetAuxdata(fts, 0) {
        q = aux.assumingMemoryBound(to: ClauseRanker.QueryData.self)
    } else {
        guard let user = x.xUserData(fts), let made = queryData(api, fts, argc, argv,
                                                                  Unmanaged<ClauseRanker>.fromOpaque(user).takeUnretainedValue()) else {
            sqlite3_result_error(context, "redline_rank: no statistics", -1)
            return
        }
        q = made
        let rc = x.xSetAuxdata(fts, q, { ClauseRanker.QueryData.release($0) })
        guard rc == SQLITE_OK else { sqlite3_result_error_code(context, rc); return }
    }
    let rowid = x.xRowid(fts)
    guard rowid >= q.pointee.low, rowid <= q.pointee.high else { return sqlite3_result_double(context, 0) }
    let groups = q.pointee.rows
    q.pointee.rowsRanked.pointee += groups.clauses(of: rowid)
    let frequencies = q.pointee.frequencies, weights = q.pointee.weights, required = q.pointee.required
    frequencies.update(repeating: 0)
    var rc = SQLITE_OK
    var hasRequired = false
    for p in 0..<frequencies.count {
        var iterator = Fts5PhraseIter()
        var column: Int32 = -1, offset: Int32 = 0
        rc = x.xPhraseFirst(fts, Int32(p), &iterator, &column, &offset)
        guard rc == SQLITE_OK else { break }
        while column >= 0 {
            if column == required { hasRequired = true }
            frequencies[p] += Int(column) < weights.count ? weights[Int(column)] : 1.0
            x.xPhraseNext(fts, &iterator, &column, &offset)
        }
    }
    guard rc == SQLITE_OK else { sqlite3_result_error_code(context, rc); return }
    // The row's length: from memory, else as bm25() reads it.
    let lengths = groups.lengths
    var length = 0.0
    if rowid >= 0, rowid < lengths.count, lengths[Int(rowid)] > 0 {
        length = Double(lengths[Int(rowid)])
    } else {
        var tokens: Int32 = 0
        rc = x.xColumnSize(fts, -1, &tokens)
        guard rc == SQLITE_OK else { sqlite3_result_error_code(context, rc); return }
        length = Double(tokens)
    }
    let k1 = 1.2, b = 0.75
    let idf = q.pointee.idf, norm = k1 * (1 - b + b * length / q.pointee.averageLength)
    // A phrase the row lacks adds nothing (bm25() adds its IDF × 0), so a phrase's IDF is only
    // computed once a row has it: never for a NOT phrase ("children -cookies" walks no more of
    // the 34 654 clauses with "cookie" than the NOT does).
    // A query split in halves shares the walks (`SharedIDF`): all the row needs, at once.
    var score = 0.0
    for p in 0..<frequencies.count {
        let f = frequencies[p]
        guard f > 0 else { continue }
        if idf[p].isNaN {
            let walk = { (p: Int) -> Result<Double, WalkFailure> in
                q.pointee.phraseWalks.pointee += 1
                ClauseRanker.beforeWalk?()
                return phraseIDF(x, fts, phrase: p, rows: q.pointee.rowCount, groups: groups)
            }
            let walked: Result<Void, WalkFailure>
            if let shared = q.pointee.shared {
                walked = shared.resolve((p..<frequencies.count).filter { frequencies[$0] > 0 && idf[$0].isNaN }, into: idf, walk: walk)
            } else {
                walked = walk(p).map { idf[p] = $0 }
            }
            if case .failure(let failure) = walked { return sqlite3_result_error_code(context, failure.code) }
        }
        score += idf[p] * ((f * (k1 + 1.0)) / (f + norm))
    }
    let result = -1.0 * score + (required >= 0 && !hasRequired ? ClauseRanker.demotion : 0)
    // Each clause of the row's group is kept among the best (with the row's instances in the
    // highlighted column) if it beats the row to beat; the group's clauses come in id order, so
    // once one does not, none after it does.
    if let best = q.pointee.best {
        var spans: [ClauseRanker.BestRows.Span]?
        var failure: Int32?
        let allowed = q.pointee.allowed
        var id = rowid
        let multiple = groups.isMultiple(rowid)
        while true {
            if allowed?._withUnsafeGuaranteedRef({ $0.contains(id) }) ?? true {
                guard q.pointee.bound.map({ (result, id) < $0 }) ?? best.admits(id, score: result) else { break }
                if spans == nil {
                    var found: [ClauseRanker.BestRows.Span] = []
                    let sizes = q.pointee.phraseSizes
                    var instances: Int32 = 0
                    let counted = x.xInstCount(fts, &instances)
                    guard counted == SQLITE_OK else { failure = counted; break }
                    for n in 0..<instances {
                        var phrase: Int32 = 0, column: Int32 = 0, offset: Int32 = 0
                        if x.xInst(fts, n, &phrase, &column, &offset) == SQLITE_OK, column == best.column, phrase >= 0, Int(phrase) < sizes.count {
                            found.append(.init(token: offset, count: sizes[Int(phrase)]))
                        }
                    }
                    spans = found
                }
                q.pointee.bound = best.insert(.init(score: result, rowid: id, spans: spans!))
            }
            guard multiple, let following = groups.next(id) else { break }
            id = following
        }
        if let failure { return sqlite3_result_error_code(context, failure) }
    }
    sqlite3_result_double(context, result)
}

/// A phrase's IDF as `bm25()` computes it over clauses: from the clauses that match it, counted by
/// a walk over their rows.
private func phraseIDF(_ x: Fts5ExtensionApi, _ fts: OpaquePointer, phrase: Int, rows: Int64,
                       groups: ClauseRanker.Rows) -> Result<Double, WalkFailure> {
    var walk = (hits: Int64(0), groups: groups)
    let rc = x.xQueryPhrase(fts, Int32(phrase), &walk, { api, fts, user in
        guard let api, let fts, let walk = user?.assumingMemoryBound(to: (hits: Int64, groups: ClauseRanker.Rows).self) else {
            return SQLITE_ERROR
        }
        walk.pointee.hits += Int64(walk.pointee.groups.clauses(of: api.pointee.xRowid(fts)))
        return SQLITE_OK
    })
    return rc == SQLITE_OK ? .success(ClauseRanker.idf(rows: Double(rows), hits: Double(walk.hits))) : .failure(WalkFailure(code: rc))
}

/// A walk over a phrase's rows that SQLite stopped: its result code (`SQLITE_INTERRUPT` for a
/// query superseded, which the caller answers with no hits).
struct WalkFailure: Error { let code: Int32 }

/// The per-query data: the statistics `bm25()` computes once per query (its `fts5Bm25GetData`),
/// except the phrases' IDF, left for `phraseIDF` at the first row that has each phrase, or, with the
/// sixth argument set and one phrase, deferred to after the query (`ClauseRanker.Deferred`).
private func queryData(_ api: ExtensionAPI, _ fts: OpaquePointer, _ argc: Int32, _ argv: UnsafeMutablePointer<OpaquePointer?>?,
                       _ ranker: ClauseRanker) -> UnsafeMutablePointer<ClauseRanker.QueryData>? {
    let x = api.pointee
    var rows: Int64 = 0
    var tokens: Int64 = 0
    let groups = ranker.stored
    if groups.count > 0 {
        (rows, tokens) = (Int64(groups.clauses), Int64(groups.tokens))
    } else {
        guard x.xRowCount(fts, &rows) == SQLITE_OK, x.xColumnTotalSize(fts, -1, &tokens) == SQLITE_OK else { return nil }
    }
    let phrases = Int(max(0, x.xPhraseCount(fts)))
    let deferIDF = argc > 5 && sqlite3_value_int(argv![5]) != 0 && phrases == 1
    let idf = Array(repeating: deferIDF || !ranker.scored ? 1 : Double.nan, count: phrases)
    if deferIDF { ranker.deferredTotal = Int(rows) }
    let columns = Int(max(0, x.xColumnCount(fts)))
    func buffer<T>(_ values: [T]) -> UnsafeMutableBufferPointer<T> {
        let b = UnsafeMutableBufferPointer<T>.allocate(capacity: values.count)
        _ = b.initialize(from: values)
        return b
    }
    let data = UnsafeMutablePointer<ClauseRanker.QueryData>.allocate(capacity: 1)
    data.initialize(to: .init(
        idf: buffer(idf), frequencies: buffer(Array(repeating: 0, count: phrases)),
        phraseSizes: buffer((0..<phrases).map { x.xPhraseSize(fts, Int32($0)) }),
        weights: buffer((0..<columns).map { $0 < argc && $0 < 4 ? sqlite3_value_double(argv![$0]) : 1.0 }),
        averageLength: Double(tokens) / Double(rows), rowCount: rows, required: argc > 4 ? sqlite3_value_int(argv![4]) : -1,
        groups: groups, rows: ClauseRanker.Rows(groups), allowed: ranker.allowed.map { Unmanaged.passUnretained($0) }, low: argc > 7 ? sqlite3_value_int64(argv![6]) : .min, high: argc > 7 ? sqlite3_value_int64(argv![7]) : .max,
        rowsRanked: ranker.rowsRanked, phraseWalks: ranker.phraseWalks, shared: ranker.sharedIDF, best: ranker.best, bound: nil))
    return data
}
