import Foundation

/// One environment variable, read with getenv(3): `ProcessInfo`'s `environment` copies them all
/// into a dictionary at every use.
public enum Environment {
    /// The variable's value, or nil when it is unset or empty.
    public static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        let value = String(cString: raw)
        return value.isEmpty ? nil : value
    }
}

/// This process's executable.
public enum Executable {
    /// The running executable's absolute path, symbolic links resolved.
    public static let path: String? = {
        #if os(Linux)
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return exe }
        #endif
        return Bundle.main.executablePath.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
    }()
}

/// Plain stat(2) tests: start-up checks a dozen paths, and FileManager's are slower.
public enum FileSystem {
    public static func isFile(_ path: String) -> Bool { mode(path).map { $0 & S_IFMT == S_IFREG } ?? false }
    public static func isFolder(_ path: String) -> Bool { mode(path).map { $0 & S_IFMT == S_IFDIR } ?? false }

    private static func mode(_ path: String) -> mode_t? {
        var st = stat()
        return stat(path, &st) == 0 ? st.st_mode : nil
    }

    /// What a folder entry is, by readdir(3)'s `d_type` (lstat(2) where the file system gives none).
    enum EntryKind { case file, folder, link }

    /// The entries of `folder` that are not hidden (a name starting with "."), with their kind, by
    /// readdir(3): a tenth of the time of FileManager's enumerator on 10 000 files. Stops when
    /// `body` returns false, and then returns false.
    @discardableResult
    static func eachEntry(in folder: String, _ body: (_ name: String, _ kind: EntryKind) -> Bool) -> Bool {
        guard let handle = opendir(folder) else { return true }
        defer { closedir(handle) }
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasPrefix(".") { continue }   // hidden files and folders, "." and ".."
            var kind: EntryKind
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR): kind = .folder
            case Int32(DT_LNK): kind = .link
            case Int32(DT_UNKNOWN):
                var st = stat()
                guard lstat(folder + "/" + name, &st) == 0 else { continue }
                kind = (st.st_mode & S_IFMT) == S_IFDIR ? .folder : (st.st_mode & S_IFMT) == S_IFLNK ? .link : .file
            default: kind = .file
            }
            if !body(name, kind) { return false }
        }
        return true
    }
}
