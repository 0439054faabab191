import Foundation
import PolicyCore
import TerminalUI

/// A comparison laid out as two aligned columns: each pair takes the same number of rows on both sides.
struct CompareLayout {
    var left: [Line] = []
    var right: [Line] = []
    /// First row of each pair.
    var pairStarts: [Int] = []
    /// Rows where a change begins (changed words, added/removed sections), for ]c / [c.
    var changeRows: [Int] = []

    /// With `facts`, the facts that changed come first: removed and former values on the left,
    /// added and new values on the right.
    init(_ comparison: Comparison, width: Int, colour: Bool, unicode: Bool, facts: FactDiff? = nil) {
        let width = max(8, width)
        if let facts, !facts.isEmpty {
            (left, right) = Self.facts(facts, width: width, colour: colour)
            changeRows.append(0)
        }
        for (p, pair) in comparison.pairs.enumerated() {
            let start = left.count
            pairStarts.append(start)
            let status = pair.statusName
            let statusStyle: Style
            switch pair.status {
            case .added: statusStyle = Style(.added, [.bold])
            case .removed: statusStyle = Style(.removed, [.bold])
            case .unchanged: statusStyle = Style(.dim)
            case .changed, .moved: statusStyle = Style(.warning, [.bold])
            }
            var l = Self.heading(pair.left, status: status, statusStyle, width: width)
            var r = Self.heading(pair.right, status: status, statusStyle, width: width)
            if pair.status != .unchanged { changeRows.append(start) }
            // Each shared paragraph starts on the same row on both sides (the shorter side padded).
            var lb: [Line] = [], rb: [Line] = []
            for (n, piece) in pair.diff.facingPieces.enumerated() {
                if n > 0 { lb.append(Line(section: pair.left?.path)); rb.append(Line(section: pair.right?.path)) }
                let lp = Self.body(piece.left, width: width, colour: colour, section: pair.left?.path, pair: p)
                let rp = Self.body(piece.right, width: width, colour: colour, section: pair.right?.path, pair: p)
                lb += lp + Array(repeating: Line(section: pair.left?.path), count: max(0, rp.count - lp.count))
                rb += rp + Array(repeating: Line(section: pair.right?.path), count: max(0, lp.count - rp.count))
            }
            while let last = lb.last, last.runs.isEmpty, let other = rb.last, other.runs.isEmpty { lb.removeLast(); rb.removeLast() }
            if pair.status == .changed || pair.status == .moved {
                // Rows where changed words appear.
                for (n, line) in zip(lb.indices, lb) where line.runs.contains(where: { $0.style.role == .removed }) {
                    changeRows.append(start + l.count + n)
                }
                for (n, line) in zip(rb.indices, rb) where line.runs.contains(where: { $0.style.role == .added }) {
                    changeRows.append(start + r.count + n)
                }
            }
            l += pair.left == nil ? [] : lb
            r += pair.right == nil ? [] : rb
            // The missing side faces a blank band.
            let height = max(l.count, r.count) + 1
            let band = Run(String(repeating: unicode ? "░" : ".", count: width), Style(.placeholder))
            if pair.left == nil { l = (0..<height - 1).map { _ in Line([band], section: nil) } }
            if pair.right == nil { r = (0..<height - 1).map { _ in Line([band], section: nil) } }
            if let counterpart = pair.counterpart {
                let note = Line([Run(TextWidth.truncate((pair.status == .added ? "split from: " : "merged into: ") + counterpart.title, to: width), Style(.dim, [.italic]))])
                if pair.left == nil { l[0] = note } else { r[0] = note }
            }
            while l.count < height { l.append(Line(section: pair.left?.path)) }
            while r.count < height { r.append(Line(section: pair.right?.path)) }
            left += l
            right += r
        }
        // A stop where a change begins: a run of changed rows (a paragraph wrapped over many, and
        // changed paragraphs of a section one after another, with only blank rows between them) is one.
        var stops: [Int] = []
        var last = -2
        let starts = Set(pairStarts)
        for row in Set(changeRows).sorted() {
            let blanksBetween = last >= 0 && !starts.contains(row)
                && (last + 1..<row).allSatisfy { left[$0].runs.isEmpty && right[$0].runs.isEmpty }
            if !blanksBetween { stops.append(row) }
            last = row
        }
        changeRows = stops
    }

    /// The facts block: a heading on both sides, changed values face to face, then what each side alone states.
    static func facts(_ facts: FactDiff, width: Int, colour: Bool) -> (left: [Line], right: [Line]) {
        let count = facts.added.count + facts.removed.count + facts.changed.count
        let long = "\(count) fact\(count == 1 ? "" : "s") changed"
        let status = width >= long.count + 6 ? long : "\(count) changed"
        let title = TextWidth.truncate("Facts", to: max(4, width - status.count - 1))
        let pad = String(repeating: " ", count: max(1, width - TextWidth.columns(title) - status.count))
        let heading = Line([Run(title, Style(.heading, [.bold])), Run(pad), Run(status, Style(.warning, [.bold]))])
        func line(_ text: String, _ kind: WordDiff.Kind) -> Line {
            let body = TextWidth.truncate(String(text.map(TextWidth.sanitise)), to: max(4, width - (colour ? 0 : 4)))
            switch kind {
            case .removed: return Line([Run(colour ? body : "[-" + body + "-]", Style(.removed, colour ? [] : [.underline]))])
            case .added: return Line([Run(colour ? body : "{+" + body + "+}", Style(.added, colour ? [.bold] : [.reverse]))])
            case .equal: return Line([Run(body)])
            }
        }
        var left = [heading], right = [heading]
        for c in facts.changed {
            left.append(line("\(c.kind.title): \(c.from)", .removed))
            right.append(line("\(c.kind.title): \(c.to)", .added))
        }
        // Without colour the [-…-] and {+…+} markers say it; with colour a sign does.
        let minus = colour ? "− " : "", plus = colour ? "+ " : ""
        left += facts.removed.map { line(minus + "\($0.kind.title): \($0.value)", .removed) }
        right += facts.added.map { line(plus + "\($0.kind.title): \($0.value)", .added) }
        let height = max(left.count, right.count) + 1
        while left.count < height { left.append(Line([])) }
        while right.count < height { right.append(Line([])) }
        return (left, right)
    }

    static func heading(_ section: PolicySection?, status: String, _ statusStyle: Style, width: Int) -> [Line] {
        guard let section else { return [Line([Run(status, statusStyle)])] }
        let title = section.isPreamble ? "(preamble)" : section.title
        let room = max(4, width - status.count - 1)
        let titleText = TextWidth.truncate(title, to: room)
        let pad = String(repeating: " ", count: max(1, width - TextWidth.columns(titleText) - status.count))
        return [Line([Run(titleText, Style(.heading, [.bold])), Run(pad), Run(status, statusStyle)], section: section.path)]
    }

    /// One side's tokens wrapped to `width`; removed/added runs styled, with text markers when colour is off.
    static func body(_ tokens: [WordDiff.SideToken], width: Int, colour: Bool, section: String?, pair: Int) -> [Line] {
        var lines: [Line] = []
        // The row's runs as plain text; without colour, each changed run gets its markers when the
        // row is done ("[-a b-]": one pair per run), and `used` counts them already.
        var runs: [Run] = []
        var used = 0
        func marked(_ style: Style) -> Bool { !colour && (style.role == .removed || style.role == .added) }
        func flush() {
            for k in runs.indices where marked(runs[k].style) {
                runs[k].text = runs[k].style.role == .removed ? "[-" + runs[k].text + "-]" : "{+" + runs[k].text + "+}"
            }
            lines.append(Line(runs, section: section))
            runs = []
            used = 0
        }
        /// Columns `text` adds to the row: its own, and a marker pair if it opens a changed run.
        func cost(_ text: Substring, _ style: Style, after last: Style?) -> Int {
            TextWidth.columns(text) + (marked(style) && last != style ? 4 : 0)
        }
        func put(_ text: Substring, _ style: Style) {
            used += cost(text, style, after: runs.last?.style)
            if let last = runs.last, last.style == style { runs[runs.count - 1].text += text } else { runs.append(Run(String(text), style)) }
        }
        // Group glued tokens into words; a change keeps its markers per word group.
        var k = 0
        while k < tokens.count {
            if tokens[k].isBreak { flush(); lines.append(Line(section: section)); k += 1; continue }
            var end = k + 1
            while end < tokens.count, !tokens[end].spaceBefore, !tokens[end].isBreak { end += 1 }
            var pieces: [(Substring, Style)] = []
            var i = k
            while i < end {
                var j = i + 1
                while j < end, tokens[j].kind == tokens[i].kind { j += 1 }
                let text = Substring(tokens[i..<j].map(\.text).joined())
                switch tokens[i].kind {
                case .equal: pieces.append((text, .normal))
                case .removed: pieces.append((text, Style(.removed, colour ? [] : [.underline])))
                case .added: pieces.append((text, Style(.added, colour ? [.bold] : [.reverse])))
                }
                i = j
            }
            // The space joins the change when both neighbours changed the same way.
            let space: Style = runs.last?.style == pieces.first?.1 ? pieces[0].1 : .normal
            func wordCost(after last: Style?) -> Int {
                var total = 0, previous = last
                for (text, style) in pieces { total += cost(text, style, after: previous); previous = style }
                return total
            }
            if used > 0, tokens[k].lineBefore || used + 1 + wordCost(after: space) > width { flush() }
            if used > 0 { put(" ", space) }
            for (text, style) in pieces {
                var rest = text
                // Text without spaces (Chinese, Japanese) breaks between characters: it fills the row
                // rather than starting the next one.
                let wide = rest.unicodeScalars.contains { TextWidth.columns($0) == 2 }
                while used + cost(rest, style, after: runs.last?.style) > width {
                    if used > 0, !wide, cost(rest, style, after: nil) <= width { flush(); continue }
                    // As many characters as the row has columns for (a wide one takes two); none left:
                    // the next row, where at least one goes.
                    let room = width - used - (marked(style) && runs.last?.style != style ? 4 : 0)
                    var cut = TextWidth.prefixEnd(rest, fitting: room)
                    if cut == rest.startIndex {
                        if used > 0 { flush(); continue }
                        cut = rest.index(after: cut)
                    }
                    // A closing mark never starts a row, an opening one never ends it (`Wrapper`).
                    if cut < rest.endIndex, rest.index(before: cut) > rest.startIndex,
                       let next = rest[cut].unicodeScalars.first, let before = rest[rest.index(before: cut)].unicodeScalars.first,
                       Wrapper.cannotStart(next) || Wrapper.cannotEnd(before) {
                        cut = rest.index(before: cut)
                    }
                    put(rest[..<cut], style)
                    rest = rest[cut...]
                    flush()
                }
                if !rest.isEmpty { put(rest, style) }
            }
            k = end
        }
        if !runs.isEmpty { flush() }
        // Drop trailing blank lines.
        while let last = lines.last, last.runs.isEmpty { lines.removeLast() }
        return lines
    }
}
