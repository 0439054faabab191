import Foundation

/// Heuristics over the tokens of a flat page: where the policy starts and ends, and its headings.
struct FlatPageAnalysis {
    let tokens: [String]
    /// Words with surrounding punctuation stripped.
    let bare: [String]

    /// Length of the navigation/footer marker starting at each token (0 when none).
    private(set) var markerLength: [Int]

    /// The site's name as its domain spells it ("1000bulbs" of 1000bulbs.com): a sentence may open with it.
    let siteName: String?

    /// The name the policy gives the company that runs the site, when it is not the domain's ("…
    /// privacy policy infospace, inc. ("infospace") owns and operates …" of webcrawler.com): its
    /// sentences open with it as with the site's name ("infospace collects some anonymous …").
    let companyName: String?

    init(tokens: [String], knowledge: HeadingKnowledge, retailer: Set<String>, siteName: String? = nil) {
        self.siteName = siteName.flatMap { $0.isEmpty ? nil : $0 }
        self.tokens = tokens
        let bare = tokens.map { Self.strip($0) }
        self.bare = bare
        self.companyName = Self.companyName(tokens: tokens, bare: bare, siteName: self.siteName)
        self.knowledge = knowledge
        self.markerLength = tokens.indices.map { Self.marker(at: $0, tokens: tokens, bare: bare) }
        retailerWords = WordSet(retailer)
        self.retailerFirstWords = WordSet(HeadingKnowledge.firstWords(of: retailer))
        // Asked of the same words again and again by the heading rules: worked out once.
        var sentenceEnds = [Bool](repeating: false, count: tokens.count), runEnds = sentenceEnds
        var softBoundaries = sentenceEnds, wordEnds = sentenceEnds
        for (k, t) in tokens.enumerated() {
            if let f = Self.asciiFacts(t) {
                (sentenceEnds[k], runEnds[k], softBoundaries[k], wordEnds[k]) = (f.endsSentence, f.endsRun, f.softBoundary, f.wordEnd)
            } else {
                (sentenceEnds[k], runEnds[k]) = (Self.endsSentence(t), Self.endsRun(t))
                (softBoundaries[k], wordEnds[k]) = (Self.isSoftBoundary(t), Self.endsLikeAWord(t))
            }
        }
        (self.sentenceEnds, self.runEnds, self.softBoundaries, self.wordEnds) = (sentenceEnds, runEnds, softBoundaries, wordEnds)
        retailerPrefixes = retailer.isEmpty ? [] : WordSet(HeadingKnowledge.prefixes(of: retailer))
        // "about" and the site's name ("about smugmug", "about cd baby"): a link of the footer. The
        // name itself, not a word it begins ("about shopping" of shop.example).
        // Those, "·" and "careers" are words of prose as often ("… about shop, please …", a list set
        // with "·", "… our careers page …"): a link of a row only with another link a few words
        // away and no sentence end between.
        var weak: [Int] = []
        for i in tokens.indices {
            if markerLength[i] == 1, tokens[i] == "·" || bare[i] == "careers" { weak.append(i); continue }
            guard markerLength[i] == 0, bare[i] == "about", let n = siteNameLength(at: i + 1),
                  n > 1 || bare[i + 1] == siteName || bare[i + 1].hasPrefix((siteName ?? "") + "."),
                  !tokens[i + n].hasSuffix("'s"), !tokens[i + n].hasSuffix("’s") else { continue }
            markerLength[i] = n + 1
            weak.append(i)
        }
        let weakSet = Set(weak)
        var dropped: [Int] = []
        for i in weak {
            let near = (max(0, i - 6)..<min(tokens.count, i + markerLength[i] + 6)).contains { j in
                guard j < i || j >= i + markerLength[i], markerLength[j] > 0 else { return false }
                let between = j < i ? (j + markerLength[j])..<i : (i + markerLength[i])..<j
                return !between.contains { sentenceEnds[$0] } && (!weakSet.contains(j) || between.count <= 4)
            }
            // "about <site>" followed by words with no punctuation is a link of a row ("company info
            // about cd baby wholesale distribution …"), not "… questions about shop, please …".
            let linkRow = bare[i] == "about" && !(i + markerLength[i] - 1..<min(tokens.count, i + markerLength[i] + 5)).contains {
                tokens[$0].last.map { !$0.isLetter && !$0.isNumber } ?? false
            }
            if !near && !linkRow { dropped.append(i) }
        }
        for i in dropped { markerLength[i] = 0 }
    }

    let knowledge: HeadingKnowledge
    /// The retailer's own headings (`retailer` of `init`).
    private let retailerWords: WordSet
    /// The first word of each of them.
    let retailerFirstWords: WordSet
    private var sentenceEnds: [Bool] = []
    private var runEnds: [Bool] = []
    private var softBoundaries: [Bool] = []
    /// Tokens a known heading may hold (`endsLikeAWord`).
    private var wordEnds: [Bool] = []
    /// Every leading run of words of the retailer's headings.
    private let retailerPrefixes: WordSet

    /// The last byte of `t` when its last Character is that ASCII byte alone (its byte and the
    /// one before are ASCII: nothing combines with it but CR LF, which no token ends in).
    @inline(__always) static func lastASCII(_ t: String) -> UInt8? {
        let u = t.utf8
        guard let last = u.last, last < 0x80 else { return nil }
        return u.count == 1 || u[u.index(u.endIndex, offsetBy: -2)] < 0x80 ? last : nil
    }

    /// A token ending in a letter, digit or apostrophe, not an e-mail address or a link: what
    /// a heading's words are.
    static func endsLikeAWord(_ t: String) -> Bool {
        guard !t.isEmpty else { return true }
        if t.utf8.contains(UInt8(ascii: "@")) || Self.starts(t, with: "http") { return false }
        if let b = lastASCII(t) {
            return (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || (b >= 0x30 && b <= 0x39) || b == 0x27
        }
        guard let last = t.last else { return true }
        return last.isLetter || last.isNumber || last == "'" || last == "’"
    }

    /// `endsSentence`, `endsRun`, `isSoftBoundary` and `endsLikeAWord` of a token of ASCII bytes
    /// (nearly every token), in one pass over them; nil for any other token.
    static func asciiFacts(_ t: String) -> (endsSentence: Bool, endsRun: Bool, softBoundary: Bool, wordEnd: Bool)? {
        let facts = t.utf8.withContiguousStorageIfAvailable { u -> (Bool, Bool, Bool, Bool)? in
            guard let last = u.last else { return nil }
            var at = false, digits = 0, letters = false
            for b in u {
                if b >= 0x80 { return nil }
                if b == 0x40 { at = true } else if b &- 0x30 < 10 { digits &+= 1 } else if (b | 0x20) &- 0x61 < 26 { letters = true }
            }
            @inline(__always) func starts(_ p: StaticString) -> Bool {
                u.count >= p.utf8CodeUnitCount && memcmp(u.baseAddress!, p.utf8Start, p.utf8CodeUnitCount) == 0
            }
            let http = starts("http"), link = at || http || starts("www.")
            // A full stop, question or exclamation mark, maybe inside closing brackets and quotes.
            var end = u.count - 1
            while end > 0, u[end] == 0x29 || u[end] == 0x22 { end -= 1 }
            // An ellipsis ends no sentence (`endsSentence`).
            let ellipsis = end >= 2 && u[end] == 0x2E && u[end - 1] == 0x2E && u[end - 2] == 0x2E
            let sentence = (u[end] == 0x2E && !ellipsis) || u[end] == 0x3F || u[end] == 0x21
            let soft = link || last == 0x2E || last == 0x3F || last == 0x21 || last == 0x3A || last == 0x3B || last == 0x29
                || (digits > 0 && !letters)
            let word = !(at || http) && ((last | 0x20) &- 0x61 < 26 || last &- 0x30 < 10 || last == 0x27)
            return (sentence, link || (digits >= 4 && !letters), soft, word)
        }
        guard let f = facts ?? nil else { return nil }
        return (f.0, f.1, f.2, f.3)
    }

    /// `t.hasPrefix(p)` for the prefixes no other text is canonically equivalent to ("http",
    /// "www.", "-", "•", "©"), by bytes: the per-token rules ask it of every token. Only a
    /// non-ASCII byte after the prefix (it might join the prefix's last Character) asks Characters.
    @inline(__always) static func starts(_ t: String, with p: StaticString) -> Bool {
        let n = p.utf8CodeUnitCount
        let byBytes = t.utf8.withContiguousStorageIfAvailable { u -> Bool? in
            guard u.count >= n, memcmp(u.baseAddress!, p.utf8Start, n) == 0 else { return false }
            return u.count == n || u[n] < 0x80 ? true : nil
        }
        guard let known = byBytes ?? nil else { return t.hasPrefix(p.description) }
        return known
    }

    /// A heading the corpus or the lexicon knows.
    func isKnown(_ key: String) -> Bool { knowledge.known.contains(key) || retailerWords.contains(key) }

    private static let strippable = CharacterSet.punctuationCharacters.union(.symbols).subtracting(CharacterSet(charactersIn: "&"))

    static func strip(_ t: String) -> String {
        // Fast paths: most tokens are plain lower-case words, nearly all the others ASCII, whose
        // punctuation and symbols are every printable byte but letters, digits and "&".
        var plain = true
        for b in t.utf8 {
            if b >= 0x80 { return stripCharacters(t) }
            if !((b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)) { plain = false }
        }
        if plain { return t }
        let u = t.utf8
        var lo = u.startIndex, hi = u.endIndex
        while lo < hi, isStrippableASCII(u[lo]) { lo = u.index(after: lo) }
        while hi > lo, isStrippableASCII(u[u.index(before: hi)]) { hi = u.index(before: hi) }
        return lo == u.startIndex && hi == u.endIndex ? t : String(t[lo..<hi])
    }

    /// `strip` on Characters: any text.
    static func stripCharacters(_ t: String) -> String {
        t.trimmingCharacters(in: strippable).replacingOccurrences(of: "’", with: "'")
    }

    /// An ASCII byte in `strippable`: printable, not a letter, digit or "&".
    @inline(__always) static func isStrippableASCII(_ b: UInt8) -> Bool {
        b >= 0x21 && b <= 0x7E && b != 0x26 && !((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A) && !(b >= 0x30 && b <= 0x39)
    }

    static let functionWords: WordSet = ["we", "you", "your", "our", "the", "is", "to", "of", "and", "a", "that", "this",
                                              "be", "will", "may", "not", "with", "for", "it", "are", "in", "us"]

    // MARK: sentences

    func endsSentence(_ i: Int) -> Bool { sentenceEnds[i] }

    /// A token ending in ".", "?" or "!", maybe inside a closing bracket or quote ("… on our
    /// website.)", "… “spyware.”"). "e.g." and "inc." style abbreviations still end sentences
    /// often enough; numbers do not end in a full stop once tokenised.
    static func endsSentence(_ t: String) -> Bool {
        // Nearly every token ends in an ASCII byte that is not a closing bracket or quote.
        // An ellipsis ends a link ("news & updates more..."), not a sentence, as "…" never does.
        func ellipsis<C: BidirectionalCollection>(_ c: C, dot: C.Element) -> Bool where C.Element: Equatable {
            c.count >= 3 && c.suffix(3).allSatisfy { $0 == dot }
        }
        if let b = t.utf8.last, b < 0x80, b != 0x29, b != 0x22 { return b == 0x2E ? !ellipsis(t.utf8, dot: 0x2E) : b == 0x3F || b == 0x21 }
        var scalars = t.unicodeScalars[...]
        while scalars.count > 1, let last = scalars.last, last == ")" || last == "\"" || last == "\u{201D}" || last == "\u{2019}" {
            scalars = scalars.dropLast()
        }
        guard let last = scalars.last else { return false }
        return last == "." ? !ellipsis(scalars, dot: ".") : last == "?" || last == "!"
    }

    /// Fraction of tokens in `range` that sit in prose sentences (≥ 6 words, mostly function words present).
    /// Two function words at least, one word in eight: a sentence, not a menu ("account manager
    /// and control panel ......", "… shopping cart: 0 items $0.00 live chat …").
    func isProseSentence(_ r: ClosedRange<Int>) -> Bool {
        let n = r.filter { Self.functionWords.contains(bare[$0]) }.count
        return n >= 2 && n * 8 >= r.count
    }

    /// Strictly, a sentence must be `isProseSentence`. A sentence the range ends inside counts
    /// with its words in the range when it ends within a hundred words after it, no marker
    /// between, and reads as prose (a long sentence after a title and a date stamp: "privacy
    /// policy last updated february 20, 2013. … by visiting the … managed domains (including,
    /// …), you acknowledge …").
    func proseScore(_ range: Range<Int>, strict: Bool = false) -> Double {
        guard !range.isEmpty else { return 0 }
        var prose = 0
        var start = range.lowerBound
        let lookAhead = min(tokens.count, range.upperBound + 100)
        for i in range.lowerBound..<lookAhead {
            if i >= range.upperBound, start >= range.upperBound { break }
            let isMarker = footerMarker(at: i) != nil
            if isMarker {
                if i >= range.upperBound { break }
                start = i + 1
                continue
            }
            if endsSentence(i) {
                let len = i - start + 1
                if i >= range.upperBound {
                    // Past the range, a sentence as prose reads: one word in five a function word
                    // (a menu's words run on for a hundred words with an "and" or "our" in them).
                    if (start...i).filter({ Self.functionWords.contains(bare[$0]) }).count * 5 >= len { prose += range.upperBound - start }
                } else if len >= 6, strict ? isProseSentence(start...i)
                    : (start...i).contains(where: { Self.functionWords.contains(bare[$0]) }) {
                    prose += len
                }
                start = i + 1
            }
        }
        return Double(prose) / Double(range.count)
    }

    /// The start of the policy and the end of its title phrase: the first title ("privacy
    /// policy") that is not a link of the navigation, unless the first sustained prose comes
    /// well before it; else that prose.
    func bodyStart() -> (Int, Int) {
        let limit = min(tokens.count, max(1, tokens.count * 7 / 10))
        let prose = firstProse()
        // Prose words and markers from the first prose up to the candidate, counted as the
        // candidates come (one pass, as `proseScore(_:strict: true)` counts them inside its
        // range; it also reads on to the end of the sentence its window ends in).
        var scanned = prose?.start ?? 0, sentence = scanned, proseWords = 0, markers = 0
        for i in 0..<limit where bare[i] == "privacy" {
            guard let end = titleEnd(from: i) else { continue }
            // Thirty words of prose and more before it, with no menu: the policy began there, this
            // is a heading of it.
            if let p = prose, i > p.start {
                while scanned < i {
                    if markerLength[scanned] > 0 {
                        markers += 1
                        sentence = scanned + 1
                    } else if endsSentence(scanned) {
                        if scanned - sentence + 1 >= 6, isProseSentence(sentence...scanned) { proseWords += scanned - sentence + 1 }
                        sentence = scanned + 1
                    }
                    scanned += 1
                }
                // A title with its date stamp a few dozen words on heads the policy itself; the prose
                // before it is the site's slogan and banner ("bandcamp discover amazing new music …
                // we're hiring in customer support. privacy policy effective date: july 20, 2015 …").
                let dated = i - p.start < 60 && end < tokens.count && Self.dateStampOpeners.contains(bare[end])
                if i - p.start >= 30, proseWords * 2 >= i - p.start, markers < 3, !dated { break }
            }
            // Inside a sentence ("… more about our privacy policy below."): not a title.
            // ("log in", "sign in": the navigation's last link, not a preposition.)
            if i > 0, Self.continuation.contains(bare[i - 1]), !endsSentence(i - 1),
               !(i > 1 && bare[i - 1] == "in" && (bare[i - 2] == "log" || bare[i - 2] == "sign")) { continue }
            // After another policy's name ("… cookie policy privacy policy (including gdpr) terms of
            // service"): a link of a list of the site's policies.
            if i > 1, bare[i - 1] == "policy", bare[i - 2] != "privacy", !endsSentence(i - 1) { continue }
            // Before another policy's name ("… highlights privacy policy cookie policy text
            // messaging …"): a link of a list of the site's policies too.
            if end + 1 < tokens.count, bare[end + 1] == "policy", bare[end] != "privacy", !Self.functionWords.contains(bare[end]),
               !endsSentence(end) { continue }
            // Repeated ("privacy policy privacy policy thank you …"), also across a few words of
            // the page that are no sentence ("privacy policy advertisement customize advertisement
            // customize livejournal privacy policy information you …"): the last one is the title.
            // A version or date stamp between belongs to the first ("privacy policy statement
            // version 1.0 (february 2, 2009) website privacy policy this website …").
            if let k = (end..<min(tokens.count, end + 9)).first(where: { bare[$0] == "privacy" }), titleEnd(from: k) != nil,
               !(end..<k).contains(where: { Self.functionWords.contains(bare[$0]) || endsSentence($0)
                   || tokens[$0].contains(where: \.isNumber) || Self.dateStampOpeners.contains(bare[$0]) || bare[$0] == "version" }) { continue }
            // A link of the navigation: a marker follows before a sentence ends.
            if navigationFollows(end) { continue }
            if proseScore(end..<min(tokens.count, end + 100)) >= 0.5 { return (i, end) }
        }
        if let p = prose { return (p.start, p.start) }
        return (0, 0)
    }

    /// Whether a footer or navigation marker comes within thirty words after `i`, before a sentence
    /// ends. Link texts that end in a question or full stop ("… technical help online accounts
    /// member benefits forgot your password?") are no sentence: one word in four at least is a
    /// function word in a sentence.
    private func navigationFollows(_ i: Int) -> Bool {
        var start = i
        for k in i..<min(tokens.count, i + 30) {
            if footerMarker(at: k) != nil { return true }
            if endsSentence(k) {
                if (start...k).filter({ Self.functionWords.contains(bare[$0]) }).count * 4 >= k - start + 1 { return false }
                start = k + 1
            }
        }
        return false
    }

    /// Where the first sustained prose starts, and where its first sentence ends: a sentence of
    /// six words or more with words of prose in it ("the", "we"...), after the last marker of the
    /// navigation inside it, that opens a hundred words mostly of prose. One that runs on from
    /// the navigation ("… bridal wedding planner design your own wish lists at shaneco.com, we
    /// are committed …", "… | contact us shopaarons.com is committed …") starts at its first
    /// word that opens a policy ("at shaneco.com", "1.", "this", "we", "thank", the site's name);
    /// with none, the next sentence is asked.
    private func firstProse() -> (start: Int, sentenceEnd: Int)? {
        var start = 0, previous = 0
        var runOn: (start: Int, sentenceEnd: Int)?
        for i in 0..<tokens.count where endsSentence(i) && !Self.isDottedAbbreviation(tokens[i]) && !Self.isSectionNumber(tokens[i]) {
            defer { previous = start; start = i + 1 }
            var s = start
            var k = start
            while k <= i {
                if let m = footerMarker(at: k) { k += m; s = k } else { k += 1 }
            }
            guard i - s >= 6, isProseSentence(s...i),
                  proseScore(s..<min(tokens.count, s + 150), strict: true) >= 0.5 else { continue }
            guard s > start || i - s + 1 > 25 else {
                // A short statement of the policy right before it, with few function words, opens it
                // ("… try a search! we don't collect or share personal information. that's our privacy
                // policy in a nutshell. …"): "we" or "this", a word a policy is about, no marker.
                let before = previous..<start
                if s == start, (5...15).contains(before.count), Self.policyOpeners.contains(bare[previous]),
                   before.contains(where: { Self.policyTerms.contains(bare[$0]) }), !before.contains(where: { markerLength[$0] > 0 }) {
                    return (previous, i)
                }
                return (s, i)
            }
            // "at shaneco.com, we …", then "1.", then "this", "we", "thank", then "shopaarons.com is …".
            let range = s..<(i - 5)
            if let k = range.first(where: { ["at", "on"].contains(bare[$0]) && siteNameLength(at: $0 + 1) != nil }) { return (k, i) }
            // "… | feedback forum 1. protecting your privacy we do not …": the first numbered section.
            if let k = range.first(where: { tokens[$0] == "1." }) { return (k, i) }
            if let k = range.first(where: { Self.policyOpeners.contains(bare[$0]) }) { return (k, i) }
            if let k = range.first(where: siteOpensSentence) { return (k, i) }
            // Else after the navigation's last break, a colon or contact details ("… how to reach us
            // by phone: 800 901 9291 by email: email contact form the site … is owned and operated
            // by …"), when what follows reads as prose: one word in five a function word, three
            // different ones at least (a menu repeats one: "gifts for moms … gifts for him …").
            if let b = range.last(where: { tokens[$0].hasSuffix(":") || isContactDetail($0) }), i - b >= 6 {
                let function = (b + 1...i).map { bare[$0] }.filter { Self.functionWords.contains($0) }
                if function.count * 5 >= i - b, Set(function).count >= 3 { return (b + 1, i) }
            }
            // None: words of the navigation that end like a sentence ("… about etoys etoys uk
            // canadian services … e-mail us if you would like to talk to us …, please call …"); the
            // prose starts further on, or here if none does.
            // A run-on that reads as prose all through, from its first words on, is the policy's
            // first sentence ("your privacy matters to all of us, and the following statement …
            // describes what …"), not menu words that run into one ("etoys uk canadian services …
            // e-mail us if you would like to talk to us …").
            let function = (s...i).map { bare[$0] }.filter { Self.functionWords.contains($0) }
            let opening = (s..<min(i, s + 8)).filter { Self.functionWords.contains(bare[$0]) }.count
            if function.count * 4 >= i - s + 1, Set(function).count >= 4, opening >= 2 { return (s, i) }
            if runOn == nil { runOn = (s, i) }
        }
        return runOn
    }

    /// "1.", "12.": a section's number, which opens a sentence rather than ending one.
    static func isSectionNumber(_ t: String) -> Bool {
        t.count >= 2 && t.count <= 3 && t.last == "." && t.dropLast().allSatisfy(\.isASCII) && t.dropLast().allSatisfy(\.isNumber)
    }

    /// "u.s.a.", "e.g.": letters each followed by a full stop, which do not end a sentence.
    static func isDottedAbbreviation(_ t: String) -> Bool {
        let chars = Array(t)
        guard chars.count >= 4, chars.count % 2 == 0 else { return false }
        return stride(from: 0, to: chars.count, by: 2).allSatisfy { chars[$0].isLetter && chars[$0 + 1] == "." }
    }

    /// The site's name as the subject of a verb at `k` ("shopaarons.com is committed"). A word in
    /// "s" is a verb when what follows it is its object or clause ("etoys respects your privacy",
    /// "threadless.com recognizes that …"), not a noun of a menu ("thinkgeek exclusives gifts for
    /// him", "etoys etoys uk"). After a preposition it is the object of one ("if you shop
    /// through landsend.com, or if …"), in the middle of a sentence.
    private func siteOpensSentence(_ k: Int) -> Bool {
        guard let n = siteNameLength(at: k), k + n < tokens.count else { return false }
        if k > 0, Self.prepositions.contains(bare[k - 1]), !endsSentence(k - 1) { return false }
        let next = bare[k + n]
        if Self.verbsAfter.contains(next) { return true }
        guard next.hasSuffix("s"), !next.hasSuffix("'s"), siteNameLength(at: k + n) == nil, k + n + 1 < tokens.count else { return false }
        let after = bare[k + n + 1]
        return Self.functionWords.contains(after) || Self.continuation.contains(after) || Self.determiners.contains(after)
    }

    private static let policyOpeners: WordSet = ["this", "we", "thank", "welcome"]

    /// Words a date stamp opens with after a title ("effective date:", "last updated", "revised").
    private static let dateStampOpeners: WordSet = ["effective", "last", "updated", "revised"]

    /// Words whose object the site's name can be, and that a lead-in to an object ends with ("… to:").
    private static let prepositions: WordSet = ["through", "at", "on", "to", "from", "by", "with", "of", "in", "for", "via"]

    private static let titleHeads: WordSet = ["policy", "statement", "notice", "security", "policies"]
    private static let titleJoiners: WordSet = ["and", "&", "usage", "security", "cookie", "cookies", "online"]

    /// "privacy policy", "privacy & usage policy", "privacy statement": index after the phrase.
    func titleEnd(from i: Int) -> Int? {
        var j = i + 1
        while j < tokens.count, j <= i + 3 {
            if Self.titleHeads.contains(bare[j]) {
                // Take "privacy and security policy" whole.
                if j + 1 < tokens.count, bare[j] == "security", Self.titleHeads.contains(bare[j + 1]) { return j + 2 }
                // "… (click here for information on sears' privacy policy), any …": a sentence's.
                if tokens[j].hasSuffix(".") || tokens[j].hasSuffix(")") || tokens[j].hasSuffix("),") { return nil }
                return j + 1
            }
            guard Self.titleJoiners.contains(bare[j]) else { return nil }
            j += 1
        }
        return nil
    }

    // MARK: footer

    private static let markers: [[String]] = [
        ["|"], ["©"], ["copyright"], ["all", "rights", "reserved"], ["about", "us"], ["sign", "up", "for"],
        ["sign", "in"], ["follow", "us"], ["connect", "with", "us"], ["join", "our"], ["join", "the", "club"],
        ["free", "catalog"], ["track", "your", "order"], ["order", "history"], ["shopping", "bag"], ["shopping", "cart"],
        ["my", "account"], ["wish", "list"], ["wishlist"], ["site", "map"], ["sitemap"], ["faq"], ["gift", "cards"],
        ["store", "locator"], ["newsletter"], ["back", "to", "top"], ["return", "to", "top"], ["live", "chat"], ["order", "now"],
        ["·"], ["careers"],
    ]

    private static let markersByFirstWord: [String: [[String]]] = Dictionary(grouping: markers, by: { $0[0] })

    private static let markerFirstWords = WordSet(markersByFirstWord.keys)

    private static func marker(at i: Int, tokens: [String], bare: [String]) -> Int {
        if Self.starts(tokens[i], with: "©") { return 1 }
        // The separators of a row of links, which `strip` leaves empty.
        let separator = tokens[i] == "|" || tokens[i] == "·"
        let first = separator ? tokens[i] : bare[i]
        guard markerFirstWords.contains(first), let candidates = markersByFirstWord[first] else { return 0 }
        for m in candidates where i + m.count <= tokens.count {
            if m == ["|"] || m == ["·"] { if separator { return 1 } else { continue } }
            if (0..<m.count).allSatisfy({ bare[i + $0] == m[$0] }) { return m.count }
        }
        return 0
    }

    /// Length of the footer/navigation marker starting at `i`, if one does.
    func footerMarker(at i: Int) -> Int? {
        markerLength[i] > 0 ? markerLength[i] : nil
    }

    /// Where the footer begins: the first marker after which fewer than two prose sentences
    /// follow, or the first run between two sentence ends that holds two markers (a menu, a
    /// footer), whichever comes first. A run's contact details before its first marker (an
    /// e-mail address, a postcode) stay with the policy; a few words between the policy's last
    /// sentence and a marker ("email specials & promos sign up for …") go with the footer.
    func bodyEnd(from start: Int) -> Int {
        let from = start + (tokens.count - start) * 3 / 10
        guard from < tokens.count else { return tokens.count }
        // One pass: the start of every prose sentence (markers break sentences).
        var proseStarts: [Int] = []
        var s = from
        for k in from..<tokens.count {
            if footerMarker(at: k) != nil { s = k + 1; continue }
            if endsSentence(k) {
                if k - s + 1 >= 8, (s...k).contains(where: { Self.functionWords.contains(bare[$0]) }) { proseStarts.append(s) }
                s = k + 1
            }
        }
        var end = tokens.count
        var next = 0   // first prose sentence starting after the marker under test
        for i in from..<tokens.count where footerMarker(at: i) != nil {
            while next < proseStarts.count, proseStarts[next] <= i { next += 1 }
            if proseStarts.count - next < 2 { end = i; break }
        }
        // The first run of two markers.
        var runStart = from, firstMarker = -1
        var k = from
        while k < tokens.count, runStart < end {
            if let m = footerMarker(at: k) {
                // Two different markers with little prose between them: a menu.
                if firstMarker >= 0, bare[firstMarker] != bare[k],
                   (firstMarker..<k).filter({ Self.functionWords.contains(bare[$0]) }).count * 5 < k - firstMarker + 1 {
                    // Prose that asks to be contacted before the first marker is the policy's last
                    // words, ending in its address ("… you may contact us … by postal mail at: …,
                    // costa rica © 2010 …"), not the site's ("… devoted to religious tolerance …").
                    let contact = firstMarker - runStart >= 8 && isProseSentence(runStart...(firstMarker - 1))
                        && (runStart..<firstMarker).contains { bare[$0] == "contact" || bare[$0] == "write" }
                    var cut = contact ? firstMarker : runStart
                    for c in cut..<firstMarker where tokens[c].contains(Character("@"))
                        || (tokens[c].filter(\.isNumber).count >= 4 && !tokens[c].contains(where: { $0.isLetter })) {
                        cut = c + 1
                    }
                    end = min(end, cut)
                    break
                }
                if firstMarker < 0 { firstMarker = k }
                k += m
                continue
            }
            if endsSentence(k) { runStart = k + 1; firstMarker = -1 }
            k += 1
        }
        // A run of twenty words or more between two sentence ends, a quarter of them the site's name,
        // with few function words and no commas, is its menu ("woot electronics.woot computers.woot
        // home.woot … what is woot?"): the footer starts there, with the legal notice in prose after
        // it. (A list of the company's trademarks has its commas: "fifty four fossil, fossil logo, …".)
        if let site = siteName {
            var s = from
            for k in from..<end where endsSentence(k) || tokens[k].hasSuffix("?") {
                defer { s = k + 1 }
                let run = s...k
                guard run.count >= 20 else { continue }
                let named = run.filter { bare[$0].contains(site) }.count
                let function = run.filter { Self.functionWords.contains(bare[$0]) }.count
                let commas = run.filter { tokens[$0].hasSuffix(",") || tokens[$0].hasSuffix(";") }.count
                if named * 4 >= run.count, function * 6 < run.count, commas * 10 < run.count { end = s; break }
            }
        }
        // A run of forty words or more between two sentence ends with hardly a function word and
        // few commas is a sidebar's or a footer's link texts ("… customer support. community all
        // latest create account farkback headline search press/publicity fark tv fark book …"),
        // when what follows it to the end is not about privacy either (a word a policy is about in
        // forty at most). A list (its commas), a run the body ends with (nothing after it to judge)
        // and a list inside the policy, the policy going on after it, are passed over.
        var runFrom = from
        var policyWordsAfter = [Int](repeating: 0, count: end - from + 1)   // from k to the end
        if end > from { for k in stride(from: end - 1, through: from, by: -1) { policyWordsAfter[k - from] = policyWordsAfter[k - from + 1] + (Self.policyTerms.contains(bare[k]) ? 1 : 0) } }
        for k in from..<end where endsSentence(k) {
            defer { runFrom = k + 1 }
            let run = runFrom...k
            guard run.count >= 40, end - k - 1 >= 10 else { continue }
            var function = 0, commas = 0
            for i in run {
                if Self.functionWords.contains(bare[i]) { function += 1 }
                if tokens[i].hasSuffix(",") || tokens[i].hasSuffix(";") { commas += 1 }
            }
            guard function * 10 < run.count, commas * 10 < run.count else { continue }
            if policyWordsAfter[k + 1 - from] * 40 <= end - k - 1 { end = runFrom; break }
        }
        // A few words between the policy's last sentence and the marker are the footer's.
        if end < tokens.count, footerMarker(at: end) != nil {
            var last = end - 1
            while last >= from, !endsSentence(last), end - last <= 7 { last -= 1 }
            if last >= from, endsSentence(last), end - last - 1 <= 6,
               !(last + 1..<end).contains(where: { tokens[$0].contains(where: { $0.isNumber || $0 == "@" || $0 == ":" }) }) {
                end = last + 1
            }
        }
        // Then, from the end back, pieces of the shop's, not of the policy (pieces end at a sentence
        // end or at contact details: an e-mail address, a link, a long number): a short sentence
        // right before the footer with no word a policy is about and no number ("thirty day money
        // back guarantee online or in a store near you."), or four words or more that are no
        // sentence ("… $699.00 buy visit our showroom …", "update: dec 06, '07 update: …"). The
        // policy's contact details stop it, unless they are the shop's help line (`helpLine`).
        while end - 1 > from {
            if isContactDetail(end - 1) {
                guard let line = helpLine(before: end, from: from) else { break }
                end = line
                continue
            }
            var s = end - 1
            while s > from, !endsSentence(s - 1), !isContactDetail(s - 1) { s -= 1 }
            let piece = s..<end
            // A statement whose subject is the reader or the site is the policy's ("you'll also
            // find our phone number at the top of this page."; not "you know they'll love it!"
            // nor "we ship worldwide.").
            let shopSentence = end < tokens.count && endsSentence(end - 1) && !(s > 0 && isContactDetail(s - 1)) && piece.count <= 15
                && !piece.contains(where: { Self.policyTerms.contains(bare[$0]) })
                && !piece.contains(where: { tokens[$0].contains(where: { $0.isNumber || $0 == "@" }) })
                && !(Self.subjects.contains(bare[s]) && tokens[end - 1].hasSuffix(".") && piece.count >= 8)
            // At the page's very end, only among a shop's pieces (prices in or before it: "… $699.00
            // buy …"); an address or a list that ends the policy is no sentence either.
            // A condition with its subject opens a sentence, however few function words it has ("if
            // you have any questions or concerns, please submit feedback.").
            // So does one after its section's heading, in the policy's words ("comments and
            // questions if you have any questions, …, contact us … by postal mail at: <address>";
            // not "free shipping when you spend $50").
            let conditionAt = (s..<min(end - 1, s + 6)).first { ["if", "when", "should"].contains(bare[$0]) && ["you", "we"].contains(bare[$0 + 1]) }
            let condition = conditionAt.map { $0 == s || piece.contains(where: { Self.policyTerms.contains(bare[$0]) }) } ?? false
            let notProse = piece.count >= 4 && !isProseSentence(s...(end - 1)) && !condition
                && (end < tokens.count || (max(from, s - 40)..<end).contains { Self.isPrice(tokens[$0]) })
            // Words that run into the footer with no sentence end, no word a policy is about and no
            // number ("you can view current and archived versions here: select a version …").
            let leadIn = end < tokens.count && footerMarker(at: end) != nil && !endsSentence(end - 1) && piece.count <= 20
                && !piece.contains(where: { Self.policyTerms.contains(bare[$0]) })
                && !piece.contains(where: { tokens[$0].contains(where: { $0.isNumber || $0 == "@" }) })
            // At the page's very end, a long run of words with no punctuation, no number and no
            // sentence end: the link texts of a footer with no marker ("… get in touch. about pricing
            // apps getting started developers community forum our team news contact spread the word …").
            let linkRun = end == tokens.count && piece.count >= 12 && !isProseSentence(s...(end - 1))
                && !piece.contains(where: { k in tokens[k].contains(where: { $0.isNumber }) || tokens[k].last.map { !$0.isLetter } ?? true })
            // An entry of the policy's change log, after its date ("… february 20, 2017: removed
            // third-party analytics. february 28, 2017: added eu and international-transfer
            // sections."): a date's year with a colon before it and another in the forty words before.
            let logEntry = s > from && Self.isYearLead(tokens[s - 1])
                && (max(from, s - 41)..<(s - 1)).contains { Self.isYearLead(tokens[$0]) }
            guard shopSentence || notProse || leadIn || linkRun, !logEntry else { break }
            end = s
        }
        return end
    }

    /// The start of the shop's help line that ends at `end` with contact details: a short question
    /// with no function word and no word a policy is about, then up to twenty words of numbers
    /// and addresses ("… email: https://… need acme help? email us or call us any time (877)
    /// 815-1531 (toll free) or +1 (415) 395-4225"). A policy asks its readers in sentences
    /// ("if you have questions, …") or with its own words ("questions? call …").
    private func helpLine(before end: Int, from: Int) -> Int? {
        var s = end - 1
        while s > from, !endsSentence(s - 1) { s -= 1 }
        guard end - s <= 20, s - 1 > from, tokens[s - 1].hasSuffix("?") else { return nil }
        var q = s - 1
        while q > from, !endsSentence(q - 1), !isContactDetail(q - 1) { q -= 1 }
        let question = q..<s
        guard question.count <= 4, !question.contains(where: { Self.functionWords.contains(bare[$0]) || Self.policyTerms.contains(bare[$0]) })
        else { return nil }
        return q
    }

    /// The reader and the site as a sentence's subject.
    static let subjects: WordSet = ["you", "you'll", "you're", "you've", "we", "we'll", "we're", "we've"]

    /// "2017:": a year that leads the words after it.
    static func isYearLead(_ t: String) -> Bool {
        t.count == 5 && t.hasSuffix(":") && t.dropLast().allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// "$699.00", "£5": a price.
    static func isPrice(_ t: String) -> Bool {
        guard let first = t.first, first == "$" || first == "€" || first == "£" else { return false }
        return t.dropFirst().first?.isNumber == true
    }

    /// Contact details that end a run of text: an e-mail address, a link, a number of four digits
    /// or more (a postcode, a phone number, a year), not a price ("$699.00").
    private func isContactDetail(_ i: Int) -> Bool {
        endsRun(i) && !tokens[i].contains(where: { $0 == "$" || $0 == "€" || $0 == "£" })
    }

    /// Words a sentence of a privacy policy is about.
    private static let policyTerms: WordSet = [
        "information", "privacy", "personal", "data", "policy", "cookie", "cookies", "collect", "collected", "use",
        "used", "share", "shared", "third", "email", "e-mail", "site", "website", "web", "address", "questions",
        "contact", "statement", "notice", "practices", "consent", "changes", "terms", "law", "rights", "reserved",
    ]

    // MARK: headings

    private static let notHeadingList = [
        "last updated", "last revision", "last revised", "last modified", "effective date", "updated", "note", "email",
        "e-mail", "phone", "telephone", "fax", "tel", "address", "attn", "website", "web site", "url", "for example",
        "example", "i.e", "e.g", "such as", "include", "includes", "including", "following", "as follows",
        "by e-mail", "by email", "by phone", "by telephone", "by mail", "by fax", "by post", "please note", "important note",
    ]
    private static let notHeadings = WordSet(notHeadingList)
    /// Those of more than one word, which no phrase may end with either.
    private static let notHeadingEndings = notHeadingList.filter { $0.contains(Character(" ")) }.map { " " + $0 }
    private static let verbsAfter: WordSet = [
        "are", "is", "was", "were", "may", "will", "can", "could", "should", "must", "do", "does", "did", "have", "has",
        "had", "allow", "allows", "help", "helps", "contain", "contains", "enable", "enables", "let", "lets", "be", "that",
        "which", "of", "and", "or", "to", "on", "for", "with", "from", "about", "used", "collected", "uses", "use",
        "provides", "provide", "collects", "collect", "serves", "offers", "means", "refers", "includes", "requires",
        // adverbs between a subject and its verb: "pixel tags also enable us …"
        "also", "only", "generally", "typically", "usually", "never", "often", "sometimes", "automatically", "currently",
        "cannot", "might", "would", "shall", "need", "needs",
    ]
    /// Last words that make a colon phrase a lead-in to a list, not a heading ("… collected are:").
    private static let leadInEndings: WordSet = [
        "are", "is", "include", "includes", "including", "following", "follows", "below", "as", "such", "were", "be",
        "to", "of", "the", "and", "or", "by", "was", "contain", "contains", "with", "for", "at", "via", "on", "in", "from",
        "when", "where", "that", "if", "because", "attn", "attention",
    ]
    /// Words that can open the first sentence after a one-word heading in running text ("tell-a-friend if you …").
    private static let strongStarterList = [
        "a", "an", "the", "we", "if", "our", "this", "you", "your", "no", "when", "please", "it", "these", "there",
        "all", "any", "each", "some", "most", "in",
    ]
    private static let strongStarters = WordSet(strongStarterList)
    /// One word opening a sentence alone: a strong starter, "in" excepted.
    private static let strongStartersButIn = WordSet(strongStarterList.filter { $0 != "in" })
    private static let continuation: WordSet = [
        "a", "an", "the", "of", "to", "in", "on", "for", "with", "by", "from", "at", "as", "and", "or", "nor", "but", "our",
        "your", "their", "its", "his", "her", "my", "this", "that", "these", "those", "use", "uses", "using", "used",
        "about", "regarding", "concerning", "under", "over", "into", "through", "such", "any", "all", "some", "no", "not", "more", "other",
        "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "disable", "disallow", "accept", "block",
        "delete", "enable", "reject", "allow", "set", "place", "store", "decline", "refuse", "remove", "without", "within", "than", "via", "per", "each",
        "every", "both", "either", "neither", "own", "certain", "what", "which", "how", "why", "when", "where", "who", "whom",
        "we", "you", "they", "it", "i", "can", "may", "will", "would", "should", "must", "could", "also", "only",
        "please",   // "please contact us at: …" is a request, not the heading "contact us"
    ]
    private static let starters: WordSet = [
        "a", "an", "the", "we", "if", "our", "this", "you", "your", "no", "when", "please", "it", "these", "there",
        "all", "any", "each", "some", "most", "unless", "while", "where", "because", "since", "although", "i",
    ]

    /// A token that ends a run of text the way a sentence end does: an e-mail, URL, number, or bullet.
    func isSoftBoundary(_ i: Int) -> Bool { softBoundaries[i] }

    static func isSoftBoundary(_ t: String) -> Bool {
        if t.utf8.contains(UInt8(ascii: "@")) || Self.starts(t, with: "http") || Self.starts(t, with: "www.") || t == "•" { return true }
        if let b = lastASCII(t) {
            if b == 0x2E || b == 0x3F || b == 0x21 || b == 0x3A || b == 0x3B || b == 0x29 { return true }
        } else if let last = t.last, ".?!:;)".contains(last) { return true }
        let (digits, letters) = digitsAndLetters(t)
        return digits > 0 && !letters
    }

    /// A token after which a heading can stand although no sentence ended: an e-mail address, a
    /// link, a number of four digits or more (a postcode, a phone number, a year).
    func endsRun(_ i: Int) -> Bool { runEnds[i] }

    static func endsRun(_ t: String) -> Bool {
        if t.utf8.contains(UInt8(ascii: "@")) || Self.starts(t, with: "http") || Self.starts(t, with: "www.") { return true }
        let (digits, letters) = digitsAndLetters(t)
        return digits >= 4 && !letters
    }

    /// The digits of `t` and whether it has a letter: on its bytes when it is ASCII (nearly
    /// every token), else on its characters.
    static func digitsAndLetters(_ t: String) -> (Int, Bool) {
        let ascii = t.utf8.withContiguousStorageIfAvailable { u -> (Int, Bool)? in
            var digits = 0, letters = false
            for b in u {
                if b >= 0x80 { return nil }
                if b >= 0x30 && b <= 0x39 { digits += 1 } else if (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A { letters = true }
            }
            return (digits, letters)
        }
        if let counted = ascii ?? nil { return counted }
        guard t.utf8.allSatisfy({ $0 < 0x80 }) else {
            return (t.filter(\.isNumber).count, t.contains(where: { $0.isLetter }))
        }
        var digits = 0, letters = false
        for b in t.utf8 {
            if b >= 0x30 && b <= 0x39 { digits += 1 } else if (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A { letters = true }
        }
        return (digits, letters)
    }

    /// Token ranges of inferred headings inside `range`, in order.
    func headings(in range: Range<Int>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var boundary = range.lowerBound     // first token after the last hard boundary
        var i = range.lowerBound
        let maxLen = 8
        let numbering = numberingValues(in: range)
        let contents = tableOfContents(in: range)
        while i < range.upperBound {
            // The table of contents is a map of the headings, not text with headings of its own.
            if let zone = contents.zone, zone.contains(i) {
                i = zone.upperBound
                boundary = i
                continue
            }
            // "return to top", "back to top": a break, never part of a heading.
            if markerLength[i] == 3, bare[i + 2] == "top" {
                i += 3
                boundary = i
                continue
            }
            // A phrase with a link beside it, "[top]" or "(read more)": a heading ("information we
            // may collect (read more) we may …", "search leakage [top] at other …").
            // A date's year before it stays with the date ("last updated: february 3, 2009 information …").
            let phraseStart = i > range.lowerBound && i + 1 < range.upperBound && tokens[i - 1].hasSuffix(",")
                && tokens[i].count == 4 && tokens[i].allSatisfy(\.isNumber) ? i + 1 : i
            // A known heading right before the link needs no break before it: the page lost the
            // full stop before it ("… by logging into that account security (read more) we take …").
            if i == boundary || (i > range.lowerBound && isSoftBoundary(i - 1)) || phraseStart > i
                || knownHeading(at: i, upTo: range.upperBound).map({
                    !$0.learnedOnly && Self.linkLength(at: i + $0.length, tokens: tokens, bare: bare) != nil }) == true,
               let k = headingLink(after: phraseStart, upTo: range.upperBound) {
                i = phraseStart
                // A heading over its subheading that repeats its word: "information | information not collected [top]".
                if k - i >= 3, bare[i] == bare[i + 1] { out.append(i..<(i + 1)); out.append((i + 1)..<k) } else { out.append(i..<k) }
                let after = k + (Self.linkLength(at: k, tokens: tokens, bare: bare) ?? 1)
                boundary = after
                i = after
                continue
            }
            // A phrase the table of contents lists, where a section can start: a heading.
            if let len = contents.headings[i] {
                out.append(i..<(i + len))
                boundary = i + len
                i += len
                continue
            }
            // A lone colon or dash right after a heading belongs to it ("service providers : we …"):
            // left alone it became a heading of its own, with no title, and the real one was dropped.
            if let last = out.last, last.upperBound == i, i + 1 < range.upperBound,
               tokens[i].allSatisfy({ $0 == ":" || $0 == "-" || $0 == "–" || $0 == "—" }) {
                out[out.count - 1] = last.lowerBound..<(i + 1)
                boundary = i + 1
                i += 1
                continue
            }
            // Question headings, FAQ style: "how is my information used? we use it to …".
            // Standing after words of the page with no stop ("… e-mail print why a privacy policy?
            // network solutions respects …"), a question opening with a question word is one too
            // when a sentence follows it, unless a sentence or list holds it ("… and why?").
            let afterBreak = i == boundary || (i > range.lowerBound && isSoftBoundary(i - 1))
            if afterBreak || (i > range.lowerBound && Self.questionWords.contains(bare[i])
                              && !Self.continuation.contains(bare[i - 1]) && tokens[i - 1].last?.isLetter == true),
               let end = questionEnd(from: i, upTo: range.upperBound), afterBreak || opensSentence(end + 1) {
                var last = end
                var asked = 1
                // "what are cookies? does angara.com use cookies?": one heading. A question that
                // repeats the run's first one ends it.
                let first = Array(bare[i...end])
                while let more = questionEnd(from: last + 1, upTo: range.upperBound),
                      Array(bare[(last + 1)...more]) != first {
                    last = more
                    asked += 1
                }
                // Three questions or more, then the first again: a table of contents, then its
                // first heading ("what does this policy cover? what … collect? … what does this
                // policy cover? this policy covers …").
                if asked >= 3, last + 1 < range.upperBound, let again = questionEnd(from: last + 1, upTo: range.upperBound),
                   Array(bare[(last + 1)...again]) == first {
                    boundary = last + 1
                    i = last + 1
                    continue
                }
                out.append(i..<(last + 1))
                boundary = last + 1
                i = last + 1
                continue
            }
            // A heading word asked alone: "questions? our founder …".
            if i == boundary, i > range.lowerBound, i + 1 < range.upperBound, tokens[i].hasSuffix("?"), isHeadingWord(i),
               Self.looksLikeNoun(bare[i]), opensSentence(i + 1) {
                out.append(i..<(i + 1))
                boundary = i + 1
                i += 1
                continue
            }
            // Colon headings: "our commitment to privacy:".
            if tokens[i].hasSuffix(":"), !Self.starts(tokens[i], with: "http"), i + 1 < range.upperBound {
                let phrase = boundary...i
                let key = HeadingLexicon.key(phrase.map { tokens[$0] }.joined(separator: " "))
                let lastWord = key.split(separator: " ").last.map(String.init) ?? ""
                // A sentence (with its auxiliary) that leads in to a list is not one either: "this
                // privacy statement is split into two sections:"; a question is ("how you can …:").
                if phrase.count <= 10, isHeadingLike(phrase), !Self.notHeadings.contains(key),
                   !Self.phraseSubjects.contains(bare[boundary]), siteNameLength(at: boundary) == nil,
                   // Nor a clause ("if you connect a twitter account:", "cookies also help us:").
                   !Self.clauseOpeners.contains(bare[boundary]), bare[boundary] != "if", bare[boundary] != "when",
                   !phrase.contains(where: { bare[$0] == "also" }),
                   Self.interrogatives.contains(bare[boundary]) || !phrase.dropFirst().contains(where: { Self.auxiliaries.contains(bare[$0]) }),
                   !phrase.contains(where: { Self.phraseVerbs.contains(bare[$0]) }),
                   !Self.leadInEndings.contains(lastWord),
                   !Self.notHeadingEndings.contains(where: { key.hasSuffix($0) }) {
                    out.append(boundary..<(i + 1))
                    boundary = i + 1
                    i += 1
                    continue
                }
                // A long run: a known heading at its end ("… on this page how to contact us:").
                var found = false
                for len in stride(from: min(maxLen, i - boundary + 1), through: 1, by: -1) {
                    let s = i - len + 1
                    let k = HeadingLexicon.key((s...i).map { tokens[$0] }.joined(separator: " "))
                    // Not a list item's label ("• google analytics: this website uses …").
                    if (len >= 2 || retailerWords.contains(k)) && isKnown(k) && s > boundary && isHeadingLike(s...i)
                        && !Self.continuation.contains(bare[s - 1]) && !Self.isBullet(tokens[s - 1]) {
                        out.append(s..<(i + 1))
                        found = true
                        break
                    }
                }
                boundary = i + 1
                i += 1
                if found { continue }
                continue
            }
            // A numbered heading, where the page numbers its headings in order: "3. sharing of
            // personal information we share …", "5. age."
            if i > range.lowerBound, i + 1 < range.upperBound, i == boundary || endsRun(i - 1),
               let n = Self.numberingValue(tokens[i]), numbering.contains(n - 1) || numbering.contains(n + 1),
               let len = questionEnd(from: i + 1, upTo: range.upperBound).map({ $0 - i })
                   ?? phraseHeading(at: i + 1, upTo: range.upperBound, numbered: true) {
                out.append(i..<(i + 1 + len))
                boundary = i + 1 + len
                i += 1 + len
                continue
            }
            // The site's name over the policy's title, between two sentences: "shades of light -
            // privacy policy shades of light is firmly committed …".
            if i > range.lowerBound, i == boundary, let n = siteNameLength(at: i) {
                var j = i + n
                if j < range.upperBound, Self.joiners.contains(tokens[j]) { j += 1 }
                if j < range.upperBound, bare[j] == "privacy", let end = titleEnd(from: j), end < range.upperBound,
                   opensSentence(end) {
                    out.append(i..<end)
                    boundary = end
                    i = end
                    continue
                }
            }
            // A phrase of heading words between two sentences: "information sharing and disclosure we share …".
            if i > range.lowerBound, i == boundary || endsRun(i - 1), !followsLeadIn(i), let len = phraseHeading(at: i, upTo: range.upperBound),
               knownHeading(at: i, upTo: range.upperBound).map({ $0.length <= len
                   && (!opensSentence(i + $0.length) || Self.continuation.contains(bare[i + $0.length])) }) ?? true {
                out.append(i..<(i + len))
                boundary = i + len
                i += len
                continue
            }
            // Headings with no punctuation: "tell-a-friend", "legal disclaimer".
            if let (known, learnedOnly) = knownHeading(at: i, upTo: range.upperBound) {
                var len = known
                // "personally identifiable information we collect we may collect …": the heading
                // takes its relative clause when a new sentence opens right after it.
                if i + len + 2 < range.upperBound, ["we", "you"].contains(bare[i + len]),
                   !(i..<(i + len)).contains(where: { bare[$0] == "we" || bare[$0] == "you" }),
                   tokens[i + len + 1].last?.isLetter == true, tokens[i + len].last?.isLetter == true,
                   Self.clauseVerbs.contains(bare[i + len + 1]), opensSentence(i + len + 2) {
                    len += 2
                } else if i + len + 2 < range.upperBound, ["we", "you"].contains(bare[i + len]), tokens[i + len].last?.isLetter == true,
                          Self.clauseVerbs.contains(bare[i + len + 1]), i == boundary || isSoftBoundary(i - 1),
                          let colon = (i + len + 1..<min(range.upperBound - 1, i + len + 5)).first(where: { !wordEnds[$0] }),
                          tokens[colon].hasSuffix(":"), isHeadingLike(i...colon) {
                    // Or, with a colon, the words of the clause up to it ("personal information you
                    // provide to us: we receive …").
                    len = colon - i + 1
                }
                let after = i + len
                let atBoundary = i == range.lowerBound || i == boundary || isSoftBoundary(i - 1)
                let next = bare[after]
                var accept = false
                if learnedOnly {
                    // Seen in other policies only: where a section can start, before a new sentence.
                    accept = i > range.lowerBound && endsSentence(i - 1)
                        && (Self.strongStarters.contains(next) || prepositionOpens(after) || purposeClauseOpens(after))
                } else if atBoundary {
                    // Not a noun that the sentence goes on to qualify ("questions regarding our privacy
                    // policy should be directed to: …", "…; your choices regarding the collection …").
                    // An adverb with its comma opens the sentence after it ("information we collect
                    // generally, you control …"), not the verb of a subject.
                    accept = (!Self.verbsAfter.contains(next) || prepositionOpens(after) || purposeClauseOpens(after)
                              || (next.hasSuffix("ly") && tokens[after].hasSuffix(",")))
                        && next != "regarding" && next != "concerning"
                        && !followsLeadIn(i)
                        && !adverbAndVerb(at: after)
                        // A word of a compound subject: "analytics companies may access …".
                        // (a plural noun after it, not the heading's word again or a name: "cookies
                        // cookies are …", "cookies infospace may set …").
                        && !(len == 1 && nounSubject(at: i, upTo: range.upperBound) && bare[after] != bare[i]
                             && bare[after].hasSuffix("s") && siteNameLength(at: after) == nil)
                } else {
                    // Inside a sentence, before a word that opens one (one word: a strong one, not
                    // "in"); not the object of a verb ("etsy collects personal information when you
                    // register", "decline cookies if you prefer") nor a possessive's noun ("our
                    // users' personal information as needed").
                    let starters = len == 1 ? Self.strongStartersButIn : Self.starters
                    // Nor an item of a list the sentence runs through ("… your account, technical
                    // questions you may have …").
                    // Nor a verb after the site's name ("… policy? altavista updates this policy …").
                    accept = (starters.contains(next) || siteOpensSentence(after)) && !Self.continuation.contains(bare[i - 1])
                        && !(1...3).contains(where: { i - $0 >= range.lowerBound && siteNameLength(at: i - $0) == $0 })
                        && !tokens[i - 1].hasSuffix(",") && !(i - 2 >= range.lowerBound && tokens[i - 2].hasSuffix(","))
                        && !Self.verbsAfter.contains(next) && !Self.objectVerbs.contains(bare[i - 1])
                        && !tokens[i - 1].hasSuffix("'") && !tokens[i - 1].hasSuffix("’") && !bare[i - 1].hasSuffix("'s")
                }
                if accept, out.last.map({ $0.upperBound < i }) ?? true || out.last?.upperBound == i {
                    out.append(i..<after)
                    boundary = after
                    i = after
                    continue
                }
            }
            // A lead-in ("… including to:") opens a list, not a section.
            if endsSentence(i) || (tokens[i].hasSuffix(":") && !Self.leadInEndings.contains(bare[i])) { boundary = i + 1 }
            i += 1
        }
        // A heading must head some text: drop one directly followed by another, unless it is a
        // phrase of four words or more over a subheading that heads text.
        var kept: [Range<Int>] = []
        for (n, h) in out.enumerated() {
            let nextStart = n + 1 < out.count ? out[n + 1].lowerBound : range.upperBound
            let overSubheading = n + 1 < out.count && (h.count >= 4 || Self.numberingValue(tokens[nextStart]) == 1)
                && nextStart == h.upperBound
                && (n + 2 < out.count ? out[n + 2].lowerBound : range.upperBound) - out[n + 1].upperBound >= 3
            if nextStart - h.upperBound >= 3 || overSubheading { kept.append(h) }
        }
        return kept
    }

    /// Whether a lead-in that ends in a preposition comes right before `i` ("… should be directed
    /// to: general counsel …", "… share your data with: service providers under contract …"):
    /// what follows is the preposition's object, an address or a list's item, not a heading. ("… as
    /// follows: customizing our website …" may lead to subheadings.)
    private func followsLeadIn(_ i: Int) -> Bool {
        i > 0 && tokens[i - 1].hasSuffix(":") && Self.prepositions.contains(bare[i - 1])
    }


    /// The number of a numbering token at a sentence boundary ("3." → 3); nil for others.
    static func numberingValue(_ t: String) -> Int? {
        guard t.count >= 2, t.count <= 3, let last = t.last, last == "." || last == ")" else { return nil }
        return Int(t.dropLast())
    }

    /// The numbers of the numbering tokens that stand where a sentence can start.
    private func numberingValues(in range: Range<Int>) -> Set<Int> {
        var values = Set<Int>()
        for i in range where i > range.lowerBound && (endsSentence(i - 1) || endsRun(i - 1)) {
            if let n = Self.numberingValue(tokens[i]) { values.insert(n) }
        }
        return values
    }

    /// A table of contents near the top of the policy, and the later places where its phrases
    /// stand as headings. A phrase that starts where a sentence can start and repeats words of
    /// the policy's first third (the longest such run, at most twelve words, followed by a
    /// sentence, not by a verb) is a candidate; when at least three candidates repeat words
    /// that lie close together (within a hundred words) and that stretch is not prose (fewer
    /// than one function word in eight), the stretch is the table and its phrases are headings,
    /// the first of them right after the table too.
    func tableOfContents(in range: Range<Int>) -> (zone: Range<Int>?, headings: [Int: Int]) {
        let head = range.lowerBound..<(range.lowerBound + range.count / 3)
        guard head.count >= 20 else { return (nil, [:]) }
        var positions: [String: [Int]] = [:]
        for q in head where !Self.functionWords.contains(bare[q]) && !Self.continuation.contains(bare[q]) {
            if positions[bare[q], default: []].count < 40 { positions[bare[q], default: []].append(q) }
        }
        /// The longest run at `p` repeating words at some q in `within` before `p`.
        func match(_ p: Int, within: Range<Int>, listed: Bool = false) -> (q: Int, length: Int)? {
            guard let qs = positions[bare[p]] else { return nil }
            var best: (Int, Int)?
            for q in qs where within.contains(q) && q < p {
                var m = 0
                while m < 14, q + m < p, q + m < within.upperBound, p + m < range.upperBound - 1, bare[q + m] == bare[p + m],
                      m == 0 || tokens[p + m - 1].last.map({ $0.isLetter || $0.isNumber || $0 == "," }) == true
                        || Self.joiners.contains(tokens[p + m - 1]) {
                    m += 1
                }
                if m > (best?.1 ?? 0) { best = (q, m) }
            }
            guard let (q, length) = best else { return nil }
            // It ends where a sentence starts; a lone word is a heading word. Listed in the table
            // found, it only needs not to dangle ("… and use", "… to") nor to be a verb's subject.
            let last = bare[p + length - 1], next = bare[p + length]
            if tokens[p + length - 1].hasSuffix(",") { return nil }
            if listed {
                // Nor the subject of a participle ("information requested may include …").
                guard !Self.danglingEnds.contains(last), !Self.joiners.contains(tokens[p + length - 1]),
                      !(next.count > 4 && next.hasSuffix("ed")),
                      !Self.verbsAfter.contains(next) || ["for", "to", "from", "with", "on", "about"].contains(next) else { return nil }
                // One word of an item is a heading only if it is one alone ("cookies", not "does" of
                // "does the shop share …" nor the site's name).
                if length == 1, !isSingleWordHeading(p) { return nil }
                return (q, length)
            }
            guard !Self.continuation.contains(last) || last == "us", !Self.verbsAfter.contains(next),
                  !Self.continuation.contains(next) || opensSentence(p + length),
                  length > 1 || isSingleWordHeading(p) || isHeadingWord(p) else { return nil }
            return (q, length)
        }
        var candidates: [(p: Int, q: Int, length: Int)] = []
        var p = head.lowerBound + 1
        while p < range.upperBound - 1 {
            if startsAfterBreak(p), let (q, length) = match(p, within: head) {
                candidates.append((p, q, length))
                p += length
            } else {
                p += 1
            }
        }
        guard candidates.count >= 3 else { return (nil, [:]) }
        // The densest stretch of a hundred words of the repeated words.
        let byQ = candidates.sorted { $0.q < $1.q }
        var bestZone: Range<Int>?
        var bestCount = 0
        var lo = 0
        for hi in byQ.indices {
            while byQ[hi].q - byQ[lo].q > 100 { lo += 1 }
            // The stretch may start later than the window does: a word of the opening sentence
            // that a later sentence repeats ("the information we gather …") is not an item.
            var from = lo
            while hi - from >= 2 {
                defer { from += 1 }
                let members = byQ[from...hi]
                var distinct = 0, covered = 0, reach = Int.min, lastQ = Int.min
                for m in members {
                    if m.q != lastQ { distinct += 1; lastQ = m.q }
                    let start = max(m.q, reach), stop = m.q + m.length
                    if stop > start { covered += stop - start }
                    reach = max(reach, stop)
                }
                let zone = members[members.startIndex].q..<reach
                // The listed phrases cover most of the stretch: a list, not words that happen to recur.
                guard distinct >= 3, distinct > bestCount else { break }
                guard covered * 10 >= zone.count * 6,
                      zone.filter({ Self.functionWords.contains(bare[$0]) }).count * 3 < zone.count else { continue }
                bestCount = distinct
                bestZone = zone
                break
            }
        }
        guard let found = bestZone else { return (nil, [:]) }
        // The table may begin a few words earlier (back to the sentence before it), with an item
        // no sentence repeated: the first section's heading often follows the table directly.
        var lower = found.lowerBound
        while lower > max(head.lowerBound, found.lowerBound - 12), !endsSentence(lower - 1), !tokens[lower - 1].hasSuffix(":") {
            lower -= 1
        }
        // It ends where its first item comes again, the first section's heading, if that is
        // within a few words (items no sentence repeated, "… choice/opt-out", end it).
        var upper = found.upperBound
        var headings: [Int: Int] = [:]
        var first = found.lowerBound
        for f in found.upperBound..<min(range.upperBound - 1, found.upperBound + 15) {
            if let (q, length) = match(f, within: lower..<f, listed: true), q <= lower + 1 {
                upper = f
                headings[f] = length
                first = min(first, q)
                break
            }
            if endsSentence(f) { break }
        }
        let table = lower..<upper
        // Again, the table known: every phrase of it where a sentence can start.
        p = table.upperBound + 1
        while p < range.upperBound - 1 {
            if startsAfterBreak(p), let (q, length) = match(p, within: table, listed: true) {
                headings[p] = length
                first = min(first, q)
                p += length
            } else {
                p += 1
            }
        }
        return (first..<table.upperBound, headings)
    }

    /// Whether a section can start at `p`: after a sentence end, a colon, a run ending (an
    /// e-mail, a postcode), or a marker of the navigation ("return to top").
    /// Where a heading's link ("[top]", "(read more)") stands after the phrase at `i`: one to ten
    /// words of a heading, with no sentence punctuation, not ending in a word that needs more.
    private func headingLink(after i: Int, upTo end: Int) -> Int? {
        for k in (i + 1)..<min(end, i + 11) {
            if Self.linkLength(at: k, tokens: tokens, bare: bare) != nil {
                guard isHeadingLike(i...(k - 1)), !Self.continuation.contains(bare[k - 1]),
                      !Self.sentenceSubjects.contains(bare[i]) || bare[i + 1] == "whom",
                      tokens[k - 1].last?.isLetter == true else { return nil }
                return k
            }
            if endsSentence(k) || tokens[k].hasSuffix(":") { return nil }
        }
        return nil
    }

    /// The length of a link that stands beside headings at `k`: "[top]", "(top)", "(read more)".
    static func linkLength(at k: Int, tokens: [String], bare: [String]) -> Int? {
        let t = tokens[k]
        guard let first = t.first, first == "[" || first == "(" else { return nil }
        if (t == "[top]" || t == "(top)") { return 1 }
        if bare[k] == "read", k + 1 < tokens.count, tokens[k + 1] == "more)" || tokens[k + 1] == "more]" { return 2 }
        return nil
    }

    private func startsAfterBreak(_ p: Int) -> Bool {
        guard p > 0 else { return true }
        if endsSentence(p - 1) || endsRun(p - 1) || tokens[p - 1].hasSuffix(":") { return true }
        for n in 1...3 where p - n >= 0 && markerLength[p - n] == n { return true }
        return false
    }

    private static let interrogatives: WordSet = [
        "what", "how", "why", "who", "whom", "whose", "which", "when", "where", "does", "do", "is", "are", "will", "can",
        "may", "should", "did", "has", "have",
    ]

    private static let questionPrepositions: WordSet = ["with", "to", "for", "from", "about"]
    private static let relativeWords: WordSet = ["whom", "what", "which"]

    /// The last token of a question of 3 to 30 words starting at `i` with an interrogative and
    /// ending in "?", with no other sentence end, e-mail or link inside; nil when there is none.
    private func questionEnd(from i: Int, upTo end: Int) -> Int? {
        // "with whom do we share …?", "for what purposes do we …?"
        guard i < end, Self.interrogatives.contains(bare[i])
            || (i + 1 < end && Self.questionPrepositions.contains(bare[i]) && Self.relativeWords.contains(bare[i + 1]))
        else { return nil }
        for k in i..<min(end - 1, i + 30) {
            let t = tokens[k]
            if t.utf8.contains(UInt8(ascii: "@")) || Self.starts(t, with: "http") || Self.starts(t, with: "•") { return nil }
            if t.hasSuffix("?") || t.hasSuffix("?\"") || t.hasSuffix("?”") { return k - i + 1 >= 3 ? k : nil }
            if let last = t.last, ".!;:".contains(last) { return nil }
        }
        return nil
    }

    /// Tokens with no sentence punctuation inside, no bullets or list dashes, few digits.
    private func isHeadingLike(_ r: ClosedRange<Int>) -> Bool {
        for k in r {
            let t = tokens[k]
            if k < r.upperBound, let last = t.last, ".?!;:".contains(last), !(k == r.lowerBound && t.count <= 3) { return false }
            if Self.starts(t, with: "-") || Self.starts(t, with: "•") || t.hasPrefix("(") || t.hasPrefix("\"") || t.hasPrefix("“") { return false }
            if t.utf8.contains(UInt8(ascii: "@")) || Self.starts(t, with: "http") || t.utf8.contains(UInt8(ascii: "$")) { return false }
            if t.contains(where: { $0.isNumber }), k > r.lowerBound { return false }
        }
        return true
    }

    /// Verbs of the relative clauses headings take ("information we collect").
    private static let clauseVerbs: WordSet = [
        "collect", "use", "share", "gather", "receive", "obtain", "store", "keep", "process", "disclose", "provide",
    ]

    /// Subjects a colon heading does not open with ("we may do so when:" is a lead-in).
    private static let phraseSubjects: WordSet = ["we", "you", "they", "i", "it"]

    /// Words a heading phrase found by its words alone does not hold: subjects, verbs that make a
    /// sentence of it, words that open a clause. (Headings that do, "information we collect", are
    /// found as known headings.)
    private static let phraseBreakers: WordSet = [
        "we", "you", "they", "i", "it", "us", "he", "she", "by", "if", "when", "please", "there", "also", "is", "are",
        "was", "were", "be", "been", "will", "may", "can", "cannot", "must", "should", "would", "could", "might",
        "shall", "has", "have", "had", "do", "does", "did", "not",
    ]

    /// Words that open sentences, not headings.
    private static let sentenceSubjects: WordSet = [
        "we", "you", "i", "it", "they", "he", "she", "if", "when", "please", "there", "this", "these", "those", "that",
        "a", "an", "as", "by", "for", "to", "in", "on", "at", "from", "with", "some", "all", "any", "each", "no", "not",
    ]

    /// Whether `i` opens a sentence: a word sentences start with, or the site's own name.
    private func opensSentence(_ i: Int) -> Bool {
        guard i < tokens.count else { return false }
        // "in" opens sentences too, but as often carries a heading-like phrase on ("… cookies in our emails").
        let next = i + 1 < tokens.count ? bare[i + 1] : ""
        // "in order to …", "in addition, …" open sentences; "in" alone as often carries a phrase on.
        if Self.strongStarters.contains(bare[i]) { return bare[i] != "in" || next == "order" || next == "addition" || prepositionOpens(i) }
        // "pursuant to …", "according to …", "as noted above, …", "only those employees …",
        // "welcome to …", "thank you …".
        if (bare[i] == "pursuant" || bare[i] == "according") && next == "to" { return true }
        if bare[i] == "as", next.count > 4, next.hasSuffix("ed") { return true }
        if bare[i] == "only", Self.determiners.contains(next) || ["those", "when", "if", "authorized"].contains(next) { return true }
        if (bare[i] == "welcome" && next == "to") || (bare[i] == "thank" && next == "you") { return true }
        if Self.clauseOpeners.contains(bare[i]) || bare[i] == "many" || bare[i] == "several" { return true }
        // "occasionally we …", "however, you …"
        if i + 1 < tokens.count, Self.sentenceAdverbs.contains(bare[i]) || (bare[i].hasSuffix("ly") && bare[i].count > 5),
           tokens[i].hasSuffix(",") || ["we", "you", "our"].contains(bare[i + 1]) { return true }
        // "by using this site, you agree …"; "from time to time, we …"
        if bare[i] == "by" || bare[i] == "upon", i + 1 < tokens.count, bare[i + 1].hasSuffix("ing") { return true }
        if bare[i] == "from", i + 1 < tokens.count, bare[i + 1].hasPrefix("time") { return true }
        // "… to update your information, …": a purpose clause.
        if bare[i] == "to", i + 1 < tokens.count, Self.purposeVerbs.contains(bare[i + 1]) { return true }
        return prepositionOpens(i) || siteNameLength(at: i) != nil
    }

    /// A term in quotes that a sentence defines at `k`: "\"personal data\" means …".
    private func definedTerm(at k: Int, upTo end: Int) -> Bool {
        guard k < end, tokens[k].count > 1, tokens[k].first == "\"" || tokens[k].first == "“",
              tokens[k].dropFirst().first?.isLetter == true else { return false }
        for c in k..<min(end - 1, k + 5) where tokens[c].hasSuffix("\"") || tokens[c].hasSuffix("”") {
            return Self.definingVerbs.contains(bare[c + 1])
        }
        return false
    }

    private static let definingVerbs: WordSet = ["means", "refers", "is", "are", "includes", "include", "shall"]

    /// An adverb and a verb in "-s" at `k`: the verb of the subject before ("personal information
    /// | specifically identifies you …").
    private func adverbAndVerb(at k: Int) -> Bool {
        guard k + 1 < tokens.count, bare[k].count > 5, bare[k].hasSuffix("ly"), tokens[k].last?.isLetter == true else { return false }
        let verb = bare[k + 1]
        return Self.sentenceVerbs.contains(verb) || Self.phraseVerbs.contains(verb)
            || (verb.count > 4 && verb.hasSuffix("s") && !verb.hasSuffix("ss") && Self.objectVerbs.contains(verb))
    }

    /// A purpose clause that opens a sentence before its main clause ("to prevent unauthorized
    /// access, we have …"), not one that ends a sentence ("… takes precautions to protect it.").
    private func purposeClauseOpens(_ i: Int) -> Bool {
        guard bare[i] == "to", opensSentence(i) else { return false }
        for k in (i + 1)..<min(tokens.count, i + 10) {
            if tokens[k].hasSuffix(",") { return true }
            if endsSentence(k) { return false }
        }
        return false
    }

    /// A preposition or conjunction with the word after it that together open sentences, not
    /// carry a heading's phrase on: "at times", "for example", "as part of", "in general",
    /// "should you", "where required", "see our", "except as"; "at", "as" and "where" before the
    /// site's name too.
    private func prepositionOpens(_ i: Int) -> Bool {
        guard i + 1 < tokens.count, Self.openingPrepositions.contains(bare[i]), tokens[i].last?.isLetter == true,
              let followers = Self.prepositionFollowers[bare[i]] else { return false }
        return followers.contains(bare[i + 1]) || (Self.prepositionsBeforeTheSite.contains(bare[i]) && siteNameLength(at: i + 1) != nil)
    }

    private static let prepositionFollowers: [String: WordSet] = [
        "at": ["times", "any", "no", "this", "all"],
        "for": ["example", "instance", "more", "this", "these", "those", "purposes", "further", "additional"],
        "in": ["general", "some", "certain", "most", "such", "connection", "accordance", "particular", "short"],
        "as": ["part", "in", "you", "we", "such", "with", "of", "a", "an", "is", "noted", "described", "stated", "explained",
               "set", "outlined", "required", "permitted", "indicated", "mentioned"],
        "should": ["you", "we", "your", "our"],
        "where": ["you", "we", "required", "appropriate", "applicable", "permitted", "possible", "necessary", "feasible", "practical"],
        "see": ["our", "the", "below", "above", "section", "also", "http", "www"],
        "except": ["as", "where", "when", "for", "to", "in", "with", "that"],
    ]
    private static let openingPrepositions = WordSet(prepositionFollowers.keys)
    private static let prepositionsBeforeTheSite: WordSet = ["at", "as", "where"]

    /// Verbs of a purpose clause that opens a sentence ("to update your information, …").
    private static let purposeVerbs: WordSet = [
        "update", "make", "learn", "opt", "request", "help", "ensure", "access", "unsubscribe", "change", "review",
        "find", "see", "remove", "correct", "view", "receive", "better", "serve", "protect", "comply", "prevent",
        "provide", "improve", "process", "use", "obtain", "enable", "facilitate", "determine", "personalize", "enhance",
        "fill", "deliver", "complete", "verify", "administer", "operate", "assist", "measure", "customize", "tailor",
    ]

    /// Words that open a sentence with a subordinate clause ("unless you consent, …").
    private static let clauseOpeners: WordSet = ["unless", "although", "while", "because", "since", "whenever", "once"]

    /// A company's short name that the policy's opening defines in quotes right after its full name
    /// and its legal form ("mindspark interactive network, inc. ("mindspark")"), within its first
    /// three hundred words; not a term it defines ("(the "services")", "this privacy policy ("policy")").
    static func companyName(tokens: [String], bare: [String], siteName: String?) -> String? {
        let forms: Set<String> = ["inc", "llc", "ltd", "corp", "corporation", "limited", "plc", "gmbh", "co"]
        for k in 1..<max(1, min(tokens.count, 300)) {
            let t = tokens[k]
            // One word, its quotes closed ("(“kendra scott”)" is the domain's name spelt in words).
            guard t.hasPrefix("(\"") || t.hasPrefix("(“"), t.contains("\")") || t.contains("”)"), forms.contains(bare[k - 1])
            else { continue }
            let name = bare[k]
            guard name.count >= 3, name.allSatisfy({ $0.isLetter || $0.isNumber }), name != siteName,
                  (max(0, k - 5)..<(k - 1)).contains(where: { bare[$0] == name }) else { continue }
            return name
        }
        return nil
    }

    /// How many tokens at `i` spell the site's name ("shades of light's" of shadesoflight.com,
    /// "1000bulbs.com"): nil when they do not.
    func siteNameLength(at i: Int) -> Int? {
        if let company = companyName, i < bare.count, bare[i].hasPrefix(company) { return 1 }
        guard let site = siteName, i < bare.count, bare[i].utf8.first == site.utf8.first else { return nil }
        if bare[i].hasPrefix(site) { return 1 }
        guard site.hasPrefix(bare[i]), bare[i].count >= 2 else { return nil }
        var joined = bare[i]
        for k in (i + 1)..<min(bare.count, i + 4) {
            var word = bare[k]
            if word.hasSuffix("'s") { word.removeLast(2) }
            joined += word
            if joined == site { return k - i + 1 }
            guard site.hasPrefix(joined) else { return nil }
        }
        return nil
    }

    /// A word headings use; "choice/opt-out" when each of its parts is one.
    private func isHeadingWord(_ k: Int) -> Bool {
        if knowledge.vocabulary.contains(bare[k]) { return true }
        guard bare[k].contains("/") else { return false }
        let parts = bare[k].split(separator: "/")
        return !parts.isEmpty && parts.allSatisfy { knowledge.vocabulary.contains(String($0)) }
    }

    /// "1000bulbs.com’s": the site's name in the possessive, which can open a heading.
    private func isSitePossessive(_ k: Int) -> Bool {
        guard let site = siteName, bare[k].hasPrefix(site) || companyName.map({ bare[k].hasPrefix($0) }) == true else { return false }
        return bare[k].hasSuffix("'s")
    }

    /// The site's name spelt over several words in the possessive inside a phrase ("… of
    /// network solutions' agents").
    private func isSpeltSitePossessive(_ k: Int) -> Bool {
        guard let n = siteNameLength(at: k), n > 1 else { return false }
        let last = tokens[k + n - 1]
        return last.hasSuffix("'s") || last.hasSuffix("’s") || last.hasSuffix("'") || last.hasSuffix("’")
    }

    /// Words that open a heading phrased as a question without its question mark ("how we use
    /// your information"): the phrase may hold a clause.
    private static let questionWords: WordSet = ["how", "what", "why", "who", "where", "which", "whom"]

    /// Tokens that join the parts of a heading ("cookies & ip addresses", "bulletin boards / chat rooms").
    private static let joiners: WordSet = ["&", "/", "-", "–", "—", "+"]

    /// Sentence adverbs: a word that opens a sentence, never a one-word heading ("however we …").
    private static let sentenceAdverbs: WordSet = [
        "however", "therefore", "otherwise", "then", "also", "now", "yes", "thus", "hence", "still", "again",
        "instead", "today", "here", "further", "furthermore", "moreover", "finally", "accordingly", "meanwhile",
        "likewise", "similarly", "nevertheless", "regardless", "note", "remember", "occasionally",
    ]

    /// Words a heading phrase does not open with: prepositions and clause words that open sentences.
    private static let notPhraseOpeners: WordSet = [
        "through", "during", "after", "before", "upon", "about", "within", "without", "under", "over", "between",
        "among", "against", "into", "like", "unlike", "including", "via", "per", "other", "than", "so", "such",
        "unless", "although", "while", "because", "since", "whenever", "once", "but", "or", "and", "nor", "whether",
        "and/or", "out",
    ]

    /// Verbs whose object a known heading inside a sentence would be ("etsy collects personal information …").
    private static let objectVerbs: WordSet = [
        "collect", "collects", "use", "uses", "share", "shares", "provide", "provides", "receive", "receives",
        "gather", "gathers", "obtain", "obtains", "store", "stores", "disclose", "discloses", "sell", "sells",
        "rent", "rents", "require", "requires", "include", "includes", "contain", "contains", "offer", "offers",
        "process", "processes", "track", "tracks", "accept", "accepts", "decline", "declines", "refuse", "block",
        "delete", "enable", "disable", "allow", "allows", "post", "posts", "submit", "submits", "send", "sends",
        "transmit", "transmits", "answer", "answers", "remember", "remembers", "review", "reviews", "update", "updates",
        "modify", "modifies", "ask", "asks", "read", "reads", "request", "requests",
    ]

    /// Prepositions after which the site's name is part of a heading ("… from gumroad", "… to the
    /// lillian vernon corporation …").
    private static let sitePrepositions: WordSet = ["of", "from", "to", "for", "about", "with"]

    /// Auxiliaries: a phrase holding one is a sentence.
    private static let auxiliaries: WordSet = [
        "is", "are", "was", "were", "be", "been", "will", "may", "can", "must", "should", "would", "could", "has", "have",
        "had", "shall", "might",
    ]

    /// Verbs in their plain form that a plural subject takes ("web beacons collect the …").
    private static let pluralVerbs: WordSet = [
        "use", "collect", "provide", "allow", "enable", "help", "contain", "store", "share", "receive", "gather",
        "identify", "track", "serve", "remember", "record", "recognize", "recognise", "let", "give", "make",
    ]

    /// Verbs in "-s" no heading holds ("… constitutes your agreement", "… specifically identifies").
    private static let sentenceVerbs: WordSet = [
        "constitutes", "identifies", "specifies", "indicates", "governs", "signifies", "represents",
    ]

    /// Verbs that make a sentence of a phrase ("our site uses cookies …").
    private static let phraseVerbs: WordSet = [
        "uses", "provides", "collects", "serves", "offers", "means", "refers", "includes", "requires", "allows",
        "helps", "contains", "enables", "lets", "applies", "apply", "wish", "wishes", "want", "wants", "agree", "agrees", "need", "needs",
    ]

    /// Length of the relative or question clause a heading phrase holds at `k` ("we collect",
    /// "that 1000bulbs.com may collect", "how it is used"): nil when none starts there.
    private func clauseLength(at k: Int, upTo end: Int) -> Int? {
        let word = bare[k]
        if ["how", "what", "why", "where"].contains(word) { return 6 }
        var j = k
        if word == "that" || word == "which" {
            j += 1
            guard j < end else { return nil }
            if let site = siteNameLength(at: j) { j += site }
            else if ["we", "you", "is", "are"].contains(bare[j]) { j += 1 }
        } else if word == "we" || word == "you" {
            j += 1
        } else {
            return nil
        }
        if j < end, ["may", "can", "will", "might"].contains(bare[j]) { j += 1 }
        if j < end, bare[j] == "be" { j += 1 }
        guard j < end, Self.clauseVerbs.contains(bare[j]) || (bare[j].hasSuffix("ed") && bare[j].count > 4) else { return nil }
        // A verb with its object is a sentence, not a relative clause: "our use of your information
        // | we use the information …", "financial information | we may collect your card number".
        if word == "we" || word == "you", j + 1 < end, tokens[j].last?.isLetter == true,
           Self.determiners.contains(bare[j + 1]) { return nil }
        return j - k + 1
    }

    /// Length of the longest phrase at `i` that reads as a heading between two sentences: one to
    /// fourteen words with no sentence punctuation inside, no subject or verb (unless it is a
    /// question without its mark, "how we use your information", or a noun with its relative
    /// clause, "information we collect and how we use it"), made mostly of words headings use,
    /// not ending in a word that needs more ("of", "and"), followed by a word that opens a
    /// sentence ("we", "if", the site's name) and a sentence that ends within forty words.
    /// Nil when there is none.
    private func phraseHeading(at i: Int, upTo end: Int, numbered: Bool = false) -> Int? {
        guard i < end else { return nil }
        // "with whom we share information": a preposition and "whom" ask like a question word.
        let question = Self.questionWords.contains(bare[i])
            || (i + 1 < end && bare[i + 1] == "whom" && Self.continuation.contains(bare[i]))
        // "the" opens sentences far more often than headings: a heading opening with it stands
        // after a full stop and runs to four words ("the accountability of our partners").
        let definite = bare[i] == "the"
        if definite, i == 0 || !endsSentence(i - 1) { return nil }
        var participle = false, subjectSeen = false
        guard question || (!Self.sentenceSubjects.contains(bare[i])
              && !Self.notPhraseOpeners.contains(bare[i])
              && !Self.sentenceAdverbs.contains(bare[i]) && !bare[i].hasSuffix("ly")),
              siteNameLength(at: i) == nil || isSitePossessive(i) else { return nil }
        var best: Int?
        var content = 0, known = 0
        var clauseLeft = question ? 16 : 0
        var k = i
        while k + 1 < end, k - i < (question ? 16 : 14) {
            let t = tokens[k]
            if Self.joiners.contains(t) {
                guard k > i else { break }
                k += 1
                continue
            }
            // Commas only in a question ("how to remove your name from mailing lists, telemarketing lists …").
            // A full stop ends a run-in title ("your choice. you may …"), checked below.
            let runIn = t.count > 1 && t.last == "." && !Self.isDottedAbbreviation(t) && t.dropLast().last?.isLetter == true
            // Numbered, commas and a bracketed aside too ("9. terms of use, notices and revisions",
            // "3. collection and use of information (personal data)").
            let aside = numbered && (t.first == "(" || (t.last == ")" && (i..<k).contains { tokens[$0].first == "(" }))
            guard let last = t.last, last.isLetter || last.isNumber || last == "'" || last == "’" || runIn
                    || (last == "," && (question || numbered)) || (last == ")" && t.first == "(") || aside else { break }
            if t.utf8.contains(UInt8(ascii: "@")) || Self.starts(t, with: "http") || Self.starts(t, with: "www.") || Self.starts(t, with: "-")
                || Self.starts(t, with: "•") { break }
            // An aside in brackets belongs to a sentence ("… search results (as defined in …"), but
            // for a numbered heading's.
            if t.first == "(", k > i, !numbered, t.last != ")" { break }
            if t.contains(where: { $0.isNumber }), k > i || !Self.isNumbering(t), siteNameLength(at: k) == nil { break }
            let word = bare[k]
            if clauseLeft < 0 { break }
            // A plural noun and a verb with its object is a sentence, not a heading: "our advertising
            // partners use the …", "web beacons collect the …"; so is a verb in "-s" ("your use of the
            // site constitutes …").
            if k > i, clauseLeft == 0, k + 1 < end, tokens[k].last?.isLetter == true,
               (Self.pluralVerbs.contains(word) && bare[k - 1].count > 3 && bare[k - 1].hasSuffix("s") && !bare[k - 1].hasSuffix("ss")
                   && !Self.continuation.contains(bare[k - 1]) && Self.determiners.contains(bare[k + 1]))
                || Self.sentenceVerbs.contains(word) { break }
            // The site's name inside a phrase opens a sentence, unless a clause holds it.
            // After "the", "of", "from" … it is a noun of the phrase ("changes to the lillian vernon
            // corporation privacy pledge", "using information from gumroad").
            if k > i, clauseLeft == 0, siteNameLength(at: k) != nil, !isSitePossessive(k), !isSpeltSitePossessive(k),
               word != "that", !Self.sitePrepositions.contains(bare[k - 1])
                   && !(bare[k - 1] == "the" && k - 2 >= i && Self.sitePrepositions.contains(bare[k - 2])) { break }
            // "us" after the first word: an imperative heading ("help us keep your information accurate").
            if k > i, Self.subjectPronouns.contains(word) { subjectSeen = true }
            let imperativeObject = word == "us" && k == i + 1
            // "you" after "to" or "for" is an object ("our accountability to you").
            let objectPronoun = word == "you" && k > i + 1 && (bare[k - 1] == "to" || bare[k - 1] == "for"
                || (question && Self.questionPrepositions.contains(bare[k - 1])))
            // "by" before a noun is a preposition ("… by automatic means"), before "-ing" a sentence.
            let preposition = word == "by" && k + 1 < end && !bare[k + 1].hasSuffix("ing")
            // "… by automatic means": a noun after "by".
            let meansNoun = k > i && word == "means" && (bare[k - 1] == "by" || (k - 2 >= i && bare[k - 2] == "by"))
            if clauseLeft == 0, k > i, !imperativeObject, !objectPronoun, !preposition, !meansNoun,
               Self.phraseBreakers.contains(word) || Self.phraseVerbs.contains(word)
                || word == "that" || word == "which" || Self.questionWords.contains(word) {
                // A clause inside a heading: "… and how we use it", "… that 1000bulbs.com may collect".
                guard content > 0, !definite, let c = clauseLength(at: k, upTo: end) else { break }
                clauseLeft = c
            }
            if clauseLeft > 0 {
                clauseLeft -= 1
                // A relative clause ends the phrase or is joined by "and", "or" or a preposition
                // ("information we collect by automatic means"), not by more nouns.
                if clauseLeft == 0, !question, k + 1 < end, !["and", "or", "by", "from", "about", "through", "online",
                                                                "when", "on", "in", "at"].contains(bare[k + 1]),
                   !opensSentence(k + 1) {
                    clauseLeft = -1
                }
            }
            // "use" after a word of the phrase that is not a subject is a noun ("to good use").
            // So is "use" after "of" ("terms of use").
            let nounUse = (word == "use" || word == "uses") && k > i && (bare[k - 1] == "of"
                || (!Self.continuation.contains(bare[k - 1]) && !Self.phraseBreakers.contains(bare[k - 1])))
            let isFunction = !nounUse && (Self.functionWords.contains(word) || Self.continuation.contains(word)
                || Self.phraseBreakers.contains(word))
            if !isFunction {
                content += 1
                if isHeadingWord(k) || (k == i && isSitePossessive(k)) { known += 1 }
            }
            // A question does not end on its clause's verb ("how we use …"); after an adjective the
            // word is a noun ("how we put information to good use").
            // "what" is the verb's object ("what we collect").
            let clauseVerbEnd = question && bare[i] != "what" && Self.clauseVerbs.contains(word)
                && (k == i || Self.continuation.contains(bare[k - 1]) || Self.phraseBreakers.contains(bare[k - 1]))
            let next = k + 1
            // Nor on a verb whose object follows: an infinitive ("be sure to check | the url …", "the
            // other way to release | it …") or a verb and its particle ("check out | our guides …").
            let verbBeforeObject = k > i && tokens[k].last?.isLetter == true
                && (bare[k - 1] == "to" || (k == i + 1 && (word == "out" || word == "up")))
                && (Self.determiners.contains(bare[next]) || bare[next] == "it" || bare[next] == "them")
            let endsWell = content > 0 && !t.hasSuffix(",") && (!isFunction || word == "it" || word == "us" || objectPronoun)
                && !Self.leadInEndings.contains(word) && !clauseVerbEnd && !verbBeforeObject
            // A sentence opens next, or, after four words or more, a known heading that a sentence
            // follows (a subheading: "information we collect by automatic means cookies we may …").
            // A defined term in quotes opens a sentence too ("\"personal data\" means …"), and so
            // does a numbered subheading after two words or more ("privacy for form creators 1. what …").
            let quoted = definedTerm(at: next, upTo: end)
            let opens = (tokens[next].first.map { $0.isLetter || $0.isNumber } == true
                && (opensSentence(next) || (k - i >= 3 && subheadingFollows(next, upTo: end))))
                || quoted || (k > i && !numbered && Self.numberingValue(tokens[next]) == 1)
            // Numbered, the phrase needs no known words: the numbering marks it. A question needs
            // one word headings use. One word alone is a known heading, or a noun by its ending
            // right after a full stop ("problems if you have a complaint …").
            let wordsFit = numbered || (question && known > 0) || (known * 2 >= content && k > i) || (k == i && isSingleWordHeading(k))
                || (k == i && i > 0 && endsSentence(i - 1) && Self.looksLikeNoun(word)
                    // "information you submit …" is a subject; "orders we request information …" a heading.
                    && (!["we", "you", "they", "it"].contains(bare[k + 1]) || objectFollows(k + 1, upTo: end)))
                // One word alone between a full stop and the site's name with its verb ("… credit card
                // information. wrap-up kickstarter reserves the right …").
                || (k == i && i > 0 && endsSentence(i - 1) && word.count >= 4 && word.allSatisfy({ $0.isLetter || $0 == "-" })
                    && !isFunction && !Self.sentenceAdverbs.contains(word) && !word.hasSuffix("ly") && siteOpensSentence(k + 1))
            if runIn {
                // A run-in title: short, every word a heading word (or numbered), no clause.
                if endsWell, opens, clauseLeft == 0, !question, numbered || (known == content && k - i < 6 && wordsFit) {
                    return k - i + 1
                }
                break
            }
            // An imperative heading says what to do: four words at least ("send us" is a request).
            let imperativeShort = bare.indices.contains(i + 1) && bare[i + 1] == "us" && k - i < 3
            // "only" after a noun may be its adverb, unless a sentence opens with it ("only those …").
            if definite, k > i, word.count > 4, word.hasSuffix("ed") || word.hasSuffix("ing") { participle = true }
            if endsWell, opens, !Self.verbsAfter.contains(bare[next]) || bare[next] == "from" || bare[next] == "only"
                || prepositionOpens(next) || purposeClauseOpens(next),
               wordsFit, !imperativeShort, !definite || (k - i >= 3 && !participle) {
                best = k - i + 1
                // A question ends before a clause that opens a sentence ("how we use email when you …",
                // "how can you access or correct your information you can access …").
                if question, Self.clauseOpeners.contains(bare[next]) || ["if", "when", "please"].contains(bare[next])
                    || (["we", "you"].contains(bare[next]) && next + 1 < end
                        && ["can", "may", "will", "must", "should", "do", "are", "have", "would", "might", "also", "cannot",
                            "need", "never"].contains(bare[next + 1])) { break }
            }
            // A question that has its subject and an end ends before another subject ("with whom
            // we share information pursuant to …, we hand …").
            // Without one, before a subject with its verb and object ("what about cookies | we use
            // cookies to …").
            // "you" after a preposition is its object ("what information we collect from you").
            if question, best != nil, Self.subjectPronouns.contains(bare[next]), !(bare[next] == "you" && Self.questionPrepositions.contains(word)),
               subjectSeen || objectFollows(next, upTo: end)
                || (next + 2 < end && Self.clauseVerbs.contains(bare[next + 1]) && tokens[next + 1].last?.isLetter == true
                    && !Self.continuation.contains(bare[next + 2]) && !Self.functionWords.contains(bare[next + 2])) { break }
            // A question ends before the site's name with its verb ("how alibris uses your
            // information | alibris uses information you provide …").
            if question, best == k - i + 1, siteOpensSentence(next) { break }
            // A sentence whose subject opens with a determiner: "how we use information | our site
            // does not store …", "1. scope | this privacy policy describes …".
            if best == k - i + 1, determinerSubject(at: next, upTo: end) { break }
            // A sentence whose subject is a noun: "… shared consumer inquiries may be forwarded",
            // "… third parties e-mail addresses are not sold". The first such split ends the phrase.
            // So is the phrase's last noun again, with its verb ("international transfers of information
            // | information may be processed …").
            if best == nil, endsWell, k > i, !Self.determiners.contains(bare[i]), numbered || known * 2 >= content,
               nounSubject(at: next, upTo: end)
                || (bare[next] == word && tokens[k].last?.isLetter == true && next + 1 < end
                    && ["may", "is", "are", "will", "can"].contains(bare[next + 1])) {
                best = k - i + 1
                break
            }
            // A subject opens a sentence here and no clause of the heading does: the phrase ends.
            if opens, !Self.determiners.contains(bare[next]), !Self.continuation.contains(word) || objectPronoun, clauseLeft == 0,
               clauseLength(at: next, upTo: end) == nil { break }
            k += 1
        }
        guard let len = best else { return nil }
        // The sentence after it ends with a full stop (a sentence, not a lead-in or a list of
        // links), or leads to an address ("… please contact us at:").
        let after = i + len
        // A numbered subheading follows: it heads the text.
        if !numbered, Self.numberingValue(tokens[after]) == 1 { return len }
        for k in after..<min(end, after + 90) {
            if tokens[k].hasSuffix(":") { return k - after < 4 ? nil : len }
            if endsSentence(k) { return k - after >= 3 ? len : nil }
        }
        return nil
    }

    /// Two nouns, maybe joined ("cook & becker"), and a modal or "are"/"is" at `k`: the subject
    /// and verb of a sentence.
    private func nounSubject(at k: Int, upTo end: Int) -> Bool {
        let joined = k + 1 < end && Self.joiners.contains(tokens[k + 1])
        let second = joined ? k + 2 : k + 1
        guard second + 1 < end else { return false }
        for w in [k, second] {
            let t = tokens[w]
            guard t.last?.isLetter == true, t.first?.isLetter == true, !Self.functionWords.contains(bare[w]),
                  !Self.continuation.contains(bare[w]), !Self.phraseBreakers.contains(bare[w]) else { return false }
        }
        return ["may", "are", "is", "will", "can", "cannot"].contains(bare[second + 1])
    }

    /// A determiner, one or two nouns and a verb at `k`: the subject and verb of a sentence ("our
    /// site does not …", "this privacy policy describes …", "these cookies collect …").
    private func determinerSubject(at k: Int, upTo end: Int) -> Bool {
        guard k < end, Self.determiners.contains(bare[k]), tokens[k].last?.isLetter == true else { return false }
        for verb in (k + 2)...(k + 3) where verb < end {
            let nouns = (k + 1)..<verb
            // The site's name among them is the subject ("how alibris uses your information | alibris uses …").
            guard nouns.allSatisfy({ tokens[$0].last?.isLetter == true && !Self.functionWords.contains(bare[$0])
                                     && !Self.continuation.contains(bare[$0]) && !Self.phraseBreakers.contains(bare[$0])
                                     && siteNameLength(at: $0) == nil }) else { return false }
            if Self.subjectVerbs.contains(bare[verb]) || Self.phraseVerbs.contains(bare[verb]) { return true }
        }
        return false
    }

    /// Verbs and auxiliaries right after a subject ("our site does", "this policy describes").
    private static let subjectVerbs: WordSet = [
        "may", "will", "can", "cannot", "does", "do", "is", "are", "was", "were", "has", "have", "must", "should", "would",
        "describes", "explains", "governs", "covers", "sets", "outlines", "collects", "uses", "allow", "collect", "use",
        "help", "enable", "store", "provide", "remember",
    ]

    /// A subject at `p`, its verb and the verb's object ("we request information …", "we use
    /// the …"): a sentence of its own, not a relative clause of the noun before ("information
    /// you submit to us is …", "information we collect includes …").
    private func objectFollows(_ p: Int, upTo end: Int) -> Bool {
        guard p + 2 < end else { return false }
        let verb = bare[p + 1], object = bare[p + 2]
        guard tokens[p + 1].last?.isLetter == true, !Self.verbsAfter.contains(verb), !Self.phraseBreakers.contains(verb),
              !Self.continuation.contains(verb) else { return false }
        return Self.determiners.contains(object) || (!Self.continuation.contains(object)
            && !Self.verbsAfter.contains(object) && !Self.phraseBreakers.contains(object))
    }

    /// A token that opens a list item: "•", "*", "-", "–".
    static func isBullet(_ t: String) -> Bool { t == "•" || t == "*" || t == "-" || t == "–" || t == "·" }

    /// The subjects of a question's clause ("how do i …", "with whom we …").
    private static let subjectPronouns: WordSet = ["we", "you", "i", "they"]

    /// Words a heading does not end with, even one a table of contents lists.
    private static let danglingEnds: WordSet = [
        "a", "an", "the", "of", "to", "in", "on", "for", "with", "by", "from", "at", "as", "and", "or", "our", "your",
        "their", "its", "this", "that", "these", "those", "is", "are", "be", "we", "you", "if", "when",
    ]

    /// Whether a heading the lexicon knows (of two words or more, or a trusted single word)
    /// starts at `k` and a sentence follows it.
    private func subheadingFollows(_ k: Int, upTo end: Int) -> Bool {
        guard let (length, learnedOnly) = knownHeading(at: k, upTo: end), !learnedOnly, k + length < end else { return false }
        return (length > 1 || Self.singleWordHeadings.contains(bare[k])) && opensSentence(k + length)
    }

    /// Determiners open sentences, but follow a heading's verb as often ("updating your information").
    private static let determiners: WordSet = [
        "a", "an", "the", "our", "your", "their", "this", "these", "those", "any", "all", "each", "some", "most", "no",
    ]

    /// A word whose ending makes it a noun ("problems", "registration", "advertisers").
    static func looksLikeNoun(_ w: String) -> Bool {
        guard w.count >= 5, w.allSatisfy({ $0.isLetter || $0 == "-" }), !w.hasSuffix("ly"), !w.hasSuffix("ss") else { return false }
        return ["tion", "tions", "ment", "ments", "ers", "ity", "ities", "ems", "ances", "ences", "ance", "ence"].contains { w.hasSuffix($0) }
    }

    /// "3.", "iv)", "a.": a numbering token.
    static func isNumbering(_ t: String) -> Bool {
        guard t.count <= 4, let last = t.last, last == "." || last == ")" else { return false }
        return t.dropLast().allSatisfy { $0.isNumber || "ivxabcdefgh".contains($0) }
    }

    /// A word that is a heading alone: one the lexicon or the learned headings have as a
    /// heading, or parts of such words joined by slashes ("contests/surveys").
    private func isSingleWordHeading(_ k: Int) -> Bool {
        let word = bare[k]
        if knowledge.known.contains(word) || Self.singleWordHeadings.contains(word) { return !Self.notHeadings.contains(word) }
        // Learned single words that are headings, not a site's name or a date stamp's word.
        if knowledge.learned.contains(word), !word.contains("."), !Self.notHeadings.contains(word),
           !["posted", "published", "attention", "ten"].contains(word) { return true }
        guard word.contains("/") else { return false }
        let parts = word.split(separator: "/")
        return parts.count >= 2 && parts.allSatisfy { knowledge.vocabulary.contains(String($0)) }
    }

    /// Length of the longest known heading starting at `i` (no punctuation inside it), and
    /// whether it is only a learned one.
    private func knownHeading(at i: Int, upTo end: Int) -> (length: Int, learnedOnly: Bool)? {
        // The rules ask it of the same word again and again, with other ends: the best heading
        // after each length read up to the page's end is worked out once; an earlier end cuts it.
        let bests = knownHeadings.bests(at: i, of: tokens.count) { knownHeadingBests(at: i) }
        let read = min(bests.count, end - i - 1)
        return read >= 1 ? bests[read - 1] : nil
    }

    /// For each length of words read from `i` (the page's end, a word that cannot end a heading or
    /// words no heading starts with stop the reading), the longest known heading among them.
    private func knownHeadingBests(at i: Int) -> [(length: Int, learnedOnly: Bool)?] {
        guard knowledge.firstWords.contains(bare[i]) || retailerFirstWords.contains(bare[i]) else { return [] }
        return asciiKnownHeadingBests(at: i) ?? textKnownHeadingBests(at: i)
    }

    /// `knownHeadingBests` after its first word, the phrases made and asked as text: any words.
    func textKnownHeadingBests(at i: Int) -> [(length: Int, learnedOnly: Bool)?] {
        var out: [(length: Int, learnedOnly: Bool)?] = []
        var best: (length: Int, learnedOnly: Bool)?
        var key = ""
        for len in 1...8 {
            let k = i + len - 1
            guard k + 1 < tokens.count, wordEnds[k] else { break }
            key = len == 1 ? bare[k] : key + " " + bare[k]
            // No heading goes on with these words: none longer either.
            if len > 1, !knowledge.prefixes.contains(key), !retailerPrefixes.contains(key) { break }
            if len >= 2 || retailerWords.contains(key) || Self.singleWordHeadings.contains(key) {
                if isKnown(key) {
                    best = (len, false)
                } else if len >= 2, knowledge.learned.contains(key), best.map({ $0.learnedOnly }) ?? true {
                    best = (len, true)
                }
            }
            out.append(best)
        }
        return out
    }

    /// `knownHeadingBests` for words of ASCII bytes (nearly all): the phrase's bytes grow in one
    /// buffer and are hashed as they come, once for the six sets asked. Nil when a word read is
    /// not ASCII (the phrases as text decide then).
    func asciiKnownHeadingBests(at i: Int) -> [(length: Int, learnedOnly: Bool)?]? {
        var out: [(length: Int, learnedOnly: Bool)?] = []
        var best: (length: Int, learnedOnly: Bool)?
        var key: [UInt8] = []
        key.reserveCapacity(64)
        var h = ByteInterner.fnvStart
        for len in 1...8 {
            let k = i + len - 1
            guard k + 1 < tokens.count, wordEnds[k] else { break }
            let ascii = bare[k].utf8.withContiguousStorageIfAvailable { u -> Bool in
                for b in u where b >= 0x80 { return false }
                if len > 1 { key.append(0x20); h = ByteInterner.fnv(h, 0x20) }
                for b in u { key.append(b); h = ByteInterner.fnv(h, b) }
                return true
            }
            guard ascii == true else { return nil }
            let hash = ByteInterner.fold(h)
            let stop = key.withUnsafeBufferPointer { key -> Bool in
                // No heading goes on with these words: none longer either.
                if len > 1, !knowledge.prefixes.contains(ascii: key, hash: hash), !retailerPrefixes.contains(ascii: key, hash: hash) {
                    return true
                }
                if len >= 2 || retailerWords.contains(ascii: key, hash: hash) || Self.singleWordHeadings.contains(ascii: key, hash: hash) {
                    if knowledge.known.contains(ascii: key, hash: hash) || retailerWords.contains(ascii: key, hash: hash) {
                        best = (len, false)
                    } else if len >= 2, knowledge.learned.contains(ascii: key, hash: hash), best.map({ $0.learnedOnly }) ?? true {
                        best = (len, true)
                    }
                }
                return false
            }
            if stop { break }
            out.append(best)
        }
        return out
    }

    /// `knownHeadingBests` of each word, made when first asked.
    private final class KnownHeadings {
        private var table: [[(length: Int, learnedOnly: Bool)?]?] = []

        func bests(at i: Int, of count: Int, _ make: () -> [(length: Int, learnedOnly: Bool)?]) -> [(length: Int, learnedOnly: Bool)?] {
            if table.isEmpty { table = Array(repeating: nil, count: count) }
            if let known = table[i] { return known }
            let made = make()
            table[i] = made
            return made
        }
    }
    private let knownHeadings = KnownHeadings()

    /// One-word headings trusted on their own.
    private static let singleWordHeadings: WordSet = [
        "cookies", "security", "minors", "children", "disclosure", "tell-a-friend", "introduction", "overview",
        "definitions", "choice", "choices", "access", "accuracy", "consent", "questions", "changes", "updates",
        "advertising", "analytics", "links", "truste", "retention", "scope", "forums", "surveys", "contests", "marketing",
        "complaints", "feedback",
    ]
}
