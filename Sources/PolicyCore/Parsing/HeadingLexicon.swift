import Foundation

/// Section headings that privacy policies commonly use, for finding headings in flat scrapes.
public enum HeadingLexicon {
    /// Normalises a heading for lookup: lower-cased, numbering and trailing punctuation removed.
    public static func key(_ title: String) -> String {
        let lower = title.lowercased()
        return lower.utf8.allSatisfy({ $0 < 0x80 }) ? asciiKey(lower) : characterKey(lower)
    }

    /// `key` of a lower-cased title, on its Characters (any text).
    static func characterKey(_ lower: String) -> String {
        var words = lower.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        if let first = words.first, first.count <= 4, first.last == "." || first.last == ")",
           first.dropLast().allSatisfy({ $0.isNumber || "ivxabcdefgh".contains($0) }) {
            words.removeFirst()
        }
        var s = words.joined(separator: " ")
        while let last = s.last, ":.;,?!".contains(last) { s.removeLast() }
        return s.replacingOccurrences(of: "’", with: "'")
    }

    /// `key` of a lower-cased ASCII title, on its bytes (headings are looked up by the thousand
    /// when flat pages are parsed, and the aligner keys every title).
    static func asciiKey(_ lower: String) -> String {
        let bytes = Array(lower.utf8)
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        var words: [Range<Int>] = []
        var i = 0
        while i < bytes.count {
            guard !isSpace(bytes[i]) else { i += 1; continue }
            let start = i
            while i < bytes.count, !isSpace(bytes[i]) { i += 1 }
            words.append(start..<i)
        }
        // Numbering: "6.", "iv)", "a." — up to four characters ending in a dot or a parenthesis.
        if let first = words.first, first.count <= 4, bytes[first.last!] == UInt8(ascii: ".") || bytes[first.last!] == UInt8(ascii: ")"),
           bytes[first.dropLast()].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || "ivxabcdefgh".utf8.contains($0) }) {
            words.removeFirst()
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for (n, word) in words.enumerated() {
            if n > 0 { out.append(0x20) }
            out.append(contentsOf: bytes[word])
        }
        while let last = out.last, ":.;,?!".utf8.contains(last) { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// Built-in headings (normalised keys).
    public static let common: Set<String> = Set([
        "introduction", "overview", "scope", "definitions", "summary", "general", "general information",
        "information we collect", "personal information we collect", "the information we collect",
        "what information we collect", "what information do we collect", "information collection",
        "information collection and use", "collection of information", "collection of personal information",
        "how we collect information", "how we use information", "how we use your information",
        "use of information", "use of your information", "use of personal information", "how we use the information we collect",
        "the way we use our information", "the way we use information", "information sharing", "information sharing and disclosure",
        "sharing of information", "sharing your information", "how we share information", "how we share your information",
        "disclosure of information", "disclosure of personal information", "disclosure", "third parties",
        "third party links", "links to other sites", "links to other websites", "links", "third party websites",
        "cookies", "use of cookies", "cookie policy", "cookies and similar technologies", "cookies and web beacons",
        "web beacons", "pixel tags", "tracking technologies", "log files", "ip addresses", "analytics", "google analytics",
        "advertising", "interest-based advertising", "online advertising", "do not track", "do not track signals",
        "security", "data security", "information security", "our commitment to data security", "how we protect your information",
        "protecting your information", "safety and security", "security of your information", "data retention", "retention",
        "children", "children's privacy", "children's policy", "our commitment to children's privacy", "minors",
        "children under 13", "use by children", "privacy of children", "children's online privacy protection act",
        "your choices", "choice", "choices", "choice/opt-out", "opt-out", "opt out", "opting out", "your rights",
        "your rights and choices", "access", "access to your information", "accessing your information",
        "access and correction", "how you can access or correct your information", "how can you access or correct your information",
        "correcting your information", "updating your information", "accuracy", "accuracy of collected data",
        "data integrity", "email", "email communications", "e-mail", "newsletters", "promotional emails",
        "tell-a-friend", "tell a friend", "refer a friend", "testimonials", "public forums", "forums", "blogs",
        "bulletin boards", "chat rooms", "social media", "social media features", "widgets", "surveys", "contests",
        "contests and surveys", "sweepstakes", "legal disclaimer", "disclaimer", "legal", "legal notices",
        "law enforcement", "business transfers", "mergers and acquisitions", "service providers", "affiliates",
        "california privacy rights", "your california privacy rights", "california residents", "international users",
        "international transfers", "safe harbor", "privacy shield", "eu-us privacy shield", "gdpr",
        "changes to this privacy policy", "changes to this policy", "changes to our privacy policy",
        "changes in this privacy statement", "changes to this privacy statement", "policy changes", "changes",
        "updates to this policy", "updates", "notification of changes", "contact us", "contact information",
        "how to contact us", "contacting us", "questions", "questions or comments", "questions and comments",
        "questions about this policy", "our commitment to privacy", "commitment to privacy", "your consent", "consent",
        "acceptance of terms", "terms of use", "governing law", "effective date", "truste", "privacy policy",
        "privacy statement", "privacy notice", "what this privacy policy covers", "information collection and how it is used",
        "service-related announcements", "editing and deleting account information", "bulletin boards / chat rooms",
        "security of information", "credit card information", "payment information", "order information",
        "shipping information", "mailing lists", "direct marketing", "marketing", "opt-in", "unsubscribe",
        "personal information", "non-personal information", "aggregate information", "information we share",
        "how we share the information we collect", "sale of information", "how long we keep your information",
    ])
}

/// Headings known before reading a flat page, with their first words for a quick rejection:
/// the lexicon and the headings learned from real policies (`HeadingModel`), compiled in, so a
/// flat page parses the same whatever else the corpus holds. Built once and shared.
public struct HeadingKnowledge: Sendable {
    /// Headings trusted wherever they stand: the lexicon and any given ones.
    let known: WordSet
    /// Headings seen in other policies, trusted only where a heading can start a section: right
    /// after a sentence ends and before a new one begins (`FlatPageAnalysis.headings`).
    let learned: WordSet
    let firstWords: WordSet
    /// Every word of those headings: what a heading phrase nobody listed is made of.
    let vocabulary: WordSet
    /// Every leading run of words of a known or learned heading ("information", "information
    /// we", "information we collect"): a longer phrase is looked up only while it is one.
    let prefixes: WordSet

    /// The lexicon, `extra` headings and `learned` ones.
    public init(corpusHeadings extra: Set<String>, learned: Set<String> = []) {
        let known = HeadingLexicon.common.union(extra)
        let learnedOnly = learned.subtracting(known)
        var words = Set<String>()
        for key in known.union(learned) {
            for word in key.split(separator: " ") { words.insert(FlatPageAnalysis.strip(String(word))) }
        }
        self.known = WordSet(known)
        self.learned = WordSet(learnedOnly)
        firstWords = WordSet(Self.firstWords(of: known).union(Self.firstWords(of: learnedOnly)))
        vocabulary = WordSet(words)
        prefixes = WordSet(Self.prefixes(of: known.union(learned)))
    }

    /// Every leading run of whole words of each heading, the heading included.
    static func prefixes(of headings: Set<String>) -> Set<String> {
        var out = Set<String>()
        for h in headings {
            var end = h.startIndex
            while let space = h[end...].firstIndex(of: " ") {
                out.insert(String(h[..<space]))
                end = h.index(after: space)
            }
            out.insert(h)
        }
        return out
    }

    /// The lexicon and the learned headings: what every flat page is parsed with.
    public static let builtIn = HeadingKnowledge(corpusHeadings: [], learned: HeadingModel.headings)

    static func firstWords(of headings: Set<String>) -> Set<String> {
        Set(headings.compactMap { $0.split(separator: " ").first.map(String.init) })
    }
}

extension PolicyDocument {
    /// Lexicon keys of the headings its source states, for reading flat pages: not the preamble,
    /// not a title made from a section's opening words, at most ten words.
    var statedHeadingKeys: [String] {
        allSections.compactMap { section in
            guard !section.isPreamble, !section.titleIsExcerpt else { return nil }
            let key = HeadingLexicon.key(section.title)
            return key.isEmpty || key.split(separator: " ").count > 10 ? nil : key
        }
    }
}
