import Foundation

/// Work spread over every core.
enum Parallel {
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
