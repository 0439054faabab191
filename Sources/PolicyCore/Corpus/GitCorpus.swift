import Foundation

/// Reads policy versions from a git repository's history through the `git` command line: every
/// commit that added or changed a policy file is a version of that retailer, dated by the snapshot
/// date in the file's header (else by the file name, else by the commit date).
///
/// Two git processes do all the work, however long the history: `git log --name-only` lists the
/// (commit, file) pairs, and one `git cat-file --batch` streams every blob.
public enum GitCorpusReader {
    public struct Options: Sendable {
        public var repository: URL
        /// Only commits after this date (anything `git log --since` takes: 2019-01-01, "2 years ago").
        public var since: String?
        /// Only files matching this glob (git pathspec glob: `**/*.md`, `a/ab/*`).
        public var pathGlob: String?
        public init(repository: URL, since: String? = nil, pathGlob: String? = nil) {
            self.repository = repository
            self.since = since
            self.pathGlob = pathGlob
        }
    }

    /// One file as changed by one commit.
    public struct Change: Sendable, Equatable {
        public var commit: String
        /// YYYY-MM-DD, the committer date.
        public var date: String
        public var path: String
    }

    public enum GitError: Error, CustomStringConvertible {
        case notARepository(String)
        case failed(String)
        public var description: String {
            switch self {
            case .notARepository(let s): return "\(s) is not a git repository"
            case .failed(let s): return "git failed: \(s)"
            }
        }
    }

    struct UnreadableBlob: Error, CustomStringConvertible {
        var description: String { "cannot read the blob from git; skipped" }
    }

    public static func load(_ options: Options) throws -> Corpus {
        try load(options, changes: try changes(options))
    }

    public static func root(_ options: Options) -> String {
        options.repository.standardizedFileURL.path + "#git"
            + (options.since.map { "@since=" + $0 } ?? "") + (options.pathGlob.map { "@path=" + $0 } ?? "")
    }

    static func load(_ options: Options, changes: [Change], progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Corpus {
        let blobs = try self.blobs(changes, in: options.repository)
        var files: [CorpusLoader.SourceFile] = []
        var warnings: [CorpusWarning] = []
        for (change, data) in zip(changes, blobs) {
            let path = sourcePath(change)
            guard let data else {
                warnings.append(CorpusWarning(path: path, message: "cannot read the blob from git; skipped"))
                continue
            }
            files.append(CorpusLoader.SourceFile(path: path, data: data, dateHint: change.date))
        }
        var corpus = CorpusLoader.load(files: files, progress: progress)
        // Several commits often carry the same snapshot (a fix to another file, a re-commit): the newest
        // commit's copy is kept, as `changes` lists newest first; that is history, not a problem to report.
        corpus.warnings = (warnings + corpus.warnings.filter { !$0.message.hasPrefix("duplicate of ") }).sorted { $0.path < $1.path }
        corpus.root = root(options)
        return corpus
    }

    /// `git:<commit>:<path>`; the last path component stays the file's name (for name hints).
    static func sourcePath(_ change: Change) -> String {
        "git:" + String(change.commit.prefix(12)) + ":" + change.path
    }

    /// The commit HEAD names, read from the repository's files (`HEAD`, the branch's ref or
    /// `packed-refs`) without starting git; by `git rev-parse HEAD` where they say something else
    /// (a worktree, a symbolic ref elsewhere).
    public static func head(of repository: URL) throws -> String {
        let git = repository.appendingPathComponent(".git").path
        func read(_ path: String) -> String? {
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func isCommit(_ s: String) -> Bool { s.count == 40 && s.allSatisfy(\.isHexDigit) }
        if FileSystem.isFolder(git), let head = read(git + "/HEAD") {
            if isCommit(head) { return head }
            if head.hasPrefix("ref: ") {
                let ref = String(head.dropFirst(5))
                if let direct = read(git + "/" + ref), isCommit(direct) { return direct }
                if let packed = read(git + "/packed-refs") {
                    for line in packed.split(separator: "\n") where line.hasSuffix(" " + ref) {
                        let sha = String(line.prefix(40))
                        if isCommit(sha) { return sha }
                    }
                }
                // A branch with no commit yet: an empty history.
                if !FileSystem.isFile(git + "/" + ref) { return "" }
            }
        }
        let out = String(decoding: try run(["rev-parse", "--verify", "-q", "HEAD"], in: repository, allowFailure: true), as: UTF8.self)
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether `commit` is an ancestor of (or is) `head`.
    static func isAncestor(_ commit: String, of head: String, in repository: URL) throws -> Bool {
        guard !commit.isEmpty, !head.isEmpty else { return false }
        return (try? run(["merge-base", "--is-ancestor", commit, head], in: repository)) != nil
    }

    /// Every (commit, policy file) pair, newest commit first; with `after`, only the commits since that one.
    public static func changes(_ options: Options, after: String? = nil) throws -> [Change] {
        var arguments = ["log", "-z", "--format=%x01%H %cs", "--name-only", "--no-renames", "--diff-filter=AM"]
        if let since = options.since { arguments.append("--since=" + since) }
        if let after { arguments.append(after + "..HEAD") }
        arguments.append("--")
        if let glob = options.pathGlob { arguments.append(":(glob)" + glob) } else {
            arguments += [":(glob)**/*.md", ":(glob)**/*.txt", ":(glob)**/*.markdown"]
        }
        let output = String(decoding: try run(arguments, in: options.repository), as: UTF8.self)
        var out: [Change] = []
        var commit = ""
        var date = ""
        // NUL-terminated (-z), so that no name is quoted: "\u{1}<sha> <date>" starts a commit, and its
        // changed files follow, the first after a line break.
        var afterHeader = false
        for field in output.split(separator: "\0", omittingEmptySubsequences: true) {
            if field.first == "\u{1}" {
                let head = field.dropFirst().split(separator: " ")
                commit = head.first.map(String.init) ?? ""
                date = head.count > 1 ? String(head[1]) : ""
                afterHeader = true
                continue
            }
            let path = String(afterHeader && field.first == "\n" ? field.dropFirst() : field)
            afterHeader = false
            guard !path.isEmpty else { continue }
            let lower = path.lowercased()
            guard !commit.isEmpty, lower.hasSuffix(".md") || lower.hasSuffix(".txt") || lower.hasSuffix(".markdown"),
                  !lower.hasSuffix("headings.txt") else { continue }
            out.append(Change(commit: commit, date: date, path: path))
        }
        return out
    }

    /// The bytes of each change's file at its commit, through one `git cat-file --batch`.
    static func blobs(_ changes: [Change], in repository: URL) throws -> [Data?] {
        guard !changes.isEmpty else { return [] }
        // `cat-file --batch` reads a name a line: a path with a line break in it cannot be asked for,
        // and is reported as unreadable (nil).
        var input = Data()
        for c in changes where !c.path.contains("\n") { input.append(Data((c.commit + ":" + c.path + "\n").utf8)) }
        let output = input.isEmpty ? Data() : try run(["cat-file", "--batch"], in: repository, input: input)
        var out: [Data?] = []
        var i = output.startIndex
        for c in changes {
            if c.path.contains("\n") { out.append(nil); continue }
            guard let newline = output[i...].firstIndex(of: 0x0A) else { out.append(nil); continue }
            let header = String(decoding: output[i..<newline], as: UTF8.self).split(separator: " ")
            i = output.index(after: newline)
            guard header.count == 3, header[1] == "blob", let size = Int(header[2]), output.distance(from: i, to: output.endIndex) >= size else {
                out.append(nil)   // "<name> missing" or not a blob
                continue
            }
            let end = output.index(i, offsetBy: size)
            out.append(Data(output[i..<end]))
            i = end < output.endIndex ? output.index(after: end) : end   // the newline after the content
        }
        return out
    }

    /// The moment git reads `--since=since` as (seconds since 1970), asked of `git rev-parse`; nil
    /// when git cannot say.
    public static func sinceMoment(_ since: String, in repository: URL) -> Int? {
        guard let out = try? run(["rev-parse", "--since=" + since], in: repository) else { return nil }
        let text = String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("--max-age=") else { return nil }
        return Int(text.dropFirst("--max-age=".count))
    }

    /// Runs git in `repository`; stdin is written from another thread while stdout is read.
    static func run(_ arguments: [String], in repository: URL, input: Data? = nil, allowFailure: Bool = false) throws -> Data {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: repository.path, isDirectory: &isDir), isDir.boolValue else {
            throw GitError.notARepository(repository.path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", repository.path, "-c", "core.quotepath=off"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_PAGER"] = "cat"
        environment["LC_ALL"] = "C"
        process.environment = environment
        let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        do { try process.run() } catch { throw GitError.failed("cannot run git: \(error)") }
        let writer = DispatchGroup()
        if let input {
            DispatchQueue.global().async(group: writer) {
                stdin.fileHandleForWriting.write(input)
                try? stdin.fileHandleForWriting.close()
            }
        }
        final class Box: @unchecked Sendable { var data = Data() }
        let errors = Box()
        let errorReader = DispatchGroup()
        DispatchQueue.global().async(group: errorReader) { errors.data = stderr.fileHandleForReading.readDataToEndOfFile() }
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        writer.wait()
        errorReader.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 || allowFailure else {
            let message = String(decoding: errors.data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if message.contains("not a git repository") { throw GitError.notARepository(repository.path) }
            throw GitError.failed(message.isEmpty ? "exit \(process.terminationStatus)" : message)
        }
        return data
    }
}
