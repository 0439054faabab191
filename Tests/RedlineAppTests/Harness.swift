import Foundation
import PolicyCore
import TerminalUI
import XCTest
@testable import RedlineApp

/// Drives the browser headlessly: press keys, run effects to completion, read the screen.
final class Harness {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpus: Corpus = {
        do { return try CorpusLoader.load(directory: repoRoot.appendingPathComponent("data")) } catch { fatalError("\(error)") }
    }()
    static let index: SearchIndex = {
        do { return try SearchIndex(corpus: corpus) } catch { fatalError("\(error)") }
    }()

    let app: BrowserApp

    init(width: Int = 120, height: Int = 32, colour: Bool = true, unicode: Bool = true) {
        app = BrowserApp(corpus: Self.corpus, index: Self.index, width: width, height: height, colour: colour, unicode: unicode)
    }

    @discardableResult
    func press(_ keys: Key...) -> Harness {
        for key in keys {
            for effect in app.handle(key) { app.receive(app.run(effect)) }
        }
        return self
    }

    @discardableResult
    func type(_ text: String) -> Harness {
        for c in text { press(.char(c)) }
        return self
    }

    @discardableResult
    func resize(_ width: Int, _ height: Int) -> Harness {
        app.resize(width: width, height: height)
        return press(.resize)
    }

    var frame: ScreenBuffer { app.render() }
    var screen: String { frame.lines.joined(separator: "\n") }

    /// Cells whose text is part of `word` on screen, with their styles.
    func styles(of word: String) -> [Style] {
        let f = frame
        var out: [Style] = []
        for y in 0..<f.height {
            let line = f.lines[y]
            guard let r = line.range(of: word) else { continue }
            let start = TextWidth.columns(line[line.startIndex..<r.lowerBound])
            for x in start..<(start + TextWidth.columns(word)) { out.append(f[x, y].style) }
        }
        return out
    }

    /// Compares the screen with `Golden/<name>.txt`. A missing file fails; REDLINE_RECORD=1 writes it
    /// for a person to review before it is committed (never silently overwritten otherwise).
    func assertGolden(_ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let url = Self.repoRoot.appendingPathComponent("Tests/RedlineAppTests/Golden/\(name).txt")
        let actual = screen + "\n"
        if ProcessInfo.processInfo.environment["REDLINE_RECORD"] == "1" {
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("no golden screen \(name).txt; record it with REDLINE_RECORD=1 and review it", file: file, line: line)
            return
        }
        if expected != actual {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, a.count)
            XCTFail("screen differs from \(name).txt at row \(first):\n  want: \(first < e.count ? e[first] : "")\n  got:  \(first < a.count ? a[first] : "")\n\(actual)",
                    file: file, line: line)
        }
    }
}
