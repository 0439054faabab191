import Foundation
@testable import PolicyCore

/// Paths and parsed corpora shared by the PolicyCore tests.
enum Fixtures {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let dataDir = repoRoot.appendingPathComponent("data")
    /// Real policies of both formats for tests: a copy of `../shared/corpus-sample`.
    static let sampleDir = repoRoot.appendingPathComponent("Tests/Fixtures/corpus-sample")

    static let bundled: Corpus = {
        do { return try CorpusLoader.load(directory: dataDir) } catch { fatalError("cannot load data/: \(error)") }
    }()

    static func doc(_ id: String) -> PolicyDocument {
        guard let d = bundled.document(id: id) else { fatalError("no \(id) in data/") }
        return d
    }

    /// Top-level section titles, numbering and trailing colons removed, preamble skipped.
    static func topLevel(_ doc: PolicyDocument) -> [String] {
        doc.sections.filter { !$0.isPreamble }.map { HeadingLexicon.key($0.title) }
    }

    /// A policy in the Wayback Markdown format: the dataset's opening line, then `body`.
    static func waybackMarkdown(domain: String, date: String, body: String) -> String {
        "> *The following text is extracted and transformed from the \(domain) privacy policy that was archived on \(date).*\n\n" + body
    }

    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("redline-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
