import Foundation

/// Derives a retailer's display name ("James Allen", "WorldJewels") from how its own texts write it.
enum DisplayName {
    /// - Parameter sources: each version's raw text and parsed document.
    static func derive(domain: String, sources: [(raw: String, doc: PolicyDocument)]) -> String {
        name(domain: domain, evidence: sources.map { Evidence(domain: domain, raw: $0.raw, doc: $0.doc) })
    }

    /// How one version writes the retailer's name: votes that add up across versions, so each
    /// version can be looked at once (while it is parsed) and let go.
    struct Evidence: Sendable {
        var splits: [Int: Int] = [:]         // split position → votes
        var casing: [String: Int] = [:]      // letters with their case (no separators) → votes
        var spacedInBody = false
        var capitals = 0                     // forms in capitals ("NYC", "NYPL")

        init() {}

        init(domain: String, raw: String, doc: PolicyDocument) {
            guard let stem = DisplayName.stemLetters(domain) else { return }
            var bodyText = ""
            for section in doc.allSections {
                bodyText += section.title + "\n"
                for clause in section.clauses { bodyText += clause.text + "\n" }
            }
            for (text, inBody) in [(raw, false), (bodyText, true)] {
                for form in DisplayName.forms(of: stem, domain: domain, in: text) {
                    let compact = form.filter { $0 != " " && $0 != "-" }
                    // A form in capitals ("NYPL", "SHODAN") shows no word boundary by its case.
                    let inCapitals = compact == compact.uppercased() && compact != compact.lowercased()
                    if inCapitals, !doc.caseFolded, !inBody { capitals += 1 }
                    var position = 0
                    for ch in form {
                        if ch == " " || ch == "-" {
                            splits[position, default: 0] += 1
                            if inBody && ch == " " { spacedInBody = true }
                        } else {
                            if ch.isUppercase && position > 0 && !doc.caseFolded && !inBody && !inCapitals {
                                splits[position, default: 0] += 1
                            }
                            position += 1
                        }
                    }
                    if !doc.caseFolded, !inBody, compact != compact.lowercased(), compact != compact.uppercased() {
                        casing[compact, default: 0] += 1
                    }
                }
            }
        }
    }

    /// The domain stem's letters, lower-cased, when the name can be looked for (`pattern`).
    static func stemLetters(_ domain: String) -> [Character]? {
        let stem = String(domain.split(separator: ".").first ?? Substring(domain))
        let letters = Array(stem.lowercased())
        guard letters.count >= 3, letters.allSatisfy({ $0.isLetter || $0.isNumber }) else { return nil }
        return letters
    }

    /// Every match of `pattern(domain)` in the first 2 000 000 UTF-16 units of `text`, left to
    /// right, as the regular expression finds them. An ASCII stem is matched by hand: compiling
    /// the expression for every version was a fifth of reading a corpus, and ICU's search most of
    /// the rest. Other stems go through the expression. (A test holds the two to each other.)
    static func forms(of stem: [Character], domain: String, in text: String) -> [String] {
        let ascii = stem.allSatisfy { $0.isASCII }
        guard ascii else {
            guard let regex = pattern(domain) else { return [] }
            let ns = text as NSString
            return regex.matches(in: text, range: NSRange(location: 0, length: min(ns.length, 2_000_000))).map { ns.substring(with: $0.range) }
        }
        let want = stem.map { UInt32($0.asciiValue!) }
        var scalars: [Unicode.Scalar] = []
        var units = 0
        for s in text.unicodeScalars {
            units += s.value > 0xFFFF ? 2 : 1
            if units > 2_000_000 { break }
            scalars.append(s)
        }
        /// What ICU's case-insensitive match takes for an ASCII letter or digit of the stem.
        func same(_ s: Unicode.Scalar, _ w: UInt32) -> Bool {
            let v = s.value
            if v < 0x80 { return (v >= 0x41 && v <= 0x5A ? v | 0x20 : v) == w }
            return (v == 0x212A && w == 0x6B) || (v == 0x017F && w == 0x73)   // Kelvin sign, long s
        }
        func letterOrNumber(_ s: Unicode.Scalar) -> Bool {
            let v = s.value
            if v < 0x80 { return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) }
            switch s.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .decimalNumber, .letterNumber, .otherNumber: return true
            default: return false
            }
        }
        var out: [String] = []
        var i = 0
        while i < scalars.count {
            guard same(scalars[i], want[0]), i == 0 || !letterOrNumber(scalars[i - 1]) else { i += 1; continue }
            var j = i + 1
            var matched = true
            for k in 1..<want.count {
                if j < scalars.count, scalars[j] == " " || scalars[j] == "-" { j += 1 }
                guard j < scalars.count, same(scalars[j], want[k]) else { matched = false; break }
                j += 1
            }
            if matched, j == scalars.count || !letterOrNumber(scalars[j]) {
                var form = String.UnicodeScalarView()
                form.append(contentsOf: scalars[i..<j])
                out.append(String(form))
                i = j
            } else {
                i += 1
            }
        }
        return out
    }

    /// The stem's letters, each optionally followed by a space or hyphen; not glued to other letters.
    /// Nil when the stem is too short or not plain letters and digits (the domain is the name).
    static func pattern(_ domain: String) -> NSRegularExpression? {
        let stem = String(domain.split(separator: ".").first ?? Substring(domain))
        let letters = Array(stem.lowercased())
        guard letters.count >= 3, letters.allSatisfy({ $0.isLetter || $0.isNumber }) else { return nil }
        let body = letters.map { NSRegularExpression.escapedPattern(for: String($0)) }.joined(separator: "[ \\-]?")
        return try? NSRegularExpression(pattern: "(?<![\\p{L}\\p{N}])" + body + "(?![\\p{L}\\p{N}])", options: [.caseInsensitive])
    }

    static func name(domain: String, evidence: [Evidence]) -> String {
        let stem = String(domain.split(separator: ".").first ?? Substring(domain))
        let letters = Array(stem.lowercased())
        guard pattern(domain) != nil else { return domain }
        var splits: [Int: Int] = [:]
        var casing: [String: Int] = [:]
        var spacedInBody = false
        var capitals = 0
        for e in evidence {
            for (k, v) in e.splits { splits[k, default: 0] += v }
            for (k, v) in e.casing { casing[k, default: 0] += v }
            spacedInBody = spacedInBody || e.spacedInBody
            capitals += e.capitals
        }
        guard let split = splits.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) })?.key,
              split > 0, split < letters.count, let most = splits[split] else {
            if let cased = casing.max(by: { $0.value < $1.value })?.key { return cased }
            // A short stem written in capitals is an acronym ("NYC", "NYPL").
            if capitals >= 2, letters.count <= 4 { return stem.uppercased() }
            return domain
        }
        // Capitalisation: the commonest mixed-case form, else each part capitalised.
        var chars = Array(casing.max(by: { ($0.value, $1.key) < ($1.value, $0.key) })?.key ?? stem.lowercased())
        if chars.count != letters.count { chars = letters }
        // Every split about as common as the commonest: a name of three words ("shades of light")
        // splits twice.
        let cuts = splits.filter { $0.key > 0 && $0.key < letters.count && $0.value * 2 >= most }.keys.sorted()
        var parts = zip([0] + cuts, cuts + [chars.count]).map { String(chars[$0..<$1]) }
        if casing.isEmpty {
            // Each word capitalised, but a short joining word inside ("Shades of Light").
            for k in parts.indices where k == 0 || !Self.joiningWords.contains(parts[k]) {
                parts[k] = parts[k].prefix(1).uppercased() + parts[k].dropFirst()
            }
        }
        return parts.joined(separator: spacedInBody ? " " : "")
    }

    static let joiningWords: Set<String> = ["of", "and", "the", "for", "a", "an", "in", "on", "at", "to", "by", "or", "de"]
}
