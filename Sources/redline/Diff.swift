import ArgumentParser
import Foundation
import PolicyCore
import TerminalUI

/// `redline diff A B`: two versions (or two retailers) compared section by section.
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "Compare two policy versions, sections aligned, words diffed.")

    @OptionGroup var corpus: CorpusOptions
    @Argument(help: "The older version (DOC).") var docA: String
    @Argument(help: "The newer version (DOC).") var docB: String
    @Flag(name: .long, help: "Print JSON.") var json = false
    @Flag(name: .customLong("side-by-side"), help: "Print the aligned sections in two columns.") var sideBySide = false
    @Option(name: .long, help: "Total width for --side-by-side, at least 40 (default: the terminal's, else COLUMNS, else stderr's terminal's, else 160).") var width: Int?
    @Option(name: .long, help: "Only the pair whose section of DOC_A (else of DOC_B) has this path, or holds it (6.2 is compared within 6).",
            transform: SectionPath.parse) var section: String?

    struct Output: Encodable {
        struct Pair: Encodable {
            var left, right: String?
            var leftPath, rightPath: String?
            var status: String
            var similarity: Double
            var added, removed: Int
            /// An added section split from, or a removed one merged into, this section opposite.
            var counterpart, counterpartPath: String?

            enum CodingKeys: String, CodingKey { case left, right, leftPath, rightPath, status, similarity, added, removed, counterpart, counterpartPath }

            /// Absent sides are written as `null`, not left out.
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(left, forKey: .left)
                try c.encode(right, forKey: .right)
                try c.encode(leftPath, forKey: .leftPath)
                try c.encode(rightPath, forKey: .rightPath)
                try c.encode(status, forKey: .status)
                try c.encode(similarity, forKey: .similarity)
                try c.encode(added, forKey: .added)
                try c.encode(removed, forKey: .removed)
                try c.encode(counterpart, forKey: .counterpart)
                try c.encode(counterpartPath, forKey: .counterpartPath)
            }
        }
        var left, right: String
        var sections: [Pair]
        var stats: ComparisonStats
        /// The facts the newer version adds, drops or changes.
        var facts: FactDiff
    }

    func run() throws {
        let catalog = try corpus.catalog()
        let a = try resolve(docA, in: catalog)
        let b = try resolve(docB, in: catalog)
        PhaseTrace.mark("loaded")
        let comparison = Comparison(a, b)
        PhaseTrace.mark("compared")
        defer { PhaseTrace.mark("printed") }
        var pairs = comparison.pairs
        if let section {
            // A path is DOC_A's when DOC_A has that section, else DOC_B's: "2" is not both versions'
            // second sections at once.
            let onLeft = a.section(at: section) != nil
            guard onLeft || b.section(at: section) != nil else {
                throw CommandFailure("neither \(a.id) nor \(b.id) has a section \(section); their sections: `redline sections DOC`")
            }
            let side: (SectionPair) -> PolicySection? = { onLeft ? $0.left : $0.right }
            // A wordless heading heads the section after it; sections are aligned with their
            // subsections inside them ("6.2" is compared within "6"), and a heading over the whole
            // policy is stepped into ("1" is all the pairs under it).
            let path = (onLeft ? comparison.folded.left : comparison.folded.right)[section] ?? section
            let exact = pairs.filter { side($0)?.path == path }
            let kept = !exact.isEmpty ? exact : pairs.filter { pair in
                guard let s = side(pair) else { return false }
                return s.flattened.contains { $0.path == section } || s.path.hasPrefix(section + ".")
            }
            if exact.isEmpty, !kept.isEmpty {
                let wholes = kept.compactMap { side($0) }.filter { $0.flattened.contains { $0.path == section } }.map(\.path)
                if !wholes.isEmpty { Diagnostics.warn("section \(section) is compared as part of section \(wholes.joined(separator: " and "))") }
            }
            guard !kept.isEmpty else { throw CommandFailure("no aligned pair holds section \(section)") }
            pairs = kept
        }
        // With --section, the counts are the shown pairs'.
        let stats = section == nil ? comparison.stats : ComparisonStats(pairs: pairs)
        if json {
            // Encoding a Double NaN would fail; similarities are always finite.
            return try printJSON(Output(left: a.id, right: b.id, sections: pairs.map {
                Output.Pair(left: $0.left.map(title), right: $0.right.map(title), leftPath: $0.left?.path,
                            rightPath: $0.right?.path, status: $0.status.rawValue,
                            similarity: ($0.similarity * 1000).rounded() / 1000, added: $0.addedWords, removed: $0.removedWords,
                            counterpart: $0.counterpart.map(title), counterpartPath: $0.counterpart?.path)
            }, stats: stats, facts: FactDiff(a, b)))
        }
        let colour = Terminal.stdoutSupportsColour
        let renderer = DiffRenderer(colour: colour)
        if sideBySide {
            let total = max(40, width ?? Terminal.columns ?? 160)
            if let width, width < 40 { Diagnostics.warn("--width \(width) is too narrow for two columns: 40 are used") }
            print(renderer.header(comparison, stats: stats, section: section, width: total))
            for pair in pairs { print(renderer.sideBySide(pair, width: total)) }
        } else {
            if let width { Diagnostics.warn("--width \(width) applies to --side-by-side: ignored") }
            print(renderer.header(comparison, stats: stats, section: section))
            for pair in pairs { print(renderer.unified(pair)) }
        }
    }

    func title(_ s: PolicySection) -> String { s.isPreamble ? "(preamble)" : s.title }
}

/// Text rendering of comparisons for the command line.
struct DiffRenderer {
    var colour: Bool

    /// The versions compared and the counts; with `width`, each line wrapped to it.
    func header(_ c: Comparison, stats s: ComparisonStats, section: String? = nil, width: Int? = nil) -> String {
        let stats = "+\(s.addedWords) −\(s.removedWords) words (\(Int((s.changedShare * 100).rounded()))% changed); "
            + "sections: \(s.sectionsChanged) changed\(s.sectionsRenamed > 0 ? " (\(s.sectionsRenamed) renamed)" : ""), \(s.sectionsMoved) moved, \(s.sectionsAdded) added, "
            + "\(s.sectionsRemoved) removed, \(s.sectionsUnchanged) unchanged"
        let title = "\(c.left.id) → \(c.right.id)" + (section.map { ", section \($0)" } ?? "")
        guard let width else { return bold(title) + "\n" + stats + "\n" }
        return (Self.wrapped(title, width).map(bold) + Self.wrapped(stats, width)).joined(separator: "\n") + "\n"
    }

    /// `text` in lines of at most `width` columns, broken at spaces (a longer word is cut).
    static func wrapped(_ text: String, _ width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            var word = word
            if !line.isEmpty, TextWidth.columns(line) + 1 + TextWidth.columns(word) > width {
                lines.append(line)
                line = ""
            }
            while TextWidth.columns(line) + (line.isEmpty ? 0 : 1) + TextWidth.columns(word) > width {
                // Only a word wider than the line is left: cut it where the line ends.
                var end = TextWidth.prefixEnd(word, fitting: width)
                if end == word.startIndex { end = word.index(after: end) }   // one character, whatever its width
                lines.append(String(word[..<end]))
                word = String(word[end...])
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    func bold(_ s: String) -> String { colour ? "\u{1B}[1m\(s)\u{1B}[0m" : s }

    func label(_ pair: SectionPair) -> String {
        let l = pair.left.map { $0.isPreamble ? "(preamble)" : $0.title } ?? "—"
        let r = pair.right.map { $0.isPreamble ? "(preamble)" : $0.title } ?? "—"
        let names = l == r ? l : "\(l) ↔ \(r)"
        let counterpart = pair.counterpart.map { (pair.status == .added ? "; split from: " : "; merged into: ") + ($0.isPreamble ? "(preamble)" : $0.title) } ?? ""
        return "== \(pair.statusName): \(names)  (+\(pair.addedWords) −\(pair.removedWords)\(counterpart))"
    }

    func mark(_ seg: WordDiff.Segment) -> String {
        switch seg.kind {
        case .equal: return seg.text
        case .removed:
            return colour ? "\u{1B}[31m\(seg.text)\u{1B}[0m" : WordDiff.plainMarked(.removed, seg.text)
        case .added:
            return colour ? "\u{1B}[32m\(seg.text)\u{1B}[0m" : WordDiff.plainMarked(.added, seg.text)
        }
    }

    func unified(_ pair: SectionPair) -> String {
        var out = bold(label(pair)) + "\n"
        if pair.status == .unchanged { return out }
        out += pair.diff.segments.map(mark).joined() + "\n"
        return out
    }

    /// Two columns of `width / 2 - 2`, lines wrapped, changes marked on each side.
    func sideBySide(_ pair: SectionPair, width: Int) -> String {
        let column = (width - 3) / 2
        var out = Self.wrapped(label(pair), width).map(bold).joined(separator: "\n") + "\n"
        // Each shared paragraph starts on the same row on both sides.
        for (leftPiece, rightPiece) in pair.diff.facingPieces {
            let left = wrap(leftPiece, column), right = wrap(rightPiece, column)
            for k in 0..<max(left.count, right.count) {
                let l = k < left.count ? left[k] : ("", 0)
                let r = k < right.count ? right[k] : ("", 0)
                // No space after the bar when the right column is empty on this row.
                out += l.0 + String(repeating: " ", count: max(0, column - l.1)) + (r.0.isEmpty ? " │" : " │ " + r.0) + "\n"
            }
        }
        return out
    }

    /// Wraps one side's tokens into lines of at most `width` visible columns: (rendered, visible width).
    /// Consecutive changed tokens on a line share one marker pair.
    func wrap(_ tokens: [WordDiff.SideToken], _ width: Int) -> [(String, Int)] {
        let markerWidth = colour ? 0 : 4
        var lines: [(String, Int)] = []
        var line: [WordDiff.SideToken] = []
        func render(_ items: [WordDiff.SideToken]) -> (String, Int) {
            var out = ""
            var visible = 0
            var k = 0
            while k < items.count {
                var end = k
                while end < items.count, items[end].kind == items[k].kind { end += 1 }
                var text = ""
                for (n, t) in items[k..<end].enumerated() { text += (n > 0 && t.spaceBefore ? " " : "") + t.text }
                if k > 0, items[k].spaceBefore { out += " "; visible += 1 }
                out += items[k].kind == .equal ? text : mark(WordDiff.Segment(kind: items[k].kind, text: text))
                visible += TextWidth.columns(text) + (items[k].kind == .equal ? 0 : markerWidth)
                k = end
            }
            return (out, visible)
        }
        // Glued tokens ("order" + ".") form one word that never breaks across lines.
        var words: [[WordDiff.SideToken]] = []
        for token in tokens {
            if token.isBreak { words.append([token]); continue }
            if token.spaceBefore || words.isEmpty || words[words.count - 1].last?.isBreak == true { words.append([token]) }
            else { words[words.count - 1].append(token) }
        }
        for var word in words {
            if word.first?.isBreak == true { lines.append(render(line)); line = []; continue }
            if !line.isEmpty, word[0].lineBefore || render(line + word).1 > width {
                lines.append(render(line))
                line = []
            }
            if line.isEmpty { word[0].spaceBefore = false }
            guard render(word).1 > width else { line += word; continue }
            // A word wider than the column (a long URL) fills each line it needs, cut where one ends.
            if !line.isEmpty { lines.append(render(line)); line = [] }
            for var token in word {
                while render(line + [token]).1 > width {
                    var room = token.text.count - 1
                    while room > 0, render(line + [WordDiff.SideToken(text: String(token.text.prefix(room)), kind: token.kind,
                                                                      spaceBefore: token.spaceBefore)]).1 > width { room -= 1 }
                    if room == 0, !line.isEmpty { lines.append(render(line)); line = []; token.spaceBefore = false; continue }
                    room = max(1, room)
                    lines.append(render(line + [WordDiff.SideToken(text: String(token.text.prefix(room)), kind: token.kind, spaceBefore: token.spaceBefore)]))
                    line = []
                    token = WordDiff.SideToken(text: String(token.text.dropFirst(room)), kind: token.kind, spaceBefore: false)
                    if token.text.isEmpty { break }
                }
                if !token.text.isEmpty { line.append(token) }
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(render(line)) }
        return lines
    }
}

extension Terminal {
    /// The terminal's width on stdout, else (output piped) `COLUMNS` when set, as `ls` and `man` read
    /// it, else the terminal's on stderr (`redline diff … | less -R` in a terminal).
    static var columns: Int? {
        func width(_ fd: Int32) -> Int? {
            var size = winsize()
            guard isatty(fd) == 1, ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
            return Int(size.ws_col)
        }
        return width(1) ?? Environment.value("COLUMNS").flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } ?? width(2)
    }
}
