import Foundation
import GRDB
import GRDBSQLite

/// The FTS5 tokens of every clause's columns, computed ahead of the index's writer on other
/// threads, and handed to FTS5 when the writer inserts each clause's row.
///
/// Tokenizing (unicode61 words, Porter stems) is most of FTS5's work per inserted row — 300 of
/// the 560 M instructions that inserting 12 357 clauses' FTS rows took (callgrind) — and every
/// row is written from one thread, the build's longest path. So the threads that classify a
/// chunk's clauses also tokenize their four FTS columns, with the same tokenizer, and the index's
/// tokenizer (`ReplayTokenizer`, declared as `redline porter unicode61 remove_diacritics 2`) gives
/// FTS5 those tokens for the texts it was told to expect, byte for byte. Any other text (deletes,
/// queries, a text not made ahead) goes to the wrapped tokenizer: the tokens are always its tokens.
final class TokenReplay: @unchecked Sendable {
    /// One token, as the wrapped tokenizer gave it: its bytes are `bytes[offset ..< offset + count]`.
    struct Token {
        var flags: Int32
        var start: Int32
        var end: Int32
        var offset: Int32
        var count: Int32
    }

    /// The tokens of some texts: text `k`'s are `tokens[spans[k]]` (a text seen before shares its span).
    struct Tokens: Sendable {
        fileprivate(set) var bytes: [UInt8] = []
        fileprivate(set) var tokens: [Token] = []
        fileprivate(set) var spans: [Range<Int>] = []
    }

    /// The texts armed for replay (a row's columns) with their tokens, the tokens' bytes, and which
    /// texts were replayed already, while the writer inserts one row (on the writer's queue only).
    private var expected: [String] = []
    private var first = 0
    private var tokens: UnsafeBufferPointer<Token>?
    private var spans: UnsafeBufferPointer<Range<Int>>?
    private var bytes: UnsafePointer<CChar>?
    private var used: UInt64 = 0
    /// While a row is inserted: the tokens FTS5 counts in it (all columns), replayed or not.
    fileprivate var length: Int32?
    /// Texts replayed, for tests.
    private(set) var replayed = 0

    /// Runs `body` (one statement inserting an FTS row) with `texts` armed for replay, text `j` being
    /// text `first + j` of `tokens`, and returns the row's length in tokens as FTS5 counts a
    /// column's size (a token colocated with the one before it adds nothing): what the index
    /// stores for BM25 instead of FTS5's `_docsize` table.
    func inserting(_ texts: [String], first: Int, of tokens: Tokens, _ body: () throws -> Void) rethrows -> Int {
        length = 0
        defer { length = nil }
        guard first + texts.count <= tokens.spans.count, texts.count <= 64 else {
            try body()
            return Int(length ?? 0)
        }
        try tokens.tokens.withUnsafeBufferPointer { all in
            try tokens.spans.withUnsafeBufferPointer { spans in
                try tokens.bytes.withUnsafeBufferPointer { stored in
                    try stored.withMemoryRebound(to: CChar.self) { chars in
                        (expected, self.first, self.tokens, self.spans, bytes, used) = (texts, first, all, spans, chars.baseAddress, 0)
                        defer { (expected, self.tokens, self.spans, bytes) = ([], nil, nil, nil) }
                        try body()
                    }
                }
            }
        }
        return Int(length ?? 0)
    }

    /// Hands FTS5 the tokens of the armed text that `pText` is, once each; false for any other text.
    fileprivate func replay(_ pText: UnsafePointer<CChar>?, _ nText: CInt, _ context: UnsafeMutableRawPointer?,
                            _ callback: FTS5TokenCallback, _ code: inout CInt) -> Bool {
        guard let tokens, let spans, let j = expected.indices.first(where: { j in
            used & (1 << j) == 0 && expected[j].utf8.count == Int(nText)
                && (nText == 0 || expected[j].utf8.withContiguousStorageIfAvailable { memcmp(pText!, $0.baseAddress!, Int(nText)) == 0 } == true)
        }) else { return false }
        used |= 1 << j
        replayed += 1
        code = SQLITE_OK
        var size: Int32 = 0
        for t in tokens[spans[first + j]] {
            if t.flags & FTS5_TOKEN_COLOCATED == 0 || size == 0 { size += 1 }
            code = callback(context, t.flags, bytes.map { $0 + Int(t.offset) }, t.count, t.start, t.end)
            if code != SQLITE_OK { break }
        }
        length? += size
        return true
    }

    /// Tokenizes texts as the index does, one tokenizer per thread (a tokenizer keeps buffers).
    final class Tokenizers: @unchecked Sendable {
        private var free: [any FTS5Tokenizer]
        private let lock = NSLock()

        /// `count` tokenizers of the index's kind, made on `db`'s queue.
        init(_ db: Database, count: Int) throws {
            free = try (0..<count).map { _ in try db.makeTokenizer(FTS5TokenizerDescriptor(components: SearchIndex.tokenizerComponents)) }
        }

        /// The tokens of `texts`, in order, as the index's tokenizer reads a document.
        func tokens(of texts: [String]) -> Tokens {
            lock.lock()
            let tokenizer = free.popLast()
            lock.unlock()
            guard let tokenizer else { return Tokens() }   // more threads than tokenizers: the writer tokenizes
            defer { lock.lock(); free.append(tokenizer); lock.unlock() }
            // The callback writes into plain memory through a pointer to a local value (a class's
            // property would be checked for exclusive access at every token, an array's append
            // for uniqueness and room, with a token's few bytes copied through a generic path).
            let size = texts.reduce(0) { $0 + $1.utf8.count }
            var sink = Sink(tokens: size / 4, bytes: size)
            var spans: [Range<Int>] = []
            spans.reserveCapacity(texts.count)
            // A document repeats its short texts (the retailer column, a section's title, the
            // categories), mostly from one row to the next: a short text the same, byte for byte,
            // as one of the last few shares its tokens.
            var recent = ShortTexts()
            withUnsafeMutablePointer(to: &sink) { sink in
                for k in texts.indices {
                    let isShort = texts[k].utf8.count <= ShortTexts.longest
                    if isShort, let span = recent.span(of: texts[k]) {
                        spans.append(span)
                        continue
                    }
                    let start = sink.pointee.tokenCount
                    func tokenize(_ utf8: UnsafeBufferPointer<UInt8>) {
                        guard !utf8.isEmpty else { return }   // no tokens, and perhaps no address
                        utf8.withMemoryRebound(to: CChar.self) { chars in
                            _ = tokenizer.tokenize(context: UnsafeMutableRawPointer(sink), tokenization: .document,
                                                   pText: chars.baseAddress, nText: Int32(chars.count)) { context, flags, token, count, start, end in
                                context!.assumingMemoryBound(to: Sink.self).pointee.add(flags, token, count, start, end)
                                return SQLITE_OK
                            }
                        }
                    }
                    if texts[k].utf8.withContiguousStorageIfAvailable(tokenize) == nil {
                        var copy = texts[k]
                        copy.withUTF8(tokenize)
                    }
                    spans.append(start..<sink.pointee.tokenCount)
                    if isShort { recent.remember(texts[k], start..<sink.pointee.tokenCount) }
                }
            }
            var out = sink.finish()
            out.spans = spans
            return out
        }
    }

    /// Tokens as a tokenizer gives them, in memory grown by hand; made into `Tokens` at the end.
    private struct Sink {
        private var tokens: UnsafeMutablePointer<Token>
        private var bytes: UnsafeMutablePointer<UInt8>
        private(set) var tokenCount = 0
        private var byteCount = 0
        private var tokenCapacity: Int, byteCapacity: Int

        init(tokens: Int, bytes: Int) {
            (tokenCapacity, byteCapacity) = (max(16, tokens), max(64, bytes))
            self.tokens = .allocate(capacity: tokenCapacity)
            self.bytes = .allocate(capacity: byteCapacity)
        }

        mutating func add(_ flags: Int32, _ token: UnsafePointer<CChar>?, _ count: Int32, _ start: Int32, _ end: Int32) {
            let length = token == nil ? 0 : Int(max(0, count))
            if tokenCount == tokenCapacity { tokens = Self.grow(tokens, tokenCount, &tokenCapacity, to: 2 * tokenCapacity) }
            if byteCount + length > byteCapacity { bytes = Self.grow(bytes, byteCount, &byteCapacity, to: 2 * (byteCount + length)) }
            (tokens + tokenCount).initialize(to: Token(flags: flags, start: start, end: end, offset: Int32(byteCount), count: count))
            tokenCount += 1
            if let token, length > 0 {
                token.withMemoryRebound(to: UInt8.self, capacity: length) { (bytes + byteCount).initialize(from: $0, count: length) }
                byteCount += length
            }
        }

        private static func grow<T>(_ old: UnsafeMutablePointer<T>, _ count: Int, _ capacity: inout Int, to size: Int) -> UnsafeMutablePointer<T> {
            let new = UnsafeMutablePointer<T>.allocate(capacity: size)
            new.moveInitialize(from: old, count: count)
            old.deallocate()
            capacity = size
            return new
        }

        /// The tokens and their bytes, the memory freed.
        consuming func finish() -> Tokens {
            var out = Tokens()
            out.tokens = Array(UnsafeBufferPointer(start: tokens, count: tokenCount))
            out.bytes = Array(UnsafeBufferPointer(start: bytes, count: byteCount))
            tokens.deinitialize(count: tokenCount)
            tokens.deallocate()
            bytes.deallocate()
            return out
        }
    }

    /// The last few short texts tokenized, with their tokens' spans. Compared by their bytes (a
    /// canonically equivalent text with other bytes has other offsets), without hashing.
    private struct ShortTexts {
        static let longest = 64
        private var texts: [(String, Range<Int>)] = []
        private var next = 0

        func span(of text: String) -> Range<Int>? {
            let key = TextBytes(text)
            return texts.first { TextBytes($0.0) == key }?.1
        }

        mutating func remember(_ text: String, _ span: Range<Int>) {
            if texts.count < 8 { texts.append((text, span)) } else { texts[next] = (text, span) }
            next = (next + 1) % 8
        }
    }

    // The replays by connection, for `ReplayTokenizer`, which FTS5 makes from its name and arguments.
    nonisolated(unsafe) private static var registered: [ObjectIdentifier: TokenReplay] = [:]
    private static let registry = NSLock()

    private var key: ObjectIdentifier?

    /// Makes this replay the one `db`'s index tokenizer uses (before the FTS table is first used).
    func register(for db: Database) {
        Self.registry.lock()
        key = ObjectIdentifier(db)
        Self.registered[ObjectIdentifier(db)] = self
        Self.registry.unlock()
    }

    /// Forgets the registration (when the index goes).
    func unregister() {
        Self.registry.lock()
        if let key, Self.registered[key] === self { Self.registered[key] = nil }
        Self.registry.unlock()
    }

    fileprivate static func registered(on connection: ObjectIdentifier) -> TokenReplay? {
        registry.lock()
        defer { registry.unlock() }
        return registered[connection]
    }
}

/// The index's FTS5 tokenizer: the tokenizer its arguments name, with `TokenReplay`'s tokens for
/// the one text the writer armed.
final class ReplayTokenizer {
    static let name = "redline"
    private let wrapped: any FTS5Tokenizer
    private let connection: ObjectIdentifier
    /// The replay of the index on this connection, looked up when a document is first tokenized:
    /// FTS5 may make the tokenizer before the index registers its replay (a catalog creating its
    /// tables does), and a replay fixed then would never be armed, its tokens made ahead wasted and
    /// no clause's length counted.
    private var found: TokenReplay?

    init(db: Database, arguments: [String]) throws {
        wrapped = try db.makeTokenizer(FTS5TokenizerDescriptor(components: arguments))
        connection = ObjectIdentifier(db)
        found = TokenReplay.registered(on: connection)
    }

    /// Makes the tokenizer known to `db`'s FTS5 by its name, through FTS5's C API. (GRDB's
    /// `add(tokenizer:)` casts the tokenizer to its protocol on every call: the writer tokenizes
    /// each of a row's four columns, and the casts were 2 % of its time.)
    static func register(in db: Database) {
        let api = UnsafeMutablePointer(mutating: FTS5.api(db))
        // Released by FTS5 (the last argument) when the connection closes.
        let maker = Unmanaged.passRetained(Maker(db: db)).toOpaque()
        var methods = fts5_tokenizer(
            xCreate: { maker, arguments, count, made in
                guard let maker, let made else { return SQLITE_ERROR }
                let db = Unmanaged<Maker>.fromOpaque(maker).takeUnretainedValue().db
                let words = (0..<Int(count)).compactMap { arguments?[$0].map { String(cString: $0) } }
                guard let tokenizer = try? ReplayTokenizer(db: db, arguments: words) else { return SQLITE_ERROR }
                made.pointee = OpaquePointer(Unmanaged.passRetained(tokenizer).toOpaque())
                return SQLITE_OK
            },
            xDelete: { tokenizer in
                if let tokenizer { Unmanaged<ReplayTokenizer>.fromOpaque(UnsafeRawPointer(tokenizer)).release() }
            },
            xTokenize: { tokenizer, context, flags, pText, nText, callback in
                guard let tokenizer, let callback else { return SQLITE_ERROR }
                return Unmanaged<ReplayTokenizer>.fromOpaque(UnsafeRawPointer(tokenizer)).takeUnretainedValue()
                    .tokenize(context: context, tokenization: FTS5Tokenization(rawValue: flags), pText: pText, nText: nText,
                              tokenCallback: callback)
            })
        let code = api.pointee.xCreateTokenizer(api, name, maker, &methods) { maker in
            if let maker { Unmanaged<Maker>.fromOpaque(maker).release() }
        }
        precondition(code == SQLITE_OK, "FTS5 refused the \(name) tokenizer (\(code))")
    }

    /// What FTS5 keeps to make the tokenizer on one connection.
    private final class Maker {
        let db: Database
        init(db: Database) { self.db = db }
    }

    private func lookUp() -> TokenReplay? {
        found = TokenReplay.registered(on: connection)
        return found
    }

    func tokenize(context: UnsafeMutableRawPointer?, tokenization: FTS5Tokenization, pText: UnsafePointer<CChar>?, nText: CInt,
                  tokenCallback: @escaping FTS5TokenCallback) -> CInt {
        var code = SQLITE_OK
        guard tokenization == .document, let replay = found ?? lookUp(), replay.length != nil else {
            return wrapped.tokenize(context: context, tokenization: tokenization, pText: pText, nText: nText, tokenCallback: tokenCallback)
        }
        if replay.replay(pText, nText, context, tokenCallback, &code) { return code }
        // A text of the row not made ahead: tokenized here, its tokens counted on their way to FTS5.
        struct Counting { var context: UnsafeMutableRawPointer?; var callback: FTS5TokenCallback; var size: Int32 }
        var counting = Counting(context: context, callback: tokenCallback, size: 0)
        code = withUnsafeMutablePointer(to: &counting) { pointer in
            wrapped.tokenize(context: UnsafeMutableRawPointer(pointer), tokenization: tokenization, pText: pText, nText: nText) {
                context, flags, token, count, start, end in
                let counting = context!.assumingMemoryBound(to: Counting.self)
                if flags & FTS5_TOKEN_COLOCATED == 0 || counting.pointee.size == 0 { counting.pointee.size += 1 }
                return counting.pointee.callback(counting.pointee.context, flags, token, count, start, end)
            }
        }
        replay.length? += counting.size
        return code
    }
}
