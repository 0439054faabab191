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

        init() {}

        init(domain: String, raw: String, doc: PolicyDocument) {
            guard let regex = DisplayName.pattern(domain) else { return }
            var bodyText = ""
            for section in doc.allSections {
                bodyText += section.title + "\n"
                for clause in section.clauses { bodyText += clause.text + "\n" }
            }
            for (text, inBody) in [(raw, false), (bodyText, true)] {
                let ns = text as NSString
                let limit = min(ns.length, 2_000_000)
                for match in regex.matches(in: text, range: NSRange(location: 0, length: limit)) {
                    let form = ns.substring(with: match.range)
                    let compact = form.filter { $0 != " " && $0 != "-" }
                    var position = 0
                    for ch in form {
                        if ch == " " || ch == "-" {
                            splits[position, default: 0] += 1
                            if inBody && ch == " " { spacedInBody = true }
                        } else {
                            if ch.isUppercase && position > 0 && !doc.caseFolded && !inBody {
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
        for e in evidence {
            for (k, v) in e.splits { splits[k, default: 0] += v }
            for (k, v) in e.casing { casing[k, default: 0] += v }
            spacedInBody = spacedInBody || e.spacedInBody
        }
        guard let split = splits.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) })?.key,
              split > 0, split < letters.count else {
            if let cased = casing.max(by: { $0.value < $1.value })?.key { return cased }
            return domain
        }
        // Capitalisation: the commonest mixed-case form, else each part capitalised.
        var chars = Array(casing.max(by: { ($0.value, $1.key) < ($1.value, $0.key) })?.key ?? stem.lowercased())
        if chars.count != letters.count { chars = letters }
        if casing.isEmpty {
            chars[0] = Character(chars[0].uppercased())
            chars[split] = Character(chars[split].uppercased())
        }
        let first = String(chars[..<split])
        let second = String(chars[split...])
        return spacedInBody ? first + " " + second : first + second
    }
}
