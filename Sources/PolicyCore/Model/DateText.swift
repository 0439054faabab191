import Foundation

/// Finds and normalises dates written in policy text ("February 28, 2019", "9/28/2012").
public enum DateText {
    private static let months: [String: Int] = [
        "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
        "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
        "oct": 10, "nov": 11, "dec": 12,
    ]

    private static let monthAlternation = "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"

    static let lastUpdatedPattern: NSRegularExpression? = {
        let date = "((?:\(monthAlternation))\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:\(monthAlternation))\\.?,?\\s+\\d{4}|\\d{1,2}/\\d{1,2}/\\d{2,4}|\\d{4}-\\d{2}-\\d{2}|(?:\(monthAlternation))\\s+\\d{4})"
        // "Effective as from 12 December 2011", "The Effective Date of this Privacy Policy is June
        // 2nd, 2014", "last updated in December 2019".
        let pattern = "(?:last\\s+(?:updated|revised|revision|modified|amended|changed)|effective(?:\\s+date)?"
            + "(?:\\s+of\\s+this\\s+(?:privacy\\s+)?(?:policy|statement|notice)\\s+is)?|updated|revised|revision\\s+date"
            + "|date\\s+of\\s+last\\s+revision)\\s*(?:on|as\\s+of|as\\s+from|from|in|date)?\\s*[:\\-–—]?\\s*" + date
        return try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
    }()

    /// The "last updated" date a text states, as YYYY-MM-DD.
    public static func lastUpdated(in text: String) -> String? {
        lastUpdatedMatch(in: text)?.date
    }

    /// The stated "last updated" date and where the statement is written (UTF-16 range). A later
    /// update stated right after an effective date is the last one ("Effective Date: March 19,
    /// 2015 (last updated June 1, 2018)").
    public static func lastUpdatedMatch(in text: String) -> (date: String, range: NSRange)? {
        guard let first = firstLastUpdatedMatch(in: text) else { return nil }
        let ns = text as NSString
        func opensEffective(_ s: NSString, _ r: NSRange) -> Bool {
            s.substring(with: NSRange(location: r.location, length: min(9, r.length))).lowercased() == "effective"
        }
        guard opensEffective(ns, first.range) else { return first }
        let from = NSMaxRange(first.range)
        let window = ns.substring(with: NSRange(location: from, length: min(100, ns.length - from)))
        guard let next = firstLastUpdatedMatch(in: window), next.date > first.date, !opensEffective(window as NSString, next.range)
        else { return first }
        return (next.date, NSRange(location: from + next.range.location, length: next.range.length))
    }

    /// The first "last updated" or effective date the text states.
    static func firstLastUpdatedMatch(in text: String) -> (date: String, range: NSRange)? {
        guard let pattern = lastUpdatedPattern else { return nil }
        var text = text
        switch text.withUTF8({ lastUpdatedByBytes($0, pattern) }) {
        case .found(let match): return match
        case .undecided: return lastUpdatedMatchByUnits(in: text)
        }
    }

    private enum ByteSearch { case found((date: String, range: NSRange)?), undecided }

    /// `lastUpdatedMatchByUnits` on the UTF-8 bytes: the same openings and the same digit test,
    /// the units counted as it goes, and ICU given only a window of the text from the opening
    /// (copying the first 20 000 units to UTF-16 for each text, and again for each try, was
    /// most of the search). A match holds at most 42 characters that are not white space, so
    /// no try of the pattern reads past the 96th of them: a window that holds 96 (or ends where
    /// the search does) gives the match the whole text gives. A window that would end inside a
    /// surrogate pair leaves the answer to the units.
    private static func lastUpdatedByBytes(_ bytes: UnsafeBufferPointer<UInt8>, _ pattern: NSRegularExpression) -> ByteSearch {
        let n = bytes.count
        let limit = 20_000
        @inline(__always) func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
        /// The scalar at `q`, its length in bytes and in UTF-16 units.
        @inline(__always) func scalar(at q: Int) -> (value: UInt32, bytes: Int, units: Int) {
            let b = bytes[q]
            if b < 0x80 { return (UInt32(b), 1, 1) }
            let (s, length) = Tokenizer.scalar(in: bytes, at: q)
            return (s.value, length, s.value > 0xFFFF ? 2 : 1)
        }
        func isSpace(_ v: UInt32) -> Bool {   // what ICU's \s matches (as the units' test)
            v == 0x20 || (v >= 0x09 && v <= 0x0D) || v == 0x85 || v == 0xA0 || v == 0x1680 || (v >= 0x2000 && v <= 0x200A)
                || v == 0x2028 || v == 0x2029 || v == 0x202F || v == 0x205F || v == 0x3000
        }
        func starts(_ word: StaticString, at q: Int, unit: Int) -> Bool {
            let count = word.utf8CodeUnitCount
            guard q + count <= n, unit + count <= limit else { return false }
            let w = word.utf8Start
            for j in 0..<count where lower(bytes[q + j]) != w[j] { return false }
            return true
        }
        /// The next word after white space at `q`: its byte and unit offsets.
        func nextWord(after q: Int, unit: Int) -> (Int, Int)? {
            var j = q, uj = unit
            guard j < n, uj < limit, isSpace(scalar(at: j).value) else { return nil }
            while j < n, uj < limit {
                let s = scalar(at: j)
                guard isSpace(s.value) else { break }
                j += s.bytes; uj += s.units
            }
            return (j, uj)
        }
        func digitSoon(after q: Int, unit: Int) -> Bool {
            var others = 0, j = q, uj = unit
            while j < n, uj < limit, others <= 48 {
                let s = scalar(at: j)
                if s.value >= 0x30 && s.value <= 0x39 { return true }
                if s.value >= 0x80 {
                    if s.units == 2 { return true }
                    if Unicode.Scalar(s.value)?.properties.generalCategory == .decimalNumber { return true }
                }
                if !isSpace(s.value) { others += 1 }
                j += s.bytes; uj += s.units
            }
            return false
        }
        var p = 0, u = 0
        while p < n, u < limit {
            let b = lower(bytes[p])
            guard b >= 0x80 || b == 0x6C || b == 0x65 || b == 0x75 || b == 0x72 || b == 0x64 else { p += 1; u += 1; continue }
            if b >= 0x80 { let s = scalar(at: p); p += s.bytes; u += s.units; continue }
            let opens: Bool
            switch b {
            case 0x6C:
                if starts("last", at: p, unit: u), let (w, uw) = nextWord(after: p + 4, unit: u + 4) {
                    opens = ["updated", "revis", "modified", "amended", "changed"].contains(where: { starts($0, at: w, unit: uw) })
                } else { opens = false }
            case 0x65: opens = starts("effective", at: p, unit: u)
            case 0x75: opens = starts("updated", at: p, unit: u)
            case 0x72: opens = starts("revised", at: p, unit: u) || starts("revision", at: p, unit: u)
            default:
                if starts("date", at: p, unit: u), let (w, uw) = nextWord(after: p + 4, unit: u + 4) {
                    opens = starts("of", at: w, unit: uw)
                } else { opens = false }
            }
            guard opens, digitSoon(after: p, unit: u) else { p += 1; u += 1; continue }
            // The window: up to the 96th scalar that is not white space, or the search's end.
            var e = p, ue = u, seen = 0
            while e < n, ue < limit, seen < 96 {
                let s = scalar(at: e)
                if ue + s.units > limit { return .undecided }
                if !isSpace(s.value) { seen += 1 }
                e += s.bytes; ue += s.units
            }
            let window = String(decoding: UnsafeBufferPointer(rebasing: bytes[p..<e]), as: UTF8.self)
            guard let m = pattern.firstMatch(in: window, options: [.anchored], range: NSRange(location: 0, length: ue - u)) else {
                p += 1; u += 1; continue
            }
            guard let date = normalise((window as NSString).substring(with: m.range(at: 1))) else { return .found(nil) }
            return .found((date, NSRange(location: u + m.range.location, length: m.range.length)))
        }
        return .found(nil)
    }

    /// The stated "last updated" date, found on the text's UTF-16 units.
    static func lastUpdatedMatchByUnits(in text: String) -> (date: String, range: NSRange)? {
        let ns = text as NSString
        let limit = min(ns.length, 20_000)
        guard let pattern = lastUpdatedPattern else { return nil }
        // Every match starts with one of the pattern's first words (last, effective, updated,
        // revised/revision, date): the pattern is tried, anchored, only where one stands, in order.
        // The same first match as an unanchored search, without ICU trying every position.
        var units = [UInt16](repeating: 0, count: limit)
        ns.getCharacters(&units, range: NSRange(location: 0, length: limit))
        for k in units.indices where units[k] >= 0x41 && units[k] <= 0x5A { units[k] |= 0x20 }
        func starts(_ word: StaticString, at k: Int) -> Bool {
            let n = word.utf8CodeUnitCount
            guard k + n <= limit else { return false }
            let p = word.utf8Start
            for j in 0..<n where units[k + j] != UInt16(p[j]) { return false }
            return true
        }
        /// The first letter of the next word after `k` (past white space), if any.
        func isSpace(_ u: UInt16) -> Bool {   // what ICU's \s matches
            u == 0x20 || (u >= 0x09 && u <= 0x0D) || u == 0x85 || u == 0xA0 || u == 0x1680 || (u >= 0x2000 && u <= 0x200A)
                || u == 0x2028 || u == 0x2029 || u == 0x202F || u == 0x205F || u == 0x3000
        }
        func nextWord(after k: Int) -> Int? {
            var j = k
            guard j < limit, isSpace(units[j]) else { return nil }
            while j < limit, isSpace(units[j]) { j += 1 }
            return j
        }
        /// Whether a decimal digit (`\d`) follows `k` before more than 48 units that are neither
        /// white space nor digits: every date of the pattern has a digit, and at most 33 such units
        /// ("date of last revision as of - september.") stand before its first one. Most opening
        /// words ("we may update this policy") fail here, without a call to ICU.
        func digitSoon(after k: Int) -> Bool {
            var others = 0
            var j = k
            while j < limit, others <= 48 {
                let u = units[j]
                if u >= 0x30 && u <= 0x39 { return true }
                if u >= 0x80 {
                    // A surrogate may start a digit beyond the BMP: let the pattern decide.
                    guard let s = Unicode.Scalar(u) else { return true }
                    if s.properties.generalCategory == .decimalNumber { return true }
                }
                if !isSpace(u) { others += 1 }
                j += 1
            }
            return false
        }
        for k in 0..<limit {
            switch units[k] {
            case 0x6C:   // "last" and a verb
                guard starts("last", at: k), let w = nextWord(after: k + 4),
                      ["updated", "revis", "modified", "amended", "changed"].contains(where: { starts($0, at: w) }) else { continue }
            case 0x65: guard starts("effective", at: k) else { continue }
            case 0x75: guard starts("updated", at: k) else { continue }
            case 0x72: guard starts("revised", at: k) || starts("revision", at: k) else { continue }
            case 0x64:   // "date of last"
                guard starts("date", at: k), let w = nextWord(after: k + 4), starts("of", at: w) else { continue }
            default: continue
            }
            guard digitSoon(after: k) else { continue }
            guard let m = pattern.firstMatch(in: text, options: [.anchored], range: NSRange(location: k, length: limit - k)) else { continue }
            guard let date = normalise(ns.substring(with: m.range(at: 1))) else { return nil }
            return (date, m.range)
        }
        return nil
    }

    /// Normalises one written date to YYYY-MM-DD (day 01 when only a month is given).
    public static func normalise(_ raw: String) -> String? {
        let s = raw.lowercased().replacingOccurrences(of: ",", with: " ").replacingOccurrences(of: ".", with: " ")
        let parts = s.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        func day(_ x: String) -> Int? { Int(x.trimmingCharacters(in: CharacterSet.letters)) }
        if raw.contains("-"), parts.count == 1 {
            let p = raw.split(separator: "-").compactMap { Int($0) }
            if p.count == 3 { return format(p[0], p[1], p[2]) }
        }
        if raw.contains("/") {
            let p = raw.split(separator: "/").compactMap { Int($0.trimmedSpaces) }
            if p.count == 3 { return format(p[2] < 100 ? 2000 + p[2] : p[2], p[0], p[1]) }
            return nil
        }
        if parts.count >= 3, let m = months[parts[0]], let d = day(parts[1]), let y = Int(parts[2]) { return format(y, m, d) }
        if parts.count >= 3, let d = day(parts[0]), let m = months[parts[1]], let y = Int(parts[2]) { return format(y, m, d) }
        if parts.count == 2, let m = months[parts[0]], let y = Int(parts[1]) { return format(y, m, 1) }
        return nil
    }

    private static func format(_ y: Int, _ m: Int, _ d: Int) -> String? {
        guard isCalendarDate(y, m, d) else { return nil }
        return String(format: "%04d-%02d-%02d", y, m, d)
    }

    /// A year Redline reads (1900–2100), a month, and a day that month has ("February 30" is none).
    static func isCalendarDate(_ y: Int, _ m: Int, _ d: Int) -> Bool {
        (1900...2100).contains(y) && (1...12).contains(m) && (1...days(inMonth: m, year: y)).contains(d)
    }

    /// The days of month `m` (1–12) of year `y`, leap years counted.
    public static func days(inMonth m: Int, year y: Int) -> Int {
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][max(0, min(11, m - 1))]
    }

    /// Whether a YYYY-MM-DD date is one the calendar has, read from its digits (no formatting).
    static func isCalendarDate(_ iso: String) -> Bool {
        let digits = iso.utf8.map { Int($0) - 0x30 }
        guard digits.count == 10 else { return false }
        func number(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + digits[$1] } }
        return isCalendarDate(number(0..<4), number(5..<7), number(8..<10))
    }

    /// A Wayback timestamp (`/web/20150927100002/`) in a URL, as YYYY-MM-DD.
    public static func waybackDate(in url: String) -> String? {
        guard let r = url.range(of: "/web/") else { return nil }
        let digits = url[r.upperBound...].prefix { $0.isNumber }
        guard digits.count >= 8 else { return nil }
        let s = Array(digits)
        guard let y = Int(String(s[0..<4])), let m = Int(String(s[4..<6])), let d = Int(String(s[6..<8])) else { return nil }
        return format(y, m, d)
    }

    /// The domain a Wayback URL archives (`www.` dropped).
    public static func archivedDomain(in url: String) -> String? {
        var rest = Substring(url)
        if let r = url.range(of: "/web/") {
            rest = url[r.upperBound...].drop { $0 != "/" }.dropFirst()
        }
        var s = String(rest).removingPercentEncoding ?? String(rest)
        for scheme in ["https://", "http://"] where s.hasPrefix(scheme) { s.removeFirst(scheme.count) }
        let host = s.prefix { $0 != "/" && $0 != ":" && $0 != "?" }.lowercased()
        guard host.contains(".") else { return nil }
        return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
    }
}
