import Foundation

/// A user's search text turned into a safe FTS5 MATCH expression plus field filters.
///
/// The language: plain words (all must match), `"exact phrases"`, `prefix*`, `OR`, `NOT` / `-word`,
/// parentheses, and the fields `retailer:`, `date:`, `section:`, `topic:`. Anything else, including text that
/// FTS5 would reject, is read as literal words: every input gets an answer. `retailer:` and `date:`
/// are filters on the versions, not terms: several of one field admit any of them, a negated one
/// (`-retailer:x`, `NOT date:2019`) excludes, and an `OR` beside one is read as `AND`.
public struct SearchQuery: Equatable, Sendable {
    /// The FTS5 expression, or nil when the query has no positive term (nothing to match).
    public var match: String?
    /// `retailer:` prefixes (of domain or display name), lower-cased.
    public var retailers: [String]
    /// `date:` prefixes.
    public var dates: [String]
    /// Negated `retailer:` prefixes (lower-cased) and `date:` prefixes: versions they match are left out.
    public var excludedRetailers: [String]
    public var excludedDates: [String]
    /// The words and phrases to highlight, as typed (lower-cased).
    public var terms: [String]
    /// Whether the query only leaves words out (`NOT cookies`, `-cookies`): FTS5 cannot rank a
    /// negation alone, so it has nothing to find.
    public var onlyExcludes = false
    /// What the query's fields could not take ("topic:zzz names no category …"), to say when nothing matches.
    public var fieldNotes: [String] = []

    enum Token: Equatable {
        case word(String, prefix: Bool)
        case phrase([String])
        case or, not, open, close
        case field(String, String)
    }

    /// Parses `text`. With `prefixLast`, the last bare word is a prefix (search as you type).
    public init(_ text: String, prefixLast: Bool = false) {
        var tokens = Self.lex(SourceText.stripControls(String(text.prefix(4_000))))
        if prefixLast, let lastIndex = tokens.lastIndex(where: { if case .word = $0 { return true } else { return false } }),
           lastIndex == tokens.count - 1, !text.hasSuffix(" "), case .word(let w, _) = tokens[lastIndex] {
            tokens[lastIndex] = .word(w, prefix: true)
        }
        var retailers: [String] = [], excludedRetailers: [String] = []
        var dates: [String] = [], excludedDates: [String] = []
        var terms: [String] = []
        var parts: [String] = []
        var depth = 0
        var expectOperand = true   // at the start, or after an operator / "("
        var negateNext = false
        var droppedNegation = false
        // Per open group, whether it is negated: a filter inside `NOT ( … )` excludes (each one, as
        // a negated filter alone does).
        var negatedGroups: [Bool] = []
        func negatedHere() -> Bool { negatedGroups.filter { $0 }.count % 2 == 1 }
        let balanced = Self.parenthesesBalance(tokens)
        // FTS5's NOT is binary: a negation with nothing before it ("-cookies privacy") waits for the
        // first operand after it in its group, then follows it ("privacy NOT cookies").
        var waiting: [(depth: Int, operand: String)] = []
        // Where each open group starts in `parts`, and whether it is a negated one that waits.
        var groupStarts: [(start: Int, waits: Bool)] = []
        // The depths where an OR was written: a negation there was one side of it, and is dropped.
        var orAt: Set<Int> = []
        func appendOperand(_ s: String) {
            if !expectOperand { parts.append(negateNext ? "NOT" : "AND") }
            else if negateNext {
                negateNext = false
                waiting.append((depth, s))
                return
            }
            negateNext = false
            parts.append(s)
            expectOperand = false
            flushWaiting()
        }
        func flushWaiting() {
            while let last = waiting.last, last.depth == depth {
                parts += ["NOT", last.operand]
                waiting.removeLast()
            }
        }
        for token in tokens {
            switch token {
            case .word(let w, let prefix):
                let words = Tokenizer.foldedWords(w)
                guard !words.isEmpty else { negateNext = false; continue }
                terms.append(words.joined(separator: " "))
                appendOperand(Self.quote(words) + (prefix && words.count == 1 ? "*" : ""))
            case .phrase(let words):
                guard !words.isEmpty else { negateNext = false; continue }
                terms.append(words.joined(separator: " "))
                appendOperand(Self.quote(words))
            case .field(let name, let value):
                switch name {
                case "retailer", "site", "domain":
                    if negateNext != negatedHere() { excludedRetailers.append(value.lowercased()) } else { retailers.append(value.lowercased()) }
                    negateNext = false
                case "date", "year":
                    if !Self.isDateStart(value) {
                        fieldNotes.append("\(name):\(value) is no date (YYYY, YYYY-MM or YYYY-MM-DD, or the start of one)")
                    }
                    if negateNext != negatedHere() { excludedDates.append(value) } else { dates.append(value) }
                    negateNext = false
                case "topic", "topics", "category":
                    // A name or alias, else the categories it is a prefix of ("topic:ch": any of them).
                    let categories = PrivacyCategory(loose: value).map { [$0] } ?? PrivacyCategory.prefixed(value)
                    let operands = categories.map { "topics : " + Self.quote([$0.indexToken]) }
                    if operands.count == 1 {
                        appendOperand(operands[0])
                    } else if !operands.isEmpty {
                        appendOperand("(" + operands.joined(separator: " OR ") + ")")
                    } else {
                        // An unknown topic is searched as words.
                        fieldNotes.append("\(name):\(value) names no category, so it was searched as words (categories: "
                                          + PrivacyCategory.allCases.map(\.rawValue).joined(separator: ", ") + ")")
                        let words = Tokenizer.foldedWords(value)
                        guard !words.isEmpty else { continue }
                        terms.append(words.joined(separator: " "))
                        appendOperand(Self.quote(words))
                    }
                case "section", "title", "heading":
                    let words = Tokenizer.foldedWords(value)
                    guard !words.isEmpty else { continue }
                    appendOperand("section : " + Self.quote(words) + (words.count == 1 ? "*" : ""))
                default:
                    // An unknown field is text: "http://…" or "note:" are words.
                    let words = Tokenizer.foldedWords(name + " " + value)
                    guard !words.isEmpty else { continue }
                    terms.append(words.joined(separator: " "))
                    appendOperand(Self.quote(words))
                }
            case .or:
                if !expectOperand { parts.append("OR"); expectOperand = true; negateNext = false; orAt.insert(depth) }
                else if waiting.contains(where: { $0.depth == depth }) {
                    // "-a OR b": a negation cannot be one side of an OR; it is dropped, as in "(-a) OR b".
                    droppedNegation = true
                    waiting.removeAll { $0.depth == depth }
                    orAt.insert(depth)
                }
            case .not:
                negateNext = true
            case .open:
                guard balanced else { continue }
                if !expectOperand { parts.append(negateNext ? "NOT" : "AND") }
                // A negated group with nothing before it waits, whole, as a negated word does.
                groupStarts.append((parts.count, expectOperand && negateNext))
                negatedGroups.append(negateNext)
                negateNext = false
                parts.append("(")
                depth += 1
                expectOperand = true
            case .close:
                guard balanced, depth > 0 else { continue }
                let negated = negatedGroups.removeLast()
                let group = groupStarts.removeLast()
                defer { orAt.remove(depth + 1) }
                // Negations the group never found an operand for follow the next operand outside
                // it (a group of negations alone: "a (-b)" is "a -b"); in a negated group they are
                // dropped (their meaning would turn).
                if negated || orAt.contains(depth) {
                    if waiting.contains(where: { $0.depth == depth }) { droppedNegation = true }
                    waiting.removeAll { $0.depth == depth }
                } else {
                    for k in waiting.indices where waiting[k].depth == depth { waiting[k].depth -= 1 }
                }
                // "()" or "(a OR)": drop the dangling operator or the empty group.
                if expectOperand {
                    if parts.last == "(" {
                        parts.removeLast()
                        depth -= 1
                        if let last = parts.last, last == "AND" || last == "NOT" { parts.removeLast() }
                        expectOperand = parts.isEmpty || ["AND", "OR", "NOT", "("].contains(parts.last ?? "")
                        if !expectOperand { flushWaiting() }
                        continue
                    }
                    if let last = parts.last, ["AND", "OR", "NOT"].contains(last) { parts.removeLast() }
                }
                parts.append(")")
                depth -= 1
                if group.waits {
                    waiting.append((depth, parts[group.start...].joined(separator: " ")))
                    parts.removeSubrange(group.start...)
                    expectOperand = true
                    continue
                }
                expectOperand = false
                flushWaiting()
            }
        }
        while let last = parts.last, ["AND", "OR", "NOT", "("].contains(last) {
            if last == "(" { depth -= 1 }
            parts.removeLast()
        }
        while depth > 0 { parts.append(")"); depth -= 1 }
        self.match = parts.isEmpty ? nil : parts.joined(separator: " ")
        // Operators alone ("OR", "NOT", "AND"), with nothing to act on, are the words they spell.
        if parts.isEmpty, !tokens.contains(where: { ![.or, .not, .open, .close].contains($0) }), let words = Self.literal(text) {
            self.match = words
            terms = Tokenizer.foldedWords(SourceText.stripControls(String(text.prefix(4_000))))
        }
        self.retailers = retailers
        self.dates = dates
        self.excludedRetailers = excludedRetailers
        self.excludedDates = excludedDates
        self.terms = terms
        onlyExcludes = (droppedNegation || !waiting.isEmpty) && match == nil && !onlyFilters
    }

    /// A date or the start of one, as typed: "2019", "2019-0", "2019-07-3"; a month past 12 or a
    /// day past 31 is none.
    static func isDateStart(_ value: String) -> Bool {
        guard value.range(of: #"^\d{1,4}(-(\d{1,2}(-\d{0,2})?)?)?$"#, options: .regularExpression) != nil else { return false }
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count > 1, parts[1].count == 2, !(1...12).contains(Int(parts[1]) ?? 0) { return false }
        if parts.count > 2, parts[2].count == 2, !(1...31).contains(Int(parts[2]) ?? 0) { return false }
        return true
    }

    /// The fields a query takes ("retailer:james", "date:2019"…), each with its value attached.
    public static let fieldNames: Set<String> = ["retailer", "site", "domain", "date", "year", "section", "title", "heading",
                                                 "topic", "topics", "category"]

    /// Whether the query is `retailer:` and `date:` filters alone: nothing to rank.
    public var onlyFilters: Bool {
        match == nil && !(retailers.isEmpty && dates.isEmpty && excludedRetailers.isEmpty && excludedDates.isEmpty)
    }

    /// What to say when `text` finds nothing: a query of filters alone has nothing to rank.
    public static func noMatchNote(_ text: String) -> String {
        let query = SearchQuery(text)
        let quoted = text.contains("\"") ? "'\(text)'" : "\"\(text)\""
        return query.onlyFilters ? (["retailer: and date: narrow a search; add a word to search for (privacy \(text))"] + query.fieldNotes).joined(separator: "; ")
            : query.onlyExcludes ? "NOT and -word leave words out; add a word to search for (privacy \(text))"
            : (["no clause matches " + quoted] + query.fieldNotes).joined(separator: "; ")
    }

    /// The literal reading of `text`: every word, all required. Used if FTS5 still refuses a query.
    public static func literal(_ text: String) -> String? {
        let words = Tokenizer.foldedWords(SourceText.stripControls(String(text.prefix(4_000))))
        return words.isEmpty ? nil : words.map { quote([$0]) }.joined(separator: " AND ")
    }

    static func quote(_ words: [String]) -> String {
        "\"" + words.joined(separator: " ").replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func parenthesesBalance(_ tokens: [Token]) -> Bool {
        var depth = 0
        for t in tokens {
            if t == .open { depth += 1 }
            if t == .close { depth -= 1; if depth < 0 { return false } }
        }
        return depth == 0
    }

    static func lex(_ text: String) -> [Token] {
        var tokens: [Token] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c == "(" { tokens.append(.open); i += 1; continue }
            if c == "-", i + 1 < chars.count, chars[i + 1] == "(" { tokens.append(.not); i += 1; continue }   // -( … )
            if c == "-", i + 1 < chars.count, "\"“”".contains(chars[i + 1]) { tokens.append(.not); i += 1; continue }   // -"a b"
            if c == ")" { tokens.append(.close); i += 1; continue }
            if c == "\"" || c == "“" || c == "”" {
                var j = i + 1
                while j < chars.count, chars[j] != "\"", chars[j] != "”", chars[j] != "“" { j += 1 }
                // An unbalanced quote runs to the end: still a phrase.
                tokens.append(.phrase(Tokenizer.foldedWords(String(chars[(i + 1)..<j]))))
                i = j + 1
                continue
            }
            var j = i
            while j < chars.count, !chars[j].isWhitespace, chars[j] != "(", chars[j] != ")", chars[j] != "\"" { j += 1 }
            var word = String(chars[i..<j])
            i = j
            if word == "OR" || word == "|" || word == "||" { tokens.append(.or); continue }
            if word == "NOT" { tokens.append(.not); continue }
            if word == "AND" || word == "&&" { continue }
            var negated = false
            if word.hasPrefix("-"), word.count > 1 {
                tokens.append(.not)
                word.removeFirst()
                negated = true
            }
            if let colon = word.firstIndex(of: ":"), colon != word.startIndex {
                let name = word[..<colon].lowercased()
                var value = String(word[word.index(after: colon)...])
                // `section:"data security"`: the value is the phrase that follows.
                if value.isEmpty, i < chars.count, chars[i] == "\"" {
                    var k = i + 1
                    while k < chars.count, chars[k] != "\"" { k += 1 }
                    value = String(chars[(i + 1)..<k])
                    i = k + 1
                }
                if Self.fieldNames.contains(name) {
                    if !value.isEmpty { tokens.append(.field(name, value)) } else if negated { tokens.removeLast() }
                    continue
                }
            }
            let prefix = word.hasSuffix("*") && Tokenizer.words(word).count == 1
            tokens.append(.word(word, prefix: prefix))
        }
        return tokens
    }
}
