import Foundation

/// Splits text into words the same way everywhere (counts, diff, recall checks).
public enum Tokenizer {
    /// Words: maximal runs of letters, digits, and in-word apostrophes or hyphens.
    public static func words(_ text: String) -> [Substring] {
        var out: [Substring] = []
        var start: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let ch = text[index]
            if ch.isLetter || ch.isNumber {
                if start == nil { start = index }
            } else if let s = start {
                out.append(text[s..<index])
                start = nil
            }
            index = text.index(after: index)
        }
        if let s = start { out.append(text[s..<text.endIndex]) }
        return out
    }

    /// Lower-cased words, for comparisons that ignore case.
    public static func foldedWords(_ text: String) -> [String] {
        words(text).map { $0.lowercased() }
    }
}
