import ArgumentParser
import Foundation
import PolicyCore
import RedlineApp
import TerminalUI

/// `redline bench …`: the measurements behind BENCHMARKS.md (run through scripts/bench).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure indexing, search, comparison and screen latency (see BENCHMARKS.md).",
        shouldDisplay: false)

    @OptionGroup var corpus: CorpusOptions
    @Argument(help: "search | index | diff | ui | start") var what: String
    @Option(name: .long, help: "Query repetitions.") var repeats = 20
    @Option(name: .long, help: "A query to time instead of the fixed set (repeatable).") var query: [String] = []

    /// The queries timed: the fixed set, unless `--query` names others.
    var timed: [String] { query.isEmpty ? Self.queries : query }

    static let queries = ["children", "cookie", "\"third parties\"", "sell OR rent", "third part*", "\"do not track\"",
                          "email address", "security", "opt out", "google analytics", "18", "california",
                          "credit card", "retain", "law enforcement", "children -cookies", "privacy shield", "delete account",
                          "advertis*", "section:cookies browser"]

    func run() throws {
        switch what {
        case "search": try benchSearch()
        case "index": try benchIndex()
        case "diff": try benchDiff()
        case "ui": try benchUI()
        case "start": try benchStart()
        default: throw ValidationError("bench what? search, index, diff, ui or start")
        }
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    static func percentile(_ xs: [Double], _ p: Double) -> Double {
        let s = xs.sorted()
        guard !s.isEmpty else { return 0 }
        return s[min(s.count - 1, Int(Double(s.count - 1) * p + 0.5))]
    }

    static func size(of path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }

    static var peakMB: Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024   // kilobytes on Linux
    }

    /// The path `redline --data DIR` takes on a corpus it has never seen: parse into a document
    /// cache, then build the persistent index, both in a scratch folder that is removed after.
    /// (`SearchIndex(corpus:)`, the in-memory index of the bundled data, would hold every parsed
    /// section of a large corpus at once.)
    func benchSearch() throws {
        let dir = try corpus.directory()
        let bytes = CorpusLoader.policyFiles(in: dir).reduce(0) { $0 + Self.size(of: $1.path) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("redline-bench-search-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let catalog = try Catalog(source: .folder(dir), path: scratch.appendingPathComponent("catalog.sqlite").path,
                                  producer: CorpusOptions.producer)
        let t0 = Self.now()
        try catalog.refresh()
        let loaded = try catalog.corpus()
        let t1 = Self.now()
        let index = try catalog.searchIndex()
        let t2 = Self.now()
        let indexedPeak = Self.peakMB
        // The categories alone, as the index build computes them (without evidence): one core here.
        var labelled = 0
        let tallies = CategoryClassifier.Tallies()
        for doc in loaded.documents {
            labelled += CategoryClassifier.shared.classify(doc, evidence: false, reusing: tallies).count
            doc.evictSections()
        }
        let t3 = Self.now()
        var latencies: [Double] = []
        var hits = 0
        for _ in 0..<repeats {
            for q in timed {
                let s = Self.now()
                hits += index.search(q, limit: 50).count
                latencies.append((Self.now() - s) * 1000)
            }
        }
        let mb = Double(bytes) / 1_048_576
        print(String(format: "corpus: %d policies, %.1f MB, %d clauses", loaded.documents.count, mb, try index.clauseCount()))
        print(String(format: "parse (into the document cache):  %.2f s (%.1f MB/s)", t1 - t0, mb / (t1 - t0)))
        print(String(format: "index (persistent, FTS5):  %.2f s (%.1f MB/s); parse+index %.1f MB/s", t2 - t1, mb / (t2 - t1), mb / (t2 - t0)))
        print(String(format: "peak memory after parse and index: %.0f MB", indexedPeak))
        print(String(format: "categories alone (part of the index build): %.2f s for %d clauses", t3 - t2, labelled))
        print(String(format: "query:  p50 %.2f ms, p95 %.2f ms over %d warm queries (%d hits)", Self.percentile(latencies, 0.5),
                     Self.percentile(latencies, 0.95), latencies.count, hits))
        print(String(format: "peak memory: %.0f MB", Self.peakMB))
    }

    /// The index build alone, `--repeats` times, each into a new scratch file: the corpus comes from
    /// its document cache (parsed on the first run), as when `redline --data DIR` rebuilds an index.
    func benchIndex() throws {
        let loaded = try corpus.load()
        let mb = Double(loaded.documents.reduce(0) { $0 + Self.size(of: $1.sourcePath) }) / 1_048_576
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("redline-bench-index-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        for run in 1...max(1, repeats) {
            let path = scratch.appendingPathComponent("index-\(run).sqlite").path
            let s = Self.now()
            let index = try SearchIndex.open(cacheAt: path, corpus: loaded, producer: CorpusOptions.producer)
            let t = Self.now() - s
            print(String(format: "index build %d: %.2f s (%.1f MB/s), %d clauses", run, t, mb / t, try index.clauseCount()))
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        print(String(format: "corpus: %d policies, %.1f MB; peak memory: %.0f MB", loaded.documents.count, mb, Self.peakMB))
    }

    func benchDiff() throws {
        let loaded = try corpus.load()
        let a = try loaded.resolve("jamesallen.com@2010-12-31")
        let b = try loaded.resolve("jamesallen.com@2019-07-04")
        var times: [Double] = []
        for _ in 0..<max(repeats, 50) {
            let s = Self.now()
            _ = Comparison(a, b)
            times.append((Self.now() - s) * 1000)
        }
        print(String(format: "align + diff jamesallen 2010 → 2019: p50 %.2f ms, p95 %.2f ms (%d runs)",
                     Self.percentile(times, 0.5), Self.percentile(times, 0.95), times.count))
    }

    /// Start-up as `redline` does it: load the corpus (from the document cache when warm), open the
    /// search index in the background, and draw the first frame. Run it twice: cold, then warm.
    func benchStart() throws {
        if corpus.data != nil {
            let s = Self.now()
            let files = CorpusLoader.policyFiles(in: try corpus.directory())
            let m = Self.now()
            let sizes = files.map { Self.size(of: $0.path) }
            print(String(format: "listing %d files: %.0f ms, stat: %.0f ms", sizes.count, (m - s) * 1000, (Self.now() - m) * 1000))
        }
        let t0 = Self.now()
        let catalog = try corpus.catalog()
        let refreshed = Self.now()
        let loaded = try catalog.corpus()
        let t1 = Self.now()
        let backend = TestBackend(width: 200, height: 60)
        let app = BrowserApp(corpus: loaded, index: nil, width: 200, height: 60)
        backend.draw(app.render())
        let t2 = Self.now()
        print(String(format: "%d policies: catalog %.0f ms, corpus %.0f ms, first frame at %.0f ms after start", loaded.documents.count,
                     (refreshed - t0) * 1000, (t1 - t0) * 1000, (t2 - t0) * 1000))
        print(String(format: "peak memory at first frame: %.0f MB", Self.peakMB))
        let index = try SearchIndexing.open(catalog, quiet: true)
        let t3 = Self.now()
        print(String(format: "search index ready at %.2f s after start (%d clauses)", t3 - t0, try index.clauseCount()))
        var latencies: [Double] = []
        for _ in 0..<repeats {
            for q in timed {
                let s = Self.now()
                _ = index.search(q, limit: 50)
                latencies.append((Self.now() - s) * 1000)
            }
        }
        // Each query's median, with how many clauses it matches (ranking cost follows that count).
        for q in timed {
            var ts: [Double] = []
            for _ in 0..<max(1, repeats) { let s = Self.now(); _ = index.search(q, limit: 50); ts.append((Self.now() - s) * 1000) }
            let matches = index.history(q).reduce(0) { $0 + $1.versions.reduce(0) { $0 + $1.clauses } }
            print(String(format: "  %-26@ p50 %7.2f ms  %7d matching clauses", q as NSString, Self.percentile(ts, 0.5), matches))
        }
        print(String(format: "query (persistent index): p50 %.2f ms, p95 %.2f ms over %d queries", Self.percentile(latencies, 0.5),
                     Self.percentile(latencies, 0.95), latencies.count))
        print(String(format: "peak memory: %.0f MB", Self.peakMB))
    }

    func benchUI() throws {
        let loaded = try corpus.load()
        let index = try SearchIndex(corpus: loaded)
        let backend = TestBackend(width: 200, height: 60)
        let app = BrowserApp(corpus: loaded, index: index, width: 200, height: 60)
        backend.draw(app.render())
        // Warm the layouts once, then measure key → frame for scroll and navigation keys.
        var times: [Double] = []
        var rows: [Int] = []
        let keys: [Key] = [.tab, .tab, .tab] + Array(repeating: .char("j"), count: 200) + Array(repeating: .char("k"), count: 100)
        for key in keys {
            let s = Self.now()
            for effect in app.handle(key) { app.receive(app.run(effect)) }
            backend.draw(app.render())
            times.append((Self.now() - s) * 1000)
            rows.append(backend.lastChangedRows)
        }
        // Bytes: each changed row is re-sent in full (an upper bound: ncurses sends less).
        let bytesPerStep = Double(rows.dropFirst(3).reduce(0, +)) / Double(max(1, rows.count - 3)) * 200
        print(String(format: "key → frame at 200×60 (reader scroll, %d keys): p50 %.2f ms, p95 %.2f ms, max %.2f ms",
                     times.count, Self.percentile(times, 0.5), Self.percentile(times, 0.95), times.max() ?? 0))
        print(String(format: "changed rows per scroll step: %.1f (≤ %.0f bytes of cells)",
                     Double(rows.dropFirst(3).reduce(0, +)) / Double(max(1, rows.count - 3)), bytesPerStep))
        // Search typing: the results list for each prefix typed.
        var typing: [Double] = []
        _ = app.handle(.char("/"))
        for c in "children" {
            let s = Self.now()
            for effect in app.handle(.char(c)) { app.receive(app.run(effect)) }
            backend.draw(app.render())
            typing.append((Self.now() - s) * 1000)
        }
        print(String(format: "search as you type (search + frame): p50 %.2f ms, max %.2f ms", Self.percentile(typing, 0.5), typing.max() ?? 0))
    }
}
