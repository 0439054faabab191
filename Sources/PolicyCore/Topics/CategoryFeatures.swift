import Foundation

/// The features the learned category model reads from a clause: its words (lightly stemmed), its
/// word pairs, its section title's words, and the lexicon's scores (`CategoryClassifier`) for the
/// text, the title and a list's lead-in. Words and pairs are 64-bit hashes of their folded form, so
/// no string is made per word on the index build's path; the weights file names them as text.
public enum CategoryFeatures {
    /// A feature's name as the weights file writes it: "word", "word word", "t:word", "lex:security".
    public static func key(_ name: String) -> UInt64 {
        var h = offset
        for b in name.utf8 { h = (h ^ UInt64(b)) &* prime }
        return h
    }

    static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// One word of a text: its hash and, when asked, its folded surface form and stem.
    struct Word {
        var key: UInt64
        var stem: String?
        var surface: String?
    }

    /// Words of `text`: runs of `Tokenizer.isWordScalar` scalars, ASCII lower-cased, each stemmed by
    /// `stem(_:)`. With `names`, each word's stem as text too (for training and explanations).
    static func words(_ text: String, names: Bool) -> [Word] {
        var out: [Word] = []
        out.reserveCapacity(text.utf8.count / 5)
        var buffer: [UInt32] = []
        buffer.reserveCapacity(32)
        func flush() {
            guard !buffer.isEmpty else { return }
            let n = stemmedLength(buffer)
            var h = offset
            for k in 0..<n {
                let v = buffer[k]
                if v < 0x80 { h = (h ^ UInt64(v)) &* prime } else {
                    for b in String(Character(Unicode.Scalar(v) ?? " ")).utf8 { h = (h ^ UInt64(b)) &* prime }
                }
            }
            var name: String?, surface: String?
            if names {
                var s = String.UnicodeScalarView()
                for v in buffer { if let u = Unicode.Scalar(v) { s.append(u) } }
                surface = String(s)
                name = String(s.prefix(n))
            }
            out.append(Word(key: h, stem: name, surface: surface))
            buffer.removeAll(keepingCapacity: true)
        }
        for s in text.unicodeScalars {
            if Tokenizer.isWordScalar(s) {
                var v = s.value
                if v >= 0x41 && v <= 0x5A { v += 0x20 }
                buffer.append(v)
            } else {
                flush()
            }
        }
        flush()
        return out
    }

    /// A light stemmer: the length of `word` without a plural or verb ending ("cookies" → "cooki",
    /// "shared" → "shar", "sharing" → "shar", "shares" → "shar"), at least three letters kept.
    static func stemmedLength(_ word: [UInt32]) -> Int {
        let n = word.count
        for suffix in suffixes where n - suffix.count >= 3 {
            var k = 0
            while k < suffix.count && word[n - suffix.count + k] == suffix[k] { k += 1 }
            guard k == suffix.count else { continue }
            if suffix.count == 1, suffix[0] == 0x73, word[n - 2] == 0x73 { return n }   // "access", "business"
            return n - suffix.count
        }
        return n
    }

    /// The endings `stemmedLength` removes, the first that fits.
    static let suffixes: [[UInt32]] = ["ing", "ies", "es", "ed", "s", "e"].map { $0.unicodeScalars.map(\.value) }

    /// The key of the pair of words `a b`, as `key("a b")` would give for their stems.
    @inline(__always)
    static func pair(_ a: UInt64, _ b: UInt64) -> UInt64 {
        (a &* 0x9E37_79B9_7F4A_7C15 ^ (b &+ 0x632B_E59B_D9B4_E019)) &* prime
    }

    /// The key of a title word.
    @inline(__always)
    static func title(_ a: UInt64) -> UInt64 { (a ^ 0x5bd1_e995) &* 0xff51_afd7_ed55_8ccd }

    /// The distinct word and pair features of a text, in first-seen order, with each one's name when
    /// `names` ("share", "third parti").
    static func textFeatures(_ text: String, names: Bool) -> [Feature] {
        let words = words(text, names: names)
        var seen = Set<UInt64>()
        seen.reserveCapacity(words.count * 2)
        var out: [Feature] = []
        out.reserveCapacity(words.count * 2)
        for (i, w) in words.enumerated() {
            if seen.insert(w.key).inserted { out.append(Feature(key: w.key, name: w.stem, surface: w.surface)) }
            if i > 0 {
                let p = pair(words[i - 1].key, w.key)
                if seen.insert(p).inserted {
                    out.append(names ? Feature(key: p, name: "\(words[i - 1].stem ?? "") \(w.stem ?? "")",
                                               surface: "\(words[i - 1].surface ?? "") \(w.surface ?? "")")
                                     : Feature(key: p, name: nil, surface: nil))
                }
            }
        }
        return out
    }

    /// The keys of `textFeatures(text, names: false)`, in the same order, without the features.
    static func textKeys(_ text: String) -> [UInt64] {
        let words = words(text, names: false)
        var out: [UInt64] = []
        out.reserveCapacity(words.count * 2)
        var seen = KeyTable(capacity: words.count * 2)
        for i in words.indices {
            let key = words[i].key
            if seen.insert(key) { out.append(key) }
            if i > 0 {
                let p = pair(words[i - 1].key, key)
                if seen.insert(p) { out.append(p) }
            }
        }
        return out
    }

    /// A feature: its key and, when asked, its name (stems, as the weights file writes it) and
    /// its first occurrence's words (what an explanation shows).
    struct Feature {
        var key: UInt64
        var name: String?
        var surface: String?
    }

    /// The distinct word features of a section title ("t:secur").
    static func titleFeatures(_ title: String, names: Bool) -> [Feature] {
        var seen = Set<UInt64>()
        var out: [Feature] = []
        for w in words(title, names: names) where seen.insert(Self.title(w.key)).inserted {
            out.append(Feature(key: Self.title(w.key), name: w.stem.map { "t:" + $0 }, surface: w.surface.map { "title: " + $0 }))
        }
        return out
    }

    /// The lexicon features' names: per category, the text's score, the title's and the lead-in's,
    /// and whether the lexicon's own rules give the clause that category (1 or 0).
    static let lexiconNames: [String] = ["lex", "tlex", "llex", "lab"].flatMap { kind in
        PrivacyCategory.allCases.map { "\(kind):\($0.rawValue)" }
    }

    /// How much each of a text's `count` word and pair features weighs: `√(25 / count)`, so a long
    /// segment's many words do not outweigh a short clause's few (25: a sentence's worth).
    @inline(__always)
    static func scale(_ count: Int) -> Double { (25 / Double(max(count, 1))).squareRoot() }

    /// A lexicon score as a feature value: capped, so one long clause does not swamp the words.
    @inline(__always)
    static func lexiconValue(_ score: Double) -> Double { min(score, 3) }
}
