import Foundation

/// Builds a section tree from a flat run of headings and clauses, assigning stable paths.
struct SectionTreeBuilder {
    private struct Entry {
        var title: String
        var level: Int
        var isPreamble: Bool
        var line: Int
        var clauses: [Clause] = []
        var titleIsExcerpt = false
    }

    private var entries: [Entry] = []

    /// Starts a section at relative `level` (1 = top).
    mutating func heading(_ title: String, level: Int, line: Int) {
        entries.append(Entry(title: title, level: max(1, level), isPreamble: false, line: line))
    }

    /// Adds a clause to the current section (a preamble is opened when there is none).
    /// A clause without visible text (a row of empty cells, an image-only paragraph) is dropped:
    /// there is nothing to read, search or compare in it.
    mutating func clause(_ clause: Clause) {
        guard !clause.text.allSatisfy(\.isWhitespace) else { return }
        if entries.isEmpty {
            entries.append(Entry(title: "Preamble", level: 1, isPreamble: true, line: clause.line))
        }
        entries[entries.count - 1].clauses.append(clause)
    }

    /// Sections started so far (a preamble included); the last one's index is `count - 1`.
    var count: Int { entries.count }

    /// Puts the sections at `indices` one level deeper.
    mutating func deepen(_ indices: [Int]) {
        for k in indices where entries.indices.contains(k) && !entries[k].isPreamble { entries[k].level += 1 }
    }

    /// Level of the current section, or 0 before any.
    var currentLevel: Int { entries.last.map { $0.isPreamble ? 0 : $0.level } ?? 0 }

    var hasContentInCurrent: Bool { !(entries.last?.clauses.isEmpty ?? true) }

    func build() -> [PolicySection] {
        var roots: [PolicySection] = []
        // Stack of (level, index path into roots).
        var stack: [(level: Int, indexPath: [Int])] = []
        for var entry in entries {
            // A heading without a title is named by the opening words of its text ("Blue Nile does
            // not knowingly collect…"); one with no text either marks nothing and is left out.
            if entry.title.isEmpty, !entry.isPreamble {
                guard let first = entry.clauses.first else { continue }
                entry.title = Self.openingWords(first.text)
                entry.titleIsExcerpt = true
            }
            let section = PolicySection(path: "", title: entry.title, level: entry.level,
                                        isPreamble: entry.isPreamble, clauses: entry.clauses, line: entry.line,
                                        titleIsExcerpt: entry.titleIsExcerpt)
            while let top = stack.last, top.level >= entry.level || entry.isPreamble { stack.removeLast() }
            if let parent = stack.last {
                let childIndex = Self.append(section, at: parent.indexPath, in: &roots)
                stack.append((entry.level, parent.indexPath + [childIndex]))
            } else {
                roots.append(section)
                stack.append((entry.isPreamble ? 0 : entry.level, [roots.count - 1]))
                if entry.isPreamble { stack.removeAll() }
            }
        }
        var numbered = 0
        return roots.map { root in
            if root.isPreamble { return Self.assignPaths(root, path: "0", depth: 1) }
            numbered += 1
            return Self.assignPaths(root, path: String(numbered), depth: 1)
        }
    }

    /// The first words of `text`, up to about 48 characters, with "…" when there is more.
    static func openingWords(_ text: String) -> String {
        let words = Tokenizer.whitespaceTokens(text)
        var out = ""
        for word in words {
            if !out.isEmpty, out.count + 1 + word.count > 48 {
                while let last = out.last, ",;:-–—".contains(last) { out.removeLast() }
                return out + "…"
            }
            out += out.isEmpty ? word : " " + word
        }
        return out
    }

    private static func append(_ section: PolicySection, at indexPath: [Int], in roots: inout [PolicySection]) -> Int {
        func go(_ node: inout PolicySection, _ rest: ArraySlice<Int>) -> Int {
            if let first = rest.first {
                return go(&node.children[first], rest.dropFirst())
            }
            node.children.append(section)
            return node.children.count - 1
        }
        return go(&roots[indexPath[0]], indexPath.dropFirst())
    }

    private static func assignPaths(_ section: PolicySection, path: String, depth: Int) -> PolicySection {
        var s = section
        s.path = path
        s.level = depth
        s.clauses = s.clauses.map { var c = $0; c.sectionPath = path; return c }
        s.children = s.children.enumerated().map { i, child in
            assignPaths(child, path: "\(path).\(i + 1)", depth: depth + 1)
        }
        return s
    }
}
