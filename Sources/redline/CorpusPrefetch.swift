import Foundation
import PolicyCore

/// The bundled corpus, read on a second thread while the command line is parsed.
///
/// Every command reads the corpus first, and for the bundled policies both steps take about as
/// long (argument-parser's reflection, the document cache's open and reads: ~1.5 ms each), so
/// `redline diff A B` starts comparing when the arguments are parsed rather than after both.
/// Only the bundled corpus is read ahead: with no `--data`, `--git` or `REDLINE_DATA` there is no
/// other source the command could mean, and it is small enough never to need a progress bar.
/// A failed read is forgotten: `CorpusOptions.load` then reads again and reports the error itself.
final class CorpusPrefetch: @unchecked Sendable {
    /// Signalled once the read is over; every waiter passes the signal on.
    private let finished = DispatchSemaphore(value: 0)
    private let directory: URL
    /// Written by the reading thread before it signals `finished`; read only after waiting for it.
    private var corpus: Corpus?

    nonisolated(unsafe) private static var running: CorpusPrefetch?

    private init(directory: URL) {
        self.directory = directory
    }

    /// Starts reading the bundled corpus unless the command line or the environment name another one.
    static func start(arguments: ArraySlice<String>) {
        guard running == nil, Environment.value("REDLINE_DATA") == nil else { return }
        let otherSource = arguments.contains { arg in
            arg == "--data" || arg == "--git" || arg.hasPrefix("--data=") || arg.hasPrefix("--git=")
        }
        guard !otherSource, let directory = BundledData.location else { return }
        let prefetch = CorpusPrefetch(directory: directory)
        running = prefetch
        Thread.detachNewThread {
            prefetch.corpus = try? CorpusLoader.load(directory: directory,
                                                     cache: CorpusOptions.documentCache(for: directory.path))
            prefetch.finished.signal()
        }
    }

    /// The corpus read ahead for `directory`, once it is read; nil if none was started for that
    /// folder or the read failed.
    static func corpus(for directory: URL) -> Corpus? {
        guard let prefetch = running, prefetch.directory.path == directory.path else {
            return nil
        }
        prefetch.wait()
        return prefetch.corpus
    }

    /// Waits for a read still going, so that the process never exits in the middle of it.
    static func finish() {
        running?.wait()
    }

    private func wait() {
        finished.wait()
        finished.signal()
    }
}
