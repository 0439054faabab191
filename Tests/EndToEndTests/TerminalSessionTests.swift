import Foundation
import XCTest

/// The real binary in tmux: what a user sees and types. tmux is installed by .ci/run.
final class TerminalSessionTests: XCTestCase {
    /// A tmux server of our own (unique socket), one window running `redline`.
    final class Session {
        let socket = "redline-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
        let outDir = FileManager.default.temporaryDirectory.appendingPathComponent("redline-tmux-\(UUID().uuidString)")

        /// Runs tmux with posix_spawn and waits for it; output goes through a file. (Foundation's
        /// Process cannot be used: the tmux server it would start inherits its exit-watch descriptor,
        /// and waitUntilExit then never returns.)
        func tmux(_ args: [String]) -> String {
            let file = outDir.appendingPathComponent("tmux-out-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: file) }
            let argv = ["tmux", "-L", socket, "-f", "/dev/null"] + args
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, file.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            var cArgs = argv.map { strdup($0) } + [nil]
            defer { for p in cArgs { free(p) } }
            var pid: pid_t = 0
            guard posix_spawnp(&pid, "tmux", &actions, nil, &cArgs, environ) == 0 else { return "" }
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            return (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        }

        init(width: Int, height: Int, environment: String = "LANG=C.UTF-8 TERM=xterm-256color", arguments: String = "") throws {
            try FileManager.default.createDirectory(at: outDir, withIntermediateDirectories: true)
            let exe = BinaryRunner.executable.path
            let command = "env -u NO_COLOR -u REDLINE_DATA XDG_CACHE_HOME='\(BinaryRunner.cacheHome.path)' \(environment) '\(exe)' \(arguments) 2>'\(outDir.path)/stderr'; echo $? >'\(outDir.path)/rc'"
            _ = tmux(["new-session", "-d", "-s", "app", "-x", "\(width)", "-y", "\(height)", command])
            _ = tmux(["set-option", "-t", "app", "remain-on-exit", "on"])
        }

        func capture(escapes: Bool = false) -> String {
            tmux(["capture-pane", "-p"] + (escapes ? ["-e"] : []) + ["-t", "app"])
        }

        @discardableResult
        func waitFor(_ text: String, seconds: Double = 15, escapes: Bool = false) -> Bool {
            let end = Date().addingTimeInterval(seconds)
            while Date() < end {
                if capture(escapes: escapes).contains(text) { return true }
                usleep(50_000)
            }
            return false
        }

        func keys(_ keys: String...) { _ = tmux(["send-keys", "-t", "app"] + keys) }
        func literal(_ text: String) { _ = tmux(["send-keys", "-t", "app", "-l", text]) }
        func resize(_ w: Int, _ h: Int) { _ = tmux(["resize-window", "-t", "app", "-x", "\(w)", "-y", "\(h)"]) }

        func exitCode(seconds: Double = 10) -> String? {
            let end = Date().addingTimeInterval(seconds)
            let url = outDir.appendingPathComponent("rc")
            while Date() < end {
                if let s = try? String(contentsOf: url, encoding: .utf8), !s.isEmpty { return s.trimmingCharacters(in: .whitespacesAndNewlines) }
                usleep(50_000)
            }
            return nil
        }

        var stderr: String { (try? String(contentsOf: outDir.appendingPathComponent("stderr"), encoding: .utf8)) ?? "" }

        deinit {
            _ = tmux(["kill-server"])
            try? FileManager.default.removeItem(at: outDir)
        }
    }

    func testBrowseSearchCompareHelpResizeQuit() throws {
        let s = try Session(width: 120, height: 40)
        XCTAssertTrue(s.waitFor("WorldJewels"), s.capture())
        // The reader's category tags come with their model, which the first frame does not wait for.
        XCTAssertTrue(s.waitFor("›"), s.capture())
        let first = s.capture()
        XCTAssertTrue(first.contains("James Allen"))
        XCTAssertTrue(first.contains("Diamond Nexus"))

        // Search: the hit opens in the reader with the match highlighted.
        s.literal("/eighteen")
        XCTAssertTrue(s.waitFor("1 hit in 1 version"), s.capture())
        s.keys("Enter")
        XCTAssertTrue(s.waitFor("hit 1 of 1"), s.capture())
        let coloured = s.capture(escapes: true)
        let line = coloured.split(separator: "\n").first { $0.contains("eighteen") } ?? ""
        let before = line.components(separatedBy: "eighteen").first ?? ""
        let lastSGR = before.components(separatedBy: "\u{1B}[").last ?? ""
        XCTAssertTrue(lastSGR.contains("7") || lastSGR.contains("33"), "the match is highlighted: \(line.debugDescription)")
        XCTAssertTrue(s.capture().contains("James Allen · 2010-12-31"))

        // Compare James Allen's two versions side by side.
        s.keys("Escape", "Tab", "Tab", "Tab")
        s.keys("c")
        XCTAssertTrue(s.waitFor("jamesallen.com@2019-07-04"), s.capture())
        let compare = s.capture()
        XCTAssertTrue(compare.contains("jamesallen.com@2010-12-31"))
        let escapes = s.capture(escapes: true)
        XCTAssertTrue(escapes.contains("\u{1B}[31m") || escapes.contains("\u{1B}[91m"), "removed words in red")
        XCTAssertTrue(escapes.contains("\u{1B}[32m") || escapes.contains("\u{1B}[92m") || escapes.contains(";32m"), "added words in green")
        s.keys("Escape")

        // Help.
        s.keys("?")
        XCTAssertTrue(s.waitFor("search every clause"), s.capture())
        s.keys("Escape")

        // Resize at will.
        s.resize(80, 24)
        XCTAssertTrue(s.waitFor("Retailers (3)"), s.capture())
        s.resize(40, 12)
        XCTAssertTrue(s.waitFor("? help"), s.capture())
        s.resize(20, 5)
        XCTAssertTrue(s.waitFor("too small"), s.capture())
        s.resize(120, 40)
        XCTAssertTrue(s.waitFor("WorldJewels"), s.capture())

        s.keys("q")
        XCTAssertEqual(s.exitCode(), "0")
        XCTAssertFalse(s.capture().contains("Retailers"), "the terminal is restored (alternate screen left)")
        XCTAssertEqual(s.stderr, "")
    }

    func testALargeCorpusReadForTheFirstTimeShowsItsProgressAndQCanLeave() throws {
        // 400 policies and an empty cache folder: reading them takes long enough to be shown.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("redline-loading-\(UUID().uuidString)")
        let corpus = root.appendingPathComponent("corpus"), cache = root.appendingPathComponent("cache")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let text = try String(contentsOf: BinaryRunner.repoRoot.appendingPathComponent("data/jamesallen.com__2019-07-04.md"), encoding: .utf8)
        for i in 0..<400 {
            let domain = String(format: "shop%03d.example", i)
            try text.replacingOccurrences(of: "jamesallen.com", with: domain)
                .write(to: corpus.appendingPathComponent("\(domain)__2019-07-04.md"), atomically: false, encoding: .utf8)
        }
        let s = try Session(width: 80, height: 24, environment: "LANG=C.UTF-8 TERM=xterm-256color XDG_CACHE_HOME='\(cache.path)'",
                            arguments: "--data '\(corpus.path)'")
        XCTAssertTrue(s.waitFor("of 400 policies"), s.capture())
        XCTAssertTrue(s.capture().contains("q quits"), s.capture())
        s.keys("q")
        XCTAssertEqual(s.exitCode(), "0", s.stderr)
        XCTAssertFalse(s.capture().contains("policies"), "the terminal is restored")
    }

    func testSIGTERMRestoresTheTerminal() throws {
        let s = try Session(width: 100, height: 30)
        XCTAssertTrue(s.waitFor("WorldJewels"))
        let pid = s.tmux(["display-message", "-p", "-t", "app", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        // The pane runs a shell that runs redline: signal the shell's child.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        child.arguments = ["pkill", "-TERM", "-P", pid, "redline"]
        try child.run()
        child.waitUntilExit()
        XCTAssertEqual(s.exitCode(), "143")
        XCTAssertFalse(s.capture().contains("Retailers"))
    }

    func testDumbTerminalAndPipesGetAClearMessage() throws {
        let piped = try BinaryRunner.run([])
        XCTAssertNotEqual(piped.status, 0)
        XCTAssertTrue(piped.stderr.contains("needs a terminal"), piped.stderr)
        let s = try Session(width: 80, height: 24, environment: "LANG=C.UTF-8 TERM=dumb")
        XCTAssertEqual(s.exitCode(), "1")
        XCTAssertTrue(s.stderr.contains("cannot position the cursor"), s.stderr)
        let unknown = try Session(width: 80, height: 24, environment: "LANG=C.UTF-8 TERM=no-such-terminal-xyz")
        XCTAssertEqual(unknown.exitCode(), "1")
        XCTAssertTrue(unknown.stderr.contains("unknown terminal type"), unknown.stderr)
    }

    func testVT100WithoutColourAndNoColor() throws {
        let vt = try Session(width: 100, height: 30, environment: "LANG=C.UTF-8 TERM=vt100")
        XCTAssertTrue(vt.waitFor("WorldJewels"), vt.capture())
        vt.keys("j", "c")
        XCTAssertTrue(vt.waitFor("[-"), vt.capture())
        vt.keys("q")
        XCTAssertEqual(vt.exitCode(), "0")
        let plain = try Session(width: 100, height: 30, environment: "LANG=C.UTF-8 TERM=xterm-256color NO_COLOR=1")
        XCTAssertTrue(plain.waitFor("WorldJewels"))
        plain.keys("j", "c")
        XCTAssertTrue(plain.waitFor("{+"), plain.capture())
        XCTAssertFalse(plain.capture(escapes: true).contains("\u{1B}[31m"), "NO_COLOR: no red")
        plain.keys("q")
        XCTAssertEqual(plain.exitCode(), "0")
    }

    func testNonUTF8LocaleFallsBackToASCII() throws {
        let s = try Session(width: 100, height: 30, environment: "LANG=C LC_ALL=C TERM=xterm-256color")
        XCTAssertTrue(s.waitFor("WorldJewels"), s.capture())
        XCTAssertTrue(s.capture().contains("+-"), "ASCII box corners")
        s.keys("q")
        XCTAssertEqual(s.exitCode(), "0")
    }
}
