import Foundation

/// The versions nearest to a DOC argument that named none, for a "did you mean" line: a retailer
/// whose domain is a typo away (`jamesalen.com`, `jmaesallen`), and among its versions the ones
/// dated closest to the date asked (the nearest before and after `james@2018`).
///
/// A pure function of the argument and the version ids (`domain@YYYY-MM-DD`), so that it does not
/// depend on how the corpus is held.
public enum DocSuggestion {
    /// Suggestions, best first: retailer domains when `spec` names no date, else version ids.
    /// Empty when nothing is near enough to be a likely typo.
    public static func nearest(to spec: String, among ids: [String]) -> [String] {
        let parts = spec.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        let who = parts[0].lowercased().filter { !$0.isWhitespace }
        let date = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : ""
        guard !who.isEmpty else { return [] }
        var versions: [String: [String]] = [:]   // domain → its dates
        var order: [String] = []
        for id in ids {
            guard let at = id.firstIndex(of: "@") else { continue }
            let domain = String(id[..<at])
            if versions[domain] == nil { order.append(domain) }
            versions[domain, default: []].append(String(id[id.index(after: at)...]))
        }
        // Retailers: the only one (its versions were given), those the name starts (the date was
        // the miss), else those holding it after a dot or a dash ("etsy" for shop-etsy.com,
        // "nike" for www.nike.com), else the nearest typos.
        var domains = order.count == 1 ? order : order.filter { $0.hasPrefix(who) }
        if domains.isEmpty, who.count >= 3 {
            // Not the ending: "com" names no retailer.
            domains = order.filter { d in d.components(separatedBy: CharacterSet(charactersIn: ".-")).dropFirst().dropLast().contains { $0.hasPrefix(who) } }
        }
        if domains.isEmpty {
            let limit = who.count <= 5 ? 1 : who.count <= 9 ? 2 : 3
            let scored = order.map { ($0, typoDistance(who, $0)) }.filter { $0.1 <= limit }
            let best = scored.map(\.1).min()
            domains = scored.filter { $0.1 == best }.map(\.0)
        }
        domains = Array(domains.prefix(5))
        guard !date.isEmpty else { return domains }
        return domains.flatMap { domain in
            nearestDates(date, among: versions[domain] ?? []).map { domain + "@" + $0 }
        }
    }

    /// Of `dates` (YYYY-MM-DD), the one asked for if present, else the nearest before and the
    /// nearest after the span that `prefix` covers ("2018" is the whole year), nearer first.
    /// A prefix that is not a date gives the latest version.
    static func nearestDates(_ prefix: String, among dates: [String]) -> [String] {
        guard let span = span(prefix) else { return dates.max().map { [$0] } ?? [] }
        let days = dates.compactMap { d in dayNumber(d).map { (d, $0) } }
        if let inside = days.first(where: { span.contains($0.1) }) { return [inside.0] }
        let before = days.filter { $0.1 < span.lowerBound }.max { $0.1 < $1.1 }
        let after = days.filter { $0.1 > span.upperBound }.min { $0.1 < $1.1 }
        let found = [before.map { ($0.0, span.lowerBound - $0.1) }, after.map { ($0.0, $0.1 - span.upperBound) }].compactMap { $0 }
        return found.sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// The days a date prefix covers: `2018`, `2018-03`, `2018-03-05` (a trailing `-` is ignored).
    static func span(_ prefix: String) -> ClosedRange<Int>? {
        let fields = prefix.split(separator: "-").map { Int($0) }
        guard (1...3).contains(fields.count), fields.allSatisfy({ $0 != nil }) else { return nil }
        let y = fields[0]!, m = fields.count > 1 ? fields[1]! : nil, d = fields.count > 2 ? fields[2]! : nil
        guard (1000...9999).contains(y), (m.map { (1...12).contains($0) } ?? true), (d.map { (1...31).contains($0) } ?? true) else { return nil }
        let first = days(y, m ?? 1, d ?? 1)
        let last = d != nil ? first : m != nil ? days(m == 12 ? y + 1 : y, m == 12 ? 1 : m! + 1, 1) - 1 : days(y + 1, 1, 1) - 1
        return first...last
    }

    static func dayNumber(_ date: String) -> Int? {
        guard let span = span(date), span.count == 1 else { return nil }
        return span.lowerBound
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    static func days(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// A domain without its last dot-part: `jamesallen` for `jamesallen.com`.
    static func label(_ domain: String) -> String {
        guard let dot = domain.lastIndex(of: ".") else { return domain }
        return String(domain[..<dot])
    }

    /// How many edits `typed` is from `domain`: to the domain, to it without its ending
    /// (`jamesalen` for `jamesallen.com`), or one edit from its start (`jmaes` for a prefix of 4
    /// letters or more: a prefix with two edits is as often another word).
    static func typoDistance(_ typed: String, _ domain: String) -> Int {
        let whole = min(editDistance(typed, domain), editDistance(typed, label(domain)))
        if typed.count >= 4, typed.count < domain.count, editDistance(typed, String(domain.prefix(typed.count))) <= 1 {
            return min(whole, 1)
        }
        return whole
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
    /// neighbouring characters each count one.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}

extension DocumentLookupError {
    /// The error for a DOC that named no version of `ids`: the nearest ones when some are near,
    /// else the candidates themselves.
    public static func notFound(_ spec: String, among ids: [String]) -> DocumentLookupError {
        let near = DocSuggestion.nearest(to: spec, among: ids)
        return near.isEmpty ? .unknown(spec, candidates: ids) : .unknownNear(spec, suggestions: near)
    }
}
