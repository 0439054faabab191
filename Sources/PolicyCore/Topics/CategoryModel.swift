import Foundation

/// A linear model per OPP-115 category over `CategoryFeatures`, in two stages. First, a clause's
/// score: the bias, plus the weights of its words and word pairs (times `CategoryFeatures.scale`
/// of their number), of its title words, and the lexicon's scores times their weights. Then, per
/// category, a second linear score over that first-stage margin (score minus threshold) and the
/// margins of the clauses before and after it; a clause gets the categories whose second-stage
/// score reaches its threshold (`decideAll`).
///
/// Read from text (`CategoryWeights.text`, written by `CategoryTrainer.serialized`), one line a feature:
/// `name<TAB>w0 w1 … w9`, weights in `PrivacyCategory.ordinal` order; the lines `#bias`, `#threshold`,
/// `#context-threshold`, `ctx:…` (the second stage) and `lex:…`, `tlex:…`, `llex:…`, `lab:…` (the
/// lexicon features) hold the rest.
public final class CategoryModel: @unchecked Sendable {
    static let count = PrivacyCategory.allCases.count

    /// Per feature key, the offset of its `count` weights in `weights`.
    let index: [UInt64: Int32]
    let weights: [Float]
    /// Per feature offset / `count`, its name (for explanations).
    let names: [String]
    /// `CategoryFeatures.lexiconNames.count` rows of `count` weights.
    let lexicon: [Double]
    let bias: [Double]
    let threshold: [Double]

    /// `index` and `weights` as `sum` reads them: a feature's weights as one row of Doubles (the
    /// lanes past `count` zero), found by `KeyTable`. The index build looks up every word and
    /// pair of every clause; Swift's hashed `Dictionary` and the Float-to-Double conversions were
    /// half of the model's time.
    private let table: KeyTable
    private let rows: [SIMD16<Double>]

    init(index: [UInt64: Int32], weights: [Float], names: [String], lexicon: [Double], bias: [Double], threshold: [Double]) {
        (self.index, self.weights, self.names, self.lexicon, self.bias, self.threshold) = (index, weights, names, lexicon, bias, threshold)
        var rows = [SIMD16<Double>](repeating: SIMD16(), count: weights.count / Self.count)
        for r in rows.indices {
            for c in 0..<Self.count { rows[r][c] = Double(weights[r * Self.count + c]) }
        }
        self.rows = rows
        table = KeyTable(index.lazy.map { ($0.key, $0.value / Int32(Self.count)) }, count: index.count)
    }

    /// How many word, pair and title features carry weights.
    public var featureCount: Int { names.count }

    /// The shipped model, learned from the OPP-115 development policies (see `CategoryWeights`).
    public static let shipped: CategoryModel? = CategoryModel(text: CategoryWeights.text)

    /// The key a feature name stands for: a pair "a b", a title word "t:a", or a word.
    static func key(of name: Substring) -> UInt64 {
        if name.hasPrefix("t:") { return CategoryFeatures.title(CategoryFeatures.key(String(name.dropFirst(2)))) }
        if let space = name.firstIndex(of: " ") {
            return CategoryFeatures.pair(CategoryFeatures.key(String(name[..<space])), CategoryFeatures.key(String(name[name.index(after: space)...])))
        }
        return CategoryFeatures.key(String(name))
    }

    /// Parses the weights text; nil when it is malformed. By bytes: the browser's first frame
    /// waits for it (String splitting took 100 ms for the shipped 1.4 MB).
    public convenience init?(text: String) {
        var text = text
        guard let parsed = text.withUTF8({ Self.parse(UnsafeRawBufferPointer($0)) }) else { return nil }
        self.init(index: parsed.index, weights: parsed.weights, names: parsed.names, lexicon: parsed.lexicon,
                  bias: parsed.bias, threshold: parsed.threshold)
        if let contextThreshold = parsed.contextThreshold { (self.context, self.contextThreshold) = (parsed.context, contextThreshold) }
    }

    private static func parse(_ bytes: UnsafeRawBufferPointer)
        -> (index: [UInt64: Int32], weights: [Float], names: [String], lexicon: [Double], bias: [Double], threshold: [Double],
            context: [Double], contextThreshold: [Double]?)? {
        let (newline, tab, space, slash) = (UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: " "), UInt8(ascii: "/"))
        var index: [UInt64: Int32] = [:]
        var weights: [Float] = []
        var names: [String] = []
        let lexNames = CategoryFeatures.lexiconNames
        let lexRows = Dictionary(uniqueKeysWithValues: lexNames.enumerated().map { ($1, $0) })
        var lexicon = [Double](repeating: 0, count: lexNames.count * Self.count)
        var bias: [Double]?, threshold: [Double]?, contextThreshold: [Double]?
        let contextNames = Self.contextNames
        let contextRowOf = Dictionary(uniqueKeysWithValues: contextNames.enumerated().map { ($1, $0) })
        var context = [Double](repeating: 0, count: contextNames.count * Self.count), contextRows = 0
        var values = [Double]()
        values.reserveCapacity(Self.count)
        var at = 0
        let end = bytes.count
        while at < end {
            var lineEnd = at
            while lineEnd < end, bytes[lineEnd] != newline { lineEnd += 1 }
            defer { at = lineEnd + 1 }
            if lineEnd == at || (lineEnd - at >= 2 && bytes[at] == slash && bytes[at + 1] == slash) { continue }
            var nameEnd = at
            while nameEnd < lineEnd, bytes[nameEnd] != tab { nameEnd += 1 }
            guard nameEnd < lineEnd else { return nil }
            values.removeAll(keepingCapacity: true)
            var k = nameEnd + 1
            while k < lineEnd {
                var tokenEnd = k
                while tokenEnd < lineEnd, bytes[tokenEnd] != space { tokenEnd += 1 }
                if tokenEnd > k, let value = number(UnsafeRawBufferPointer(rebasing: bytes[k..<tokenEnd])) { values.append(value) }
                k = tokenEnd + 1
            }
            guard values.count == Self.count else { return nil }
            let name = UnsafeRawBufferPointer(rebasing: bytes[at..<nameEnd])
            let label = String(decoding: name, as: UTF8.self)
            switch label {
            case "#bias": bias = values
            case "#threshold": threshold = values
            case "#context-threshold": contextThreshold = values
            default:
                if label.hasPrefix("ctx:") {
                    guard let row = contextRowOf[label] else { return nil }
                    for c in 0..<Self.count { context[row * Self.count + c] = values[c] }
                    contextRows += 1
                } else if let row = lexRows[label] {
                    for c in 0..<Self.count { lexicon[row * Self.count + c] = values[c] }
                } else {
                    index[key(of: name)] = Int32(weights.count)
                    weights.append(contentsOf: values.map { Float($0) })
                    names.append(label)
                }
            }
        }
        guard let bias, let threshold, (contextRows == 0) == (contextThreshold == nil) else { return nil }
        if contextRows != 0, contextRows != contextNames.count { return nil }
        return (index, weights, names, lexicon, bias, threshold, context, contextThreshold)
    }

    /// `key(of:)` of a name's bytes.
    private static func key(of name: UnsafeRawBufferPointer) -> UInt64 {
        func hash(_ part: UnsafeRawBufferPointer.SubSequence) -> UInt64 { ByteInterner.fnv1a(part) }   // as CategoryFeatures.key
        if name.count >= 2, name[0] == UInt8(ascii: "t"), name[1] == UInt8(ascii: ":") {
            return CategoryFeatures.title(hash(name[2...]))
        }
        if let space = name.firstIndex(of: UInt8(ascii: " ")) {
            return CategoryFeatures.pair(hash(name[..<space]), hash(name[(space + 1)...]))
        }
        return hash(name[...])
    }

    /// A decimal number as `Double(String)` reads it: exact for up to 15 digits without an exponent
    /// (an integer and a power of ten, both exact, divided once), else through strtod.
    private static func number(_ token: UnsafeRawBufferPointer) -> Double? {
        var k = 0, negative = false
        if token[0] == UInt8(ascii: "-") { negative = true; k = 1 } else if token[0] == UInt8(ascii: "+") { k = 1 }
        var mantissa: Int64 = 0, digits = 0, fraction = 0, point = false
        while k < token.count {
            let b = token[k]
            if b == UInt8(ascii: ".") && !point { point = true } else if b >= 48 && b <= 57 {
                mantissa = mantissa * 10 + Int64(b - 48)
                digits += 1
                if point { fraction += 1 }
                if digits > 15 { break }
            } else { break }
            k += 1
        }
        guard k < token.count || digits == 0 else {
            let value = Double(mantissa) / Self.powersOfTen[fraction]
            return negative ? -value : value
        }
        return Double(String(decoding: token, as: UTF8.self))
    }

    private static let powersOfTen: [Double] = (0...15).map { pow(10, Double($0)) }

    /// The names of the second stage's rows in the weights text: its bias, then per input.
    static let contextNames: [String] = ["ctx:bias"]
        + ["self", "previous", "next"].flatMap { which in PrivacyCategory.allCases.map { "ctx:\(which):\($0.rawValue)" } }
        + ["ctx:has-previous", "ctx:has-next"]

    /// The sum of the weights of some features, per category (in `ordinal` order).
    /// Summed in the order given: each category's lane gets the `Double` sum it always had.
    func sum(_ keys: some Sequence<UInt64>, scale: Double = 1) -> SIMD16<Double> {
        var out = SIMD16<Double>()
        rows.withUnsafeBufferPointer { rows in
            for key in keys {
                let row = table.row(key)
                if row >= 0 { out += rows[Int(row)] }
            }
        }
        return scale == 1 ? out : out * scale
    }

    /// The text's part of the score: the weights of its words and pairs.
    func textScore(_ text: String) -> SIMD16<Double> {
        let keys = CategoryFeatures.textKeys(text)
        return sum(keys, scale: CategoryFeatures.scale(keys.count))
    }

    /// The title's part of the score: its words' weights.
    func titleScore(_ title: String) -> SIMD16<Double> {
        sum(CategoryFeatures.titleFeatures(title, names: false).lazy.map(\.key))
    }

    /// The lexicon's part: `kind` 0 for the text's lexicon scores, 1 the title's, 2 the lead-in's.
    func lexiconScore(kind: Int, _ scores: SIMD16<Double>) -> SIMD16<Double> {
        var values = SIMD16<Double>()
        for row in 0..<Self.count where scores[row] != 0 { values[row] = CategoryFeatures.lexiconValue(scores[row]) }
        return lexiconValueScore(kind: kind, values)
    }

    /// The score of a training sample (features by name).
    func score(_ raw: CategoryTrainer.Raw) -> SIMD16<Double> {
        var s = SIMD16<Double>()
        for c in 0..<Self.count { s[c] = bias[c] }
        s += sum(raw.names[..<raw.textCount].lazy.map { Self.key(of: Substring($0)) }, scale: raw.scale)
        s += sum(raw.names[raw.textCount...].lazy.map { Self.key(of: Substring($0)) })
        var lex = SIMD16<Double>()
        let n = Self.count
        for kind in 0..<4 {
            for c in 0..<n { lex[c] = raw.lexicon[kind * n + c] }
            s += lexiconValueScore(kind: kind, lex)
        }
        return s
    }

    /// `lexiconScore` for values already made feature values.
    func lexiconValueScore(kind: Int, _ values: SIMD16<Double>) -> SIMD16<Double> {
        var out = SIMD16<Double>()
        for row in 0..<Self.count where values[row] != 0 {
            for c in 0..<Self.count { out[c] += values[row] * lexicon[(kind * Self.count + row) * Self.count + c] }
        }
        return out
    }

    /// The second stage, when there is one: `contextWidth + 1` rows of `count` weights (the bias,
    /// then per `contextInputs` value), and its thresholds.
    var context: [Double]?
    var contextThreshold: [Double]?

    /// Inputs of the second stage per clause: its margins, the previous clause's, the next one's,
    /// whether there is a previous and a next.
    static let contextWidth = 3 * count + 2

    /// A first-stage margin (score minus threshold) as the second stage reads it.
    static func clippedMargin(_ m: Double) -> Double { max(-6, min(6, (m * 1000).rounded() / 1000)) }

    /// The second stage's inputs for a run of clauses from their first-stage margins; `same[i]`
    /// tells whether clause `i` follows clause `i - 1` in one document.
    static func contextInputs(_ margins: [[Double]], same: [Bool]) -> [[Double]] {
        margins.indices.map { i in
            let hasPrevious = same[i], hasNext = i + 1 < margins.count && same[i + 1]
            var x = margins[i]
            x += hasPrevious ? margins[i - 1] : [Double](repeating: 0, count: count)
            x += hasNext ? margins[i + 1] : [Double](repeating: 0, count: count)
            x += [hasPrevious ? 1 : 0, hasNext ? 1 : 0]
            return x
        }
    }

    /// The decisions for a run of clauses from their first-stage scores: the second stage's
    /// when there is one, else each score's own.
    func decideAll(_ scores: [SIMD16<Double>], same: [Bool]) -> [(categories: UInt16, margin: SIMD16<Double>)] {
        let n = Self.count
        var t = SIMD16<Double>()
        for c in 0..<n { t[c] = threshold[c] }
        guard let context, let contextThreshold else { return scores.map { (decide($0), $0 - t) } }
        // Per input, its weights for the ten categories; summed in the order `contextInputs` gives
        // (the trainer's), with no array per clause.
        let rows = (0...Self.contextWidth).map { k in
            var row = SIMD16<Double>()
            for c in 0..<n { row[c] = context[k * n + c] }
            return row
        }
        var t2 = SIMD16<Double>()
        for c in 0..<n { t2[c] = contextThreshold[c] }
        let margins = scores.map { s in
            var m = SIMD16<Double>()
            for c in 0..<n { m[c] = Self.clippedMargin(s[c] - threshold[c]) }
            return m
        }
        return margins.indices.map { i in
            let hasPrevious = same[i], hasNext = i + 1 < margins.count && same[i + 1]
            var s = rows[0]
            func add(_ m: SIMD16<Double>, part: Int) {
                for k in 0..<n where m[k] != 0 { s += m[k] * rows[1 + part * n + k] }
            }
            add(margins[i], part: 0)
            if hasPrevious { add(margins[i - 1], part: 1) }
            if hasNext { add(margins[i + 1], part: 2) }
            if hasPrevious { s += rows[1 + 3 * n] }
            if hasNext { s += rows[2 + 3 * n] }
            return (Self.decide(s, threshold: contextThreshold), s - t2)
        }
    }

    /// The categories (bit `ordinal`) a score gives: those at or above their threshold; when none
    /// is, the one closest to its threshold.
    func decide(_ score: SIMD16<Double>) -> UInt16 { Self.decide(score, threshold: threshold) }

    static func decide(_ score: SIMD16<Double>, threshold: [Double]) -> UInt16 {
        var out: UInt16 = 0
        var best = 0, margin = -Double.infinity
        for c in 0..<Self.count {
            let m = score[c] - threshold[c]
            if m >= 0 { out |= 1 << c }
            if m > margin { (best, margin) = (c, m) }
        }
        return out == 0 ? 1 << best : out
    }

    /// The features of a text (and title) that push category `c` up the most, as their names
    /// ("third part", "t:security"), strongest first; `limit` at most.
    func strongest(_ c: Int, text: String, title: String, limit: Int = 5) -> [(name: String, weight: Double)] {
        var found: [(String, Double)] = []
        for f in CategoryFeatures.textFeatures(text, names: true) + CategoryFeatures.titleFeatures(title, names: true) {
            guard let at = index[f.key], let surface = f.surface else { continue }
            let w = Double(weights[Int(at) + c])
            if w > 0.05 { found.append((surface, w)) }
        }
        return found.sorted { $0.1 > $1.1 }.prefix(limit).map { (name: $0.0, weight: $0.1) }
    }
}

/// Feature keys to their row: open addressing over the keys' own bits (FNV hashes already,
/// mixed once more), a row of -1 where there is none. Also a set of keys (`insert`, rows unused).
struct KeyTable: Sendable {
    private var keys: [UInt64]
    private var rows: [Int32]
    private let mask: Int

    /// An empty table with room for `count` keys.
    init(capacity count: Int) {
        var capacity = 16
        while capacity < 2 * count { capacity <<= 1 }
        keys = [UInt64](repeating: 0, count: capacity)
        rows = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
    }

    init(_ entries: some Sequence<(UInt64, Int32)>, count: Int) {
        self.init(capacity: count)
        for (key, row) in entries { insert(key, row: row) }
    }

    /// Adds `key` with `row` (≥ 0); false, leaving the table as it was, when the key is there.
    @discardableResult
    mutating func insert(_ key: UInt64, row: Int32 = 0) -> Bool {
        var slot = Self.slot(key, mask)
        while rows[slot] >= 0 {
            if keys[slot] == key { return false }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        rows[slot] = row
        return true
    }

    @inline(__always) private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The row of `key`, or -1.
    @inline(__always) func row(_ key: UInt64) -> Int32 {
        var slot = Self.slot(key, mask)
        while true {
            let row = rows[slot]
            if row < 0 || keys[slot] == key { return row }
            slot = (slot + 1) & mask
        }
    }
}
