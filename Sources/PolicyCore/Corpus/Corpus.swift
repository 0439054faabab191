import Foundation

/// A file that could not be read as a policy, and why (the rest of the corpus still loads); or,
/// when not `skipped`, a problem in a file that loaded all the same (invalid UTF-8).
public struct CorpusWarning: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var skipped: Bool
    public init(path: String, message: String, skipped: Bool = true) {
        self.path = path
        self.message = message
        self.skipped = skipped
    }
    public var description: String { "\(path): \(message)" }

    /// One warning per file, in path order: a skipped file's other notes go (the skip says enough).
    static func onePerFile(_ warnings: [CorpusWarning]) -> [CorpusWarning] {
        let skipped = Set(warnings.filter(\.skipped).map(\.path))
        return warnings.filter { $0.skipped || !skipped.contains($0.path) }.sorted { $0.path < $1.path }
    }
}

/// Why a DOC argument did not name exactly one version.
public enum DocumentLookupError: Error, CustomStringConvertible, Equatable, Sendable {
    case unknown(String, candidates: [String])
    case ambiguous(String, candidates: [String])
    /// Nothing matches, but these are near (a typo of a domain, a date close to the one asked).
    case unknownNear(String, suggestions: [String])
    /// What follows "@" is no date: the retailer's versions.
    case notADate(String, date: String, candidates: [String])

    public var description: String {
        switch self {
        case .unknown(let spec, let candidates):
            if candidates.isEmpty { return "no policy matches \"\(spec)\": the corpus has no versions" }
            return "no policy matches \"\(spec)\"; known versions: " + Self.list(candidates)
        case .unknownNear(let spec, let suggestions):
            let shown = suggestions.count > 1 ? suggestions.dropLast().joined(separator: ", ") + " or " + suggestions[suggestions.count - 1]
                : suggestions.joined()
            return "no policy matches \"\(spec)\"; did you mean \(shown)?"
        case .ambiguous(let spec, let candidates):
            return "\"\(spec)\" is ambiguous; it matches: " + Self.list(candidates)
        case .notADate(let spec, let date, let candidates):
            return "\"\(date)\" in \"\(spec)\" is no date (YYYY, YYYY-MM or YYYY-MM-DD, or the start of one); its versions: "
                + Self.list(candidates)
        }
    }

    /// The first dozen candidates and how many more: a corpus of 10 000 versions is not listed in an error.
    static func list(_ candidates: [String]) -> String {
        let shown = candidates.prefix(12).joined(separator: ", ")
        return candidates.count > 12 ? shown + " … and \(candidates.count - 12) more (`redline list` shows them all)" : shown
    }
}

/// Every retailer and version of a corpus, ordered by name and date.
public struct Corpus: Sendable {
    public var retailers: [Retailer]
    public var warnings: [CorpusWarning]
    /// The folder it was read from.
    public var root: String
    /// How many files were read and parsed to build it (0 when it came from the document cache).
    public var parsedFiles = 0

    public init(retailers: [Retailer], warnings: [CorpusWarning] = [], root: String = "") {
        self.retailers = retailers
        self.warnings = warnings
        self.root = root
    }

    /// All versions of all retailers.
    public var documents: [PolicyDocument] { retailers.flatMap(\.versions) }

    public func document(id: String) -> PolicyDocument? {
        guard let domain = PolicyDocument.domain(ofID: id) else { return nil }
        return retailers.first { $0.domain == domain }?.versions.first { $0.id == id }
    }

    public func retailer(domain: String) -> Retailer? { retailers.first { $0.domain == domain } }

    /// Resolves a DOC argument: `domain@YYYY-MM-DD`, a unique case-insensitive prefix of a domain or
    /// display name optionally followed by `@` and a date prefix, or a retailer alone (its latest version).
    public func resolve(_ spec: String) throws -> PolicyDocument {
        let all = documents.map(\.id)
        if let exact = document(id: spec) { return exact }
        let parts = spec.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        let who = parts[0].lowercased().trimmedSpaces
        let datePrefix = parts.count > 1 ? String(parts[1]) : nil
        func squash(_ s: String) -> String { s.lowercased().filter { !$0.isWhitespace } }
        var matches = retailers.filter { $0.domain == who || $0.name.lowercased() == who }
        if matches.isEmpty {
            matches = retailers.filter {
                $0.domain.hasPrefix(who) || $0.name.lowercased().hasPrefix(who) || squash($0.name).hasPrefix(squash(who))
            }
        }
        if who.isEmpty { matches = [] }
        guard !matches.isEmpty else { throw DocumentLookupError.notFound(spec, among: all) }
        guard matches.count == 1 else {
            throw DocumentLookupError.ambiguous(spec, candidates: matches.map(\.domain))
        }
        let retailer = matches[0]
        guard let datePrefix, !datePrefix.isEmpty else {
            if let latest = retailer.latest { return latest }
            throw DocumentLookupError.notFound(spec, among: all)
        }
        guard SearchQuery.isDateStart(datePrefix) else {
            throw DocumentLookupError.notADate(spec, date: datePrefix, candidates: retailer.versions.map(\.id))
        }
        let versions = retailer.versions.filter { $0.archiveDate.hasPrefix(datePrefix) }
        if versions.count == 1 { return versions[0] }
        if versions.isEmpty { throw DocumentLookupError.notFound(spec, among: retailer.versions.map(\.id)) }
        throw DocumentLookupError.ambiguous(spec, candidates: versions.map(\.id))
    }
}

/// Reads a folder of policy files (recursively, `.md` and `.txt`) into a `Corpus`.
public enum CorpusLoader {
    /// One file's bytes and where they came from.
    public struct SourceFile: Sendable {
        public var path: String
        public var data: Data
        /// A date for the version when neither the file's header nor its name gives one (a commit date).
        public var dateHint: String?
        public init(path: String, data: Data, dateHint: String? = nil) {
            self.path = path
            self.data = data
            self.dateHint = dateHint
        }
    }

    /// The policy files under `directory`, sorted by path.
    public static func policyFiles(in directory: URL) -> [URL] {
        listing(of: directory).files.map { URL(fileURLWithPath: $0) }
    }

    /// The policy files under `directory`, sorted by path, and every folder walked with its
    /// modification time (a file added, removed or renamed in a folder changes its time).
    static func listing(of directory: URL) -> (files: [String], dirs: [(String, Double)]) {
        var out: [String] = []
        var dirs: [(String, Double)] = []
        func walk(_ dir: String) {
            var st = stat()
            guard stat(dir, &st) == 0 else { return }
            dirs.append((dir, Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9))
            FileSystem.eachEntry(in: dir) { name, kind in
                let path = dir + "/" + name
                // A link to a folder is not followed (no cycles); a link to a file is read, and a
                // dangling one is listed so that reading it reports the problem.
                if kind == .folder { walk(path); return true }
                if kind == .link, FileSystem.isFolder(path) { return true }
                let lower = name.lowercased()
                guard lower.hasSuffix(".md") || lower.hasSuffix(".txt") || lower.hasSuffix(".markdown") else { return true }
                if lower.hasSuffix("headings.txt") { return true }  // dataset annotations, not policies
                out.append(path)
                return true
            }
        }
        var root = directory.path
        while root.count > 1, root.hasSuffix("/") { root.removeLast() }
        walk(root)
        return (out.sorted(), dirs)
    }

    /// Loads every policy file under `directory`. Files that cannot be read become warnings.
    public static func load(directory: URL, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Corpus {
        try requireFolder(directory)
        var files: [SourceFile] = []
        var warnings: [CorpusWarning] = []
        for url in policyFiles(in: directory) {
            do {
                files.append(SourceFile(path: url.path, data: try readBytes(url.path)))
            } catch {
                warnings.append(CorpusWarning(path: url.path, message: "\(error)"))
            }
        }
        var corpus = load(files: files, progress: progress)
        corpus.warnings = warnings + corpus.warnings
        corpus.warnings.sort { $0.path < $1.path }
        corpus.root = directory.path
        return corpus
    }

    /// A policy file's text and how many of its bytes were invalid UTF-8, or why it cannot be read.
    static func readPolicyText(_ path: String) throws -> (text: String, replacedBytes: Int) {
        try SourceText.decodeCountingReplacements(readBytes(path))
    }

    /// A policy file's bytes, or why they cannot be read (`PolicyReadError.unreadable`).
    static func readBytes(_ path: String) throws -> Data {
        // Opened without waiting (a pipe would wait for a writer), then asked what it is through the
        // descriptor: what is read is what was checked, with no stat of the path before (a cold build
        // opens every file). A socket cannot be opened; a link's troubles have names of their own.
        let notRegular = PolicyReadError.unreadable("not a regular file (a pipe, a socket or a device)")
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        if fd < 0 {
            let code = errno
            var link = stat()
            if code == ENXIO { throw notRegular }
            if code == ENOENT, lstat(path, &link) == 0 { throw PolicyReadError.unreadable("a link to a file that does not exist") }
            if code == ELOOP { throw PolicyReadError.unreadable("a loop of links") }
            throw PolicyReadError.unreadable(code == ENOENT ? "the file does not exist" : code == EACCES ? "permission denied" : String(cString: strerror(code)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw PolicyReadError.unreadable(String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw notRegular }
        // Its size in one read as a rule; more if it grew meanwhile.
        var data = Data(count: Int(st.st_size))
        var got = 0
        var readFailure: Int32 = 0
        data.withUnsafeMutableBytes { buffer in
            while got < buffer.count {
                let n = read(fd, buffer.baseAddress! + got, buffer.count - got)
                if n < 0, errno == EINTR { continue }
                if n < 0 { readFailure = errno; return }
                if n == 0 { return }
                got += n
            }
        }
        data.count = got
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { chunk in
            while readFailure == 0 {
                let n = read(fd, chunk.baseAddress, chunk.count)
                if n < 0, errno == EINTR { continue }
                if n < 0 { readFailure = errno }
                if n <= 0 { break }
                data.append(chunk.baseAddress!, count: n)
            }
        }
        if readFailure != 0 { throw PolicyReadError.unreadable(String(cString: strerror(readFailure))) }
        return data
    }

    /// Throws unless `directory` is a folder (a missing one would read as an empty corpus).
    static func requireFolder(_ directory: URL) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDir), isDir.boolValue else {
            throw PolicyReadError.unreadable("\(directory.path) is not a folder")
        }
    }

    /// Parses in-memory files: Markdown first, so that flat scrapes can use their retailer's headings.
    /// `progress(done, total)` is called from the parsing threads, every 50 policies and at the end.
    public static func load(files: [SourceFile], progress: (@Sendable (Int, Int) -> Void)? = nil) -> Corpus {
        var warnings: [CorpusWarning] = []
        var texts: [(path: String, text: String, flat: Bool, dateHint: String?)] = []
        var order: [String: Int] = [:]
        for (n, file) in files.enumerated() {
            order[file.path] = n
            do {
                let (text, replaced) = try SourceText.decodeCountingReplacements(file.data)
                if replaced > 0 {
                    warnings.append(CorpusWarning(path: file.path, message: SourceText.replacementNote(replaced), skipped: false))
                }
                if MarkdownPolicyParser.recognises(text) {
                    texts.append((file.path, text, false, file.dateHint))
                } else if FlatPolicyParser.recognises(text) {
                    texts.append((file.path, text, true, file.dateHint))
                } else {
                    throw PolicyReadError.unrecognisedFormat
                }
            } catch let error as PolicyReadError {
                warnings.append(CorpusWarning(path: file.path, message: error.description))
            } catch {
                warnings.append(CorpusWarning(path: file.path, message: "\(error)"))
            }
        }
        var documents: [(doc: PolicyDocument, raw: String)] = []
        let counter = ProgressCounter(total: texts.count, report: progress)
        let markdown = texts.filter { !$0.flat }
        let parsedMarkdown = Parallel.map(markdown) { item -> Result<PolicyDocument, Error> in
            defer { counter.tick() }
            let (domain, date) = fileNameHints(item.path)
            return Result { try MarkdownPolicyParser().parse(item.text, path: item.path, fallbackDomain: domain, fallbackDate: date ?? item.dateHint) }
        }
        for (item, result) in zip(markdown, parsedMarkdown) {
            switch result {
            case .success(let doc): documents.append((doc, item.text))
            case .failure(let error): warnings.append(CorpusWarning(path: item.path, message: "\(error)"))
            }
        }
        // Headings the same retailer's Markdown policies use (the rest of the corpus plays no part).
        var byRetailer: [String: Set<String>] = [:]
        for (doc, _) in documents {
            for key in doc.statedHeadingKeys { byRetailer[doc.domain, default: []].insert(key) }
        }
        let flat = texts.filter { $0.flat }
        let knowledge = HeadingKnowledge.builtIn
        let headingsByRetailer = byRetailer
        let parsedFlat = Parallel.map(flat) { item -> Result<PolicyDocument, Error> in
            defer { counter.tick() }
            let (domain, date) = fileNameHints(item.path)
            let urlDomain = flatDomain(item.text) ?? domain ?? ""
            let parser = FlatPolicyParser(knowledge: knowledge, retailerHeadings: headingsByRetailer[urlDomain] ?? [])
            return Result { try parser.parse(item.text, path: item.path, fallbackDomain: domain, fallbackDate: date ?? item.dateHint) }
        }
        for (item, result) in zip(flat, parsedFlat) {
            switch result {
            case .success(let doc): documents.append((doc, item.text))
            case .failure(let error): warnings.append(CorpusWarning(path: item.path, message: "\(error)"))
            }
        }
        // Group into retailers; a second file for the same version (in input order) is reported and skipped.
        var grouped: [String: [(doc: PolicyDocument, raw: String)]] = [:]
        for entry in documents.sorted(by: { (order[$0.doc.sourcePath] ?? 0) < (order[$1.doc.sourcePath] ?? 0) }) {
            if let existing = grouped[entry.doc.domain]?.first(where: { $0.doc.id == entry.doc.id }) {
                warnings.append(CorpusWarning(path: entry.doc.sourcePath,
                                              message: "duplicate of \(entry.doc.id) (the same retailer and date as \(existing.doc.sourcePath), which is read instead)"))
                continue
            }
            grouped[entry.doc.domain, default: []].append(entry)
        }
        var retailers: [Retailer] = []
        for (domain, entries) in grouped {
            let versions = entries.map(\.doc).sorted { $0.archiveDate < $1.archiveDate }
            let name = DisplayName.derive(domain: domain, sources: entries.map { ($0.raw, $0.doc) })
            retailers.append(Retailer(domain: domain, name: name, versions: versions))
        }
        retailers.sort { ($0.name.lowercased(), $0.domain) < ($1.name.lowercased(), $1.domain) }
        var corpus = Corpus(retailers: retailers, warnings: CorpusWarning.onePerFile(warnings))
        corpus.parsedFiles = files.count
        return corpus
    }

    /// Domain and date from a file name like `jamesallen.com__2019-07-04.md` or `jamesallen.com_2019-07-04.txt`.
    static func fileNameHints(_ path: String) -> (String?, String?) {
        let name = (path as NSString).lastPathComponent
        let stem = (name as NSString).deletingPathExtension
        var domain: String?
        var date: String?
        if let ascii = Self.asciiDate(in: stem) {
            date = ascii
        } else if let r = stem.range(of: #"\d{4}-\d{2}-\d{2}"#, options: .regularExpression) {
            date = String(stem[r])
        }
        // A date the calendar has ("2006-02-30" is none).
        if let d = date, !DateText.isCalendarDate(d) { date = nil }
        let head = stem.split(whereSeparator: { $0 == "_" || $0 == "@" }).first.map(String.init) ?? stem
        if head.contains("."), !head.hasPrefix(".") { domain = head.lowercased() }
        if let d = domain, d.hasPrefix("www.") { domain = String(d.dropFirst(4)) }
        return (domain, date)
    }

    /// The first `\d{4}-\d{2}-\d{2}` of an ASCII name, by bytes: .some(nil) when it has none, nil
    /// when the name is not ASCII (whose digits the pattern may find among other scripts').
    static func asciiDate(in name: String) -> String?? {
        let found = name.utf8.withContiguousStorageIfAvailable { u -> String?? in
            for b in u where b >= 0x80 { return nil }
            @inline(__always) func digits(_ at: Int, _ n: Int) -> Bool { (at..<at + n).allSatisfy { u[$0] &- 0x30 < 10 } }
            guard u.count >= 10 else { return .some(nil) }
            for i in 0...(u.count - 10) where digits(i, 4) && u[i + 4] == 0x2D && digits(i + 5, 2) && u[i + 7] == 0x2D && digits(i + 8, 2) {
                return .some(String(decoding: UnsafeBufferPointer(rebasing: u[i..<i + 10]), as: UTF8.self))
            }
            return .some(nil)
        }
        return found ?? nil
    }

    static func flatDomain(_ text: String) -> String? {
        guard let line = text.drop(while: { $0.isWhitespace }).split(separator: "\n", maxSplits: 1).first else { return nil }
        return DateText.archivedDomain(in: String(line))
    }
}

/// Counts parsed policies across threads and reports every 50 and the last.
final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private let total: Int
    private let report: (@Sendable (Int, Int) -> Void)?
    init(total: Int, report: (@Sendable (Int, Int) -> Void)?) {
        self.total = total
        self.report = report
    }
    func tick() {
        guard let report else { return }
        lock.lock()
        done += 1
        let n = done
        lock.unlock()
        if n % 50 == 0 || n == total { report(n, total) }
    }
}

/// Where the bundled policies live, found from the executable or the source tree.
public enum BundledData {
    /// `locate()`, found once: the read-ahead of the bundled corpus and the command both ask.
    public static let location: URL? = locate()

    /// The `data/` folder of the Redline checkout this binary was built from: the first `data/`
    /// beside a `Package.swift` in the executable's folder or up to five above it, else the one
    /// this source file was compiled in.
    public static func locate(executable: String? = Executable.path) -> URL? {
        var candidates: [String] = []
        if let executable {
            var dir = (executable as NSString).deletingLastPathComponent
            for _ in 0..<6 {
                candidates.append((dir as NSString).appendingPathComponent("data"))
                dir = (dir as NSString).deletingLastPathComponent
            }
        }
        // Sources/PolicyCore/Corpus/Corpus.swift → ../../../data
        var checkout = #filePath as NSString
        for _ in 0..<4 { checkout = checkout.deletingLastPathComponent as NSString }
        candidates.append(checkout.appendingPathComponent("data"))
        for folder in candidates {
            let package = ((folder as NSString).deletingLastPathComponent as NSString).appendingPathComponent("Package.swift")
            if FileSystem.isFile(package), FileSystem.isFolder(folder) { return URL(fileURLWithPath: folder, isDirectory: true) }
        }
        return nil
    }
}
