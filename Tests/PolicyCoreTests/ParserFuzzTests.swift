import XCTest
@testable import PolicyCore

/// Seeded mutation fuzzing of both parsers: no crash, no hang, on at least 100 000 inputs.
final class ParserFuzzTests: XCTestCase {
    /// A small deterministic generator (SplitMix64), so failures reproduce from the seed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
    }

    static let tokens: [[UInt8]] = ["**", "*", "_", "\\", "|", "---", "|---|", "[", "](", ")", "<", ">", "#", "\n", "\n\n",
                                    "  * ", "1. ", "A. ", "`", "来源URL:", "=", ":", "•", "-x", "\r\n", "\u{FEFF}",
                                    "\u{1B}[2J", "é", "\u{0301}", "👍🏽", "\t"].map { Array($0.utf8) }

    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private var parsed = 0
        private var rejected = 0
        func add(parsed p: Int, rejected r: Int) {
            lock.lock(); parsed += p; rejected += r; lock.unlock()
        }
        var totals: (Int, Int) { lock.lock(); defer { lock.unlock() }; return (parsed, rejected) }
    }

    static func mutate(_ base: [UInt8], _ rng: inout SplitMix) -> Data {
        // A window of the real file keeps each run fast; mutations then damage it.
        let length = Int.random(in: 64...min(base.count, 3000), using: &rng)
        var start = Int.random(in: 0...(base.count - length), using: &rng)
        if Bool.random(using: &rng) { start = 0 }  // often keep the header, so the parser goes deep
        var bytes = Array(base[start..<(start + length)])
        for _ in 0..<Int.random(in: 1...8, using: &rng) {
            let at = Int.random(in: 0...bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: at)
            case 1: if at < bytes.count { bytes.remove(at: at) }
            case 2: bytes.insert(contentsOf: Self.tokens.randomElement(using: &rng) ?? [], at: at)
            case 3: if at < bytes.count { bytes[at] = UInt8.random(in: 0...127, using: &rng) }
            case 4:
                let n = Int.random(in: 1...200, using: &rng)
                bytes.insert(contentsOf: repeatElement(Self.tokens.randomElement(using: &rng)?.first ?? 42, count: n), at: at)
            default:
                let cut = Int.random(in: at...bytes.count, using: &rng)
                bytes.removeSubrange(at..<cut)
            }
        }
        return Data(bytes)
    }

    func testHundredThousandMutatedInputs() throws {
        let env = ProcessInfo.processInfo.environment
        let iterations = Int(env["REDLINE_FUZZ_ITERATIONS"] ?? "") ?? 100_000
        let seed = UInt64(env["REDLINE_FUZZ_SEED"] ?? "") ?? 20261122
        let seeds = try CorpusLoader.policyFiles(in: Fixtures.dataDir).map { Array(try Data(contentsOf: $0)) }
            + CorpusLoader.policyFiles(in: Fixtures.sampleDir).map { Array(try Data(contentsOf: $0)) }
        XCTAssertGreaterThanOrEqual(seeds.count, 15)
        // Two independent, seeded streams, one per core.
        let lanes = 2
        let tally = Tally()
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            var rng = SplitMix(state: seed &+ UInt64(lane))
            var parsed = 0
            var rejected = 0
            for n in stride(from: lane, to: iterations, by: lanes) {
                let input = Self.mutate(seeds[n % seeds.count], &rng)
                // Both parsers see every input, whatever its header says.
                let text: String
                do { text = try SourceText.decode(input) } catch { rejected += 1; continue }
                for attempt in 0..<2 {
                    do {
                        let doc = attempt == 0
                            ? try MarkdownPolicyParser().parse(text, path: "fuzz.md", fallbackDomain: "fuzz.example", fallbackDate: "2000-01-01")
                            : try FlatPolicyParser().parse(text, path: "fuzz.txt", fallbackDomain: "fuzz.example", fallbackDate: "2000-01-01")
                        parsed += 1
                        for clause in doc.allClauses {
                            if clause.text.allSatisfy(\.isWhitespace) {
                                XCTFail("clause without text (\(clause.kind)) in input #\(n) (seed \(seed))")
                            }
                            let count = clause.text.unicodeScalars.count
                            for style in clause.styles where style.start < 0 || style.end > count || style.start > style.end {
                                XCTFail("style \(style) outside \(count) scalars in input #\(n) (seed \(seed))")
                            }
                        }
                    } catch {
                        rejected += 1
                    }
                }
            }
            tally.add(parsed: parsed, rejected: rejected)
        }
        let (parsed, rejected) = tally.totals
        XCTAssertGreaterThan(parsed, iterations / 2, "most mutated inputs still parse")
        print("fuzz: \(iterations) inputs, \(parsed) parses, \(rejected) rejections")
    }
}
