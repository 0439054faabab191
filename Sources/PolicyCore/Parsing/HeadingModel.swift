import Foundation

/// Headings that real privacy policies use, learned offline from policies their authors marked
/// up (`scripts/learn-heading-model`, data in `HeadingModelData.swift`): what a flat page's
/// parser knows before it reads the page, in place of the headings of the rest of the corpus.
enum HeadingModel {
    /// Lexicon keys (`HeadingLexicon.key`) of the learned headings.
    static let headings: Set<String> = {
        var keys = Set<String>()
        for line in data.split(separator: "\n") {
            guard let tab = line.firstIndex(of: "\t") else { continue }
            keys.insert(String(line[..<tab]))
        }
        return keys
    }()
}
