import XCTest
@testable import PolicyCore

/// Broken files are reported once each and skipped; the rest of the corpus loads.
final class BadInputTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = Fixtures.temporaryDirectory()
        for name in ["jamesallen.com__2010-12-31.md", "worldjewels.com__2016-11-24.txt"] {
            try FileManager.default.copyItem(at: Fixtures.dataDir.appendingPathComponent(name),
                                             to: dir.appendingPathComponent(name))
        }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func write(_ name: String, _ data: Data) throws {
        try data.write(to: dir.appendingPathComponent(name))
    }

    func load() throws -> Corpus { try CorpusLoader.load(directory: dir) }

    func warning(for name: String, in corpus: Corpus) -> String? {
        let matching = corpus.warnings.filter { $0.path.hasSuffix("/" + name) }
        XCTAssertLessThanOrEqual(matching.count, 1, "one warning per file")
        return matching.first?.message
    }

    func assertGoodFilesStillLoad(_ corpus: Corpus, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotNil(corpus.document(id: "jamesallen.com@2010-12-31"), file: file, line: line)
        XCTAssertNotNil(corpus.document(id: "worldjewels.com@2016-11-24"), file: file, line: line)
    }

    func testEmptyFile() throws {
        try write("empty.md", Data())
        try write("blank.txt", Data("  \n\n \n".utf8))
        let corpus = try load()
        XCTAssertEqual(warning(for: "empty.md", in: corpus), "the file is empty")
        XCTAssertEqual(warning(for: "blank.txt", in: corpus), "the file is empty")
        assertGoodFilesStillLoad(corpus)
    }

    func testBinaryFile() throws {
        var bytes = Data((0..<4096).map { UInt8($0 % 256) })
        bytes.insert(0, at: 0)
        try write("image.md", bytes)
        let corpus = try load()
        XCTAssertEqual(warning(for: "image.md", in: corpus)?.contains("binary"), true)
        assertGoodFilesStillLoad(corpus)
    }

    func testInvalidUTF8IsReplacedNotFatal() throws {
        var data = try Data(contentsOf: Fixtures.dataDir.appendingPathComponent("diamondnexus.com__2016-03-14.md"))
        data.insert(contentsOf: [0xC3, 0x28, 0xFF, 0xFE], at: data.count / 2)
        try write("diamondnexus.com__2016-03-14.md", data)
        // C3 before "(" starts no character, FF and FE never occur: three bytes, said once, and the file loads.
        let note = "3 bytes of invalid UTF-8 shown as U+FFFD (\u{FFFD}); the rest of the file is read as it is"
        let cacheDir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cacheDir) }
        let cacheFile = cacheDir.appendingPathComponent("cache.sqlite").path
        let cached = { () throws -> Corpus in
            let catalog = try Catalog(source: .folder(self.dir), path: cacheFile)
            _ = try catalog.refresh()
            return try catalog.corpus()
        }
        for corpus in [try load(), try cached(), try cached()] {   // in memory, parsed into the catalog, from the catalog
            XCTAssertEqual(warning(for: "diamondnexus.com__2016-03-14.md", in: corpus), note)
            XCTAssertEqual(corpus.warnings.map(\.skipped), [false])
            let doc = try XCTUnwrap(corpus.document(id: "diamondnexus.com@2016-03-14"))
            XCTAssertEqual(doc.sections.filter { !$0.isPreamble }.count, 7)
            assertGoodFilesStillLoad(corpus)
        }
        // A file skipped for another reason is reported once, for that reason.
        try write("notes.txt", Data([0x6E, 0x6F, 0xFF] + Array(" privacy\n".utf8)))
        XCTAssertEqual(warning(for: "notes.txt", in: try load())?.hasPrefix("neither"), true)
    }

    func testReplacedBytesAreCounted() throws {
        func count(_ bytes: [UInt8]) throws -> Int { try SourceText.decodeCountingReplacements(Data(bytes)).replacedBytes }
        XCTAssertEqual(try count([0x61, 0xFF, 0x0D, 0x62]), 1)
        XCTAssertEqual(try count(Array("caf\u{E9} \u{FFFD} \u{2019}".utf8)), 0, "a U+FFFD written in the source is text")
        XCTAssertEqual(try count([0x61, 0xE2, 0x80]), 2, "a character cut short at the end")
        XCTAssertEqual(try count([0x61, 0x80, 0x80, 0x62, 0xC0, 0xAF]), 4, "stray continuations, an overlong form")
        XCTAssertEqual(try count([0xEF, 0xBB, 0xBF, 0x61, 0x0D, 0x0A, 0xFE]), 1, "after a BOM and a CR LF")
    }

    func testCRLFAndBOMParseLikeTheOriginal() throws {
        let original = try String(contentsOf: Fixtures.dataDir.appendingPathComponent("jamesallen.com__2019-07-04.md"), encoding: .utf8)
        try write("ja.md", Data(("\u{FEFF}" + original.replacingOccurrences(of: "\n", with: "\r\n")).utf8))
        let corpus = try load()
        XCTAssertEqual(corpus.warnings, [])
        let doc = try XCTUnwrap(corpus.document(id: "jamesallen.com@2019-07-04"))
        let reference = Fixtures.doc("jamesallen.com@2019-07-04")
        XCTAssertEqual(doc.allSections.map(\.title), reference.allSections.map(\.title))
        XCTAssertEqual(doc.allClauses.map(\.text), reference.allClauses.map(\.text))
        XCTAssertFalse(doc.allClauses.contains { $0.text.contains("\r") })
    }

    /// A file saved as UTF-16 (with its byte-order mark, either order) reads as its UTF-8 twin.
    func testUTF16WithAByteOrderMarkReadsLikeUTF8() throws {
        let original = try String(contentsOf: Fixtures.dataDir.appendingPathComponent("jamesallen.com__2010-12-31.md"), encoding: .utf8)
        let text = original.replacingOccurrences(of: "\n", with: "\r\n")
        let little = Data([0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        let big = Data([0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        XCTAssertEqual(try SourceText.decode(little), try SourceText.decode(Data(original.utf8)))
        XCTAssertEqual(try SourceText.decode(big), try SourceText.decode(Data(original.utf8)))
        XCTAssertEqual(try SourceText.decode(Data([0xFF, 0xFE, 0x3D, 0xD8, 0x61, 0x00])), "\u{FFFD}a", "an unpaired surrogate")
        XCTAssertThrowsError(try SourceText.decode(Data([0xFF, 0xFE, 0x20, 0x00])), "only a space: empty")
        try write("jamesallen.com__2010-12-31.md", little)
        let corpus = try load()
        XCTAssertEqual(corpus.warnings, [])
        XCTAssertEqual(try XCTUnwrap(corpus.document(id: "jamesallen.com@2010-12-31")).allClauses.map(\.text),
                       Fixtures.doc("jamesallen.com@2010-12-31").allClauses.map(\.text))
    }

    func testSourceTextFoldsLineEndsAndRefusesNonText() throws {
        XCTAssertEqual(try SourceText.decode(Data("a\r\nb\rc\n\r\nd\r".utf8)), "a\nb\nc\n\nd\n")
        XCTAssertEqual(try SourceText.decode(Data("\u{FEFF}# é\r\n".utf8)), "# é\n")
        XCTAssertEqual(try SourceText.decode(Data([0x61, 0xFF, 0x0D, 0x62])), "a\u{FFFD}\nb")   // invalid UTF-8 replaced
        XCTAssertThrowsError(try SourceText.decode(Data("a\u{0}b".utf8)))                        // NUL: binary
        XCTAssertThrowsError(try SourceText.decode(Data("\u{FEFF} \r\n\t".utf8)))                // nothing but a BOM and spaces
        XCTAssertThrowsError(try SourceText.decode(Data()))
        // A NUL after the first 64 KiB is text with a stray byte, not a binary file.
        XCTAssertNoThrow(try SourceText.decode(Data(String(repeating: "a", count: 70_000).utf8 + [0])))
    }

    func testHugeSingleLineInEitherFormat() throws {
        let sentence = "we may share your information with third parties when required by law. "
        let line = String(repeating: sentence, count: 20_000_000 / sentence.utf8.count)
        try write("huge.txt", Data(("来源URL: https://web.archive.org/web/20200101000000/http://huge.example.com/privacy\n"
            + String(repeating: "=", count: 80) + "\n\nprivacy policy " + line).utf8))
        try write("noformat.md", Data(line.utf8))
        let corpus = try load()
        XCTAssertNil(warning(for: "huge.txt", in: corpus))
        XCTAssertNotNil(warning(for: "noformat.md", in: corpus))
        let doc = try XCTUnwrap(corpus.document(id: "huge.example.com@2020-01-01"))
        XCTAssertGreaterThan(doc.wordCount, 2_000_000)
        assertGoodFilesStillLoad(corpus)
    }

    func testUnreadableFile() throws {
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("dangling.md").path,
                                                   withDestinationPath: "/nonexistent/redline/policy.md")
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("loop1.md").path, withDestinationPath: "loop2.md")
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("loop2.md").path, withDestinationPath: "loop1.md")
        XCTAssertEqual(mkfifo(dir.appendingPathComponent("pipe.md").path, 0o644), 0)
        // A socket, which cannot be opened as a file.
        let socketPath = dir.appendingPathComponent("socket.md").path
        let sock = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(sock) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (k, b) in socketPath.utf8.prefix(raw.count - 1).enumerated() { raw[k] = b }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(bound, 0, "a socket at \(socketPath)")
        let corpus = try load()
        XCTAssertEqual(warning(for: "dangling.md", in: corpus), "cannot read the file: a link to a file that does not exist")
        XCTAssertEqual(warning(for: "loop1.md", in: corpus), "cannot read the file: a loop of links")
        XCTAssertEqual(warning(for: "pipe.md", in: corpus), "cannot read the file: not a regular file (a pipe, a socket or a device)",
                       "said, never waited on")
        XCTAssertEqual(warning(for: "socket.md", in: corpus), "cannot read the file: not a regular file (a pipe, a socket or a device)")
        assertGoodFilesStillLoad(corpus)
    }

    func testFileInNeitherFormat() throws {
        try write("notes.txt", Data("Just some notes about privacy.\nNothing to see.\n".utf8))
        try write("readme.md", Data("# Privacy Policy\n\nWe collect data.\n".utf8))
        let corpus = try load()
        XCTAssertEqual(warning(for: "notes.txt", in: corpus)?.hasPrefix("neither"), true)
        XCTAssertEqual(warning(for: "readme.md", in: corpus)?.hasPrefix("neither"), true)
        XCTAssertEqual(corpus.warnings.count, 2)
        assertGoodFilesStillLoad(corpus)
    }

    /// A file of a known format without a date (or with an impossible one) says what it lacks.
    func testAFileWithoutASnapshotDateSaysSo() throws {
        let james = try String(contentsOf: dir.appendingPathComponent("jamesallen.com__2010-12-31.md"), encoding: .utf8)
        let undated = james.replacingOccurrences(of: "archived on 2010-12-31", with: "archived sometime")
            .replacingOccurrences(of: "/web/20101231132510id_/", with: "/web/id_/")
        try write("kay.md", Data(undated.utf8))
        try write("zales.md", Data(james.replacingOccurrences(of: "archived on 2010-12-31", with: "archived on 2006-02-30")
            .replacingOccurrences(of: "/web/20101231132510id_/", with: "/web/id_/").utf8))
        try write("kay.com__2006-02-30.md", Data(undated.replacingOccurrences(of: "jamesallen.com", with: "kay.com").utf8))
        let corpus = try load()
        XCTAssertEqual(warning(for: "kay.md", in: corpus), "a Wayback Markdown extract without a snapshot date, in its header or its file name")
        XCTAssertEqual(warning(for: "kay.com__2006-02-30.md", in: corpus),
                       "a Wayback Markdown extract without a snapshot date, in its header or its file name", "nor in its name")
        XCTAssertEqual(warning(for: "zales.md", in: corpus), "a Wayback Markdown extract without a snapshot date, in its header or its file name",
                       "February 30 is no date")
        assertGoodFilesStillLoad(corpus)
        XCTAssertNil(DateText.normalise("2019-02-29"))
        XCTAssertEqual(DateText.normalise("2020-02-29"), "2020-02-29")
        XCTAssertNil(DateText.normalise("April 31, 2015"))
    }

    func testControlCharactersNeverReachTheModel() throws {
        let text = "来源URL: https://web.archive.org/web/20200101000000/http://ctl.example.com/privacy\n=====\n"
            + "privacy policy we collect your \u{1B}[31mname\u{07} and email address. we never sell it to anyone at all. "
            + "cookies we use cookies to remember your cart and your preferences on this site."
        try write("ctl.txt", Data(text.utf8))
        let corpus = try load()
        let doc = try XCTUnwrap(corpus.document(id: "ctl.example.com@2020-01-01"))
        for clause in doc.allClauses {
            XCTAssertFalse(clause.text.unicodeScalars.contains { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) })
        }
    }

    func testMissingFolderIsAnError() {
        XCTAssertThrowsError(try CorpusLoader.load(directory: dir.appendingPathComponent("nope")))
    }
}
