import Foundation

/// The facts two versions state, compared by normalised value: what one adds, what it drops, and
/// which single-valued facts (minimum age, last update) take another value.
///
/// Values are compared in a normal form (`FactDiff.key`): a phone by its digits, an e-mail, law or
/// third party without letter case, a link without scheme, `www.` or trailing slash, an address
/// without punctuation or spacing. A fact written differently but meaning the same is no change.
public struct FactDiff: Codable, Hashable, Sendable {
    /// One fact value, as the side that states it writes it.
    public struct Value: Codable, Hashable, Sendable {
        public var kind: PolicyFact.Kind
        public var value: String
        public init(kind: PolicyFact.Kind, value: String) {
            self.kind = kind
            self.value = value
        }

        enum CodingKeys: String, CodingKey { case kind, value }

        /// A minimum age is written as a number, every other value as a string.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(kind, forKey: .kind)
            try FactDiff.encode(value, of: kind, in: &c, forKey: .value)
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            kind = try c.decode(PolicyFact.Kind.self, forKey: .kind)
            value = try FactDiff.decode(kind, from: c, forKey: .value)
        }
    }

    /// A single-valued fact that took another value.
    public struct Change: Codable, Hashable, Sendable {
        public var kind: PolicyFact.Kind
        public var from: String
        public var to: String
        public init(kind: PolicyFact.Kind, from: String, to: String) {
            self.kind = kind
            self.from = from
            self.to = to
        }

        enum CodingKeys: String, CodingKey { case kind, from, to }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(kind, forKey: .kind)
            try FactDiff.encode(from, of: kind, in: &c, forKey: .from)
            try FactDiff.encode(to, of: kind, in: &c, forKey: .to)
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            kind = try c.decode(PolicyFact.Kind.self, forKey: .kind)
            from = try FactDiff.decode(kind, from: c, forKey: .from)
            to = try FactDiff.decode(kind, from: c, forKey: .to)
        }
    }

    public var added: [Value] = []
    public var removed: [Value] = []
    public var changed: [Change] = []

    public init(added: [Value] = [], removed: [Value] = [], changed: [Change] = []) {
        self.added = added
        self.removed = removed
        self.changed = changed
    }

    /// Kinds that hold one value per policy: a different value is a change, not an addition and a removal.
    public static let singleValued: Set<PolicyFact.Kind> = [.minimumAge, .lastUpdated]

    /// Compares the facts of an older and a newer version. Values are listed in the order of
    /// `PolicyFact.Kind.allCases`, then as the side that states them lists them.
    public init(old: [PolicyFact], new: [PolicyFact]) {
        for kind in PolicyFact.Kind.allCases {
            let before = Self.distinct(old, kind)
            let after = Self.distinct(new, kind)
            let beforeKeys = Set(before.map(\.key))
            let afterKeys = Set(after.map(\.key))
            let gone = before.filter { !afterKeys.contains($0.key) }
            let came = after.filter { !beforeKeys.contains($0.key) }
            if Self.singleValued.contains(kind), gone.count == 1, came.count == 1 {
                changed.append(Change(kind: kind, from: gone[0].value, to: came[0].value))
                continue
            }
            removed += gone.map { Value(kind: kind, value: $0.value) }
            added += came.map { Value(kind: kind, value: $0.value) }
        }
    }

    /// The facts of two documents compared.
    public init(_ old: PolicyDocument, _ new: PolicyDocument) {
        self.init(old: FactExtractor.facts(in: old), new: FactExtractor.facts(in: new))
    }

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    /// True when an added, removed or changed fact is of `kind`.
    public func touches(_ kind: PolicyFact.Kind) -> Bool {
        added.contains { $0.kind == kind } || removed.contains { $0.kind == kind } || changed.contains { $0.kind == kind }
    }

    /// The values of one kind, each normal form once (the first spelling kept).
    static func distinct(_ facts: [PolicyFact], _ kind: PolicyFact.Kind) -> [(key: String, value: String)] {
        var seen = Set<String>()
        var out: [(key: String, value: String)] = []
        for fact in facts where fact.kind == kind {
            let key = Self.key(kind, fact.value)
            if seen.insert(key).inserted { out.append((key, fact.value)) }
        }
        return out
    }

    /// The states an address may write out, by their postal codes.
    static let stateCodes: [String: String] = [
        "california": "ca", "texas": "tx", "florida": "fl", "illinois": "il", "minnesota": "mn", "wisconsin": "wi",
        "washington": "wa", "massachusetts": "ma", "pennsylvania": "pa", "ohio": "oh", "georgia": "ga", "utah": "ut",
        "colorado": "co", "nevada": "nv", "oregon": "or", "arizona": "az",
    ]

    /// The normal form two spellings of one fact share.
    public static func key(_ kind: PolicyFact.Kind, _ value: String) -> String {
        let lower = value.lowercased()
        switch kind {
        case .phone:
            // Letters as a keypad has them ("JEWEL" is 53935; what is spelt past the seventh digit
            // is not dialled).
            let keypad = Array("22233344455566677778889999")
            let spelt = lower.contains { $0.isLetter }
            var digits = String(lower.filter(\.isASCII).compactMap { c -> Character? in
                if c.isNumber { return c }
                guard let a = c.asciiValue, a >= 0x61, a <= 0x7A else { return nil }
                return keypad[Int(a - 0x61)]
            })
            // A North-American number with or without its country code ("1", "00 1").
            if digits.count == 13 || (spelt && digits.count > 13), digits.hasPrefix("001") { digits.removeFirst(3) }
            if digits.count == 11 || (spelt && digits.count > 11), digits.hasPrefix("1") { digits.removeFirst() }
            if spelt, digits.count > 10 { digits = String(digits.prefix(10)) }
            return digits.isEmpty ? lower : digits
        case .minimumAge:
            return Int(lower).map(String.init) ?? lower
        case .optOut:
            var link = Substring(lower.trimmingCharacters(in: .whitespaces))
            for scheme in ["https://", "http://", "https//", "http//"] where link.hasPrefix(scheme) {
                link = link.dropFirst(scheme.count)
                break
            }
            if link.hasPrefix("www.") { link = link.dropFirst(4) }
            // The page, not its language or anchor: "…/gaoptout?hl=en-GB" is "…/gaoptout/".
            if let cut = link.firstIndex(where: { $0 == "?" || $0 == "#" }) { link = link[..<cut] }
            while link.hasSuffix("/") { link = link.dropLast() }
            return String(link)
        case .address:
            // A state written out or as its code is one address ("Utah 84121", "UT 84121").
            return lower.split { !($0.isLetter || $0.isNumber) }.map { Self.stateCodes[String($0)] ?? String($0) }.joined(separator: " ")
        case .email, .lastUpdated, .thirdParty, .law:
            return lower.trimmingCharacters(in: .whitespaces)
        }
    }

    static func encode<K: CodingKey>(_ value: String, of kind: PolicyFact.Kind, in c: inout KeyedEncodingContainer<K>, forKey key: K) throws {
        if kind == .minimumAge, let age = Int(value) { try c.encode(age, forKey: key) } else { try c.encode(value, forKey: key) }
    }

    static func decode<K: CodingKey>(_ kind: PolicyFact.Kind, from c: KeyedDecodingContainer<K>, forKey key: K) throws -> String {
        if kind == .minimumAge, let age = try? c.decode(Int.self, forKey: key) { return String(age) }
        return try c.decode(String.self, forKey: key)
    }
}
