/// fzf-style fuzzy matching: the query's characters in order, anywhere in the candidate, scored so
/// that consecutive runs, word starts and an early first match rank first. Case-insensitive.
enum Fuzzy {
    /// The score and the matched character offsets, or nil when `query` is not a subsequence.
    static func match(_ query: [Character], in candidate: String) -> (score: Int, positions: [Int])? {
        if query.isEmpty { return (0, []) }
        let chars = Array(candidate.lowercased())
        guard chars.count >= query.count else { return nil }
        // Greedy forward pass finds whether it matches and the earliest end; a backward pass from
        // there tightens the match to the shortest window (as fzf v1 does).
        var qi = 0
        var end = -1
        for (i, c) in chars.enumerated() where c == query[qi] {
            qi += 1
            if qi == query.count { end = i; break }
        }
        guard end >= 0 else { return nil }
        var positions = [Int](repeating: 0, count: query.count)
        qi = query.count - 1
        var i = end
        while i >= 0, qi >= 0 {
            if chars[i] == query[qi] { positions[qi] = i; qi -= 1 }
            i -= 1
        }
        var score = 0
        for (n, p) in positions.enumerated() {
            score += 16
            let atWordStart = p == 0 || !chars[p - 1].isLetter && !chars[p - 1].isNumber
            if atWordStart { score += 10 }
            if n > 0, positions[n - 1] == p - 1 { score += 12 } else if n > 0 { score -= min(8, p - positions[n - 1]) }
        }
        score -= min(20, positions[0])
        return (score, positions)
    }

    /// Indices of `candidates` matching `query`, best first (ties keep the original order).
    static func rank(_ query: String, _ candidates: [String]) -> [(index: Int, positions: [Int])] {
        let q = Array(query.lowercased().filter { !$0.isWhitespace })
        var scored: [(Int, Int, [Int])] = []
        for (i, c) in candidates.enumerated() {
            if let m = match(q, in: c) { scored.append((i, m.score, m.positions)) }
        }
        scored.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        return scored.map { ($0.0, $0.2) }
    }
}
