import ArgumentParser
import Foundation
import PolicyCore

/// `redline`: read and compare website privacy policies in the terminal.
@main
struct Redline: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redline",
        abstract: "Read, search and compare website privacy policies.",
        usage: "redline [--data <dir> | --git <repo> [--since <date>] [--path <glob>]] [<subcommand>]",
        discussion: """
            With no subcommand, opens the terminal browser on the corpus. The corpus options (--data, \
            --git, --since, --path) may come before the subcommand too: redline --data DIR list --json.
            """,
        version: Redline.version,
        subcommands: [Browse.self, List.self, Sections.self, Show.self, Search.self, Diff.self, Changes.self, Trend.self,
                      Topics.self, Facts.self, Bench.self, TrainTopics.self, WatchFolder.self],
        defaultSubcommand: Browse.self
    )

    /// What `redline --version` prints.
    static let version = "0.9.0"

    /// ArgumentParser's `main`, with the phase marks `REDLINE_TRACE` asks for.
    static func main() {
        PhaseTrace.mark("main")
        let names = configuration.subcommands.map { $0._commandName }
        let arguments = CorpusOptions.hoisted(Array(CommandLine.arguments.dropFirst()), subcommands: Set(names))
        // A word where a command goes is a command: "redline stats" is not the browser given an
        // unexpected argument, and "redline help stats" not the general help.
        var words = arguments[...]
        while let first = words.first, CorpusOptions.names.contains(first) || CorpusOptions.names.contains(String(first.prefix { $0 != "=" })) {
            words = words.dropFirst(first.contains("=") ? 1 : 2)
        }
        let asked = words.first == "help" ? words.dropFirst().first : words.first
        if let asked, !asked.hasPrefix("-"), asked != "help", !names.contains(asked) {
            let shown = names.filter { name in configuration.subcommands.contains { $0._commandName == name && $0.configuration.shouldDisplay } }
            FileHandle.standardError.write(Data("Error: unknown command '\(asked)'; the commands: \(shown.joined(separator: ", "))\n  See 'redline --help' for more information.\n".utf8))
            Foundation.exit(64)
        }
        do {
            var command = try parseAsRoot(arguments)
            PhaseTrace.mark("parsed")
            try command.run()
        } catch {
            // A query word with a leading minus reads as an option: say how to search for it.
            let message = fullMessage(for: error)
            // (A single dash: "--jsn" is a mistyped option.)
            if words.first == "search", message.hasPrefix("Error: Unknown option '-"), let option = message.split(separator: "'").dropFirst().first,
               !option.hasPrefix("--") {
                let query = words.dropFirst().filter { !$0.hasPrefix("--") }.joined(separator: " ")
                FileHandle.standardError.write(Data(("Error: Unknown option '\(option)': a query word starting with '-' is read as an option; "
                    + "quote the query (redline search '\(query)') or put -- before it (redline search -- \(query))\n").utf8))
                Foundation.exit(64)
            }
            exit(withError: error)
        }
    }
}

/// With `REDLINE_TRACE` set, commands print `redline-trace PHASE NANOSECONDS` (CLOCK_MONOTONIC)
/// on stderr as they pass each phase: `scripts/bench-diff-vs-git --phases` turns them into times.
enum PhaseTrace {
    static let enabled = Environment.value("REDLINE_TRACE") != nil

    static func mark(_ phase: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("redline-trace \(phase) \(DispatchTime.now().uptimeNanoseconds)\n".utf8))
    }
}

/// Where the corpus comes from: `--data`, `REDLINE_DATA`, or the bundled policies.
struct CorpusOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder of policy files (.md/.txt, searched recursively).", valueName: "dir"))
    var data: String?
    @Option(name: .long, help: ArgumentHelp("A git repository: each commit that changed a policy file is a version.", valueName: "repo"))
    var git: String?
    @Option(name: .long, help: ArgumentHelp("With --git: only commits since this date (YYYY, YYYY-MM or YYYY-MM-DD, from its first day, or words git log --since takes: '2 weeks ago'); for changes: only changes since it.", valueName: "date"))
    var since: String?
    @Option(name: .customLong("path"), help: ArgumentHelp("With --git: only files matching this glob (e.g. 'a/**/*.md').", valueName: "glob"))
    var pathGlob: String?

    /// The options whose value is the next argument (or follows `=`).
    static let names: Set<String> = ["--data", "--git", "--since", "--path"]

    /// `arguments` with corpus options given before the subcommand moved after its name, as
    /// `git -C DIR log` reads: `--data DIR list --json` is `list --data DIR --json`. Anything else
    /// is left as it is (with no subcommand named, the options go to the default one, the browser).
    static func hoisted(_ arguments: [String], subcommands: Set<String>) -> [String] {
        var leading: [String] = []
        var i = 0
        while i < arguments.count {
            let arg = arguments[i]
            if names.contains(arg), i + 1 < arguments.count {
                leading += [arg, arguments[i + 1]]
                i += 2
            } else if let eq = arg.firstIndex(of: "="), names.contains(String(arg[..<eq])) {
                leading.append(arg)
                i += 1
            } else {
                break
            }
        }
        guard !leading.isEmpty, i < arguments.count, subcommands.contains(arguments[i]) else { return arguments }
        return [arguments[i]] + leading + arguments[(i + 1)...]
    }

    /// True when reading the bundled data (indexed in memory, never cached).
    var isBundled: Bool {
        git == nil && data == nil && Environment.value("REDLINE_DATA") == nil
    }

    func validate() throws {
        if git != nil, data != nil { throw ValidationError("--git and --data are two sources: give one") }
        if git == nil, pathGlob != nil { throw ValidationError("--since and --path go with --git REPO") }
    }

    /// `--since` narrows a git history; `changes` reads it as its own date filter instead (and
    /// loads without it), so the check is made when loading rather than in `validate`.
    func checkSince() throws {
        if git == nil, since != nil { throw ValidationError("--since and --path go with --git REPO") }
    }

    /// `--since` as git is given it: a date written as numbers must be one (YYYY, YYYY-MM or
    /// YYYY-MM-DD) and counts from its first day, as `changes --since` does (git itself would read
    /// "2019" as this day of 2019 and "2019-13" as 13 December); words are git's ("2 weeks ago"),
    /// refused when git reads them as the present moment ("abc" would find nothing, silently).
    func gitSince(in repository: URL) throws -> String? {
        guard let since else { return nil }
        if since.allSatisfy({ $0.isNumber || $0 == "-" }) {
            guard Changes.isDatePrefix(since) else {
                throw ValidationError("--since takes YYYY, YYYY-MM or YYYY-MM-DD, or words git log --since takes (\"2 weeks ago\"), not '\(since)'")
            }
            // From midnight: git fills a date's missing time in with the clock's.
            return since + [4: "-01-01", 7: "-01"][since.count, default: ""] + " 00:00:00"
        }
        _ = try Self.gitMoment(since, in: repository)
        return since
    }

    /// The moment git reads `--since` words as (seconds since 1970), nil when git cannot say (the
    /// repository itself fails: loading it says why); refused when git reads them as the present
    /// moment and they do not say "now".
    static func gitMoment(_ since: String, in repository: URL) throws -> Int? {
        guard let stamp = GitCorpusReader.sinceMoment(since, in: repository) else { return nil }
        if since.trimmingCharacters(in: .whitespaces).lowercased() != "now", abs(stamp - Int(Date().timeIntervalSince1970)) <= 2 {
            throw ValidationError("--since: git reads '\(since)' as now, which leaves no commit; give YYYY-MM-DD or words git log --since takes (\"2 weeks ago\")")
        }
        return stamp
    }

    /// The corpus folder to read.
    func directory() throws -> URL {
        // --data, else REDLINE_DATA: the same checks and words for both.
        func folder(_ path: String, _ name: String) throws -> URL {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw CommandFailure("no such folder: \(path)")
            }
            guard isFolder.boolValue else {
                throw CommandFailure("\(path) is a file; \(name) names the folder that holds the policies")
            }
            return URL(fileURLWithPath: path)
        }
        if let data { return try folder(data, "--data") }
        if let env = Environment.value("REDLINE_DATA") { return try folder(env, "REDLINE_DATA") }
        guard let bundled = BundledData.location else {
            throw CommandFailure("cannot find the bundled data/ folder; pass --data DIR or set REDLINE_DATA")
        }
        return bundled
    }

    /// A progress bar on stderr while a large corpus is parsed (only on a terminal, only past 200 files).
    static var parseProgress: (@Sendable (Int, Int) -> Void)? {
        isatty(2) == 1 ? drawParseProgress : nil
    }

    @Sendable static func drawParseProgress(done: Int, total: Int) {
        guard total >= 200 else { return }
        Terminal.progressBar("reading", done: done, total: total)
    }

    /// What the catalog reads.
    func catalogSource() throws -> Catalog.Source {
        try checkSince()
        if let git {
            let repository = URL(fileURLWithPath: git)
            return .git(GitCorpusReader.Options(repository: repository, since: try gitSince(in: repository), pathGlob: pathGlob))
        }
        return .folder(try directory())
    }

    /// The corpus's catalog, brought up to date with its files (see `Catalog`), with unreadable
    /// files reported on stderr unless `warn` is off (the browser reports them once the terminal
    /// is restored). Kept in `$XDG_CACHE_HOME/redline/`; in a temporary file, removed at exit,
    /// with `REDLINE_NO_CACHE` or when that folder cannot be written.
    func catalog(progress: (@Sendable (Int, Int) -> Void)? = Self.parseProgress, warn: Bool = true) throws -> Catalog {
        let source = try catalogSource()
        let catalog: Catalog
        do {
            catalog = try Self.open(source)
            try catalog.refresh(progress: progress)
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure("\(error)")
        }
        PhaseTrace.mark(catalog.trustedWatcher ? "catalog-watched" : "catalog")
        if warn { try report(catalog) }
        return catalog
    }

    /// The whole corpus, versions' sections read when first needed: for the commands that walk it.
    func load(progress: (@Sendable (Int, Int) -> Void)? = Self.parseProgress, warn: Bool = true) throws -> Corpus {
        try catalog(progress: progress, warn: warn).corpus()
    }

    /// Opens the catalog of `source` in the cache folder, else in a temporary file.
    static func open(_ source: Catalog.Source) throws -> Catalog {
        let root = Catalog.rootName(of: source)
        if Environment.value("REDLINE_NO_CACHE") == nil {
            let path = Catalog.path(for: root)
            do {
                let catalog = try Catalog(source: source, path: path, producer: producer)
                if case .folder = source { catalog.watching = watching }
                return keepOpen(catalog)
            } catch {
                // Every command would read the whole corpus again: say so, once per command, and what
                // to do when the folder is the cause (not when another redline held the catalog too long).
                let reason = Self.reason(error)
                let busy = reason.contains("locked") || reason.contains("busy")
                Diagnostics.warn("cannot keep a catalog in \((path as NSString).deletingLastPathComponent) (\(reason)): "
                                 + "this command reads the corpus into a temporary one"
                                 + (busy ? "" : "; set XDG_CACHE_HOME to a folder it can write"))
            }
        }
        let scratch = NSTemporaryDirectory() + "redline-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sqlite"
        TemporaryFiles.removeAtExit(scratch)
        return keepOpen(try Catalog(source: source, path: scratch, producer: producer))
    }

    /// An error's reason in a few words: SQLite's ("SQLite error 14: unable to open database file",
    /// without the statement it was running), a file system error's description.
    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? Error, (underlying as NSError).domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32((underlying as NSError).code))).lowercased()
        }
        if error is CocoaError { return ns.localizedDescription }
        let text = "\(error)"
        return text.range(of: " - while executing").map { String(text[..<$0.lowerBound]) } ?? text
    }

    /// Folders of 1 000 files or more get a watcher (`FolderWatch`) that spares warm commands a stat
    /// of every file. `REDLINE_WATCH=off` never starts one (commands then stat every file), `always`
    /// starts one for any folder.
    static var watching: Catalog.Watching? {
        let setting = Environment.value("REDLINE_WATCH")
        guard setting != "off", setting != "0", let exe = Executable.path else { return nil }
        return Catalog.Watching(minimumFiles: setting == "always" ? 0 : 1000) { folder, catalog in
            FolderWatch.start(executable: exe, arguments: ["watch-folder", "--catalog", catalog, folder])
        }
    }

    /// Catalogs this process opened stay open until it exits: a command ends with the process, and
    /// closing one first disposes GRDB's dispatch queue, which starts a worker thread only to exit with it.
    private static let openCatalogs = NSLock()
    nonisolated(unsafe) private static var kept: [Catalog] = []
    private static func keepOpen(_ catalog: Catalog) -> Catalog {
        openCatalogs.withLock { kept.append(catalog) }
        return catalog
    }

    /// This build, for keying catalogs: its executable's size and time. A rebuilt parser never reads
    /// an older build's versions or search rows.
    static let producer: String = {
        var st = stat()
        guard let exe = Executable.path, stat(exe, &st) == 0 else { return "unknown" }
        return "\(st.st_size)-\(Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)"
    }()

    /// The files the catalog skipped, those it read with invalid UTF-8, and an empty corpus, on stderr.
    func report(_ catalog: Catalog) throws {
        Self.warn(try catalog.warnings())
        guard try catalog.isEmpty() else { return }
        if let git { Diagnostics.warn("no policy versions found in the history of \(git)" + gitScope) } else {
            Diagnostics.warn("no policies found in \(sourceDescription)")
        }
    }

    /// The narrowing of a git history that may have left nothing: " committed since …", " under …".
    var gitScope: String {
        (since.map { " committed since \($0)" } ?? "") + (pathGlob.map { " under \($0)" } ?? "")
    }

    /// The files a load skipped, those it read with invalid UTF-8, and an empty corpus, on stderr.
    func report(_ corpus: Corpus) {
        Self.warn(corpus.warnings)
        guard corpus.retailers.isEmpty else { return }
        if let git { Diagnostics.warn("no policy versions found in the history of \(git)" + gitScope) } else {
            Diagnostics.warn("no policies found in \(sourceDescription)")
        }
    }

    /// The corpus's warnings on stderr, one a file; past five files with the same note (a git
    /// history's READMEs and code, "neither a Wayback Markdown extract nor a flat scrape"), three
    /// of them and how many more.
    static func warn(_ warnings: [CorpusWarning]) {
        let groups = Dictionary(grouping: warnings) { "\($0.skipped) \($0.message)" }
        var said = Set<String>()
        for warning in warnings {
            let key = "\(warning.skipped) \(warning.message)"
            guard said.insert(key).inserted, let group = groups[key] else { continue }
            for w in group.prefix(group.count > 5 ? 3 : 5) { Diagnostics.warn(w.skipped ? "skipped \(w)" : "\(w)") }
            if group.count > 5 {
                Diagnostics.warn("… and \(group.count - 3) more files \(warning.skipped ? "skipped" : "noted"): \(warning.message)")
            }
        }
    }

    /// What is being read, for the loading screen.
    var sourceDescription: String {
        if let git { return "git history of " + git }
        return (try? directory().path) ?? "data/"
    }
}

/// Writes to stderr.
enum Diagnostics {
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("redline: \(message)\n".utf8))
    }
}

/// A command that could not do its work (an unknown version, a missing folder): its message and
/// exit status 1. Unlike a `ValidationError` (a malformed command line, exit 64), no usage text
/// follows it: the command line was fine.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Resolves a DOC argument into a version; an unknown or ambiguous one lists the candidates.
func resolve(_ spec: String, in corpus: Corpus) throws -> PolicyDocument {
    do {
        return try corpus.resolve(spec)
    } catch let error as DocumentLookupError {
        throw CommandFailure(error.description)
    }
}

/// Resolves a DOC argument against a catalog (an exact id reads one row).
func resolve(_ spec: String, in catalog: Catalog) throws -> PolicyDocument {
    do {
        return try catalog.resolve(spec)
    } catch let error as DocumentLookupError {
        throw CommandFailure(error.description)
    }
}

/// Prints an Encodable value as JSON on stdout.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    FileHandle.standardOutput.write(data)
    FileHandle.standardOutput.write(Data("\n".utf8))
}

/// Files removed when the process exits (a catalog made where no cache could be kept): at a normal
/// exit, and when a signal ends a command (Ctrl-C, `| head` closing the pipe, `kill`), where the
/// names made ahead are unlinked before the signal does what it would have done. A signal someone
/// else handles (the browser, which ends its loop and exits normally) or ignores is left so.
enum TemporaryFiles {
    nonisolated(unsafe) private static var paths: [String] = []
    private static let lock = NSLock()
    private static let registered: Void = { atexit { TemporaryFiles.removeAll() } }()
    private static let signals = [SIGINT, SIGTERM, SIGHUP, SIGPIPE]
    private static let capacity = 64
    /// What the signal handler reads, in raw memory (no Swift access checks, nothing made on first
    /// use): the files' names as C strings, and how many there are, written after each name.
    nonisolated(unsafe) private static let names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let names = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        names.initialize(repeating: nil, count: capacity)
        return names
    }()
    nonisolated(unsafe) private static let count: UnsafeMutablePointer<Int> = {
        let count = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        count.initialize(to: 0)
        return count
    }()

    static func removeAtExit(_ path: String) {
        _ = registered
        let (names, count) = (Self.names, Self.count)
        // The signals wait while names are added, so the handler never sees one half written.
        var block = sigset_t(), old = sigset_t()
        sigemptyset(&block)
        for sig in signals { sigaddset(&block, sig) }
        pthread_sigmask(SIG_BLOCK, &block, &old)
        lock.withLock {
            paths.append(path)
            // The catalog's files, and the lengths file it writes beside them before renaming it.
            for suffix in Catalog.fileSuffixes + [".lengths.\(getpid()).tmp"] where count.pointee < capacity {
                names[count.pointee] = strdup(path + suffix)
                count.pointee += 1
            }
            for sig in signals {
                var current = sigaction()
                sigaction(sig, nil, &current)
                // Only a signal whose handler is the default's (none of ours is installed twice).
                guard current.__sigaction_handler.sa_handler == nil, current.sa_flags & SA_SIGINFO == 0 else { continue }
                signal(sig) { s in
                    for i in 0..<TemporaryFiles.count.pointee { if let name = TemporaryFiles.names[i] { unlink(name) } }
                    signal(s, SIG_DFL)
                    raise(s)
                }
            }
        }
        pthread_sigmask(SIG_SETMASK, &old, nil)
    }

    static func removeAll() {
        for path in lock.withLock({ paths }) { Catalog.removeFilesAndLocks(path) }
    }
}

/// JSON written as `printJSON`'s encoder writes it (pretty-printed, two-space indents, `"key" : value`,
/// keys in the order given, which callers give sorted; slashes not escaped), for outputs too large
/// for JSONEncoder's speed and for `search`, where JSONEncoder's start cost a tenth of a warm search.
struct JSONText {
    var bytes: [UInt8] = []
    private var depth = 0
    private var first = true
    /// With a file descriptor, the text goes out every 256 kB (`flush`), not built whole: a list of
    /// 42 000 versions is 16 MB, and building it was thousands of page faults.
    var output: Int32?

    /// Writes what is held to `output` once it passes 256 kB, or with `force` whatever it holds.
    mutating func flush(force: Bool = false) {
        guard let output, force || bytes.count >= 1 << 18 else { return }
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(output, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                offset += n
            }
        }
        bytes.removeAll(keepingCapacity: true)
    }

    private static let indents: [[UInt8]] = (0..<16).map { [0x0A] + [UInt8](repeating: 0x20, count: 2 * $0) }

    private mutating func newline() {
        if depth < Self.indents.count {
            bytes.append(contentsOf: Self.indents[depth])
        } else {
            bytes.append(0x0A)
            for _ in 0..<(2 * depth) { bytes.append(0x20) }
        }
    }

    private mutating func key(_ name: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        newline()
        quoted(name)
        bytes.append(0x20); bytes.append(UInt8(ascii: ":")); bytes.append(0x20)
    }

    mutating func quoted(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings need no escape: checked over their contiguous bytes, appended in one go (the
        // generic `contains(where:)` over a UTF8View was a quarter of writing a large list).
        let plain = s.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            for b in utf8 where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if plain == true {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A top-level object.
    mutating func object(_ body: (inout JSONText) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        depth += 1
        first = true
        body(&self)
        depth -= 1
        newline()
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func string(_ name: String, _ value: String) {
        key(name)
        quoted(value)
    }

    mutating func int(_ name: String, _ value: Int) {
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A number as JSONEncoder writes a Double: its shortest form, without a trailing ".0".
    mutating func double(_ name: String, _ value: Double) {
        key(name)
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    /// An array of arrays of integers, a number a line.
    mutating func intArrays(_ name: String, _ items: [[Int]]) {
        key(name)
        elements(items.count) { o, k in
            o.elements(items[k].count) { o, j in o.bytes.append(contentsOf: String(items[k][j]).utf8) }
        }
    }

    /// `[`, `count` elements each on a line of its own (written by `element`), `]`.
    @inline(__always) private mutating func elements(_ count: Int, _ element: (inout JSONText, Int) -> Void) {
        bytes.append(UInt8(ascii: "["))
        depth += 1
        if count == 0 { bytes.append(0x0A) }   // as JSONEncoder writes an empty array
        for k in 0..<count {
            if k > 0 { bytes.append(UInt8(ascii: ",")) }
            newline()
            element(&self, k)
        }
        depth -= 1
        newline()
        bytes.append(UInt8(ascii: "]"))
    }

    /// An array of objects, each written by `body`.
    mutating func array<T>(_ name: String, _ items: [T], _ body: (inout JSONText, T) -> Void) {
        key(name)
        elements(items.count) { o, k in
            o.bytes.append(UInt8(ascii: "{"))
            o.depth += 1
            o.first = true
            body(&o, items[k])
            o.depth -= 1
            o.newline()
            o.bytes.append(UInt8(ascii: "}"))
            o.flush()
        }
        first = false
    }
}
