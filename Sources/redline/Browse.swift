import ArgumentParser
import CursesBackend
import Foundation
import PolicyCore
import RedlineApp

/// Set from a signal handler; the input loop polls it.
nonisolated(unsafe) var terminationRequested: sig_atomic_t = 0
/// The live backend, so a crash handler can restore the terminal.
nonisolated(unsafe) var liveBackend: CursesBackend?

/// `redline` / `redline browse`: the terminal browser.
struct Browse: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "browse", abstract: "Open the terminal browser (the default).")

    @OptionGroup var corpus: CorpusOptions

    func run() throws {
        // The reader's first page shows categories: their model loads on the other core meanwhile.
        Thread.detachNewThread { _ = CategoryClassifier.shared }
        try corpus.checkSince()
        // The terminal first, so a pipe fails at once, not after reading a large corpus.
        guard isatty(0) == 1, isatty(1) == 1 else {
            Diagnostics.warn(TerminalError.notATerminal.description)
            throw ExitCode(1)
        }
        let backend: CursesBackend
        do {
            backend = try CursesBackend()
        } catch {
            Diagnostics.warn("\(error)")
            throw ExitCode(1)
        }
        liveBackend = backend
        PhaseTrace.mark("terminal")
        installSignalHandlers()
        func restore() {
            backend.shutdown()
            liveBackend = nil
        }
        let loaded: RetailerList
        let catalog: Catalog
        do {
            guard let (retailers, opened) = try load(on: backend) else {
                restore()   // left while reading
                if terminationRequested != 0 { throw ExitCode(128 + terminationRequested) }
                return
            }
            loaded = retailers
            catalog = opened
        } catch {
            restore()
            throw error
        }
        PhaseTrace.mark("loaded")
        let size = backend.size
        let app = BrowserApp(retailers: loaded, index: nil, width: size.width, height: size.height,
                             colour: backend.colour, unicode: backend.unicode)
        app.skippedFiles((try? catalog.skippedCount()) ?? 0)
        if loaded.isEmpty { app.corpusIsEmpty(source: corpus.sourceDescription) }
        // The change feed from the catalog, which keeps each comparison for the next time.
        app.changeFeedSource = { [unowned app] retailers in
            let progress = { (done: Int, total: Int) in app.changeFeedProgressed(done: done, total: total) }
            return (try? catalog.changeFeed(retailers, progress: progress, waiting: { app.changeFeedWaiting() }))
                ?? ChangeFeed.compute(retailers, progress: progress)
        }
        // The reader's category tags come when their model is read (started above, on the other core).
        app.categoriesRead = { CategoryClassifier.sharedIfMade != nil }
        Thread.detachNewThread {
            _ = CategoryClassifier.shared
            app.categoriesMade()
        }
        // Index off the input loop: the first frame and the keys never wait for it.
        Thread.detachNewThread {
            do {
                let index = try SearchIndexing.open(catalog, quiet: true) { done, total in
                    app.indexingProgressed(done: done, total: total)
                }
                app.attach(index: index)
            } catch {
                app.attach(index: nil, failure: "\(error)")
            }
        }
        Runner(app: app, backend: backend).run(shouldStop: { terminationRequested != 0 }, firstFrame: { PhaseTrace.mark("frame") })
        restore()
        try? corpus.report(catalog)   // skipped files, now that the terminal is back
        if terminationRequested != 0 { throw ExitCode(128 + terminationRequested) }
    }

    /// Reads the corpus on another thread. A load that takes more than a moment (a large corpus
    /// seen for the first time) shows the loading screen with its progress; q or Esc leaves (nil).
    func load(on backend: CursesBackend) throws -> (RetailerList, Catalog)? {
        let progress = LoadProgress()
        let finished = DispatchSemaphore(value: 0)
        let options = corpus
        nonisolated(unsafe) var outcome: Result<(RetailerList, Catalog), Error>?
        Thread.detachNewThread {
            outcome = Result {
                let catalog = try options.catalog(progress: { done, total in progress.set(done, total) }, warn: false)
                return (try RetailerList(catalog: catalog), catalog)
            }
            finished.signal()
        }
        if finished.wait(timeout: .now() + .milliseconds(150)) == .success { return try outcome!.get() }
        let source = corpus.sourceDescription
        var shown: (Int, Int, Int, Int)?
        while finished.wait(timeout: .now()) == .timedOut {
            if terminationRequested != 0 { return nil }
            let (done, total) = progress.get()
            let size = backend.size
            if shown.map({ $0 != (done, total, size.width, size.height) }) ?? true {
                backend.draw(LoadingView.render(width: size.width, height: size.height, source: source,
                                                done: done, total: total, unicode: backend.unicode))
                shown = (done, total, size.width, size.height)
            }
            if let key = backend.nextKey(timeoutMs: 100), key == .char("q") || key == .escape || key == .ctrl("c") {
                return nil   // what the catalog has read so far is kept: the next start goes on from there
            }
        }
        return try outcome!.get()
    }
}

/// The loader's progress, written from its threads and read by the loading screen.
final class LoadProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0, total = 0
    func set(_ done: Int, _ total: Int) {
        lock.lock()
        self.done = max(self.done, done)
        self.total = total
        lock.unlock()
    }
    func get() -> (Int, Int) {
        lock.lock()
        defer { lock.unlock() }
        return (done, total)
    }
}

/// SIGTERM/SIGHUP end the loop cleanly; crashes restore the terminal before dying.
func installSignalHandlers() {
    for sig in [SIGTERM, SIGHUP, SIGINT] {
        signal(sig) { s in terminationRequested = s }
    }
    for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
        signal(sig) { s in
            liveBackend?.shutdown()
            signal(s, SIG_DFL)
            raise(s)
        }
    }
}
