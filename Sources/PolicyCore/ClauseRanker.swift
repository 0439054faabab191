import Foundation
import GRDB
import GRDBSQLite

/// FTS5's BM25, computed with every clause's length held in memory.
///
/// SQLite's built-in `bm25()` reads each matching row's column sizes from the `_docsize` table;
/// on a frequent word (34 812 matching clauses for "cookie" in 10 000 policies) those reads are
/// about half of a query. `redline_rank` is the same formula, the same constants and the same
/// per-column weights (`fts5Bm25Function` in SQLite's `fts5_aux.c`), with the row length (all
/// columns, as `xColumnSize(-1)`) taken from an array loaded once after each index update.
/// Rows the array does not know fall back to `xColumnSize`, so a stale array is never wrong.
///
/// The function belongs to one connection (a `DatabaseQueue`): the queue serialises the updates
/// that reload the lengths and the queries that read them.
final class ClauseRanker {
    static let name = "redline_rank"
    /// Added to the score of a row without a match in the column named by the optional fifth
    /// argument, `redline_rank(w0, w1, w2, w3, column)`: such rows rank after every row with one.
    static let demotion = 1_000_000.0
    /// Tokens in each clause (all columns), indexed by rowid; 0 = unknown.
    private(set) var lengths: [UInt32] = []

    /// Registers `redline_rank` on the connection. The ranker lives as long as the connection.
    func register(in db: Database) {
        let api = UnsafeMutablePointer(mutating: FTS5.api(db))
        let context = Unmanaged.passRetained(self).toOpaque()
        _ = api.pointee.xCreateFunction(api, Self.name, context, rankFunction, { pointer in
            if let pointer { Unmanaged<ClauseRanker>.fromOpaque(pointer).release() }
        })
    }

    /// Reads every clause's length from FTS5's `_docsize` table (a varint per column).
    func reload(_ db: Database, table: String) throws {
        var lengths: [UInt32] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT id, sz FROM \(table)_docsize ORDER BY id")
        while let row = try rows.next() {
            let id: Int64 = row[0]
            guard id >= 0, id < Int64(Int32.max) else { continue }
            var total: UInt32 = 0
            try row.withUnsafeData(atIndex: 1) { data in
                guard let data else { return }
                data.withUnsafeBytes { bytes in
                    // SQLite varints: big-endian groups of 7 bits, the high bit set on all but the last byte.
                    var value: UInt32 = 0
                    for byte in bytes {
                        value = (value << 7) | UInt32(byte & 0x7F)
                        if byte & 0x80 == 0 { total &+= value; value = 0 }
                    }
                }
            }
            let index = Int(id)
            if index >= lengths.count { lengths.append(contentsOf: repeatElement(0, count: index + 1 - lengths.count)) }
            lengths[index] = total
        }
        self.lengths = lengths
    }

    func forget() { lengths = [] }

    /// Per-query constants: inverse document frequency of each phrase and the average row length.
    final class QueryData {
        var idf: [Double] = []
        var averageLength = 1.0
        var frequencies: [Double] = []
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
    var deferred: Deferred?
    /// The best rows of the query running now, when asked for (`beginQuery(keepingBest:)`).
    private(set) var best: BestRows?

    /// Resets the per-query state; with `keepingBest`, the ranking keeps the best rows itself
    /// (see `BestRows`).
    func beginQuery(keepingBest: (limit: Int, instancesIn: Int32)? = nil) {
        deferred = nil
        best = keepingBest.map { BestRows(limit: $0.limit, column: $0.instancesIn) }
    }

    /// The best `limit` rows ranked so far (lowest score first, then lowest rowid), each with its
    /// phrase instances in one column: what FTS5's `highlight()` reads. Kept while ranking, so a
    /// query is one walk over its matches with nothing else done per match: no sorter (SQLite's
    /// `ORDER BY … LIMIT` builds a record and compares it for every match) and no second walk for
    /// the highlights.
    final class BestRows {
        let limit: Int
        let column: Int32
        /// Tokens in each phrase of the query (a prefix phrase counts its tokens, not its matches).
        var phraseSizes: [Int32] = []
        /// Instances of the row being ranked, before its score decides whether it is kept.
        var pending: [Span] = []
        /// A max-heap on (score, rowid): its top is the row to beat.
        private var heap: [Row] = []

        struct Span: Equatable { var token: Int32; var count: Int32 }
        struct Row { var score: Double; var rowid: Int64; var spans: [Span] }

        init(limit: Int, column: Int32) {
            self.limit = limit
            self.column = column
        }

        /// The rows kept, best first.
        var rows: [Row] { heap.sorted(by: Self.before) }

        static func before(_ a: Row, _ b: Row) -> Bool { (a.score, a.rowid) < (b.score, b.rowid) }

        /// Keeps the row ranked now (its `pending` instances) if it is among the best `limit` so far.
        func offer(_ rowid: Int64, score: Double) {
            guard limit > 0 else { return }
            let row = Row(score: score, rowid: rowid, spans: pending)
            if heap.count < limit {
                heap.append(row)
                var i = heap.count - 1
                while i > 0, Self.before(heap[(i - 1) / 2], heap[i]) { heap.swapAt(i, (i - 1) / 2); i = (i - 1) / 2 }
                return
            }
            guard Self.before(row, heap[0]) else { return }
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
    }

    static func idf(rows: Double, hits: Double) -> Double {
        let idf = log((rows - hits + 0.5) / (hits + 0.5))
        return idf <= 0 ? 1e-6 : idf
    }
}

private typealias ExtensionAPI = UnsafePointer<Fts5ExtensionApi>

/// `fts5_extension_function`: `redline_rank(weight of column 0, …, weight of column 3[, required column
/// [, 1 to defer a lone phrase's IDF]])`. Deferring is only exact when every row that matches the
/// phrase is ranked: no other condition may filter the rows before the ranking.
private func rankFunction(_ api: ExtensionAPI?, _ fts: OpaquePointer?, _ context: OpaquePointer?,
                          _ argc: Int32, _ argv: UnsafeMutablePointer<OpaquePointer?>?) {
    guard let api, let fts, let user = api.pointee.xUserData(fts) else { return }
    let x = api.pointee
    let ranker = Unmanaged<ClauseRanker>.fromOpaque(user).takeUnretainedValue()
    let data: ClauseRanker.QueryData
    if let aux = x.xGetAuxdata(fts, 0) {
        data = Unmanaged<ClauseRanker.QueryData>.fromOpaque(aux).takeUnretainedValue()
    } else {
        let deferIDF = argc > 5 && sqlite3_value_int(argv![5]) != 0 && x.xPhraseCount(fts) == 1
        guard let made = queryData(api, fts, deferIDF: deferIDF) else {
            sqlite3_result_error(context, "redline_rank: no statistics", -1)
            return
        }
        if deferIDF {
            var rows: Int64 = 0
            _ = x.xRowCount(fts, &rows)
            ranker.deferred = ClauseRanker.Deferred(rows: 0, total: Int(rows))
        }
        data = made
        let rc = x.xSetAuxdata(fts, Unmanaged.passRetained(made).toOpaque(), { pointer in
            if let pointer { Unmanaged<ClauseRanker.QueryData>.fromOpaque(pointer).release() }
        })
        guard rc == SQLITE_OK else { sqlite3_result_error_code(context, rc); return }
    }
    let phrases = data.idf.count
    ranker.deferred?.rows += 1
    for i in 0..<phrases { data.frequencies[i] = 0 }
    var instances: Int32 = 0
    var rc = x.xInstCount(fts, &instances)
    let required: Int32? = argc > 4 ? sqlite3_value_int(argv![4]) : nil
    var hasRequired = false
    var i: Int32 = 0
    let best = ranker.best
    if let best {
        if best.phraseSizes.isEmpty { best.phraseSizes = (0..<x.xPhraseCount(fts)).map { x.xPhraseSize(fts, $0) } }
        best.pending.removeAll(keepingCapacity: true)
    }
    while rc == SQLITE_OK, i < instances {
        var phrase: Int32 = 0, column: Int32 = 0, offset: Int32 = 0
        rc = x.xInst(fts, i, &phrase, &column, &offset)
        if column == required { hasRequired = true }
        if let best, rc == SQLITE_OK, column == best.column, Int(phrase) < best.phraseSizes.count {
            best.pending.append(.init(token: offset, count: best.phraseSizes[Int(phrase)]))
        }
        if rc == SQLITE_OK, Int(phrase) < phrases {
            let weight = argc > column ? sqlite3_value_double(argv![Int(column)]) : 1.0
            data.frequencies[Int(phrase)] += weight
        }
        i += 1
    }
    guard rc == SQLITE_OK else { sqlite3_result_error_code(context, rc); return }
    // The row's length: from memory, else as bm25() reads it.
    let rowid = x.xRowid(fts)
    var length = 0.0
    if rowid >= 0, rowid < ranker.lengths.count, ranker.lengths[Int(rowid)] > 0 {
        length = Double(ranker.lengths[Int(rowid)])
    } else {
        var tokens: Int32 = 0
        rc = x.xColumnSize(fts, -1, &tokens)
        guard rc == SQLITE_OK else { sqlite3_result_error_code(context, rc); return }
        length = Double(tokens)
    }
    let k1 = 1.2, b = 0.75
    var score = 0.0
    for p in 0..<phrases {
        let f = data.frequencies[p]
        score += data.idf[p] * ((f * (k1 + 1.0)) / (f + k1 * (1 - b + b * length / data.averageLength)))
    }
    let result = -1.0 * score + (required != nil && !hasRequired ? ClauseRanker.demotion : 0)
    best?.offer(rowid, score: result)
    sqlite3_result_double(context, result)
}

/// The phrase statistics `bm25()` computes once per query (its `fts5Bm25GetData`).
private func queryData(_ api: ExtensionAPI, _ fts: OpaquePointer, deferIDF: Bool) -> ClauseRanker.QueryData? {
    let x = api.pointee
    let data = ClauseRanker.QueryData()
    var rows: Int64 = 0
    var tokens: Int64 = 0
    guard x.xRowCount(fts, &rows) == SQLITE_OK, x.xColumnTotalSize(fts, -1, &tokens) == SQLITE_OK else { return nil }
    data.averageLength = Double(tokens) / Double(rows)
    let phrases = Int(x.xPhraseCount(fts))
    for p in 0..<phrases {
        if deferIDF {
            data.idf.append(1)
            continue
        }
        var hits: Int64 = 0
        let rc = x.xQueryPhrase(fts, Int32(p), &hits, { _, _, user in
            user?.assumingMemoryBound(to: Int64.self).pointee += 1
            return SQLITE_OK
        })
        guard rc == SQLITE_OK else { return nil }
        data.idf.append(ClauseRanker.idf(rows: Double(rows), hits: Double(hits)))
    }
    data.frequencies = Array(repeating: 0, count: phrases)
    return data
}
