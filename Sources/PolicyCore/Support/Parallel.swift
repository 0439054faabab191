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

/// Work on a thread of its own, started at once (Dispatch's pool took up to 4 ms to start a
/// worker), its result or error taken by `wait`: for work that runs beside the caller's.
final class Background<T>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written by the work's thread before `done` is signalled, read by the waiter after.
    private var result: Result<T, Error>?
    private var waited = false

    init(_ work: @escaping @Sendable () throws -> T) {
        Thread.detachNewThread {
            self.result = Result { try work() }
            self.done.signal()
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
