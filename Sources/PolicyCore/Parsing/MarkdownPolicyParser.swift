import Foundation

/// Parses Wayback "extracted and transformed" Markdown policies.
public struct MarkdownPolicyParser: Sendable {
    public init() {}

    /// True when the text opens with the extractor's header blockquote.
    public static func recognises(_ text: String) -> Bool {
        let head = text.prefix(2000)
        // The first line that is not blank, found without splitting all 2 000 Characters.
        var rest = head[...]
        var first: Substring?
        while !rest.isEmpty {
            let end = rest.firstIndex(of: "\n") ?? rest.endIndex
            let line = rest[..<end]
            if !line.allSatisfy(\.isWhitespace) { first = line; break }
            rest = end < rest.endIndex ? rest[rest.index(after: end)...] : rest[end...]
        }
        guard let first else { return false }
        return first.hasPrefix(">") && head.contains("extracted and transformed")
    }

    /// Parses `text`; `fallbackDomain`/`fallbackDate` come from the file name when the header lacks them.
    public func parse(_ text: String, path: String, fallbackDomain: String? = nil, fallbackDate: String? = nil) throws -> PolicyDocument {
        let lines = SourceText.lines(text)
        var index = 0
        while index < lines.count, lines[index].trimmedSpaces.isEmpty { index += 1 }
        var header = ""
        while index < lines.count, lines[index].hasPrefix(">") {
            header += lines[index].dropFirst() + " "
            index += 1
        }
        let (domain, date, url) = Self.parseHeader(header)
        guard let domain = domain ?? fallbackDomain else { throw PolicyReadError.missing(format: "Wayback Markdown extract", what: "the site's domain") }
        guard let date = date ?? fallbackDate else { throw PolicyReadError.missing(format: "Wayback Markdown extract", what: "a snapshot date") }
        let blocks = MarkdownBlockScanner(lines: lines, start: index).scan()
        var builder = SectionTreeBuilder()
        var title: String?
        // Empty headings count: they still start sections (see below).
        let headingLevels = blocks.compactMap { block -> Int? in
            if case .heading(let level, _, _) = block { return level } else { return nil }
        }
        // The first `#` heading before anything else is the document title.
        var startBlock = 0
        if let first = blocks.first, case .heading(let level, let text, _) = first, level == 1 {
            let plain = InlineMarkdown(text).text
            if !plain.isEmpty { title = plain }
            startBlock = 1
        }
        let realLevels = startBlock == 1 ? Array(headingLevels.dropFirst()) : headingLevels
        let baseLevel = realLevels.min() ?? 1
        var realLevel = 0          // relative level of the last real heading (0 = none yet)
        var leadLevel: Int?        // level of the open lead-line sub-section
        var boldLevel: Int?        // level of the open bold pseudo-heading
        var previousNumber: Int?   // the number the last paragraph opened with ("3." or "3)")
        // How each section was headed, by its index in the builder: a `#` heading (nil) or a bold
        // one (in capitals or not), for `nestedBoldStyles`; lead lines and italic ones are absent.
        var headedBy: [Int: Bool?] = [:]
        let numbered = Self.numberedParagraphs(blocks)
        for (blockIndex, block) in blocks.enumerated().dropFirst(startBlock) {
            switch block {
            case .heading(let level, let text, let line):
                // An empty heading (pages whose headings were images, e.g. bluenile.com 2006) still
                // starts a section; the builder titles it with its opening words.
                realLevel = level - baseLevel + 1
                leadLevel = nil
                boldLevel = nil
                previousNumber = nil
                builder.heading(Self.cleanTitle(InlineMarkdown(text).text), level: realLevel, line: line)
                headedBy[builder.count - 1] = .some(nil)
            case .paragraph(let source, let line):
                guard let text = Self.withoutTopLink(Self.mergedBold(source)) else { continue }
                if let bold = Self.boldHeading(text) {
                    // A bold italic heading sits under the bold one before it (a sub-heading).
                    let italic = Self.isItalic(text)
                    let level = italic ? (boldLevel ?? realLevel) + 1 : realLevel + 1
                    if !italic { boldLevel = level }
                    leadLevel = nil
                    builder.heading(bold, level: level, line: line)
                    if !italic { headedBy[builder.count - 1] = Self.isCapitals(bold) }
                    continue
                }
                if let lead = Self.boldLead(text) {
                    // `**Use of Information**␠␠⏎We use …`: the bold first line heads the paragraph.
                    let level = lead.italic ? (boldLevel ?? realLevel) + 1 : realLevel + 1
                    if !lead.italic { boldLevel = level }
                    leadLevel = nil
                    builder.heading(lead.title, level: level, line: line)
                    if !lead.italic { headedBy[builder.count - 1] = Self.isCapitals(lead.title) }
                    let inline = Self.paragraphInline(lead.rest)
                    builder.clause(Clause(kind: .paragraph, text: inline.text, styles: inline.styles, line: line + 1))
                    continue
                }
                var inline = Self.paragraphInline(text)
                if numbered.contains(blockIndex) {
                    // "3 We collect …": the number is the paragraph's marker, as a list item's is,
                    // so a renumbered paragraph is no change.
                    var marker = String(inline.text.unicodeScalars.prefix { $0.properties.numericType == .decimal && $0.isASCII })
                    if let after = inline.text.unicodeScalars.dropFirst(marker.count).first, after == "." || after == ")" {
                        marker.unicodeScalars.append(after)
                    }
                    Self.dropPrefix(marker.unicodeScalars.count + 1, from: &inline)
                    builder.clause(Clause(kind: .paragraph, text: inline.text, styles: inline.styles, marker: marker, line: line))
                    previousNumber = nil
                    continue
                }
                let number = Self.leadingNumber(inline.text)
                // "**2.** Investigating a problem … via NYC.gov 5" after "**1.** Helping … ." is the
                // next item of a numbered run of paragraphs, not a heading.
                if Self.isLeadLine(inline.text), number == nil || number != previousNumber.map({ $0 + 1 }) {
                    let level = leadLevel ?? ((boldLevel ?? realLevel) + 1)
                    leadLevel = level
                    builder.heading(inline.text, level: level, line: line)
                    previousNumber = nil
                    continue
                }
                previousNumber = number
                builder.clause(Clause(kind: .paragraph, text: inline.text, styles: inline.styles, line: line))
            case .listItem(let depth, let text, let marker, let line):
                previousNumber = nil
                var inline = Self.paragraphInline(text)
                Self.stripBullet(&inline)
                guard !inline.text.isEmpty else { continue }
                builder.clause(Clause(kind: .listItem, text: inline.text, styles: inline.styles, depth: depth, marker: marker,
                                      line: line))
            case .table(let table):
                previousNumber = nil
                for clause in table.clauses() { builder.clause(clause) }
            }
        }
        builder.deepen(Self.nestedBoldStyles(headedBy, count: builder.count))
        let sections = builder.build()
        var doc = PolicyDocument(domain: domain, title: title ?? "Privacy Policy", format: .markdown, snapshotURL: url,
                                 archiveDate: date, lastUpdated: nil, caseFolded: false, sections: sections, sourcePath: path)
        doc.lastUpdated = Self.findLastUpdated(doc)
        return doc
    }

    static func findLastUpdated(_ doc: PolicyDocument) -> String? {
        // The date is looked for in the first 20 000 UTF-16 units, which 60 000 UTF-8 bytes hold
        // (a unit takes at most three): the rest of the text is not copied.
        var probe = ""
        sections: for section in doc.allSections {
            probe += section.title + " \n "
            for clause in section.clauses {
                if probe.utf8.count >= 60_000 { break sections }
                probe += clause.text + " \n "
            }
            if probe.utf8.count > 200_000 { break }
        }
        return DateText.lastUpdated(in: probe)
    }

    static func parseHeader(_ header: String) -> (String?, String?, String?) {
        var domain: String?
        var date: String?
        var url: String?
        if let r = header.range(of: "from the ") {
            let rest = header[r.upperBound...]
            let token = rest.prefix { !$0.isWhitespace }
            if token.contains(".") { domain = token.lowercased() }
        }
        if let r = header.range(of: "archived on ") {
            let d = header[r.upperBound...].prefix(10)
            if d.count == 10, DateText.normalise(String(d)) != nil { date = String(d) }
        }
        if let r = header.range(of: "](") {
            let rest = header[r.upperBound...]
            url = String(rest.prefix { $0 != ")" && !$0.isWhitespace })
        }
        if date == nil, let u = url { date = DateText.waybackDate(in: u) }
        if domain == nil, let u = url { domain = DateText.archivedDomain(in: u) }
        if let d = domain, d.hasPrefix("www.") { domain = String(d.dropFirst(4)) }
        return (domain, date, url)
    }

    static func cleanTitle(_ s: String) -> String {
        var t = s.trimmedSpaces
        while let last = t.last, last == ":" || last == " " { t.removeLast() }
        return t
    }

    /// The number a paragraph's text opens with, "3." or "3)" followed by a space.
    static func leadingNumber(_ text: String) -> Int? {
        let digits = text.utf8.prefix { $0 >= 0x30 && $0 <= 0x39 }
        guard (1...3).contains(digits.count) else { return nil }
        let rest = text.utf8.dropFirst(digits.count)
        guard rest.first == UInt8(ascii: ".") || rest.first == UInt8(ascii: ")"), rest.dropFirst().first == 0x20 else { return nil }
        return Int(String(decoding: digits, as: UTF8.self))
    }

    /// Paragraphs numbered as reddit.com's are ("3 We collect information you provide …", or with
    /// a bold number, "**3.** We …"): blocks opening with a number, a space and a capital (emphasis
    /// marks aside), in a run of three or more whose numbers go
    /// up by one (other blocks may stand between them), each of eight words or more. Addresses
    /// ("2 Folsom Street") and contents lines make no such run.
    static func numberedParagraphs(_ blocks: [MarkdownBlock]) -> Set<Int> {
        var candidates: [(index: Int, number: Int)] = []
        for (index, block) in blocks.enumerated() {
            guard case .paragraph(let text, _) = block else { continue }
            // "3 We …", or a bold number: "**3.** We …" (nyc.gov 2014).
            var rest = Substring(text)
            let bold = rest.hasPrefix("**") || rest.hasPrefix("__")
            if bold { rest = rest.dropFirst(2) }
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(digits.count)
            if bold {
                if rest.first == "." || rest.first == ")" { rest = rest.dropFirst() }
                guard rest.hasPrefix("**") || rest.hasPrefix("__") else { continue }
                rest = rest.dropFirst(2)
            }
            guard (1...3).contains(digits.count), rest.first == " ",
                  let next = rest.unicodeScalars.first(where: { $0 != " " && $0 != "_" && $0 != "*" }), next.properties.isUppercase,
                  let number = Int(digits), Tokenizer.wordCount(text) >= 9 else { continue }
            candidates.append((index, number))
        }
        var out = Set<Int>()
        var run: [Int] = []
        func close() { if run.count >= 3 { out.formUnion(run) }; run = [] }
        for (k, c) in candidates.enumerated() {
            if k > 0, c.number == candidates[k - 1].number + 1 { run.append(c.index) } else { close(); run = [c.index] }
        }
        close()
        return out
    }

    /// `inline` without its first `n` scalars (a marker), its styles moved with the text.
    static func dropPrefix(_ n: Int, from inline: inout InlineMarkdown) {
        inline.text = String(inline.text.unicodeScalars.dropFirst(n))
        inline.styles = inline.styles.compactMap {
            var s = $0
            s.start = max(0, s.start - n)
            s.end -= n
            return s.end > s.start ? s : nil
        }
    }

    /// The extractor's doubled bold: `****Q1: …****` (bold inside bold) is bold once, and `SHARING
    /// ****AND` (two bold runs side by side) one run. Only in a paragraph that opens in bold, and
    /// only a run of exactly four stars against a letter (or at both ends), so a masked card
    /// number (`**** **** 1234`, `****-1234`, `PIN ****.`) stays as it is.
    static func mergedBold(_ text: String) -> String {
        guard text.hasPrefix("**"), Self.holds(text, "****") ?? text.contains("****") else { return text }
        let bytes = Array(text.utf8)
        // `****Q1 …****`: four stars at both ends.
        let symmetric = bytes.count > 8 && bytes.prefix(5).filter({ $0 == 0x2A }).count == 4 && bytes.suffix(5).filter({ $0 == 0x2A }).count == 4
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            guard bytes[i] == 0x2A else { out.append(bytes[i]); i += 1; continue }
            var j = i
            while j < bytes.count, bytes[j] == 0x2A { j += 1 }
            let before: UInt8? = i > 0 ? bytes[i - 1] : nil, after: UInt8? = j < bytes.count ? bytes[j] : nil
            @inline(__always) func isLetter(_ b: UInt8?) -> Bool { b.map { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A || $0 >= 0x80 } ?? false }
            if j - i == 4, before == nil, isLetter(after) || symmetric {
                out += [0x2A, 0x2A]   // at the start, bold inside bold
            } else if j - i == 4, after == nil, isLetter(before) || symmetric || before.map({ ".?!:)".utf8.contains($0) }) == true {
                out += [0x2A, 0x2A]
            } else if j - i == 4, before != nil, isLetter(after) {
                // two runs meeting before a word: nothing
            } else {
                out += bytes[i..<j]
            }
            i = j
        }
        // `****User Content … **For full terms … our **_[Terms]_**.**` (redbox.com 2016): bold around
        // the whole paragraph, its closing run alone at the end; what it held stays as it is.
        let n = bytes.count
        if n > 6, bytes[0..<4].allSatisfy({ $0 == 0x2A }), bytes[4] != 0x2A, bytes[n - 1] == 0x2A, bytes[n - 2] == 0x2A, bytes[n - 3] != 0x2A {
            out.removeLast(2)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Words of a link back to the top of the page ("return to top", "BACK TO TOP ^", "[top]").
    private static let topLinks: Set<String> = ["top", "back to top", "return to top", "go to top", "to top", "top of page",
                                                "back to top of page", "return to top of page", "go to top of page"]

    /// `text` without a trailing link back to the top of the page ("**Information Collected**
    /// [top]"); nil when that is all it is (navigation, not policy).
    static func withoutTopLink(_ text: String) -> String? {
        guard let edges = text.edgeScalars, "pP]^)↑".unicodeScalars.contains(edges.last) else { return text }
        // Only a short stretch with "top" in it can be such a link: no paragraph that merely ends in
        // a bracket is parsed twice.
        func isTop(_ s: Substring) -> Bool {
            guard s.utf8.count <= 200, Gazetteer.occurs(Array("top".utf8), in: Array(s.lowercased().utf8)) else { return false }
            let words = InlineMarkdown(String(s)).text.lowercased()
                .split { !$0.isLetter }.joined(separator: " ")
            return topLinks.contains(words)
        }
        if isTop(Substring(text)) { return nil }
        // A bold heading followed by the link.
        if text.hasPrefix("**"), let close = text.range(of: "**", options: .backwards, range: text.index(text.startIndex, offsetBy: 2)..<text.endIndex),
           close.upperBound < text.endIndex, isTop(text[close.upperBound...]) {
            return String(text[..<close.upperBound])
        }
        return text
    }

    /// A paragraph that is only a short bold phrase is a heading.
    static func boldHeading(_ text: String) -> String? {
        // The cheap tests first: this runs on every paragraph, most of them long and not bold.
        guard let edges = text.edgeScalars, edges.first == "*" || edges.first == "_", edges.last == "*" || edges.last == "_" else { return nil }
        let t = text.trimmedSpaces
        guard t.hasPrefix("**") || t.hasPrefix("__"), t.hasSuffix("**") || t.hasSuffix("__"), t.count <= 220 else { return nil }
        guard !(Self.holds(t, "\n") ?? t.contains("\n")) else { return nil }
        let marker = String(t.prefix(2))
        var inner = t.dropFirst(2).dropLast(2)
        // A heading set in bold pieces: `**IV. Updating Your Information** **and Preferences**`.
        if Self.holds(inner, marker) ?? inner.contains(marker) {
            inner = Substring(inner.replacingOccurrences(of: NSRegularExpression.escapedPattern(for: marker) + " +"
                                                       + NSRegularExpression.escapedPattern(for: marker), with: " ", options: .regularExpression))
        }
        guard !(Self.holds(inner, marker) ?? inner.contains(marker)) else { return nil }
        let plain = cleanTitle(InlineMarkdown(String(inner)).text)
        guard !plain.isEmpty, Tokenizer.wordCount(plain) <= 25 else { return nil }
        // A bold "and" between two clauses (chase.com's choices) joins them; it heads nothing.
        guard !["and", "or", "and/or", "&"].contains(plain.lowercased()), !isDateLine(plain), !isPhoneLine(plain) else { return nil }
        return plain
    }

    /// A bold line that is a phone number alone ("**1-800-311-JEWEL**", zales.com's contact block):
    /// contact details, not a heading.
    static func isPhoneLine(_ title: String) -> Bool {
        guard title.utf8.count <= 24, title.utf8.filter({ $0 >= 0x30 && $0 <= 0x39 }).count >= 6,
              let pattern = FactExtractor.Patterns.phone else { return false }
        let ns = title.trimmingCharacters(in: .whitespaces) as NSString
        return pattern.firstMatch(in: ns as String, range: NSRange(location: 0, length: ns.length))?.range.length == ns.length
    }

    /// A line that states when the policy was updated ("Updated 18 June 2007", lexsynergy.com
    /// 2014): a date, not a heading, although it is set in bold.
    static func isDateLine(_ title: String) -> Bool {
        guard title.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }), let m = DateText.lastUpdatedMatch(in: title) else { return false }
        let ns = title as NSString
        let rest = ns.replacingCharacters(in: m.range, with: " ")
        return Tokenizer.wordCount(rest) <= 3
    }

    /// Whether most words of four letters or more start with a capital (or the title is in capitals).
    static func isTitleCased(_ title: String) -> Bool {
        let long = title.split(separator: " ").filter { $0.count >= 4 && $0.first?.isLetter == true }
        guard long.count >= 3 else { return false }
        return long.filter { $0.first?.isUppercase == true }.count * 10 >= long.count * 8
    }

    /// Whether a bold paragraph or line is bold italic: `**_Aggregate information_**`.
    static func isItalic(_ boldLine: String) -> Bool {
        let t = boldLine.trimmedSpaces
        guard t.count > 6 else { return false }
        let inner = t.dropFirst(2).dropLast(2).trimmedSpaces
        guard let first = inner.first, let last = inner.last else { return false }
        return (first == "_" && last == "_") || (first == "*" && last == "*")
    }

    /// Bold headings in two styles, capitals and not, nest as reStructuredText's underlines do:
    /// under a `#` heading (or before any), from the first bold heading in capitals on (when at most
    /// one of the other style comes before it), where each style heads at least two sections, the
    /// others sit under the capitals before them ("THE
    /// INFORMATION WE COLLECT" over "Information You Provide Us", redbox.com 2014 and 2016, whose
    /// bold "Privacy Policy" before them stays where it is), with what hangs under them. Returns
    /// the sections (builder indices) to put a level deeper.
    static func nestedBoldStyles(_ headedBy: [Int: Bool?], count: Int) -> [Int] {
        var out: [Int] = []
        var scope: [Int] = []
        func close() {
            defer { scope = [] }
            guard let first = scope.firstIndex(where: { headedBy[$0] == .some(true) }) else { return }
            // Capitals that come after two headings of the other style or more are a style of the
            // page's later sections ("CALIFORNIA RESIDENTS" after "Information We Collect" and "How
            // We Use It"), not its top level: nothing nests.
            guard scope[..<first].filter({ headedBy[$0] == .some(false) }).count <= 1 else { return }
            scope = Array(scope[first...])
            let styles = scope.compactMap { headedBy[$0] ?? nil }
            guard styles.filter({ $0 }).count >= 2, styles.filter({ !$0 }).count >= 2 else { return }
            var under = false
            for k in scope {
                if let style = headedBy[k] ?? nil { under = !style }
                if under { out.append(k) }
            }
        }
        for k in 0..<count {
            if let by = headedBy[k], by == nil { close(); continue }
            scope.append(k)
        }
        close()
        return out
    }

    /// A title in capitals: at least 60 % of its letters upper-case (a few small words between
    /// capitals, "CHANGING YOUR INFORMATION and updating your PREFERENCES", still count).
    static func isCapitals(_ title: String) -> Bool {
        var upper = 0, letters = 0
        for s in title.unicodeScalars where s.properties.isAlphabetic {
            letters += 1
            if s.properties.isUppercase { upper += 1 }
        }
        return letters >= 3 && upper * 5 >= letters * 3
    }

    /// A paragraph whose first line is one short bold phrase ending in a hard line break (two
    /// spaces), the text going on below it: `**Use of Information**␠␠⏎We use …`, also numbered
    /// (`**2\\. What do we collect?**`) or bold italic. Not when the bold line is a sentence
    /// (emphasis), nor when what follows is more short lines (an address set in bold).
    static func boldLead(_ text: String) -> (title: String, rest: String, italic: Bool)? {
        guard text.hasPrefix("**") || text.hasPrefix("__"), let newline = firstLineFeed(text) else { return nil }
        let first = text[..<newline]
        guard first.hasSuffix("  ") else { return nil }
        let rest = String(text[text.index(after: newline)...])
        let t = first.trimmedSpaces
        guard t.count > 4, t.hasSuffix(String(t.prefix(2))) else { return nil }
        let marker = String(t.prefix(2))
        let inner = t.dropFirst(2).dropLast(2)
        guard !(Self.holds(inner, marker) ?? inner.contains(marker)) else { return nil }
        let title = cleanTitle(InlineMarkdown(String(inner)).text)
        let words = Tokenizer.wordCount(title)
        // Up to 25 words when it is set as a title (redbox.com 2016: "When You Agree to Receive
        // Information From Third Parties or Otherwise Request That We Share Your Information").
        guard !title.isEmpty, words <= 15 || (words <= 25 && isTitleCased(title)), title.count <= 200, !isDateLine(title) else { return nil }
        if title.hasSuffix("."), words > 5 { return nil }
        // What follows is prose: a line of eight words or more.
        guard hasProseLine(rest) else { return nil }
        return (title, rest, isItalic(String(t)))
    }

    /// Whether `s` holds the ASCII `needle`, by the bytes, where Foundation's search must answer
    /// the same: false when the bytes are nowhere, true when they stand between ASCII bytes that
    /// are not carriage returns (so no mark or sign joins them), nil otherwise. Foundation's
    /// search on every bold paragraph was 1 % of parsing (callgrind).
    static func holds<S: StringProtocol>(_ s: S, _ needle: String) -> Bool? {
        let n = Array(needle.utf8)
        guard let first = n.first else { return nil }
        let answer = s.utf8.withContiguousStorageIfAvailable { b -> Bool? in
            var found = false
            var i = 0
            while i + n.count <= b.count {
                if b[i] == first, (1..<n.count).allSatisfy({ b[i + $0] == n[$0] }) {
                    let before = i == 0 || (b[i - 1] < 0x80 && b[i - 1] != 0x0D)
                    let after = i + n.count == b.count || b[i + n.count] < 0x80
                    if before && after { return true }
                    found = true
                }
                i += 1
            }
            return found ? nil : false
        }
        return answer ?? nil
    }

    /// `text.firstIndex(of: "\n")` by the bytes: a line feed is a Character of its own unless a
    /// carriage return stands before it (CR LF is one). The Character walk over single-line bold
    /// paragraphs was 4 % of parsing (callgrind).
    static func firstLineFeed(_ text: String) -> String.Index? {
        var bytes = text
        guard let offset = bytes.withUTF8({ b -> Int? in
            for i in b.indices where b[i] == 0x0A && (i == 0 || b[i - 1] != 0x0D) { return i }
            return nil
        }) else { return nil }
        return text.utf8.index(text.utf8.startIndex, offsetBy: offset)
    }

    /// Whether a line of `rest` (split at "\n" Characters) has eight words or more; by the bytes
    /// when there is no carriage return, so that every line feed is a Character.
    static func hasProseLine(_ rest: String) -> Bool {
        var bytes = rest
        let answer = bytes.withUTF8 { b -> Bool? in
            if b.contains(0x0D) { return nil }
            var start = 0
            for i in 0...b.count where i == b.count || b[i] == 0x0A {
                if i > start, Tokenizer.wordCount(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)) >= 8 { return true }
                start = i + 1
            }
            return false
        }
        return answer ?? rest.split(separator: "\n").contains(where: { Tokenizer.wordCount(String($0)) >= 8 })
    }

    private static let leadPattern = try? NSRegularExpression(pattern: "^(?:[A-Z]|[IVX]{1,4}|[ivx]{1,4}|\\d{1,2})[.)]\\s+\\S", options: [])

    /// A paragraph's text and styles; a hard line break (a line ending in two spaces or a
    /// backslash: an address, a contact block) is a space marked `lineBreak`, so readers break
    /// the line there while search, comparison and categories read plain words.
    static func paragraphInline(_ text: String) -> InlineMarkdown {
        // Each break (its line's trailing spaces or backslash, and the line feed) becomes one private-use
        // scalar, which inline parsing keeps as a letter (emphasis may span it), then a space.
        let sentinel: Unicode.Scalar = "\u{E000}"
        let breaks: [Range<String.Index>] = text.utf8.withContiguousStorageIfAvailable { bytes -> [Range<String.Index>] in
            var out: [Range<String.Index>] = []
            for i in 1..<max(1, bytes.count) where bytes[i] == 0x0A {
                var start = i
                var slashes = 0
                while slashes < i, bytes[i - 1 - slashes] == 0x5C { slashes += 1 }
                if slashes % 2 == 1 {   // `\⏎`, not an escaped backslash (`\\⏎`)
                    start = i - 1
                } else if i >= 2, bytes[i - 1] == 0x20, bytes[i - 2] == 0x20 {
                    while start > 0, bytes[start - 1] == 0x20 { start -= 1 }
                } else {
                    continue
                }
                // The next line's indent goes with the break.
                var end = i + 1
                while end < bytes.count, bytes[end] == 0x20 || bytes[end] == 0x09 { end += 1 }
                let utf8 = text.utf8
                out.append(utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end))
            }
            return out
        } ?? []
        guard !breaks.isEmpty, !text.unicodeScalars.contains(sentinel) else { return InlineMarkdown(text) }
        var marked = ""
        var at = text.startIndex
        for r in breaks {
            marked += text[at..<r.lowerBound]
            marked.unicodeScalars.append(sentinel)
            at = r.upperBound
        }
        marked += text[at...]
        var inline = InlineMarkdown(marked)
        var scalars = Array(inline.text.unicodeScalars)
        // A break at an end of the text, or beside a space, is no break.
        var offsets: [Int] = []
        var k = 0
        while k < scalars.count {
            if scalars[k] == sentinel {
                if k == 0 || k == scalars.count - 1 || scalars[k - 1] == " " || scalars[k + 1] == " " || scalars[k + 1] == sentinel {
                    scalars.remove(at: k)
                    inline.styles = inline.styles.compactMap { var s = $0
                        if s.start > k { s.start -= 1 }
                        if s.end > k { s.end -= 1 }
                        return s.end > s.start ? s : nil }
                    continue
                }
                scalars[k] = " "
                offsets.append(k)
            }
            k += 1
        }
        inline.text = String(String.UnicodeScalarView(scalars))
        inline.styles += offsets.map { InlineStyle(kind: .lineBreak, start: $0, end: $0 + 1) }
        return inline
    }

    /// "A. EU Data Subject Rights": a short numbered or lettered line with no closing punctuation.
    static func isLeadLine(_ text: String) -> Bool {
        // The last Character first: most paragraphs end in a full stop, and counting is a walk.
        guard let last = text.last, !".;,:".contains(last), text.utf8.count <= 100 || text.dropFirst(100).isEmpty else { return false }
        let ns = text as NSString
        guard let leadPattern, leadPattern.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) != nil else { return false }
        let words = Tokenizer.words(text)
        guard words.count >= 2, words.count <= 12 else { return false }
        // The words after the number start with a capital letter.
        return words.dropFirst().first?.first?.isUppercase ?? false
    }

    static func stripBullet(_ inline: inout InlineMarkdown) {
        for bullet in ["• ", "· ", "▪ ", "◦ "] where inline.text.hasPrefix(bullet) {
            dropPrefix(bullet.unicodeScalars.count, from: &inline)
        }
    }
}
