import Foundation

/// The retailers as the browser lists them: every retailer of a corpus in memory, or a catalog's
/// read a page at a time as they are first needed (a list of 80 000 retailers shows its first
/// screen after reading one page). Either way a collection of `Retailer` in the list's order.
public final class RetailerList: RandomAccessCollection, @unchecked Sendable {
    public let count: Int
    private let catalog: Catalog?
    private let lock = NSLock()
    private var pages: [Int: [Retailer]] = [:]
    private var names: [(domain: String, name: String)]?

    /// Retailers read from the catalog this many at a time.
    public static let pageSize = 256

    /// The retailers of a corpus already in memory.
    public init(_ retailers: [Retailer]) {
        count = retailers.count
        catalog = nil
        for start in stride(from: 0, to: retailers.count, by: Self.pageSize) {
            pages[start / Self.pageSize] = Array(retailers[start..<Swift.min(retailers.count, start + Self.pageSize)])
        }
    }

    /// A catalog's retailers, read when first needed.
    public init(catalog: Catalog) throws {
        count = try catalog.retailerCount()
        self.catalog = catalog
    }

    /// How many pages have been read or given (for tests: what a screen cost).
    public var pagesRead: Int {
        lock.lock()
        defer { lock.unlock() }
        return pages.count
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> Retailer {
        let page = page(position / Self.pageSize)
        let k = position % Self.pageSize
        // A page the catalog could not give (removed under us): a retailer with no versions.
        return page.indices.contains(k) ? page[k] : Retailer(domain: "", name: "", versions: [])
    }

    private func page(_ n: Int) -> [Retailer] {
        lock.lock()
        defer { lock.unlock() }
        if let page = pages[n] { return page }
        let page = (try? catalog?.retailers(from: n * Self.pageSize, count: Self.pageSize)) ?? []
        pages[n] = page
        return page
    }

    /// Where the retailer of `domain` is, if it is listed.
    public func position(ofDomain domain: String) -> Int? {
        if let catalog { return (try? catalog.retailerPosition(domain: domain)) ?? nil }
        return firstIndex { $0.domain == domain }
    }

    /// The retailer of `domain`, if it is listed.
    public func retailer(domain: String) -> Retailer? {
        position(ofDomain: domain).map { self[$0] }
    }

    /// The version with this id (`domain@YYYY-MM-DD`), if any.
    public func document(id: String) -> PolicyDocument? {
        guard let at = id.lastIndex(of: "@") else { return nil }
        return retailer(domain: String(id[..<at]))?.versions.first { $0.id == id }
    }

    /// Every retailer's domain and name, in order, without their versions.
    public func domainsAndNames() -> [(domain: String, name: String)] {
        lock.lock()
        if let names { lock.unlock(); return names }
        lock.unlock()
        let read = catalog.flatMap { try? $0.retailerNames() } ?? map { ($0.domain, $0.name) }
        lock.lock()
        names = read
        lock.unlock()
        return read
    }
}
