import Foundation
import XCTest

/// Runs the built `redline` binary as a user would, capturing its output.
struct BinaryRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `redline` executable next to this test bundle, or the one `REDLINE_BINARY` names (to run
    /// these tests on a release or static build: `REDLINE_BINARY=$PWD/.build/release/redline`).
    static let executable: URL = {
        if let path = ProcessInfo.processInfo.environment["REDLINE_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("redline")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repo.appendingPathComponent(".build/debug/redline")
    }()

    /// `XDG_CACHE_HOME` of every binary the tests run: a folder of this test run, removed when it
    /// ends, so the tests never write into the user's `~/.cache/redline`.
    static let cacheHome: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redline-tests-cache-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: BinaryRunner.cacheHome) }
        return dir
    }()

    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `redline args…` from `directory` (default: a temporary folder, never the checkout), with
    /// `input` on standard input (else nothing).
    static func run(_ args: [String], environment: [String: String] = [:], in directory: URL? = nil, input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "REDLINE_DATA")
        env.removeValue(forKey: "COLUMNS")   // widths as on a pipe, whatever the shell that ran the tests set
        env["XDG_CACHE_HOME"] = cacheHome.path
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.currentDirectoryURL = directory ?? FileManager.default.temporaryDirectory
        let out = Pipe()
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("redline-stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errFile) }
        let err = try FileHandle(forWritingTo: errFile)
        process.standardOutput = out
        process.standardError = err
        var inputFile: URL?
        if let input {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("redline-stdin-\(UUID().uuidString)")
            try Data(input.utf8).write(to: file)
            inputFile = file
            process.standardInput = try FileHandle(forReadingFrom: file)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        defer { if let inputFile { try? FileManager.default.removeItem(at: inputFile) } }
        try process.run()
        // Read stdout fully before waiting, so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try err.close()
        let errData = (try? Data(contentsOf: errFile)) ?? Data()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    static func json(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Any {
        let result = try run(args)
        XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }
}
