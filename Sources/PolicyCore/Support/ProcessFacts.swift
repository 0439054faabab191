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
}
