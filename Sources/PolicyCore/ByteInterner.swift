import Foundation

/// Gives each distinct byte string (a word, a stem) a dense integer id, 0, 1, 2… in the order
/// first seen, looking the bytes up in place: no `String` is made per lookup, and the hash is
/// FNV-1a over the bytes rather than the standard library's seeded SipHash. The word diff and
/// the section aligner intern every token of both texts; this is most of their work.
///
/// Callers pass comparable bytes: the diff and the aligner pass ASCII as it is and other text in
/// NFC, so that canonically equivalent spellings (which `String` compares equal) share an id.
/// The hash is not seeded: a text built to collide only slows its own comparison down.
struct ByteInterner {
    /// Key `k` is `bytes[starts[k]..<starts[k + 1]]`.
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Open addressing, linear probing: an id, or -1 for an empty slot. Never more than half full.
    private var slots: [Int32]

    init(capacity: Int = 64) {
        var size = 16
        while size < 2 * capacity { size *= 2 }
        slots = Array(repeating: -1, count: size)
    }

    /// Ids handed out so far.
    var count: Int { hashes.count }

    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h ^ (h >> 29)
    }

    /// The id of `key`, if it was interned.
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        let h = Self.hash(key)
        let slot = probe(key, hash: h)
        return slots[slot] < 0 ? nil : Int(slots[slot])
    }

    /// The id of `key`, interning it if new.
    mutating func id(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        let h = Self.hash(key)
        var slot = probe(key, hash: h)
        if slots[slot] >= 0 { return Int(slots[slot]) }
        let id = hashes.count
        bytes.append(contentsOf: key)
        starts.append(bytes.count)
        hashes.append(h)
        if 2 * hashes.count > slots.count {
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
            guard lowercase else { return id(token) }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: token.count) { buffer in
                for k in token.indices { buffer[k] = token[k] &+ (token[k] >= 0x41 && token[k] <= 0x5A ? 0x20 : 0) }
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

    /// The bytes interned as `id`, as text.
    func string(_ id: Int) -> String {
        String(decoding: bytes[starts[id]..<starts[id + 1]], as: UTF8.self)
    }

    /// The slot holding `key`, or the empty slot where it belongs.
    private func probe(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = Int(slots[slot])
            if id < 0 { return slot }
            if hashes[id] == hash, equal(id, key) { return slot }
            slot = (slot + 1) & mask
        }
    }

    private func equal(_ id: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[id]
        guard starts[id + 1] - start == key.count else { return false }
        return bytes.withUnsafeBufferPointer { stored in
            for k in 0..<key.count where stored[start + k] != key[k] { return false }
            return true
        }
    }

    private mutating func grow() {
        var bigger = [Int32](repeating: -1, count: 2 * slots.count)
        let mask = bigger.count - 1
        for (id, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while bigger[slot] >= 0 { slot = (slot + 1) & mask }
            bigger[slot] = Int32(id)
        }
        slots = bigger
    }
}
