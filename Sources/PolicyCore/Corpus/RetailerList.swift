import Foundation

/// The retailers as the browser lists them: every retailer of a corpus in memory, or a catalog's,
/// whose names are read once (one row each, the list's order, count and positions for the whole
/// session, whatever another process writes meanwhile) and whose versions are read a page at a time
/// as they are first needed. Either way a collection of `Retailer` in the list's order.
public final class RetailerList: RandomAccessCollection, @unchecked Sendable {
    private let names: [(domain: String, name: String)]
    private let catalog: Catalog?
    private let lock = NSLock()
    private var pages: [Int: [Retailer]] = [:]
    private var positions: [String: Int]?

    /// Retailers whose versions are read from the catalog at a time.
    public static let pageSize = 256

    /// The retailers of a corpus already in memory.
    public init(_ retailers: [Retailer]) {
        names = retailers.map { ($0.domain, $0.name) }
        catalog = nil
        for start in stride(from: 0, to: retailers.count, by: Self.pageSize) {
            pages[start / Self.pageSize] = Array(retailers[start..<Swift.min(retailers.count, start + Self.pageSize)])
        }
    }

    /// A catalog's retailers: their names now, their versions when first needed.
    public init(catalog: Catalog) throws {
        names = try catalog.retailerNames()
        self.catalog = catalog
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { names.count }

    /// How many pages have been read or given (for tests: what a screen cost).
    public var pagesRead: Int { lock.withLock { pages.count } }

    public subscript(position: Int) -> Retailer { page(position / Self.pageSize)[position % Self.pageSize] }

    /// Page `n`. A page the catalog could not give (a read that failed) has its retailers without
    /// versions, and is read again when next needed.
    private func page(_ n: Int) -> [Retailer] {
        lock.lock()
        defer { lock.unlock() }
        if let page = pages[n] { return page }
        let slice = names[(n * Self.pageSize)..<Swift.min(names.count, (n + 1) * Self.pageSize)]
        guard let versions = try? catalog?.versions(of: slice.map(\.domain)) else {
            return slice.map { Retailer(domain: $0.domain, name: $0.name, versions: []) }
        }
        let page = zip(slice, versions).map { Retailer(domain: $0.0.domain, name: $0.0.name, versions: $0.1) }
        pages[n] = page
        return page
    }

    /// Where the retailer of `domain` is, if it is listed.
    public func position(ofDomain domain: String) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        if positions == nil {
            positions = Dictionary(names.enumerated().map { ($0.element.domain, $0.offset) }, uniquingKeysWith: { a, _ in a })
        }
        return positions?[domain]
    }

    /// The retailer of `domain`, if it is listed.
    public func retailer(domain: String) -> Retailer? {
        position(ofDomain: domain).map { self[$0] }
    }

    /// The version with this id (`domain@YYYY-MM-DD`), if any.
    public func document(id: String) -> PolicyDocument? {
        guard let domain = PolicyDocument.domain(ofID: id) else { return nil }
        return retailer(domain: String(domain))?.versions.first { $0.id == id }
    }

    /// Every retailer's domain and name, in order, without their versions.
    public func domainsAndNames() -> [(domain: String, name: String)] { names }
}
