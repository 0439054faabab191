import Foundation

/// Gives each distinct byte string (a word, a stem) a dense integer id, 0, 1, 2… in the order
/// first seen, looking the bytes up in place: no `String` is made per lookup, and the hash is
/// FNV-1a over the bytes rather than the standard library's seeded SipHash. The word diff and
/// the section aligner intern every token of both texts; this is most of their work. `WordSet`
/// keeps the flat-page rules' word lists in one.
///
/// Callers pass comparable bytes: the diff and the aligner pass ASCII as it is and other text in
/// NFC, so that canonically equivalent spellings (which `String` compares equal) share an id.
/// The hash is not seeded: a text built to collide only slows its own comparison down.
struct ByteInterner {
    /// Key `k` is `bytes[entries[k].start ..< entries[k].start + entries[k].count]`.
    private var bytes: [UInt8] = []
    private struct Entry {
        var hash: UInt64
        var start: Int32
        var count: Int32
    }
    private var entries: [Entry] = []
    /// Open addressing, linear probing: an id, or -1 for an empty slot. Never more than half full.
    private var slots: [Int32]

    init(capacity: Int = 64) {
        var size = 16
        while size < 2 * capacity { size *= 2 }
        slots = Array(repeating: -1, count: size)
        bytes.reserveCapacity(8 * capacity)
        entries.reserveCapacity(capacity)
    }

    /// Ids handed out so far.
    var count: Int { entries.count }

    /// 64-bit FNV-1a: the same for the same bytes in every run (Swift's `Hasher` is seeded per
    /// process), so cache file names use it too.
    @inline(__always)
    static func fnv1a<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var h = fnvStart
        for b in bytes { h = fnv(h, b) }
        return h
    }

    /// FNV-1a with its high bits folded into the low ones the table indexes by.
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 { fold(fnv1a(key)) }

    /// FNV-1a's state before any byte, one more byte, and the state as the table's hash.
    static let fnvStart: UInt64 = 0xCBF2_9CE4_8422_2325
    @inline(__always) static func fnv(_ h: UInt64, _ b: UInt8) -> UInt64 { (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    @inline(__always) static func fold(_ h: UInt64) -> UInt64 { h ^ (h >> 29) }

    /// The id of `key`, if it was interned.
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? { find(key, hash: Self.hash(key)) }

    /// The id of `key` whose `hash` the caller worked out (`hash(_:)`: FNV-1a made as the bytes
    /// come, folded), if it was interned.
    func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        let slot = probe(key, hash: hash)
        return slots[slot] < 0 ? nil : Int(slots[slot])
    }

    /// The id of `key`, interning it if new.
    mutating func id(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        let h = Self.hash(key)
        var slot = probe(key, hash: h)
        if slots[slot] >= 0 { return Int(slots[slot]) }
        let id = entries.count
        entries.append(Entry(hash: h, start: Int32(bytes.count), count: Int32(key.count)))
        for b in key { bytes.append(b) }
        if 2 * entries.count > slots.count {
            grow()
            slot = probe(key, hash: h)
        }
        slots[slot] = Int32(id)
        return id
    }

    /// The id of a token compared as `String` equality compares it (after lower-casing, when
    /// asked): ASCII bytes as they are, anything else lower-cased through `String` and put in NFC,
    /// so canonically equivalent spellings share an id.
    mutating func id(token: UnsafeBufferPointer<UInt8>, ascii: Bool, lowercase: Bool) -> Int {
        if ascii {
            // Most words are lower case already: no copy for them.
            guard lowercase, token.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return id(token) }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: token.count) { buffer in
                Tokenizer.lowercaseASCII(token, into: buffer)
                return id(UnsafeBufferPointer(buffer))
            }
        }
        let text = String(decoding: token, as: UTF8.self)
        return id((lowercase ? text.lowercased() : text).precomposedStringWithCanonicalMapping)
    }

    /// The id of the bytes of `key`.
    mutating func id(_ key: String) -> Int {
        var key = key
        return key.withUTF8 { id($0) }
    }

    /// The bytes interned as `id`, lent to `body`.
    func withBytes<R>(_ id: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let e = entries[id]
        return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[Int(e.start)..<Int(e.start + e.count)])) }
    }

    /// The bytes interned as `id`, as text.
    func string(_ id: Int) -> String {
        let e = entries[id]
        return String(decoding: bytes[Int(e.start)..<Int(e.start + e.count)], as: UTF8.self)
    }

    /// The slot holding `key`, or the empty slot where it belongs.
    private func probe(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int {
        slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                bytes.withUnsafeBufferPointer { stored in
                    let mask = slots.count - 1
                    var slot = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let id = Int(slots[slot])
                        if id < 0 { return slot }
                        let e = entries[id]
                        if e.hash == hash, Int(e.count) == key.count,
                           key.isEmpty || memcmp(stored.baseAddress! + Int(e.start), key.baseAddress!, key.count) == 0 {
                            return slot
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    private mutating func grow() {
        var bigger = [Int32](repeating: -1, count: 2 * slots.count)
        let mask = bigger.count - 1
        for (id, e) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: e.hash) & mask
            while bigger[slot] >= 0 { slot = (slot + 1) & mask }
            bigger[slot] = Int32(id)
        }
        slots = bigger
    }
}

/// A text as a key that is equal to another only with the same bytes (`String` compares canonical
/// equivalents equal, and hashes them through their normalized form).
struct TextBytes: Hashable {
    let text: String
    init(_ text: String) { self.text = text }

    static func == (a: TextBytes, b: TextBytes) -> Bool {
        guard a.text.utf8.count == b.text.utf8.count else { return false }
        var (x, y) = (a.text, b.text)
        return x.withUTF8 { x in y.withUTF8 { y in x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
