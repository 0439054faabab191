import Foundation
import GRDB

/// How an index build stores the clause groups (`ClauseRanker.Groups`) and keeps them right as
/// files go: each file's row holds one 32-bit entry per clause (`file.lengths`), the length of its
/// FTS row for a lead, or `member` and the lead's id for any other clause of a group.
///
/// Removing a file removes its clauses from their groups. A group whose lead goes keeps its FTS
/// row under its next clause (the row deleted and inserted again under that id, its members'
/// entries rewritten); a group with no clause left loses its row.
struct GroupEdit {
    /// The entry bit of a clause that is not its group's lead.
    static let member: UInt32 = 1 << 31

    /// A file's entries as its row's blob: 32-bit little-endian integers.
    static func packed(_ entries: [UInt32]) -> Data {
        var data = Data(count: 4 * entries.count)
        data.withUnsafeMutableBytes { bytes in
            for (k, entry) in entries.enumerated() { bytes.storeBytes(of: entry.littleEndian, toByteOffset: 4 * k, as: UInt32.self) }
        }
        return data
    }

    /// A file's entries as read from its row's blob (`packed`): how many, and the `k`th.
    static func count(_ blob: UnsafeRawBufferPointer) -> Int { blob.count / 4 }
    static func entry(_ blob: UnsafeRawBufferPointer, _ k: Int) -> UInt32 {
        UInt32(littleEndian: blob.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self))
    }

    /// The entry of a lead whose row has `length` tokens (0: unknown).
    static func lead(length: Int) -> UInt32 { UInt32(clamping: min(length, Int(member) - 1)) }

    private let groups: ClauseRanker.Groups
    /// Each clause's lead (0 for no clause).
    private var leads: [UInt32]
    /// Files by first clause id: (first, last, file id), and their clause ranges.
    private let files: [(first: Int, last: Int, id: Int64)]
    private let ranges: ClauseRanker.ClauseRanges
    /// Files whose entries changed, and files removed.
    private var dirty: Set<Int64> = []
    private var removed: Set<Int64> = []

    /// The groups as the file rows hold them now: a copy of `current` (the groups the index
    /// read for the rows as they are), else read from the file rows.
    init(_ db: Database, current: ClauseRanker.Groups? = nil) throws {
        let groups: ClauseRanker.Groups
        if let current, current.count > 0 {
            groups = ClauseRanker.Groups(count: current.count)
            for (to, from) in [(groups.lengths, current.lengths), (groups.counts, current.counts), (groups.nexts, current.nexts)] {
                _ = to.update(fromContentsOf: from)
            }
        } else {
            groups = try ClauseRanker.Groups.scan(db)
        }
        var leads = [UInt32](repeating: 0, count: groups.count)
        for lead in 0..<groups.count where groups.counts[lead] > 0 {
            groups.forEachClause(of: Int64(lead)) { id in leads[Int(id)] = UInt32(lead); return true }
        }
        (self.groups, self.leads) = (groups, leads)
        files = try Row.fetchAll(db, sql: "SELECT first, last, id FROM file WHERE last >= first ORDER BY first").map { ($0[0], $0[1], $0[2]) }
        ranges = ClauseRanker.ClauseRanges(files.map { (Int64($0.first), Int64($0.last)) })
    }

    /// Removes the clauses `range` (one file's, `file`) from their groups. `move(lead, next)` is
    /// called for each lead in the range whose group keeps a clause (`next`, its new lead) or none.
    mutating func remove(_ range: ClosedRange<Int>, file: Int64, move: (Int, Int?) throws -> Void) throws {
        removed.insert(file)
        guard range.lowerBound >= 0, range.upperBound < groups.count else {
            for lead in range { try move(lead, nil) }   // not in the groups: each its own row
            return
        }
        let (first, last) = (range.lowerBound, range.upperBound)
        var handled = Set<UInt32>()
        for id in range {
            let lead = Int(leads[id])
            guard lead != 0 else { try move(id, nil); continue }   // in no group: its own row
            guard groups.counts[lead] > 0, handled.insert(UInt32(lead)).inserted else { continue }
            if lead >= first {
                // The lead goes: the group's first clause after the range (ids ascend) leads it.
                var next = Int(groups.nexts[lead]), gone = 1
                while next != 0 && next <= last { gone += 1; next = Int(groups.nexts[next]) }
                try move(lead, next == 0 ? nil : next)
                guard next != 0 else { continue }
                groups.lengths[next] = groups.lengths[lead]
                groups.counts[next] = groups.counts[lead] - UInt32(gone)
                var member = next
                while member != 0 {
                    leads[member] = UInt32(next)
                    if let f = fileOf(member) { dirty.insert(f) }
                    member = Int(groups.nexts[member])
                }
            } else {
                // A lead before the range: its members in the range are consecutive in its list.
                var before = lead
                while groups.nexts[before] != 0 && Int(groups.nexts[before]) < first { before = Int(groups.nexts[before]) }
                var after = Int(groups.nexts[before]), gone = 0
                while after != 0 && after <= last { gone += 1; after = Int(groups.nexts[after]) }
                groups.nexts[before] = UInt32(after)
                groups.counts[lead] -= UInt32(gone)
            }
        }
        for id in range { (groups.lengths[id], groups.counts[id], groups.nexts[id], leads[id]) = (0, 0, 0, 0) }
    }

    /// Writes the entries of the files whose clauses changed lead.
    func store(_ db: Database) throws {
        let update = try db.cachedStatement(sql: "UPDATE file SET lengths = ? WHERE id = ?")
        for file in files where dirty.contains(file.id) && !removed.contains(file.id) {
            let entries = (file.first...file.last).map { id in
                leads[id] == UInt32(id) ? groups.lengths[id] : Self.member | leads[id]
            }
            try update.execute(arguments: [Self.packed(entries), file.id])
        }
    }

    /// The file holding clause `id`.
    private func fileOf(_ id: Int) -> Int64? { ranges.index(of: Int64(id)).map { files[$0].id } }
}

/// The groups a build adds clauses to: per retailer column, the key of each lead's (section
/// title, text, categories) and its id. A key is 128 bits of two differently salted hashes of
/// the three texts (Swift's `Hasher`, seeded per process: keys are never stored; a retailer's are
/// made again from its leads' texts when its first file of the build comes). Only retailers with
/// two files or more among those kept and those indexed are grouped; a retailer's keys are let go
/// once its last file of the build is indexed.
final class GroupKeys {
    struct Key: Hashable { let a: UInt64, b: UInt64 }

    static func key(_ title: String, _ text: String, _ topics: String) -> Key {
        func hash(_ salt: UInt8) -> UInt64 {
            var hasher = Hasher()
            hasher.combine(salt)
            for var s in [title, text, topics] {
                s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
                hasher.combine(UInt8(0xFF))   // never in UTF-8: the texts' boundaries are part of the key
            }
            return UInt64(bitPattern: Int64(hasher.finalize()))
        }
        return Key(a: hash(0), b: hash(1))
    }

    /// Files kept from before the build, by retailer column: (first, last, file id).
    private var kept: [String: [(first: Int, last: Int, id: Int64)]] = [:]
    /// Files still to index, by retailer column.
    private var pending: [String: Int] = [:]
    private var keys: [String: [Key: UInt32]] = [:]

    init(kept: [(retailer: String, first: Int, last: Int, id: Int64)], indexing: [String]) {
        for f in kept where f.last >= f.first { self.kept[f.retailer, default: []].append((f.first, f.last, f.id)) }
        for r in indexing { pending[r, default: 0] += 1 }
    }

    /// The keys of retailer `retailer`'s groups, to look up and add to while indexing one of its
    /// files; nil when it has no other file.
    func begin(_ retailer: String, _ db: Database) throws -> [Key: UInt32]? {
        if let known = keys.removeValue(forKey: retailer) { return known }   // (held here alone while added to)
        let files = kept[retailer] ?? []
        guard files.count + (pending[retailer] ?? 0) >= 2 else { return nil }
        var known: [Key: UInt32] = [:]
        let entries = try db.cachedStatement(sql: "SELECT lengths FROM file WHERE id = ?")
        let clauses = try db.cachedStatement(sql: "SELECT id, sectionTitle, text, topics FROM clause WHERE id BETWEEN ? AND ?")
        for file in files {
            guard let blob = try Data.fetchOne(entries, arguments: [file.id]) else { continue }
            let rows = try Row.fetchCursor(clauses, arguments: [file.first, file.last])
            while let row = try rows.next() {
                let id: Int = row[0]
                let k = id - file.first
                guard k >= 0, k < blob.count / 4 else { continue }
                let entry = blob.withUnsafeBytes { GroupEdit.entry($0, k) }
                guard entry & GroupEdit.member == 0 else { continue }
                let key = Self.key(row[1], row[2], row[3])
                if known[key] == nil { known[key] = UInt32(id) }
            }
        }
        return known
    }

    /// Ends one of `retailer`'s files, with its keys as they now are.
    func end(_ retailer: String, _ known: [Key: UInt32]?) {
        let left = (pending[retailer] ?? 1) - 1
        pending[retailer] = left
        keys[retailer] = left > 0 ? known : nil
    }
}
