import Foundation

/// A word-level diff of two texts that reads well for prose.
///
/// Texts are split into words and punctuation (whitespace is never a change); a minimal diff
/// (the standard library's Myers `CollectionDifference`) is then smoothed so that changed runs
/// separated only by punctuation or a short word merge into one change.
public struct WordDiff: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable { case equal, removed, added }

    /// A run of tokens; `text` keeps the original spacing of its side.
    public struct Segment: Sendable, Hashable {
        public var kind: Kind
        public var text: String
        public init(kind: Kind, text: String) {
            self.kind = kind
            self.text = text
        }
    }

    public var segments: [Segment]

    /// One token of one side, for layout: its text, whether it changed, and whether a space precedes it.
    public struct SideToken: Sendable, Hashable {
        public var text: String
        public var kind: Kind
        public var spaceBefore: Bool
        public init(text: String, kind: Kind, spaceBefore: Bool) {
            self.text = text
            self.kind = kind
            self.spaceBefore = spaceBefore
        }
        /// True for a paragraph break between clauses.
        public var isBreak: Bool { text == "\n" }
    }

    /// The old text's tokens (equal and removed) and the new text's (equal and added).
    public var leftTokens: [SideToken]
    public var rightTokens: [SideToken]

    /// Words (not punctuation) added and removed.
    public var addedWords: Int
    public var removedWords: Int
    /// Words common to both sides.
    public var equalWords: Int

    /// Segments of the left side only (equal + removed).
    public var left: [Segment] { segments.filter { $0.kind != .added } }
    /// Segments of the right side only (equal + added).
    public var right: [Segment] { segments.filter { $0.kind != .removed } }

    struct Token {
        var text: String
        var key: String
        var space: Bool   // preceded by whitespace
        var isWord: Bool
        /// For a token common to both sides: whether the old side had whitespace before it.
        var leftSpace: Bool? = nil
        var oldSpace: Bool { leftSpace ?? space }
    }

    /// Tokens of `text`: words, and single punctuation characters.
    static func tokens(_ text: String, foldCase: Bool) -> [Token] {
        var out: [Token] = []
        var word = String.UnicodeScalarView()
        var space = false
        func flush() {
            guard !word.isEmpty else { return }
            let w = String(word)
            out.append(Token(text: w, key: foldCase ? w.lowercased() : w, space: space, isWord: true))
            word = String.UnicodeScalarView()
            space = false
        }
        for s in text.unicodeScalars {
            if Tokenizer.isWordScalar(s) || ((s == "'" || s == "’") && !word.isEmpty) {
                word.append(s)
            } else if s == "\n" {
                flush()
                out.append(Token(text: "\n", key: "\n", space: false, isWord: false))
                space = false
            } else if s.properties.isWhitespace {
                flush()
                space = true
            } else {
                flush()
                let p = String(s)
                out.append(Token(text: p, key: p == "’" ? "'" : p, space: space, isWord: false))
                space = false
            }
        }
        flush()
        return out
    }

    /// Diffs `old` against `new`; with `foldCase`, letter case never counts as a change.
    public init(_ old: String, _ new: String, foldCase: Bool = false) {
        let a = Self.tokens(old, foldCase: foldCase)
        let b = Self.tokens(new, foldCase: foldCase)
        // Common prefix and suffix first: most sections change little.
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix].key == b[prefix].key { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix,
              a[a.count - 1 - suffix].key == b[b.count - 1 - suffix].key { suffix += 1 }
        // Diff integer ids, not strings: the same minimal edit script, far fewer comparisons' cost.
        var ids: [String: Int] = [:]
        func id(_ key: String) -> Int {
            if let k = ids[key] { return k }
            ids[key] = ids.count
            return ids.count - 1
        }
        let midA = a[prefix..<(a.count - suffix)].map { id($0.key) }
        let midB = b[prefix..<(b.count - suffix)].map { id($0.key) }
        var removedA = Set<Int>()
        var insertedB = Set<Int>()
        Self.diff(midA[...], midB[...], offsetA: prefix, offsetB: prefix, removed: &removedA, inserted: &insertedB)
        // Walk both sides: op per token.
        var ops: [(Kind, Token)] = []
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count, removedA.contains(i) { ops.append((.removed, a[i])); i += 1; continue }
            if j < b.count, insertedB.contains(j) { ops.append((.added, b[j])); j += 1; continue }
            if i < a.count, j < b.count {
                // Equal: show the new side's spelling (case may differ when folded).
                var token = b[j]
                token.leftSpace = a[i].space
                ops.append((.equal, token)); i += 1; j += 1
            } else if i < a.count {
                ops.append((.removed, a[i])); i += 1
            } else {
                ops.append((.added, b[j])); j += 1
            }
        }
        ops = Self.smooth(ops)
        leftTokens = ops.filter { $0.0 != .added }.map { SideToken(text: $0.1.text, kind: $0.0, spaceBefore: $0.1.oldSpace) }
        rightTokens = ops.filter { $0.0 != .removed }.map { SideToken(text: $0.1.text, kind: $0.0, spaceBefore: $0.1.space) }
        var segments: [Segment] = []
        var added = 0, removed = 0, equal = 0
        for (kind, token) in ops {
            switch kind {
            case .added: if token.isWord { added += 1 }
            case .removed: if token.isWord { removed += 1 }
            case .equal: if token.isWord { equal += 1 }
            }
            let spaced = kind == .removed ? token.oldSpace : token.space
            let lead = spaced && !segments.isEmpty ? " " : ""
            if let last = segments.last, last.kind == kind {
                segments[segments.count - 1].text += lead + token.text
            } else {
                // Spacing belongs outside change markers: "a [-b-]" not "a[- b-]".
                if !lead.isEmpty, let last = segments.indices.last,
                   !(kind == .added && segments[last].kind == .removed) { segments[last].text += " " }
                segments.append(Segment(kind: kind, text: token.text))
            }
        }
        self.segments = segments
        self.addedWords = added
        self.removedWords = removed
        self.equalWords = equal
    }

    /// A minimal-enough edit script, patience style: tokens unique on both sides anchor the
    /// alignment (longest increasing run), the gaps between anchors are diffed recursively, and
    /// small gaps go to Myers (`CollectionDifference`). Linear-ish on long, mostly rewritten texts.
    static func diff(_ a: ArraySlice<Int>, _ b: ArraySlice<Int>, offsetA: Int, offsetB: Int,
                     removed: inout Set<Int>, inserted: inout Set<Int>) {
        var a = a, b = b
        var oa = offsetA, ob = offsetB
        while let x = a.first, let y = b.first, x == y { a = a.dropFirst(); b = b.dropFirst(); oa += 1; ob += 1 }
        while let x = a.last, let y = b.last, x == y { a = a.dropLast(); b = b.dropLast() }
        if a.isEmpty || b.isEmpty {
            for k in 0..<a.count { removed.insert(oa + k) }
            for k in 0..<b.count { inserted.insert(ob + k) }
            return
        }
        if a.count * b.count <= 2_500 || (a.count * b.count <= 60_000 && !hasUniqueCommon(a, b)) {
            let (r, ins) = myers(Array(a), Array(b))
            for k in r { removed.insert(oa + k) }
            for k in ins { inserted.insert(ob + k) }
            return
        }
        // Anchors: tokens occurring exactly once on each side.
        var countA: [Int: Int] = [:], countB: [Int: Int] = [:]
        var posB: [Int: Int] = [:]
        for x in a { countA[x, default: 0] += 1 }
        for (k, y) in zip(b.indices, b) { countB[y, default: 0] += 1; posB[y] = k }
        var pairs: [(Int, Int)] = []
        for (k, x) in zip(a.indices, a) where countA[x] == 1 && countB[x] == 1 {
            if let j = posB[x] { pairs.append((k, j)) }
        }
        let keep = SectionAligner.longestIncreasing(pairs.map(\.1))
        let anchors = pairs.enumerated().filter { keep.contains($0.offset) }.map(\.element)
        if anchors.isEmpty {
            // Nothing in common worth anchoring on: a replacement.
            for k in 0..<a.count { removed.insert(oa + k) }
            for k in 0..<b.count { inserted.insert(ob + k) }
            return
        }
        var lastA = a.startIndex, lastB = b.startIndex
        for (i, j) in anchors + [(a.endIndex, b.endIndex)] {
            diff(a[lastA..<i], b[lastB..<j], offsetA: oa + (lastA - a.startIndex), offsetB: ob + (lastB - b.startIndex),
                 removed: &removed, inserted: &inserted)
            lastA = i + 1
            lastB = j + 1
        }
    }

    /// Myers' greedy O(ND) shortest edit script on integer tokens: offsets removed from `a`, inserted into `b`.
    /// (The standard library's `CollectionDifference` computes the same script, but its generic
    /// code and change validation cost 10× more on the many small gaps the patience step leaves.)
    static func myers(_ a: [Int], _ b: [Int]) -> (removed: [Int], inserted: [Int]) {
        let n = a.count, m = b.count
        let max = n + m
        guard max > 0 else { return ([], []) }
        let offset = max
        var v = [Int](repeating: 0, count: 2 * max + 2)
        var trace: [[Int]] = []
        var found = false
        for d in 0...max {
            // Only diagonals -d…d can have been reached: keep just that window.
            trace.append(Array(v[(offset - d)...(offset + d)]))
            var k = -d
            while k <= d {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) { x = v[offset + k + 1] } else { x = v[offset + k - 1] + 1 }
                var y = x - k
                while x < n, y < m, a[x] == b[y] { x += 1; y += 1 }
                v[offset + k] = x
                if x >= n && y >= m { found = true; break }
                k += 2
            }
            if found { break }
        }
        // Walk the trace back from (n, m).
        var removed: [Int] = [], inserted: [Int] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 1, by: -1) {
            let w = trace[d]          // w[i] is diagonal i - d, as it stood before round d
            func at(_ k: Int) -> Int { w[k + d] }
            let k = x - y
            let prevK = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1
            let prevX = at(prevK)
            let prevY = prevX - prevK
            while x > prevX && y > prevY { x -= 1; y -= 1 }
            if x == prevX { inserted.append(prevY) } else { removed.append(prevX) }
            x = prevX
            y = prevY
        }
        return (removed, inserted)
    }

    /// Whether some token occurs exactly once on each side (an anchor for the patience step).
    static func hasUniqueCommon(_ a: ArraySlice<Int>, _ b: ArraySlice<Int>) -> Bool {
        var countA: [Int: Int] = [:], countB: [Int: Int] = [:]
        for x in a { countA[x, default: 0] += 1 }
        for y in b { countB[y, default: 0] += 1 }
        return countA.contains { $0.value == 1 && countB[$0.key] == 1 }
    }

    /// Folds short unchanged runs (punctuation, or up to two short words) between two changes
    /// into the change, so a rewritten sentence reads as one replacement.
    static func smooth(_ ops: [(Kind, Token)]) -> [(Kind, Token)] {
        var result: [(Kind, Token)] = []
        var k = 0
        while k < ops.count {
            guard ops[k].0 == .equal else { result.append(ops[k]); k += 1; continue }
            var end = k
            while end < ops.count, ops[end].0 == .equal { end += 1 }
            let run = ops[k..<end]
            let words = run.filter { $0.1.isWord }
            let letters = words.reduce(0) { $0 + $1.1.text.count }
            let short = words.count == 0 || (words.count <= 2 && letters <= 8 && run.count <= 3)
            let changeBefore = k > 0 && ops[k - 1].0 != .equal
            let changeAfter = end < ops.count && ops[end].0 != .equal
            // Only fold when both sides changed around it (a replacement), not for pure insertions.
            let before = ops[..<k].reversed().prefix { $0.0 != .equal }
            let after = ops[end...].prefix { $0.0 != .equal }
            let kinds = Set(before.map(\.0)).union(after.map(\.0))
            if short, changeBefore, changeAfter, kinds.contains(.added), kinds.contains(.removed),
               run.allSatisfy({ $0.1.text != "." && $0.1.text != "\n" }) {
                for op in run { result.append((.removed, op.1)) }
                for op in run { result.append((.added, op.1)) }
            } else {
                result.append(contentsOf: run)
            }
            k = end
        }
        // Group each change block: removals first, then additions.
        var grouped: [(Kind, Token)] = []
        var block: [(Kind, Token)] = []
        func flush() {
            grouped += block.filter { $0.0 == .removed } + block.filter { $0.0 == .added }
            block = []
        }
        for op in result {
            if op.0 == .equal { flush(); grouped.append(op) } else { block.append(op) }
        }
        flush()
        return grouped
    }

    /// `git diff --word-diff=plain` style: `[-removed-]{+added+}`.
    public var plainMarkup: String {
        segments.map { Self.plainMarked($0.kind, $0.text) }.joined()
    }

    /// One run with plain-text change markers; trailing spaces stay outside the markers.
    public static func plainMarked(_ kind: Kind, _ text: String) -> String {
        guard kind != .equal else { return text }
        var core = Substring(text)
        while core.last == " " { core.removeLast() }
        let trailing = String(repeating: " ", count: text.count - core.count)
        return (kind == .removed ? "[-" : "{+") + core + (kind == .removed ? "-]" : "+}") + trailing
    }
}
