import Foundation

/// Parses flat, lower-cased page scrapes (`来源URL:` header, then the whole page on one line):
/// removes the site's navigation and footer and infers section headings.
public struct FlatPolicyParser: Sendable {
    /// Headings known from the rest of the corpus (normalised keys); same-retailer ones weigh more.
    public var corpusHeadings: Set<String>
    public var retailerHeadings: Set<String>

    public init(corpusHeadings: Set<String> = [], retailerHeadings: Set<String> = []) {
        self.corpusHeadings = corpusHeadings
        self.retailerHeadings = retailerHeadings
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
            .trimmingCharacters(in: .whitespaces)
        var rest = trimmed[firstLineEnd...].drop { $0 == "\n" }
        var bodyLine = 2
        if rest.first == "=" {
            rest = rest.drop { $0 == "=" }
            bodyLine = 3
        }
        guard let domain = DateText.archivedDomain(in: url) ?? fallbackDomain,
              let date = DateText.waybackDate(in: url) ?? fallbackDate else { throw PolicyReadError.unrecognisedFormat }
        let tokens = rest.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        let analysis = FlatPageAnalysis(tokens: tokens, known: HeadingLexicon.common.union(corpusHeadings),
                                        retailer: retailerHeadings)
        let (bodyStart, titleEnd) = analysis.bodyStart()
        let bodyEnd = analysis.bodyEnd(from: titleEnd)
        let title = titleEnd > bodyStart ? tokens[bodyStart..<titleEnd].joined(separator: " ") : "privacy policy"
        let headings = analysis.headings(in: titleEnd..<bodyEnd)
        var builder = SectionTreeBuilder()
        var cursor = titleEnd
        // Column offsets, for "where it came from": token index → character column on the body line.
        var columns: [Int] = []
        columns.reserveCapacity(tokens.count)
        var col = 1
        var scan = rest.startIndex
        for token in tokens {
            while scan < rest.endIndex, rest[scan].isWhitespace { scan = rest.index(after: scan); col += 1 }
            columns.append(col)
            col += token.count
            scan = rest.index(scan, offsetBy: token.count, limitedBy: rest.endIndex) ?? rest.endIndex
        }
        func emit(_ range: Range<Int>) {
            for piece in Self.clausePieces(tokens, range) {
                let text = SourceText.stripControls(tokens[piece.range].joined(separator: " "))
                guard !text.isEmpty else { continue }
                builder.clause(Clause(kind: piece.isItem ? .listItem : .paragraph, text: text,
                                      line: bodyLine, column: columns[piece.range.lowerBound]))
            }
        }
        for heading in headings {
            if heading.lowerBound > cursor { emit(cursor..<heading.lowerBound) }
            var t = tokens[heading].joined(separator: " ")
            while t.hasSuffix(":") { t.removeLast() }
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

    /// Splits a section body into clauses: bullet items ("•", "-item") become list items.
    static func clausePieces(_ tokens: [String], _ range: Range<Int>) -> [(range: Range<Int>, isItem: Bool)] {
        var pieces: [(Range<Int>, Bool)] = []
        var start = range.lowerBound
        var isItem = false
        for i in range where i > start {
            let t = tokens[i]
            let bullet = t == "•" || t.hasPrefix("•") || (t.hasPrefix("-") && t.dropFirst().first?.isLetter == true)
            if bullet {
                pieces.append((start..<i, isItem))
                start = i
                isItem = true
            }
        }
        if range.lowerBound < range.upperBound {
            if start == range.lowerBound { isItem = tokens[start].hasPrefix("•") || tokens[start] == "•" }
            pieces.append((start..<range.upperBound, isItem))
        }
        return pieces.filter { !$0.0.isEmpty }
    }
}
