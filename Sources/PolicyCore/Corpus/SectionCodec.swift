import Foundation

/// The document cache's encoding of a version's sections: compact bytes read back in one pass.
///
/// `JSONDecoder` took 1.9 ms of the 16 ms `redline diff` spends on two bundled versions (and a
/// share of every index build from the cache, which decodes every section once). The layout:
/// a format byte, then each value in order — integers as LEB128 varints (zigzag for the signed
/// ones), strings as a varint byte count and their UTF-8, optionals behind a 0/1 byte, arrays
/// behind their count. A cache written by another build is rebuilt anyway (`Catalog`'s
/// producer key); the format byte guards against anything else.
enum SectionCodec {
    static let format: UInt8 = 2

    struct Malformed: Error, CustomStringConvertible {
        var description: String { "malformed sections in the document cache" }
    }

    static func encode(_ sections: [PolicySection]) -> Data {
        var writer = Writer()
        writer.bytes.append(format)
        writer.sections(sections)
        return Data(writer.bytes)
    }

    static func decode(_ data: Data) throws -> [PolicySection] {
        try data.withUnsafeBytes { raw -> [PolicySection] in
            var reader = Reader(bytes: raw)
            guard try reader.byte() == format else { throw Malformed() }
            let sections = try reader.sections(depth: 0)
            guard reader.offset == raw.count else { throw Malformed() }
            return sections
        }
    }

    private struct Writer {
        var bytes: [UInt8] = []

        mutating func unsigned(_ value: UInt64) {
            var v = value
            while v >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
                v >>= 7
            }
            bytes.append(UInt8(v))
        }

        mutating func int(_ value: Int) {
            let v = Int64(value)
            unsigned(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
        }

        mutating func string(_ value: String) {
            var s = value
            s.withUTF8 { utf8 in
                unsigned(UInt64(utf8.count))
                bytes.append(contentsOf: utf8)
            }
        }

        mutating func optional(_ value: String?) {
            guard let value else { return bytes.append(0) }
            bytes.append(1)
            string(value)
        }

        mutating func sections(_ sections: [PolicySection]) {
            unsigned(UInt64(sections.count))
            for s in sections {
                string(s.path)
                string(s.title)
                int(s.level)
                bytes.append((s.isPreamble ? 1 : 0) | (s.titleIsExcerpt ? 2 : 0))
                int(s.line)
                unsigned(UInt64(s.clauses.count))
                for c in s.clauses { clause(c) }
                self.sections(s.children)
            }
        }

        mutating func clause(_ c: Clause) {
            bytes.append(SectionCodec.code(c.kind))
            string(c.text)
            unsigned(UInt64(c.styles.count))
            for style in c.styles {
                bytes.append(SectionCodec.code(style.kind))
                int(style.start)
                int(style.end)
                optional(style.url)
            }
            string(c.sectionPath)
            int(c.depth)
            optional(c.marker)
            optional(c.rowTitle)
            unsigned(UInt64(c.cells.count))
            for cell in c.cells {
                optional(cell.header)
                string(cell.text)
            }
            int(c.line)
            int(c.column)
        }
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        mutating func byte() throws -> UInt8 {
            guard offset < bytes.count else { throw Malformed() }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func unsigned() throws -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let b = try byte()
                guard shift < 64 else { throw Malformed() }
                value |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { return value }
                shift += 7
            }
        }

        mutating func int() throws -> Int {
            let u = try unsigned()
            return Int(truncatingIfNeeded: Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1))))
        }

        /// A count of things still to read: never more than the bytes left (each takes one at least).
        mutating func count() throws -> Int {
            let n = try unsigned()
            guard n <= UInt64(bytes.count - offset) else { throw Malformed() }
            return Int(n)
        }

        mutating func string() throws -> String {
            let n = try count()
            defer { offset += n }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + n]), as: UTF8.self)
        }

        mutating func optional() throws -> String? {
            switch try byte() {
            case 0: return nil
            case 1: return try string()
            default: throw Malformed()
            }
        }

        /// Sections nest a handful deep; a deeper nesting is damage, refused before it exhausts the stack.
        mutating func sections(depth: Int) throws -> [PolicySection] {
            guard depth < 64 else { throw Malformed() }
            let n = try count()
            var out: [PolicySection] = []
            out.reserveCapacity(n)
            for _ in 0..<n {
                let path = try string(), title = try string(), level = try int()
                let flags = try byte()
                guard flags < 4 else { throw Malformed() }
                let line = try int()
                let clauseCount = try count()
                var clauses: [Clause] = []
                clauses.reserveCapacity(clauseCount)
                for _ in 0..<clauseCount { clauses.append(try clause()) }
                let children = try sections(depth: depth + 1)
                out.append(PolicySection(path: path, title: title, level: level, isPreamble: flags & 1 != 0,
                                         clauses: clauses, children: children, line: line, titleIsExcerpt: flags & 2 != 0))
            }
            return out
        }

        mutating func clause() throws -> Clause {
            let kind = try SectionCodec.clauseKind(byte())
            let text = try string()
            let styleCount = try count()
            var styles: [InlineStyle] = []
            styles.reserveCapacity(styleCount)
            for _ in 0..<styleCount {
                let styleKind = try SectionCodec.styleKind(byte())
                let start = try int(), end = try int()
                styles.append(InlineStyle(kind: styleKind, start: start, end: end, url: try optional()))
            }
            let sectionPath = try string()
            let depth = try int()
            let marker = try optional()
            let rowTitle = try optional()
            let cellCount = try count()
            var cells: [TableCell] = []
            cells.reserveCapacity(cellCount)
            for _ in 0..<cellCount {
                let header = try optional()
                cells.append(TableCell(header: header, text: try string()))
            }
            let line = try int(), column = try int()
            return Clause(kind: kind, text: text, styles: styles, sectionPath: sectionPath, depth: depth,
                          marker: marker, rowTitle: rowTitle, cells: cells, line: line, column: column)
        }
    }

    private static func code(_ kind: ClauseKind) -> UInt8 {
        switch kind {
        case .paragraph: return 0
        case .listItem: return 1
        case .tableRow: return 2
        case .tableHeader: return 3
        }
    }

    private static func clauseKind(_ code: UInt8) throws -> ClauseKind {
        switch code {
        case 0: return .paragraph
        case 1: return .listItem
        case 2: return .tableRow
        case 3: return .tableHeader
        default: throw Malformed()
        }
    }

    private static func code(_ kind: InlineStyle.Kind) -> UInt8 {
        switch kind {
        case .bold: return 0
        case .italic: return 1
        case .link: return 2
        case .lineBreak: return 3
        }
    }

    private static func styleKind(_ code: UInt8) throws -> InlineStyle.Kind {
        switch code {
        case 0: return .bold
        case 1: return .italic
        case 2: return .link
        case 3: return .lineBreak
        default: throw Malformed()
        }
    }
}
