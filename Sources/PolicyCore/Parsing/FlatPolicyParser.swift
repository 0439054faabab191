import Foundation

/// Parses flat, lower-cased page scrapes (`来源URL:` header, then the whole page on one line):
/// removes the site's navigation and footer and infers section headings.
public struct FlatPolicyParser: Sendable {
    /// Headings known from the rest of the corpus (normalised keys); same-retailer ones weigh more.
    public var knowledge: HeadingKnowledge
    public var retailerHeadings: Set<String>

    public init(knowledge: HeadingKnowledge = .builtIn, retailerHeadings: Set<String> = []) {
        self.knowledge = knowledge
        self.retailerHeadings = retailerHeadings
    }

    public init(corpusHeadings: Set<String>, retailerHeadings: Set<String> = []) {
        self.init(knowledge: HeadingKnowledge(corpusHeadings: corpusHeadings), retailerHeadings: retailerHeadings)
    }

    public static let headerPrefix = "来源URL:"

    public static func recognises(_ text: String) -> Bool {
        text.drop { $0.isWhitespace }.hasPrefix(headerPrefix)
    }

    public func parse(_ text: String, path: String, fallbackDomain: String? = nil, fallbackDate: String? = nil) throws -> PolicyDocument {
        let trimmed = text.drop { $0.isWhitespace }
        guard trimmed.hasPrefix(Self.headerPrefix) else { throw PolicyReadError.unrecognisedFormat }
        let firstLineEnd = trimmed.firstIndex(of: "\n") ?? trimmed.endIndex
        let url = trimmed[trimmed.index(trimmed.startIndex, offsetBy: Self.headerPrefix.count)..<firstLineEnd]
            .trimmedSpaces
        // Skip the rule of `=` and blank lines, counting lines so clauses know where they came from.
        let leadingLines = trimmed[..<firstLineEnd].isEmpty ? 0 : text[..<trimmed.startIndex].filter { $0 == "\n" }.count
        var rest = trimmed[firstLineEnd...]
        var bodyLine = leadingLines + 1
        while let first = rest.first, first == "\n" || first == "=" || first == " " || first == "\t" {
            if first == "\n" { bodyLine += 1 }
            rest = rest.dropFirst()
        }
        guard let domain = DateText.archivedDomain(in: url) ?? fallbackDomain else {
            throw PolicyReadError.missing(format: "flat scrape", what: "the site's domain")
        }
        guard let date = DateText.waybackDate(in: url) ?? fallbackDate else { throw PolicyReadError.missing(format: "flat scrape", what: "a snapshot date") }
        let tokens = Tokenizer.whitespaceTokens(rest)
        let (bodyStart, titleEnd, bodyEnd, headings) = layout(tokens, site: Self.siteName(domain))
        let title = titleEnd > bodyStart ? Tokenizer.joinedBySpaces(tokens[bodyStart..<titleEnd]) : "privacy policy"
        var builder = SectionTreeBuilder()
        var cursor = titleEnd
        // Column offsets, for "where it came from": token index → Unicode scalar column on the body line.
        let columns = Self.tokenColumns(rest)
        func emit(_ range: Range<Int>) {
            for piece in Self.clausePieces(tokens, range) {
                // An item's bullet is its mark, not its text (as a Markdown list's "* " is).
                var words = Array(tokens[piece.range])
                // A bullet doubled ("• • we hate spam") is one mark: the lone one is no item.
                if piece.isItem, words.count == 1, words[0] == "•" { continue }
                var at = piece.range.lowerBound
                if piece.isItem, let first = words.first {
                    if first == "•", words.count > 1 { words.removeFirst(); at += 1 } else if first.count > 1 { words[0] = String(first.dropFirst()) }
                }
                let text = SourceText.stripControls(Tokenizer.joinedBySpaces(words[...]))
                guard !text.isEmpty else { continue }
                builder.clause(Clause(kind: piece.isItem ? .listItem : .paragraph, text: text,
                                      line: bodyLine, column: columns[at] + (at == piece.range.lowerBound && piece.isItem && words.first != tokens[at] ? 1 : 0)))
            }
        }
        for heading in headings {
            if heading.lowerBound > cursor { emit(cursor..<heading.lowerBound) }
            var t = Tokenizer.joinedBySpaces(tokens[heading])
            while let last = t.last, last == ":" || last == " " || last == "-" || last == "–" || last == "—" { t.removeLast() }
            builder.heading(SourceText.stripControls(t), level: 1, line: bodyLine)
            cursor = heading.upperBound
        }
        if bodyEnd > cursor { emit(cursor..<bodyEnd) }
        var doc = PolicyDocument(domain: domain, title: SourceText.stripControls(title), format: .flat, snapshotURL: url,
                                 archiveDate: date, lastUpdated: nil, caseFolded: true, sections: builder.build(),
                                 sourcePath: path)
        doc.lastUpdated = MarkdownPolicyParser.findLastUpdated(doc)
        return doc
    }

    /// Where the policy starts, where its title ends, where it ends, and its headings, as token
    /// indices into the page's words.
    func layout(_ tokens: [String], site: String?) -> (bodyStart: Int, titleEnd: Int, bodyEnd: Int, headings: [Range<Int>]) {
        let analysis = FlatPageAnalysis(tokens: tokens, knowledge: knowledge, retailer: retailerHeadings, siteName: site)
        let (bodyStart, titleEnd) = analysis.bodyStart()
        let bodyEnd = analysis.bodyEnd(from: titleEnd)
        return (bodyStart, titleEnd, bodyEnd, analysis.headings(in: titleEnd..<bodyEnd))
    }

    /// The words of a flat page's body (after the header and its rule) and the token ranges of
    /// the headings found among them: what the section boundaries are scored on.
    func headingRanges(_ text: String) -> (tokens: [String], headings: [Range<Int>]) {
        let header = text.prefix { $0 != "\n" }
        let body = text.drop { $0 != "\n" }.drop { $0 == "\n" || $0 == "=" || $0 == " " || $0 == "\t" }
        let tokens = Tokenizer.whitespaceTokens(body)
        return (tokens, layout(tokens, site: Self.siteName(DateText.archivedDomain(in: String(header)))).headings)
    }

    /// "1000bulbs" of 1000bulbs.com: the word a page's sentences use to name the site, the label
    /// the domain was registered under ("networksolutions" of customersupport.networksolutions.com,
    /// "example" of shop.example.co.uk), not a subdomain.
    static func siteName(_ domain: String?) -> String? {
        guard var d = domain?.lowercased() else { return nil }
        if d.hasPrefix("www.") { d.removeFirst(4) }
        var labels = d.split(separator: ".")
        guard labels.count > 1 else { return labels.first.map(String.init) }
        let tld = labels.removeLast()
        // A country's second level ("co.uk", "com.au").
        if labels.count > 1, tld.count == 2, let second = labels.last, Self.secondLevels.contains(String(second)) {
            labels.removeLast()
        }
        return labels.last.map(String.init)
    }

    private static let secondLevels: Set<String> = ["co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"]

    /// The 1-based scalar column where each whitespace-separated token of `text` starts (the
    /// whitespace of `Tokenizer.whitespaceTokens`), by bytes: a scalar is a byte that does not
    /// continue one.
    static func tokenColumns(_ text: Substring) -> [Int] {
        func columns(_ u: UnsafeBufferPointer<UInt8>) -> [Int] {
            var columns: [Int] = []
            var column = 0, inToken = false
            for i in u.indices where u[i] & 0xC0 != 0x80 {
                column += 1
                let space = Tokenizer.spaceWidth(u, at: i) > 0
                if !space && !inToken { columns.append(column) }
                inToken = !space
            }
            return columns
        }
        if let byBytes = text.utf8.withContiguousStorageIfAvailable(columns) { return byBytes }
        var copy = String(text)
        return copy.withUTF8(columns)
    }

    /// A token opening a list item: "•…", or "-" and a letter.
    static func opensItem(_ t: String) -> Bool {
        // By bytes where they decide (a Character ends at an ASCII byte that follows it).
        let byBytes = t.utf8.withContiguousStorageIfAvailable { u -> Bool? in
            guard let first = u.first else { return false }
            if first == 0x2D {   // "-" and an ASCII letter that nothing joins
                guard u.count >= 2, u[1] < 0x80 else { return u.count >= 2 ? nil : false }
                guard (u[1] | 0x20) &- 0x61 < 26 else { return false }
                return u.count == 2 || u[2] < 0x80 ? true : nil
            }
            return first < 0x80 ? false : nil
        }
        if let known = byBytes ?? nil { return known }
        return t.hasPrefix("•") || (t.hasPrefix("-") && t.dropFirst().first?.isLetter == true)
    }

    /// Splits a section body into clauses: bullet items ("•", "-item") become list items.
    static func clausePieces(_ tokens: [String], _ range: Range<Int>) -> [(range: Range<Int>, isItem: Bool)] {
        var pieces: [(Range<Int>, Bool)] = []
        var start = range.lowerBound
        var isItem = range.isEmpty ? false : Self.opensItem(tokens[range.lowerBound])
        for i in range where i > start {
            if Self.opensItem(tokens[i]) {
                pieces.append((start..<i, isItem))
                start = i
                isItem = true
            }
        }
        if range.lowerBound < range.upperBound {
            pieces.append((start..<range.upperBound, isItem))
        }
        return pieces.filter { !$0.0.isEmpty }
    }
}
