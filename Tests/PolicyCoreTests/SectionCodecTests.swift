import XCTest
@testable import PolicyCore

/// The document cache's section encoding: every field comes back, damage is refused, never a crash.
final class SectionCodecTests: XCTestCase {
    static let sample: Corpus = { (try? CorpusLoader.load(directory: Fixtures.sampleDir)) ?? Corpus(retailers: []) }()

    func testEveryParsedVersionRoundTrips() throws {
        let documents = Fixtures.bundled.documents + Self.sample.documents
        XCTAssertGreaterThanOrEqual(documents.count, 15)
        for doc in documents {
            XCTAssertEqual(try SectionCodec.decode(SectionCodec.encode(doc.sections)), doc.sections, doc.id)
        }
    }

    func testEveryFieldRoundTrips() throws {
        // Values the parsers rarely make: links, labelled cells without a header, nil and non-ASCII
        // text, negative and large numbers, deep nesting.
        let clause = Clause(kind: .tableRow, text: "Café — 🙂 données", styles: [
            InlineStyle(kind: .link, start: 0, end: 4, url: "https://example.com/é"),
            InlineStyle(kind: .bold, start: 5, end: 6), InlineStyle(kind: .lineBreak, start: 7, end: 8), InlineStyle(kind: .italic, start: -3, end: Int(Int32.max) + 9)],
            sectionPath: "6.2", depth: 3, rowTitle: "Paypal Details",
            cells: [TableCell(header: nil, text: ""), TableCell(header: "Purpose", text: "pay")], line: 1 << 40, column: 0)
        var section = PolicySection(path: "0", title: "", level: 0, isPreamble: true, clauses: [clause], line: 7)
        let excerpt = PolicySection(path: "9", title: "Blue Nile does not…", level: 2, clauses: [clause], titleIsExcerpt: true)
        for depth in 1...10 {
            section = PolicySection(path: "\(depth)", title: "level \(depth)", level: depth, clauses: [
                Clause(kind: .listItem, text: "item", line: depth), Clause(kind: .listItem, text: "n", marker: "\(depth).", line: 3),
                Clause(kind: .tableHeader, text: "h", line: 2)],
                children: [section, PolicySection(path: "x", title: "empty", level: 1), excerpt], line: depth)
        }
        XCTAssertEqual(try SectionCodec.decode(SectionCodec.encode([section, section])), [section, section])
        XCTAssertEqual(try SectionCodec.decode(SectionCodec.encode([])), [])
    }

    func testDamagedBytesAreRefusedNeverACrash() throws {
        let doc = try XCTUnwrap(Fixtures.bundled.document(id: "jamesallen.com@2019-07-04"))
        let bytes = [UInt8](SectionCodec.encode(doc.sections))
        // Every truncation is refused (the encoding knows where it ends).
        for cut in stride(from: 0, to: bytes.count, by: 7) {
            XCTAssertThrowsError(try SectionCodec.decode(Data(bytes[..<cut])), "cut at \(cut)")
        }
        XCTAssertThrowsError(try SectionCodec.decode(Data(bytes + [0])), "trailing bytes")
        XCTAssertThrowsError(try SectionCodec.decode(Data("[{\"path\":\"1\"}]".utf8)), "the JSON of an older cache")
        // Random damage: an error or some sections, never a crash or a hang.
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var damaged = bytes
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                damaged[Int.random(in: 0..<damaged.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            _ = try? SectionCodec.decode(Data(damaged))
        }
        // A nesting deeper than any policy is refused before it exhausts the stack.
        var nested: [UInt8] = [SectionCodec.format]
        for _ in 0..<100_000 { nested += [1, 0, 0, 0, 0, 0, 0] }
        XCTAssertThrowsError(try SectionCodec.decode(Data(nested)))
    }

    /// What the catalog stores (`SectionCompression`): every version's encoded sections come back
    /// through the compressor, on this thread and on others (each keeps its own context); a cut or
    /// damaged body is refused.
    func testCompressedBodiesRoundTripAndDamageIsRefused() throws {
        let bodies = (Fixtures.bundled.documents + Self.sample.documents).map { SectionCodec.encode($0.sections) } + [Data()]
        for body in bodies {
            let packed = SectionCompression.compress(body)
            XCTAssertLessThan(packed.count, max(64, body.count / 2), "prose shrinks to well under half")
            XCTAssertEqual(try SectionCompression.decompress(packed), body)
        }
        let threads = Parallel.map(bodies) { (try? SectionCompression.decompress(SectionCompression.compress($0))) == $0 }
        XCTAssertEqual(threads, bodies.map { _ in true })
        let packed = [UInt8](SectionCompression.compress(bodies[0]))
        XCTAssertThrowsError(try SectionCompression.decompress(Data(packed[..<3])), "no length")
        XCTAssertThrowsError(try SectionCompression.decompress(Data(packed[..<(packed.count / 2)])), "cut")
        for change in [1, -1, 0x7F00_0000] {   // longer, shorter, absurd
            var wrong = packed
            let count = (UInt32(wrong[0]) | UInt32(wrong[1]) << 8 | UInt32(wrong[2]) << 16 | UInt32(wrong[3]) << 24) &+ UInt32(truncatingIfNeeded: change)
            for k in 0..<4 { wrong[k] = UInt8(truncatingIfNeeded: count >> (8 * UInt32(k))) }
            XCTAssertThrowsError(try SectionCompression.decompress(Data(wrong)), "a length that is not the content's (\(change))")
        }
        var damaged = packed
        for k in stride(from: 8, to: damaged.count, by: 7) { damaged[k] ^= 0x5A }
        XCTAssertThrowsError(try SectionCompression.decompress(Data(damaged)), "damaged")
    }
}
