import Foundation

/// A fact a policy states, linked to the clause it comes from.
public struct PolicyFact: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        case email, phone, address, minimumAge, lastUpdated, thirdParty, law, optOut

        public var title: String {
            switch self {
            case .email: return "E-mail"
            case .phone: return "Phone"
            case .address: return "Address"
            case .minimumAge: return "Minimum age"
            case .lastUpdated: return "Last updated"
            case .thirdParty: return "Third parties"
            case .law: return "Laws & frameworks"
            case .optOut: return "Opt-out"
            }
        }
    }

    public var kind: Kind
    /// The normalised value: an address as written, a date as YYYY-MM-DD, an age as digits.
    public var value: String
    public var sectionPath: String
    public var sectionTitle: String
    /// Index of the clause within its section.
    public var clauseIndex: Int
    /// The clause's text.
    public var text: String
    /// Where in `text` the fact is written (Unicode scalar offsets), when it is written verbatim.
    public var start: Int?
    public var end: Int?

    /// The age as a number, for `minimumAge`.
    public var age: Int? { kind == .minimumAge ? Int(value) : nil }
}

/// Extracts contact details, the minimum age, the last-updated date, named third parties, laws and
/// opt-out links from a parsed policy. Works on clauses only, so navigation and footers (which the
/// parsers leave out) never contribute.
public enum FactExtractor {
    public static func facts(in document: PolicyDocument) -> [PolicyFact] {
        var out: [PolicyFact] = []
        var seen = Set<String>()
        func add(_ kind: PolicyFact.Kind, _ value: String, _ section: PolicySection, _ index: Int, _ text: String, _ range: NSRange?) {
            // One fact per normal form: two spellings of one link or phone are one fact.
            let key = kind.rawValue + "\u{1}" + FactDiff.key(kind, value)
            guard !value.isEmpty, seen.insert(key).inserted else { return }
            var start: Int?, end: Int?
            if let range, let r = Range(range, in: text) {
                start = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: r.lowerBound.samePosition(in: text.unicodeScalars) ?? text.unicodeScalars.startIndex)
                end = start.map { $0 + text[r].unicodeScalars.count }
            }
            out.append(PolicyFact(kind: kind, value: value, sectionPath: section.path, sectionTitle: section.title,
                                  clauseIndex: index, text: text, start: start, end: end))
        }
        for section in document.allSections {
            for (index, clause) in section.clauses.enumerated() {
                let text = clause.text
                let ns = text as NSString
                let all = NSRange(location: 0, length: ns.length)
                if document.lastUpdated != nil, let m = DateText.lastUpdatedMatch(in: text), m.date == document.lastUpdated {
                    add(.lastUpdated, m.date, section, index, text, m.range)
                }
                // Each pattern only where it could match (no @, no e-mail; fewer digits than a phone
                // number has, no phone): a regular expression costs a copy of the text into UTF-16.
                let digits = text.utf8.reduce(0) { $0 + ($1 >= 0x30 && $1 <= 0x39 ? 1 : 0) }
                for m in !text.utf8.contains(UInt8(ascii: "@")) ? [] : Patterns.email?.matches(in: text, range: all) ?? [] {
                    add(.email, ns.substring(with: m.range).lowercased(), section, index, text, m.range)
                }
                // An address only a link's target gives ("[Mel Farber](mailto:mfarber@gitlab.com)").
                for style in clause.styles where style.kind == .link {
                    guard let address = mailtoAddress(style.url) else { continue }
                    let scalars = text.unicodeScalars
                    guard style.start >= 0, style.end <= scalars.count, style.start < style.end else { continue }
                    let lo = scalars.index(scalars.startIndex, offsetBy: style.start), hi = scalars.index(scalars.startIndex, offsetBy: style.end)
                    add(.email, address, section, index, text, NSRange(lo..<hi, in: text))
                }
                for m in digits < 6 ? [] : Patterns.phone?.matches(in: text, range: all) ?? [] where !Self.isFax(m.range, in: ns) {
                    add(.phone, ns.substring(with: m.range).trimmedSpaces, section, index, text, m.range)
                }
                let addresses = digits < 5 ? [] : Patterns.address?.matches(in: text, range: all) ?? []
                // Where the page broke the address's lines, a comma ("Suite 1554⏎Los Angeles" is
                // "Suite 1554, Los Angeles").
                let breaks = addresses.isEmpty ? [] : clause.lineBreaks
                let lines: NSString? = breaks.isEmpty ? nil : {
                    var scalars = Array(text.unicodeScalars)
                    for b in breaks where scalars.indices.contains(b) && scalars[b] == " " { scalars[b] = "\u{2028}" }
                    return String(String.UnicodeScalarView(scalars)) as NSString
                }()
                for m in addresses {
                    let written = (lines ?? ns).substring(with: m.range)
                    let address = written.replacingOccurrences(of: ",\u{2028}", with: ", ").replacingOccurrences(of: "\u{2028}", with: ", ").trimmedSpaces
                    add(.address, address, section, index, text, m.range)
                }
                if addresses.isEmpty, digits >= 5, let (address, range) = addressBlock(clause) {
                    add(.address, address, section, index, text, range)
                }
                for (age, range) in minimumAges(in: text) {
                    add(.minimumAge, String(age), section, index, text, range)
                }
                for (name, range) in Gazetteer.thirdParties(in: text, caseFolded: document.caseFolded) {
                    add(.thirdParty, name, section, index, text, range)
                }
                for (name, range) in Gazetteer.laws(in: text, sectionTitle: section.title) {
                    add(.law, name, section, index, text, range)
                }
                for (link, range) in optOutLinks(in: clause) {
                    add(.optOut, link, section, index, text, range)
                }
            }
        }
        // A date stated in a heading only ("#### UPDATED: 9/28/2012", fossil.com): the heading is
        // its text, its section's first clause where it leads.
        if let date = document.lastUpdated, !out.contains(where: { $0.kind == .lastUpdated }),
           let section = document.allSections.first(where: { !$0.isPreamble && DateText.lastUpdatedMatch(in: $0.title)?.date == date }),
           let m = DateText.lastUpdatedMatch(in: section.title) {
            add(.lastUpdated, date, section, 0, section.title, m.range)
        }
        return out
    }

    /// An address set as lines (a contact block with hard line breaks) that has no street number
    /// for the pattern: a line "City, ST 12345" and the line above it ("L.L.Bean, Dept. CFM⏎Freeport,
    /// ME 04033", llbean.com 2015), joined with ", ".
    static func addressBlock(_ clause: Clause) -> (String, NSRange)? {
        let breaks = clause.lineBreaks
        guard !breaks.isEmpty else { return nil }
        let scalars = Array(clause.text.unicodeScalars)
        var bounds: [Range<Int>] = []
        var start = 0
        for b in breaks where b > start && b < scalars.count { bounds.append(start..<b); start = b + 1 }
        bounds.append(start..<scalars.count)
        func line(_ r: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[r])).trimmedSpaces }
        for k in bounds.indices.dropFirst() {
            let city = line(bounds[k]) as NSString
            guard let m = Patterns.cityLine?.firstMatch(in: city as String, range: NSRange(location: 0, length: city.length)),
                  m.range.length == city.length else { continue }
            let above = line(bounds[k - 1])
            // The line above names the place: not a phone, an e-mail or a link.
            guard !above.isEmpty, !above.contains("@"), !above.lowercased().contains("http"),
                  above.filter(\.isNumber).count < 7 else { continue }
            let lo = clause.text.unicodeScalars.index(clause.text.unicodeScalars.startIndex, offsetBy: bounds[k - 1].lowerBound)
            let hi = clause.text.unicodeScalars.index(clause.text.unicodeScalars.startIndex, offsetBy: bounds[k].upperBound)
            return (above + ", " + (city as String), NSRange(lo..<hi, in: clause.text))
        }
        return nil
    }

    /// The e-mail address of a `mailto:` link's target, lower-cased, without its query.
    static func mailtoAddress(_ url: String?) -> String? {
        guard let url, url.lowercased().hasPrefix("mailto:") else { return nil }
        let address = String(url.dropFirst(7).prefix { $0 != "?" }).removingPercentEncoding?.lowercased() ?? ""
        let ns = address as NSString
        guard let m = Patterns.email?.firstMatch(in: address, range: NSRange(location: 0, length: ns.length)),
              m.range.length == ns.length else { return nil }
        return address
    }

    /// Whether the number at `range` is labelled a fax only ("Fax: 207-552-3080", "(fax) …"): not a
    /// phone. A label that names a phone too ("Tel/Fax:", "Phone or fax") keeps it one.
    static func isFax(_ range: NSRange, in text: NSString) -> Bool {
        let start = max(0, range.location - 16)
        let before = text.substring(with: NSRange(location: start, length: range.location - start)).lowercased()
        let label = before.trimmingCharacters(in: CharacterSet(charactersIn: " \t\u{A0}:.-—–()#"))
        let words = Tokenizer.foldedWords(label)
        guard let last = words.last, ["fax", "facsimile", "number", "no", "at", "to", "on"].contains(last),
              words.contains("fax") || words.contains("facsimile") else { return false }
        return !words.contains { ["phone", "tel", "telephone", "call", "voice"].contains($0) }
    }

    enum Patterns {
        static let email = try? NSRegularExpression(pattern: "(?<![\\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}(?![\\w@])")
        /// North-American numbers as written: 1-877-826-9866, 1.800.509.4990, (800) 555-1212, +1 800 555 1212.
        /// A North-American number, with its country code written "1", "+1" or "00-1" or none, and a
        /// toll-free one spelt in letters ("1-800-311-JEWEL").
        static let phone = try? NSRegularExpression(pattern: "(?<![\\w./-])(?:00[-. ]?1[-. ]|\\+?1[-. ]?)?(?:(?:\\(\\d{3}\\)\\s?|\\d{3}[-. ])\\d{3}[-. ]\\d{4}|8(?:00|33|44|55|66|77|88)[-. ]\\d{3}[-. ][A-Za-z]{4,7})(?![\\w/-]|\\.\\d)")
        /// A US postal address: street number, street name with a street word, optional unit, city, state, ZIP.
        static let address: NSRegularExpression? = {
            let street = "(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|parkway|pkwy|court|ct|place|pl|plaza|square|sq|highway|hwy|circle|cir|broadway|terrace|suite|ste|floor|fl|east|west|north|south)"
            let states = "(?:al|ak|az|ar|ca|co|ct|de|dc|fl|ga|hi|id|il|in|ia|ks|ky|la|me|md|ma|mi|mn|ms|mo|mt|ne|nv|nh|nj|nm|ny|nc|nd|oh|ok|or|pa|ri|sc|sd|tn|tx|ut|vt|va|wa|wv|wi|wy|california|new york|texas|florida|illinois|minnesota|wisconsin|washington|massachusetts|new jersey|pennsylvania|ohio|georgia|utah|colorado|nevada|oregon|arizona)"
            let pattern = "(?<![\\w-])(?:\\d{1,6}(?:\\s+(?:[A-Za-z]\\.|[A-Za-z0-9'#-]+)){0,6}?\\s+\(street)\\.?(?:,?\\s+[A-Za-z0-9.#-]+){0,8}?|p\\.?\\s?o\\.?\\s+box\\s+\\d+(?:\\s+[A-Za-z.-]+){1,4}?),?\\s+\(states)\\.?,?\\s+\\d{5}(?:-\\d{4})?(?!\\d)"
            return try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        }()
        /// A line that is only a city, a US state and a ZIP code ("Freeport, ME 04033").
        static let cityLine: NSRegularExpression? = {
            let states = "(?:al|ak|az|ar|ca|co|ct|de|dc|fl|ga|hi|id|il|in|ia|ks|ky|la|me|md|ma|mi|mn|ms|mo|mt|ne|nv|nh|nj|nm|ny|nc|nd|oh|ok|or|pa|ri|sc|sd|tn|tx|ut|vt|va|wa|wv|wi|wy)"
            return try? NSRegularExpression(pattern: "^[A-Za-z][A-Za-z .'-]{1,30},?\\s+\(states)\\.?,?\\s+\\d{5}(?:-\\d{4})?$", options: [.caseInsensitive])
        }()
        static let age: NSRegularExpression? = {
            let number = "(\\d{1,2}|" + numberWords.keys.sorted { $0.count > $1.count }.joined(separator: "|") + ")"
            let pattern = "\\b(?:under|below|younger\\s+than)\\s+(?:the\\s+)?(?:age\\s+of\\s+|age\\s+)?\(number)(?!\\s*(?:%|percent|days|months|hours|minutes|\\d))(?:\\s+years)?" +
                "|\\b(?:at\\s+least|over|older\\s+than)\\s+(?:the\\s+age\\s+of\\s+)?\(number)\\s+years" +
                "|\\b\(number)\\s+years\\s+(?:of\\s+age\\s+)?(?:or|and)\\s+(?:older|over|above)" +
                "|\\bage\\s+(?:of\\s+)?\(number)\\s+(?:or|and)\\s+(?:older|over|above)"
            return try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        }()
        static let url = try? NSRegularExpression(pattern: "(?:https?:?/{0,2}|www\\.)[^\\s<>\"“”)(,]+[^\\s<>\"“”)(,.;:]", options: [.caseInsensitive])
    }

    static let numberWords: [String: Int] = [
        "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
        "nineteen": 19, "twenty": 20, "twenty-one": 21, "twenty one": 21, "twelve": 12, "eleven": 11, "ten": 10,
    ]

    /// Ages a text states as a limit for using the service ("under the age of eighteen" → 18).
    static func minimumAges(in text: String) -> [(Int, NSRange)] {
        let ns = text as NSString
        let lower = text.lowercased()
        // An age limit lives in a sentence about people: children, minors, users, persons, visitors…
        let aboutPeople = ["child", "minor", "age", "person", "anyone", "user", "visitor", "you are", "individual", "kids", "teen", "parent", "resident", "people", "customers", "years old", "you must"]
        let lowerBytes = Array(lower.utf8)
        guard aboutPeople.contains(where: { Gazetteer.occurs(Array($0.utf8), in: lowerBytes) }),
              // Every form of the pattern holds one of these words.
              ["under", "below", "younger", "years", "age"].contains(where: { Gazetteer.occurs(Array($0.utf8), in: lowerBytes) }),
              statesANumber(lowerBytes)
        else { return [] }
        var out: [(Int, NSRange)] = []
        for m in Patterns.age?.matches(in: text, range: NSRange(location: 0, length: ns.length)) ?? [] {
            // "If you are under 18 … you may ask us to remove content you posted" (California's
            // eraser law) grants minors a right; it sets no age for using the service.
            let sentence = Self.sentence(around: m.range, in: ns).lowercased()
            if sentence.contains("remov"), ["content", "post"].contains(where: sentence.contains),
               ["you may", "you can", "request"].contains(where: sentence.contains) { continue }
            for g in 1..<m.numberOfRanges where m.range(at: g).location != NSNotFound {
                let raw = ns.substring(with: m.range(at: g)).lowercased()
                guard let age = Int(raw) ?? numberWords[raw], (10...21).contains(age) else { continue }
                out.append((age, m.range))
                break
            }
        }
        return out
    }

    /// The sentence of `text` that holds `range`: from after the last ". " before it to the next
    /// ". " after it (or the text's ends).
    static func sentence(around range: NSRange, in text: NSString) -> String {
        let before = text.range(of: ". ", options: .backwards, range: NSRange(location: 0, length: range.location))
        let start = before.location == NSNotFound ? 0 : before.location + 2
        let afterStart = range.location + range.length
        let after = text.range(of: ". ", range: NSRange(location: afterStart, length: text.length - afterStart))
        let end = after.location == NSNotFound ? text.length : after.location + 1
        return text.substring(with: NSRange(location: start, length: end - start))
    }

    /// True when lower-cased text holds a digit or a number word the age pattern reads ("ten" as a word:
    /// "often" and "content" hold it too).
    static func statesANumber(_ lower: [UInt8]) -> Bool {
        if lower.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) { return true }
        if ["teen", "twenty", "twelve", "eleven"].contains(where: { Gazetteer.occurs(Array($0.utf8), in: lower) }) { return true }
        let ten = Array("ten".utf8)
        func isLetter(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || b >= 0x80 }
        var i = 0
        while i + ten.count <= lower.count {
            if lower[i] == ten[0], lower[i + 1] == ten[1], lower[i + 2] == ten[2],
               i == 0 || !isLetter(lower[i - 1]), i + 3 == lower.count || !isLetter(lower[i + 3]) { return true }
            i += 1
        }
        return false
    }

    /// Links (and addresses) a clause offers for opting out or unsubscribing, sentence by sentence.
    static func optOutLinks(in clause: Clause) -> [(String, NSRange?)] {
        let text = clause.text
        let lower = text.lowercased()
        let cues = ["opt out", "opt-out", "optout", "unsubscribe", "choices", "remove", "no longer receive", "do not wish to receive", "prevent your data"]
        let lowerBytes = Array(lower.utf8)
        guard cues.contains(where: { Gazetteer.occurs(Array($0.utf8), in: lowerBytes) }) else { return [] }
        var out: [(String, NSRange?)] = []
        let ns = text as NSString
        // Linked words ("clicking here") inside an opt-out sentence.
        let cueBytes = cues.map { Array($0.utf8) }
        for sentence in sentences(text) {
            let words = Array(ns.substring(with: sentence).lowercased().utf8)
            guard cueBytes.contains(where: { Gazetteer.occurs($0, in: words) }) else { continue }
            for style in clause.styles where style.kind == .link {
                guard let url = style.url, let r = scalarRange(text, style.start, style.end), NSIntersectionRange(r, sentence).length > 0,
                      !url.lowercased().hasPrefix("mailto:"), !url.hasPrefix("#") else { continue }
                out.append((url, r))
            }
            let linkWords = Gazetteer.occurs(Array("http".utf8), in: words) || Gazetteer.occurs(Array("www.".utf8), in: words)
            for m in !linkWords ? [] : Patterns.url?.matches(in: text, range: sentence) ?? [] {
                var link = ns.substring(with: m.range)
                if link.lowercased().hasPrefix("http//") { link = "http://" + link.dropFirst(6) }
                if link.lowercased().hasPrefix("https//") { link = "https://" + link.dropFirst(7) }
                out.append((link, m.range))
            }
            // "opt out by sending us an email to info@…": the address is the opt-out.
            for m in !words.contains(UInt8(ascii: "@")) ? [] : Patterns.email?.matches(in: text, range: sentence) ?? [] {
                out.append(("mailto:" + ns.substring(with: m.range).lowercased(), m.range))
            }
        }
        return out
    }

    static func sentences(_ text: String) -> [NSRange] {
        let ns = text as NSString
        var out: [NSRange] = []
        var start = 0
        let chars = Array(text.utf16)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if (c == 0x2E || c == 0x21 || c == 0x3F), i + 1 < chars.count, chars[i + 1] == 0x20 {
                out.append(NSRange(location: start, length: i + 1 - start))
                start = i + 2
            }
            i += 1
        }
        if start < ns.length { out.append(NSRange(location: start, length: ns.length - start)) }
        return out
    }

    static func scalarRange(_ text: String, _ start: Int, _ end: Int) -> NSRange? {
        let scalars = text.unicodeScalars
        guard start >= 0, end >= start, end <= scalars.count else { return nil }
        let a = scalars.index(scalars.startIndex, offsetBy: start)
        let b = scalars.index(a, offsetBy: end - start)
        return NSRange(a..<b, in: text)
    }
}

/// Named services, companies and laws, with the spellings policies use.
enum Gazetteer {
    /// Canonical name, then spellings (lower-case, matched on word boundaries). `strictCase` names are
    /// ordinary words in lower case ("ups", "discover") and only count when written with capitals.
    static let services: [(name: String, spellings: [String], strictCase: Bool)] = [
        ("Google Analytics", ["google analytics"], false),
        ("DoubleClick", ["doubleclick", "double click"], false),
        ("Google AdWords", ["google adwords", "adwords"], false),
        ("Google AdSense", ["adsense"], false),
        ("Google", ["google"], false),
        ("PayPal", ["paypal"], false),
        ("Authorize.Net", ["authorize.net", "authorizenet"], false),
        ("FedEx", ["fedex", "federal express"], false),
        ("UPS", ["UPS", "United Parcel Service"], true),
        ("USPS", ["usps", "united states postal service", "u.s. postal service"], false),
        ("DHL", ["dhl"], false),
        ("TRUSTe", ["truste"], false),
        ("VeriSign", ["verisign", "versign"], false),
        ("McAfee", ["mcafee"], false),
        ("Norton", ["norton secured", "norton"], false),
        ("BBB", ["better business bureau", "bbbonline"], false),
        ("Facebook", ["facebook"], false),
        ("Instagram", ["instagram"], false),
        ("Twitter", ["twitter"], false),
        ("LinkedIn", ["linkedin"], false),
        ("Pinterest", ["pinterest"], false),
        ("YouTube", ["youtube"], false),
        ("Snapchat", ["snapchat"], false),
        ("TikTok", ["tiktok"], false),
        ("Amazon", ["amazon payments", "amazon pay", "amazon web services", "amazon"], false),
        ("Microsoft", ["microsoft"], false),
        ("Bing", ["Bing"], true),
        ("Yahoo", ["yahoo"], false),
        ("Criteo", ["criteo"], false),
        ("AdRoll", ["adroll"], false),
        ("Klarna", ["klarna"], false),
        ("Affirm", ["Affirm"], true),
        ("Afterpay", ["afterpay"], false),
        ("Stripe", ["Stripe"], true),
        ("Braintree", ["braintree"], false),
        ("CyberSource", ["cybersource"], false),
        ("Signifyd", ["signifyd"], false),
        ("Riskified", ["riskified"], false),
        ("Kount", ["kount"], false),
        ("Shopify", ["shopify"], false),
        ("Salesforce", ["salesforce"], false),
        ("Mailchimp", ["mailchimp"], false),
        ("Klaviyo", ["klaviyo"], false),
        ("Bronto", ["bronto"], false),
        ("Listrak", ["listrak"], false),
        ("Zendesk", ["zendesk"], false),
        ("Hotjar", ["hotjar"], false),
        ("Optimizely", ["optimizely"], false),
        ("Bazaarvoice", ["bazaarvoice"], false),
        ("Yotpo", ["yotpo"], false),
        ("Omniture", ["omniture"], false),
        ("Adobe Analytics", ["adobe analytics"], false),
        ("comScore", ["comscore"], false),
        ("Nielsen", ["nielsen"], false),
        ("Quantcast", ["quantcast"], false),
        ("Rakuten", ["rakuten", "linkshare"], false),
        ("Commission Junction", ["commission junction"], false),
        ("ShareASale", ["shareasale"], false),
        ("Taboola", ["taboola"], false),
        ("Outbrain", ["outbrain"], false),
        ("Akamai", ["akamai"], false),
        ("Cloudflare", ["cloudflare"], false),
        ("Visa", ["Visa"], true),
        ("MasterCard", ["mastercard"], false),
        ("American Express", ["american express"], false),
        ("Digital Advertising Alliance", ["digital advertising alliance"], false),
        ("European Interactive Digital Advertising Alliance", ["european interactive digital advertising alliance"], false),
        ("Network Advertising Initiative", ["network advertising initiative"], false),
    ]

    static let lawList: [(name: String, spellings: [String])] = [
        ("GDPR", ["gdpr", "general data protection regulation"]),
        ("EU-US Privacy Shield", ["privacy shield"]),
        ("Swiss-US Privacy Shield", ["swiss-us privacy shield", "swiss - us privacy shield"]),
        ("Safe Harbor", ["safe harbor", "safe harbour"]),
        ("COPPA", ["coppa", "children's online privacy protection act", "children’s online privacy protection act"]),
        ("CalOPPA", ["caloppa", "california online privacy protection act"]),
        ("CCPA", ["ccpa", "california consumer privacy act"]),
        ("CAN-SPAM Act", ["can-spam", "can spam act"]),
        ("California Shine the Light law", ["shine the light"]),
        ("PIPEDA", ["pipeda", "personal information protection and electronic documents act"]),
        ("ePrivacy Directive", ["eprivacy directive", "e-privacy directive"]),
        ("EU Data Protection Directive", ["data protection directive", "directive 95/46/ec"]),
        ("Fair Information Practices", ["fair information practices", "fair information practice principles"]),
        ("Gramm-Leach-Bliley Act", ["gramm-leach-bliley"]),
        ("HIPAA", ["hipaa"]),
        ("FERPA", ["ferpa"]),
    ]

    /// Longest spellings first, so "European Interactive Digital Advertising Alliance" is not read as
    /// the "Digital Advertising Alliance" inside it.
    /// Each compiled when a text first holds one of its spellings (compiling all of them cost a
    /// `diff --json` of two versions more than finding their facts).
    static let serviceMatchers: [(name: String, regex: LazyRegex, strictCase: Bool)] = services.sorted {
        ($0.spellings.map(\.count).max() ?? 0) > ($1.spellings.map(\.count).max() ?? 0)
    }.map { entry in
        let alternation = entry.spellings.map { NSRegularExpression.escapedPattern(for: $0) }.joined(separator: "|")
        let options: NSRegularExpression.Options = entry.strictCase ? [] : [.caseInsensitive]
        return (entry.name, LazyRegex("(?<![\\w.-])(?:\(alternation))(?![\\w-]|\\.\\w)", options: options), entry.strictCase)
    }

    static let lawMatchers: [(name: String, regex: LazyRegex)] = lawList.map { entry in
        let alternation = entry.spellings.map { NSRegularExpression.escapedPattern(for: $0) }.joined(separator: "|")
        return (entry.name, LazyRegex("(?<![\\w-])(?:\(alternation))(?![\\w-])", options: [.caseInsensitive]))
    }

    /// "California Civil Code Section 1798.83", "Business and Professions Code Section 22581".
    static let codeSection = try? NSRegularExpression(
        pattern: "(california\\s+)?(civil|business\\s+(?:and|&)\\s+professions|penal|government|health\\s+and\\s+safety)\\s+code\\s*(?:section|sec\\.|§)?\\s*(?:§\\s*)?(\\d{3,5}(?:\\.\\d+)?)",
        options: [.caseInsensitive])

    /// The spellings of each service and law as bytes (lower-cased unless the case is strict), in the
    /// order of `serviceMatchers` and `lawMatchers`: a matcher runs only on text holding one of them.
    static let serviceNeedles: [[[UInt8]]] = serviceMatchers.map { matcher in
        let entry = services.first { $0.name == matcher.name }
        return (entry?.spellings ?? []).map { Array((matcher.strictCase ? $0 : $0.lowercased()).utf8) }
    }
    static let lawNeedles: [[[UInt8]]] = lawMatchers.map { matcher in
        (lawList.first { $0.name == matcher.name }?.spellings ?? []).map { Array($0.lowercased().utf8) }
    }

    /// The service spellings to find in lower-cased text, those to find as written, and the law spellings.
    static let lowerServiceNeedles = NeedleSet(serviceNeedles.enumerated().filter { !serviceMatchers[$0.offset].strictCase }
        .flatMap { n, needles in needles.map { (n, $0) } }, count: serviceMatchers.count)
    static let strictServiceNeedles = NeedleSet(serviceNeedles.enumerated().filter { serviceMatchers[$0.offset].strictCase }
        .flatMap { n, needles in needles.map { (n, $0) } }, count: serviceMatchers.count)
    static let lawNeedleSet = NeedleSet(lawNeedles.enumerated().flatMap { n, needles in needles.map { (n, $0) } }, count: lawMatchers.count)

    /// True when `needle` occurs in `haystack`.
    static func occurs(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= haystack.count else { return needle.isEmpty }
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var k = 1
                while k < needle.count, haystack[i + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    static func thirdParties(in text: String, caseFolded: Bool) -> [(String, NSRange)] {
        let all = NSRange(location: 0, length: (text as NSString).length)
        var taken: [NSRange] = []
        var out: [(String, NSRange)] = []
        let lower = lowerServiceNeedles.present(in: Array(text.lowercased().utf8))
        let strict = caseFolded ? [] : strictServiceNeedles.present(in: Array(text.utf8))
        for (n, matcher) in serviceMatchers.enumerated() where !(matcher.strictCase && caseFolded) {
            guard matcher.strictCase ? strict[n] : lower[n] else { continue }
            for m in matcher.regex.matches(in: text, range: all) {
                // "Google Analytics" already covers the "Google" inside it.
                guard !taken.contains(where: { NSIntersectionRange($0, m.range).length > 0 }) else { continue }
                taken.append(m.range)
                out.append((matcher.name, m.range))
            }
        }
        return out.sorted { $0.1.location < $1.1.location }
    }

    static func laws(in text: String, sectionTitle: String) -> [(String, NSRange?)] {
        let ns = text as NSString
        let all = NSRange(location: 0, length: ns.length)
        var out: [(String, NSRange?)] = []
        let lowerBytes = Array(text.lowercased().utf8)
        let present = lawNeedleSet.present(in: lowerBytes)
        for (n, matcher) in lawMatchers.enumerated() where present[n] {
            if let m = matcher.regex.firstMatch(in: text, range: all) { out.append((matcher.name, m.range)) }
        }
        for m in !occurs(Array("code".utf8), in: lowerBytes) ? [] : codeSection?.matches(in: text, range: all) ?? [] {
            let kind = ns.substring(with: m.range(at: 2)).lowercased().split(whereSeparator: { $0 == " " }).map(String.init)
            let body = kind.map { $0 == "&" || $0 == "and" ? "and" : $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
            let californian = m.range(at: 1).location != NSNotFound || text.lowercased().contains("california")
            out.append(((californian ? "California " : "") + body + " Code " + ns.substring(with: m.range(at: 3)), m.range))
        }
        // A "do not track" disclosure is what CalOPPA requires; a clause stating one under a Californian
        // heading, or naming California itself, discloses under CalOPPA.
        if occurs(Array("do not track".utf8), in: lowerBytes) || occurs(Array("do-not-track".utf8), in: lowerBytes),
           occurs(Array("california".utf8), in: lowerBytes) || sectionTitle.lowercased().contains("california"),
           !out.contains(where: { $0.0 == "CalOPPA" }) {
            let r = ns.range(of: "do not track", options: .caseInsensitive)
            out.append(("CalOPPA", r.location == NSNotFound ? nil : r))
        }
        return out
    }
}

/// Byte strings looked for together in one pass over a text: which of their owners have one present.
struct NeedleSet: Sendable {
    /// By first byte: (owner, the needle).
    private let buckets: [[(owner: Int, bytes: [UInt8])]]
    private let count: Int

    /// `needles` pairs an owner (0..<count) with one of its byte strings (not empty).
    init(_ needles: [(Int, [UInt8])], count: Int) {
        var buckets = [[(owner: Int, bytes: [UInt8])]](repeating: [], count: 256)
        for (owner, bytes) in needles where !bytes.isEmpty { buckets[Int(bytes[0])].append((owner, bytes)) }
        self.buckets = buckets
        self.count = count
    }

    /// For each owner, whether one of its needles occurs in `haystack`.
    func present(in haystack: [UInt8]) -> [Bool] {
        var out = [Bool](repeating: false, count: count)
        haystack.withUnsafeBufferPointer { h in
            for i in 0..<h.count {
                for (owner, needle) in buckets[Int(h[i])] where !out[owner] && needle.count <= h.count - i {
                    var k = 1
                    while k < needle.count, h[i + k] == needle[k] { k += 1 }
                    if k == needle.count { out[owner] = true }
                }
            }
        }
        return out
    }
}

/// A regular expression compiled on first use, from any thread.
final class LazyRegex: @unchecked Sendable {
    private let pattern: String
    private let options: NSRegularExpression.Options
    private let lock = NSLock()
    private var compiled: NSRegularExpression??

    init(_ pattern: String, options: NSRegularExpression.Options) {
        self.pattern = pattern
        self.options = options
    }

    var regex: NSRegularExpression? {
        lock.withLock {
            if let compiled { return compiled }
            let r = try? NSRegularExpression(pattern: pattern, options: options)
            compiled = .some(r)
            return r
        }
    }

    func matches(in text: String, range: NSRange) -> [NSTextCheckingResult] { regex?.matches(in: text, range: range) ?? [] }
    func firstMatch(in text: String, range: NSRange) -> NSTextCheckingResult? { regex?.firstMatch(in: text, range: range) }
}
