import Foundation

/// A watcher of a corpus folder: a small process of its own that holds inotify watches on the
/// folder's directories and tells the commands whether anything changed since a catalog last
/// checked it, so that a warm command does not stat every file.
///
/// It answers on an abstract Unix socket named after the catalog (no file, gone with the process):
/// `ask` → `clean ID GEN` or `dirty ID GEN`; `checked GEN` → `ok`. GEN counts the events seen;
/// the watcher is clean when the last `checked` named the count it still has. Before every answer
/// the watcher reads every event the kernel has queued: an edit finished before a command started
/// was queued before the command asked, so it is in the answer (inotify queues an event inside
/// the system call that made the change).
///
/// A catalog trusts a clean answer only when it was checked under the same watcher (its `watch`
/// meta value is the watcher's ID): a catalog rebuilt or replaced since is checked in full again.
/// The watcher starts dirty, exits after `idle` seconds without a question, when its folder goes,
/// when it cannot watch everything (a link, at the start or made later; the system's limit on watches), or when another
/// watcher already answers for the same catalog. Any doubt (overflowed queue, an unknown event) is
/// an event: the next command checks every file, as it does when no watcher answers.
public enum FolderWatch {
    /// What a watcher said.
    public struct Answer: Equatable, Sendable {
        public var clean: Bool
        public var id: String
        public var generation: UInt64
    }

    /// The socket's name for a catalog: abstract (a leading NUL), per user and catalog path.
    static func socketName(catalog: String) -> [UInt8] {
        [0] + Array("redline-watch-\(getuid())-\(String(ByteInterner.fnv1a(catalog.utf8), radix: 16))".utf8)
    }

    private static func address(_ name: [UInt8]) -> (sockaddr_un, socklen_t) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            for (k, byte) in name.prefix(path.count).enumerated() { path[k] = byte }
        }
        let length = MemoryLayout<sa_family_t>.size + min(name.count, MemoryLayout.size(ofValue: address.sun_path))
        return (address, socklen_t(length))
    }

    // MARK: - Asking

    /// `struct ucred` (SO_PEERCRED), which Swift's Glibc leaves out without _GNU_SOURCE.
    private struct PeerCredentials {
        var pid: pid_t = 0
        var uid: uid_t = 0
        var gid: gid_t = 0
    }

    /// One question to the catalog's watcher, nil when none answers (within half a second) or the one
    /// answering is another user's.
    static func request(_ line: String, catalog: String) -> String? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var (address, length) = address(socketName(catalog: catalog))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
        }
        guard connected == 0 else { return nil }
        var credentials = PeerCredentials(), size = socklen_t(MemoryLayout<PeerCredentials>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &size) == 0, credentials.uid == getuid() else { return nil }
        var timeout = timeval(tv_sec: 0, tv_usec: 500_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array((line + "\n").utf8)
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else { return nil }
        return readLine(fd)
    }

    /// Whether the folder changed since the last check, as the catalog's watcher saw it.
    public static func ask(catalog: String) -> Answer? {
        guard let reply = request("ask", catalog: catalog) else { return nil }
        let words = reply.split(separator: " ")
        guard words.count == 3, words[0] == "clean" || words[0] == "dirty", let generation = UInt64(words[2]) else { return nil }
        return Answer(clean: words[0] == "clean", id: String(words[1]), generation: generation)
    }

    /// Tells the watcher that a catalog was checked against every file after it answered `generation`.
    public static func checked(_ generation: UInt64, catalog: String) {
        _ = request("checked \(generation)", catalog: catalog)
    }

    private static func readLine(_ fd: Int32) -> String? {
        var line: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 128)
        while line.count < 256 {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return nil }
            line += buffer[..<n]
            if let end = line.firstIndex(of: UInt8(ascii: "\n")) { return String(decoding: line[..<end], as: UTF8.self) }
        }
        return nil
    }

    // MARK: - Starting one

    /// Starts `executable arguments…` as a watcher: in a session of its own, its standard streams on
    /// /dev/null (a command's pipes never wait for it), reaped by a thread of this process.
    public static func start(executable: String, arguments: [String]) {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(0x80))   // POSIX_SPAWN_SETSID (glibc), not imported into Swift
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        var child: pid_t = 0
        guard posix_spawn(&child, executable, &actions, &attributes, argv, environ) == 0 else { return }
        let pid = child
        Thread.detachNewThread {
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
    }

    // MARK: - Watching

    /// Watches `folder` and answers for `catalog` until idle for `idle` seconds, the folder goes, or
    /// another watcher answers. Returns the process's exit status.
    public static func serve(folder: String, catalog: String, idle: Double = 600) -> Int32 {
        // Nothing inherited stays open: a pipe held here would keep a reader of the starter waiting.
        if let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            for fd in fds.compactMap({ Int32($0) }) where fd > 2 { close(fd) }
        }
        var watcher = Watcher(root: folder)
        guard watcher.start() else { return 1 }
        let server = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard server >= 0 else { return 1 }
        var (address, length) = address(socketName(catalog: catalog))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(server, $0, length) }
        }
        guard bound == 0, listen(server, 16) == 0 else { return 0 }   // another watcher answers already
        let id = String(UInt64.random(in: 1...UInt64.max), radix: 36)
        var checked: UInt64 = 0
        var polls = [pollfd(fd: server, events: Int16(POLLIN), revents: 0), pollfd(fd: watcher.fd, events: Int16(POLLIN), revents: 0)]
        while true {
            let ready = poll(&polls, 2, Int32(idle * 1000))
            if ready == 0 { return 0 }
            if ready < 0 { if errno == EINTR { continue } else { return 1 } }
            if polls[1].revents != 0, !watcher.drain() { return 0 }
            guard polls[0].revents & Int16(POLLIN) != 0 else { continue }
            let client = accept(server, nil, nil)
            guard client >= 0 else { continue }
            var timeout = timeval(tv_sec: 1, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let request = readLine(client)
            // Every event queued before the question is counted before the answer.
            let alive = watcher.drain()
            var reply = "?"
            if request == "ask" {
                reply = "\(checked == watcher.generation ? "clean" : "dirty") \(id) \(watcher.generation)"
            } else if let request, request.hasPrefix("checked "), let generation = UInt64(request.dropFirst(8)) {
                if generation == watcher.generation { checked = generation }
                reply = "ok"
            }
            let bytes = Array((reply + "\n").utf8)
            _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(client)
            if !alive { return 0 }
        }
    }

    /// The inotify side: a watch per directory under the root.
    struct Watcher {
        let root: String
        var fd: Int32 = -1
        var paths: [Int32: String] = [:]
        /// Events seen; starts at 1, so that a new watcher is dirty until a catalog is checked.
        var generation: UInt64 = 1
        static let mask = UInt32(IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO
            | IN_DELETE_SELF | IN_MOVE_SELF) | UInt32(IN_ONLYDIR) | UInt32(IN_DONT_FOLLOW)

        init(root: String) {
            var root = root
            while root.count > 1, root.hasSuffix("/") { root.removeLast() }
            self.root = root
        }

        mutating func start() -> Bool {
            fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            return fd >= 0 && watchTree(root)
        }

        /// Watches `dir` and every directory under it; false when something cannot be watched (any
        /// link: a linked file's own folder may lie outside the tree; or the system's limit).
        mutating func watchTree(_ dir: String) -> Bool {
            let wd = inotify_add_watch(fd, dir, Self.mask)
            if wd < 0 { return errno == ENOENT || errno == ENOTDIR }   // gone already: its parent's event counted it
            paths[wd] = dir
            // A link (which the listing may follow to a file) cannot be watched: no watcher then.
            return FileSystem.eachEntry(in: dir) { name, kind in
                kind == .file || (kind == .folder && watchTree(dir + "/" + name))
            }
        }

        /// Reads every queued event; false when the watcher must stop (its folder went, or it could
        /// not watch a new folder).
        mutating func drain() -> Bool {
            let size = 64 * 1024
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
            defer { buffer.deallocate() }
            while true {
                let n = read(fd, buffer, size)
                if n <= 0 { return true }
                var offset = 0
                while offset + MemoryLayout<inotify_event>.size <= n {
                    let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                    let nameStart = offset + MemoryLayout<inotify_event>.size
                    offset = nameStart + Int(event.len)
                    let mask = event.mask
                    if mask & UInt32(IN_IGNORED) != 0 { paths[event.wd] = nil; continue }
                    if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF) != 0, paths[event.wd] == root { return false }
                    var name = ""
                    if event.len > 0 { name = String(cString: buffer.advanced(by: nameStart).assumingMemoryBound(to: CChar.self)) }
                    if name.hasPrefix(".") { continue }   // hidden files are not policies
                    generation += 1
                    guard mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0, let parent = paths[event.wd] else { continue }
                    if mask & UInt32(IN_ISDIR) != 0 {
                        if !watchTree(parent + "/" + name) { return false }
                    } else {
                        // A new link, whose file may lie outside the folder, cannot be watched: as at the start.
                        var st = stat()
                        if lstat(parent + "/" + name, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK { return false }
                    }
                }
            }
        }
    }
}
