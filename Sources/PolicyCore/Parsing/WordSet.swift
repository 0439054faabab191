import Foundation

/// A fixed set of words, asked about one token at a time: the flat-page rules ask each of their
/// word lists about nearly every token of a page. Looked up by the word's bytes (FNV-1a, no
/// `String` made) instead of `Set<String>`'s seeded SipHash, which was a fifth of flat parsing.
/// Membership is `Set<String>`'s: words are kept in NFC, ASCII is asked as it is and anything
/// else in NFC, so canonically equivalent spellings are the same word. (Foundation's NFC, as the
/// word diff's: it could part from the standard library's comparison only on a character that
/// one of their Unicode tables does not know yet.)
struct WordSet: ExpressibleByArrayLiteral, Sendable {
    private var words: ByteInterner

    init<S: Sequence<String>>(_ elements: S) {
        words = ByteInterner(capacity: 16)
        for w in elements {
            if w.utf8.allSatisfy({ $0 < 0x80 }) { _ = words.id(w) } else { _ = words.id(w.precomposedStringWithCanonicalMapping) }
        }
    }

    init(arrayLiteral elements: String...) { self.init(elements) }

    var isEmpty: Bool { words.count == 0 }

    func contains(_ word: String) -> Bool {
        guard !isEmpty else { return false }
        let ascii = word.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            for b in bytes where b >= 0x80 { return nil }
            return words.find(bytes) != nil
        }
        if let known = ascii ?? nil { return known }
        var normal = word.precomposedStringWithCanonicalMapping
        return normal.withUTF8 { words.find($0) != nil }
    }

    /// Whether the word of these ASCII bytes is in the set, `hash` being theirs
    /// (`ByteInterner.hash`): one key asked of several sets is hashed once.
    func contains(ascii word: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Bool {
        !isEmpty && words.find(word, hash: hash) != nil
    }
}
