import Foundation

/// A word-level diff of two texts that reads well for prose.
///
/// Texts are split into words and punctuation (whitespace is never a change); a minimal diff
/// (patience anchors, then Myers, on interned tokens) is then smoothed so that changed runs
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

    /// The runs of both sides in reading order (made when read: the CLI's unified output reads
    /// these, the side-by-side views read the side tokens, nothing reads both).
    public var segments: [Segment] { Self.segments(ops, a, b) }

    /// One token of one side, for layout: its text, whether it changed, and whether a space precedes it.
    public struct SideToken: Sendable, Hashable {
        public var text: String
        public var kind: Kind
        public var spaceBefore: Bool
        /// The space before it stands for a hard line break of its side (an address's lines).
        public var lineBefore: Bool
        public init(text: String, kind: Kind, spaceBefore: Bool, lineBefore: Bool = false) {
            self.text = text
            self.kind = kind
            self.spaceBefore = spaceBefore
            self.lineBefore = lineBefore
        }
        /// True for a paragraph break between clauses.
        public var isBreak: Bool { text == "\n" }
    }

    /// Both sides' tokens cut before each paragraph that opens with the same unchanged word on both
    /// sides, the k-th piece of one side facing the k-th of the other: side-by-side views start each
    /// piece on one row, as vimdiff pads with filler lines, so unchanged paragraphs stay face to
    /// face whatever was added or removed before them; a paragraph break shared by chance between
    /// rewritten paragraphs cuts nothing.
    public var facingPieces: [(left: [SideToken], right: [SideToken])] {
        let left = leftTokens, right = rightTokens
        let le = left.indices.filter { left[$0].kind == .equal }, re = right.indices.filter { right[$0].kind == .equal }
        // Equal tokens stand on both sides, in the same order; one piece each if they ever did not.
        guard le.count == re.count else { return [(left, right)] }
        func opensParagraph(_ tokens: [SideToken], _ k: Int) -> Bool { !tokens[k].isBreak && (k == 0 || tokens[k - 1].isBreak) }
        var out: [(left: [SideToken], right: [SideToken])] = []
        var ls = 0, rs = 0
        for (l, r) in zip(le, re) where (l > ls || r > rs) && opensParagraph(left, l) && opensParagraph(right, r) {
            out.append((Array(left[ls..<l]), Array(right[rs..<r])))
            ls = l
            rs = r
        }
        out.append((Array(left[ls...]), Array(right[rs...])))
        return out
    }

    /// The old text's tokens (equal and removed) and the new text's (equal and added), made when read.
    public var leftTokens: [SideToken] { Self.sideTokens(ops, a, b, new: false) }
    public var rightTokens: [SideToken] { Self.sideTokens(ops, a, b, new: true) }

    /// Both sides' tokens and the smoothed edit script over them.
    let a: Tokens
    let b: Tokens
    let ops: [Op]

    /// Words (not punctuation) added and removed.
    public var addedWords: Int
    public var removedWords: Int
    /// Words common to both sides.
    public var equalWords: Int

    /// Segments of the left side only (equal + removed).
    public var left: [Segment] { segments.filter { $0.kind != .added } }
    /// Segments of the right side only (equal + added).
    public var right: [Segment] { segments.filter { $0.kind != .removed } }

    /// The tokens of one side, column by column: where each sits in the side's UTF-8, its
    /// comparison key (an interned id), whether whitespace precedes it, and whether it is a word
    /// (not punctuation or a break).
    struct Tokens: Hashable, Sendable {
        var bytes: [UInt8]
        var start: [Int] = []
        var end: [Int] = []
        var key: [Int] = []
        var space: [Bool] = []
        /// The whitespace before the token holds a hard line break (`WordDiff.lineBreak`).
        var line: [Bool] = []
        var isWord: [Bool] = []
        var count: Int { key.count }

        func text(_ k: Int) -> String { String(decoding: bytes[start[k]..<end[k]], as: UTF8.self) }

        func appendBytes(of k: Int, to buffer: inout [UInt8]) {
            bytes.withUnsafeBufferPointer { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start[k]..<end[k]])) }
        }

        /// Characters in token `k` (bytes when it is ASCII).
        func length(_ k: Int) -> Int {
            bytes[start[k]..<end[k]].allSatisfy { $0 < 0x80 } ? end[k] - start[k] : text(k).count
        }

        /// True for a paragraph break (between clauses).
        func isBreak(_ k: Int) -> Bool { end[k] - start[k] == 1 && bytes[start[k]] == 0x0A }

        /// True for a full stop or a paragraph break, which end a sentence.
        func endsSentence(_ k: Int) -> Bool {
            end[k] - start[k] == 1 && (bytes[start[k]] == UInt8(ascii: ".") || bytes[start[k]] == UInt8(ascii: "\n"))
        }
    }

    /// Whitespace that stands for a hard line break (U+2028 LINE SEPARATOR): whitespace to the
    /// diff, which never counts it as a change, a new row to the side-by-side layouts.
    public static let lineBreak: Unicode.Scalar = "\u{2028}"

    /// Tokens of `text`: words (letters, digits and marks, with apostrophes inside or after
    /// them), and single punctuation characters, read off its UTF-8.
    static func tokens(_ text: String, foldCase: Bool, interner: inout ByteInterner) -> Tokens {
        var out = Tokens(bytes: Array(text.utf8))
        let utf8 = out.bytes
        utf8.withUnsafeBufferPointer { bytes in
            var space = false, line = false
            var i = 0
            while i < bytes.count {
                var (s, length) = Tokenizer.scalar(in: bytes, at: i)
                let start = i
                let key: Int
                var isWord = false
                if Tokenizer.isWordScalar(s) {
                    isWord = true
                    var ascii = true, hasUpper = false, curly = false
                    repeat {
                        if length > 1 { ascii = false; if s == "’" { curly = true } }
                        if foldCase, !hasUpper,
                           length == 1 ? (s.value >= 0x41 && s.value <= 0x5A) : s.properties.changesWhenLowercased {
                            hasUpper = true
                        }
                        i += length
                        guard i < bytes.count else { break }
                        (s, length) = Tokenizer.scalar(in: bytes, at: i)
                    } while Tokenizer.isWordScalar(s) || s == "'" || s == "’"
                    key = Self.key(UnsafeBufferPointer(rebasing: bytes[start..<i]), ascii: ascii, curly: curly,
                                   lowercase: foldCase && hasUpper, interner: &interner)
                } else if s != "\n", s.isSpace {
                    space = true
                    if s == Self.lineBreak { line = true }
                    i += length
                    continue
                } else {
                    i += length
                    if s == "\n" { space = false }
                    // One punctuation character (a line break too) is a token.
                    key = Self.key(UnsafeBufferPointer(rebasing: bytes[start..<i]), ascii: length == 1, curly: s == "’",
                                   lowercase: false, interner: &interner)
                }
                out.start.append(start)
                out.end.append(i)
                out.key.append(key)
                out.space.append(space)
                out.line.append(line)
                out.isWord.append(isWord)
                space = false
                line = false
            }
        }
        return out
    }

    /// A token's comparison key: a typographic apostrophe is typography ("it’s" compares as "it's",
    /// a lone ’ as '), then the interner's rules (letter case when asked, NFC).
    static func key(_ token: UnsafeBufferPointer<UInt8>, ascii: Bool, curly: Bool, lowercase: Bool,
                    interner: inout ByteInterner) -> Int {
        guard curly else { return interner.id(token: token, ascii: ascii, lowercase: lowercase) }
        // ’ is E2 80 99 in UTF-8, and E2 only ever starts a scalar.
        var plain: [UInt8] = []
        plain.reserveCapacity(token.count)
        var k = 0
        while k < token.count {
            if token[k] == 0xE2, k + 2 < token.count, token[k + 1] == 0x80, token[k + 2] == 0x99 {
                plain.append(UInt8(ascii: "'"))
                k += 3
            } else {
                plain.append(token[k])
                k += 1
            }
        }
        let plainASCII = plain.allSatisfy { $0 < 0x80 }
        return plain.withUnsafeBufferPointer { interner.id(token: $0, ascii: plainASCII, lowercase: lowercase) }
    }

    /// One step of the edit script: a token of the old side (`removed`), of the new side
    /// (`added`, `equal`), and for an equal token whether the old side had whitespace before it.
    struct Op: Hashable, Sendable {
        var kind: Kind
        /// Index of the token in the new side's tokens when `inNew`, else in the old side's.
        var token: Int
        var inNew: Bool
        var oldSpace: Bool
    }

    /// Diffs `old` against `new`; with `foldCase`, letter case never counts as a change.
    public init(_ old: String, _ new: String, foldCase: Bool = false) {
        var interner = ByteInterner(capacity: 1024)
        let a = Self.tokens(old, foldCase: foldCase, interner: &interner)
        let b = Self.tokens(new, foldCase: foldCase, interner: &interner)
        var removedA = [Bool](repeating: false, count: a.count)
        var insertedB = [Bool](repeating: false, count: b.count)
        var scratch = DiffScratch(vocabulary: interner.count)
        Self.diff(a.key[...], b.key[...], removed: &removedA, inserted: &insertedB, scratch: &scratch)
        // Walk both sides: op per token.
        var ops: [Op] = []
        ops.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count, removedA[i] { ops.append(Op(kind: .removed, token: i, inNew: false, oldSpace: a.space[i])); i += 1; continue }
            if j < b.count, insertedB[j] { ops.append(Op(kind: .added, token: j, inNew: true, oldSpace: b.space[j])); j += 1; continue }
            if i < a.count, j < b.count {
                // Equal: show the new side's spelling (case may differ when folded).
                ops.append(Op(kind: .equal, token: j, inNew: true, oldSpace: a.space[i])); i += 1; j += 1
            } else if i < a.count {
                ops.append(Op(kind: .removed, token: i, inNew: false, oldSpace: a.space[i])); i += 1
            } else {
                ops.append(Op(kind: .added, token: j, inNew: true, oldSpace: b.space[j])); j += 1
            }
        }
        func isWord(_ op: Op) -> Bool { op.inNew ? b.isWord[op.token] : a.isWord[op.token] }
        ops = Self.smooth(ops, length: { $0.inNew ? b.length($0.token) : a.length($0.token) },
                          endsSentence: { $0.inNew ? b.endsSentence($0.token) : a.endsSentence($0.token) }, isWord: isWord)
        ops = Self.separateRewrites(ops, isWord: isWord, isBreak: { $0.inNew ? b.isBreak($0.token) : a.isBreak($0.token) },
                                    oldSpace: { a.space[$0] })
        var added = 0, removed = 0, equal = 0
        for op in ops where isWord(op) {
            switch op.kind {
            case .added: added += 1
            case .removed: removed += 1
            case .equal: equal += 1
            }
        }
        self.a = a
        self.b = b
        self.ops = ops
        self.addedWords = added
        self.removedWords = removed
        self.equalWords = equal
    }

    /// One side's tokens: the old side's equal and removed ones with the old spacing, or the new
    /// side's equal and added ones with the new spacing, each side in its own spelling.
    static func sideTokens(_ ops: [Op], _ a: Tokens, _ b: Tokens, new: Bool) -> [SideToken] {
        var out: [SideToken] = []
        out.reserveCapacity(new ? b.count : a.count)
        // The old side in its own spelling: every op but an added one is the next old token (an
        // equal one names the new token, whose case may differ when case is folded).
        var oldIndex = 0
        for op in ops where op.kind == .equal || (op.kind == .added) == new {
            let text: String
            if new {
                text = op.inNew ? b.text(op.token) : a.text(op.token)
            } else {
                text = oldIndex < a.count ? a.text(oldIndex) : (op.inNew ? b.text(op.token) : a.text(op.token))
                oldIndex += 1
            }
            let space = new ? b.space[op.token] : op.oldSpace
            let line = new ? b.line[op.token] : (oldIndex - 1 < a.count && a.line[oldIndex - 1])
            out.append(SideToken(text: text, kind: op.kind, spaceBefore: space, lineBefore: line))
        }
        return out
    }

    /// Runs of equal, removed and added tokens, their texts gathered as bytes.
    static func segments(_ ops: [Op], _ a: Tokens, _ b: Tokens) -> [Segment] {
        var segments: [Segment] = []
        var segmentBytes: [UInt8] = []
        var segmentKind = Kind.equal
        func closeSegment() {
            if !segmentBytes.isEmpty { segments.append(Segment(kind: segmentKind, text: String(decoding: segmentBytes, as: UTF8.self))) }
            segmentBytes.removeAll(keepingCapacity: true)
        }
        for op in ops {
            let space = op.inNew ? b.space[op.token] : a.space[op.token]
            let spaced = op.kind == .removed ? op.oldSpace : space
            let lead = spaced && !(segments.isEmpty && segmentBytes.isEmpty)
            if !segmentBytes.isEmpty, segmentKind == op.kind {
                if lead { segmentBytes.append(UInt8(ascii: " ")) }
            } else {
                // Spacing belongs outside change markers: "a [-b-]" not "a[- b-]".
                if lead, !(op.kind == .added && segmentKind == .removed) { segmentBytes.append(UInt8(ascii: " ")) }
                closeSegment()
                segmentKind = op.kind
            }
            if op.inNew { b.appendBytes(of: op.token, to: &segmentBytes) } else { a.appendBytes(of: op.token, to: &segmentBytes) }
        }
        closeSegment()
        return segments
    }

    /// A minimal-enough edit script, patience style: the common prefix and suffix are set aside
    /// (most sections change little), tokens unique on both sides anchor the alignment (longest
    /// increasing run), the gaps between anchors are diffed recursively, and small gaps go to
    /// `myers`. Linear-ish on long, mostly rewritten texts.
    static func diff(_ a: ArraySlice<Int>, _ b: ArraySlice<Int>, removed: inout [Bool], inserted: inout [Bool],
                     scratch: inout DiffScratch) {
        var a = a, b = b
        while let x = a.first, let y = b.first, x == y { a = a.dropFirst(); b = b.dropFirst() }
        while let x = a.last, let y = b.last, x == y { a = a.dropLast(); b = b.dropLast() }
        if a.isEmpty || b.isEmpty {
            for k in a.indices { removed[k] = true }
            for k in b.indices { inserted[k] = true }
            return
        }
        if a.count * b.count <= 2_500 || (a.count * b.count <= 60_000 && !hasUniqueCommon(a, b, scratch: &scratch)) {
            myers(a, b, removed: &removed, inserted: &inserted, scratch: &scratch)
            return
        }
        // Anchors: tokens occurring exactly once on each side.
        scratch.count(a, b)
        var pairs: [(Int, Int)] = []
        for (k, x) in zip(a.indices, a) where scratch.countA[x] == 1 && scratch.countB[x] == 1 {
            pairs.append((k, scratch.lastB[x]))
        }
        scratch.clear(a, b)
        let keep = SectionAligner.longestIncreasing(pairs.map(\.1))
        let anchors = pairs.enumerated().filter { keep[$0.offset] }.map(\.element)
        if anchors.isEmpty {
            // Nothing in common worth anchoring on: a replacement.
            for k in a.indices { removed[k] = true }
            for k in b.indices { inserted[k] = true }
            return
        }
        var lastA = a.startIndex, lastB = b.startIndex
        for (i, j) in anchors + [(a.endIndex, b.endIndex)] {
            diff(a[lastA..<i], b[lastB..<j], removed: &removed, inserted: &inserted, scratch: &scratch)
            lastA = i + 1
            lastB = j + 1
        }
    }

    /// Myers' greedy O(ND) shortest edit script on integer tokens: marks the positions (indices of
    /// the slices) removed from `a` and inserted into `b`.
    /// (The standard library's `CollectionDifference` computes the same script, but its generic
    /// code and change validation cost 10× more on the many small gaps the patience step leaves.)
    /// Buffers reused across the gaps of one diff (a long section has many): Myers' frontier and
    /// trace, and the per-token counts that find anchors.
    struct DiffScratch {
        var v: [Int] = []
        var trace: [Int] = []
        /// Per token id: occurrences in the current gap of each side, and the last position in `b`.
        /// All zero between uses.
        var countA: [Int32]
        var countB: [Int32]
        var lastB: [Int]

        init(vocabulary: Int) {
            countA = Array(repeating: 0, count: vocabulary)
            countB = Array(repeating: 0, count: vocabulary)
            lastB = Array(repeating: 0, count: vocabulary)
        }

        mutating func count(_ a: ArraySlice<Int>, _ b: ArraySlice<Int>) {
            for x in a { countA[x] += 1 }
            for (k, y) in zip(b.indices, b) { countB[y] += 1; lastB[y] = k }
        }

        mutating func clear(_ a: ArraySlice<Int>, _ b: ArraySlice<Int>) {
            for x in a { countA[x] = 0 }
            for y in b { countB[y] = 0 }
        }
    }

    static func myers(_ a: ArraySlice<Int>, _ b: ArraySlice<Int>, removed: inout [Bool], inserted: inout [Bool],
                      scratch: inout DiffScratch) {
        let n = a.count, m = b.count
        let max = n + m
        guard max > 0 else { return }
        let a0 = a.startIndex, b0 = b.startIndex
        let offset = max
        var v = scratch.v
        scratch.v = []
        v.removeAll(keepingCapacity: true)
        v.append(contentsOf: repeatElement(0, count: 2 * max + 2))
        // Round d's frontier (diagonals -d…d, as they stood before round d) is stored flat at d².
        var trace = scratch.trace
        scratch.trace = []
        trace.removeAll(keepingCapacity: true)
        defer {
            scratch.v = v
            scratch.trace = trace
        }
        var rounds = 0
        var found = false
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                for d in 0...max {
                    // Myers costs about d² here; an LCS table n × m. Stop when the table is cheaper.
                    if d * d > n * m { break }
                    trace.append(contentsOf: v[(offset - d)...(offset + d)])
                    rounds += 1
                    var k = -d
                    while k <= d {
                        var x: Int
                        if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) { x = v[offset + k + 1] } else { x = v[offset + k - 1] + 1 }
                        var y = x - k
                        while x < n, y < m, pa[x] == pb[y] { x += 1; y += 1 }
                        v[offset + k] = x
                        if x >= n && y >= m { found = true; break }
                        k += 2
                    }
                    if found { break }
                }
            }
        }
        if !found {
            // The script is long compared with the texts: a table costs less than more rounds.
            lcsTable(a, b, removed: &removed, inserted: &inserted)
            return
        }
        // Walk the trace back from (n, m).
        var x = n, y = m
        for d in stride(from: rounds - 1, through: 1, by: -1) {
            let base = d * d           // trace[base + i] is diagonal i - d
            func at(_ k: Int) -> Int { trace[base + k + d] }
            let k = x - y
            let prevK = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1
            let prevX = at(prevK)
            let prevY = prevX - prevK
            while x > prevX && y > prevY { x -= 1; y -= 1 }
            if x == prevX { inserted[b0 + prevY] = true } else { removed[a0 + prevX] = true }
            x = prevX
            y = prevY
        }
    }

    /// A longest common subsequence by dynamic programming (for small, mostly rewritten gaps):
    /// marks the positions removed from `a` and inserted into `b`. Equal tokens are matched as
    /// soon as they meet, and a removal goes before an insertion, as in Myers' greedy walk.
    static func lcsTable(_ a: ArraySlice<Int>, _ b: ArraySlice<Int>, removed: inout [Bool], inserted: inout [Bool]) {
        let n = a.count, m = b.count
        let width = m + 1
        // rest[i * width + j]: the LCS length of a[i...] and b[j...] (fits 16 bits: n·m ≤ 60 000).
        var rest = [UInt16](repeating: 0, count: (n + 1) * width)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                rest.withUnsafeMutableBufferPointer { t in
                    var i = n - 1
                    while i >= 0 {
                        var j = m - 1
                        while j >= 0 {
                            t[i * width + j] = pa[i] == pb[j] ? t[(i + 1) * width + j + 1] + 1
                                : Swift.max(t[(i + 1) * width + j], t[i * width + j + 1])
                            j -= 1
                        }
                        i -= 1
                    }
                }
            }
        }
        var i = 0, j = 0
        let a0 = a.startIndex, b0 = b.startIndex
        while i < n || j < m {
            if i < n, j < m, a[a0 + i] == b[b0 + j] {
                i += 1; j += 1
            } else if i < n, j == m || rest[(i + 1) * width + j] >= rest[i * width + j + 1] {
                removed[a0 + i] = true; i += 1
            } else {
                inserted[b0 + j] = true; j += 1
            }
        }
    }

    /// Whether some token occurs exactly once on each side (an anchor for the patience step).
    static func hasUniqueCommon(_ a: ArraySlice<Int>, _ b: ArraySlice<Int>, scratch: inout DiffScratch) -> Bool {
        scratch.count(a, b)
        defer { scratch.clear(a, b) }
        return a.contains { scratch.countA[$0] == 1 && scratch.countB[$0] == 1 }
    }

    /// Folds short unchanged runs (punctuation, or up to two short words) between two changes
    /// into the change, so a rewritten sentence reads as one replacement.
    static func smooth(_ ops: [Op], length: (Op) -> Int, endsSentence: (Op) -> Bool, isWord: (Op) -> Bool) -> [Op] {
        var result: [Op] = []
        result.reserveCapacity(ops.count)
        var k = 0
        while k < ops.count {
            guard ops[k].kind == .equal else { result.append(ops[k]); k += 1; continue }
            var end = k
            while end < ops.count, ops[end].kind == .equal { end += 1 }
            let run = ops[k..<end]
            // Short: punctuation only, or up to two short words in at most three tokens.
            var words = 0, letters = 0
            var plain = true
            for op in run {
                if isWord(op) { words += 1; letters += length(op) }
                if endsSentence(op) { plain = false }
            }
            let short = words == 0 || (words <= 2 && letters <= 8 && run.count <= 3)
            // Only fold when both sides changed around it (a replacement), not for pure insertions.
            var added = false, removed = false
            var p = k - 1
            while p >= 0, ops[p].kind != .equal { if ops[p].kind == .added { added = true } else { removed = true }; p -= 1 }
            let changeBefore = p < k - 1
            var q = end
            while q < ops.count, ops[q].kind != .equal { if ops[q].kind == .added { added = true } else { removed = true }; q += 1 }
            let changeAfter = q > end
            if short, plain, changeBefore, changeAfter, added, removed {
                for var op in run { op.kind = .removed; result.append(op) }
                for var op in run { op.kind = .added; result.append(op) }
            } else {
                result.append(contentsOf: run)
            }
            k = end
        }
        // Group each change block: removals first, then additions.
        var grouped: [Op] = []
        grouped.reserveCapacity(result.count)
        var blockStart = 0
        func flush(_ end: Int) {
            for op in result[blockStart..<end] where op.kind == .removed { grouped.append(op) }
            for op in result[blockStart..<end] where op.kind == .added { grouped.append(op) }
        }
        for (n, op) in result.enumerated() where op.kind == .equal {
            flush(n)
            grouped.append(op)
            blockStart = n + 1
        }
        flush(result.count)
        return grouped
    }

    /// Below this share of common words on both sides, a pair of paragraphs is a rewrite.
    public static let rewriteThreshold = 0.5

    /// A pair of paragraphs that shares little is shown as the old one removed, then the new one
    /// added, not as a word diff in which a few common words ("your privacy", ".com") break the
    /// change into pieces too small to read (delta and difftastic do the same). The paragraphs of
    /// a region between two unchanged paragraph breaks are a rewrite when fewer than half of the
    /// old words survive and fewer than half of the new words are old ones. A paragraph that was
    /// only added to, or only cut, keeps its word diff (one of the two shares stays high).
    static func separateRewrites(_ ops: [Op], isWord: (Op) -> Bool, isBreak: (Op) -> Bool, oldSpace: (Int) -> Bool) -> [Op] {
        var out: [Op] = []
        out.reserveCapacity(ops.count)
        var start = 0
        var oldIndex = 0          // the old side's token that the next op consuming one takes
        var oldAtStart = 0
        var k = 0
        while k <= ops.count {
            let atEnd = k == ops.count
            if atEnd || (ops[k].kind == .equal && isBreak(ops[k])) {
                out += rewritten(ops[start..<k], firstOld: oldAtStart, isWord: isWord, oldSpace: oldSpace)
                if atEnd { break }
                out.append(ops[k])
                oldIndex += 1
                start = k + 1
                oldAtStart = oldIndex
                k += 1
                continue
            }
            if ops[k].kind != .added { oldIndex += 1 }
            k += 1
        }
        return out
    }

    /// One region's ops, or, for a rewrite, its old tokens all removed then its new tokens all added.
    static func rewritten(_ region: ArraySlice<Op>, firstOld: Int, isWord: (Op) -> Bool, oldSpace: (Int) -> Bool) -> [Op] {
        var equal = 0, removed = 0, added = 0
        for op in region where isWord(op) {
            switch op.kind {
            case .equal: equal += 1
            case .removed: removed += 1
            case .added: added += 1
            }
        }
        guard removed > 0, added > 0 else { return Array(region) }
        let kept = Double(equal) / Double(equal + removed), reused = Double(equal) / Double(equal + added)
        guard kept < rewriteThreshold, reused < rewriteThreshold else { return Array(region) }
        var old: [Op] = [], new: [Op] = []
        var oldIndex = firstOld
        for op in region {
            switch op.kind {
            case .equal:
                old.append(Op(kind: .removed, token: oldIndex, inNew: false, oldSpace: oldSpace(oldIndex)))
                new.append(Op(kind: .added, token: op.token, inNew: true, oldSpace: op.oldSpace))
                oldIndex += 1
            case .removed:
                // Smoothing may have turned an equal token into a removed copy of its new spelling.
                old.append(op.inNew ? Op(kind: .removed, token: oldIndex, inNew: false, oldSpace: oldSpace(oldIndex)) : op)
                oldIndex += 1
            case .added:
                new.append(op)
            }
        }
        return old + new
    }

    /// `git diff --word-diff=plain` style: `[-removed-]{+added+}`.
    public var plainMarkup: String {
        segments.map { Self.plainMarked($0.kind, $0.text) }.joined()
    }

    /// One run with plain-text change markers; trailing spaces stay outside the markers.
    public static func plainMarked(_ kind: Kind, _ text: String) -> String {
        guard kind != .equal else { return text }
        // Trailing spaces counted on the bytes: counting Characters would segment the whole run.
        let trailing = text.utf8.reversed().prefix { $0 == UInt8(ascii: " ") }.count
        let core = Substring(text.utf8.dropLast(trailing))
        return (kind == .removed ? "[-" : "{+") + core + (kind == .removed ? "-]" : "+}") + String(repeating: " ", count: trailing)
    }
}
