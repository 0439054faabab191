import Foundation

/// A linear model per OPP-115 category over `CategoryFeatures`: a clause gets a category when its
/// score (the bias, plus the weights of its words, word pairs and title words, plus the lexicon's
/// scores times their weights) reaches the category's threshold.
///
/// Read from text (`CategoryWeights.text`, written by `CategoryTrainer.serialized`), one line a feature:
/// `name<TAB>w0 w1 … w9`, weights in `PrivacyCategory.ordinal` order; the lines `#bias`, `#threshold`
/// and `lex:…`, `tlex:…`, `llex:…` (the lexicon features) hold the rest.
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

    init(index: [UInt64: Int32], weights: [Float], names: [String], lexicon: [Double], bias: [Double], threshold: [Double]) {
        (self.index, self.weights, self.names, self.lexicon, self.bias, self.threshold) = (index, weights, names, lexicon, bias, threshold)
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
    }

    private static func parse(_ bytes: UnsafeRawBufferPointer)
        -> (index: [UInt64: Int32], weights: [Float], names: [String], lexicon: [Double], bias: [Double], threshold: [Double])? {
        let (newline, tab, space, slash) = (UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: " "), UInt8(ascii: "/"))
        var index: [UInt64: Int32] = [:]
        var weights: [Float] = []
        var names: [String] = []
        let lexNames = CategoryFeatures.lexiconNames
        let lexRows = Dictionary(uniqueKeysWithValues: lexNames.enumerated().map { ($1, $0) })
        var lexicon = [Double](repeating: 0, count: lexNames.count * Self.count)
        var bias: [Double]?, threshold: [Double]?
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
            default:
                if let row = lexRows[label] {
                    for c in 0..<Self.count { lexicon[row * Self.count + c] = values[c] }
                } else {
                    index[key(of: name)] = Int32(weights.count)
                    weights.append(contentsOf: values.map { Float($0) })
                    names.append(label)
                }
            }
        }
        guard let bias, let threshold else { return nil }
        return (index, weights, names, lexicon, bias, threshold)
    }

    /// `key(of:)` of a name's bytes.
    private static func key(of name: UnsafeRawBufferPointer) -> UInt64 {
        func hash(_ part: UnsafeRawBufferPointer.SubSequence) -> UInt64 {
            var h = CategoryFeatures.offset
            for b in part { h = (h ^ UInt64(b)) &* CategoryFeatures.prime }
            return h
        }
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

    /// The sum of the weights of some features, per category (in `ordinal` order).
    func sum(_ keys: some Sequence<UInt64>) -> SIMD16<Double> {
        var out = SIMD16<Double>()
        weights.withUnsafeBufferPointer { w in
            for key in keys {
                guard let at = index[key] else { continue }
                for c in 0..<Self.count { out[c] += Double(w[Int(at) + c]) }
            }
        }
        return out
    }

    /// The text's part of the score: the weights of its words and pairs.
    func textScore(_ text: String) -> SIMD16<Double> {
        sum(CategoryFeatures.textFeatures(text, names: false).lazy.map(\.key))
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
        s += sum(raw.names.lazy.map { Self.key(of: Substring($0)) })
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

    /// The categories of a clause from the model's choice (`decide`) and the lexicon's labels: the
    /// union, with "other" dropped when either names a practice. The lexicon's rules were written for
    /// Redline's clauses (single paragraphs and list items under their titles), the model learned from
    /// OPP-115's longer segments; each finds what the other misses (see DECISIONS.md).
    static func combine(model: UInt16, lexicon: UInt16) -> UInt16 {
        let other: UInt16 = 1 << PrivacyCategory.other.ordinal
        let union = model | (lexicon & ~other)
        return union & ~other != 0 ? union & ~other : union
    }

    /// The categories (bit `ordinal`) a score gives: those at or above their threshold; when none
    /// is, the one closest to its threshold.
    func decide(_ score: SIMD16<Double>) -> UInt16 {
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
