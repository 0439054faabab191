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
    static let configuration = CommandConfiguration(abstract: "Open the terminal browser (the default).")

    @OptionGroup var corpus: CorpusOptions

    func run() throws {
        let loaded = try corpus.load()
        // Check the terminal before the (possibly long) indexing, so a pipe fails fast.
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
        installSignalHandlers()
        let size = backend.size
        let app = BrowserApp(corpus: loaded, index: nil, width: size.width, height: size.height,
                             colour: backend.colour, unicode: backend.unicode)
        // Index off the input loop: the first frame and the keys never wait for it.
        let options = corpus
        Thread.detachNewThread {
            do {
                let index = try SearchIndexing.open(loaded, options: options, quiet: true) { done, total in
                    app.indexingProgressed(done: done, total: total)
                }
                app.attach(index: index)
            } catch {
                app.attach(index: nil, failure: "\(error)")
            }
        }
        Runner(app: app, backend: backend).run(shouldStop: { terminationRequested != 0 })
        backend.shutdown()
        liveBackend = nil
        if terminationRequested != 0 { throw ExitCode(128 + terminationRequested) }
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
