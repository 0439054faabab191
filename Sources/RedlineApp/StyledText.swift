import TerminalUI

/// A run of text in one style.
public struct Run: Sendable, Hashable {
    public var text: String
    public var style: Style
    public init(_ text: String, _ style: Style = .normal) {
        self.text = text
        self.style = style
    }
}

/// A laid-out line: runs, plus what it belongs to (for scrolling and jumping).
public struct Line: Sendable {
    public var runs: [Run]
    public var sectionPath: String?
    public var clauseIndex: Int?
    public init(_ runs: [Run] = [], section: String? = nil, clause: Int? = nil) {
        self.runs = runs
        sectionPath = section
        clauseIndex = clause
    }
    public var text: String { runs.map(\.text).joined() }
}

/// Word wrapping of styled text with a first-line prefix and a hanging indent.
enum Wrapper {
    /// `styleAt(i)` gives the style of scalar `i` of `text`; a line ends at each space whose
    /// offset is in `breaks` (a hard line break).
    static func wrap(_ text: String, width: Int, firstPrefix: Run? = nil, indent: Int = 0, breaks: Set<Int> = [],
                     styleAt: (Int) -> Style) -> [[Run]] {
        let width = max(4, width)
        let scalars = Array(text.unicodeScalars)
        var lines: [[Run]] = []
        var current: [Run] = []
        var used = 0
        func startLine(first: Bool) {
            current = []
            used = 0
            if first, let p = firstPrefix { current.append(p); used = TextWidth.columns(p.text) }
            else if indent > 0 { current.append(Run(String(repeating: " ", count: indent))); used = indent }
        }
        func append(_ s: Unicode.Scalar, _ style: Style) {
            if let last = current.last, last.style == style { current[current.count - 1].text.unicodeScalars.append(s) }
            else { current.append(Run(String(s), style)) }
            used += TextWidth.columns(s)
        }
        func dropLast() {
            guard let last = current.last, let s = last.text.unicodeScalars.last else { return }
            used -= TextWidth.columns(s)
            current[current.count - 1].text.unicodeScalars.removeLast()
            if current[current.count - 1].text.isEmpty { current.removeLast() }
        }
        startLine(first: true)
        var i = 0
        let base = used
        var lineHasWord = false
        var forced = false
        while i < scalars.count {
            // Next word: [i, j), then its following spaces.
            var j = i
            while j < scalars.count, scalars[j] != " " { j += 1 }
            let wordWidth = scalars[i..<j].reduce(0) { $0 + TextWidth.columns($1) }
            if lineHasWord, forced || used + 1 + wordWidth > width {
                lines.append(current)
                startLine(first: false)
                lineHasWord = false
            } else if lineHasWord {
                append(" ", styleAt(i - 1))
            } else if used > indent, used + wordWidth > width, indent + wordWidth <= width {
                // The first prefix ("Header: ") leaves no room for the first word, which fits on a
                // line of its own: start it there rather than break it.
                lines.append(current)
                startLine(first: false)
            }
            for k in i..<j {
                if used + TextWidth.columns(scalars[k]) > width, used > max(base, indent) {
                    // A closing mark ("。", "」", ")") never starts a line and an opening one never
                    // ends it: the character before the break goes down with it, as in CJK layout.
                    // (Back over a run of closing marks, "。」", and over the marks that combine
                    // with a character, to the character that leads them.)
                    var from = k
                    if k > i, Self.cannotStart(scalars[k]) || Self.cannotEnd(scalars[k - 1]) {
                        var j = k - 1
                        while j > i, Self.cannotStart(scalars[j]) || TextWidth.columns(scalars[j]) == 0 { j -= 1 }
                        let width = scalars[j..<k].reduce(0) { $0 + TextWidth.columns($1) }
                        if !Self.cannotStart(scalars[j]), used - width > max(base, indent) { from = j }
                    }
                    for _ in from..<k { dropLast() }
                    lines.append(current)
                    startLine(first: false)
                    for c in from..<k { append(scalars[c], styleAt(c)) }
                }
                append(scalars[k], styleAt(k))
            }
            lineHasWord = true
            i = j
            forced = false
            while i < scalars.count, scalars[i] == " " { forced = forced || breaks.contains(i); i += 1 }
        }
        lines.append(current)
        return lines
    }

    /// Closing punctuation and small kana, which a line may not start with.
    static func cannotStart(_ s: Unicode.Scalar) -> Bool {
        "、。，．・：；？！ー）」』】〕〉》〙〗’”々ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ）］｝，．：；！？｡､」…‥),.;:!?]}%".unicodeScalars.contains(s)
    }

    /// Opening brackets, which a line may not end with.
    static func cannotEnd(_ s: Unicode.Scalar) -> Bool {
        "（「『【〔〈《〘〖‘“（［｛｢([{".unicodeScalars.contains(s)
    }
}
