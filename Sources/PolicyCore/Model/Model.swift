import Foundation

/// The two source formats Redline reads.
public enum SourceFormat: String, Codable, Sendable {
    /// Wayback "extracted and transformed" Markdown (Princeton-Leuven dataset).
    case markdown
    /// Flat lower-cased page scrape with a `来源URL:` header.
    case flat
}

/// What kind of block a clause came from.
public enum ClauseKind: String, Codable, Sendable {
    case paragraph
    case listItem
    case tableRow
    case tableHeader
}

/// One inline style run inside a clause's plain text (Unicode scalar offsets).
public struct InlineStyle: Codable, Hashable, Sendable {
    /// `lineBreak` marks the space that stands for a hard line break (`  ⏎` or `\⏎` in Markdown).
    public enum Kind: String, Codable, Sendable { case bold, italic, link, lineBreak }
    public var kind: Kind
    public var start: Int
    public var end: Int
    /// The target, for links.
    public var url: String?

    public init(kind: Kind, start: Int, end: Int, url: String? = nil) {
        self.kind = kind
        self.start = start
        self.end = end
        self.url = url
    }
}

/// A labelled cell of a table row.
public struct TableCell: Codable, Hashable, Sendable {
    /// The column header this cell sits under, if the table had one.
    public var header: String?
    public var text: String
    public init(header: String?, text: String) {
        self.header = header
        self.text = text
    }
}

/// The unit of search and comparison: a paragraph, a list item, or a table row.
public struct Clause: Codable, Hashable, Sendable {
    public var kind: ClauseKind
    /// Plain text, markup removed.
    public var text: String
    public var styles: [InlineStyle]
    /// Path of the section holding the clause ("3", "6.1", "0" for the preamble).
    public var sectionPath: String
    /// Nesting depth for list items (0 for top level).
    public var depth: Int
    /// An ordered list item's number as the source writes it ("3." or "3)"); nil for a bullet.
    public var marker: String?
    /// Row title and labelled cells, for table rows.
    public var rowTitle: String?
    public var cells: [TableCell]
    /// 1-based line in the source file, and 1-based column (in characters) where it starts.
    public var line: Int
    public var column: Int

    public init(kind: ClauseKind, text: String, styles: [InlineStyle] = [], sectionPath: String = "",
                depth: Int = 0, marker: String? = nil, rowTitle: String? = nil, cells: [TableCell] = [], line: Int,
                column: Int = 1) {
        self.kind = kind
        self.text = text
        self.styles = styles
        self.sectionPath = sectionPath
        self.depth = depth
        self.marker = marker
        self.rowTitle = rowTitle
        self.cells = cells
        self.line = line
        self.column = column
    }

    /// Offsets of the spaces that stand for hard line breaks (`lineBreak` styles), in order.
    public var lineBreaks: [Int] { styles.filter { $0.kind == .lineBreak }.map(\.start).sorted() }
}

/// A section of a policy: a title, its clauses, and its sub-sections.
public struct PolicySection: Codable, Hashable, Sendable {
    /// Stable path: "1", "6.2"; the preamble is "0".
    public var path: String
    public var title: String
    /// Relative depth, 1 for top-level sections.
    public var level: Int
    public var isPreamble: Bool
    public var clauses: [Clause]
    public var children: [PolicySection]
    public var line: Int
    /// The source's heading was empty: `title` is the opening words of the section's text.
    public var titleIsExcerpt: Bool

    /// The title as the index and the topics know it: none for the preamble.
    public var namedTitle: String { isPreamble ? "" : title }

    /// A section's path before its title ("6.1 A. EU Data Subject Rights"), once: a title that
    /// starts with its own number ("6. Your Rights") is not numbered again.
    public static func numbered(path: String, title: String) -> String {
        if title.hasPrefix(path), let next = title.dropFirst(path.count).first, next == "." || next == ")" || next == " " { return title }
        return path + " " + title
    }

    public init(path: String, title: String, level: Int, isPreamble: Bool = false,
                clauses: [Clause] = [], children: [PolicySection] = [], line: Int = 1, titleIsExcerpt: Bool = false) {
        self.path = path
        self.title = title
        self.level = level
        self.isPreamble = isPreamble
        self.clauses = clauses
        self.children = children
        self.line = line
        self.titleIsExcerpt = titleIsExcerpt
    }

    /// This section and all its descendants, depth first.
    public var flattened: [PolicySection] {
        var out: [PolicySection] = [self]
        for child in children { out.append(contentsOf: child.flattened) }
        return out
    }

    /// Clauses of this section and all its descendants, in reading order.
    public var allClauses: [Clause] {
        var out = clauses
        for child in children { out.append(contentsOf: child.allClauses) }
        return out
    }
}

/// The sections of a document: held, or loaded on first use (from the document cache) and then held.
final class SectionStorage: @unchecked Sendable {
    private let lock = NSLock()
    private var loaded: [PolicySection]?
    private let loader: (@Sendable () -> [PolicySection])?

    init(_ sections: [PolicySection]) {
        loaded = sections
        loader = nil
    }

    init(loader: @escaping @Sendable () -> [PolicySection]) {
        self.loader = loader
    }

    var sections: [PolicySection] {
        lock.lock()
        defer { lock.unlock() }
        if let loaded { return loaded }
        let s = loader?() ?? []
        loaded = s
        return s
    }

    var isLoaded: Bool {
        lock.lock()
        defer { lock.unlock() }
        return loaded != nil
    }

    /// Forgets sections that `loader` can read again; held sections (nothing to reload from) stay.
    func evict() {
        lock.lock()
        defer { lock.unlock() }
        if loader != nil { loaded = nil }
    }
}

/// One archived version of one retailer's privacy policy.
public struct PolicyDocument: Codable, Hashable, Sendable {
    /// `domain@YYYY-MM-DD`.
    public var id: String { "\(domain)@\(archiveDate)" }

    /// The domain part of an id, if it is one.
    public static func domain(ofID id: String) -> Substring? { id.firstIndex(of: "@").map { id[..<$0] } }
    public var domain: String
    public var title: String
    public var format: SourceFormat
    public var snapshotURL: String?
    /// YYYY-MM-DD.
    public var archiveDate: String
    /// YYYY-MM-DD, when the text states it.
    public var lastUpdated: String?
    /// True when the source lower-cased the text (flat scrapes).
    public var caseFolded: Bool
    /// The section tree. A document from the cache loads it on first use.
    public var sections: [PolicySection] {
        get { storage.sections }
        set { storage = SectionStorage(newValue) }
    }
    private var storage: SectionStorage
    /// The file it was read from.
    public var sourcePath: String

    public init(domain: String, title: String, format: SourceFormat, snapshotURL: String?, archiveDate: String,
                lastUpdated: String?, caseFolded: Bool, sections: [PolicySection], sourcePath: String) {
        self.init(domain: domain, title: title, format: format, snapshotURL: snapshotURL, archiveDate: archiveDate,
                  lastUpdated: lastUpdated, caseFolded: caseFolded, storage: SectionStorage(sections), sourcePath: sourcePath)
    }

    /// A document whose sections are read by `loader` when first needed.
    init(domain: String, title: String, format: SourceFormat, snapshotURL: String?, archiveDate: String,
         lastUpdated: String?, caseFolded: Bool, sourcePath: String, loader: @escaping @Sendable () -> [PolicySection]) {
        self.init(domain: domain, title: title, format: format, snapshotURL: snapshotURL, archiveDate: archiveDate,
                  lastUpdated: lastUpdated, caseFolded: caseFolded, storage: SectionStorage(loader: loader), sourcePath: sourcePath)
    }

    private init(domain: String, title: String, format: SourceFormat, snapshotURL: String?, archiveDate: String,
                 lastUpdated: String?, caseFolded: Bool, storage: SectionStorage, sourcePath: String) {
        self.domain = domain
        self.title = title
        self.format = format
        self.snapshotURL = snapshotURL
        self.archiveDate = archiveDate
        self.lastUpdated = lastUpdated
        self.caseFolded = caseFolded
        self.storage = storage
        self.sourcePath = sourcePath
    }

    /// False for a cached document whose sections have not been needed yet.
    public var sectionsLoaded: Bool { storage.isLoaded }

    /// Lets a cached document's sections go (they are read from the cache again when next needed),
    /// for a pass over the whole corpus that should not end up holding all of it. No effect on a
    /// document parsed in this run.
    public func evictSections() { storage.evict() }

    enum CodingKeys: String, CodingKey {
        case domain, title, format, snapshotURL, archiveDate, lastUpdated, caseFolded, sections, sourcePath
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(domain: try c.decode(String.self, forKey: .domain), title: try c.decode(String.self, forKey: .title),
                  format: try c.decode(SourceFormat.self, forKey: .format),
                  snapshotURL: try c.decodeIfPresent(String.self, forKey: .snapshotURL),
                  archiveDate: try c.decode(String.self, forKey: .archiveDate),
                  lastUpdated: try c.decodeIfPresent(String.self, forKey: .lastUpdated),
                  caseFolded: try c.decode(Bool.self, forKey: .caseFolded),
                  sections: try c.decode([PolicySection].self, forKey: .sections),
                  sourcePath: try c.decode(String.self, forKey: .sourcePath))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(domain, forKey: .domain)
        try c.encode(title, forKey: .title)
        try c.encode(format, forKey: .format)
        try c.encodeIfPresent(snapshotURL, forKey: .snapshotURL)
        try c.encode(archiveDate, forKey: .archiveDate)
        try c.encodeIfPresent(lastUpdated, forKey: .lastUpdated)
        try c.encode(caseFolded, forKey: .caseFolded)
        try c.encode(sections, forKey: .sections)
        try c.encode(sourcePath, forKey: .sourcePath)
    }

    public static func == (a: PolicyDocument, b: PolicyDocument) -> Bool {
        a.domain == b.domain && a.archiveDate == b.archiveDate && a.sourcePath == b.sourcePath && a.title == b.title
            && a.format == b.format && a.snapshotURL == b.snapshotURL && a.lastUpdated == b.lastUpdated
            && a.caseFolded == b.caseFolded && a.sections == b.sections
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(domain)
        hasher.combine(archiveDate)
        hasher.combine(sourcePath)
    }

    /// Every section, depth first.
    public var allSections: [PolicySection] {
        // Into one array (`flattened` makes one per section): the build asks it of every version.
        var out: [PolicySection] = []
        func add(_ section: PolicySection) {
            out.append(section)
            for child in section.children { add(child) }
        }
        for section in sections { add(section) }
        return out
    }

    /// Every clause in reading order.
    public var allClauses: [Clause] { sections.flatMap { $0.allClauses } }

    /// The section at `path`, if any.
    public func section(at path: String) -> PolicySection? {
        allSections.first { $0.path == path }
    }

    /// Number of words in section titles and clauses.
    public var wordCount: Int {
        allSections.reduce(0) { sum, section in
            sum + Tokenizer.wordCount(section.title)
                + section.clauses.reduce(0) { $0 + Tokenizer.wordCount($1.text) }
        }
    }
}

/// A retailer (one web domain) and its policy versions ordered by date.
public struct Retailer: Codable, Hashable, Sendable {
    public var domain: String
    public var name: String
    public var versions: [PolicyDocument]

    public init(domain: String, name: String, versions: [PolicyDocument]) {
        self.domain = domain
        self.name = name
        self.versions = versions
    }

    public var latest: PolicyDocument? { versions.last }
}

extension Sequence where Element == PolicyDocument {
    /// Runs `body`, then lets go the sections it decoded of these documents; those already
    /// decoded before stay. For figures derived once and kept (word counts, a retailer's history).
    public func readingSections<T>(_ body: () throws -> T) rethrows -> T {
        let documents = Array(self)
        let wasLoaded = documents.map(\.sectionsLoaded)
        defer { for (doc, loaded) in zip(documents, wasLoaded) where !loaded { doc.evictSections() } }
        return try body()
    }
}
