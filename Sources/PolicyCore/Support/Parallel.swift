import Foundation

/// Work spread over the cores.
enum Parallel {
    /// The machine's cores.
    static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// `transform` of each item, in the items' order, computed on every core. With `cost`, the
    /// costliest items start first, so that a long one does not run alone at the end.
    static func map<T: Sendable, U: Sendable>(_ items: [T], cost: ((T) -> Int)? = nil,
                                              _ transform: @Sendable (T) -> U) -> [U] {
        if items.count < 2 { return items.map(transform) }
        let order = cost.map { cost in items.indices.sorted { cost(items[$0]) > cost(items[$1]) } } ?? Array(items.indices)
        let results = ResultSlots<U>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: items.count) { k in
            results.set(order[k], transform(items[order[k]]))
        }
        return results.values()
    }

    /// `transform` of each item, in the items' order, on `threads` threads at most (the calling
    /// one included): for work that runs beside another busy thread, which needs a core of its own.
    static func map<T: Sendable, U: Sendable>(_ items: [T], threads: Int, _ transform: @Sendable (T) -> U) -> [U] {
        let groups = min(max(1, threads), items.count)
        if groups < 2 { return items.map(transform) }
        let results = ResultSlots<U>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: groups) { g in
            for i in stride(from: g, to: items.count, by: groups) { results.set(i, transform(items[i])) }
        }
        return results.values()
    }
}

/// One result per item, written from any thread.
private final class ResultSlots<U>: @unchecked Sendable {
    private var storage: [U?]
    private let lock = NSLock()
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: U) {
        lock.withLock { storage[i] = value }
    }
    func values() -> [U] { storage.map { $0! } }
}

/// Work on a thread of its own, started at once, its result or error taken by `wait`: for work
/// that runs beside the caller's. A POSIX thread: Dispatch's pool took up to 4 ms to start a
/// worker, and Foundation's `Thread` 1.3–4.5 ms to run its block (a git search's upper half).
final class Background<T>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written by the work's thread before `done` is signalled, read by the waiter after.
    private var result: Result<T, Error>?
    private var waited = false

    init(_ work: @escaping @Sendable () throws -> T) {
        let run = Unmanaged.passRetained(ThreadBody { [self] in
            result = Result { try work() }
            done.signal()
        })
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { context in
            Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, run.toOpaque())
        if started == 0 {
            pthread_detach(thread)
        } else {
            // No thread to be had: the work runs here, before the caller goes on.
            run.takeRetainedValue().body()
        }
    }

    /// Blocks until the work is done (the first time; later calls return at once), and returns its
    /// result or rethrows its error. From one thread only.
    func wait() throws -> T {
        if !waited {
            done.wait()
            waited = true
        }
        return try result!.get()
    }
}

/// A thread's work, boxed to cross `pthread_create` (not generic: a C function pointer cannot
/// capture a generic context).
private final class ThreadBody {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}
